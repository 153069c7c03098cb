/**
 * What an import records is the reference as the user wrote it, made exact, as OpenShift's importer does
 * (openshift-apiserver pkg/image/apiserver/importer/importer.go `importImages`: `ref.MostSpecific().Exact()` on
 * library-go `reference.Parse(from.name)`, which applies no defaults; `repo.Ref` is the first spec image of each
 * repository). The connection still goes to the canonical host.
 *
 * Docker Hub is not reachable from tests, so the registry client is routed: every `docker.io` repository is served
 * by the real loopback registry (as a cluster's ImageDigestMirrorSet would). The answers are the registry's own.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { importStreams, type StreamInput } from '../../src/importer/import-streams.js'
import { createRegistryClient, type InstrumentedRegistryClient } from '../../src/registry/client.js'
import type { RegistryClient } from '../../src/registry/types.js'
import type { ImageReference } from '../../src/reference/types.js'
import type { ImageStream, TagReference } from '../../src/stream/types.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'

let reg: TestRegistry
let client: InstrumentedRegistryClient
let web: string
const connected: string[] = []
const NOW = '2026-11-30T02:00:00Z'

/** Every docker.io repository is served by the loopback registry; what was asked for is remembered. */
function routedToLoopback(real: RegistryClient): RegistryClient {
  const route = (ref: ImageReference): ImageReference => {
    connected.push(`${ref.domain}/${ref.path}`)
    return ref.domain === 'docker.io' ? { ...ref, domain: reg.host } : ref
  }
  return {
    resolve: (ref, o) => real.resolve(route(ref), o),
    listTags: (ref, o) => real.listTags(route(ref), o),
    metadata: (ref, o) => real.metadata(route(ref), o),
    close: () => real.close()
  }
}

function tag(name: string, from: string): TagReference {
  return {
    name,
    annotations: null,
    from: { kind: 'DockerImage', name: from },
    generation: 1,
    importPolicy: { importMode: 'Legacy' },
    referencePolicy: { type: 'Source' }
  }
}

function stream(name: string, tags: TagReference[]): ImageStream {
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: { name, generation: 1 },
    spec: { lookupPolicy: { local: false }, tags },
    status: { dockerImageRepository: '' }
  }
}

const input = (s: ImageStream): StreamInput => ({ file: `imagestreams/${s.metadata.name}.yaml`, stream: s })

async function importOne(s: ImageStream): Promise<ImageStream> {
  connected.length = 0
  const result = await importStreams([input(s)], { kind: 'all' }, { registry: routedToLoopback(client), now: NOW })
  expect(result.failures).toEqual([])
  return result.streams[0].after
}

const recorded = (s: ImageStream, t: string) => s.status!.tags!.find((x) => x.tag === t)!.items![0].dockerImageReference

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  web = (await pushImage(reg, 'library/web', '1.25', { seed: 'hub-web' })).digest
  await pushImage(reg, 'acme/api', 'v1', { seed: 'hub-api' })
  client = createRegistryClient({ sleep: async () => {}, maxRetries: 1, insecureRegistries: [reg.host] })
})

afterAll(async () => {
  await client?.close()
  await reg?.stop()
})

describe('importImages: the reference is recorded as written (ref.MostSpecific().Exact())', () => {
  it('from: web:1.25 records web@sha256:… and connects to docker.io/library/web', async () => {
    const after = await importOne(stream('short', [tag('stable', 'web:1.25')]))
    expect(recorded(after, 'stable')).toBe(`web@${web}`)
    expect(after.status!.tags![0].items![0].image).toBe(web)
    expect(connected).toContain('docker.io/library/web')
    // ensureSpecTag keeps from as written too.
    expect(after.spec.tags![0].from).toEqual({ kind: 'DockerImage', name: 'web:1.25' })
  })

  it('index.docker.io/… and docker.io/library/… are kept as written, not rewritten', async () => {
    const legacy = await importOne(stream('legacy', [tag('a', 'index.docker.io/web:1.25')]))
    expect(recorded(legacy, 'a')).toBe(`index.docker.io/web@${web}`)
    const long = await importOne(stream('long', [tag('a', 'docker.io/library/web:1.25')]))
    expect(recorded(long, 'a')).toBe(`docker.io/library/web@${web}`)
    const ns = await importOne(stream('ns', [tag('a', 'acme/api:v1')]))
    expect(recorded(ns, 'a')).toMatch(/^acme\/api@sha256:[0-9a-f]{64}$/)
  })

  it('one repository written two ways in one stream is recorded in the first form (importImages repo.Ref)', async () => {
    const after = await importOne(stream('both', [tag('a', 'web:1.25'), tag('b', 'docker.io/library/web:1.25')]))
    expect(recorded(after, 'a')).toBe(`web@${web}`)
    expect(recorded(after, 'b')).toBe(`web@${web}`)
  })

  it('a loopback registry keeps its host and port', async () => {
    const after = await importOne(stream('local', [tag('a', `${reg.host}/library/web:1.25`)]))
    expect(recorded(after, 'a')).toBe(`${reg.host}/library/web@${web}`)
  })
})
