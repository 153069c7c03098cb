/**
 * The client against a real registry (Debian's docker-registry, open mode) behind the counting fault proxy.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createRegistryClient, type InstrumentedRegistryClient } from '../../src/registry/client.js'
import { RegistryError } from '../../src/registry/errors.js'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'
import {
  DOCKER_LIST,
  DOCKER_MANIFEST,
  OCI_INDEX,
  OCI_MANIFEST,
  type PushedImage,
  type PushedIndex
} from '../support/push.js'
import { pushImage, pushIndex, startRegistry, type TestRegistry } from '../support/registry.js'

let reg: TestRegistry
let proxy: FaultProxy
let client: InstrumentedRegistryClient
let oci: PushedImage
let docker: PushedImage
let multi: PushedIndex
let multiDocker: PushedIndex
let nested: PushedIndex

const ref = (
  path: string,
  tag?: string,
  digest?: string
): { domain: string; path: string; tag?: string; digest?: string } => ({
  domain: proxy.host,
  path,
  ...(tag ? { tag } : {}),
  ...(digest ? { digest } : {})
})

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  proxy = await startFaultProxy(reg.url)
  oci = await pushImage(reg, 'acme/web', 'v1', {
    labels: {
      'org.opencontainers.image.source': 'https://github.com/acme/web',
      'org.opencontainers.image.revision': 'abc123'
    },
    created: '2025-03-04T05:06:07Z',
    annotations: { 'org.opencontainers.image.version': '1.0.0' }
  })
  docker = await pushImage(reg, 'acme/web', 'v1-docker', { mediaType: 'docker', seed: 'docker' })
  multi = await pushIndex(
    reg,
    'acme/multi',
    'v1',
    [
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm', variant: 'v7' }
    ],
    { attestation: true }
  )
  multiDocker = await pushIndex(reg, 'acme/multi', 'v1-docker', undefined, { mediaType: 'docker' })
  nested = await pushIndex(
    reg,
    'acme/nested',
    'v1',
    [
      { os: 'linux', architecture: 'ppc64le' },
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 's390x' }
    ],
    { nested: true, seed: 'nested' }
  )
})

afterAll(async () => {
  await proxy?.stop()
  await reg?.stop()
})

beforeEach(() => {
  client = createRegistryClient()
  proxy.resetCounts()
  proxy.clear()
})

afterEach(async () => client.close())

describe('resolve against a real registry', () => {
  it('resolves an OCI image tag with exactly one HEAD and no GET', async () => {
    const r = await client.resolve(ref('acme/web', 'v1'))
    expect(r).toEqual({
      digest: oci.digest,
      mediaType: OCI_MANIFEST,
      topDigest: oci.digest,
      topMediaType: OCI_MANIFEST
    })
    expect(proxy.count('HEAD', 'manifest')).toBe(1)
    expect(proxy.count('GET')).toBe(0)
    expect(client.stats()).toMatchObject({ head: 1, get: 0 })
  })

  it('resolves a Docker v2 image tag (one HEAD, no GET)', async () => {
    const r = await client.resolve(ref('acme/web', 'v1-docker'))
    expect(r.digest).toBe(docker.digest)
    expect(r.mediaType).toBe(DOCKER_MANIFEST)
    expect(proxy.count()).toBe(1)
  })

  it('resolves by digest, and by tag+digest (the digest wins)', async () => {
    expect((await client.resolve(ref('acme/web', undefined, oci.digest))).digest).toBe(oci.digest)
    expect((await client.resolve(ref('acme/web', 'v1-docker', oci.digest))).digest).toBe(oci.digest)
    expect(proxy.count('GET')).toBe(0)
  })

  it('Legacy: picks linux/amd64 from an OCI index, skipping the attestation, and lists the children', async () => {
    const r = await client.resolve(ref('acme/multi', 'v1'))
    const amd64 = multi.children[1]!
    expect(r.digest).toBe(amd64.digest)
    expect(r.mediaType).toBe(OCI_MANIFEST)
    expect(r.topDigest).toBe(multi.digest)
    expect(r.topMediaType).toBe(OCI_INDEX)
    expect(r.platform).toEqual({ os: 'linux', architecture: 'amd64' })
    expect(r.manifests!.map((m) => m.digest)).toEqual(multi.children.map((c) => c.digest))
    expect(r.manifests!.map((m) => m.digest)).not.toContain(multi.attestationDigest)
    expect(r.manifests!.map((m) => m.platform)).toEqual([
      { os: 'linux', architecture: 'arm64' },
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm', variant: 'v7' }
    ])
    // one HEAD for the tag, one GET of the index by its digest; children are never fetched
    expect(proxy.log).toEqual([
      `HEAD manifest /v2/acme/multi/manifests/v1`,
      `GET manifest /v2/acme/multi/manifests/${multi.digest}`
    ])
  })

  it('Legacy honours a configured platform and prefer-arch / prefer-os', async () => {
    expect(
      (await client.resolve(ref('acme/multi', 'v1'), { platform: { os: 'linux', architecture: 'arm', variant: 'v7' } }))
        .digest
    ).toBe(multi.children[2]!.digest)
    expect((await client.resolve(ref('acme/multi', 'v1'), { preferArch: 'aarch64' })).digest).toBe(
      multi.children[0]!.digest
    )
    // prefer-arch wins over the configured platform
    expect(
      (
        await client.resolve(ref('acme/multi', 'v1'), {
          preferArch: 'arm64',
          platform: { os: 'linux', architecture: 'amd64' }
        })
      ).digest
    ).toBe(multi.children[0]!.digest)
    // nothing matches: linux/amd64
    expect((await client.resolve(ref('acme/multi', 'v1'), { preferArch: 'riscv64' })).digest).toBe(
      multi.children[1]!.digest
    )
  })

  it('manifestFromManifestList: prefer-arch alone fills the OS from the platform (linux), so windows/arm64 first is skipped', async () => {
    const win = await pushIndex(reg, 'acme/win-first', 'v1', [
      { os: 'windows', architecture: 'arm64' },
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' }
    ])
    const pick = async (o: { preferArch?: string; preferOs?: string }) =>
      (await client.resolve(ref('acme/win-first', 'v1'), o)).digest
    expect(await pick({ preferArch: 'arm64' })).toBe(win.children[2]!.digest)
    // Both must match: prefer-os windows with the default arch (amd64) is not windows/arm64; linux/amd64 is next.
    expect(await pick({ preferOs: 'windows' })).toBe(win.children[1]!.digest)
    expect(await pick({ preferOs: 'windows', preferArch: 'arm64' })).toBe(win.children[0]!.digest)
  })

  it('PreserveOriginal keeps the index digest and lists the per-platform children', async () => {
    const r = await client.resolve(ref('acme/multi', 'v1'), { importMode: 'PreserveOriginal' })
    expect(r.digest).toBe(multi.digest)
    expect(r.mediaType).toBe(OCI_INDEX)
    expect(r.platform).toBeUndefined()
    expect(r.manifests).toHaveLength(3)
  })

  it('PreserveOriginal without listing children costs one HEAD', async () => {
    const r = await client.resolve(ref('acme/multi', 'v1'), { importMode: 'PreserveOriginal', listChildren: false })
    expect(r.digest).toBe(multi.digest)
    expect(r.manifests).toBeUndefined()
    expect(proxy.log).toEqual(['HEAD manifest /v2/acme/multi/manifests/v1'])
  })

  it('resolves a Docker manifest list', async () => {
    const r = await client.resolve(ref('acme/multi', 'v1-docker'))
    expect(r.topDigest).toBe(multiDocker.digest)
    expect(r.topMediaType).toBe(DOCKER_LIST)
    expect(r.digest).toBe(multiDocker.children[0]!.digest)
    expect(r.mediaType).toBe(DOCKER_MANIFEST)
  })

  it('recurses into a nested index and flattens its children', async () => {
    const r = await client.resolve(ref('acme/nested', 'v1'))
    expect(r.digest).toBe(nested.children[1]!.digest) // linux/amd64, inside the nested index
    expect(r.topDigest).toBe(nested.digest)
    expect(r.manifests!.map((m) => m.platform.architecture)).toEqual(['ppc64le', 'amd64', 's390x'])
    expect(proxy.count('GET', 'manifest')).toBe(2) // the top index and the nested one, both by digest
  })

  it('reports NotFound for a missing tag and a missing repository, saying what to check', async () => {
    const err = await client.resolve(ref('acme/web', 'nope')).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RegistryError)
    expect((err as RegistryError).reason).toBe('NotFound')
    expect((err as RegistryError).message).toContain(`${proxy.host}/acme/web:nope`)
    expect((err as RegistryError).message).toMatch(/check the repository and tag/)
    await expect(client.resolve(ref('acme/absent', 'v1'))).rejects.toMatchObject({ reason: 'NotFound' })
    await expect(client.resolve(ref('acme/web', undefined, `sha256:${'a'.repeat(64)}`))).rejects.toMatchObject({
      reason: 'NotFound'
    })
  })

  it('serves many concurrent resolves through the concurrency limit', async () => {
    const limited = createRegistryClient({ concurrency: 2 })
    try {
      const results = await Promise.all(Array.from({ length: 20 }, () => limited.resolve(ref('acme/web', 'v1'))))
      expect(new Set(results.map((r) => r.digest))).toEqual(new Set([oci.digest]))
      expect(limited.stats().head).toBe(20)
    } finally {
      await limited.close()
    }
  })
})

describe('metadata from the config blob', () => {
  it('reads created, labels, platform, size and manifest annotations of an image', async () => {
    const m = await client.metadata(ref('acme/web', 'v1'))
    expect(m).toEqual({
      digest: oci.digest,
      created: '2025-03-04T05:06:07Z',
      labels: {
        'org.opencontainers.image.source': 'https://github.com/acme/web',
        'org.opencontainers.image.revision': 'abc123'
      },
      os: 'linux',
      architecture: 'amd64',
      size: oci.imageSize,
      annotations: { 'org.opencontainers.image.version': '1.0.0' }
    })
    expect(proxy.count('GET', 'blob')).toBe(1)
  })

  it('describes the platform a Legacy import would pick for an index', async () => {
    const m = await client.metadata(ref('acme/multi', 'v1'), { platform: { os: 'linux', architecture: 'arm64' } })
    expect(m.digest).toBe(multi.children[0]!.digest)
    expect(m.labels).toEqual({ platform: 'linux/arm64/v8' })
    expect(m.architecture).toBe('arm64')
    expect(m.variant).toBe('v8')
    expect(m.platform).toEqual({ os: 'linux', architecture: 'arm64' })
  })

  it('fails on a config blob cut short instead of returning partial metadata', async () => {
    proxy.inject({ match: { method: 'GET', kind: 'blob' }, fault: { type: 'truncate', bytes: 10 } })
    const c = createRegistryClient({ maxRetries: 1, sleep: async () => {} })
    try {
      const err = await c.metadata(ref('acme/web', 'v1')).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(RegistryError)
      expect((err as RegistryError).reason).toBe('InternalError')
      expect(proxy.count('GET', 'blob')).toBe(2) // tried, retried once, gave up
    } finally {
      await c.close()
    }
  })
})

describe('tag listing', () => {
  it('lists every tag, sorted', async () => {
    expect(await client.listTags(ref('acme/web'))).toEqual(['v1', 'v1-docker'])
  })

  it('follows relative Link headers across pages', async () => {
    const many = ['b', 'a', 'c10', 'c2', 'd', 'e', 'f']
    for (const t of many) await pushImage(reg, 'acme/paged', t, { seed: t })
    proxy.inject({ match: { kind: 'tags' }, fault: { type: 'paginate-tags', pageSize: 2 } })
    expect(await client.listTags(ref('acme/paged'))).toEqual(['a', 'b', 'c10', 'c2', 'd', 'e', 'f'])
    expect(proxy.count('GET', 'tags')).toBe(4)
  })
})
