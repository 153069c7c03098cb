/**
 * Tag policy decisions (docs/policies.md) as one line of text each (CLI, logs, commit messages) and as table rows
 * (job summary, PR body): "web:stable 1.4.2 → 1.4.3 (sha256:…)", waiting for soak, drift, incomplete platforms.
 */
import { BoundedText, addTable, codeCell, digestCell, textCell, timeCell } from './markdown.js'
import type { PolicyDecision } from './types.js'

function tagText(d: PolicyDecision): string {
  return `${d.namespace ? `${d.namespace}/` : ''}${d.stream}:${d.tag}`
}

/** What the decision means, without the stream tag in front. */
export function policyDetail(d: PolicyDecision): string {
  switch (d.kind) {
    case 'moved':
      return `${d.from} → ${d.to} (${d.digest})`
    case 'soaking':
      return `waiting for ${d.to} (${d.digest}) to soak: first seen ${d.firstSeen}, may land after ${d.until}`
    case 'drift':
      return (
        `drift: ${d.from} was re-pushed, ${d.oldDigest} → ${d.digest}` +
        `${d.created ? ` (created ${d.created})` : ''}; not moved`
      )
    case 'drift-accepted':
      return `re-pushed ${d.from} accepted: ${d.oldDigest} → ${d.digest}`
    case 'incomplete':
      return `${d.to} (${d.digest}) not pinned yet: the index lacks ${(d.missing ?? []).join(', ')}`
    case 'refused':
      return d.message ?? `${d.to} refused`
  }
}

/** `web:stable 1.4.2 → 1.4.3 (sha256:…)` */
export function policyLine(d: PolicyDecision): string {
  return `${tagText(d)} ${policyDetail(d)}`
}

const HEADING: Record<PolicyDecision['kind'], string> = {
  moved: 'moved',
  soaking: 'waiting for soak',
  drift: 'drift',
  'drift-accepted': 'drift accepted',
  incomplete: 'incomplete platforms',
  refused: 'refused'
}

/** The detail as a table cell: tags and digests as code spans, prose escaped. */
function detailCell(d: PolicyDecision): string {
  const image = `${codeCell(d.to)} (${digestCell(d.digest)})`
  switch (d.kind) {
    case 'moved':
      return `${codeCell(d.from)} → ${image}`
    case 'soaking':
      return `${image} first seen ${timeCell(d.firstSeen)}, may land after ${timeCell(d.until)}`
    case 'drift':
      return (
        `${codeCell(d.from)} re-pushed: ${digestCell(d.oldDigest)} → ${digestCell(d.digest)}` +
        `${d.created ? ` (created ${timeCell(d.created)})` : ''}; not moved`
      )
    case 'drift-accepted':
      return `${codeCell(d.from)} re-pushed and accepted: ${digestCell(d.oldDigest)} → ${digestCell(d.digest)}`
    case 'incomplete':
      return `${image} lacks ${(d.missing ?? []).map((p) => codeCell(p)).join(', ')}`
    case 'refused':
      return textCell(policyDetail(d), 500)
  }
}

/** A "Tag policies" table under `heading`; nothing when there are no decisions or the heading does not fit. */
export function addPolicySection(out: BoundedText, decisions: readonly PolicyDecision[], heading: string): void {
  if (decisions.length === 0 || !out.add(heading)) return
  addTable(
    out,
    ['tag', 'decision', 'detail'],
    decisions.map((d) => [codeCell(tagText(d)), HEADING[d.kind], detailCell(d)])
  )
}
