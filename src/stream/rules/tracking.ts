/**
 * Tracking tags (aliases) inside one stream.
 *  - UpdateTrackingTags ([oas] internal/imageutil/helpers.go): a new event of `<tag>` is copied to every spec tag
 *    whose from is ImageStreamTag `<tag>` or `<stream>:<tag>` in the same namespace and stream. The server applies
 *    it again to each tag that changed ([oas] registry/imagestream/strategy.go updateChangedTrackingTags), so chains
 *    (a → b → c) follow; Go's map order makes that order-dependent, we walk the chain fully and deterministically.
 *  - FollowTagReference ([oc] pkg/helpers/image/helpers.go) with its four errors.
 * Ours: a held tag (holds.ts) is not moved by its source; the source's digest is recorded as its upstream.
 */
import { UPSTREAM_ANNOTATION } from '../types.js'
import type { ImageStream, TagEvent, TagReference } from '../types.js'
import { cloneStream, readHolds, recordUpstreamInPlace, specTag, splitImageStreamTag } from './draft.js'
import { addTagEventInPlace } from './tag-event.js'

export type TagReferenceErrorCode =
  'ErrCircularReference' | 'ErrNotFoundReference' | 'ErrCrossImageStreamReference' | 'ErrInvalidReference'

/** The messages of [oc] pkg/helpers/image/helpers.go. */
export const TAG_REFERENCE_ERROR_MESSAGES: Record<TagReferenceErrorCode, string> = {
  ErrCircularReference: 'reference tag is circular',
  ErrNotFoundReference: 'reference tag is not found',
  ErrCrossImageStreamReference: 'reference tag points to another imagestream',
  ErrInvalidReference: 'reference tag is invalid'
}

export class TagReferenceError extends Error {
  constructor(
    readonly code: TagReferenceErrorCode,
    /** The tag the walk stopped at. */
    readonly tag: string,
    /** Whether at least one reference was followed before the error. */
    readonly multiple: boolean
  ) {
    super(TAG_REFERENCE_ERROR_MESSAGES[code])
    this.name = 'TagReferenceError'
  }
}

export interface FollowedTag {
  finalTag: string
  ref: TagReference
  /** True when at least one ImageStreamTag reference was followed. */
  multiple: boolean
}

/** FollowTagReference: follows ImageStreamTag refs within the stream to a final tag; throws TagReferenceError. */
export function followTagReference(stream: ImageStream, tag: string): FollowedTag {
  let multiple = false
  const seen = new Set<string>()
  for (;;) {
    if (seen.has(tag)) throw new TagReferenceError('ErrCircularReference', tag, multiple)
    seen.add(tag)
    const ref = specTag(stream, tag)
    if (!ref) throw new TagReferenceError('ErrNotFoundReference', tag, multiple)
    if (!ref.from || ref.from.kind !== 'ImageStreamTag') return { finalTag: tag, ref, multiple }
    if (ref.from.namespace && ref.from.namespace !== (stream.metadata.namespace ?? '')) {
      throw new TagReferenceError('ErrCrossImageStreamReference', tag, multiple)
    }
    if (ref.from.name.includes(':')) {
      const [name, next, ok] = splitImageStreamTag(ref.from.name)
      if (!ok) throw new TagReferenceError('ErrInvalidReference', tag, multiple)
      if (name !== stream.metadata.name) throw new TagReferenceError('ErrCrossImageStreamReference', tag, multiple)
      tag = next
    } else {
      tag = ref.from.name
    }
    multiple = true
  }
}

/** The same-stream tag a spec tag tracks (UpdateTrackingTags' matching rules), or undefined. */
export function trackedTag(stream: ImageStream, ref: TagReference): string | undefined {
  if (!ref.from || ref.from.kind !== 'ImageStreamTag') return undefined
  const namespace = ref.from.namespace || stream.metadata.namespace || ''
  if (namespace !== (stream.metadata.namespace ?? '')) return undefined
  if (!ref.from.name.includes(':')) return ref.from.name
  const [name, tag, ok] = splitImageStreamTag(ref.from.name)
  return ok && name === stream.metadata.name ? tag : undefined
}

/** UpdateTrackingTags on a draft the caller owns; returns the tags whose status changed (spec order, transitively). */
export function updateTrackingTagsInPlace(stream: ImageStream, updatedTag: string, event: TagEvent): string[] {
  const holds = readHolds(stream)
  const updated: string[] = []
  const visited = new Set<string>([updatedTag])
  const queue = [updatedTag]
  while (queue.length > 0) {
    const source = queue.shift()!
    for (const ref of stream.spec.tags ?? []) {
      if (visited.has(ref.name) || trackedTag(stream, ref) !== source) continue
      visited.add(ref.name)
      const hold = holds[ref.name]
      if (hold) {
        // Held: the alias stays where rollback put it; remember what its source moved to.
        if (event.image && event.image !== hold.digest) recordUpstreamInPlace(stream, ref.name, event.image)
        continue
      }
      if (addTagEventInPlace(stream, ref.name, event)) {
        updated.push(ref.name)
        queue.push(ref.name)
      }
    }
  }
  return updated
}

/** UpdateTrackingTags, pure: copies `event` to every tag tracking `updatedTag`, following chains of aliases. */
export function updateTrackingTags(
  stream: ImageStream,
  updatedTag: string,
  event: TagEvent
): { stream: ImageStream; updated: string[] } {
  const draft = cloneStream(stream)
  const updated = updateTrackingTagsInPlace(draft, updatedTag, event)
  const upstreamChanged =
    draft.metadata.annotations?.[UPSTREAM_ANNOTATION] !== stream.metadata.annotations?.[UPSTREAM_ANNOTATION]
  return updated.length > 0 || upstreamChanged ? { stream: draft, updated } : { stream, updated }
}
