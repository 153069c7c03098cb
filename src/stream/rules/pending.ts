/**
 * "Import pending", as the import controller decides it ([ocm] pkg/image/controller/imagestream_controller.go
 * tagImportable, tagNeedsImport, needsImport) and `oc describe` shows it ([oc] pkg/helpers/describe/helpers.go
 * latestObservedTagGeneration: "~ importing latest image ...").
 */
import { DOCKER_REPOSITORY_CHECK_ANNOTATION } from '../types.js'
import type { ImageStream, TagReference } from '../types.js'
import { statusTag } from './draft.js'

/** tagImportable: from.kind DockerImage and not `reference: true`. */
export function tagImportable(ref: TagReference): boolean {
  return ref.from !== undefined && ref.from.kind === 'DockerImage' && ref.reference !== true
}

/** latestObservedTagGeneration: max(items[0].generation, the first ImportSuccess condition's generation), 0 if none. */
export function latestObservedTagGeneration(stream: ImageStream, tag: string): number {
  const list = statusTag(stream, tag)
  if (!list) return 0
  let last = 0
  const first = list.items?.[0]
  if (first && first.generation > last) last = first.generation
  const condition = list.conditions?.find((c) => c.type === 'ImportSuccess')
  if (condition && condition.generation > last) last = condition.generation
  return last
}

/**
 * tagNeedsImport: an importable tag whose spec generation is newer than what status observed.
 * A null generation counts only when `importWhenGenerationNil` (the stream lost its dockerRepositoryCheck);
 * generation 0 is our working copy's "import requested" marker and always counts.
 */
export function tagNeedsImport(stream: ImageStream, ref: TagReference, importWhenGenerationNil = false): boolean {
  if (!tagImportable(ref)) return false
  if (ref.generation === undefined || ref.generation === null) return importWhenGenerationNil
  if (ref.generation === 0) return true
  return ref.generation > latestObservedTagGeneration(stream, ref.name)
}

/** Whether `oc describe` would print "~ importing latest image ..." for this tag. */
export function importPending(stream: ImageStream, tag: string): boolean {
  const ref = stream.spec.tags?.find((t) => t.name === tag)
  if (!ref?.from || ref.reference) return false
  return (
    ref.generation !== undefined && ref.generation !== null && ref.generation > latestObservedTagGeneration(stream, tag)
  )
}

/**
 * needsImport: a stream without `openshift.io/image.dockerRepositoryCheck` is imported whole (not partial);
 * otherwise only when some tag needs it (partial).
 */
export function needsImport(stream: ImageStream): { ok: boolean; partial: boolean } {
  if (!stream.metadata.annotations?.[DOCKER_REPOSITORY_CHECK_ANNOTATION]) return { ok: true, partial: false }
  const pending = (stream.spec.tags ?? []).some((ref) => tagNeedsImport(stream, ref, false))
  return { ok: pending, partial: pending }
}
