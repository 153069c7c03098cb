/**
 * What the client makes of a registry's answers: the error of a failed status (with what to do), the digest of a
 * manifest checked against what was asked for and what the registry said, and the failures that mean "not TLS".
 */
import type { ImageReference } from '../reference/types.js'
import { RegistryError, adviceFor, reasonForStatus, registryErrorDetail } from './errors.js'
import type { Scheme } from './hosts.js'
import { digestOf, isValidDigest, type Descriptor, type ParsedManifest } from './manifest.js'
import { bareMediaType, isImageMediaType, isIndexMediaType } from './media-types.js'
import { chooseLegacyChild, DEFAULT_PLATFORM } from './platform.js'
import type { HttpResponse } from './transport.js'
import type { IndexChild, Platform, ResolveOptions } from './types.js'

/** A manifest as fetched: its parsed form and the digest of its bytes. */
export interface FetchedManifest {
  digest: string
  manifest: ParsedManifest
}

export interface RepoContext {
  ref: ImageReference
  /** For messages: `127.0.0.1:5000/acme/web`. */
  name: string
  base: string
  scheme: Scheme
  insecure: boolean
  scope: string
}

export function statusError(ctx: RepoContext, res: HttpResponse, doing: string, reference?: string): RegistryError {
  const detail = registryErrorDetail(res.body)
  const reason = reasonForStatus(res.status)
  const what = reference ? `${ctx.name}${isValidDigest(reference) ? '@' : ':'}${reference}` : ctx.name
  const said = detail.code ? ` ${detail.code}${detail.message ? `: ${detail.message}` : ''}` : ''
  let message = `${what}: ${doing} failed with ${res.status}${said}; ${adviceFor(reason)}`
  if (reason === 'NotFound' && reference && !isValidDigest(reference)) {
    message = `${what}: no such tag or repository (${res.status}${said}); ${adviceFor(reason)}`
  }
  return new RegistryError(reason, message, { status: res.status, code: detail.code })
}

export function unauthorized(ctx: RepoContext, res: HttpResponse, credentialed: boolean): RegistryError {
  const detail = registryErrorDetail(res.body)
  return new RegistryError(
    'Unauthorized',
    credentialed
      ? `${ctx.name}: the registry rejected the credentials (401${detail.code ? ` ${detail.code}` : ''}); check the ` +
          'username and password or token, and that they may pull this repository'
      : `${ctx.name}: authentication required (401); log in to ${ctx.ref.domain} (docker login, a docker config.json, ` +
          'or explicit credentials)',
    { status: 401, code: detail.code }
  )
}

/** A manifest's digest, always computed from its bytes, which must agree with `expected` or the digest header. */
export function verifiedManifestDigest(res: HttpResponse, where: string, expected: string | undefined): string {
  const digest = digestOf(res.body, expected)
  if (expected && digest !== expected) {
    throw new RegistryError(
      'InternalError',
      `${where}: the manifest received hashes to ${digest}, not ${expected}; the response was altered or cut ` +
        'short on the way, retry',
      { status: res.status }
    )
  }
  const header = res.headers['docker-content-digest']
  if (!expected && typeof header === 'string' && header && header !== digestOf(res.body, header)) {
    throw new RegistryError(
      'InternalError',
      `${where}: the registry says the manifest is ${header} but its bytes hash to ${digest}; the response was ` +
        'altered on the way or the registry is faulty, retry',
      { status: res.status }
    )
  }
  return digest
}

export function toChild(d: Descriptor): IndexChild {
  // image-spec: platform is optional; go-containerregistry treats a child without one as linux/amd64.
  return { digest: d.digest, mediaType: d.mediaType, size: d.size, platform: d.platform ?? { ...DEFAULT_PLATFORM } }
}

export function isTlsFailure(err: unknown): boolean {
  let e: unknown = err
  for (let depth = 0; depth < 4 && e; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && (code.startsWith('ERR_SSL') || code === 'EPROTO' || code.startsWith('ERR_TLS')))
      return true
    e = (e as { cause?: unknown }).cause
  }
  return false
}

/** The child of an index a Legacy import takes: the platform asked for (or the client's default). */
export function chooseChild(
  defaultPlatform: Platform | undefined,
  ctx: RepoContext,
  reference: string,
  children: IndexChild[],
  options: ResolveOptions
): IndexChild {
  const i = chooseLegacyChild(children, {
    platform: options.platform ?? defaultPlatform ?? DEFAULT_PLATFORM,
    preferArch: options.preferArch,
    preferOs: options.preferOs
  })
  if (i < 0) {
    throw new RegistryError(
      'Invalid',
      `${ctx.name}${isValidDigest(reference) ? '@' : ':'}${reference}: the index lists no image for any platform ` +
        '(only attestations or artifacts)'
    )
  }
  return children[i]!
}

/** What a HEAD of a manifest says: its digest (which must be the one asked for) and an image or index media type. */
export function headDigest(
  res: HttpResponse,
  name: string,
  reference: string
): { digest?: string; mediaType?: string } {
  const header = res.headers['docker-content-digest']
  const digest = isValidDigest(header) ? header : undefined
  const mediaType = bareMediaType(res.headers['content-type'])
  if (digest && isValidDigest(reference) && digest !== reference) {
    throw new RegistryError(
      'InternalError',
      `${name}@${reference}: the registry answered with digest ${digest}; it (or a proxy in between) is ` +
        'sending wrong Docker-Content-Digest headers'
    )
  }
  const known = mediaType && (isImageMediaType(mediaType) || isIndexMediaType(mediaType)) ? mediaType : undefined
  return { digest: digest ?? (isValidDigest(reference) ? reference : undefined), mediaType: known }
}
