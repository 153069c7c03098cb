/**
 * `oc tag` as a pure function on one stream ([oc] pkg/cli/tag/tag.go Complete/Validate/Run).
 *  - kind inference unless --source: registry host → DockerImage; `@id` → ImageStreamImage; `:tag` →
 *    ImageStreamTag; else DockerImage;
 *  - DockerImage: from = the exact source, generation 0 (then reconcileSpec turns it into a pending import);
 *  - ImageStreamTag without --alias: a snapshot — the source tag's items[0] becomes ImageStreamImage
 *    `<stream>@<digest>` (DockerImage when the event has no image);
 *  - --alias: ImageStreamTag `<stream>:<tag>`, a tracking tag; same stream only, no --scheduled/--insecure;
 *  - --reference, --reference-policy (source|local, default source: an existing Local is reset), --import-mode
 *    (default Legacy), -d deletes spec and status (the ImageStreamTag delete);
 *  - onto an existing tag the whole TagReference is replaced, annotations included (they become null); an alias or
 *    snapshot sent again unchanged keeps its generation, so the stream's does not move either.
 * The result goes through reconcileSpec, so generations, status of ImageStreamTag/Image refs and aliases end up
 * as the server's strategy.go would leave them. Errors are InputErrors worded as oc words them.
 */
import { formatLocation, InputError } from '../../util/errors.js'
import { HOLDS_ANNOTATION, UPSTREAM_ANNOTATION } from '../types.js'
import type { ImageStream, ImportModeValue, ReferencePolicyType, TagFromKind, TagReference } from '../types.js'
import { cloneStream, readHolds, readUpstream, specTag, statusTag, writeJsonAnnotation } from './draft.js'
import { reconcileSpec } from './generation.js'
import type { StreamLookup } from './generation.js'
import { isPathComponent, isValidTagName } from '../../reference/reference.js'
import { isImageIdText } from '../../reference/digest-text.js'

/** oc's tag-name rule as printed in its error (reference.isValidTagName checks it). */
const TAG_NAME_RULE = '[\\w][\\w.-]{0,127}'

export interface TagCommandOptions {
  /** --source: docker|dockerimage|istag|imagestreamtag|isimage|imagestreamimage (any case). */
  source?: string
  alias?: boolean
  reference?: boolean
  /** --reference-policy: 'source' | 'local'. */
  referencePolicy?: string
  /** --import-mode: 'Legacy' | 'PreserveOriginal' (default Legacy). */
  importMode?: string
  scheduled?: boolean
  insecure?: boolean
  /** Other streams (for snapshots of, and resolution against, another stream's tag). */
  lookup?: StreamLookup
  /**
   * Keep an existing tag's annotations and reference policy (not an oc flag): an automatic promotion re-points a
   * tag whose annotations hold the promotion policy itself, which a person's `oc tag` would reset.
   */
  keepTagSettings?: boolean
}

export interface TagCommandResult {
  stream: ImageStream
  /** What oc prints, one line per destination ("Tag web:prod set up to track web:1.4."). */
  messages: string[]
}

interface SourceRef {
  registry: string
  namespace: string
  name: string
  tag: string
  id: string
}

const VALID_SOURCES = ['docker', 'dockerimage', 'imagestreamimage', 'imagestreamtag', 'isimage', 'istag']

function sourceKindFromFlag(flag: string): TagFromKind {
  switch (flag.toLowerCase()) {
    case 'docker':
    case 'dockerimage':
      return 'DockerImage'
    case 'istag':
    case 'imagestreamtag':
      return 'ImageStreamTag'
    case 'isimage':
    case 'imagestreamimage':
      return 'ImageStreamImage'
    default:
      throw new InputError(`invalid source "${flag}"; valid values are ${VALID_SOURCES.join(', ')}`, {
        field: '--source'
      })
  }
}

/** The `[registry/][namespace/]name[:tag][@id]` split of OpenShift's DockerImageReference. */
function parseSource(text: string): SourceRef {
  const fail = (why: string): never => {
    throw new InputError(`not an image reference: ${why}`, { field: 'SOURCE' })
  }
  if (!text) fail('the source must not be empty')
  if (/\s/.test(text)) fail(`"${text}" contains whitespace`)
  let rest = text
  let id = ''
  const at = rest.indexOf('@')
  if (at >= 0) {
    id = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!isImageIdText(id)) fail(`invalid id "${id}"`)
  }
  let tag = ''
  const slash = rest.lastIndexOf('/')
  const colon = rest.lastIndexOf(':')
  if (colon > slash) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!isValidTagName(tag)) fail(`invalid tag "${tag}"`)
  }
  const parts = rest.split('/')
  let registry = ''
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    registry = parts.shift()!
  }
  if (parts.some((p) => !isPathComponent(p))) fail(`invalid repository name "${rest}"`)
  const name = parts.pop()!
  return { registry, namespace: parts.join('/'), name, tag, id }
}

/** Splits a DEST `[ns/]stream:tag` and checks it names a tag of `stream`. */
function parseDestination(stream: ImageStream, dest: string): string {
  const slash = dest.indexOf('/')
  const namespace = slash >= 0 ? dest.slice(0, slash) : ''
  const nameAndTag = slash >= 0 ? dest.slice(slash + 1) : dest
  const colon = nameAndTag.indexOf(':')
  if (colon < 0) throw new InputError(`"${nameAndTag}" must be of the form <stream_name>:<tag>`, { field: 'DEST' })
  const name = nameAndTag.slice(0, colon)
  const tag = nameAndTag.slice(colon + 1)
  if (name !== stream.metadata.name || (namespace && namespace !== (stream.metadata.namespace ?? ''))) {
    throw new InputError(`destination "${dest}" is not a tag of image stream "${streamLabel(stream)}"`, {
      field: 'DEST'
    })
  }
  if (!isValidTagName(tag)) {
    throw new InputError(
      `invalid tag name "${tag}": must match ^${TAG_NAME_RULE}$ (a letter, digit or underscore, then up to 127 of those, '.' or '-')`,
      { field: 'DEST' }
    )
  }
  return tag
}

function streamLabel(stream: ImageStream): string {
  return stream.metadata.namespace ? `${stream.metadata.namespace}/${stream.metadata.name}` : stream.metadata.name
}

function exactSource(ref: SourceRef): string {
  const path = [ref.registry, ref.namespace, ref.name].filter(Boolean).join('/')
  return `${path}${ref.tag ? `:${ref.tag}` : ''}${ref.id ? `@${ref.id}` : ''}`
}

function dropHoldInPlace(stream: ImageStream, tag: string) {
  const holds = readHolds(stream)
  const upstream = readUpstream(stream)
  delete holds[tag]
  delete upstream[tag]
  writeJsonAnnotation(stream, HOLDS_ANNOTATION, holds)
  writeJsonAnnotation(stream, UPSTREAM_ANNOTATION, upstream)
}

/** Complete (oc tag's `Complete`): the source's kind, then the snapshot of an istag the destination gets. */
function completeSource(
  stream: ImageStream,
  source: string,
  options: TagCommandOptions
): { kind: TagFromKind; ref: SourceRef; sourceText: string } {
  let kind: TagFromKind | undefined = options.source ? sourceKindFromFlag(options.source) : undefined
  let ref = parseSource(source)
  const currentNamespace = stream.metadata.namespace ?? ''
  if (kind === 'ImageStreamTag' || kind === 'ImageStreamImage') {
    if (ref.registry)
      throw new InputError('server in SOURCE is only allowed when providing a container image', { field: 'SOURCE' })
    if (kind === 'ImageStreamTag' && !ref.tag) {
      throw new InputError('--source=ImageStreamTag requires a valid <name>:<tag> in SOURCE', { field: 'SOURCE' })
    }
    if (kind === 'ImageStreamImage' && !ref.id) {
      throw new InputError('--source=ImageStreamImage requires a valid <name>@<id> in SOURCE', { field: 'SOURCE' })
    }
  }
  kind ??= ref.registry ? 'DockerImage' : ref.id ? 'ImageStreamImage' : ref.tag ? 'ImageStreamTag' : 'DockerImage'
  let sourceText = source
  if (kind === 'ImageStreamTag' && !options.alias) {
    const namespace = ref.namespace || currentNamespace
    const sameStream = namespace === currentNamespace && ref.name === stream.metadata.name
    const sourceStream = sameStream ? stream : options.lookup?.(namespace, ref.name)
    if (!sourceStream)
      throw new InputError(`imagestreams.image.openshift.io "${ref.name}" not found`, { field: 'SOURCE' })
    const event = statusTag(sourceStream, ref.tag)?.items?.[0]
    if (!event) {
      throw new InputError(`"${source}" is not currently pointing to an image, cannot use it as the source of a tag`, {
        field: 'SOURCE'
      })
    }
    if (!event.image) {
      ref = parseSource(event.dockerImageReference)
      kind = 'DockerImage'
      sourceText = event.dockerImageReference
    } else {
      ref = { ...ref, tag: '', id: event.image }
      kind = 'ImageStreamImage'
    }
  }

  return { kind, ref, sourceText }
}

/**
 * strategy.go tagRefChanged: from's name or namespace (defaulted to the stream's), reference or importMode differ,
 * or the generation was set to 0. The kind is not compared (as in Go).
 */
function tagRefChanged(old: TagReference, next: TagReference, streamNamespace: string): boolean {
  if (!next.from || (!next.from.kind && !next.from.name)) return false
  const oldFrom = old.from ?? { kind: '', name: '' }
  if ((oldFrom.namespace || streamNamespace) !== (next.from.namespace || streamNamespace)) return true
  if (oldFrom.name !== next.from.name) return true
  if ((old.reference === true) !== (next.reference === true)) return true
  if ((old.importPolicy?.importMode || 'Legacy') !== (next.importPolicy?.importMode || 'Legacy')) return true
  const [a, b] = [old.generation, next.generation]
  return a !== undefined && a !== null && b !== undefined && b !== null && a !== b && b === 0
}

/** `oc tag SOURCE DEST...` where every DEST is a tag of `stream`. */
export function tagCommand(
  stream: ImageStream,
  source: string,
  destinations: string[],
  now: string,
  options: TagCommandOptions = {}
): TagCommandResult {
  if (destinations.length === 0) {
    throw new InputError('you must specify a source and at least one destination or one or more tags to delete')
  }
  const policyFlag = options.referencePolicy
  if (policyFlag !== undefined && policyFlag !== 'source' && policyFlag !== 'local') {
    throw new InputError("reference policy must be set to 'source' or 'local'", { field: '--reference-policy' })
  }
  const importMode = (options.importMode ?? 'Legacy') as ImportModeValue
  if (importMode !== 'Legacy' && importMode !== 'PreserveOriginal') {
    throw new InputError(`invalid import mode "${options.importMode}": valid values are 'Legacy', 'PreserveOriginal'`, {
      field: '--import-mode'
    })
  }

  const currentNamespace = stream.metadata.namespace ?? ''
  const { kind, ref, sourceText } = completeSource(stream, source, options)

  // Validate.
  if (kind !== 'DockerImage' && (options.scheduled || options.insecure)) {
    throw new InputError('only container images can have importing flags set')
  }
  const tags = destinations.map((d) => parseDestination(stream, d))
  if (options.alias) {
    if (options.scheduled || options.insecure) {
      throw new InputError('cannot set a container image tag as an alias and also set import flags')
    }
    if ((ref.namespace && ref.namespace !== currentNamespace) || ref.name !== stream.metadata.name) {
      throw new InputError('cannot set alias across different Image Streams')
    }
  }

  // Run.
  const draft = cloneStream(stream)
  draft.spec.tags ??= []
  const messages: string[] = []
  const shown = kind === 'DockerImage' ? sourceText : exactSource(ref)
  for (const tag of tags) {
    const existing = specTag(draft, tag)
    // oc sends a whole new TagReference: its annotations are the ImageStreamTag's (none), and the reference policy
    // is the flag's (default source). The server stores it as sent (imagestreamtag/rest.go update:
    // `tagRef = *imageStreamTag.Tag; tagRef.Annotations = imageStreamTag.Annotations`).
    const next: TagReference = {
      name: tag,
      annotations: null,
      from: { kind, name: kind === 'DockerImage' ? sourceText : `${ref.name}${ref.id ? `@${ref.id}` : `:${ref.tag}`}` },
      // oc sends 0 for DockerImage (import now) and nothing otherwise; reconcileSpec sets either to the new generation.
      generation: kind === 'DockerImage' ? 0 : null,
      importPolicy: {
        ...(options.insecure ? { insecure: true } : {}),
        ...(options.scheduled ? { scheduled: true } : {}),
        importMode
      },
      referencePolicy: { type: (policyFlag === 'local' ? 'Local' : 'Source') as ReferencePolicyType }
    }
    if (existing && options.keepTagSettings) {
      next.annotations = existing.annotations ?? null
      if (!policyFlag && existing.referencePolicy) next.referencePolicy = { ...existing.referencePolicy }
    }
    if (kind !== 'DockerImage' && ref.namespace) next.from!.namespace = ref.namespace
    if (options.reference) next.reference = true
    // updateSpecTagGenerationsForUpdate + ensureSpecTagGenerationsAreSet: a tag sent without a generation keeps the
    // old one unless tagRefChanged, so re-running the same alias or snapshot bumps nothing. A tag held by a rollback
    // (ours) is the exception: the tag command lifts the hold, so the tag must show its source's image again.
    const held = readHolds(draft)[tag] !== undefined
    if (existing && !held && next.generation === null && !tagRefChanged(existing, next, currentNamespace)) {
      next.generation = existing.generation
    }
    if (existing) draft.spec.tags[draft.spec.tags.indexOf(existing)] = next
    else draft.spec.tags.push(next)
    // Pointing a tag somewhere new is an explicit decision: a rollback hold on it no longer applies.
    dropHoldInPlace(draft, tag)

    const dest = `${stream.metadata.name}:${tag}`
    if (options.alias) messages.push(`Tag ${dest} set up to track ${shown}.`)
    else if (options.scheduled) messages.push(`Tag ${dest} set to import ${shown} periodically.`)
    else messages.push(`Tag ${dest} set to ${shown}.`)
  }
  return { stream: reconcileDestinations(draft, tags, now, options.lookup), messages }
}

/**
 * reconcileSpec for the tags just set: an image the SOURCE names but the source stream does not have is the
 * SOURCE's error (as `oc tag` reports it), not one at a spec field the file does not hold yet.
 */
function reconcileDestinations(draft: ImageStream, tags: string[], now: string, lookup: StreamLookup | undefined) {
  try {
    return reconcileSpec(draft, now, { lookup }).stream
  } catch (err) {
    const field = err instanceof InputError ? err.location.field : undefined
    const index = /^spec\.tags\[(\d+)\]\.from/.exec(field ?? '')?.[1]
    const tag = index === undefined ? undefined : draft.spec.tags?.[Number(index)]?.name
    if (!(err instanceof InputError) || tag === undefined || !tags.includes(tag)) throw err
    throw new InputError(err.message.slice(formatLocation(err.location).length + 2), { field: 'SOURCE' })
  }
}

export interface DeleteTagOptions {
  source?: string
  sourceKind?: string
  alias?: boolean
  scheduled?: boolean
  insecure?: boolean
}

/** `oc tag -d DEST...`: deletes each ImageStreamTag, which removes the spec and the status entry. */
export function deleteTags(
  stream: ImageStream,
  destinations: string[],
  options: DeleteTagOptions = {}
): TagCommandResult {
  if (options.alias) throw new InputError('--alias and --delete may not be both specified')
  if (options.sourceKind) throw new InputError('cannot specify a source kind when deleting')
  if (options.source) throw new InputError('cannot specify a source when deleting')
  if (options.scheduled || options.insecure)
    throw new InputError('cannot set flags for importing images when deleting a tag')
  if (destinations.length === 0) throw new InputError('at least a destination is required')
  const draft = cloneStream(stream)
  const messages: string[] = []
  for (const dest of destinations) {
    const tag = parseDestination(stream, dest)
    const inSpec = specTag(draft, tag)
    const inStatus = statusTag(draft, tag)
    if (!inSpec && !inStatus) {
      throw new InputError(`imagestreamtags.image.openshift.io "${stream.metadata.name}:${tag}" not found`, {
        field: 'DEST'
      })
    }
    if (inSpec) draft.spec.tags = draft.spec.tags!.filter((t) => t.name !== tag)
    if (inStatus) draft.status!.tags = draft.status!.tags!.filter((t) => t.tag !== tag)
    dropHoldInPlace(draft, tag)
    messages.push(`Deleted tag ${streamLabel(stream)}:${tag}.`)
  }
  return { stream: reconcileSpec(draft).stream, messages }
}
