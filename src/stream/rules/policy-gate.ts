/**
 * Whether a policy tag's candidate (the winning tag and the digest it has now) may land, decided in this order:
 *  1. platforms: under `require-platforms` an index missing one of them is not pinned yet (a later run pins it when
 *     complete); a single-platform image for a multi-platform requirement is refused.
 *  2. immutability: the tag it follows is the one on record but its digest changed — the release was re-pushed.
 *     That is drift: refused (a failure condition), unless accepted (import-image on the tag, or accept-drift).
 *  3. soak (`min-age`): a move lands only once this pipeline first saw the same candidate at least that long ago.
 *     First sight, not the image's `created`: reproducible builds (ko, Bazel, Nix, SOURCE_DATE_EPOCH) write 1970 or
 *     the commit time there, which would make every image look old. First sights live in a metadata annotation.
 * Pure: the importer passes what the registry said and writes back what this returns.
 */
import { ANNOTATION_PREFIX, type ImageStream } from '../types.js'
import { readJsonAnnotation, writeJsonAnnotation } from './draft.js'
import type { TagPolicy } from './policy.js'

/** JSON object: spec tag → the candidate a policy import first saw and when (RFC 3339). */
export const FIRST_SEEN_ANNOTATION = `${ANNOTATION_PREFIX}first-seen`

export interface FirstSight {
  /** The pull spec the tag would move to (`repo:1.4.3`). */
  from: string
  digest: string
  seen: string
}

export interface GateInput {
  policy: TagPolicy
  /** The spec tag's `from` now, and the candidate's. Equal when the policy keeps the same tag. */
  currentFrom: string
  candidateFrom: string
  /** The digest the import would record. */
  digest: string
  /** The top manifest's digest (the index, when there is one): accept-drift may name either. */
  topDigest: string
  /** `os/arch[/variant]` of an index's images; undefined for a single image. */
  platforms?: string[]
  /** items[0].image when it was recorded for the current spec (not for a from a person has since changed). */
  recorded?: string
  firstSeen?: FirstSight
  now: string
  /** `import-image` named this tag: a person asked for it now (accepts drift, skips the soak). */
  explicit: boolean
}

export type GateDecision =
  | { kind: 'land'; acceptedDrift?: { oldDigest: string } }
  | { kind: 'unchanged' }
  | { kind: 'soaking'; firstSeen: FirstSight; until: string }
  | { kind: 'incomplete'; missing: string[] }
  | { kind: 'refused'; reason: 'PlatformsMissing'; message: string }
  | { kind: 'drift'; oldDigest: string; newDigest: string }

function platformCovered(required: string, present: readonly string[]): boolean {
  const [os, arch, variant] = required.split('/')
  return present.some((p) => {
    const [pos, parch, pvariant] = p.split('/')
    return pos === os && parch === arch && (variant === undefined || pvariant === variant)
  })
}

export function decideGate(input: GateInput): GateDecision {
  const { policy } = input
  const required = policy.requirePlatforms
  if (required.length) {
    if (!input.platforms) {
      if (required.length > 1) {
        return {
          kind: 'refused',
          reason: 'PlatformsMissing',
          message:
            `${input.candidateFrom} is a single-platform image, but require-platforms asks for ` +
            `${required.join(', ')}; push a multi-platform index, or narrow require-platforms`
        }
      }
    } else {
      const missing = required.filter((r) => !platformCovered(r, input.platforms!))
      if (missing.length) return { kind: 'incomplete', missing }
    }
  }
  const sameTag = input.candidateFrom === input.currentFrom
  const moved = !sameTag || input.recorded !== input.digest
  if (!moved) return { kind: 'unchanged' }
  let acceptedDrift: { oldDigest: string } | undefined
  if (sameTag && policy.immutable && input.recorded) {
    const accepted =
      input.explicit ||
      policy.acceptDrift === 'true' ||
      policy.acceptDrift === input.digest ||
      policy.acceptDrift === input.topDigest
    if (!accepted) return { kind: 'drift', oldDigest: input.recorded, newDigest: input.digest }
    acceptedDrift = { oldDigest: input.recorded }
  }
  if (policy.minAgeSeconds > 0 && !input.explicit) {
    const seen = input.firstSeen
    const same = seen && seen.from === input.candidateFrom && seen.digest === input.digest
    const since = same ? seen.seen : input.now
    const untilMs = Date.parse(since) + policy.minAgeSeconds * 1000
    if (Date.parse(input.now) < untilMs) {
      const until = new Date(untilMs).toISOString().replace(/\.\d{3}Z$/, 'Z')
      return { kind: 'soaking', firstSeen: { from: input.candidateFrom, digest: input.digest, seen: since }, until }
    }
  }
  return acceptedDrift ? { kind: 'land', acceptedDrift } : { kind: 'land' }
}

export function readFirstSeen(stream: ImageStream): Record<string, FirstSight> {
  return readJsonAnnotation<FirstSight>(stream, FIRST_SEEN_ANNOTATION) ?? {}
}

/** Records (or, with undefined, forgets) a tag's first sight in place; true when the annotation changed. */
export function recordFirstSeenInPlace(stream: ImageStream, tag: string, sight: FirstSight | undefined): boolean {
  const all = readFirstSeen(stream)
  const before = JSON.stringify(all[tag])
  if (sight) all[tag] = sight
  else delete all[tag]
  if (JSON.stringify(all[tag]) === before) return false
  return writeJsonAnnotation(stream, FIRST_SEEN_ANNOTATION, all)
}
