/**
 * Races and idempotency.
 *  - Two pipeline runs on one repository at once (a cron tick overlapping a manual run): both finish, and the tree
 *    ends fully updated, every file parseable, no journal or temp file left.
 *  - Two commit-mode deliveries to one branch at once through the fake GitHub: one wins, the other re-reads the new
 *    head and re-applies its change there (or finds nothing to do); no update is lost, nothing is forced.
 *  - Every command is idempotent: a second run with nothing new writes nothing — no file bytes or mtimes change,
 *    the CLI reports nothing written, a second delivery (commit or pull request) makes no write request.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { runCli } from '../../src/cli/shared/program.js'
import { registrars } from '../../src/cli/registrars.js'
import { deliverCommit } from '../../src/delivery/commit.js'
import { createGitHubClient, type GitHubClient } from '../../src/delivery/github-client.js'
import { deliverPullRequest } from '../../src/delivery/pull-request.js'
import type { BaseSnapshot, DeliveryRequest, FileChange } from '../../src/delivery/types.js'
import { runPipeline } from '../../src/pipeline/run.js'
import { JOURNAL } from '../../src/pipeline/write-files.js'
import { createRegistryClient } from '../../src/registry/client.js'
import { FakeGitHub } from '../support/github-fake.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import {
  inspectRepo,
  makeRepo,
  readTree,
  removeRepo,
  repoPath,
  streamName,
  tagName,
  treeHash,
  type RepoLayout
} from '../support/reliability-repo.js'

const ROUNDS = 8
let reg: TestRegistry
let layout: RepoLayout
const roots: string[] = []
const truth = new Map<string, string>()
let generation = 0

async function pushAll(): Promise<void> {
  generation++
  for (let i = 0; i < layout.streams; i++) {
    for (let j = 0; j < layout.tags; j++) {
      const pushed = await pushImage(reg, repoPath(layout, i), tagName(j), { seed: `g${generation} ${i} ${j}` })
      truth.set(`${streamName(i)}:${tagName(j)}`, pushed.digest)
    }
  }
}

async function pipeline(root: string) {
  const client = createRegistryClient({ sleep: async () => {}, timeoutMs: 5000 })
  try {
    return await runPipeline({
      root,
      streamsGlob: 'imagestreams/**/*.yaml',
      intent: { kind: 'all' },
      triggers: true,
      registry: client,
      clock: { now: () => new Date('2026-05-01T12:00:00Z') },
      write: true
    })
  } finally {
    await client.close()
  }
}

function expectFullyUpdated(root: string, label: string): void {
  const { problems, tags, pins } = inspectRepo(root, layout)
  expect({ label, problems }).toEqual({ label, problems: [] })
  for (const [key, digest] of truth) {
    expect({ label, key, recorded: tags.get(key)?.digest, pinned: pins.get(key) }).toEqual({
      label,
      key,
      recorded: digest,
      pinned: digest
    })
  }
}

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  layout = { host: reg.host, streams: 6, tags: 3 }
  await pushAll()
})
afterAll(async () => {
  await reg?.stop()
  for (const r of roots) removeRepo(r)
})

describe('pipeline', () => {
  it(`two runs on one repository at once (${ROUNDS} rounds): both finish, the tree ends fully updated`, async () => {
    const root = makeRepo(layout)
    roots.push(root)
    for (let round = 0; round < ROUNDS; round++) {
      await pushAll()
      const [a, b] = await Promise.allSettled([pipeline(root), pipeline(root)])
      const errors = [a, b]
        .filter((r) => r.status === 'rejected')
        .map((r) => String((r as PromiseRejectedResult).reason))
      expect({ round, errors }).toEqual({ round, errors: [] })
      expectFullyUpdated(root, `round ${round}`)
    }
  })

  it("a run finishes a killed run's journal before it reads, so the killed run's import stays in the history", async () => {
    const root = makeRepo(layout)
    roots.push(root)
    await pipeline(root)
    const first = new Map(truth)
    await pushAll()
    const second = new Map(truth)
    // What a run killed after writing its journal leaves: staged files and the journal, no rename done yet.
    const client = createRegistryClient({ sleep: async () => {} })
    const dry = await runPipeline({
      root,
      streamsGlob: 'imagestreams/**/*.yaml',
      intent: { kind: 'all' },
      triggers: true,
      registry: client,
      clock: { now: () => new Date('2026-05-01T13:00:00Z') },
      write: false
    }).finally(() => client.close())
    const journal = dry.files.map((f, n) => {
      const temp = f.path.replace(/([^/]+)$/, `.$1.k${n}.imagestream-tmp`)
      writeFileSync(join(root, temp), f.after)
      return { path: f.path, temp }
    })
    writeFileSync(join(root, JOURNAL), JSON.stringify(journal))
    await pushAll()
    await pipeline(root)
    expectFullyUpdated(root, 'after recovery and a new import')
    const { tags } = inspectRepo(root, layout)
    for (const [key, digest] of second) {
      expect({ key, history: tags.get(key)?.history }).toEqual({
        key,
        history: [truth.get(key), digest, first.get(key)]
      })
    }
    expect(readFileSync(join(root, 'imagestreams', 's0.yaml'), 'utf8')).toContain('2026-05-01T13:00:00Z')
  })

  it('a second run with nothing new writes nothing: same bytes, same mtimes, nothing reported written', async () => {
    const root = makeRepo(layout)
    roots.push(root)
    await pipeline(root)
    expectFullyUpdated(root, 'first run')
    const hash = treeHash(root)
    const mtimes = [...readTree(root).keys()].map((p) => statSync(join(root, p)).mtimeMs)
    const again = await pipeline(root)
    expect({ written: again.written, files: again.files.length, changes: again.changes.length }).toEqual({
      written: [],
      files: 0,
      changes: 0
    })
    expect(treeHash(root)).toBe(hash)
    expect([...readTree(root).keys()].map((p) => statSync(join(root, p)).mtimeMs)).toEqual(mtimes)
  })

  it('the CLI verbs (sync, import, apply-triggers) a second time: exit 0, nothing written', async () => {
    const root = makeRepo(layout)
    roots.push(root)
    const env = { ...process.env }
    process.env.IMAGESTREAM_NOW = '2026-05-01T12:00:00Z'
    process.env.DOCKER_CONFIG = root // holds no config.json: anonymous
    const write = process.stdout.write.bind(process.stdout)
    let out = ''
    process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write
    try {
      expect(await runCli(['-C', root, 'sync', '--all', '-o', 'json'], registrars)).toBe(0)
      const hash = treeHash(root)
      for (const verb of [['sync', '--all'], ['import', '--all'], ['apply-triggers'], ['sync']]) {
        out = ''
        expect({ verb, code: await runCli(['-C', root, ...verb, '-o', 'json'], registrars) }).toEqual({ verb, code: 0 })
        expect({ verb, written: (JSON.parse(out) as { written: unknown[] }).written }).toEqual({ verb, written: [] })
        expect(treeHash(root)).toBe(hash)
      }
    } finally {
      process.stdout.write = write
      process.env = env
    }
  })
})

describe('delivery (fake GitHub)', () => {
  const TOKEN = 'ghs_reliability_races_token_0123456789'
  const repo = { owner: 'acme', repo: 'gitops' }
  let fake: FakeGitHub
  let gh: GitHubClient

  beforeAll(async () => {
    fake = await FakeGitHub.start({ token: TOKEN })
    gh = createGitHubClient({ token: TOKEN, baseUrl: fake.url, throttle: false, retries: 0 })
  })
  afterAll(() => fake?.close())
  afterEach(() => {
    expect(fake.violations).toEqual([])
    fake.reset()
  })

  /** Sets `key: value` in a `key: value` per line file, keeping every other line (the caller's rebuild). */
  const setLine = (text: string, key: string, value: string): string =>
    text.replace(new RegExp(`^${key}: .*$`, 'm'), `${key}: ${value}`)
  const request = (files: FileChange[], over: Partial<DeliveryRequest> = {}): DeliveryRequest => ({
    files,
    group: 'images',
    title: 'imagestream: update images',
    body: 'body',
    commitMessage: 'imagestream: update images',
    baseBranch: 'main',
    branch: 'imagestream/images',
    ...over
  })

  it(`two commits to one branch at once (${ROUNDS} rounds): both land, no update lost, never forced`, async () => {
    const PATH = 'clusters/prod/images.yaml'
    for (let round = 0; round < ROUNDS; round++) {
      fake.reset()
      fake.createRepo(repo.owner, repo.repo, { [PATH]: 'web: v0\napi: v0\n' })
      const base = fake.branchSha(repo.owner, repo.repo, 'main')!
      const deliver = (key: string, value: string) =>
        deliverCommit(
          gh,
          repo,
          request([{ path: PATH, content: setLine('web: v0\napi: v0\n', key, value) }], { baseSha: base, group: key }),
          {
            sleep: async () => {},
            maxAttempts: 6,
            rebuild: (snap: BaseSnapshot) => [{ path: PATH, content: setLine(snap.files.get(PATH)!, key, value) }]
          }
        )
      const [a, b] = await Promise.all([deliver('web', `v${round + 1}`), deliver('api', `v${round + 1}`)])
      expect([a.operation, b.operation].sort()).toEqual(['committed', 'committed'])
      expect(fake.fileAt(repo.owner, repo.repo, 'main', PATH)).toBe(`web: v${round + 1}\napi: v${round + 1}\n`)
      const refUpdates = fake.requests.filter((r) => r.operation === 'PATCH /repos/{owner}/{repo}/git/refs/{ref}')
      expect(refUpdates.every((r) => (r.body as { force?: boolean }).force !== true)).toBe(true)
    }
  })

  it('two deliveries of the same change at once: one commits, the other finds nothing to do', async () => {
    const PATH = 'clusters/prod/images.yaml'
    fake.createRepo(repo.owner, repo.repo, { [PATH]: 'web: v0\n' })
    const base = fake.branchSha(repo.owner, repo.repo, 'main')!
    const deliver = () =>
      deliverCommit(gh, repo, request([{ path: PATH, content: 'web: v1\n' }], { baseSha: base }), {
        sleep: async () => {},
        rebuild: () => [{ path: PATH, content: 'web: v1\n' }]
      })
    const results = await Promise.all([deliver(), deliver()])
    expect(results.map((r) => r.operation).sort()).toEqual(['committed', 'none'])
    expect(fake.fileAt(repo.owner, repo.repo, 'main', PATH)).toBe('web: v1\n')
  })

  it('delivering again with nothing new makes no write request (commit and pull request)', async () => {
    const PATH = 'clusters/prod/images.yaml'
    fake.createRepo(repo.owner, repo.repo, { [PATH]: 'web: v0\n' })
    const files = [{ path: PATH, content: 'web: v1\n' }]
    expect((await deliverPullRequest(gh, repo, request(files))).operation).toBe('created')
    fake.clearLog()
    expect((await deliverPullRequest(gh, repo, request(files))).operation).toBe('none')
    expect(fake.writes()).toEqual([])

    expect((await deliverCommit(gh, repo, request(files), { sleep: async () => {} })).operation).toBe('committed')
    fake.clearLog()
    expect((await deliverCommit(gh, repo, request(files), { sleep: async () => {} })).operation).toBe('none')
    expect(fake.writes()).toEqual([])
  })
})
