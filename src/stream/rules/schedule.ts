/**
 * Which tags one run imports, and with what ImageImportSpec.
 *  - 'scheduled': the scheduled import controller ([ocm] pkg/image/controller/scheduled_image_controller.go
 *    resetScheduledTags/needsScheduling): importable tags with importPolicy.scheduled — a digest-pinned from.name
 *    only until its first successful import — plus every tag the ImageStreamController would import
 *    ([ocm] imagestream_controller.go tagNeedsImport/needsImport).
 *  - 'all': every importable tag (`oc import-image --all` on a stream without --from).
 *  - { tags }: like `oc import-image stream:tag` ([oc] pkg/cli/importimage/importimage.go importTag): aliases are
 *    followed with FollowTagReference and the import lands on the final tag; non-DockerImage tags are refused.
 * A stream with spec.dockerImageRepository gets a repository import in 'all' mode, or before its first import
 * (no dockerRepositoryCheck annotation), as needsImport's non-partial case does.
 */
import { InputError } from '../../util/errors.js'
import {
  DOCKER_REPOSITORY_CHECK_ANNOTATION,
  INSECURE_REPOSITORY_ANNOTATION,
  PREFER_ARCH_ANNOTATION,
  PREFER_OS_ANNOTATION
} from '../types.js'
import type { ImageStream, ImportModeValue, ReferencePolicyType, TagReference } from '../types.js'
import { statusTag } from './draft.js'
import { tagImportable, tagNeedsImport } from './pending.js'
import { followTagReference, TagReferenceError } from './tracking.js'

export type ImportSelection = 'scheduled' | 'all' | { tags: string[] }

export interface TagImportRequest {
  stream: string
  namespace?: string
  tag: string
  /** The pull spec to resolve: the spec tag's from.name, verbatim. */
  from: string
  importMode: ImportModeValue
  insecure: boolean
  scheduled: boolean
  preferArch?: string
  preferOs?: string
  referencePolicy: ReferencePolicyType
  /** Why it is in the plan: a scheduled tick, a pending generation, `all`, or named by the caller. */
  reason: 'scheduled' | 'pending' | 'all' | 'requested'
}

export interface RepositoryImportRequest {
  stream: string
  namespace?: string
  /** spec.dockerImageRepository: every tag of it is listed, prioritized and capped (priority.ts). */
  from: string
  insecure: boolean
  referencePolicy: ReferencePolicyType
}

export interface ImportPlan {
  tags: TagImportRequest[]
  repository?: RepositoryImportRequest
}

function streamInsecure(stream: ImageStream): boolean {
  return stream.metadata.annotations?.[INSECURE_REPOSITORY_ANNOTATION] === 'true'
}

/** The ImageImportSpec the controller sends for one spec tag. */
export function importRequestFor(
  stream: ImageStream,
  ref: TagReference,
  reason: TagImportRequest['reason']
): TagImportRequest {
  const request: TagImportRequest = {
    stream: stream.metadata.name,
    tag: ref.name,
    from: ref.from!.name,
    importMode: ref.importPolicy?.importMode || 'Legacy',
    insecure: ref.importPolicy?.insecure === true || streamInsecure(stream),
    scheduled: ref.importPolicy?.scheduled === true,
    referencePolicy: ref.referencePolicy?.type || 'Source',
    reason
  }
  if (stream.metadata.namespace) request.namespace = stream.metadata.namespace
  const arch = ref.annotations?.[PREFER_ARCH_ANNOTATION]
  const os = ref.annotations?.[PREFER_OS_ANNOTATION]
  if (arch) request.preferArch = arch
  if (os) request.preferOs = os
  return request
}

/** A from.name with `@digest` is pinned: scheduling stops once it has imported successfully. */
function pinnedAndImported(stream: ImageStream, ref: TagReference): boolean {
  if (!ref.from?.name.includes('@')) return false
  const list = statusTag(stream, ref.name)
  const failed = list?.conditions?.some((c) => c.type === 'ImportSuccess' && c.status === 'False')
  return (list?.items?.length ?? 0) > 0 && !failed
}

export function planImports(stream: ImageStream, selection: ImportSelection): ImportPlan {
  const hasCheck = Boolean(stream.metadata.annotations?.[DOCKER_REPOSITORY_CHECK_ANNOTATION])
  const tags: TagImportRequest[] = []
  const plan: ImportPlan = { tags }

  if (typeof selection === 'object') {
    const seen = new Set<string>()
    for (const name of selection.tags) {
      const ref = resolveRequestedTag(stream, name)
      if (seen.has(ref.name)) continue
      seen.add(ref.name)
      tags.push(importRequestFor(stream, ref, 'requested'))
    }
    return plan
  }

  for (const ref of stream.spec.tags ?? []) {
    if (!tagImportable(ref) || !ref.from?.name) continue
    if (selection === 'all') tags.push(importRequestFor(stream, ref, 'all'))
    else if (ref.importPolicy?.scheduled && !pinnedAndImported(stream, ref))
      tags.push(importRequestFor(stream, ref, 'scheduled'))
    else if (tagNeedsImport(stream, ref, !hasCheck)) tags.push(importRequestFor(stream, ref, 'pending'))
  }
  const repository = stream.spec.dockerImageRepository
  if (repository && (selection === 'all' || !hasCheck)) {
    plan.repository = {
      stream: stream.metadata.name,
      ...(stream.metadata.namespace ? { namespace: stream.metadata.namespace } : {}),
      from: repository,
      insecure: streamInsecure(stream),
      referencePolicy: 'Source'
    }
  }
  return plan
}

/** `oc import-image stream:tag` on an existing tag: follow aliases, refuse what cannot be re-imported. */
export function resolveRequestedTag(stream: ImageStream, tag: string): TagReference {
  let followed
  try {
    followed = followTagReference(stream, tag)
  } catch (err) {
    if (!(err instanceof TagReferenceError)) throw err
    const field = `${stream.metadata.name}:${tag}`
    switch (err.code) {
      case 'ErrInvalidReference':
        throw new InputError(`tag "${tag}" points to an invalid imagestreamtag`, { field })
      case 'ErrCrossImageStreamReference':
        throw new InputError(`tag "${tag}" points to an imagestreamtag from another ImageStream`, { field })
      case 'ErrCircularReference':
        throw new InputError(`tag "${tag}" on the image stream is a reference to same tag`, { field })
      case 'ErrNotFoundReference':
        throw new InputError(
          `the tag "${tag}" does not exist on the image stream - choose an existing tag to import or use the 'tag' command to create a new tag`,
          { field }
        )
    }
  }
  const { ref } = followed
  if (!ref.from) {
    throw new InputError(`tag "${tag}" has no source (spec.tags[].from) - use the 'tag' command to set one`, {
      field: `${stream.metadata.name}:${tag}`
    })
  }
  if (ref.from.kind !== 'DockerImage') {
    throw new InputError(
      `tag "${tag}" points to existing ${ref.from.kind} "${ref.from.name}", it cannot be re-imported`,
      {
        field: `${stream.metadata.name}:${tag}`
      }
    )
  }
  if (ref.reference) {
    // The server would record a digest on a tag meant to stay a verbatim reference; refuse instead.
    throw new InputError(`tag "${ref.name}" is a reference tag (reference: true) and is never imported`, {
      field: `${stream.metadata.name}:${tag}`
    })
  }
  return ref
}
