/**
 * The fixture repository (test/fixtures/manifests/) rewritten end to end through the loader, the pure rewrite
 * and the atomic writer, then checked with real git's word diff: only image values (and one inserted
 * lastTriggeredImage) may differ, and a second run changes nothing.
 */
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { rewriteManifests } from '../../src/triggers/rewrite.js'
import { scanManifests } from '../../src/triggers/scan.js'
import { writeFiles } from '../../src/pipeline/write-files.js'
import type { RewriteResult } from '../../src/triggers/types.js'
import type { ImageStream } from '../../src/stream/types.js'

const FIXTURE = join(process.cwd(), 'test/fixtures/manifests')
const STREAMS = 'imagestreams/**'
const d = (pair: string) => `sha256:${pair.repeat(32)}`

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'core.autocrlf=false', '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
    { cwd, encoding: 'utf8' }
  )
}

async function loadStreams(root: string) {
  const scan = await scanManifests(root, { include: [STREAMS] })
  return scan.files.map((f) => ({ stream: parse(f.text) as ImageStream, file: f.path }))
}

/** `git diff --word-diff=porcelain`, folded into removed and added words per file. */
function wordDiff(cwd: string): Record<string, { removed: string[]; added: string[] }> {
  const out = git(cwd, 'diff', '--word-diff=porcelain', '--word-diff-regex=[^[:space:]]+', '--no-color')
  const result: Record<string, { removed: string[]; added: string[] }> = {}
  let file = ''
  for (const line of out.split('\n')) {
    if (line.startsWith('+++ b/')) {
      file = line.slice(6)
      result[file] = { removed: [], added: [] }
    } else if (
      line.startsWith('--- ') ||
      line.startsWith('+++ ') ||
      line.startsWith('diff ') ||
      line.startsWith('index ')
    ) {
      continue
    } else if (line.startsWith('-') && file) result[file].removed.push(line.slice(1))
    else if (line.startsWith('+') && file) result[file].added.push(line.slice(1))
  }
  return result
}

describe('fixture repository rewrite', () => {
  let root: string
  let first: RewriteResult
  let written: string[]

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'triggers-fixture-'))
    cpSync(FIXTURE, root, { recursive: true })
    git(root, 'init', '-q')
    git(root, 'add', '-A')
    git(root, 'commit', '-q', '-m', 'fixture')
    const streams = await loadStreams(root)
    const scan = await scanManifests(root, { streamGlob: STREAMS })
    first = rewriteManifests(scan.files, streams)
    written = await writeFiles(root, first.changed)
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('never reads the stream files, .git or node_modules as manifests', async () => {
    const scan = await scanManifests(root, { streamGlob: STREAMS })
    expect(scan.files.map((f) => f.path)).toEqual([
      'charts/web/templates/deployment.yaml',
      'charts/web/values.yaml',
      'deploy/cronjob.yaml',
      'deploy/dc-waiting.yaml',
      'deploy/dc.yaml',
      'deploy/plain.yaml',
      'deploy/pod.yaml',
      'deploy/statefulset.yaml',
      'deploy/web.yaml',
      'flux/helmrelease.yaml',
      'kustomize/kustomization.yaml'
    ])
  })

  it('changes only the bound image values, as git word-diff sees it', () => {
    const local = 'image-registry.openshift-image-registry.svc:5000/shop/nginx'
    expect(wordDiff(root)).toEqual({
      'charts/web/templates/deployment.yaml': {
        removed: [`"quay.io/acme/web@${d('a1')}"`, 'docker.io/library/busybox:1.35'],
        added: [`"quay.io/acme/web@${d('a2')}"`, `docker.io/library/busybox@${d('d2')}`]
      },
      'charts/web/values.yaml': {
        removed: ['"1.3"', d('a1'), 'ghcr.io/acme/worker:v1'],
        added: ['"1.4"', d('a2'), `ghcr.io/acme/worker@${d('b2')}`]
      },
      'deploy/cronjob.yaml': { removed: ["'docker.io/library/nginx:1.25'"], added: [`'${local}@${d('c2')}'`] },
      'deploy/dc.yaml': {
        // `' '` and `" "` are one token each for git (the blank image oc new-app writes), as is the inserted key.
        removed: [`quay.io/acme/web@${d('a1')}`, "' '", `quay.io/acme/web@${d('a1')}`, '" "'],
        added: [
          `quay.io/acme/web@${d('a2')}`,
          `'quay.io/acme/web@${d('a2')}'`,
          `quay.io/acme/web@${d('a2')}`,
          `lastTriggeredImage: ghcr.io/acme/worker@${d('b2')}`,
          `"ghcr.io/acme/worker@${d('b2')}"`
        ]
      },
      'deploy/pod.yaml': { removed: ['quay.io/acme/web:1.4}'], added: [`quay.io/acme/web@${d('a2')}}`] },
      'deploy/statefulset.yaml': {
        removed: [`"ghcr.io/acme/worker@${d('b1')}"`],
        added: [`"ghcr.io/acme/worker@${d('b2')}"`]
      },
      'deploy/web.yaml': {
        removed: [`docker.io/library/busybox@${d('d1')}`, `quay.io/acme/web@${d('a1')}`],
        added: [`docker.io/library/busybox@${d('d2')}`, `quay.io/acme/web@${d('a2')}`]
      },
      'flux/helmrelease.yaml': {
        removed: ['quay.io/acme/web:1.3', `ghcr.io/acme/worker@${d('b1')}`],
        added: [`quay.io/acme/web@${d('a2')}`, `ghcr.io/acme/worker@${d('b2')}`]
      },
      'kustomize/kustomization.yaml': {
        removed: ['docker.io/library/nginx', '1.24', d('c1')],
        added: [local, '"1.25"', d('c2')]
      }
    })
    expect(written.sort()).toEqual(Object.keys(wordDiff(root)).sort())
  })

  it('keeps CRLF line endings and a missing final newline', () => {
    const crlf = readFileSync(join(root, 'deploy/statefulset.yaml'), 'utf8')
    expect(crlf.split('\r\n')).toHaveLength(16)
    expect(crlf.endsWith('\r\n')).toBe(true)
    expect(crlf.replace(/\r\n/g, '')).not.toMatch(/\n/)
    const pod = readFileSync(join(root, 'deploy/pod.yaml'), 'utf8')
    expect(pod.endsWith(`- {name: debug, image: quay.io/acme/web@${d('a2')}} # {"$imagestream": "web:1.4"}`)).toBe(true)
  })

  it('leaves a DeploymentConfig alone until all its automatic triggers resolve, and says why', () => {
    expect(first.changed.find((c) => c.path === 'deploy/dc-waiting.yaml')).toBeUndefined()
    const notice = first.diagnostics.find((x) => x.file === 'deploy/dc-waiting.yaml')
    expect(notice).toMatchObject({ severity: 'notice', line: 16 })
    expect(notice?.message).toContain('web:latest has no image yet')
  })

  it('reads the Helm template only line by line, with a notice', () => {
    expect(first.diagnostics).toContainEqual(
      expect.objectContaining({
        file: 'charts/web/templates/deployment.yaml',
        severity: 'notice',
        message: expect.stringContaining('only marker comments')
      })
    )
    expect(first.diagnostics.filter((x) => x.severity !== 'notice')).toEqual([])
  })

  it('reports the digests the manifests still pin, old ones only where nothing rewrote them', () => {
    expect(first.pinnedDigests).toEqual([d('a2'), d('b2'), d('c2'), d('d2'), d('e1')])
  })

  it('is idempotent: a second run over the written files changes nothing', async () => {
    const streams = await loadStreams(root)
    const scan = await scanManifests(root, { streamGlob: STREAMS })
    const second = rewriteManifests(scan.files, streams)
    expect(second.changed).toEqual([])
    expect(second.pinnedDigests).toEqual(first.pinnedDigests)
  })

  it('writes repo:tag@digest with pin-format tag-digest', async () => {
    const streams = await loadStreams(FIXTURE)
    const scan = await scanManifests(FIXTURE, { streamGlob: STREAMS, include: ['deploy/web.yaml', 'deploy/pod.yaml'] })
    const result = rewriteManifests(scan.files, streams, { pinFormat: 'tag-digest' })
    expect(result.changed.flatMap((c) => c.edits.map((e) => e.newValue))).toEqual([
      `quay.io/acme/web:1.4@${d('a2')}`,
      `docker.io/library/busybox:1.36@${d('d2')}`,
      `quay.io/acme/web:1.4@${d('a2')}`
    ])
  })
})
