/**
 * Security, end to end where the real part runs here:
 *  - sentinel secrets (registry password, its base64 Basic form, every bearer token the token server issued, a
 *    GitHub token, a docker config `auth`) never appear in logs, error messages, state files, manifests, PR
 *    titles/bodies, commit messages or the job summary — on success and on failure;
 *  - a token realm cannot point credentials at loopback/private addresses unless the registry lives there, and is
 *    https unless the registry itself is plain http on loopback or marked insecure;
 *  - a redirect to another origin never carries Authorization;
 *  - globs, paths and links from inputs cannot reach outside the repository;
 *  - text from registries and payloads is escaped in markdown;
 *  - allowed-registries refuses other registries with an ImportSuccess=False condition, reason Forbidden, and no
 *    request is made to them.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readSettings } from '../../src/action/settings.js'
import { createGitHubClient } from '../../src/delivery/github-client.js'
import { deliverPullRequest } from '../../src/delivery/pull-request.js'
import { runPipeline, type RunResult } from '../../src/pipeline/run.js'
import { writeFiles } from '../../src/pipeline/write-files.js'
import { checkRealm } from '../../src/registry/auth.js'
import { createRegistryClient, type RegistryClientOptions } from '../../src/registry/client.js'
import { RegistryError } from '../../src/registry/errors.js'
import { schemeFor } from '../../src/registry/hosts.js'
import { messageVars, renderCommitMessage, renderPullRequestTitle } from '../../src/report/messages.js'
import { renderPullRequestBody } from '../../src/report/pull-request.js'
import { renderJobSummary } from '../../src/report/summary.js'
import { loadStreams } from '../../src/stream/state-store.js'
import { scanManifests } from '../../src/triggers/scan.js'
import { InputError } from '../../src/util/errors.js'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'
import { FakeGitHub } from '../support/github-fake.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import { inspectRepo, makeRepo, readTree, removeRepo, type RepoLayout } from '../support/reliability-repo.js'

const PASSWORD = 'S3ntinel-Passw0rd-q7Zx'
const USER = 'sentinel'
const GITHUB_TOKEN = 'ghs_SentinelGitHubToken0123456789abcdef'
const NOW = new Date('2026-05-01T12:00:00Z')
const roots: string[] = []

let tokenReg: TestRegistry
let basicReg: TestRegistry
let proxy: FaultProxy
const secrets = new Set<string>([PASSWORD, Buffer.from(`${USER}:${PASSWORD}`).toString('base64'), GITHUB_TOKEN])

beforeAll(async () => {
  tokenReg = await startRegistry({ auth: 'token', users: { [USER]: PASSWORD } })
  basicReg = await startRegistry({ auth: 'htpasswd', users: { [USER]: PASSWORD } })
  proxy = await startFaultProxy(tokenReg.url)
  // Labels are registry-controlled text: hostile on purpose, they must reach markdown only escaped.
  await pushImage(tokenReg, 'acme/s0', 't0', {
    seed: 'hostile',
    labels: {
      'org.opencontainers.image.source': 'https://github.com/acme/web"><img src=x onerror=alert(1)>',
      'org.opencontainers.image.revision': '<script>alert(1)</script> @acme/admins #1 [x](javascript:alert(1))'
    }
  })
  await pushImage(tokenReg, 'acme/s0', 't1', { seed: 'plain' })
  await pushImage(basicReg, 'acme/s0', 't0', { seed: 'basic' })
})
afterAll(async () => {
  await proxy?.stop()
  await tokenReg?.stop()
  await basicReg?.stop()
  for (const r of roots) removeRepo(r)
})

/** Everything a person or a log could see, as one string. */
function visible(root: string, result: RunResult | undefined, logs: string[]): string {
  const files = [...readTree(root).values()].map((b) => b.toString('utf8'))
  const rendered: string[] = []
  if (result) {
    const set = { changes: result.changes, failures: result.failures, held: result.held }
    const vars = messageVars(result.changes)
    rendered.push(
      renderPullRequestBody(set),
      renderJobSummary({ ...set, idleReason: result.idleReason }),
      ...(result.changes.length ? [renderPullRequestTitle(undefined, vars), renderCommitMessage(undefined, vars)] : []),
      JSON.stringify(result.diagnostics),
      JSON.stringify(result.failures),
      JSON.stringify(result.changes)
    )
  }
  return [...files, ...rendered, ...logs].join('\n')
}

function expectNoSecret(text: string): void {
  for (const s of secrets) expect({ leaked: text.includes(s) ? s : undefined }).toEqual({ leaked: undefined })
}

async function pipelineWith(root: string, options: RegistryClientOptions, logs: string[], allowed?: string[]) {
  const client = createRegistryClient({
    sleep: async () => {},
    timeoutMs: 2000,
    maxRetries: 1,
    onSecret: (s) => secrets.add(s),
    onWarning: (w) => logs.push(w),
    onRequest: (e) => logs.push(JSON.stringify(e)),
    ...options
  })
  try {
    return await runPipeline({
      root,
      streamsGlob: 'imagestreams/**/*.yaml',
      intent: { kind: 'all' },
      triggers: true,
      registry: client,
      clock: { now: () => NOW },
      write: true,
      allowedRegistries: allowed
    })
  } finally {
    await client.close()
  }
}

describe('secrets never leak', () => {
  it('a successful token-auth import: no password, Basic value or bearer token in files, reports or logs', async () => {
    const layout: RepoLayout = { host: tokenReg.host, streams: 1, tags: 2 }
    const root = makeRepo(layout)
    roots.push(root)
    const logs: string[] = []
    const result = await pipelineWith(
      root,
      { credentials: { [tokenReg.host]: { username: USER, password: PASSWORD } } },
      logs
    )
    expect(result.failures).toEqual([])
    expect(result.changes).toHaveLength(2)
    // The client reported the tokens it got (so they can be masked); they are sentinels now.
    expect(secrets.size).toBeGreaterThan(3)
    expectNoSecret(visible(root, result, logs))
  })

  it('wrong credentials (explicit and docker config auth): the Unauthorized message names the user, not the secret', async () => {
    const wrong = 'Wr0ng-Sentinel-Secret-pp91'
    secrets.add(wrong)
    secrets.add(Buffer.from(`${USER}:${wrong}`).toString('base64'))
    for (const options of [
      { credentials: { [tokenReg.host]: { username: USER, password: wrong } } },
      {
        dockerConfigJson: JSON.stringify({
          auths: { [tokenReg.host]: { auth: Buffer.from(`${USER}:${wrong}`).toString('base64') } }
        })
      },
      { credentials: { [basicReg.host]: { username: USER, password: wrong } } }
    ] as RegistryClientOptions[]) {
      const host = options.credentials?.[basicReg.host] ? basicReg.host : tokenReg.host
      const root = makeRepo({ host, streams: 1, tags: 1 })
      roots.push(root)
      const logs: string[] = []
      const result = await pipelineWith(root, options, logs)
      expect(result.failures.map((f) => f.reason)).toEqual(['Unauthorized'])
      expect(result.failures[0]!.message).toMatch(/credentials|user/)
      expectNoSecret(visible(root, result, logs))
    }
  })

  it('a GitHub token never appears in delivery errors or in what was sent as PR title/body', async () => {
    const fake = await FakeGitHub.start({ token: GITHUB_TOKEN })
    try {
      fake.createRepo('acme', 'gitops', { 'a.yaml': 'web: v0\n' })
      const request = {
        files: [{ path: 'a.yaml', content: 'web: v1\n' }],
        group: 'web',
        title: 'imagestream: update web',
        body: 'body',
        commitMessage: 'imagestream: update web',
        baseBranch: 'main',
        branch: 'imagestream/web'
      }
      const good = createGitHubClient({ token: GITHUB_TOKEN, baseUrl: fake.url, throttle: false, retries: 0 })
      await deliverPullRequest(good, { owner: 'acme', repo: 'gitops' }, request)
      expectNoSecret(JSON.stringify(fake.requests.map((r) => r.body)))
      // A failing call (no such repository) must not quote the token in its error.
      let message = ''
      try {
        await deliverPullRequest(good, { owner: 'acme', repo: 'missing' }, request)
      } catch (err) {
        message = `${String(err)} ${JSON.stringify(err, Object.getOwnPropertyNames(err as object))}`
      }
      expect(message).not.toBe('')
      expectNoSecret(message)
    } finally {
      await fake.close()
    }
  })

  it('settings validation quotes inputs but never the token or the registry auth', () => {
    const auth = JSON.stringify({
      auths: { 'ghcr.io': { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') } }
    })
    let message = ''
    try {
      readSettings((n) => ({ 'github-token': GITHUB_TOKEN, 'registry-auth': auth, 'history-limit': 'lots' })[n] ?? '')
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toContain('input history-limit')
    expectNoSecret(message)
  })
})

describe('where credentials may go', () => {
  const remote = new URL('https://registry.example.com/v2/')
  it.each([
    ['http realm for an https registry', 'http://auth.example.com/token'],
    ['loopback realm for a remote registry', 'https://127.0.0.1/token'],
    ['localhost realm for a remote registry', 'https://localhost:5000/token'],
    ['cloud metadata address', 'https://169.254.169.254/latest/meta-data'],
    ['RFC 1918 address', 'https://10.1.2.3/token'],
    ['IPv6 loopback', 'https://[::1]/token'],
    ['IPv6 unique-local', 'https://[fd00::1]/token'],
    ['not a URL', 'realm-is-not-a-url'],
    ['file scheme', 'file:///etc/passwd']
  ])('refused: %s', (_name, realm) => {
    expect(() => checkRealm(realm, remote, false)).toThrow(RegistryError)
  })

  it('allowed: https realm elsewhere; a loopback realm for a loopback registry; http only for loopback/insecure', () => {
    expect(checkRealm('https://auth.example.com/token', remote, false).host).toBe('auth.example.com')
    expect(checkRealm('http://127.0.0.1:5001/token', new URL('http://127.0.0.1:5000/v2/'), false).port).toBe('5001')
    expect(checkRealm('http://auth.internal/token', remote, true).protocol).toBe('http:')
    expect(schemeFor('registry.example.com', false)).toBe('https')
    expect(schemeFor('registry.example.com', true)).toBe('https-insecure')
    expect(schemeFor('127.0.0.1:5000', false)).toBe('http')
  })

  it('a redirect to another origin never carries Authorization (real Basic-auth registry, two origins)', async () => {
    const front = await startFaultProxy(basicReg.url)
    const other = await startFaultProxy(basicReg.url)
    try {
      front.inject({ match: { kind: 'blob' }, fault: { type: 'redirect', to: other.url } })
      front.inject({ match: { method: 'GET', kind: 'manifest' }, fault: { type: 'redirect', to: other.url } })
      const client = createRegistryClient({
        credentials: { [front.host]: { username: USER, password: PASSWORD } },
        sleep: async () => {},
        maxRetries: 0
      })
      let message = ''
      try {
        await client.metadata({ domain: front.host, path: 'acme/s0', tag: 't0' })
      } catch (err) {
        message = (err as Error).message
      } finally {
        await client.close()
      }
      // The front saw authorized requests (so credentials were in play); the other origin never did.
      expect(front.requests.some((r) => r.authorized)).toBe(true)
      expect(other.requests.length).toBeGreaterThan(0)
      expect(other.requests.filter((r) => r.authorized)).toEqual([])
      expectNoSecret(message)
    } finally {
      await front.stop()
      await other.stop()
    }
  })
})

describe('paths stay inside the repository', () => {
  it('globs that leave the root are refused with the input named', async () => {
    const root = mkdtempSync(join(tmpdir(), 'imagestream-sec-'))
    roots.push(root)
    await expect(loadStreams(root, '../**/*.yaml')).rejects.toThrow(InputError)
    await expect(loadStreams(root, '/etc/*.yaml')).rejects.toThrow(/relative/)
    await expect(scanManifests(root, { include: ['../../**/*.yaml'] })).rejects.toThrow(InputError)
    await expect(scanManifests(root, { exclude: ['/x'] })).rejects.toThrow(InputError)
    for (const [input, value] of [
      ['streams', '../x/*.yaml'],
      ['manifests', '/etc/**'],
      ['manifests', 'a/../../b']
    ]) {
      expect(() => readSettings((n) => ({ 'github-token': GITHUB_TOKEN, [input!]: value! })[n] ?? '')).toThrow(
        `input ${input}`
      )
    }
  })

  it('writes outside the root are refused before anything is written', async () => {
    const root = mkdtempSync(join(tmpdir(), 'imagestream-sec-'))
    roots.push(root)
    writeFileSync(join(root, 'ok.yaml'), 'a: 1\n')
    for (const path of ['../escape.yaml', '/tmp/escape.yaml', 'a/../../escape.yaml']) {
      await expect(
        writeFiles(root, [
          { path: 'ok.yaml', text: 'a: 2\n' },
          { path, text: 'x' }
        ])
      ).rejects.toThrow(InputError)
    }
    expect(readFileSync(join(root, 'ok.yaml'), 'utf8')).toBe('a: 1\n')
  })

  it('links to files and folders outside the repository are neither read as streams nor rewritten as manifests', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'imagestream-outside-'))
    roots.push(outside)
    const layout: RepoLayout = { host: tokenReg.host, streams: 1, tags: 1 }
    const victim = makeRepo(layout, outside)
    const before = readTree(victim)
    const root = makeRepo(layout)
    roots.push(root)
    symlinkSync(join(outside, 'imagestreams', 's0.yaml'), join(root, 'imagestreams', 'linked.yaml'))
    symlinkSync(join(outside, 'deploy', 's0.yaml'), join(root, 'deploy', 'linked.yaml'))
    mkdirSync(join(root, 'more'))
    symlinkSync(join(outside, 'deploy'), join(root, 'more', 'dir'))
    const logs: string[] = []
    const result = await pipelineWith(
      root,
      { credentials: { [tokenReg.host]: { username: USER, password: PASSWORD } } },
      logs
    )
    expect(result.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'imagestreams/linked.yaml',
          message: expect.stringMatching(/outside the repository/)
        })
      ])
    )
    expect(result.written.some((p) => p.includes('linked') || p.startsWith('more/'))).toBe(false)
    expect(readTree(victim)).toEqual(before)
  })
})

describe('registry text in markdown, and allowed-registries', () => {
  it('hostile image labels reach the PR body and summary only escaped', async () => {
    const layout = { host: tokenReg.host, streams: 1, tags: 1 }
    const root = makeRepo(layout)
    roots.push(root)
    const credentials = { credentials: { [tokenReg.host]: { username: USER, password: PASSWORD } } }
    // Labels are read for moves (the PR body's compare links): import an earlier image, then the hostile one.
    const earlier = await pushImage(tokenReg, 'acme/s0', 't0', { seed: 'benign-before-hostile' })
    await pipelineWith(root, credentials, [])
    expect(inspectRepo(root, layout).tags.get('s0:t0')?.digest).toBe(earlier.digest)
    await pushImage(tokenReg, 'acme/s0', 't0', {
      seed: 'hostile',
      labels: {
        'org.opencontainers.image.source': 'https://github.com/acme/web"><img src=x onerror=alert(1)>',
        'org.opencontainers.image.revision': '<script>alert(1)</script> @acme/admins #1 [x](javascript:alert(1))'
      }
    })
    const result = await pipelineWith(root, credentials, [])
    expect(result.changes[0]?.newProvenance?.revision).toContain('<script>')
    const set = { changes: result.changes, failures: result.failures, held: result.held }
    for (const rendered of [renderPullRequestBody(set), renderJobSummary(set)]) {
      // Inside a code span GitHub shows text literally (no HTML, no mentions, no links); everywhere else it must be
      // escaped. So: every hostile fragment is inside a code span or not there at all.
      expect(rendered).toContain('`')
      const md = rendered.replace(/(`+)[^`][\s\S]*?\1/g, '')
      expect(md).not.toMatch(/<script|<img|onerror=|javascript:|\]\(javascript/i)
      expect(md).not.toMatch(/@acme\/admins/) // a mention would notify a team
    }
  })

  it('a tag outside allowed-registries fails with reason Forbidden and the registry is never asked', async () => {
    const layout: RepoLayout = { host: proxy.host, streams: 2, tags: 2 }
    const root = makeRepo(layout)
    roots.push(root)
    proxy.resetCounts()
    const result = await pipelineWith(
      root,
      { credentials: { [proxy.host]: { username: USER, password: PASSWORD } } },
      [],
      [
        `${proxy.host}/acme/s0-other`, // a prefix that must not match acme/s0 or acme/s1 by string prefix
        'registry.example.com'
      ]
    )
    expect(result.failures.map((f) => `${f.stream}:${f.tag}:${f.reason}`).sort()).toEqual([
      's0:t0:Forbidden',
      's0:t1:Forbidden',
      's1:t0:Forbidden',
      's1:t1:Forbidden'
    ])
    expect(result.failures[0]!.message).toMatch(/allowed-registries/)
    expect(proxy.count()).toBe(0)
    const state = readFileSync(join(root, 'imagestreams', 's0.yaml'), 'utf8')
    expect(state).toMatch(/reason: Forbidden/)
  })

  it('an allowed host/path prefix admits exactly that repository tree', async () => {
    const root = makeRepo({ host: proxy.host, streams: 1, tags: 2 })
    roots.push(root)
    const result = await pipelineWith(
      root,
      { credentials: { [proxy.host]: { username: USER, password: PASSWORD } } },
      [],
      [`${proxy.host}/acme`]
    )
    expect(result.failures).toEqual([])
    expect(result.changes).toHaveLength(2)
  })
})
