/**
 * Generation bookkeeping of [oas] registry/imagestream/strategy.go, for a file in Git.
 *
 * The server compares the submitted object with the stored one. In Git there is no stored object, so we keep, in
 * the metadata annotation OBSERVED_ANNOTATION, a short fingerprint per spec tag of what `tagRefChanged` compares
 * (from kind/name/namespace, reference, importMode) and, under the key "", one of the whole spec minus tag
 * generations (what `Semantic.DeepEqual(old.Spec, new.Spec)` sees after updateSpecTagGenerationsForUpdate).
 *
 * reconcileSpec mirrors PrepareForCreate / prepareForUpdate + ensureSpecTagGenerationsAreSet + tagsChanged:
 *  - no metadata.generation: a create — generation 1 and every spec tag generation 1;
 *  - otherwise any spec difference bumps metadata.generation by one, and each tag that is new, whose ref changed,
 *    or whose generation a person set to 0 (or removed: Git has no old value to merge a null with) gets the new
 *    stream generation, which makes its import pending (pending.ts);
 *  - a stream without the annotation (say, exported with `oc get is -o yaml`) is adopted: its generations are
 *    trusted, only 0/null tags count as requests;
 *  - with `now`, changed tags that need no registry are resolved into status as tagsChanged does
 *    (tagReferenceToTagEvent: `reference: true` DockerImage refs, same-stream ImageStreamTag/ImageStreamImage,
 *    and other streams through `lookup`), then tracking tags follow (updateChangedTrackingTags).
 */
import { createHash } from 'node:crypto'
import { InputError } from '../../util/errors.js'
import { OBSERVED_ANNOTATION } from '../types.js'
import type { ImageStream, ImageStreamSpec, TagEvent, TagReference } from '../types.js'
import { cloneStream, digestOrImageMatch, readJsonAnnotation, statusTag, writeJsonAnnotation } from './draft.js'
import { addTagEventInPlace } from './tag-event.js'
import { updateTrackingTagsInPlace } from './tracking.js'

/** Finds another stream by namespace and name (the caller's set of state files); undefined when unknown. */
export type StreamLookup = (namespace: string, name: string) => ImageStream | undefined

export interface ReconcileOptions {
  lookup?: StreamLookup
}

export interface ReconcileResult {
  stream: ImageStream
  /** Whether any byte of the object changed (generation, tag generations, status, annotation). */
  changed: boolean
  /** metadata.generation before → after (equal when the spec did not change). */
  generation: { before: number | undefined; after: number }
  /** Tags whose generation was (re)set to the stream generation: new, changed, or asked to re-import. */
  changedTags: string[]
}

const FINGERPRINT_HEX = 8

function shortHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, FINGERPRINT_HEX)
}

/** JSON with sorted keys and no undefined, so equal data always gives equal bytes. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/** The fields tagRefChanged compares, with the server defaults applied (importMode Legacy, namespace = stream's). */
export function tagRefFingerprint(stream: ImageStream, ref: TagReference): string {
  return shortHash([
    ref.from?.kind ?? '',
    ref.from?.name ?? '',
    ref.from?.namespace || stream.metadata.namespace || '',
    ref.reference === true,
    ref.importPolicy?.importMode || 'Legacy'
  ])
}

/** The spec as the server's DeepEqual sees it: tags as a map, defaults applied, tag generations left out. */
export function specFingerprint(spec: ImageStreamSpec): string {
  const tags = Object.fromEntries(
    (spec.tags ?? []).map((t) => [
      t.name,
      {
        annotations: t.annotations && Object.keys(t.annotations).length > 0 ? t.annotations : null,
        from: t.from ? { kind: t.from.kind, name: t.from.name, namespace: t.from.namespace ?? '' } : null,
        reference: t.reference === true,
        importPolicy: {
          insecure: t.importPolicy?.insecure === true,
          scheduled: t.importPolicy?.scheduled === true,
          importMode: t.importPolicy?.importMode || 'Legacy'
        },
        referencePolicy: t.referencePolicy?.type || 'Source'
      }
    ])
  )
  return shortHash({
    lookupPolicy: spec.lookupPolicy?.local === true,
    dockerImageRepository: spec.dockerImageRepository ?? '',
    tags
  })
}

export function readObserved(stream: ImageStream): Record<string, string> | undefined {
  return readJsonAnnotation<string>(stream, OBSERVED_ANNOTATION)
}

/** Writes the fingerprints of the current spec (on a draft). Returns whether the annotation text changed. */
export function recordObservedInPlace(stream: ImageStream): boolean {
  const observed: Record<string, string> = { '': specFingerprint(stream.spec) }
  for (const ref of stream.spec.tags ?? []) observed[ref.name] = tagRefFingerprint(stream, ref)
  return writeJsonAnnotation(stream, OBSERVED_ANNOTATION, observed)
}

/** Spec generation 0 or absent: "import requested" (a person, `oc tag`, `oc import-image`). */
export function generationRequested(ref: TagReference): boolean {
  return ref.generation === undefined || ref.generation === null || ref.generation === 0
}

/** reconcileSpec: strategy.go's create/update generation rules against the last observed spec (see header). */
export function reconcileSpec(stream: ImageStream, now?: string, options: ReconcileOptions = {}): ReconcileResult {
  const draft = cloneStream(stream)
  const before = stream.metadata.generation
  const tags = draft.spec.tags ?? []
  let changedTags: string[]

  if (!before) {
    // PrepareForCreate: every tag (with or without a from) starts at generation 1.
    draft.metadata.generation = 1
    for (const ref of tags) ref.generation = 1
    changedTags = tags.map((t) => t.name)
  } else {
    const observed = readObserved(draft)
    changedTags = tags
      .filter((ref) => {
        if (generationRequested(ref)) return true
        if (!observed) return false
        if (!(ref.name in observed)) return true
        // tagRefChanged: a tag without a from never counts as changed.
        return ref.from !== undefined && observed[ref.name] !== tagRefFingerprint(draft, ref)
      })
      .map((t) => t.name)
    const specChanged =
      changedTags.length > 0 || (observed !== undefined && observed[''] !== specFingerprint(draft.spec))
    if (specChanged) draft.metadata.generation = before + 1
    const generation = draft.metadata.generation!
    for (const ref of tags) if (changedTags.includes(ref.name)) ref.generation = generation
  }

  if (now !== undefined) resolveChangedTagsInPlace(draft, changedTags, now, options)
  recordObservedInPlace(draft)

  const changed = JSON.stringify(draft) !== JSON.stringify(stream)
  return {
    stream: changed ? draft : stream,
    changed,
    generation: { before, after: draft.metadata.generation! },
    changedTags
  }
}

/** tagsChanged' status half: events for changed tags that need no registry, then their tracking tags. */
function resolveChangedTagsInPlace(draft: ImageStream, changedTags: string[], now: string, options: ReconcileOptions) {
  const moved: string[] = []
  for (const [index, ref] of (draft.spec.tags ?? []).entries()) {
    if (!changedTags.includes(ref.name) || !ref.from) continue
    const event = tagReferenceToTagEvent(draft, ref, index, now, options)
    if (event && addTagEventInPlace(draft, ref.name, event)) moved.push(ref.name)
  }
  for (const tag of moved) {
    const current = statusTag(draft, tag)?.items?.[0]
    if (current) updateTrackingTagsInPlace(draft, tag, current)
  }
}

/** tagReferenceToTagEvent (strategy.go) for one changed spec tag; undefined when there is nothing to record. */
function tagReferenceToTagEvent(
  draft: ImageStream,
  ref: TagReference,
  index: number,
  now: string,
  options: ReconcileOptions
): TagEvent | undefined {
  const from = ref.from!
  const field = `spec.tags[${index}].from`
  const generation = ref.generation ?? draft.metadata.generation ?? 1
  if (from.kind === 'DockerImage') {
    if (!from.name || !ref.reference) return undefined // imported later, by the registry stage
    return { created: now, dockerImageReference: from.name, image: '', generation }
  }
  if (from.kind !== 'ImageStreamTag' && from.kind !== 'ImageStreamImage') {
    throw new InputError(
      `invalid from.kind "${from.kind}": valid values are 'DockerImage', 'ImageStreamImage', 'ImageStreamTag'`,
      {
        field: `${field}.kind`
      }
    )
  }
  const separator = from.kind === 'ImageStreamTag' ? ':' : '@'
  const parts = from.name.split(separator)
  if (parts.length > 2 || parts.some((p) => p === '')) {
    throw new InputError(`"${from.name}" must be of the form <tag>, <repo>:<tag>, <id>, or <repo>@<id>`, {
      field: `${field}.name`
    })
  }
  const [streamName, tagOrID] = parts.length === 1 ? [draft.metadata.name, parts[0]] : parts
  const namespace = from.namespace || draft.metadata.namespace || ''
  const sameStream = namespace === (draft.metadata.namespace ?? '') && streamName === draft.metadata.name
  const source = sameStream ? draft : options.lookup?.(namespace, streamName)
  if (!source) {
    // Without the other stream's file we cannot resolve the ref; the server would say NotFound.
    if (options.lookup) {
      throw new InputError(`imagestreams.image.openshift.io "${streamName}" not found`, { field: `${field}.name` })
    }
    return undefined
  }

  let event: TagEvent | undefined
  if (from.kind === 'ImageStreamTag') {
    const latest = statusTag(source, tagOrID)?.items?.[0]
    event = latest && { ...latest }
  } else {
    event = { ...resolveImageID(source, tagOrID, `${field}.name`), created: now }
  }
  if (!event) return undefined // the referenced tag has no image yet, which is fine
  event.generation = generation

  // A non-reference copy of an image from another stream's internal repository is re-pointed at this stream.
  const sourceRepo = source.status?.dockerImageRepository
  const ownRepo = draft.status?.dockerImageRepository
  if (
    !ref.reference &&
    !sameStream &&
    sourceRepo &&
    ownRepo &&
    event.dockerImageReference.startsWith(`${sourceRepo}@`)
  ) {
    event.dockerImageReference = `${ownRepo}${event.dockerImageReference.slice(sourceRepo.length)}`
  }
  return event
}

/** ResolveImageID ([oas] internal/imageutil/helpers.go): exactly one image in the stream's history matches the id. */
export function resolveImageID(stream: ImageStream, imageID: string, field?: string): TagEvent {
  let found: TagEvent | undefined
  const images = new Set<string>()
  for (const list of stream.status?.tags ?? []) {
    for (const item of list.items ?? []) {
      if (item.image && digestOrImageMatch(item.image, imageID)) {
        found = item
        images.add(item.image)
      }
    }
  }
  if (images.size === 0) {
    throw new InputError(`imagestreamimages.image.openshift.io "${imageID}" not found`, { field })
  }
  if (images.size > 1) {
    throw new InputError(`multiple images match the prefix "${imageID}": ${[...images].sort().join(', ')}`, { field })
  }
  return {
    created: found!.created,
    dockerImageReference: found!.dockerImageReference,
    image: found!.image,
    generation: 0
  }
}
