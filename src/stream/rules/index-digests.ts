/**
 * Which index (manifest list) each Legacy-imported platform image came from. A Legacy import records the platform
 * child in the TagEvent (OpenShift's importer picks one manifest of a list, reference §3), and a TagEvent has no
 * field for the list it came from; a Dockerfile `FROM` that builds for several platforms needs the index digest
 * (src/triggers/dockerfile.ts). So the import records `platform digest → index digest` in our own annotation, kept
 * only for digests the stream's history still holds.
 */
import { ANNOTATION_PREFIX, type ImageStream } from '../types.js'
import { readJsonAnnotation, writeJsonAnnotation } from './draft.js'

/** JSON object: platform image digest → the digest of the index it was chosen from. */
export const INDEX_DIGESTS_ANNOTATION = `${ANNOTATION_PREFIX}index-digests`

/** The recorded map (empty when there is none). */
export function readIndexDigests(stream: ImageStream): Record<string, string> {
  const raw = readJsonAnnotation<unknown>(stream, INDEX_DIGESTS_ANNOTATION) ?? {}
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v
  return out
}

/**
 * Returns the stream with `found` (platform digest → index digest, from this import's lookups) added to the map and
 * entries for images no longer in any tag's history dropped; the same object when nothing changes.
 */
export function recordIndexDigests(stream: ImageStream, found: ReadonlyMap<string, string>): ImageStream {
  let map: Record<string, string>
  try {
    map = readIndexDigests(stream)
  } catch {
    map = {} // a hand-broken value is rebuilt from what this import saw
  }
  for (const [platform, index] of found) if (platform !== index) map[platform] = index
  const held = new Set((stream.status?.tags ?? []).flatMap((t) => (t.items ?? []).map((i) => i.image)))
  for (const key of Object.keys(map)) if (!held.has(key)) delete map[key]
  const copy = structuredClone(stream)
  return writeJsonAnnotation(copy, INDEX_DIGESTS_ANNOTATION, map) ? copy : stream
}
