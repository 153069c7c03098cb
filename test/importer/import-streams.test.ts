/**
 * The importer against a real registry (loopback docker-registry behind the counting proxy): one lookup per unique
 * reference, failures isolated per tag, allowed-registries, pushed-image matching, and the OpenShift bookkeeping
 * the rules module applies (checked here only where the join of registry and rules matters).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { importStreams, type StreamInput } from '../../src/importer/import-streams.js'
import { createRegistryClient, type InstrumentedRegistryClient } from '../../src/registry/client.js'
import type { ImageStream, TagReference } from '../../src/stream/types.js'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'
import { pushImage, pushIndex, startRegistry, type TestRegistry } from '../support/registry.js'

let reg: TestRegistry
let proxy: FaultProxy
let client: InstrumentedRegistryClient
let web: string
let api: string
let multiAmd64: string
let multiIndex: string

const NOW = '2026-11-21T10:00:00Z'

function tag(name: string, from: string, extra: Partial<TagReference> = {}): TagReference {
  return {
    name,
    annotations: null,
    from: { kind: 'DockerImage', name: from },
    generation: 1,
    importPolicy: { importMode: 'Legacy', scheduled: true },
    referencePolicy: { type: 'Source' },
    ...extra
  }
}

function stream(name: string, tags: TagReference[], namespace?: string): ImageStream {
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: { name, ...(namespace ? { namespace } : {}), generation: 1 },
    spec: { lookupPolicy: { local: false }, tags },
    status: { dockerImageRepository: '' }
  }
}

const input = (s: ImageStream): StreamInput => ({ file: `imagestreams/${s.metadata.name}.yaml`, stream: s })

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  proxy = await startFaultProxy(reg.url)
  web = (await pushImage(reg, 'acme/web', 'v1', { seed: 'web-1' })).digest
  api = (await pushImage(reg, 'acme/api', 'v1', { seed: 'api-1' })).digest
  const idx = await pushIndex(reg, 'acme/multi', 'v1', [
    { os: 'linux', architecture: 'arm64', variant: 'v8' },
    { os: 'linux', architecture: 'amd64' }
  ])
  multiIndex = idx.digest
  multiAmd64 = idx.children.find((c) => c.platform.architecture === 'amd64')!.digest
})

afterAll(async () => {
  await client?.close()
  await proxy?.stop()
  await reg?.stop()
})

function freshClient(): InstrumentedRegistryClient {
  void client?.close()
  client = createRegistryClient({ sleep: async () => {}, maxRetries: 1 })
  return client
}

describe('importStreams', () => {
  it('makes one registry lookup per unique reference, however many tags and streams share it', async () => {
    const from = `${proxy.host}/acme/web:v1`
    const streams = [
      stream('a', [tag('latest', from), tag('stable', from)]),
      stream('b', [tag('latest', from)]),
      stream('c', [tag('api', `${proxy.host}/acme/api:v1`)])
    ]
    proxy.resetCounts()
    const result = await importStreams(
      streams.map(input),
      { kind: 'scheduled' },
      { registry: freshClient(), now: NOW, metadata: false }
    )
    expect(result.lookups).toBe(2)
    expect(proxy.count('HEAD', 'manifest')).toBe(2)
    expect(proxy.count('GET', 'manifest')).toBe(0)
    const a = result.streams.find((s) => s.after.metadata.name === 'a')!.after
    expect(a.status!.tags!.map((t) => [t.tag, t.items![0].image])).toEqual([
      ['latest', web],
      ['stable', web]
    ])
    // The TagEvent records repo@digest, never the tag form (rest.go mostAccuratePullSpec).
    expect(a.status!.tags![0].items![0].dockerImageReference).toBe(`${proxy.host}/acme/web@${web}`)
    expect(result.changes.map((c) => `${c.stream}:${c.tag}`).sort()).toEqual([
      'a:latest',
      'a:stable',
      'b:latest',
      'c:api'
    ])
  })

  it('isolates a failed lookup: NotFound on one tag, the others complete', async () => {
    const streams = [
      stream('mixed', [tag('gone', `${proxy.host}/acme/web:missing`), tag('ok', `${proxy.host}/acme/api:v1`)])
    ]
    const result = await importStreams(
      streams.map(input),
      { kind: 'all' },
      { registry: freshClient(), now: NOW, metadata: false }
    )
    const after = result.streams[0].after
    const gone = after.status!.tags!.find((t) => t.tag === 'gone')!
    expect(gone.conditions).toEqual([
      expect.objectContaining({ type: 'ImportSuccess', status: 'False', reason: 'NotFound' })
    ])
    expect(after.status!.tags!.find((t) => t.tag === 'ok')!.items![0].image).toBe(api)
    expect(result.failures).toEqual([expect.objectContaining({ stream: 'mixed', tag: 'gone', reason: 'NotFound' })])
  })

  it('a second run with nothing new changes nothing (no timestamps moving on every tick)', async () => {
    const first = await importStreams(
      [input(stream('same', [tag('latest', `${proxy.host}/acme/web:v1`)]))],
      { kind: 'scheduled' },
      {
        registry: freshClient(),
        now: NOW,
        metadata: false
      }
    )
    const again = await importStreams(
      [input(first.streams[0].after)],
      { kind: 'scheduled' },
      {
        registry: freshClient(),
        now: '2026-11-21T10:15:00Z',
        metadata: false
      }
    )
    expect(again.streams[0].changed).toBe(false)
    expect(again.streams[0].after).toEqual(first.streams[0].after)
    expect(again.changes).toEqual([])
  })

  it('Legacy mode records the linux/amd64 child of an index; PreserveOriginal records the index', async () => {
    const from = `${proxy.host}/acme/multi:v1`
    const s = stream('multi', [
      tag('legacy', from),
      tag('preserve', from, { importPolicy: { importMode: 'PreserveOriginal', scheduled: true } })
    ])
    const result = await importStreams(
      [input(s)],
      { kind: 'all' },
      { registry: freshClient(), now: NOW, metadata: false }
    )
    const items = Object.fromEntries(result.streams[0].after.status!.tags!.map((t) => [t.tag, t.items![0].image]))
    expect(items).toEqual({ legacy: multiAmd64, preserve: multiIndex })
    expect(result.lookups).toBe(2) // same reference, different import mode: two lookups
  })

  it('refuses a registry outside allowed-registries with an ImportSuccess=False Forbidden condition', async () => {
    const s = stream('guarded', [tag('latest', `${proxy.host}/acme/web:v1`)])
    proxy.resetCounts()
    const result = await importStreams(
      [input(s)],
      { kind: 'all' },
      {
        registry: freshClient(),
        now: NOW,
        metadata: false,
        allowedRegistries: ['ghcr.io/acme']
      }
    )
    expect(proxy.count()).toBe(0)
    expect(result.failures).toEqual([expect.objectContaining({ tag: 'latest', reason: 'Forbidden' })])
    expect(result.failures[0].message).toContain('allowed-registries')
  })

  it('a pushed image imports exactly the tags that follow it, and confirms the given digest', async () => {
    const s = stream('pushed', [
      tag('main', `${proxy.host}/acme/web:v1`, { importPolicy: { importMode: 'Legacy' } }),
      tag('other', `${proxy.host}/acme/api:v1`, { importPolicy: { importMode: 'Legacy' } })
    ])
    const result = await importStreams(
      [input(s)],
      { kind: 'pushed', image: `${proxy.host}/acme/web:v1`, digest: web, source: 'test' },
      {
        registry: freshClient(),
        now: NOW,
        metadata: false
      }
    )
    const tags = result.streams[0].after.status!.tags!
    expect(tags.map((t) => t.tag)).toEqual(['main'])

    // Streams that do not follow the pushed image are not touched at all (not even generation bookkeeping).
    const unrelated = stream('unrelated', [tag('x', `${proxy.host}/acme/api:v1`)])
    const both = await importStreams(
      [input(s), input(unrelated)],
      { kind: 'pushed', image: `${proxy.host}/acme/web:v1`, source: 'test' },
      {
        registry: freshClient(),
        now: NOW,
        metadata: false
      }
    )
    expect(both.streams.map((r) => r.file)).toEqual(['imagestreams/pushed.yaml'])
    expect(tags[0].items![0].image).toBe(web)

    // A digest the registry does not have is not recorded.
    const bogus = `sha256:${'0'.repeat(64)}`
    const bad = await importStreams(
      [input(s)],
      { kind: 'pushed', image: `${proxy.host}/acme/web:v1`, digest: bogus, source: 'test' },
      {
        registry: freshClient(),
        now: NOW,
        metadata: false
      }
    )
    expect(bad.failures).toEqual([expect.objectContaining({ tag: 'main', reason: 'NotFound' })])
    const items = bad.streams[0].after.status!.tags!.flatMap((t) => t.items ?? [])
    expect(items.map((i) => i.image)).not.toContain(bogus)
  })

  it('reads created time and source/revision labels of both images when a tag moves (for compare links)', async () => {
    await pushImage(reg, 'acme/labelled', 'v1', {
      seed: 'labelled-1',
      labels: {
        'org.opencontainers.image.source': 'https://github.com/acme/labelled',
        'org.opencontainers.image.revision': '1111111'
      }
    })
    const s = stream('labelled', [tag('latest', `${proxy.host}/acme/labelled:v1`)])
    const first = await importStreams([input(s)], { kind: 'all' }, { registry: freshClient(), now: NOW })
    // A first import has nothing to compare with: no extra reads for it.
    expect(first.changes[0].newProvenance).toBeUndefined()

    await pushImage(reg, 'acme/labelled', 'v1', {
      seed: 'labelled-2',
      created: '2026-01-02T03:04:05Z',
      labels: {
        'org.opencontainers.image.source': 'https://github.com/acme/labelled',
        'org.opencontainers.image.revision': '2222222'
      }
    })
    proxy.resetCounts()
    const moved = await importStreams(
      [input(first.streams[0].after)],
      { kind: 'all' },
      { registry: freshClient(), now: NOW }
    )
    expect(moved.changes[0]).toEqual(
      expect.objectContaining({
        created: '2026-01-02T03:04:05Z',
        oldProvenance: { source: 'https://github.com/acme/labelled', revision: '1111111' },
        newProvenance: { source: 'https://github.com/acme/labelled', revision: '2222222' }
      })
    )
    // HEAD; the move confirmed by one GET of the manifest (reused for the metadata); the old image's manifest.
    expect(proxy.count('HEAD', 'manifest')).toBe(1)
    expect(proxy.count('GET', 'manifest')).toBe(2)
  })
})
