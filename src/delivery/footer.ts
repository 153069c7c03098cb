/**
 * The end of every pull request body: how to decline, take over, rebuild and roll back (what Renovate and Dependabot
 * teach their reviewers), the configuration that produced it, the run that last wrote it, and the hidden record of
 * what it proposes (markers.ts).
 */
import { proposalMarker, REBASE_CHECKBOX, RUN_MARKER } from './markers.js'
import type { DeliverySettings } from './types.js'

export interface FooterInput {
  branch: string
  baseBranch: string
  settings: DeliverySettings
  /** `[ns/]stream:tag@digest` items proposed. */
  proposal: string[]
  /** `[ns/]stream:tag` → the digest before this change (for the rollback hint). */
  previous: Array<{ tag: string; digest: string }>
  /** Closed-without-merge PRs this one supersedes. */
  supersedes: number[]
  runUrl?: string
  command?: string
}

export function pullRequestFooter(f: FooterInput): string {
  const lines: string[] = ['', '---', '']
  if (f.supersedes.length) {
    const list = f.supersedes.map((n) => `#${n}`).join(', ')
    lines.push(`Supersedes ${list}, closed without merging: these are newer digests than the ones declined there.`, '')
  }
  const rollback = f.previous[0]
  lines.push(
    '<details><summary>How to work with this pull request</summary>',
    '',
    '- **Decline**: close it without merging. The digests it proposes are then not proposed again; a newer digest ' +
      'opens a new pull request. Reopen it to lift the decline.',
    `- **Take over**: push a commit to \`${f.branch}\`. The action then stops updating the branch (it never ` +
      'force-pushes over a commit it did not make) and says so in one comment.',
    '- **Rebuild**: tick the box below; the next run rebuilds the branch on the base and drops commits it did ' +
      'not make.',
    rollback
      ? `- **Roll back** after merging: run the action with \`command: rollback\` and \`args: ${rollback.tag} --to ` +
          `${rollback.digest}\` (or \`imagestream rollback ${rollback.tag} --to ${rollback.digest}\`).`
      : '- **Roll back** after merging: `command: rollback` with `args: STREAM:TAG --to-generation N`.',
    '',
    '</details>',
    '',
    `${REBASE_CHECKBOX} on \`${f.baseBranch}\``,
    '',
    `Configuration: ${configLine(f)}`,
    ''
  )
  if (f.runUrl) lines.push(`Written by [this workflow run](${f.runUrl}). ${RUN_MARKER}`, '')
  lines.push(proposalMarker(f.proposal))
  return lines.join('\n')
}

function configLine(f: FooterInput): string {
  const s = f.settings
  const pairs: Array<[string, string | undefined]> = [
    ['command', f.command],
    ['group', s.group],
    ['rebase-when', s.rebaseWhen ?? 'conflicted'],
    ['branch-prefix', s.branchPrefix],
    ['auto-merge', s.autoMerge],
    ['delete-branch', s.deleteBranch ? 'true' : undefined]
  ]
  return pairs
    .filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '')
    .map(([k, v]) => `\`${k}: ${v}\``)
    .join(', ')
}
