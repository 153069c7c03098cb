/**
 * Pull-request delivery of one computation: one PR per group (group.ts), each idempotent (deliverPullRequest).
 * Before anything is written the base head is compared with the checkout, and the computation is redone on the base
 * when it moved, so a PR never reverts someone's commit. A group whose every proposed digest was declined (one of
 * our PRs closed without merging, declined.ts) is not proposed again; open PRs of ours whose streams this run found
 * current are closed.
 */
import type { PromotionReport } from '../pipeline/promote-step.js'
import { renderPullRequestBody } from '../report/index.js'
import { promotionTitle } from '../report/promotion.js'
import type { PullRequestReport, PullRequestState, TagChange } from '../report/types.js'
import { rfc3339Seconds } from '../util/clock.js'
import { InputError } from '../util/errors.js'
import { closedPulls, declinedBy, pruneBranches, supersededBy, type ClosedPull } from './declined.js'
import { pullRequestFooter } from './footer.js'
import { GitData } from './git-data.js'
import { revParseHead } from './git-runner.js'
import { RepoApi } from './github-client.js'
import { groupChanges, inGroup, streamKey, type DeliveryGroup } from './group.js'
import { proposalItem, proposalTag } from './markers.js'
import { commitMessageFor, titleFor } from './messages.js'
import { closeObsolete } from './obsolete.js'
import type { Deliverable, DeliverInput, DeliveryOutcome, Operation } from './outcome.js'
import { deliverPullRequest } from './pull-request.js'
import type { DeliveryResult, DeliveryRequest, FileChange } from './types.js'
import { waitingDetail, waitingIn, waitingItem, waitingNote, waitingTitle } from './waiting.js'

export async function deliverAsPullRequests<C extends Deliverable>(
  input: DeliverInput<C>
): Promise<DeliveryOutcome<C>> {
  const settings = input.settings
  const api = new RepoApi(input.gh!, input.repo)
  const git = new GitData(api)
  const computation = await onCurrentBase(input, git)
  const closed = await closedPulls(api, input.baseBranch, settings.branchPrefix)
  const now = rfc3339Seconds(input.now)
  const before = new Map(computation.files.map((f) => [f.path, f.before]))
  const promoted = new Set(promotedBy(computation).map((r) => `${streamKey(r)}:${r.tag}`))
  const groups = groupChanges({ ...computation, promoted }, settings.group, settings.branchPrefix)
  const results: DeliveryResult[] = []
  const reports: PullRequestReport[] = []
  const warnings: string[] = []
  const errors: string[] = []
  const streamFiles = new Set(computation.files.filter((f) => f.kind === 'stream').map((f) => f.path))
  const produced = new Set<string>()

  for (const g of groups) {
    produced.add(g.branch)
    // A move waiting for min-age: its first sight is proposed as a draft, so that the next runs find it (waiting.ts).
    const waiting = waitingIn(g, computation.policy, settings.group)
    // Only import bookkeeping (a failure condition, an adopted stream) and no tag moved: that is not worth a
    // review. The failure is in the summary, the `failed` output and the step's status; the group is left alone.
    if (g.changes.length === 0 && waiting.length === 0 && g.files.every((f) => streamFiles.has(f.path))) {
      input.log.info(`${g.key}: only import status changed (no tag moved); no pull request for it`)
      continue
    }
    const tags = [...new Set([...g.changes, ...waiting].map((c) => `${streamKey(c)}:${c.tag}`))]
    const proposal = [...g.changes.map(proposalItem), ...waiting.map(waitingItem)]
    const declined = declinedBy(closed, proposal)
    if (declined.length > 0) {
      const which = declined.map((d) => `#${d.number}`).join(', ')
      input.log.info(`${g.key}: declined in ${which} (closed without merging); these digests are not proposed again`)
      const { number, url } = declined[0]!
      reports.push({ number, url, branch: g.branch, state: 'declined', tags, detail: which })
      continue
    }
    try {
      const supersedes = supersededBy(closed, proposal.map(proposalTag))
      const req = await requestFor({ ...input, computation }, git, g, now, before, proposal, supersedes, waiting)
      const result = await deliverPullRequest(input.gh!, input.repo, req, { log: input.log })
      results.push(result)
      warnings.push(...result.warnings)
      reports.push({ ...reportOf(result, tags), ...(req.waiting ? { detail: waitingDetail(waiting) } : {}) })
    } catch (err) {
      errors.push(`${g.key} (${g.branch}): ${(err as Error).message}`)
      reports.push({ branch: g.branch, state: 'failed', tags, detail: (err as Error).message })
    }
  }

  if (computation.complete) {
    try {
      for (const r of await closeObsolete(api, input, computation, produced)) {
        results.push(r)
        warnings.push(...r.warnings)
        reports.push(reportOf(r, []))
      }
    } catch (err) {
      errors.push(`closing pull requests that are no longer needed: ${(err as Error).message}`)
    }
  }
  if (settings.deleteBranch) {
    for (const branch of await pruneBranches(api, closed, produced, input.baseBranch)) {
      input.log.info(`deleted ${branch}: its pull request is closed (delete-branch)`)
    }
  }

  return outcomeOf(computation, results, reports, warnings, errors)
}

/** The computation as the base branch has it now: redone there when the checkout is another commit. */
async function onCurrentBase<C extends Deliverable>(input: DeliverInput<C>, git: GitData): Promise<C> {
  const base = await git.head(input.baseBranch)
  if (!base) {
    throw new InputError(`branch "${input.baseBranch}" does not exist in ${git.api.where}`, {
      field: 'input base-branch'
    })
  }
  const checkout = await revParseHead(input.root)
  if (input.computation.files.length === 0 || checkout === base.sha) return input.computation
  const on = input.baseBranch
  input.log.info(
    `${on} is at ${base.sha}, the checkout at ${checkout ?? 'an unknown commit'}: computing the change on ${on}`
  )
  return input.recompute(input.computation, (path) => git.read(base.tree, path))
}

function outcomeOf<C extends Deliverable>(
  computation: C,
  results: DeliveryResult[],
  reports: PullRequestReport[],
  warnings: string[],
  errors: string[]
): DeliveryOutcome<C> {
  const rank: Operation[] = ['created', 'updated', 'closed', 'none']
  const operation = rank.find((op) => results.some((r) => r.operation === op)) ?? 'none'
  const pr = reports.find((r) => r.number !== undefined && ['opened', 'updated', 'unchanged', 'held'].includes(r.state))
  return {
    operation,
    wrote: results.some((r) => r.operation === 'created' || r.operation === 'updated' || r.operation === 'closed'),
    pullRequests: reports,
    computation,
    results,
    pullRequest: pr ? { number: pr.number!, url: pr.url ?? '' } : undefined,
    commitSha: results.find((r) => r.number === pr?.number)?.sha,
    warnings,
    errors
  }
}

function reportOf(r: DeliveryResult, tags: string[]): PullRequestReport {
  const state: PullRequestState =
    r.operation === 'created'
      ? 'opened'
      : r.operation === 'updated'
        ? 'updated'
        : r.operation === 'closed'
          ? 'closed'
          : r.operation === 'held'
            ? 'held'
            : 'unchanged'
  return { ...(r.number !== undefined ? { number: r.number, url: r.url } : {}), branch: r.branch ?? '', state, tags }
}

async function requestFor<C extends Deliverable>(
  input: DeliverInput<C>,
  git: GitData,
  g: DeliveryGroup,
  now: string,
  before: Map<string, string>,
  proposal: string[],
  supersedes: ClosedPull[],
  waiting: ReturnType<typeof waitingIn>
): Promise<DeliveryRequest> {
  const s = input.settings
  const changes = await keepBranchTimes(git, g, now, before)
  const waits = changes.length === 0 && waiting.length > 0
  // Every decision about the tags this group delivers (under group: tag, that tag's only).
  const policy = input.computation.policy?.filter((d) => inGroup(g, s.group, d))
  const promotions = promotedBy(input.computation).filter((r) =>
    changes.some((c) => streamKey(c) === streamKey(r) && c.tag === r.tag && c.newDigest === r.digest)
  )
  const generated = renderPullRequestBody({ changes, failures: g.failures, held: g.held, policy }, { promotions, now })
  const footer = pullRequestFooter({
    branch: g.branch,
    baseBranch: input.baseBranch,
    settings: s,
    proposal,
    previous: changes
      .filter((c) => c.oldDigest)
      .map((c) => ({ tag: `${streamKey(c)}:${c.tag}`, digest: c.oldDigest! })),
    supersedes: supersedes.map((p) => p.number),
    runUrl: input.runUrl,
    command: input.command
  })
  return {
    files: g.files,
    group: g.key,
    title: waits
      ? waitingTitle(waiting)
      : promotions.length === 1 && changes.length === 1 && !s.titleTemplate?.trim()
        ? promotionTitle(promotions[0]!)
        : titleFor(changes, g.streams, s.titleTemplate),
    body: withTemplate(generated, s.bodyTemplate) + (waits ? waitingNote(waiting) : '') + footer,
    commitMessage: waits ? `${waitingTitle(waiting)}\n` : commitMessageFor(changes, g.streams, s),
    labels: s.labels,
    // Reviewers are asked, and auto-merge is enabled, once there is something to review (not while it waits).
    reviewers: waits ? [] : [...s.reviewers, ...s.teamReviewers],
    assignees: s.assignees,
    draft: s.draft,
    waiting: waits,
    autoMerge: waits ? undefined : s.autoMerge,
    milestone: s.milestone,
    maintainerCanModify: s.maintainerCanModify,
    rebaseWhen: s.rebaseWhen,
    proposal,
    author: s.author,
    committer: s.committer,
    baseBranch: input.baseBranch,
    branch: g.branch
  }
}

/** The promotions a computation made this run. */
function promotedBy(c: Deliverable): Array<Extract<PromotionReport, { kind: 'promote' }>> {
  return (c.promotions ?? []).filter((r): r is Extract<PromotionReport, { kind: 'promote' }> => r.kind === 'promote')
}

/** create-pull-request's `body`: the user's text, with the generated description at `{changes}` or after it. */
function withTemplate(generated: string, template: string | undefined): string {
  if (!template) return generated
  const [marker, ...rest] = generated.split('\n')
  const text = rest.join('\n')
  const wrapped = template.includes('{changes}')
    ? template.split('{changes}').join(text)
    : `${template.trimEnd()}\n\n${text}`
  return `${marker}\n${wrapped}`
}

const TIMESTAMP = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g

/**
 * When the open PR's branch already holds this change and differs only in the time this run stamps (`now`), its
 * time is the one to keep: the history item was first imported then, and re-running must not rewrite the PR.
 * Returns the branch's timestamp when `ours` equals `theirs` up to it.
 */
export function equivalentStamp(ours: string, theirs: string, now: string, before: string): string | undefined {
  if (ours === theirs) return now
  if (!ours.includes(now)) return undefined
  const known = new Set(before.match(TIMESTAMP) ?? [])
  const candidates = new Set((theirs.match(TIMESTAMP) ?? []).filter((t) => !known.has(t)))
  for (const t of candidates) if (ours.split(now).join(t) === theirs) return t
  return undefined
}

/** Adopts the open branch's content (and its import time in the report) when only this run's timestamp differs. */
async function keepBranchTimes(
  git: GitData,
  g: DeliveryGroup,
  now: string,
  before: Map<string, string>
): Promise<TagChange[]> {
  const head = await git.head(g.branch)
  if (!head) return g.changes
  let stamp: string | undefined
  const adopted: FileChange[] = []
  for (const f of g.files) {
    if (f.content === null) return g.changes
    const theirs = await git.read(head.tree, f.path)
    const t = theirs === null ? undefined : equivalentStamp(f.content, theirs, now, before.get(f.path) ?? '')
    if (t === undefined) return g.changes
    if (t !== now) {
      if (stamp !== undefined && stamp !== t) return g.changes
      stamp = t
    }
    adopted.push({ path: f.path, content: theirs })
  }
  g.files = adopted
  if (!stamp) return g.changes
  const t = stamp
  return g.changes.map((c) => ({
    ...c,
    history: c.history?.map((h) => (h.created === now ? { ...h, created: t } : h))
  }))
}
