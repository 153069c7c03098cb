/**
 * The streams a rewrite may read, looked up the way a trigger names them, and what a binding is given for
 * `stream:tag` (ResolveLatestTaggedImage, [lg] pkg/image/imageutil/helpers.go).
 */
import { findSpecTag, latestTagEvent, resolveLatestTaggedImage } from '../stream/rules/reference-policy.js'
import { readIndexDigests } from '../stream/rules/index-digests.js'
import type { ImageStream } from '../stream/types.js'
import type { PinFormat, StreamTagRef, TargetPart } from './types.js'

export interface CatalogEntry {
  stream: ImageStream
  /** The stream's file, for messages. */
  file?: string
}

/**
 * Streams by name. A stream whose file has no metadata.namespace serves every namespace; one that has it serves
 * only its own. A binding with a namespace prefers the stream of that namespace; a binding without one (a marker,
 * an object whose namespace comes from kustomize or `-n`) prefers a stream without one, and otherwise takes the
 * only stream of that name there is.
 */
export interface StreamCatalog {
  readonly entries: readonly CatalogEntry[]
}

export function createCatalog(streams: ReadonlyArray<ImageStream | CatalogEntry>): StreamCatalog {
  return { entries: streams.map((s) => ('stream' in s ? s : { stream: s })) }
}

export function formatStreamTag(ref: StreamTagRef): string {
  return `${ref.namespace ? `${ref.namespace}/` : ''}${ref.stream}:${ref.tag}`
}

export type StreamLookup = { ok: true; entry: CatalogEntry } | { ok: false; reason: string }

/**
 * The entries of each stream name, in catalog order, built at a catalog's first lookup: a rewrite looks a stream up
 * for every binding, and a filter over every stream per lookup grew with streams × bindings.
 */
const entriesByName = new WeakMap<readonly CatalogEntry[], Map<string, CatalogEntry[]>>()

function entriesNamed(catalog: StreamCatalog, name: string): CatalogEntry[] {
  let index = entriesByName.get(catalog.entries)
  if (!index) {
    index = new Map()
    for (const e of catalog.entries) {
      const list = index.get(e.stream.metadata.name)
      if (list) list.push(e)
      else index.set(e.stream.metadata.name, [e])
    }
    entriesByName.set(catalog.entries, index)
  }
  return index.get(name) ?? []
}

export function findStream(catalog: StreamCatalog, name: string, namespace: string | undefined): StreamLookup {
  const named = entriesNamed(catalog, name)
  const global = named.filter((e) => !e.stream.metadata.namespace)
  const exact = namespace ? named.filter((e) => e.stream.metadata.namespace === namespace) : []
  const candidates = exact.length > 0 ? exact : global.length > 0 || namespace ? global : named
  if (candidates.length === 1) return { ok: true, entry: candidates[0] }
  if (candidates.length > 1) {
    const where = candidates.map((c) => c.file ?? `namespace ${c.stream.metadata.namespace ?? '(none)'}`).join(', ')
    return {
      ok: false,
      reason: `image stream "${name}" is ambiguous: ${candidates.length} streams match (${where}); name the namespace`
    }
  }
  if (named.length > 0) {
    const namespaces = named
      .map((e) => e.stream.metadata.namespace)
      .filter(Boolean)
      .join(', ')
    return { ok: false, reason: `no image stream "${name}" in namespace "${namespace}" (it exists in ${namespaces})` }
  }
  return { ok: false, reason: `unknown image stream "${name}"` }
}

export interface Resolved {
  /** What OpenShift writes: the ResolveLatestTaggedImage reference (`repo@sha256:…`). */
  reference: string
  /** The repository part of `reference`. */
  repository: string
  /** '' for a `reference: true` tag, whose reference is the tag's from.name. */
  digest: string
  /** The tag upstream, from the spec tag's `from` (following ImageStreamTag aliases); absent for digest pins. */
  upstreamTag?: string
  entry: CatalogEntry
  /** The index `digest` was chosen from by a Legacy import, when the import recorded one (index-digests.ts). */
  index?: string
  /** Every platform image of the stream known to come from an index. */
  platformImages?: ReadonlySet<string>
}

export type Resolution = { ok: true; resolved: Resolved } | { ok: false; reason: string }

/** `repo@digest` or `repo:tag` → the repository (no tag, no digest). */
export function repositoryOfReference(reference: string): string {
  const at = reference.indexOf('@')
  const name = at >= 0 ? reference.slice(0, at) : reference
  const slash = name.lastIndexOf('/')
  const colon = name.lastIndexOf(':')
  return colon > slash ? name.slice(0, colon) : name
}

function tagOfDockerImage(name: string): string | undefined {
  const at = name.indexOf('@')
  if (at >= 0) return undefined
  const slash = name.lastIndexOf('/')
  const colon = name.lastIndexOf(':')
  return colon > slash ? name.slice(colon + 1) : 'latest'
}

/** The upstream tag behind a spec tag, following `ImageStreamTag` aliases (same or other stream) a few levels. */
function upstreamTag(catalog: StreamCatalog, entry: CatalogEntry, tag: string, depth = 0): string | undefined {
  const from = findSpecTag(entry.stream, tag)?.from
  if (!from || depth > 10) return undefined
  if (from.kind === 'DockerImage') return tagOfDockerImage(from.name)
  if (from.kind === 'ImageStreamTag') {
    const colon = from.name.indexOf(':')
    const streamName = colon >= 0 ? from.name.slice(0, colon) : entry.stream.metadata.name
    const next = colon >= 0 ? from.name.slice(colon + 1) : from.name
    const found = findStream(catalog, streamName, from.namespace ?? entry.stream.metadata.namespace)
    return found.ok ? upstreamTag(catalog, found.entry, next, depth + 1) : undefined
  }
  return undefined
}

export function resolveStreamTag(
  catalog: StreamCatalog,
  ref: StreamTagRef,
  options: { ignoreLocalPolicy?: boolean } = {}
): Resolution {
  if (!ref.tag) return { ok: false, reason: `"${ref.stream}" names no tag; write stream:tag` }
  const found = findStream(catalog, ref.stream, ref.namespace)
  if (!found.ok) return found
  const { stream } = found.entry
  const event = latestTagEvent(stream, ref.tag)
  if (!event) {
    if (findSpecTag(stream, ref.tag)) {
      return { ok: false, reason: `${formatStreamTag(ref)} has no image yet (the tag has not been imported)` }
    }
    return { ok: false, reason: `image stream "${ref.stream}" has no tag "${ref.tag}"` }
  }
  const reference = options.ignoreLocalPolicy ? event.dockerImageReference : resolveLatestTaggedImage(stream, ref.tag)
  if (!reference) return { ok: false, reason: `${formatStreamTag(ref)} has no image yet` }
  const at = reference.indexOf('@')
  // A `reference: true` tag's event holds the spec tag's from.name and no image (tagReferenceToTagEvent):
  // resolveReferenceForTagEvent hands that reference out as it is, and so do we; it has no digest.
  const digest = event.image || (at >= 0 ? reference.slice(at + 1) : '')
  let indexes: Record<string, string> = {}
  try {
    indexes = readIndexDigests(stream)
  } catch {
    // a hand-broken annotation only loses the index pins; the stream's own checks report it
  }
  return {
    ok: true,
    resolved: {
      reference,
      repository: repositoryOfReference(reference),
      digest,
      upstreamTag: upstreamTag(catalog, found.entry, ref.tag),
      entry: found.entry,
      ...(indexes[digest] ? { index: indexes[digest] } : {}),
      platformImages: new Set(Object.keys(indexes))
    }
  }
}

/**
 * The resolution with the index digest in place of the platform image, for a binding that builds for several
 * platforms; unchanged when no index is known or when `current` already pins a platform image (it stays one).
 * OpenShift's own builds run on one node and take the TagEvent's image as it is (docs/builds.md).
 */
export function withIndexDigest(resolved: Resolved, current: string | null): Resolved {
  if (!resolved.index) return resolved
  const pinned = current ? /(?:^|@)(sha(?:256|384|512):[a-f0-9]+)$/.exec(current)?.[1] : undefined
  if (pinned && (resolved.platformImages?.has(pinned) || pinned === resolved.digest)) return resolved
  const at = resolved.reference.indexOf('@')
  const base = at >= 0 ? resolved.reference.slice(0, at) : resolved.repository
  return { ...resolved, digest: resolved.index, reference: `${base}@${resolved.index}` }
}

export type ValueResult = { ok: true; value: string; notice?: string } | { ok: false; reason: string }

/** The value one binding part gets. */
export function valueFor(resolved: Resolved, part: TargetPart, pinFormat: PinFormat = 'digest'): ValueResult {
  switch (part) {
    case 'name':
      return { ok: true, value: resolved.repository }
    case 'digest':
      return resolved.digest
        ? { ok: true, value: resolved.digest }
        : { ok: false, reason: `the tag is a reference (${resolved.reference}), with no digest for a :digest marker` }
    case 'tag':
      return resolved.upstreamTag
        ? { ok: true, value: resolved.upstreamTag }
        : {
            ok: false,
            reason: 'the spec tag has no upstream tag (it is pinned by digest), so a :tag marker has nothing to write'
          }
    case 'reference':
      if (pinFormat === 'tag-digest' && resolved.digest) {
        if (resolved.upstreamTag)
          return { ok: true, value: `${resolved.repository}:${resolved.upstreamTag}@${resolved.digest}` }
        return {
          ok: true,
          value: resolved.reference,
          notice: 'the spec tag has no upstream tag, so the digest-only reference is written'
        }
      }
      return { ok: true, value: resolved.reference }
  }
}
