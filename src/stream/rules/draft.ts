/**
 * Shared plumbing for the rule modules (not a rule itself): every exported rule clones its input once
 * (`structuredClone`) and then edits that private draft with these helpers, so no caller's object is ever mutated.
 * SplitImageStreamTag / DigestOrImageMatch mirror [lg] pkg/image/imageutil/helpers.go.
 */
import { InputError } from '../../util/errors.js'
import { HOLDS_ANNOTATION, UPSTREAM_ANNOTATION } from '../types.js'
import type { Hold, ImageStream, NamedTagEventList, TagImportPolicy, TagReference } from '../types.js'

export const DEFAULT_IMAGE_TAG = 'latest'

export function cloneStream(stream: ImageStream): ImageStream {
  return structuredClone(stream)
}

export function specTag(stream: ImageStream, tag: string): TagReference | undefined {
  return stream.spec.tags?.find((t) => t.name === tag)
}

export function statusTag(stream: ImageStream, tag: string): NamedTagEventList | undefined {
  return stream.status?.tags?.find((t) => t.tag === tag)
}

/** The status entry for `tag`, created (appended, as the server's map→list conversion keeps order) if missing. */
export function ensureStatusTag(stream: ImageStream, tag: string): NamedTagEventList {
  stream.status ??= { dockerImageRepository: '' }
  stream.status.tags ??= []
  let entry = stream.status.tags.find((t) => t.tag === tag)
  if (!entry) {
    entry = { tag, items: null } // Go's nil slice: `items: null` until the first event
    stream.status.tags.push(entry)
  }
  return entry
}

/** SplitImageStreamTag: `name:tag` → [name, tag, true]; `name` → [name, 'latest', false]. */
export function splitImageStreamTag(nameAndTag: string): [name: string, tag: string, ok: boolean] {
  const at = nameAndTag.indexOf(':')
  const name = at < 0 ? nameAndTag : nameAndTag.slice(0, at)
  const tag = at < 0 ? '' : nameAndTag.slice(at + 1)
  return [name, tag || DEFAULT_IMAGE_TAG, at >= 0]
}

/** DigestOrImageMatch: an image id matches a full digest, a digest prefix, or the hex part's prefix. */
export function digestOrImageMatch(image: string, imageID: string): boolean {
  if (!imageID) return false
  if (image.startsWith(imageID)) return true
  const colon = image.indexOf(':')
  return colon >= 0 && image.slice(colon + 1).startsWith(imageID)
}

/** Reads one of our JSON-object annotations; a hand-broken value is a located input error, not a silent reset. */
export function readJsonAnnotation<T>(stream: ImageStream, key: string): Record<string, T> | undefined {
  const raw = stream.metadata.annotations?.[key]
  if (raw === undefined) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch (err) {
    throw new InputError(`not valid JSON (${(err as Error).message}); fix or remove the annotation`, {
      field: `metadata.annotations["${key}"]`
    })
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError('must be a JSON object keyed by tag name; fix or remove the annotation', {
      field: `metadata.annotations["${key}"]`
    })
  }
  return parsed as Record<string, T>
}

/**
 * Writes a JSON-object annotation with sorted keys (deterministic bytes), removing it when empty and the
 * `annotations` map too when nothing is left. Returns whether the stored text changed.
 */
export function writeJsonAnnotation(stream: ImageStream, key: string, value: Record<string, unknown>): boolean {
  const keys = Object.keys(value).sort()
  const before = stream.metadata.annotations?.[key]
  if (keys.length === 0) {
    if (before === undefined) return false
    delete stream.metadata.annotations![key]
    if (Object.keys(stream.metadata.annotations!).length === 0) delete stream.metadata.annotations
    return true
  }
  const text = JSON.stringify(Object.fromEntries(keys.map((k) => [k, value[k]])))
  if (before === text) return false
  stream.metadata.annotations ??= {}
  stream.metadata.annotations[key] = text
  return true
}

export function setAnnotation(stream: ImageStream, key: string, value: string): boolean {
  if (stream.metadata.annotations?.[key] === value) return false
  stream.metadata.annotations ??= {}
  stream.metadata.annotations[key] = value
  return true
}

/** The holds annotation (holds.ts owns its meaning); read here so tracking and import can respect holds. */
export function readHolds(stream: ImageStream): Record<string, Hold> {
  const holds = readJsonAnnotation<Hold>(stream, HOLDS_ANNOTATION) ?? {}
  for (const [tag, hold] of Object.entries(holds)) {
    if (!hold || typeof hold !== 'object' || typeof hold.digest !== 'string' || typeof hold.since !== 'string') {
      throw new InputError(`tag "${tag}": each hold must be {"digest": "sha256:…", "since": "<RFC 3339>"}`, {
        field: `metadata.annotations["${HOLDS_ANNOTATION}"]`
      })
    }
  }
  return holds
}

export function readUpstream(stream: ImageStream): Record<string, string> {
  return readJsonAnnotation<string>(stream, UPSTREAM_ANNOTATION) ?? {}
}

/** Records the newest upstream digest a held tag saw; bytes change only when that digest changes. */
export function recordUpstreamInPlace(stream: ImageStream, tag: string, digest: string): boolean {
  const upstream = readUpstream(stream)
  if (upstream[tag] === digest) return false
  upstream[tag] = digest
  return writeJsonAnnotation(stream, UPSTREAM_ANNOTATION, upstream)
}

/**
 * Two import policies equal once the server's defaults are applied (openshift-apiserver pkg/image/apis/image/v1
 * defaults.go SetDefaults_TagImportPolicy: importMode Legacy; insecure and scheduled default false). A file keeps
 * what it says when only a default would change: OpenShift would store the same object either way.
 */
export function sameImportPolicy(a: TagImportPolicy | undefined, b: TagImportPolicy | undefined): boolean {
  return (
    (a?.importMode || 'Legacy') === (b?.importMode || 'Legacy') &&
    (a?.insecure === true) === (b?.insecure === true) &&
    (a?.scheduled === true) === (b?.scheduled === true)
  )
}
