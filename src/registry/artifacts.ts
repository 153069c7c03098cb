/**
 * Reading signature artifacts (for src/verify): a manifest as raw JSON by tag or digest, a blob by digest, and the
 * OCI 1.1 referrers API. The client's authenticated `send` does the exchange; this module knows only the endpoints
 * (distribution-spec "Pulling manifests", "Pulling blobs", "Listing Referrers").
 */
import { RegistryError } from './errors.js'
import { digestOf, isValidDigest } from './manifest.js'
import { MANIFEST_ACCEPT, OCI_INDEX, bareMediaType } from './media-types.js'
import type { HttpRequest, HttpResponse } from './transport.js'
import type { ArtifactDescriptor, ArtifactManifest } from './types.js'

/** What the client lends this module: the authenticated exchange and where the repository lives. */
export interface ArtifactSender {
  send(req: HttpRequest): Promise<HttpResponse>
  base: string
  path: string
  name: string
  maxManifestBytes: number
  maxBlobBytes: number
}

function parseJson(body: Buffer, where: string): Record<string, unknown> {
  try {
    const raw = JSON.parse(body.toString('utf8')) as unknown
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>
  } catch {
    // fall through
  }
  throw new RegistryError('Invalid', `${where}: not a JSON object`)
}

/** A manifest by tag or digest; undefined on 404. The digest is always computed from the bytes. */
export async function getArtifact(s: ArtifactSender, reference: string): Promise<ArtifactManifest | undefined> {
  const where = `${s.name}${isValidDigest(reference) ? '@' : ':'}${reference}`
  const res = await s.send({
    method: 'GET',
    url: `${s.base}/v2/${s.path}/manifests/${reference}`,
    headers: { accept: MANIFEST_ACCEPT },
    kind: 'manifest',
    maxBodyBytes: s.maxManifestBytes
  })
  if (res.status === 404) return undefined
  if (res.status !== 200) {
    throw new RegistryError(statusReason(res.status), `${where}: fetching failed with ${res.status}`)
  }
  const digest = digestOf(res.body, isValidDigest(reference) ? reference : undefined)
  if (isValidDigest(reference) && digest !== reference) {
    throw new RegistryError('InternalError', `${where}: the manifest received hashes to ${digest}; retry`)
  }
  return { digest, mediaType: bareMediaType(res.headers['content-type']), json: parseJson(res.body, where) }
}

/** A blob by digest, its bytes checked against the digest. */
export async function getArtifactBlob(s: ArtifactSender, digest: string): Promise<Buffer> {
  if (!isValidDigest(digest)) throw new RegistryError('Invalid', `${s.name}: "${digest}" is not a digest`)
  const res = await s.send({
    method: 'GET',
    url: `${s.base}/v2/${s.path}/blobs/${digest}`,
    kind: 'blob',
    maxBodyBytes: s.maxBlobBytes
  })
  if (res.status !== 200) {
    const message = `${s.name}@${digest}: fetching the blob failed with ${res.status}`
    throw new RegistryError(statusReason(res.status), message)
  }
  const actual = digestOf(res.body, digest)
  if (actual !== digest) {
    throw new RegistryError('InternalError', `${s.name}: blob ${digest} hashes to ${actual}; retry`)
  }
  return res.body
}

/** The referrers of a digest, or undefined when the registry has no referrers API (it answered 404). */
export async function getReferrers(s: ArtifactSender, digest: string): Promise<ArtifactDescriptor[] | undefined> {
  const res = await s.send({
    method: 'GET',
    url: `${s.base}/v2/${s.path}/referrers/${digest}`,
    headers: { accept: OCI_INDEX },
    kind: 'manifest',
    maxBodyBytes: s.maxManifestBytes
  })
  if (res.status === 404) return undefined
  if (res.status !== 200) {
    const message = `${s.name}@${digest}: listing referrers failed with ${res.status}`
    throw new RegistryError(statusReason(res.status), message)
  }
  return indexDescriptors(parseJson(res.body, `${s.name} referrers of ${digest}`))
}

/** The `manifests` of an OCI index (a referrers answer or a fallback tag), malformed entries dropped. */
export function indexDescriptors(index: Record<string, unknown>): ArtifactDescriptor[] {
  const out: ArtifactDescriptor[] = []
  for (const d of Array.isArray(index.manifests) ? (index.manifests as unknown[]) : []) {
    if (!d || typeof d !== 'object') continue
    const r = d as Record<string, unknown>
    if (typeof r.mediaType !== 'string' || !isValidDigest(r.digest) || typeof r.size !== 'number') continue
    const desc: ArtifactDescriptor = { mediaType: r.mediaType, digest: r.digest, size: r.size }
    if (typeof r.artifactType === 'string') desc.artifactType = r.artifactType
    if (r.annotations && typeof r.annotations === 'object') desc.annotations = r.annotations as Record<string, string>
    out.push(desc)
  }
  return out
}

function statusReason(status: number): 'Unauthorized' | 'Forbidden' | 'TooManyRequests' | 'InternalError' {
  if (status === 401) return 'Unauthorized'
  if (status === 403) return 'Forbidden'
  if (status === 429) return 'TooManyRequests'
  return 'InternalError'
}
