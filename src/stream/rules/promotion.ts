/**
 * Automatic promotion: a destination tag that copies a proven digest from one or more upstream tags, the way a
 * person's `oc tag dev/web@sha256:… prod/web:live` would ([oc] pkg/cli/tag/tag.go: an ImageStreamImage snapshot, no
 * registry request). Our feature, not OpenShift's; declared on the destination spec tag with string annotations, so
 * `oc apply` still takes the file:
 *   promote-from      one or more `[ns/]stream:tag`, comma-separated (no namespace: the destination's)
 *   promote-after     how long the digest must have been current upstream, from the upstream item's `created`
 *   promote-when      `any` (default: the newest digest any upstream has proven) | `all` (every upstream holds it)
 *   promote-verified  "true": only digests the signature gate verified upstream
 * A rollback hold on the destination stops automatic promotion until a person tags it again (tagCommand drops it).
 * This module decides; `tagCommand` performs the snapshot, so a manual and an automatic promotion write the same bytes.
 */
import { InputError } from '../../util/errors.js'
import { ANNOTATION_PREFIX, type ImageStream, type TagEvent } from '../types.js'
import { readHolds, specTag, statusTag } from './draft.js'
import type { StreamLookup } from './generation.js'
import { parseStreamTag } from '../../reference/names.js'
import { rfc3339Seconds } from '../../util/clock.js'
import { parseDuration } from './policy.js'

export const PROMOTE_FROM_ANNOTATION = `${ANNOTATION_PREFIX}promote-from`
export const PROMOTE_AFTER_ANNOTATION = `${ANNOTATION_PREFIX}promote-after`
export const PROMOTE_WHEN_ANNOTATION = `${ANNOTATION_PREFIX}promote-when`
export const PROMOTE_VERIFIED_ANNOTATION = `${ANNOTATION_PREFIX}promote-verified`

export interface UpstreamTag {
  namespace: string
  stream: string
  tag: string
}

export interface PromotionPolicy {
  from: UpstreamTag[]
  /** Milliseconds the digest must have been current upstream. */
  afterMs: number
  when: 'any' | 'all'
  verified: boolean
}

/** Where the promoted digest comes from: the upstream's current history item, copied as it is. */
export interface PromotionSource extends UpstreamTag {
  item: TagEvent
}

export type PromotionDecision =
  /** Promote `digest` now, as a snapshot of `source`. */
  | { kind: 'promote'; tag: string; digest: string; source: PromotionSource; upstreams: PromotionSource[] }
  /** A digest is on its way but does not qualify yet; `until` is when it will by age alone. */
  | { kind: 'waiting'; tag: string; digest?: string; until?: string; reason: string }
  /** The destination already runs what qualifies (or no upstream has anything yet). */
  | { kind: 'current'; tag: string; reason: string }
  /** A rollback hold on the destination. */
  | { kind: 'held'; tag: string; reason: string }

/** Whether the signature gate verified `digest` in `stream` (the gate's record; absent: never verified). */
export type VerifiedLookup = (stream: ImageStream, digest: string) => boolean

/** The destination tag's promotion policy, or undefined when it has none. Errors name the annotation. */
export function readPromotionPolicy(stream: ImageStream, tag: string): PromotionPolicy | undefined {
  const annotations = specTag(stream, tag)?.annotations ?? {}
  const fromText = annotations[PROMOTE_FROM_ANNOTATION]
  const field = (key: string) => `${stream.metadata.name}:${tag} annotation ${key}`
  if (fromText === undefined) {
    for (const key of [PROMOTE_AFTER_ANNOTATION, PROMOTE_WHEN_ANNOTATION, PROMOTE_VERIFIED_ANNOTATION]) {
      if (annotations[key] !== undefined) {
        throw new InputError(`${key} needs ${PROMOTE_FROM_ANNOTATION} on the same tag`, { field: field(key) })
      }
    }
    return undefined
  }
  const namespace = stream.metadata.namespace ?? ''
  const from = fromText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((text) => {
      const name = parseStreamTag(text, true)
      if (!name) {
        throw new InputError(`expected [namespace/]stream:tag, comma-separated; got ${JSON.stringify(text)}`, {
          field: field(PROMOTE_FROM_ANNOTATION)
        })
      }
      return { namespace: name.namespace ?? namespace, stream: name.name, tag: name.tag! }
    })
  if (from.length === 0) {
    throw new InputError('names no upstream tag', { field: field(PROMOTE_FROM_ANNOTATION) })
  }
  const self = from.find((u) => u.namespace === namespace && u.stream === stream.metadata.name && u.tag === tag)
  if (self) throw new InputError('a tag cannot promote from itself', { field: field(PROMOTE_FROM_ANNOTATION) })

  const afterText = annotations[PROMOTE_AFTER_ANNOTATION]
  const fail = (message: string): never => {
    throw new InputError(message, { field: field(PROMOTE_AFTER_ANNOTATION) })
  }
  // The same duration grammar as min-age (policy.ts), in milliseconds.
  const afterMs = afterText === undefined ? 0 : parseDuration(afterText, fail) * 1000
  const when = annotations[PROMOTE_WHEN_ANNOTATION] ?? 'any'
  if (when !== 'any' && when !== 'all') {
    throw new InputError(`expected "any" or "all"; got ${JSON.stringify(when)}`, {
      field: field(PROMOTE_WHEN_ANNOTATION)
    })
  }
  const verifiedText = annotations[PROMOTE_VERIFIED_ANNOTATION] ?? 'false'
  if (verifiedText !== 'true' && verifiedText !== 'false') {
    throw new InputError(`expected "true" or "false"; got ${JSON.stringify(verifiedText)}`, {
      field: field(PROMOTE_VERIFIED_ANNOTATION)
    })
  }
  return { from, afterMs, when, verified: verifiedText === 'true' }
}

/** Every tag of `stream` that declares a promotion policy, in spec order. */
export function promotedTags(stream: ImageStream): string[] {
  return (stream.spec?.tags ?? [])
    .filter((t) => t.annotations?.[PROMOTE_FROM_ANNOTATION] !== undefined)
    .map((t) => t.name)
}

function label(u: UpstreamTag, destNamespace: string): string {
  return `${u.namespace && u.namespace !== destNamespace ? `${u.namespace}/` : ''}${u.stream}:${u.tag}`
}

function iso(ms: number): string {
  return rfc3339Seconds(new Date(ms))
}

type Upstream = PromotionSource & { stream_: ImageStream }

/** The clock and the checks every upstream of one destination tag is measured with. */
interface PromotionGates {
  tag: string
  destNamespace: string
  current: string | undefined
  nowMs: number
  readyAt: (u: PromotionSource) => number
  unverified: (u: Upstream) => boolean
}

function strip(u: Upstream): PromotionSource {
  return { namespace: u.namespace, stream: u.stream, tag: u.tag, item: u.item }
}

/** promote-when all: every upstream must run the same digest, verified and for long enough. */
function decideWhenAll(upstreams: Upstream[], missing: string[], g: PromotionGates): PromotionDecision {
  const { tag, destNamespace, current, nowMs, readyAt, unverified } = g
  if (missing.length > 0) return { kind: 'waiting', tag, reason: `${missing.join(', ')} has no image yet` }
  const digests = new Set(upstreams.map((u) => u.item.image))
  if (digests.size > 1) {
    const held = upstreams.map((u) => `${label(u, destNamespace)} runs ${u.item.image}`).join(', ')
    return { kind: 'waiting', tag, reason: `promote-when all: the upstreams differ (${held})` }
  }
  const digest = upstreams[0]!.item.image
  if (digest === current) return { kind: 'current', tag, reason: `already runs ${digest}` }
  const notVerified = upstreams.filter(unverified)
  if (notVerified.length) {
    return {
      kind: 'waiting',
      tag,
      digest,
      reason: `${digest} is not verified in ${notVerified.map((u) => label(u, destNamespace)).join(', ')}`
    }
  }
  const ready = Math.max(...upstreams.map(readyAt))
  if (ready > nowMs) {
    return { kind: 'waiting', tag, digest, until: iso(ready), reason: `${digest} has not run upstream long enough` }
  }
  // The most recent upstream arrival is the item copied: its `created` is the latest proof.
  const source = [...upstreams].sort((a, b) => Date.parse(b.item.created) - Date.parse(a.item.created))[0]!
  return { kind: 'promote', tag, digest, source: strip(source), upstreams: upstreams.map(strip) }
}

/** What the destination tag should do now. Pure: the clock, the other streams and the verifier are arguments. */
export function decidePromotion(
  dest: ImageStream,
  tag: string,
  lookup: StreamLookup,
  now: Date,
  isVerified: VerifiedLookup = () => false
): PromotionDecision | undefined {
  const policy = readPromotionPolicy(dest, tag)
  if (!policy) return undefined
  const destNamespace = dest.metadata.namespace ?? ''
  const hold = readHolds(dest)[tag]
  if (hold) {
    return {
      kind: 'held',
      tag,
      reason: `rolled back to ${hold.digest} and held: automatic promotion resumes once a person promotes or resumes it`
    }
  }
  const current = statusTag(dest, tag)?.items?.[0]?.image
  const upstreams: Upstream[] = []
  const missing: string[] = []
  for (const u of policy.from) {
    const s = lookup(u.namespace, u.stream)
    const item = s && statusTag(s, u.tag)?.items?.[0]
    if (!s || !item?.image) missing.push(label(u, destNamespace))
    else upstreams.push({ ...u, item, stream_: s })
  }
  const nowMs = now.getTime()
  const readyAt = (u: PromotionSource) => Date.parse(u.item.created) + policy.afterMs
  const unverified = (u: Upstream) => policy.verified && !isVerified(u.stream_, u.item.image)
  if (policy.when === 'all')
    return decideWhenAll(upstreams, missing, { tag, destNamespace, current, nowMs, readyAt, unverified })

  // any: the newest upstream digest that qualifies; the others wait.
  if (upstreams.length === 0) return { kind: 'current', tag, reason: `${missing.join(', ')} has no image yet` }
  const candidates = upstreams.filter((u) => u.item.image !== current)
  if (candidates.length === 0) return { kind: 'current', tag, reason: `already runs ${current}` }
  const qualified = candidates
    .filter((u) => readyAt(u) <= nowMs && !unverified(u))
    .sort((a, b) => Date.parse(b.item.created) - Date.parse(a.item.created))
  if (qualified.length > 0) {
    const source = qualified[0]!
    const same = upstreams.filter((u) => u.item.image === source.item.image)
    return { kind: 'promote', tag, digest: source.item.image, source: strip(source), upstreams: same.map(strip) }
  }
  const waiting = [...candidates].sort((a, b) => readyAt(a) - readyAt(b))[0]!
  if (unverified(waiting)) {
    return {
      kind: 'waiting',
      tag,
      digest: waiting.item.image,
      reason: `${waiting.item.image} is not verified in ${label(waiting, destNamespace)}`
    }
  }
  return {
    kind: 'waiting',
    tag,
    digest: waiting.item.image,
    until: iso(readyAt(waiting)),
    reason: `${waiting.item.image} has run in ${label(waiting, destNamespace)} since ${waiting.item.created}`
  }
}

/** The SOURCE word of the `tag` command that performs a promotion: `[ns/]stream@digest`, an exact history item. */
export function promotionSource(decision: Extract<PromotionDecision, { kind: 'promote' }>): string {
  const s = decision.source
  return `${s.namespace ? `${s.namespace}/` : ''}${s.stream}@${decision.digest}`
}
