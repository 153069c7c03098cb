/**
 * What the read-only verbs show (`get`, `describe`, `history`), built from the state files with the stream rules:
 * OpenShift's tables and objects, and our own policy columns and history view. The CLI only renders them.
 */
import {
  formatOrdering,
  listHolds,
  parseTagPolicy,
  readFirstSeen,
  resolveReferenceForTagEvent
} from '../stream/rules/index.js'
import type { ImageStream } from '../stream/types.js'

export { describeImageStream, getImageStreams, getImageStreamTags } from '../stream/rules/index.js'

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

export function imageName(streams: ImageStream[], streamTag: string): string {
  const colon = streamTag.lastIndexOf(':')
  const stream = streams.find((s) => s.metadata.name === streamTag.slice(0, colon))
  return stream?.status?.tags?.find((t) => t.tag === streamTag.slice(colon + 1))?.items?.[0]?.image ?? ''
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
 * `get istag -o wide`: the POLICY of each row's tag (its ordering, or "-") and its CANDIDATE — the tag waiting for
 * its soak time when there is one, else the tag its spec follows now. Rows are matched the way getImageStreamTags makes
 * them (status tags with an image, stream by stream).
 */
export function withPolicyColumns(
  t: { columns: string[]; rows: string[][] },
  streams: readonly ImageStream[]
): { columns: string[]; rows: string[][] } {
  const cells: string[][] = []
  for (const stream of streams) {
    const soaking = readFirstSeen(stream)
    for (const list of stream.status?.tags ?? []) {
      if (!list.items?.[0]?.image) continue
      const index = (stream.spec.tags ?? []).findIndex((s) => s.name === list.tag)
      const ref = stream.spec.tags?.[index]
      let policy = '-'
      try {
        const parsed = ref ? parseTagPolicy(ref, index) : undefined
        if (parsed) policy = parsed.ordering ? formatOrdering(parsed.ordering) : 'gates only'
      } catch {
        policy = '<invalid>'
      }
      const candidate = soaking[list.tag]?.from ?? ref?.from?.name ?? ''
      const tagOf = candidate.includes('@') ? candidate.slice(candidate.indexOf('@')) : candidate.replace(/^.*:/, '')
      cells.push([policy, policy === '-' ? '' : `${tagOf}${soaking[list.tag] ? ' (soaking)' : ''}`])
    }
  }
  const rows = t.rows.map((r, i) => [...r, ...(cells[i] ?? ['', ''])])
  return { columns: [...t.columns, 'POLICY', 'CANDIDATE'], rows }
}
