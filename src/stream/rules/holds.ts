/**
 * Rollback and resume: our feature, not OpenShift's. A hold lives in HOLDS_ANNOTATION (tag → {digest, since}).
 *  - rollback points the tag at an earlier history item the way a push of that digest would
 *    ([oas] registry/imagestreammapping/rest.go: TagEvent{generation: stream.Generation}, then
 *    AddTagEventToImageStream and UpdateTrackingTags), and holds it there.
 *  - while held, an import does not move the tag; it records the newer upstream digest in UPSTREAM_ANNOTATION
 *    (import.ts), and aliases of a held tag stop following (tracking.ts).
 *  - resume lifts the hold: an alias snaps back to its source at once, an importable tag gets its import made
 *    pending (the same bump a person's `generation: 0` gets), so the next run moves it.
 */
import { InputError } from '../../util/errors.js'
import { HOLDS_ANNOTATION, UPSTREAM_ANNOTATION } from '../types.js'
import type { Hold, ImageStream, TagEvent } from '../types.js'
import {
  cloneStream,
  digestOrImageMatch,
  readHolds,
  readUpstream,
  specTag,
  statusTag,
  writeJsonAnnotation
} from './draft.js'
import { recordObservedInPlace } from './generation.js'
import { tagImportable } from './pending.js'
import { addTagEventInPlace } from './tag-event.js'
import { trackedTag, updateTrackingTagsInPlace } from './tracking.js'

export type RollbackTarget = { toGeneration: number } | { toDigest: string }

export interface HeldTag extends Hold {
  tag: string
  /** The newest digest an import saw upstream while held, if it differs from the held one. */
  upstream?: string
}

/** The holds of a stream, in spec order, with what upstream moved to. */
export function listHolds(stream: ImageStream): HeldTag[] {
  const holds = readHolds(stream)
  const upstream = readUpstream(stream)
  return Object.keys(holds)
    .sort()
    .map((tag) => ({ tag, ...holds[tag], ...(upstream[tag] ? { upstream: upstream[tag] } : {}) }))
}

export function holdOf(stream: ImageStream, tag: string): Hold | undefined {
  return readHolds(stream)[tag]
}

function findHistoryItem(stream: ImageStream, tag: string, target: RollbackTarget): TagEvent {
  const items = statusTag(stream, tag)?.items ?? []
  const field = `${stream.metadata.name}:${tag}`
  if (items.length === 0) throw new InputError(`tag "${tag}" has no history to roll back to`, { field })
  const available = items.map((i) => `generation ${i.generation} ${i.image || i.dockerImageReference}`).join('; ')
  if ('toGeneration' in target) {
    const item = items.find((i) => i.generation === target.toGeneration)
    if (!item)
      throw new InputError(
        `tag "${tag}" has no history item of generation ${target.toGeneration} (history: ${available})`,
        { field }
      )
    return item
  }
  const matches = [
    ...new Set(items.filter((i) => i.image && digestOrImageMatch(i.image, target.toDigest)).map((i) => i.image))
  ]
  if (matches.length === 0)
    throw new InputError(`tag "${tag}" has no history item with digest "${target.toDigest}" (history: ${available})`, {
      field
    })
  if (matches.length > 1)
    throw new InputError(`digest prefix "${target.toDigest}" matches several images: ${matches.join(', ')}`, { field })
  return items.find((i) => i.image === matches[0])!
}

/** Points `tag` at an earlier item of its own history (newest match) and holds it there. */
export function rollback(stream: ImageStream, tag: string, target: RollbackTarget, now: string): ImageStream {
  if (!specTag(stream, tag) && !statusTag(stream, tag)) {
    throw new InputError(`the tag "${tag}" does not exist on the image stream`, {
      field: `${stream.metadata.name}:${tag}`
    })
  }
  const item = findHistoryItem(stream, tag, target)
  if (!item.image) {
    throw new InputError(`that history item of "${tag}" has no image digest (a reference tag); nothing to hold`, {
      field: `${stream.metadata.name}:${tag}`
    })
  }
  const draft = cloneStream(stream)
  const event: TagEvent = {
    created: now,
    dockerImageReference: item.dockerImageReference,
    image: item.image,
    generation: draft.metadata.generation ?? item.generation
  }
  // Hold first, so that a chain of aliases back to this very tag cannot move it again.
  const holds = readHolds(draft)
  holds[tag] = { digest: item.image, since: now }
  writeJsonAnnotation(draft, HOLDS_ANNOTATION, holds)
  const upstream = readUpstream(draft)
  delete upstream[tag]
  writeJsonAnnotation(draft, UPSTREAM_ANNOTATION, upstream)
  if (addTagEventInPlace(draft, tag, event)) updateTrackingTagsInPlace(draft, tag, statusTag(draft, tag)!.items![0])
  return draft
}

/** Lifts the hold on `tag`. Throws when the tag is not held (nothing to resume is worth saying). */
export function resume(stream: ImageStream, tag: string): ImageStream {
  const holds = readHolds(stream)
  if (!holds[tag]) throw new InputError(`tag "${tag}" is not held`, { field: `${stream.metadata.name}:${tag}` })
  const draft = cloneStream(stream)
  delete holds[tag]
  writeJsonAnnotation(draft, HOLDS_ANNOTATION, holds)
  const upstream = readUpstream(draft)
  delete upstream[tag]
  writeJsonAnnotation(draft, UPSTREAM_ANNOTATION, upstream)

  const ref = specTag(draft, tag)
  const source = ref && trackedTag(draft, ref)
  if (source !== undefined) {
    // An alias catches up with its source right away, as UpdateTrackingTags would have done.
    const current = statusTag(draft, source)?.items?.[0]
    if (current && addTagEventInPlace(draft, tag, current))
      updateTrackingTagsInPlace(draft, tag, statusTag(draft, tag)!.items![0])
  } else if (ref && tagImportable(ref)) {
    // Make the next run import it (a spec change: generation + 1, this tag at the new generation).
    const generation = (draft.metadata.generation ?? 0) + 1
    draft.metadata.generation = generation
    ref.generation = generation
    recordObservedInPlace(draft)
  }
  return draft
}
