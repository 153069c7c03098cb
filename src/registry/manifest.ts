import { createHash } from 'node:crypto'
import { RegistryError } from './errors.js'
import {
  DOCKER_LIST,
  DOCKER_MANIFEST,
  DOCKER_SCHEMA1,
  DOCKER_SCHEMA1_SIGNED,
  OCI_INDEX,
  OCI_MANIFEST,
  isImageMediaType,
  isIndexMediaType
} from './media-types.js'
import { normalizePlatform } from './platform.js'
import type { Platform } from './types.js'
import { isDigest } from '../reference/reference.js'

export interface Descriptor {
  mediaType: string
  digest: string
  size: number
  platform?: Platform
  annotations?: Record<string, string>
  artifactType?: string
}

export type ParsedManifest =
  | { kind: 'index'; mediaType: string; manifests: Descriptor[]; annotations: Record<string, string> }
  | { kind: 'image'; mediaType: string; config: Descriptor; layers: Descriptor[]; annotations: Record<string, string> }

export function isValidDigest(value: unknown): value is string {
  return isDigest(value)
}

/** The digest of raw bytes in the algorithm of `like` (sha256 unless told otherwise). Never re-serialized JSON. */
export function digestOf(bytes: Buffer, like?: string): string {
  const algorithm = like?.split(':')[0] ?? 'sha256'
  const name = algorithm === 'sha384' || algorithm === 'sha512' ? algorithm : 'sha256'
  return `${name}:${createHash(name).update(bytes).digest('hex')}`
}

/**
 * Parses a manifest body into an index or an image manifest. `contentType` is the response's; the body's own
 * `mediaType` wins when present (a proxy may mangle headers; the bytes are what the digest covers).
 */
export function parseManifest(bytes: Buffer, contentType: string | undefined, where: string): ParsedManifest {
  let raw: unknown
  try {
    raw = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new RegistryError(
      'Invalid',
      `${where}: the manifest is not valid JSON (${bytes.length} bytes${contentType ? `, ${contentType}` : ''}); ` +
        'the response was cut short or is not a manifest'
    )
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new RegistryError('Invalid', `${where}: the manifest is not a JSON object`)
  }
  const m = raw as Record<string, unknown>
  const bodyType = typeof m.mediaType === 'string' ? m.mediaType : undefined
  if (m.schemaVersion === 1 || contentType === DOCKER_SCHEMA1 || contentType === DOCKER_SCHEMA1_SIGNED) {
    throw new RegistryError(
      'Invalid',
      `${where}: Docker schema 1 manifests are not supported (deprecated since 2017); re-push the image with a current client`
    )
  }
  let mediaType =
    bodyType ??
    (contentType && (isIndexMediaType(contentType) || isImageMediaType(contentType)) ? contentType : undefined)
  if (!mediaType) mediaType = Array.isArray(m.manifests) ? OCI_INDEX : m.config ? OCI_MANIFEST : undefined
  const annotations = stringMap(m.annotations)
  if (mediaType && isIndexMediaType(mediaType)) {
    if (!Array.isArray(m.manifests)) throw new RegistryError('Invalid', `${where}: index without a "manifests" array`)
    return {
      kind: 'index',
      mediaType,
      manifests: m.manifests.map((d, i) => descriptor(d, `${where}: manifests[${i}]`)),
      annotations
    }
  }
  if (mediaType && isImageMediaType(mediaType)) {
    if (!m.config) throw new RegistryError('Invalid', `${where}: image manifest without "config"`)
    const layers = Array.isArray(m.layers) ? m.layers.map((d, i) => descriptor(d, `${where}: layers[${i}]`)) : []
    return { kind: 'image', mediaType, config: descriptor(m.config, `${where}: config`), layers, annotations }
  }
  throw new RegistryError(
    'Invalid',
    `${where}: unsupported manifest media type ${mediaType ?? contentType ?? '(none)'}; expected one of ` +
      [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST].join(', ')
  )
}

function descriptor(raw: unknown, where: string): Descriptor {
  if (typeof raw !== 'object' || raw === null) throw new RegistryError('Invalid', `${where}: not a descriptor object`)
  const d = raw as Record<string, unknown>
  if (!isValidDigest(d.digest)) throw new RegistryError('Invalid', `${where}: digest is missing or malformed`)
  const out: Descriptor = {
    mediaType: typeof d.mediaType === 'string' ? d.mediaType : '',
    digest: d.digest,
    size: typeof d.size === 'number' && d.size >= 0 ? d.size : 0
  }
  if (typeof d.platform === 'object' && d.platform !== null) {
    const p = d.platform as Record<string, unknown>
    out.platform = normalizePlatform({
      os: typeof p.os === 'string' ? p.os : '',
      architecture: typeof p.architecture === 'string' ? p.architecture : '',
      variant: typeof p.variant === 'string' ? p.variant : undefined
    })
  }
  const annotations = stringMap(d.annotations)
  if (Object.keys(annotations).length) out.annotations = annotations
  if (typeof d.artifactType === 'string') out.artifactType = d.artifactType
  return out
}

function stringMap(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (typeof raw !== 'object' || raw === null) return out
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v
  return out
}

/**
 * Entries of an index that are not runnable images: buildx attestations (`unknown/unknown`,
 * `vnd.docker.reference.type`), referrers/artifacts (`artifactType`), and anything that is neither an image manifest
 * nor a nested index.
 */
export function isSkippableEntry(d: Descriptor): boolean {
  if (d.annotations?.['vnd.docker.reference.type']) return true
  if (d.artifactType) return true
  if (d.platform && d.platform.os === 'unknown' && d.platform.architecture === 'unknown') return true
  if (d.mediaType && !isImageMediaType(d.mediaType) && !isIndexMediaType(d.mediaType)) return true
  return false
}
