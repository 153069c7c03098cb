/**
 * Push helpers for tests, in pure Node (global fetch, no docker, curl or skopeo): blobs by POST+PUT, manifests by PUT.
 * The registry checks that referenced blobs exist but not what a layer holds, so a "layer" is a few bytes; the config
 * is a real image config so `created`, labels and platform can be read back. Every helper authenticates itself
 * through `reg.authHeaders(repo)`, so they work in all three auth modes.
 */
import { createHash } from 'node:crypto'
import type { TestRegistry } from './registry.js'

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'

type Target = Pick<TestRegistry, 'url' | 'authHeaders'>

export const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

export async function pushBlob(reg: Target, repo: string, bytes: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(bytes)
  const headers = await reg.authHeaders(repo)
  const head = await fetch(`${reg.url}/v2/${repo}/blobs/${digest}`, { method: 'HEAD', headers })
  if (head.status === 200) return { digest, size: bytes.length }
  const post = await fetch(`${reg.url}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers })
  if (post.status !== 202) throw new Error(`POST blob upload to ${repo}: ${post.status} ${await post.text()}`)
  const location = new URL(post.headers.get('location')!, reg.url) // relative on some registries
  location.searchParams.set('digest', digest)
  const put = await fetch(location, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body: bytes
  })
  if (put.status !== 201) throw new Error(`PUT blob to ${repo}: ${put.status} ${await put.text()}`)
  return { digest, size: bytes.length }
}

/** PUTs a manifest under `ref` (a tag or its digest) and returns the digest of the exact bytes sent. */
export async function pushManifest(
  reg: Target,
  repo: string,
  ref: string,
  manifest: Record<string, unknown> & { mediaType: string }
): Promise<{ digest: string; size: number; mediaType: string }> {
  const body = Buffer.from(JSON.stringify(manifest))
  const digest = sha256(body)
  const res = await fetch(`${reg.url}/v2/${repo}/manifests/${ref === '@' ? digest : ref}`, {
    method: 'PUT',
    headers: { ...(await reg.authHeaders(repo)), 'content-type': manifest.mediaType },
    body
  })
  if (res.status !== 201) throw new Error(`PUT manifest ${repo}:${ref}: ${res.status} ${await res.text()}`)
  const reported = res.headers.get('docker-content-digest')
  if (reported !== digest) throw new Error(`registry reported ${reported} for a manifest hashing to ${digest}`)
  return { digest, size: body.length, mediaType: manifest.mediaType }
}

export interface PushImageOptions {
  os?: string
  arch?: string
  variant?: string
  labels?: Record<string, string>
  /** The config's `created`; default 2024-01-01T00:00:00Z. */
  created?: string
  mediaType?: 'oci' | 'docker'
  /** Anything: different seeds give different layers, so different digests for otherwise equal images. */
  seed?: string
  /** Manifest-level annotations (OCI only). */
  annotations?: Record<string, string>
}

export interface PushedImage {
  digest: string
  size: number
  mediaType: string
  configDigest: string
  /** config + layer sizes, what ImageMetadata.size reports. */
  imageSize: number
}

/** Pushes a one-layer image under `tag` (or by digest only when tag is '@'); returns its manifest digest. */
export async function pushImage(
  reg: Target,
  repo: string,
  tag: string,
  options: PushImageOptions = {}
): Promise<PushedImage> {
  const os = options.os ?? 'linux'
  const arch = options.arch ?? 'amd64'
  const docker = options.mediaType === 'docker'
  const layer = await pushBlob(
    reg,
    repo,
    Buffer.from(`layer ${os}/${arch}/${options.variant ?? ''} ${options.seed ?? ''}`)
  )
  const config: Record<string, unknown> = {
    architecture: arch,
    os,
    created: options.created ?? '2024-01-01T00:00:00Z',
    config: { Labels: options.labels ?? {} },
    rootfs: { type: 'layers', diff_ids: [layer.digest] }
  }
  if (options.variant) config.variant = options.variant
  const cfg = await pushBlob(reg, repo, Buffer.from(JSON.stringify(config)))
  const types = docker
    ? {
        m: DOCKER_MANIFEST,
        c: 'application/vnd.docker.container.image.v1+json',
        l: 'application/vnd.docker.image.rootfs.diff.tar.gzip'
      }
    : {
        m: OCI_MANIFEST,
        c: 'application/vnd.oci.image.config.v1+json',
        l: 'application/vnd.oci.image.layer.v1.tar+gzip'
      }
  const manifest: Record<string, unknown> & { mediaType: string } = {
    schemaVersion: 2,
    mediaType: types.m,
    config: { mediaType: types.c, ...cfg },
    layers: [{ mediaType: types.l, ...layer }]
  }
  if (options.annotations && !docker) manifest.annotations = options.annotations
  const pushed = await pushManifest(reg, repo, tag, manifest)
  return { ...pushed, configDigest: cfg.digest, imageSize: cfg.size + layer.size }
}

export interface PlatformSpec {
  os: string
  architecture: string
  variant?: string
}

export interface PushIndexOptions {
  mediaType?: 'oci' | 'docker'
  /** Add a buildx-style attestation manifest (platform unknown/unknown) for the first child. */
  attestation?: boolean
  /** Put every child after the first into a nested index instead of the top one. */
  nested?: boolean
  seed?: string
  labels?: Record<string, string>
}

export interface PushedIndex {
  digest: string
  mediaType: string
  /** The platform images, in the order pushed (not counting the attestation). */
  children: Array<{ digest: string; mediaType: string; platform: PlatformSpec; configDigest: string }>
  attestationDigest?: string
  nestedDigest?: string
}

export const DEFAULT_PLATFORMS: PlatformSpec[] = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64', variant: 'v8' }
]

/** Pushes one image per platform (by digest), then the index or manifest list under `tag`. */
export async function pushIndex(
  reg: Target,
  repo: string,
  tag: string,
  platforms: PlatformSpec[] = DEFAULT_PLATFORMS,
  options: PushIndexOptions = {}
): Promise<PushedIndex> {
  const docker = options.mediaType === 'docker'
  const indexType = docker ? DOCKER_LIST : OCI_INDEX
  const children: PushedIndex['children'] = []
  for (const p of platforms) {
    const img = await pushImage(reg, repo, '@', {
      os: p.os,
      arch: p.architecture,
      variant: p.variant,
      mediaType: options.mediaType,
      seed: `${options.seed ?? tag} ${repo}`,
      labels: { platform: [p.os, p.architecture, p.variant].filter(Boolean).join('/'), ...options.labels }
    })
    children.push({ digest: img.digest, mediaType: img.mediaType, platform: p, configDigest: img.configDigest })
  }
  const entry = (c: PushedIndex['children'][number]): Record<string, unknown> => ({
    mediaType: c.mediaType,
    digest: c.digest,
    size: 0, // filled below
    platform: c.platform
  })
  const sizes = new Map<string, number>()
  const sized = async (c: PushedIndex['children'][number]): Promise<Record<string, unknown>> => {
    if (!sizes.has(c.digest)) {
      const res = await fetch(`${reg.url}/v2/${repo}/manifests/${c.digest}`, {
        method: 'HEAD',
        headers: { ...(await reg.authHeaders(repo)), accept: `${OCI_MANIFEST}, ${DOCKER_MANIFEST}` }
      })
      sizes.set(c.digest, Number(res.headers.get('content-length')))
    }
    return { ...entry(c), size: sizes.get(c.digest) }
  }
  const entries: Array<Record<string, unknown>> = []
  const result: PushedIndex = { digest: '', mediaType: indexType, children }
  if (options.nested && children.length > 1) {
    entries.push(await sized(children[0]!))
    const inner = await pushManifest(reg, repo, '@', {
      schemaVersion: 2,
      mediaType: indexType,
      manifests: await Promise.all(children.slice(1).map(sized))
    })
    result.nestedDigest = inner.digest
    entries.push({ mediaType: indexType, digest: inner.digest, size: inner.size })
  } else {
    for (const c of children) entries.push(await sized(c))
  }
  if (options.attestation && children.length > 0) {
    // What buildx attaches: an OCI manifest whose layer is an in-toto statement, listed as unknown/unknown.
    const statement = await pushBlob(
      reg,
      repo,
      Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', seed: tag }))
    )
    const emptyConfig = await pushBlob(reg, repo, Buffer.from('{}'))
    const att = await pushManifest(reg, repo, '@', {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...emptyConfig },
      layers: [
        {
          mediaType: 'application/vnd.in-toto+json',
          ...statement,
          annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' }
        }
      ]
    })
    result.attestationDigest = att.digest
    entries.push({
      mediaType: OCI_MANIFEST,
      digest: att.digest,
      size: att.size,
      platform: { architecture: 'unknown', os: 'unknown' },
      annotations: {
        'vnd.docker.reference.digest': children[0]!.digest,
        'vnd.docker.reference.type': 'attestation-manifest'
      }
    })
  }
  const top = await pushManifest(reg, repo, tag, { schemaVersion: 2, mediaType: indexType, manifests: entries })
  result.digest = top.digest
  return result
}

/** DELETE /v2/<repo>/manifests/<digest>; the registry must have delete enabled (the harness does). */
export async function deleteManifest(reg: Target, repo: string, digest: string): Promise<void> {
  const res = await fetch(`${reg.url}/v2/${repo}/manifests/${digest}`, {
    method: 'DELETE',
    headers: await reg.authHeaders(repo)
  })
  if (res.status !== 202) throw new Error(`DELETE ${repo}@${digest}: ${res.status} ${await res.text()}`)
}

/**
 * Makes `tag` disappear. distribution 2.8 cannot delete a tag alone (DELETE by tag is UNSUPPORTED), so this deletes
 * the manifest the tag points at — and with it every other tag on that manifest.
 */
export async function deleteTag(reg: Target, repo: string, tag: string): Promise<void> {
  const res = await fetch(`${reg.url}/v2/${repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      ...(await reg.authHeaders(repo)),
      accept: [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST].join(', ')
    }
  })
  if (res.status !== 200) throw new Error(`HEAD ${repo}:${tag}: ${res.status}`)
  await deleteManifest(reg, repo, res.headers.get('docker-content-digest')!)
}
