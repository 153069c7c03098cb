/**
 * The server side of an import ([oas] registry/imagestreamimport/rest.go Create, importSuccessful,
 * checkImportFailure, ensureSpecTag), as one pure function over registry results:
 *  - nextGeneration = metadata.generation + 1, shared by every tag of one run (one ImageStreamImport);
 *  - success: if hasTagChanged (new ref/image, or the spec asks for a newer generation, or no spec tag), the spec
 *    tag is reset (from = DockerImage <from>, generation → nextGeneration, import and reference policy kept unless
 *    the request's differs once defaults are applied), the event goes
 *    through AddTagEventToImageStream and UpdateTrackingTags; conditions are cleared either way;
 *  - failure: setFailureCondition; unless it is an identical repeat, the spec tag generation is reset too;
 *    items are untouched (the last good image stays current);
 *  - metadata.generation becomes nextGeneration when the spec changed; `openshift.io/image.dockerRepositoryCheck`
 *    is set to now on every write — and there is no write ("stream did not change") when nothing changed and the
 *    annotation is already there;
 *  - held tags (holds.ts) are not moved: the newer upstream digest is recorded instead (event 'held').
 * recordReferenceTags: `reference: true` tags are recorded, not imported (strategy.go tagReferenceToTagEvent:
 * the DockerImage ref verbatim, image empty).
 */
import { DOCKER_REPOSITORY_CHECK_ANNOTATION, UPSTREAM_ANNOTATION } from '../types.js'
import type { ImageStream, ReferencePolicyType, TagEvent, TagImportPolicy, TagReference } from '../types.js'
import { clearConditionsInPlace, setFailureConditionInPlace } from './conditions.js'
import {
  cloneStream,
  readHolds,
  readUpstream,
  recordUpstreamInPlace,
  sameImportPolicy,
  setAnnotation,
  specTag,
  statusTag,
  writeJsonAnnotation
} from './draft.js'
import { recordObservedInPlace } from './generation.js'
import { addTagEventInPlace, differentTagEvent, differentTagGeneration, newTagEvent } from './tag-event.js'
import { updateTrackingTagsInPlace } from './tracking.js'

export type ImportResult =
  | { ok: true; digest: string; /** canonical repository for repo@digest */ repository: string }
  | { ok: false; reason: string; message?: string }

export type ImportEvent = 'updated' | 'unchanged' | 'failed' | 'held'

export interface ImportEntry {
  tag: string
  result: ImportResult
  /** The pull spec that was imported; defaults to the spec tag's from.name (required for a tag not in spec). */
  from?: string
  /** For a tag not yet in spec (repository import): its import and reference policy. */
  importPolicy?: TagImportPolicy
  referencePolicy?: ReferencePolicyType
}

export interface TagOutcome {
  tag: string
  event: ImportEvent
  /** items[0] before and after (the same object content when not moved). */
  previous?: TagEvent
  current?: TagEvent
  /** Aliases that moved with the tag (UpdateTrackingTags). */
  tracking: string[]
}

export interface ImportApplied {
  stream: ImageStream
  /** False means: write nothing (not even dockerRepositoryCheck). */
  changed: boolean
  outcomes: TagOutcome[]
}

/** Applies one run's registry results to a stream. Entries for the same tag: the last one wins. */
export function applyImportResults(stream: ImageStream, entries: ImportEntry[], now: string): ImportApplied {
  if (entries.length === 0) return { stream, changed: false, outcomes: [] }
  const draft = cloneStream(stream)
  const nextGeneration = (stream.metadata.generation ?? 0) + 1
  const specBefore = JSON.stringify(stream.spec)
  const holds = readHolds(draft)
  const outcomes: TagOutcome[] = []

  for (const entry of entries) {
    const previous = statusTag(draft, entry.tag)?.items?.[0]
    const outcome: TagOutcome = { tag: entry.tag, event: 'unchanged', tracking: [] }
    if (previous) outcome.previous = { ...previous }

    if (!entry.result.ok) {
      outcome.event = 'failed'
      if (setFailureConditionInPlace(draft, entry.tag, entry.result, nextGeneration, now)) {
        const ref = ensureSpecTag(draft, entry, false)
        ref.generation = nextGeneration
      }
    } else if (holds[entry.tag]) {
      outcome.event = 'held'
      applyHeldSuccess(draft, entry.tag, holds[entry.tag].digest, entry.result.digest, nextGeneration)
    } else {
      const event = newTagEvent({
        repository: entry.result.repository,
        digest: entry.result.digest,
        generation: nextGeneration,
        now
      })
      const moved = differentTagEvent(draft, entry.tag, event)
      if (moved || differentTagGeneration(draft, entry.tag) || !specTag(draft, entry.tag)) {
        const ref = ensureSpecTag(draft, entry, true)
        ref.generation = nextGeneration
        if (addTagEventInPlace(draft, entry.tag, event)) {
          outcome.tracking = updateTrackingTagsInPlace(draft, entry.tag, statusTag(draft, entry.tag)!.items![0])
        }
      }
      clearConditionsInPlace(draft, entry.tag)
      if (moved) outcome.event = 'updated'
    }
    const current = statusTag(draft, entry.tag)?.items?.[0]
    if (current) outcome.current = { ...current }
    outcomes.push(outcome)
  }

  // ensureSpecTagGenerationsAreSet: a working-copy 0 (or a missing generation) never reaches the file.
  for (const ref of draft.spec.tags ?? []) {
    if (ref.generation === 0 || ref.generation === undefined || ref.generation === null) ref.generation = nextGeneration
  }
  if (JSON.stringify(draft.spec) !== specBefore) {
    draft.metadata.generation = nextGeneration
    recordObservedInPlace(draft)
  }
  const hadCheck = Boolean(stream.metadata.annotations?.[DOCKER_REPOSITORY_CHECK_ANNOTATION])
  const changed = !hadCheck || JSON.stringify(draft) !== JSON.stringify(stream)
  if (!changed) return { stream, changed: false, outcomes }
  setAnnotation(draft, DOCKER_REPOSITORY_CHECK_ANNOTATION, now)
  return { stream: draft, changed: true, outcomes }
}

/** applyImportResult: one tag's result (see applyImportResults). */
export function applyImportResult(
  stream: ImageStream,
  tag: string,
  result: ImportResult,
  now: string,
  options: Omit<ImportEntry, 'tag' | 'result'> = {}
): { stream: ImageStream; changed: boolean; event: ImportEvent; outcome: TagOutcome } {
  const applied = applyImportResults(stream, [{ ...options, tag, result }], now)
  const outcome = applied.outcomes[0]
  return { stream: applied.stream, changed: applied.changed, event: outcome.event, outcome }
}

/**
 * ensureSpecTag (rest.go): with reset, from becomes DockerImage <from> and importPolicy the request's, while an
 * explicit referencePolicy survives; without reset an existing tag is left alone.
 */
function ensureSpecTag(stream: ImageStream, entry: ImportEntry, reset: boolean): TagReference {
  stream.spec.tags ??= []
  let ref = stream.spec.tags.find((t) => t.name === entry.tag)
  if (ref && !reset) return ref
  const from = entry.from ?? ref?.from?.name
  if (!from) throw new Error(`import of "${entry.tag}": no spec tag and no from given`)
  if (!ref) {
    // A new tag is written as the server stores it: importMode and reference type defaulted.
    ref = { name: entry.tag, annotations: null, importPolicy: { ...(entry.importPolicy ?? { importMode: 'Legacy' }) } }
    ref.importPolicy!.importMode ??= 'Legacy'
    ref.referencePolicy = { type: entry.referencePolicy ?? 'Source' }
    stream.spec.tags.push(ref)
  }
  ref.from = { kind: 'DockerImage', name: from }
  // An existing tag's import policy is the one the request carried (the controller copies it from the tag): it
  // changes only when it means something else, never to spell out a default the file leaves implicit.
  if (entry.importPolicy && !sameImportPolicy(ref.importPolicy, entry.importPolicy)) {
    ref.importPolicy = { ...entry.importPolicy }
  }
  // The reference policy of an existing tag is never changed by an import: the server's copy always has a type
  // (SetDefaults_TagReferencePolicy), so ensureSpecTag's "only if not set" never fires for it.
  return ref
}

/** A held tag stays put; the upstream digest is remembered, and a stale failure is cleared as a success would. */
function applyHeldSuccess(draft: ImageStream, tag: string, heldDigest: string, digest: string, nextGeneration: number) {
  if (digest !== heldDigest) {
    recordUpstreamInPlace(draft, tag, digest)
  } else {
    const upstream = readUpstream(draft)
    if (upstream[tag]) {
      delete upstream[tag]
      writeJsonAnnotation(draft, UPSTREAM_ANNOTATION, upstream)
    }
  }
  if (clearConditionsInPlace(draft, tag)) {
    // Without a newer generation on items[0] the tag would look pending forever once the failure is gone.
    const ref = specTag(draft, tag)
    const first = statusTag(draft, tag)?.items?.[0]
    if (ref) ref.generation = nextGeneration
    if (first) first.generation = nextGeneration
  }
}

/**
 * tagReferenceToTagEvent for every `reference: true` DockerImage tag: the ref is recorded verbatim with no image,
 * at the tag's generation; aliases follow. No registry is involved and the stream generation does not move.
 */
export function recordReferenceTags(
  stream: ImageStream,
  now: string
): { stream: ImageStream; changed: boolean; tags: string[] } {
  const draft = cloneStream(stream)
  const recorded: string[] = []
  for (const ref of draft.spec.tags ?? []) {
    if (!ref.reference || ref.from?.kind !== 'DockerImage' || !ref.from.name) continue
    const generation = ref.generation || draft.metadata.generation || 1
    const first = statusTag(draft, ref.name)?.items?.[0]
    if (first && first.dockerImageReference === ref.from.name && first.image === '' && first.generation === generation)
      continue
    const event: TagEvent = { created: now, dockerImageReference: ref.from.name, image: '', generation }
    if (addTagEventInPlace(draft, ref.name, event)) {
      recorded.push(ref.name)
      updateTrackingTagsInPlace(draft, ref.name, statusTag(draft, ref.name)!.items![0])
    }
  }
  return recorded.length > 0 ? { stream: draft, changed: true, tags: recorded } : { stream, changed: false, tags: [] }
}
