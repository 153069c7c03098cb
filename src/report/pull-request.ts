/** The pull request body: what moved, from where to where, what it touched, within GitHub's size limit. */
import { clip, escapeHtml, inlineCode } from './escape.js'
import {
  BoundedText,
  MAX_CELL,
  addTable,
  codeCell,
  digestCell,
  heldRows,
  sourceCell,
  tagLabel,
  textCell,
  timeCell
} from './markdown.js'
import { addPolicySection } from './policy.js'
import { addPromotionOpening } from './promotion.js'
import type { PromotionReport } from '../pipeline/promote-step.js'
import type { ChangeSet, TagChange } from './types.js'

/** GitHub rejects a pull request body longer than this many characters. */
export const PULL_REQUEST_BODY_LIMIT = 65_536
/** First line of every body we write; the action finds its own pull requests by it. */
export const PULL_REQUEST_MARKER = '<!-- imagestream-action:pull-request -->'
/** History items shown per tag. */
export const HISTORY_SHOWN = 5

/** True when a pull request body was written by this action (the marker is on its first line). */
export function isOwnPullRequestBody(body: string | null | undefined): boolean {
  return typeof body === 'string' && body.split('\n', 1)[0]!.trim() === PULL_REQUEST_MARKER
}

// The note never exceeds this (it holds a few numbers only); the writer keeps this much room for it.
const NOTE_RESERVE = 400

function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

export interface PullRequestBodyOptions {
  /** Defaults to GitHub's 65,536. */
  limit?: number
  /** The promotions this pull request proposes (each opens the body) and the run's instant (RFC 3339). */
  promotions?: ReadonlyArray<Extract<PromotionReport, { kind: 'promote' }>>
  now?: string
}

export function renderPullRequestBody(changes: ChangeSet, options: PullRequestBodyOptions = {}): string {
  const limit = options.limit ?? PULL_REQUEST_BODY_LIMIT
  const out = new BoundedText(limit, NOTE_RESERVE)
  const total = changes.changes.length
  let overviewRows = 0
  let detailed = 0

  out.add(`${PULL_REQUEST_MARKER}\n`)
  if (options.promotions?.length) addPromotionOpening(out, options.promotions, options.now ?? '')
  out.add(
    total === 0 ? 'No image stream tag changed.\n\n' : `Updates ${plural(total, 'image stream tag')} to new images.\n\n`
  )

  overviewRows = addTable(
    out,
    ['tag', 'old', 'new', 'created', 'source'],
    changes.changes.map((c) => [
      codeCell(tagLabel(c)),
      digestCell(c.oldDigest),
      digestCell(c.newDigest),
      timeCell(c.created),
      sourceCell(c.oldProvenance, c.newProvenance)
    ])
  )

  addPolicySection(out, changes.policy ?? [], '### Tag policies\n\n')
  for (const change of changes.changes) {
    if (!renderDetails(out, change)) break
    detailed++
  }

  if (changes.held.length > 0 && out.add('### Held by a rollback\n\n')) {
    addTable(out, ['tag', 'held at', 'newer upstream'], heldRows(changes.held))
  }
  if (changes.failures.length > 0 && out.add('### Not imported\n\n')) {
    addTable(
      out,
      ['tag', 'reason', 'message'],
      changes.failures.map((f) => [codeCell(tagLabel(f)), textCell(f.reason, 40), textCell(f.message)])
    )
  }

  return out.finish(() => {
    const shown =
      overviewRows < total
        ? `${overviewRows} of ${total} tags are listed`
        : `all ${total} tags are listed, ${detailed} with details`
    return (
      `\n> [!NOTE]\n> This description was shortened to fit GitHub's ${thousands(limit)}-character limit: ` +
      `${shown}. The commit message lists every change.\n`
    )
  })
}

/** One tag's section. Returns false when it no longer fits (the writer is then full). */
function renderDetails(out: BoundedText, c: TagChange): boolean {
  const repo = c.repository
  const lines = [`### ${inlineCode(clip(tagLabel(c), MAX_CELL))}\n\n`]
  const oldRepo = c.oldRepository ?? repo
  const from = c.oldDigest
    ? inlineCode(clip(oldRepo ? `${oldRepo}@${c.oldDigest}` : c.oldDigest, 300))
    : '*first import*'
  const to = inlineCode(clip(repo ? `${repo}@${c.newDigest}` : c.newDigest, 300))
  lines.push(`${from} → ${to}\n\n`)
  if (c.created) lines.push(`Created ${timeCell(c.created)}.\n\n`)
  const source = sourceCell(c.oldProvenance, c.newProvenance)
  if (source) lines.push(`Source: ${source}\n\n`)
  if (c.signedBy) lines.push(`Signed by ${inlineCode(clip(c.signedBy, 300))} (verified before it was pinned).\n\n`)
  if (c.verifyWarning) {
    const warning = escapeHtml(clip(c.verifyWarning.replace(/\s+/g, ' '), 500))
    lines.push(`> [!WARNING]\n> Recorded unverified: ${warning}\n\n`)
  }
  if (!out.add(lines.join(''))) return false

  if (c.platforms && c.platforms.length > 0) {
    if (!out.add('**Platforms**\n\n')) return false
    addTable(
      out,
      ['platform', 'old', 'new'],
      c.platforms.map((p) => [
        codeCell(p.platform, 40),
        p.oldDigest ? digestCell(p.oldDigest) : '',
        digestCell(p.digest)
      ])
    )
  }
  if (c.files && c.files.length > 0) {
    if (!out.add('**Files**\n\n')) return false
    addTable(
      out,
      ['file', 'line', 'old', 'new'],
      c.files.map((f) => [codeCell(f.file), String(Math.trunc(f.line)), codeCell(f.oldValue), codeCell(f.newValue)])
    )
  }
  if (c.history && c.history.length > 0) {
    const shown = c.history.slice(0, HISTORY_SHOWN)
    const summary = `Recent history (${escapeHtml(plural(c.history.length, 'item'))})`
    // The closer starts with a blank line: a table cut short must end before `</details>`, or GFM reads it as a row.
    if (!out.open(`<details><summary>${summary}</summary>\n\n`, '\n</details>\n\n')) return false
    addTable(
      out,
      ['digest', 'created'],
      shown.map((h) => [digestCell(h.digest), timeCell(h.created)])
    )
    out.close()
  }
  return !out.full
}
