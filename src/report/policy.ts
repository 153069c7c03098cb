/**
 * Tag policy decisions (docs/policies.md) as one line of text each (CLI, logs, commit messages) and as table rows
 * (job summary, PR body): "web:stable 1.4.2 → 1.4.3 (sha256:…)", waiting for soak, drift, incomplete platforms.
 */
import { BoundedText, addTable, codeCell, textCell } from './markdown.js'
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

/** A "Tag policies" section; false when it did not fit (nothing is written then). */
export function addPolicySection(out: BoundedText, decisions: readonly PolicyDecision[], heading: string): void {
  if (decisions.length === 0 || !out.add(heading)) return
  addTable(
    out,
    ['tag', 'decision', 'detail'],
    decisions.map((d) => [codeCell(tagText(d)), textCell(HEADING[d.kind], 40), textCell(policyDetail(d), 500)])
  )
}
