/**
 * PENDING (kept out of the suite: jest only runs *.test.ts). Fails today; see RELIABILITY.md "Known gaps".
 * Run it with:
 *   NODE_OPTIONS=--experimental-vm-modules npx jest --testMatch '<rootDir>/test/reliability/pending/lying-head-digest.pending.ts' --maxWorkers=1
 *
 * BUG_lying_head_digest_on_plain_tag_is_recorded: a proxy (or registry) that sends a wrong Docker-Content-Digest on
 * the HEAD of a plain (non-index) tag gets that digest recorded in the state file and pinned in every bound
 * manifest — a digest the registry never served for the tag (it does not exist at all). "One HEAD, no GET" cannot
 * see it. Proposed fix (src/registry + src/importer, ~10 lines): ResolveOptions.knownDigest = the digest the tag
 * records now ('' for a first import); in Client.resolve, when the ref is a tag and HEAD reports a digest other than
 * knownDigest, set needBody so the manifest is fetched by that digest (getManifest(ctx, digest, digest) already checks
 * the bytes hash to it, and turns a 404 into "wrong Docker-Content-Digest headers"). Unchanged tags still cost one
 * HEAD; a changed tag costs one GET, which is the pull a deployment makes anyway.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { runPipeline } from '../../../src/pipeline/run.js'
import { createRegistryClient } from '../../../src/registry/client.js'
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.js'
import { pushImage, startRegistry, type TestRegistry } from '../../support/registry.js'
import { inspectRepo, makeRepo, removeRepo, type RepoLayout } from '../../support/reliability-repo.js'

let reg: TestRegistry
let proxy: FaultProxy
let root: string
let layout: RepoLayout

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  proxy = await startFaultProxy(reg.url)
  layout = { host: proxy.host, streams: 1, tags: 1 }
  root = makeRepo(layout)
})
afterAll(async () => {
  await proxy?.stop()
  await reg?.stop()
  removeRepo(root)
})

it('BUG_lying_head_digest_on_plain_tag_is_recorded: a lying HEAD digest is never recorded or pinned', async () => {
  const run = async () => {
    const client = createRegistryClient({ sleep: async () => {}, timeoutMs: 1000 })
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
  const first = await pushImage(reg, 'acme/s0', 't0', { seed: 'one' })
  await run()
  expect(inspectRepo(root, layout).tags.get('s0:t0')?.digest).toBe(first.digest)

  const second = await pushImage(reg, 'acme/s0', 't0', { seed: 'two' })
  const lie = `sha256:${'0123456789abcdef'.repeat(4)}`
  proxy.inject({ match: { method: 'HEAD', kind: 'manifest' }, fault: { type: 'lying-digest', digest: lie } })
  await run()
  const { tags, pins } = inspectRepo(root, layout)
  // Either the truth (the registry's digest) or the last good one with a failed condition — never the lie.
  expect([first.digest, second.digest]).toContain(tags.get('s0:t0')?.digest)
  expect(pins.get('s0:t0')).not.toBe(lie)
})
