/** The job summary ($GITHUB_STEP_SUMMARY): a table of changes, failures with reasons, held tags, or why idle. */
import { escapeMarkdown } from './escape.js'
import {
  BoundedText,
  addTable,
  codeCell,
  digestCell,
  heldRows,
  isSafeLinkUrl,
  sourceCell,
  tagLabel,
  textCell,
  timeCell,
  utf8Length
} from './markdown.js'
import { addPolicySection } from './policy.js'
import { addPromotionSection } from './promotion.js'
import type { PullRequestReport, PullRequestState, RunSummary } from './types.js'

/** GitHub refuses a step summary over 1 MiB; stay well below so other steps' output still fits. */
export const JOB_SUMMARY_LIMIT = 512 * 1024

const OPERATION_TEXT = {
  created: 'Opened pull request',
  updated: 'Updated pull request',
  committed: 'Committed',
  none: 'Nothing delivered'
} as const

export function renderJobSummary(result: RunSummary, options: { limit?: number } = {}): string {
  const limit = options.limit ?? JOB_SUMMARY_LIMIT
  const out = new BoundedText(limit, 300, utf8Length)
  const { changes, failures, held } = result

  out.add('## imagestream\n\n')
  if (changes.length === 0) {
    const reason = result.idleReason?.trim().replace(/[.!]+$/, '')
    const because = reason ? escapeMarkdown(reason) : failures.length > 0 ? 'every import failed' : 'no tag changed'
    out.add(`${failures.length > 0 ? 'No tag was updated' : 'Nothing to do'}: ${because}.\n\n`)
  } else {
    out.add(`Updated ${changes.length} ${changes.length === 1 ? 'tag' : 'tags'}.`)
    const d = result.delivery
    if (d && d.operation !== 'none') {
      const label = d.label ? escapeMarkdown(d.label) : ''
      const target = isSafeLinkUrl(d.url) ? `[${label || d.url}](${d.url})` : label
      out.add(` ${OPERATION_TEXT[d.operation]}${target ? ` ${target}` : ''}.`)
    }
    out.add('\n\n')
    addTable(
      out,
      ['tag', 'old', 'new', 'created', 'files', 'source'],
      changes.map((c) => [
        codeCell(tagLabel(c)),
        digestCell(c.oldDigest),
        digestCell(c.newDigest),
        timeCell(c.created),
        (c.files ?? []).map((f) => codeCell(`${f.file}:${Math.trunc(f.line)}`, 80)).join(' '),
        sourceCell(c.oldProvenance, c.newProvenance)
      ])
    )
  }
  const prs = result.pullRequests ?? []
  if (prs.length > 0 && out.add(`### Pull requests (${prs.length})\n\n`)) {
    addTable(
      out,
      ['pull request', 'state', 'tags', 'branch'],
      prs.map((p) => [
        pullCell(p),
        textCell(stateText(p), 200),
        p.tags.map((t) => codeCell(t, 80)).join(' '),
        codeCell(p.branch, 80)
      ])
    )
  }
  const policy = result.policy ?? []
  addPolicySection(out, policy, `### Tag policies (${policy.length})\n\n`)
  addPromotionSection(out, result.promotions ?? [])
  if (failures.length > 0 && out.add(`### Failed (${failures.length})\n\n`)) {
    addTable(
      out,
      ['tag', 'reason', 'message'],
      failures.map((f) => [codeCell(tagLabel(f)), textCell(f.reason, 40), textCell(f.message, 500)])
    )
  }
  if (held.length > 0 && out.add(`### Held by a rollback (${held.length})\n\n`)) {
    addTable(out, ['tag', 'held at', 'newer upstream'], heldRows(held))
  }
  return out.finish(() => '\n> [!NOTE]\n> This summary was shortened to stay within the step summary size limit.\n')
}

const STATE_TEXT: Record<PullRequestState, string> = {
  opened: 'opened',
  updated: 'updated',
  unchanged: 'unchanged (open)',
  closed: 'closed (no longer needed)',
  declined: 'declined (closed without merging; these digests are not proposed again)',
  held: 'held (someone else pushed to its branch; tick "Rebuild this branch" to hand it back)',
  failed: 'failed'
}

function stateText(p: PullRequestReport): string {
  return p.state === 'failed' && p.detail ? `failed: ${p.detail}` : STATE_TEXT[p.state]
}

function pullCell(p: PullRequestReport): string {
  if (p.number === undefined) return ''
  return isSafeLinkUrl(p.url) ? `[#${p.number}](${p.url})` : `#${p.number}`
}
