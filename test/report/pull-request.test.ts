import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  PULL_REQUEST_BODY_LIMIT,
  PULL_REQUEST_MARKER,
  compareUrl,
  isOwnPullRequestBody,
  parseGitHubSource,
  renderPullRequestBody
} from '../../src/report/index.js'
import type { ChangeSet, TagChange } from '../../src/report/types.js'
import { HOSTILE, apiChange, digest, sample, webChange } from './fixtures.js'
import { checkTables, withoutCodeSpans } from './gfm.js'

const golden = (name: string) => readFileSync(fileURLToPath(new URL(`./golden/${name}`, import.meta.url)), 'utf8')

function hugeChangeSet(count: number, hostile = false): ChangeSet {
  const changes: TagChange[] = []
  for (let i = 0; i < count; i++) {
    const h = hostile ? HOSTILE[i % HOSTILE.length]! : ''
    changes.push({
      ...webChange,
      stream: `stream-${i}${hostile ? h.slice(0, 20) : ''}`,
      tag: `tag-${i}`,
      oldDigest: digest((i % 16).toString(16)),
      newDigest: digest(((i + 1) % 16).toString(16)),
      files: Array.from({ length: 3 }, (_, k) => ({
        file: `apps/${h}${'x'.repeat(hostile ? 3000 : 10)}/deploy-${k}.yaml`,
        line: 10 + k,
        oldValue: `quay.io/acme/web@${digest('a')}${h}`,
        newValue: `quay.io/acme/web@${digest('b')}${hostile ? '`|\\|' : ''}`
      })),
      history: Array.from({ length: 8 }, (_, k) => ({
        digest: digest(k.toString(16)),
        created: '2024-05-02T09:15:03Z'
      }))
    })
  }
  return {
    changes,
    failures: [{ stream: 's', tag: 't', reason: 'NotFound', message: HOSTILE.join(' ') }],
    held: []
  }
}

function beforeNote(body: string): string {
  const at = body.indexOf('\n> [!NOTE]')
  return at < 0 ? body : body.slice(0, at)
}

describe('renderPullRequestBody', () => {
  it('matches the golden body', () => {
    expect(renderPullRequestBody(sample)).toBe(golden('pull-request-body.md'))
  })

  it('starts with the marker the action recognises, and only its own bodies match', () => {
    const body = renderPullRequestBody(sample)
    expect(body.startsWith(`${PULL_REQUEST_MARKER}\n`)).toBe(true)
    expect(isOwnPullRequestBody(body)).toBe(true)
    expect(isOwnPullRequestBody(`Someone quoted it:\n${PULL_REQUEST_MARKER}`)).toBe(false)
    expect(isOwnPullRequestBody(null)).toBe(false)
    expect(checkTables(body)).toEqual({ tables: 6, rows: 9, problems: [] })
  })

  it.each([1_000, 5_000])('keeps %i changes within 65,536 characters, tables intact up to the note', (count) => {
    const body = renderPullRequestBody(hugeChangeSet(count))
    expect(body.length).toBeLessThanOrEqual(PULL_REQUEST_BODY_LIMIT)
    expect(body.length).toBeGreaterThan(PULL_REQUEST_BODY_LIMIT - 2_000) // it uses the room it has
    expect(body).toMatch(
      /\n> \[!NOTE\]\n> This description was shortened to fit GitHub's 65,536-character limit: \d+ of \d+ tags are listed\. /
    )
    expect(body.trimEnd().endsWith('The commit message lists every change.')).toBe(true)
    const check = checkTables(beforeNote(body))
    expect(check.problems).toEqual([])
    expect(check.tables).toBe(1)
    const listed = Number(/: (\d+) of /.exec(body)![1])
    expect(check.rows).toBe(listed)
    expect(body).toContain(`| \`prod/stream-${listed - 1}:tag-${listed - 1}\` |`)
    expect(body).not.toContain(`stream-${listed}:`)
  })

  it('with hostile values in every field, stays within the limit with valid tables and no open <details>', () => {
    const body = renderPullRequestBody(hugeChangeSet(200, true))
    expect(body.length).toBeLessThanOrEqual(PULL_REQUEST_BODY_LIMIT)
    expect(checkTables(beforeNote(body)).problems).toEqual([])
    // Code spans show their content literally; everything outside them must be ours.
    const prose = withoutCodeSpans(body)
    expect(prose.match(/<details>/g)?.length ?? 0).toBe(prose.match(/<\/details>/g)?.length ?? 0)
    expect(prose).not.toMatch(/<(?!!--|\/?details>|\/?summary>|code\/>)/) // no HTML but our own
    expect(prose).not.toMatch(/@[A-Za-z0-9]/)
    expect(prose).not.toMatch(/\]\((?!https:\/\/github\.com\/acme\/web\/compare\/)/) // no link but the compare link
    expect(body).not.toMatch(/^#{1,6} (?!`)(?!(Held|Not imported))/m) // every heading is ours
    expect(body).not.toMatch(/^```/m)
  })

  it('a small limit keeps the details open/close balanced when it cuts inside a section', () => {
    for (let limit = 1_500; limit < 4_000; limit += 37) {
      const body = renderPullRequestBody(sample, { limit })
      expect(body.length).toBeLessThanOrEqual(limit)
      expect(body.match(/<details>/g)?.length ?? 0).toBe(body.match(/<\/details>/g)?.length ?? 0)
      expect(checkTables(beforeNote(body)).problems).toEqual([])
    }
  })

  it('says so when no tag changed', () => {
    const body = renderPullRequestBody({ changes: [], failures: [], held: [] })
    expect(body).toBe(`${PULL_REQUEST_MARKER}\nNo image stream tag changed.\n\n`)
  })

  it('a first import shows "first import" and no compare link', () => {
    const body = renderPullRequestBody({ changes: [apiChange], failures: [], held: [] })
    expect(body).toContain('*first import* → `docker.io/library/nginx@sha256:ffff')
    expect(body).not.toContain('compare')
  })
})

describe('compare links', () => {
  const prov = (source: string, revision: string) => ({ source, revision })
  const A = 'a'.repeat(40)
  const B = 'b'.repeat(40)

  it('links github.com sources with hex revisions', () => {
    expect(compareUrl(prov('https://github.com/acme/web', A), prov('https://github.com/acme/web', B))).toBe(
      `https://github.com/acme/web/compare/${A}...${B}`
    )
    expect(compareUrl(prov('git@github.com:Acme/Web.git', A), prov('https://github.com/acme/web/', B))).toBe(
      `https://github.com/acme/web/compare/${A}...${B}`
    )
  })

  it.each([
    ['different repositories', prov('https://github.com/acme/web', A), prov('https://github.com/acme/api', B)],
    ['same revision', prov('https://github.com/acme/web', A), prov('https://github.com/acme/web', A)],
    ['not github.com', prov('https://gitlab.com/acme/web', A), prov('https://gitlab.com/acme/web', B)],
    [
      'lookalike host',
      prov('https://github.com.evil.example/acme/web', A),
      prov('https://github.com.evil.example/acme/web', B)
    ],
    ['http', prov('http://github.com/acme/web', A), prov('http://github.com/acme/web', B)],
    [
      'link injection in the source',
      prov('https://github.com/acme/web', A),
      prov('https://github.com/acme/web)[x](javascript:alert(1)', B)
    ],
    ['owner starting with -', prov('https://github.com/-acme/web', A), prov('https://github.com/-acme/web', B)],
    [
      'owner too long',
      prov(`https://github.com/${'a'.repeat(40)}/web`, A),
      prov(`https://github.com/${'a'.repeat(40)}/web`, B)
    ],
    ['repository ..', prov('https://github.com/acme/..', A), prov('https://github.com/acme/..', B)],
    ['extra path', prov('https://github.com/acme/web/tree/main', A), prov('https://github.com/acme/web/tree/main', B)],
    ['revision is a branch', prov('https://github.com/acme/web', 'main'), prov('https://github.com/acme/web', B)],
    [
      'revision with a shell command',
      prov('https://github.com/acme/web', A),
      prov('https://github.com/acme/web', `${B};rm`)
    ],
    [
      'uppercase revision',
      prov('https://github.com/acme/web', A.toUpperCase()),
      prov('https://github.com/acme/web', B)
    ],
    ['revision too short', prov('https://github.com/acme/web', 'abc12'), prov('https://github.com/acme/web', B)]
  ])('no link: %s', (_, oldProv, newProv) => {
    expect(compareUrl(oldProv, newProv)).toBeUndefined()
  })

  it('parses github sources strictly', () => {
    expect(parseGitHubSource('https://github.com/acme/web.git')).toEqual({ owner: 'acme', repo: 'web' })
    expect(parseGitHubSource('https://github.com/acme/web\n')).toEqual({ owner: 'acme', repo: 'web' })
    expect(parseGitHubSource('https://github.com/acme')).toBeUndefined()
    expect(parseGitHubSource('https://github.com/a--b/web')).toBeUndefined()
    expect(parseGitHubSource(undefined)).toBeUndefined()
  })

  it('an unlinkable source is shown as code, not as a link', () => {
    const change: TagChange = {
      ...apiChange,
      newProvenance: { source: 'https://evil.example/x)[a](b', revision: 'main' }
    }
    const body = renderPullRequestBody({ changes: [change], failures: [], held: [] })
    expect(body).toContain('`https://evil.example/x)[a](b@main`')
    expect(body).not.toContain('](https://evil')
  })
})
