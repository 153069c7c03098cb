/**
 * `oc import-image IMAGESTREAM[:TAG]` ([oc] pkg/cli/importimage/importimage.go Complete, createImageImport,
 * importAll, importTag, newImageStream, newImageStreamImportTags):
 *  - the tag defaults to `latest`; a tag with --all, or an `@id`, is refused ("use the 'tag' command");
 *  - a missing stream needs --confirm; --all imports a whole repository (spec.dockerImageRepository, changing it
 *    needs --confirm) or, without --from, re-imports every DockerImage spec tag;
 *  - a single tag follows aliases (FollowTagReference) and refuses non-DockerImage tags or a different --from;
 *  - --scheduled and the tag's insecure are OR'ed with what the tag had; --insecure, when given, overrides the
 *    stream's `openshift.io/image.insecureRepository`; --import-mode defaults to Legacy, --reference-policy to
 *    source (an existing type is kept, as the server's ensureSpecTag does).
 * The import is asked for explicitly (the plan), as oc's ImageStreamImport asks: an existing tag keeps its
 * generation, so a digest that did not move writes nothing (rest.go Create: "stream did not change"). A stream this
 * creates is the ImageStreamImport's new object (rest.go Create: `Generation: 0`); its tag holds generation 0 until
 * applyImportResults sets it, so the created stream is 1/1/1 as OpenShift's (a file never holds 0).
 */
import { InputError } from '../../util/errors.js'
import { API_VERSION, INSECURE_REPOSITORY_ANNOTATION, KIND } from '../types.js'
import type { ImageStream, ImportModeValue, ReferencePolicyType, TagReference } from '../types.js'
import { cloneStream, DEFAULT_IMAGE_TAG, sameImportPolicy, specTag } from './draft.js'
import { importRequestFor } from './schedule.js'
import type { ImportPlan } from './schedule.js'
import { followTagReference, TagReferenceError } from './tracking.js'
import { isPathComponent, isValidTagName } from '../../reference/reference.js'

export interface ImportImageOptions {
  from?: string
  confirm?: boolean
  all?: boolean
  scheduled?: boolean
  /** Given (true or false) it overrides the stream annotation; undefined leaves the annotation in charge. */
  insecure?: boolean
  /** 'source' (default) | 'local'. */
  referencePolicy?: string
  /** 'Legacy' (default) | 'PreserveOriginal'. */
  importMode?: string
  /** The namespace for a stream this creates. */
  namespace?: string
}

export interface ImportImageResult {
  /** The working copy: an existing stream with its import policy applied, or the new stream (tag generation 0). */
  stream: ImageStream
  plan: ImportPlan
  created: boolean
}

interface Target {
  name: string
  tag: string
}

function parseTarget(target: string, all: boolean): Target {
  if (!target) throw new InputError('you must specify the name of an image stream')
  const invalid = () =>
    new InputError(
      'the image name must be a valid container image pull spec or reference to an image stream (e.g. myregistry/myteam/image:tag)',
      { field: 'IMAGESTREAM' }
    )
  if (/\s/.test(target)) throw invalid()
  const at = target.indexOf('@')
  if (at >= 0) throw new InputError("to import images by ID, use the 'tag' command", { field: 'IMAGESTREAM' })
  const slash = target.lastIndexOf('/')
  const colon = target.lastIndexOf(':')
  const path = colon > slash ? target.slice(0, colon) : target
  const tag = colon > slash ? target.slice(colon + 1) : ''
  const name = path.slice(path.lastIndexOf('/') + 1)
  if (!isPathComponent(name) || (colon > slash && !isValidTagName(tag))) {
    throw invalid()
  }
  if (tag && all) throw new InputError(`cannot specify a tag "${target}" as well as --all`, { field: 'IMAGESTREAM' })
  return { name, tag: tag || (all ? '' : DEFAULT_IMAGE_TAG) }
}

function referencePolicyOf(flag: string | undefined): ReferencePolicyType {
  if (flag === undefined || flag === 'source') return 'Source'
  if (flag === 'local') return 'Local'
  throw new InputError("reference policy must be set to 'source' or 'local'", { field: '--reference-policy' })
}

function importModeOf(flag: string | undefined): ImportModeValue {
  if (flag === undefined) return 'Legacy'
  if (flag === 'Legacy' || flag === 'PreserveOriginal') return flag
  throw new InputError(`invalid import mode "${flag}": valid values are 'Legacy', 'PreserveOriginal'`, {
    field: '--import-mode'
  })
}

interface ImportModes {
  importMode: ImportModeValue
  referencePolicy: ReferencePolicyType
}

/** No stream of that name: with --confirm, a new stream that imports the target (a tag, or with --all the repository). */
function createAndImport(
  target: string,
  name: string,
  tag: string,
  options: ImportImageOptions,
  { importMode, referencePolicy }: ImportModes
): ImportImageResult {
  const all = options.all === true
  if (!options.confirm) {
    throw new InputError(`no image stream named "${name}" exists, pass --confirm to create and import`, {
      field: 'IMAGESTREAM'
    })
  }
  const from = options.from || target
  const created: ImageStream = {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name, ...(options.namespace ? { namespace: options.namespace } : {}) },
    spec: {}
  }
  if (all) {
    created.spec.dockerImageRepository = from
    return {
      stream: created,
      plan: repositoryPlan(created, from, options.insecure === true, referencePolicy),
      created: true
    }
  }
  const ref = newTag(tag, from, importMode, referencePolicy, options)
  created.spec.tags = [ref]
  return { stream: created, plan: { tags: [importRequestFor(created, ref, 'requested')] }, created: true }
}

/** `--all` on an existing stream: the repository it imports (or every DockerImage tag when it imports none). */
function importRepository(
  draft: ImageStream,
  options: ImportImageOptions,
  insecureDefault: boolean,
  { importMode, referencePolicy }: ImportModes
): ImportImageResult {
  let from = options.from ?? ''
  if (!from) {
    if (draft.spec.dockerImageRepository) {
      from = draft.spec.dockerImageRepository
    } else {
      const refs = (draft.spec.tags ?? []).filter((t) => t.from?.kind === 'DockerImage')
      if (refs.length === 0)
        throw new InputError('image stream does not have tags pointing to external container images')
      for (const ref of refs) forceImport(ref, importMode, options, insecureDefault)
      return {
        stream: draft,
        plan: { tags: refs.map((r) => importRequestFor(draft, r, 'requested')) },
        created: false
      }
    }
  }
  if (from !== (draft.spec.dockerImageRepository ?? '')) {
    if (!options.confirm) {
      if (!draft.spec.dockerImageRepository) {
        throw new InputError(
          'the image stream does not currently import an entire Docker repository, pass --confirm to update'
        )
      }
      throw new InputError(
        `the image stream has a different import spec "${draft.spec.dockerImageRepository}", pass --confirm to update`
      )
    }
    draft.spec.dockerImageRepository = from
  }
  return { stream: draft, plan: repositoryPlan(draft, from, insecureDefault, referencePolicy), created: false }
}

/** `oc import-image`: `stream` is the existing stream of that name, or undefined when there is none. */
export function importImage(
  stream: ImageStream | undefined,
  target: string,
  options: ImportImageOptions = {}
): ImportImageResult {
  const all = options.all === true
  const { name, tag } = parseTarget(target, all)
  const referencePolicy = referencePolicyOf(options.referencePolicy)
  const importMode = importModeOf(options.importMode)
  if (stream && stream.metadata.name !== name) {
    throw new InputError(`image stream "${stream.metadata.name}" is not the target "${name}"`, { field: 'IMAGESTREAM' })
  }

  if (!stream) return createAndImport(target, name, tag, options, { importMode, referencePolicy })

  const draft = cloneStream(stream)
  const insecureDefault =
    options.insecure !== undefined
      ? options.insecure
      : draft.metadata.annotations?.[INSECURE_REPOSITORY_ANNOTATION] === 'true'

  if (all) return importRepository(draft, options, insecureDefault, { importMode, referencePolicy })

  // importTag
  const from = options.from ?? ''
  let ref: TagReference | undefined
  try {
    const followed = followTagReference(draft, tag)
    const existing = followed.ref
    if (existing.from && existing.from.kind !== 'DockerImage') {
      throw new InputError(
        `tag "${tag}" points to existing ${existing.from.kind} "${existing.from.name}", it cannot be re-imported`
      )
    }
    if (!existing.from) {
      throw new InputError(
        `tag "${tag}" already exists - you must use the 'tag' command if you want to change the source to "${from}"`
      )
    }
    if (from && from !== existing.from.name) {
      if (followed.multiple) {
        throw new InputError(
          `the tag "${tag}" points to the tag "${followed.finalTag}" which points to "${existing.from.name}" - use the 'tag' command if you want to change the source to "${from}"`
        )
      }
      throw new InputError(
        `the tag "${tag}" points to "${existing.from.name}" - use the 'tag' command if you want to change the source to "${from}"`
      )
    }
    ref = specTag(draft, followed.finalTag)!
    forceImport(ref, importMode, options, insecureDefault)
  } catch (err) {
    if (!(err instanceof TagReferenceError)) throw err
    switch (err.code) {
      case 'ErrInvalidReference':
        throw new InputError(`tag "${tag}" points to an invalid imagestreamtag`)
      case 'ErrCrossImageStreamReference':
        throw new InputError(`tag "${tag}" points to an imagestreamtag from another ImageStream`)
      case 'ErrCircularReference':
        throw new InputError(`tag "${tag}" on the image stream is a reference to same tag`)
      case 'ErrNotFoundReference': {
        const source = from || (tag === DEFAULT_IMAGE_TAG ? (draft.spec.dockerImageRepository ?? '') : '')
        if (!source) {
          throw new InputError(
            `the tag "${tag}" does not exist on the image stream - choose an existing tag to import or use the 'tag' command to create a new tag`
          )
        }
        ref = newTag(tag, source, importMode, referencePolicy, { ...options, insecure: insecureDefault })
        draft.spec.tags = [...(draft.spec.tags ?? []), ref]
      }
    }
  }
  return { stream: draft, plan: { tags: [importRequestFor(draft, ref!, 'requested')] }, created: false }
}

function newTag(
  tag: string,
  from: string,
  importMode: ImportModeValue,
  referencePolicy: ReferencePolicyType,
  options: ImportImageOptions
): TagReference {
  return {
    name: tag,
    annotations: null,
    from: { kind: 'DockerImage', name: from },
    generation: 0,
    importPolicy: {
      ...(options.insecure ? { insecure: true } : {}),
      ...(options.scheduled ? { scheduled: true } : {}),
      importMode
    },
    referencePolicy: { type: referencePolicy }
  }
}

/**
 * The import policy the ImageStreamImport carries (newImageStreamImportTags: insecure and scheduled OR'ed with the
 * tag's, the --import-mode) ends up on the spec tag (rest.go importSuccessful `specTag.ImportPolicy = importPolicy`).
 * Nothing else of the tag changes: `oc import-image` sends only the ImageStreamImport, so the spec generation stays
 * and the explicit request is what makes the import happen. When the policy only spells out defaults, the tag is left
 * as written, so an import of a digest that did not move changes nothing at all.
 */
function forceImport(
  ref: TagReference,
  importMode: ImportModeValue,
  options: ImportImageOptions,
  insecureDefault: boolean
) {
  const insecure = insecureDefault || ref.importPolicy?.insecure === true
  const scheduled = options.scheduled === true || ref.importPolicy?.scheduled === true
  const policy = { ...(insecure ? { insecure: true } : {}), ...(scheduled ? { scheduled: true } : {}), importMode }
  if (!sameImportPolicy(ref.importPolicy, policy)) ref.importPolicy = policy
}

function repositoryPlan(
  stream: ImageStream,
  from: string,
  insecure: boolean,
  referencePolicy: ReferencePolicyType
): ImportPlan {
  return {
    tags: [],
    repository: {
      stream: stream.metadata.name,
      ...(stream.metadata.namespace ? { namespace: stream.metadata.namespace } : {}),
      from,
      insecure,
      referencePolicy
    }
  }
}
