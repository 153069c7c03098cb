/**
 * Moves waiting for a soak (`min-age`, docs/policies.md) under pull-request delivery. The first sight that starts the
 * clock is written into the stream file; with pull requests that file reaches the base branch only by a merge, so a
 * run whose only change is a first sight would otherwise leave no trace and the next run would start the clock again.
 * Such a group is proposed as a draft pull request on the tag's usual branch: its stream file carries the first sight
 * (nothing moves yet), the next runs read it from there (first-sights.ts), and once the soak is over the same branch
 * gets the move and the pull request is marked ready for review. Renovate's precedent is a pending
 * `renovate/stability-days` status on the update's PR until minimumReleaseAge has passed.
 */
import type { PolicyDecision } from '../report/types.js'
import { inGroup, streamKey, type DeliveryGroup } from './group.js'
import { WAITING_MARKER } from './markers.js'
import type { GroupBy } from './types.js'

type Soaking = PolicyDecision & { kind: 'soaking' }

/** The soaking decisions whose tags belong to this group (the same keys as group.ts's changeKey). */
export function waitingIn(g: DeliveryGroup, policy: readonly PolicyDecision[] | undefined, mode: GroupBy): Soaking[] {
  return (policy ?? []).filter((d): d is Soaking => d.kind === 'soaking' && inGroup(g, mode, d))
}

/** `[ns/]stream:tag@digest`, as a proposal item: closing the waiting PR declines this digest, as any other PR does. */
export function waitingItem(d: Soaking): string {
  return `${streamKey(d)}:${d.tag}@${d.digest}`
}

/** When the earliest of these may land (RFC 3339 sorts as text). */
function firstUntil(waiting: readonly Soaking[]): string {
  return waiting.map((d) => d.until!).sort()[0]!
}

export function waitingTitle(waiting: readonly Soaking[]): string {
  const what = waiting.map((d) => `${streamKey(d)}:${d.tag} → ${d.to}`).join(', ')
  return `imagestream: waiting for soak until ${firstUntil(waiting)} (${what})`
}

/** The paragraph under the generated body of a waiting PR, and the marker that says it only waits. */
export function waitingNote(waiting: readonly Soaking[]): string {
  // Stream and tag names have no backticks (OpenShift's name rules), so a code span holds them as they are.
  const tags = waiting.map((d) => `\`${streamKey(d)}:${d.tag}\``).join(', ')
  return (
    `\n> [!NOTE]\n> Nothing moves yet: ${tags} ${waiting.length === 1 ? 'has' : 'have'} a \`min-age\` policy, and ` +
    `the new image may land after ${firstUntil(waiting)}. This draft keeps its first sight in the stream file, so ` +
    'the next runs measure the soak from it; once the soak is over, a run puts the update on this branch and marks ' +
    'the pull request ready for review. Closing it declines this image, as for any other update.\n' +
    `${WAITING_MARKER}\n`
  )
}

/** The summary's word on a waiting PR. */
export function waitingDetail(waiting: readonly Soaking[]): string {
  return `waiting for soak until ${firstUntil(waiting)}`
}
