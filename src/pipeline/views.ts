/**
 * What the read-only verbs show (`get`, `describe`, `history`), built from the state files with the stream rules:
 * OpenShift's tables and objects, and our own policy columns and history view. The CLI only renders them.
 */
import {
  followTagReference,
  formatOrdering,
  importPending,
  listHolds,
  parseTagPolicy,
  prioritizeTags,
  readFirstSeen,
  resolveReferenceForTagEvent
} from '../stream/rules/index.js'
import { readHolds, readUpstream } from '../stream/rules/draft.js'
import {
  OBSERVED_ANNOTATION,
  type ImageStream,
  type NamedTagEventList,
  type TagEvent,
  type TagReference
} from '../stream/types.js'

/** One tag of `oc describe is`, with what the stream rules say about it; report/describe.ts prints it. */
export interface TagDescription {
  name: string
  /** Tags that follow this one through ImageStreamTag references (FollowTagReference), in PrioritizeTags order. */
  aliases: string[]
  spec?: TagReference
  status?: NamedTagEventList
  /** "~ importing latest image ...": the spec's generation is newer than the last one observed. */
  importing: boolean
  /** Ours: a rollback's hold, and the digest upstream has now. */
  hold?: { digest: string; since: string; upstream?: string }
}

/** `oc describe is NAME` as data: the stream, its annotations without our bookkeeping, and its tags in oc's order. */
export interface StreamDescription {
  stream: ImageStream
  annotations: Record<string, string>
  /** Distinct images (items without an image id all count as one, as oc's map keyed by id does). */
  uniqueImages: number
  /** Status tags plus spec tags without status, aliases included. */
  tagCount: number
  /** The tags printed, aliases folded into the tag they follow. */
  tags: TagDescription[]
}

/**
 * formatImageStreamTags' reading of a stream ([oc] pkg/helpers/describe/helpers.go): status tags then spec-only
 * tags, PrioritizeTags order; a tag reached through an ImageStreamTag reference is printed under its target.
 */
export function describeView(stream: ImageStream): StreamDescription {
  const annotations = { ...(stream.metadata.annotations ?? {}) }
  delete annotations[OBSERVED_ANNOTATION] // a hash for our bookkeeping, meaningless to a reader
  const statusTags = new Map((stream.status?.tags ?? []).map((t) => [t.tag, t]))
  const specTags = new Map((stream.spec.tags ?? []).map((t) => [t.name, t]))
  const images = new Set<string>()
  for (const list of statusTags.values()) {
    for (const item of list.items ?? []) if (item.image || item.dockerImageReference) images.add(item.image)
  }
  const names = [...statusTags.keys()]
  const holds = readHolds(stream)
  const grouped = new Map<string, string[]>()
  const aliases = new Set<string>()
  for (const ref of specTags.values()) {
    const target = aliasTarget(stream, ref.name)
    // A held alias no longer shows its source's image, so it is printed as its own tag with its hold.
    if (target !== undefined && !holds[ref.name]) {
      aliases.add(ref.name)
      grouped.set(target, [...(grouped.get(target) ?? []), ref.name])
    }
    if (!statusTags.has(ref.name)) names.push(ref.name)
  }
  const upstream = readUpstream(stream)
  const tags = prioritizeTags(names)
    .filter((name) => !aliases.has(name))
    .map((name): TagDescription => {
      const hold = holds[name]
      const spec = specTags.get(name)
      return {
        name,
        aliases: prioritizeTags([...new Set(grouped.get(name) ?? [])].sort()),
        ...(spec ? { spec } : {}),
        ...(statusTags.has(name) ? { status: statusTags.get(name) } : {}),
        importing: spec?.from !== undefined && importPending(stream, name),
        ...(hold ? { hold: { ...hold, ...(upstream[name] ? { upstream: upstream[name] } : {}) } } : {})
      }
    })
  return { stream, annotations, uniqueImages: images.size, tagCount: names.length, tags }
}

/** The tag an ImageStreamTag reference leads to, when `tag` is one; a broken alias is printed as its own tag. */
function aliasTarget(stream: ImageStream, tag: string): string | undefined {
  try {
    const { finalTag, multiple } = followTagReference(stream, tag)
    return multiple ? finalTag : undefined
  } catch {
    return undefined
  }
}

/** One row of `oc get istag`, with the `-o wide` columns (ours: the tag policy and its candidate). */
export interface ImageStreamTagRow {
  /** `stream:tag` */
  name: string
  /** The image reference under the tag's reference policy. */
  reference: string
  created: string
  /** The image's digest name (OpenShift's Priority-1 column "Image Name"). */
  image: string
  policy: string
  candidate: string
}

/**
 * `oc get istag` rows, sorted by name as the API lists them. A tag with no image is NotFound on the server, so it
 * has no row.
 */
export function imageStreamTagRows(streams: readonly ImageStream[]): ImageStreamTagRow[] {
  const rows: ImageStreamTagRow[] = []
  for (const stream of streams) {
    const soaking = readFirstSeen(stream)
    for (const list of stream.status?.tags ?? []) {
      const event: TagEvent | undefined = list.items?.[0]
      if (!event || !event.image) continue
      const { policy, candidate } = policyColumns(stream, list.tag, soaking)
      rows.push({
        name: `${stream.metadata.name}:${list.tag}`,
        reference: resolveReferenceForTagEvent(stream, list.tag, event),
        created: event.created,
        image: event.image,
        policy,
        candidate
      })
    }
  }
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** The ImageStreamTag object (`oc get istag NAME:TAG -o yaml`), trimmed to what a state file knows. */
export function imageStreamTag(stream: ImageStream, tag: string): Record<string, unknown> | undefined {
  const list = stream.status?.tags?.find((t) => t.tag === tag)
  const event = list?.items?.[0]
  if (!event || !event.image) return undefined
  const spec = stream.spec.tags?.find((t) => t.name === tag)
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStreamTag',
    metadata: {
      name: `${stream.metadata.name}:${tag}`,
      ...(stream.metadata.namespace ? { namespace: stream.metadata.namespace } : {}),
      creationTimestamp: event.created
    },
    tag: spec ?? null,
    generation: event.generation,
    lookupPolicy: stream.spec.lookupPolicy ?? { local: false },
    ...(list.conditions?.length ? { conditions: list.conditions } : {}),
    image: {
      metadata: { name: event.image },
      dockerImageReference: resolveReferenceForTagEvent(stream, tag, event)
    }
  }
}

export interface HistoryView {
  stream: string
  namespace?: string
  tag: string
  from?: string
  held?: { digest: string; since: string; upstream?: string }
  conditions: Array<{ status: string; reason?: string; message?: string; lastTransitionTime?: string }>
  items: Array<{ current: boolean; generation: number; image: string; dockerImageReference: string; created: string }>
}

export function historyView(stream: ImageStream, tag: string): HistoryView | undefined {
  const list = stream.status?.tags?.find((t) => t.tag === tag)
  const spec = stream.spec.tags?.find((t) => t.name === tag)
  if (!list && !spec) return undefined
  const hold = listHolds(stream).find((h) => h.tag === tag)
  return {
    stream: stream.metadata.name,
    ...(stream.metadata.namespace ? { namespace: stream.metadata.namespace } : {}),
    tag,
    ...(spec?.from
      ? { from: `${spec.from.kind} ${spec.from.namespace ? `${spec.from.namespace}/` : ''}${spec.from.name}` }
      : {}),
    ...(hold
      ? { held: { digest: hold.digest, since: hold.since, ...(hold.upstream ? { upstream: hold.upstream } : {}) } }
      : {}),
    conditions: (list?.conditions ?? [])
      .filter((c) => c.status !== 'True')
      .map((c) => ({
        status: c.status,
        reason: c.reason,
        message: c.message,
        lastTransitionTime: c.lastTransitionTime
      })),
    items: (list?.items ?? []).map((item, i) => ({
      current: i === 0,
      generation: item.generation,
      image: item.image,
      dockerImageReference: item.dockerImageReference,
      created: item.created
    }))
  }
}

/**
 * `get istag -o wide`: the POLICY of a tag (its ordering, or "-") and its CANDIDATE — the tag waiting for its soak
 * time when there is one, else the tag its spec follows now.
 */
function policyColumns(
  stream: ImageStream,
  tag: string,
  soaking: ReturnType<typeof readFirstSeen>
): { policy: string; candidate: string } {
  const index = (stream.spec.tags ?? []).findIndex((s) => s.name === tag)
  const ref = stream.spec.tags?.[index]
  let policy = '-'
  try {
    const parsed = ref ? parseTagPolicy(ref, index) : undefined
    if (parsed) policy = parsed.ordering ? formatOrdering(parsed.ordering) : 'gates only'
  } catch {
    policy = '<invalid>'
  }
  const candidate = soaking[tag]?.from ?? ref?.from?.name ?? ''
  const tagOf = candidate.includes('@') ? candidate.slice(candidate.indexOf('@')) : candidate.replace(/^.*:/, '')
  return { policy, candidate: policy === '-' ? '' : `${tagOf}${soaking[tag] ? ' (soaking)' : ''}` }
}
