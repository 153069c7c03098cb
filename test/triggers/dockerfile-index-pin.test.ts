/**
 * "A multi-arch base pins the index digest; a single-platform pin stays a platform digest", end to end: a real
 * registry (loopback docker-registry) holds a two-platform index, the importer records the tag in Legacy mode (the
 * TagEvent holds the linux/amd64 child, as OpenShift's importer does) and the index it came from, and the Dockerfile
 * rewrite pins the index, except where the Dockerfile already pinned a platform image.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { importStreams } from '../../src/importer/import-streams.js'
import { createRegistryClient, type InstrumentedRegistryClient } from '../../src/registry/client.js'
import { INDEX_DIGESTS_ANNOTATION, readIndexDigests } from '../../src/stream/rules/index-digests.js'
import type { ImageStream, TagReference } from '../../src/stream/types.js'
import { rewriteManifests } from '../../src/triggers/rewrite.js'
import { pushIndex, startRegistry, type PushedIndex, type TestRegistry } from '../support/registry.js'

let reg: TestRegistry
let client: InstrumentedRegistryClient

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  client = createRegistryClient({ sleep: async () => {}, maxRetries: 1 })
})
afterAll(async () => {
  await client?.close()
  await reg?.stop()
})

function baseStream(importMode: 'Legacy' | 'PreserveOriginal'): ImageStream {
  const tag: TagReference = {
    name: 'latest',
    annotations: null,
    from: { kind: 'DockerImage', name: `${reg.host}/ubi9/python-311:latest` },
    generation: 1,
    importPolicy: { importMode, insecure: true },
    referencePolicy: { type: 'Source' }
  }
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: { name: 'base', generation: 1 },
    spec: { lookupPolicy: { local: false }, tags: [tag] },
    status: { dockerImageRepository: '' }
  }
}

async function importBase(stream: ImageStream, now: string): Promise<ImageStream> {
  const run = await importStreams(
    [{ file: 'imagestreams/base.yaml', stream }],
    { kind: 'all' },
    { registry: client, now, metadata: false }
  )
  expect(run.failures).toEqual([])
  return run.streams[0].after
}

const amd64 = (idx: PushedIndex) => idx.children.find((c) => c.platform.architecture === 'amd64')!.digest
const marker = '# {"$imagestream": "base:latest"}'

describe('multi-arch Dockerfile pins', () => {
  it('pins the index though the tag imports in Legacy mode; a platform pin stays a platform pin', async () => {
    const v1 = await pushIndex(reg, 'ubi9/python-311', 'latest', undefined, { seed: 'py-1' })
    let stream = await importBase(baseStream('Legacy'), '2026-11-29T10:00:00Z')
    const event = stream.status!.tags![0].items![0]
    expect(event.image).toBe(amd64(v1)) // OpenShift's Legacy import records the platform child
    expect(readIndexDigests(stream)).toEqual({ [amd64(v1)]: v1.digest })

    const repo = `${reg.host}/ubi9/python-311`
    const files = [
      { path: 'app/Dockerfile', text: `${marker}\nFROM ${repo}:latest\n` },
      { path: 'worker/Containerfile', text: `${marker}\nFROM ${repo}@${amd64(v1)}\n` }
    ]
    let out = rewriteManifests(files, [stream])
    expect(out.changed.map((c) => [c.path, c.text])).toEqual([
      ['app/Dockerfile', `${marker}\nFROM ${repo}@${v1.digest}\n`]
    ])

    // The base moves: the index pin follows the new index, the platform pin the new platform image.
    const v2 = await pushIndex(reg, 'ubi9/python-311', 'latest', undefined, { seed: 'py-2' })
    stream = await importBase(stream, '2026-11-29T11:00:00Z')
    expect(readIndexDigests(stream)).toEqual({ [amd64(v1)]: v1.digest, [amd64(v2)]: v2.digest })
    out = rewriteManifests([{ path: 'app/Dockerfile', text: out.changed[0].text }, files[1]], [stream])
    expect(out.changed.map((c) => [c.path, c.text])).toEqual([
      ['app/Dockerfile', `${marker}\nFROM ${repo}@${v2.digest}\n`],
      ['worker/Containerfile', `${marker}\nFROM ${repo}@${amd64(v2)}\n`]
    ])
    // The YAML manifests of the same stream still get what OpenShift writes: the platform image.
    const deploy = 'containers:\n- image: x # {"$imagestream": "base:latest"}\n'
    expect(rewriteManifests([{ path: 'k.yaml', text: deploy }], [stream]).changed[0].text).toContain(
      `${repo}@${amd64(v2)}`
    )
  })

  it('records nothing for a PreserveOriginal tag: its TagEvent already is the index', async () => {
    const v3 = await pushIndex(reg, 'ubi9/python-311', 'latest', undefined, { seed: 'py-3' })
    const stream = await importBase(baseStream('PreserveOriginal'), '2026-11-29T12:00:00Z')
    expect(stream.status!.tags![0].items![0].image).toBe(v3.digest)
    expect(stream.metadata.annotations?.[INDEX_DIGESTS_ANNOTATION]).toBeUndefined()
    const out = rewriteManifests([{ path: 'Dockerfile', text: `${marker}\nFROM python\n` }], [stream])
    expect(out.changed[0].text).toBe(`${marker}\nFROM ${reg.host}/ubi9/python-311@${v3.digest}\n`)
  })
})
