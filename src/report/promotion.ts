/**
 * Automatic promotion decisions (docs/promotion.md), one line each for the CLI and a table for the job summary:
 * what each destination promoted, or what it waits for and until when.
 */
import type { PromotionReport } from '../pipeline/promote-step.js'
import { addTable, textCell, type BoundedText } from './markdown.js'

function destination(r: PromotionReport): string {
  return `${r.namespace ? `${r.namespace}/` : ''}${r.stream}:${r.tag}`
}

function upstream(r: Extract<PromotionReport, { kind: 'promote' }>): string {
  const s = r.source
  return `${s.namespace && s.namespace !== (r.namespace ?? '') ? `${s.namespace}/` : ''}${s.stream}:${s.tag}`
}

/** What the decision means, without the destination in front. */
export function promotionDetail(r: PromotionReport): string {
  switch (r.kind) {
    case 'promote':
      return `promoted ${r.digest} from ${upstream(r)} (current there since ${r.source.item.created})`
    case 'waiting':
      return `waiting: ${r.reason}${r.until ? `; ready at ${r.until}` : ''}`
    case 'held':
      return `not promoted: ${r.reason}`
    case 'current':
      return `nothing to promote: ${r.reason}`
  }
}

/** `prod/web:live promoted sha256:… from dev/web:latest (…)` */
export function promotionLine(r: PromotionReport): string {
  return `${destination(r)} ${promotionDetail(r)}`
}

/** The summary's table of destinations that promoted, wait or are held (the current ones are left out). */
export function addPromotionSection(out: BoundedText, reports: readonly PromotionReport[]): void {
  const shown = reports.filter((r) => r.kind !== 'current')
  if (shown.length === 0 || !out.add(`### Promotions (${shown.length})\n\n`)) return
  addTable(
    out,
    ['Destination', 'Decision'],
    shown.map((r) => [textCell(destination(r)), textCell(promotionDetail(r))])
  )
}
