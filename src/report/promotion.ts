/**
 * Automatic promotion decisions (docs/promotion.md), one line each for the CLI and a table for the job summary:
 * what each destination promoted, or what it waits for and until when; and the title and opening of a promotion's
 * pull request.
 */
import type { PromotionReport } from '../pipeline/promote-step.js'
import { humanDuration } from './describe.js'
import { clip, inlineCode } from './escape.js'
import { addTable, shortDigest, textCell, timeCell, type BoundedText } from './markdown.js'

type Promoted = Extract<PromotionReport, { kind: 'promote' }>

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

/**
 * The two ends as a reviewer names them: the namespaces alone when only they differ (`dev → prod`), else each
 * `[ns/]stream:tag`.
 */
function ends(r: Promoted): [string, string] {
  const s = r.source
  const to = r.namespace ?? ''
  if (s.namespace !== to && s.namespace && to && s.stream === r.stream) return [s.namespace, to]
  return [upstream(r), destination(r)]
}

/** `Promote web sha256:0123456789ab dev → prod` (the default title of a promotion's pull request). */
export function promotionTitle(r: Promoted): string {
  const [from, to] = ends(r)
  return clip(`Promote ${r.stream} ${shortDigest(r.digest)} ${from} → ${to}`.replace(/\s+/g, ' '), 256)
}

/**
 * What a reviewer of a promotion checks first: the source history item (when it arrived upstream and how long it
 * has run there at `now`), who signed it, and the other upstreams that hold it. Old → new and the files touched
 * follow in the body's table and tag sections.
 */
export function addPromotionOpening(out: BoundedText, reports: readonly Promoted[], now: string): void {
  for (const r of reports) {
    const s = r.source
    const ran = Date.parse(now) - Date.parse(s.item.created)
    const lines = [
      `### Promotion of ${inlineCode(clip(destination(r), 160))}\n\n`,
      `${inlineCode(shortDigest(r.digest))} from ${inlineCode(clip(upstream(r), 160))}, the snapshot ` +
        `${inlineCode(clip(`${s.namespace ? `${s.namespace}/` : ''}${s.stream}@${r.digest}`, 300))}.\n\n`,
      `Arrived upstream ${timeCell(s.item.created)}` +
        (Number.isNaN(ran) || ran < 0 ? '.\n\n' : `; it has run there for ${humanDuration(ran).toLowerCase()}.\n\n`),
      r.signedBy
        ? `Signed by ${inlineCode(clip(r.signedBy, 300))} (verified upstream by the signature gate).\n\n`
        : 'No verified signature is recorded upstream.\n\n'
    ]
    const others = r.upstreams.filter((u) => u.namespace !== s.namespace || u.stream !== s.stream || u.tag !== s.tag)
    if (others.length > 0) {
      const names = others.map((u) =>
        inlineCode(clip(`${u.namespace ? `${u.namespace}/` : ''}${u.stream}:${u.tag}`, 160))
      )
      lines.push(`Also current in ${names.join(', ')}.\n\n`)
    }
    if (!out.add(lines.join(''))) return
  }
}
