/**
 * What a real registry will not do on demand, injected by the fault proxy in front of a real one.
 * Sleeps are injected (recorded, not waited), so Retry-After of 30 s costs nothing here.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  createRegistryClient,
  type InstrumentedRegistryClient,
  type RegistryClientOptions
} from '../../src/registry/client.js'
import { RegistryError } from '../../src/registry/errors.js'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'
import type { PushedImage, PushedIndex } from '../support/push.js'
import { pushImage, pushIndex, startRegistry, type TestRegistry } from '../support/registry.js'

let reg: TestRegistry
let proxy: FaultProxy
let image: PushedImage
let index: PushedIndex
let sleeps: number[]
let warnings: string[]
let client: InstrumentedRegistryClient
const NOW = new Date('2026-05-01T12:00:00Z')

const web = (tag = 'v1'): { domain: string; path: string; tag: string } => ({
  domain: proxy.host,
  path: 'acme/web',
  tag
})

function makeClient(extra: RegistryClientOptions = {}): InstrumentedRegistryClient {
  return createRegistryClient({
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    clock: { now: () => NOW },
    random: () => 0.5,
    onWarning: (w) => warnings.push(w),
    timeoutMs: 2_000,
    ...extra
  })
}

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  proxy = await startFaultProxy(reg.url)
  image = await pushImage(reg, 'acme/web', 'v1')
  index = await pushIndex(reg, 'acme/multi', 'v1')
})
afterAll(async () => {
  await proxy?.stop()
  await reg?.stop()
})
beforeEach(() => {
  proxy.clear()
  proxy.resetCounts()
  sleeps = []
  warnings = []
  client = makeClient()
})
afterEach(async () => client.close())

describe('missing or wrong digest headers', () => {
  it('no Docker-Content-Digest on HEAD → GET and hash the raw bytes', async () => {
    proxy.inject({ match: { method: 'HEAD', kind: 'manifest' }, fault: { type: 'no-digest' } })
    const r = await client.resolve(web())
    expect(r.digest).toBe(image.digest)
    expect(proxy.count('HEAD', 'manifest')).toBe(1)
    expect(proxy.count('GET', 'manifest')).toBe(1)
  })

  it('no digest header anywhere still gives the right digest (computed from the GET body)', async () => {
    proxy.inject({ match: { kind: 'manifest' }, fault: { type: 'no-digest' } })
    expect((await client.resolve(web())).digest).toBe(image.digest)
  })

  it('a GET whose Docker-Content-Digest disagrees with its bytes is an error, never a digest', async () => {
    proxy.inject({ match: { method: 'HEAD', kind: 'manifest' }, fault: { type: 'no-digest' } })
    proxy.inject({ match: { method: 'GET', kind: 'manifest' }, fault: { type: 'lying-digest' } })
    const err = (await client.resolve(web()).catch((e: unknown) => e)) as RegistryError
    expect(err).toBeInstanceOf(RegistryError)
    expect(err.reason).toBe('InternalError')
    expect(err.message).toMatch(/says the manifest is sha256:0123.* but its bytes hash to sha256:/)
  })

  it('a HEAD by digest answering another digest is detected', async () => {
    proxy.inject({ match: { method: 'HEAD', kind: 'manifest' }, fault: { type: 'lying-digest' } })
    const err = (await client.resolve({ ...web(), digest: image.digest }).catch((e: unknown) => e)) as RegistryError
    expect(err.reason).toBe('InternalError')
    expect(err.message).toMatch(/wrong Docker-Content-Digest/)
  })

  it('a lying HEAD digest for an index tag is caught when the index is fetched by that digest', async () => {
    proxy.inject({ match: { method: 'HEAD', kind: 'manifest' }, fault: { type: 'lying-digest' } })
    const err = (await client
      .resolve({ domain: proxy.host, path: 'acme/multi', tag: 'v1' })
      .catch((e: unknown) => e)) as RegistryError
    expect(err).toBeInstanceOf(RegistryError)
    // the lying HEAD carries the registry's real (index) Content-Type, so the client GETs by the lied digest
    expect(err.reason).toBe('InternalError')
    expect(err.message).toMatch(/has no manifest with that digest/)
  })

  it('a wrong Content-Type on HEAD makes the client look at the body instead of guessing', async () => {
    proxy.inject({ match: { method: 'HEAD', kind: 'manifest' }, fault: { type: 'content-type', value: 'text/plain' } })
    proxy.inject({
      match: { method: 'GET', kind: 'manifest' },
      fault: { type: 'content-type', value: 'application/octet-stream' }
    })
    const r = await client.resolve({ domain: proxy.host, path: 'acme/multi', tag: 'v1' })
    expect(r.topDigest).toBe(index.digest)
    expect(r.digest).toBe(index.children[0]!.digest)
  })
})

describe('truncated bodies', () => {
  it('a manifest cut short is retried, and the digest is the real one', async () => {
    proxy.inject({ match: { method: 'HEAD' }, fault: { type: 'no-digest' } })
    proxy.inject({ match: { method: 'GET', kind: 'manifest' }, fault: { type: 'truncate' }, times: 1 })
    expect((await client.resolve(web())).digest).toBe(image.digest)
    expect(proxy.count('GET', 'manifest')).toBe(2)
  })

  it('a manifest always cut short is an error after bounded retries, not a wrong digest', async () => {
    proxy.inject({ match: { method: 'HEAD' }, fault: { type: 'no-digest' } })
    proxy.inject({ match: { method: 'GET', kind: 'manifest' }, fault: { type: 'truncate' } })
    const c = makeClient({ maxRetries: 2 })
    try {
      const err = (await c.resolve(web()).catch((e: unknown) => e)) as RegistryError
      expect(err).toBeInstanceOf(RegistryError)
      expect(err.reason).toBe('InternalError')
      expect(err.message).toMatch(/after 3 attempts/)
      expect(proxy.count('GET', 'manifest')).toBe(3)
    } finally {
      await c.close()
    }
  })
})

describe('retries: 429, 5xx, resets, stalls', () => {
  it('429 with Retry-After in seconds: waits that long, then succeeds', async () => {
    proxy.inject({
      match: { method: 'HEAD' },
      fault: { type: 'status', status: 429, headers: { 'retry-after': '7' } },
      times: 1
    })
    expect((await client.resolve(web())).digest).toBe(image.digest)
    expect(sleeps).toEqual([7000])
    expect(proxy.count('HEAD')).toBe(2)
  })

  it('429 with Retry-After as an HTTP-date: waits until then', async () => {
    const at = new Date(NOW.getTime() + 30_000).toUTCString()
    proxy.inject({
      match: { method: 'HEAD' },
      fault: { type: 'status', status: 429, headers: { 'retry-after': at } },
      times: 1
    })
    expect((await client.resolve(web())).digest).toBe(image.digest)
    expect(sleeps).toEqual([30_000])
  })

  it('Retry-After beyond the cap fails fast with TooManyRequests and what to do', async () => {
    proxy.inject({
      match: { method: 'HEAD' },
      fault: { type: 'status', status: 429, headers: { 'retry-after': '3600' } }
    })
    const err = (await client.resolve(web()).catch((e: unknown) => e)) as RegistryError
    expect(err.reason).toBe('TooManyRequests')
    expect(err.retryAfterSeconds).toBe(3600)
    expect(err.message).toMatch(/retry after 3600 s, longer than the 60 s this client waits; authenticate/)
    expect(sleeps).toEqual([])
    expect(proxy.count('HEAD')).toBe(1)
  })

  it('Docker Hub style 429 with ratelimit-remaining: 0 fails fast', async () => {
    proxy.inject({
      match: { method: 'HEAD' },
      fault: {
        type: 'status',
        status: 429,
        headers: { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600' }
      }
    })
    await expect(client.resolve(web())).rejects.toMatchObject({
      reason: 'TooManyRequests',
      message: expect.stringMatching(/pull rate limit/)
    })
    expect(proxy.count('HEAD')).toBe(1)
  })

  it('a burst of 5xx is retried with growing backoff', async () => {
    proxy.inject({ match: { method: 'HEAD' }, fault: { type: 'status', status: 503 }, times: 2 })
    proxy.inject({ match: { method: 'HEAD' }, fault: { type: 'status', status: 500 }, times: 1 })
    expect((await client.resolve(web())).digest).toBe(image.digest)
    expect(sleeps).toHaveLength(3)
    expect(sleeps[1]!).toBeGreaterThan(sleeps[0]!)
    expect(client.stats().retries).toBe(3)
  })

  it('5xx that never ends gives InternalError after the retry budget', async () => {
    proxy.inject({ match: { method: 'HEAD' }, fault: { type: 'status', status: 502 } })
    const c = makeClient({ maxRetries: 3 })
    try {
      await expect(c.resolve(web())).rejects.toMatchObject({ reason: 'InternalError', status: 502 })
      expect(proxy.count('HEAD')).toBe(4)
    } finally {
      await c.close()
    }
  })

  it('connection resets are retried', async () => {
    proxy.inject({ match: { method: 'HEAD' }, fault: { type: 'reset' }, times: 2 })
    expect((await client.resolve(web())).digest).toBe(image.digest)
    expect(proxy.count('HEAD')).toBe(3)
  })

  it('a stalled response times out and is retried', async () => {
    proxy.inject({ match: { method: 'HEAD' }, fault: { type: 'stall' }, times: 1 })
    const c = makeClient({ timeoutMs: 300 })
    try {
      expect((await c.resolve(web())).digest).toBe(image.digest)
      expect(proxy.count('HEAD')).toBe(2)
    } finally {
      await c.close()
    }
  })

  it('404 is not retried', async () => {
    await expect(client.resolve(web('missing'))).rejects.toMatchObject({ reason: 'NotFound' })
    expect(proxy.count('HEAD')).toBe(1)
  })

  it('added latency changes nothing but time', async () => {
    proxy.inject({ match: { method: 'HEAD' }, fault: { type: 'latency', ms: 50 } })
    expect((await client.resolve(web())).digest).toBe(image.digest)
  })
})

describe('rate-limit headers', () => {
  it('warns once per host when Docker Hub style ratelimit-remaining runs low', async () => {
    proxy.inject({
      match: { method: 'HEAD' },
      fault: { type: 'headers', headers: { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '4;w=21600' } }
    })
    await client.resolve(web())
    await client.resolve(web())
    expect(warnings).toEqual([`${proxy.host}: 4 of 100 pulls left in the 6 h window; authenticate to raise the limit`])
  })

  it('stays quiet while plenty is left', async () => {
    proxy.inject({
      match: { method: 'HEAD' },
      fault: { type: 'headers', headers: { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '76;w=21600' } }
    })
    await client.resolve(web())
    expect(warnings).toEqual([])
  })
})

describe('size bounds', () => {
  it('refuses a manifest larger than the limit', async () => {
    proxy.inject({ match: { method: 'HEAD' }, fault: { type: 'no-digest' } })
    const c = makeClient({ maxManifestBytes: 100 })
    try {
      await expect(c.resolve(web())).rejects.toMatchObject({
        reason: 'Invalid',
        message: expect.stringMatching(/more than the 100 allowed/)
      })
    } finally {
      await c.close()
    }
  })
})
