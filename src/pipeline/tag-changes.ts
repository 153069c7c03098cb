/**
 * What a run changed, in the result's terms: the tags whose current image moved, the manifest lines each move
 * touched, and the holds of every stream.
 */
import { sameStreamTag } from '../reference/names.js'
import { listHolds } from '../stream/rules/holds.js'
import type { ImageStream } from '../stream/types.js'
import type { Edit } from '../triggers/types.js'
import type { HeldTag, TagChange, TouchedLine } from './result.js'

/** The holds of every stream, for the result of a command that did not import. */
export function holdsOf(streams: ImageStream[]): HeldTag[] {
  return streams.flatMap((s) =>
    listHolds(s).map((h) => ({
      stream: s.metadata.name,
      ...(s.metadata.namespace ? { namespace: s.metadata.namespace } : {}),
      tag: h.tag,
      heldDigest: h.digest,
      ...(h.upstream ? { upstreamDigest: h.upstream } : {})
    }))
  )
}

/** Tags whose current image (items[0]) a command's rules moved: what a rollback or an alias change means. */
export function currentImageChanges(before: ImageStream | undefined, after: ImageStream): TagChange[] {
  const out: TagChange[] = []
  for (const t of after.status?.tags ?? []) {
    const newest = t.items?.[0]
    if (!newest?.image) continue
    const old = before?.status?.tags?.find((b) => b.tag === t.tag)?.items?.[0]
    if (old?.image === newest.image) continue
    out.push({
      stream: after.metadata.name,
      ...(after.metadata.namespace ? { namespace: after.metadata.namespace } : {}),
      tag: t.tag,
      repository: newest.dockerImageReference.replace(/@.*$/, ''),
      ...(old?.image ? { oldDigest: old.image } : {}),
      newDigest: newest.image,
      history: (t.items ?? []).map((i) => ({ digest: i.image, created: i.created }))
    })
  }
  return out
}

/** Each change lists the manifest lines its tag moved (edits name their source `[ns/]stream:tag`). */
export function attachTouchedLines(changes: TagChange[], edits: Edit[]): void {
  for (const change of changes) {
    const touched: TouchedLine[] = edits
      .filter((e) => sameStreamTag(e.from, change))
      .map((e) => ({ file: e.file, line: e.line, oldValue: e.oldValue ?? '', newValue: e.newValue }))
    if (touched.length) change.files = touched
  }
}
