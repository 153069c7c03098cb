/**
 * "Closed means no", as Renovate and Dependabot do it: one of our pull requests closed without merging declines the
 * digests it proposed. The record is the closed PR's own body (its proposal marker, markers.ts), so it survives the
 * branch being deleted; reopening the PR takes it out of the closed list and so lifts the decline, and so does
 * deleting the marker line from its description.
 */
import { isOwnPullRequestBody } from '../report/index.js'
import type { PullSummary, RepoApi } from './github-client.js'
import { proposalTag, readProposal } from './markers.js'

export interface ClosedPull {
  number: number
  url: string
  branch: string
  merged: boolean
  /** `[ns/]stream:tag@digest` items it proposed. */
  items: Set<string>
}

/** How many recently closed PRs are read each run (one page): a decline older than that has aged out. */
export const CLOSED_PULLS_READ = 100

export async function closedPulls(api: RepoApi, base: string, prefix: string): Promise<ClosedPull[]> {
  const pulls = await api.pulls({ state: 'closed', base, limit: CLOSED_PULLS_READ })
  return pulls
    .filter((p: PullSummary) => p.head.ref.startsWith(prefix) && isOwnPullRequestBody(p.body))
    .map((p) => ({
      number: p.number,
      url: p.html_url,
      branch: p.head.ref,
      merged: Boolean(p.merged_at),
      items: new Set(readProposal(p.body))
    }))
}

/** The closed-unmerged PRs that declined these items, when every item was declined (else none: propose them). */
export function declinedBy(closed: ClosedPull[], items: string[]): ClosedPull[] {
  const declined = closed.filter((p) => !p.merged)
  if (items.length === 0 || !items.every((i) => declined.some((p) => p.items.has(i)))) return []
  return declined.filter((p) => items.some((i) => p.items.has(i)))
}

/** Closed-unmerged PRs that proposed other digests for some of these `[ns/]stream:tag`s (a newer PR links them). */
export function supersededBy(closed: ClosedPull[], tags: string[]): ClosedPull[] {
  const wanted = new Set(tags)
  return closed.filter((p) => !p.merged && [...p.items].some((i) => wanted.has(proposalTag(i))))
}

/** `delete-branch`: our branches whose PR is closed (merged or declined) and that no open PR or this run uses. */
export async function pruneBranches(
  api: RepoApi,
  closed: ClosedPull[],
  produced: Set<string>,
  base: string
): Promise<string[]> {
  const open = new Set((await api.pulls({ state: 'open', base, all: true })).map((p) => p.head.ref))
  const deleted: string[] = []
  for (const branch of new Set(closed.map((p) => p.branch))) {
    if (produced.has(branch) || open.has(branch) || !(await api.branchSha(branch))) continue
    await api.deleteBranch(branch)
    deleted.push(branch)
  }
  return deleted
}
