/**
 * A registry or proxy that sends a wrong Docker-Content-Digest on the HEAD of a plain (non-index) tag must not get
 * that digest recorded or pinned. The client confirms every move (a HEAD digest other than the one on record) by
 * GETting the tag and hashing its bytes (ResolveOptions.confirmChangeFrom); an unchanged tag still costs one HEAD.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { runPipeline } from '../../src/pipeline/run.js'
import { createRegistryClient } from '../../src/registry/client.js'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import { inspectRepo, makeRepo, removeRepo, type RepoLayout } from '../support/reliability-repo.js'

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

it("a lying HEAD digest on a moved plain tag is never recorded or pinned; the registry's real digest is", async () => {
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
  // The move is confirmed by content: what gets recorded and pinned is what the registry serves for the tag.
  expect(tags.get('s0:t0')?.digest).toBe(second.digest)
  expect(pins.get('s0:t0')).not.toContain(lie)
  expect(proxy.count('GET', 'manifest')).toBeGreaterThan(0)
})
