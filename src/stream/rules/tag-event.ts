/**
 * TagEvent creation and history collapse.
 *  - newTagEvent: importSuccessful's event ([oas] registry/imagestreamimport/rest.go): created = now,
 *    dockerImageReference = mostAccuratePullSpec (repo@digest: MostSpecific() prefers the ID over the tag),
 *    image = digest, generation = nextGeneration.
 *  - AddTagEventToImageStream ([oas] internal/imageutil/helpers.go): collapse rules for items[0].
 *  - hasTagChanged: differentTagEvent || differentTagGeneration (rest.go); false means the server writes nothing
 *    ("stream did not change").
 */
import type { ImageStream, TagEvent } from '../types.js'
import { cloneStream, ensureStatusTag, specTag, statusTag } from './draft.js'

export interface NewTagEventInput {
  /** Canonical repository, no tag and no digest: `quay.io/acme/web`. */
  repository: string
  digest: string
  generation: number
  now: string
}

/** The event an import records. A tag or digest left on `repository` is dropped: the event is always repo@digest. */
export function newTagEvent({ repository, digest, generation, now }: NewTagEventInput): TagEvent {
  return { created: now, dockerImageReference: `${stripTagAndDigest(repository)}@${digest}`, image: digest, generation }
}

/** `host:port/path:tag@digest` → `host:port/path` (a colon before the last slash is a port, not a tag). */
export function stripTagAndDigest(reference: string): string {
  const at = reference.indexOf('@')
  const withoutDigest = at < 0 ? reference : reference.slice(0, at)
  const slash = withoutDigest.lastIndexOf('/')
  const colon = withoutDigest.lastIndexOf(':')
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest
}

/** AddTagEventToImageStream on a draft the caller owns. Returns whether the draft changed. */
export function addTagEventInPlace(stream: ImageStream, tag: string, next: TagEvent): boolean {
  const list = ensureStatusTag(stream, tag)
  if (!list.items || list.items.length === 0) {
    // Go replaces the whole TagEventList here, so earlier conditions go too.
    list.items = [{ ...next }]
    delete list.conditions
    return true
  }
  const previous = list.items[0]
  const sameRef = previous.dockerImageReference === next.dockerImageReference
  const sameImage = previous.image === next.image
  const sameGen = previous.generation === next.generation
  if (sameRef && sameImage && sameGen) return false
  if (!sameRef && !sameImage) {
    // A different image: history grows (newest first) and old failures no longer describe the current item.
    delete list.conditions
    list.items = [{ ...next }, ...list.items]
    return true
  }
  // Collapse: re-importing the same digest, or one half of the pair moving, rewrites items[0] in place.
  if (!sameImage) previous.image = next.image
  if (!sameRef) previous.dockerImageReference = next.dockerImageReference
  previous.generation = next.generation
  delete list.conditions
  return true
}

/**
 * AddTagEventToImageStream ([oas] internal/imageutil/helpers.go), pure: same ref+image+generation → no-op;
 * same ref+image → only items[0].generation; one of ref/image changed → that field in place; else prepend and
 * clear the tag's conditions.
 */
export function addTagEventToImageStream(
  stream: ImageStream,
  tag: string,
  next: TagEvent
): { stream: ImageStream; changed: boolean } {
  const draft = cloneStream(stream)
  const changed = addTagEventInPlace(draft, tag, next)
  return changed ? { stream: draft, changed } : { stream, changed }
}

/** differentTagEvent (rest.go): items[0] differs from `next` in ref or image (generation not compared). */
export function differentTagEvent(stream: ImageStream, tag: string, next: TagEvent): boolean {
  const items = statusTag(stream, tag)?.items
  if (!items || items.length === 0) return true
  return !(items[0].dockerImageReference === next.dockerImageReference && items[0].image === next.image)
}

/** differentTagGeneration (rest.go): the spec tag asks for a newer generation than items[0] records. */
export function differentTagGeneration(stream: ImageStream, tag: string): boolean {
  const ref = specTag(stream, tag)
  if (!ref || ref.generation === undefined || ref.generation === null) return true
  const items = statusTag(stream, tag)?.items
  if (!items || items.length === 0) return true
  return ref.generation > items[0].generation
}

/** hasTagChanged: whether recording `next` for `tag` changes the stream at all (rest.go importSuccessful). */
export function hasTagChanged(stream: ImageStream, tag: string, next: TagEvent): boolean {
  return differentTagEvent(stream, tag, next) || differentTagGeneration(stream, tag) || !specTag(stream, tag)
}
