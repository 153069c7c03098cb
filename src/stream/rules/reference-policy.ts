/**
 * ResolveLatestTaggedImage / ResolveReferenceForTagEvent ([lg] pkg/image/imageutil/helpers.go):
 * what a consumer of `stream:tag` (a trigger, `oc describe`, an istag) is given.
 *  - Source (the default): items[0].dockerImageReference.
 *  - Local: `<status.dockerImageRepository>@<items[0].image>`, falling back to Source when either part is empty.
 * [lg] pkg/image/imageutil/helpers.go, [oas] internal/imageutil/helpers.go
 */
import type { ImageStream, TagEvent } from '../types.js'

export function findSpecTag(stream: ImageStream, tag: string) {
  return stream.spec.tags?.find((t) => t.name === tag)
}

export function findStatusTag(stream: ImageStream, tag: string) {
  return stream.status?.tags?.find((t) => t.tag === tag)
}

/** The current item of a tag (items[0]), if the tag has any history. */
export function latestTagEvent(stream: ImageStream, tag: string): TagEvent | undefined {
  const items = findStatusTag(stream, tag)?.items
  return items && items.length > 0 ? items[0] : undefined
}

/** ResolveReferenceForTagEvent: the pull spec for one event under the tag's reference policy. */
export function resolveReferenceForTagEvent(stream: ImageStream, tag: string, event: TagEvent): string {
  const policy = findSpecTag(stream, tag)?.referencePolicy?.type || 'Source'
  if (policy === 'Local') {
    const local = stream.status?.dockerImageRepository
    if (local && event.image) return `${local}@${event.image}`
  }
  return event.dockerImageReference
}

/** ResolveLatestTaggedImage: the reference for items[0], or undefined when the tag has no history yet. */
export function resolveLatestTaggedImage(stream: ImageStream, tag: string): string | undefined {
  const event = latestTagEvent(stream, tag)
  return event ? resolveReferenceForTagEvent(stream, tag, event) : undefined
}
