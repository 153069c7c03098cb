/**
 * Policy tags in the importer against the real loopback registry behind the counting proxy: one tag listing per
 * repository per run however many policy tags (in however many streams) read it, a push of any tag to the repository
 * re-evaluates the policy, and a broken annotation fails that tag only, with the field named.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { importStreams, type StreamInput } from '../../src/importer/import-streams.js'
import { createRegistryClient, type InstrumentedRegistryClient } from '../../src/registry/client.js'
import type { ImageStream, TagReference } from '../../src/stream/types.js'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'

let reg: TestRegistry
let proxy: FaultProxy
let client: InstrumentedRegistryClient
const digests: Record<string, string> = {}
const NOW = '2026-11-21T10:00:00Z'

function tag(name: string, from: string, annotations: Record<string, string>): TagReference {
  return {
    name,
    annotations,
    from: { kind: 'DockerImage', name: from },
    generation: 1,
    importPolicy: { importMode: 'Legacy', scheduled: true },
    referencePolicy: { type: 'Source' }
  }
}

function stream(name: string, tags: TagReference[]): StreamInput {
  const s: ImageStream = {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: { name, generation: 1 },
    spec: { lookupPolicy: { local: false }, tags },
    status: { dockerImageRepository: '' }
  }
  return { file: `imagestreams/${name}.yaml`, stream: s }
}

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  proxy = await startFaultProxy(reg.url)
  for (const t of ['1.0.0', '1.1.0', '2.0.0', 'main-100', 'main-200']) {
    digests[t] = (await pushImage(reg, 'acme/shared', t, { seed: t })).digest
  }
  client = createRegistryClient({ sleep: async () => {}, maxRetries: 1 })
})

afterAll(async () => {
  await client?.close()
  await proxy?.stop()
  await reg?.stop()
})

describe('policy tags in importStreams', () => {
  it('lists a repository once per run for every policy tag reading it, and resolves each winner only', async () => {
    const from = `${proxy.host}/acme/shared:1.0.0`
    const inputs = [
      stream('a', [
        tag('v1', from, { 'imagestream-action.dev/policy': 'semver:^1' }),
        tag('any', from, { 'imagestream-action.dev/policy': 'semver:*' })
      ]),
      stream('b', [
        tag('main', from, {
          'imagestream-action.dev/policy': 'numerical:asc',
          'imagestream-action.dev/filter': '^main-(?<n>\\d+)$',
          'imagestream-action.dev/extract': '$n'
        })
      ])
    ]
    proxy.resetCounts()
    const run = await importStreams(inputs, { kind: 'scheduled' }, { registry: client, now: NOW, metadata: false })
    expect(run.failures).toEqual([])
    expect(proxy.count('GET', 'tags')).toBe(1)
    expect(proxy.count('HEAD', 'manifest')).toBe(3)
    const a = run.streams.find((s) => s.file.endsWith('a.yaml'))!.after
    const b = run.streams.find((s) => s.file.endsWith('b.yaml'))!.after
    expect(a.spec.tags!.map((t) => t.from!.name)).toEqual([
      `${proxy.host}/acme/shared:1.1.0`,
      `${proxy.host}/acme/shared:2.0.0`
    ])
    expect(b.status!.tags![0]!.items![0]!.image).toBe(digests['main-200'])
    expect(run.policy.map((d) => `${d.stream}:${d.tag} ${d.kind} ${d.from} → ${d.to}`)).toEqual([
      'a:v1 moved 1.0.0 → 1.1.0',
      'a:any moved 1.0.0 → 2.0.0',
      'b:main moved 1.0.0 → main-200'
    ])
  })

  it('re-evaluates a policy tag when any tag of its repository is pushed', async () => {
    const inputs = [
      stream('c', [tag('stable', `${proxy.host}/acme/shared:1.0.0`, { 'imagestream-action.dev/policy': 'semver:^1' })])
    ]
    const pushed = await pushImage(reg, 'acme/shared', '1.2.0', { seed: '1.2.0' })
    const run = await importStreams(
      inputs,
      { kind: 'pushed', image: `${proxy.host}/acme/shared:1.2.0`, source: 'registry_package' },
      { registry: client, now: NOW, metadata: false }
    )
    expect(run.streams[0]!.after.spec.tags![0]!.from!.name).toBe(`${proxy.host}/acme/shared:1.2.0`)
    expect(run.changes.map((c) => c.newDigest)).toEqual([pushed.digest])
  })

  it('fails only the tag whose policy annotation is broken, naming the field; the other tags import', async () => {
    const from = `${proxy.host}/acme/shared:1.0.0`
    const inputs = [
      stream('d', [
        tag('bad', from, { 'imagestream-action.dev/policy': 'semver:^^1' }),
        tag('good', from, { 'imagestream-action.dev/policy': 'semver:~1.0' })
      ])
    ]
    const run = await importStreams(inputs, { kind: 'scheduled' }, { registry: client, now: NOW, metadata: false })
    expect(run.failures).toEqual([
      expect.objectContaining({
        tag: 'bad',
        reason: 'Invalid',
        message: expect.stringContaining(
          'imagestreams/d.yaml: spec.tags[0].annotations["imagestream-action.dev/policy"]: "^^1" is not'
        )
      })
    ])
    expect(run.streams[0]!.after.status!.tags!.find((t) => t.tag === 'good')!.items![0]!.image).toBe(digests['1.0.0'])
  })
})
