/**
 * Pull-request delivery, idempotent per group: one deterministic branch, one commit of ours on a base commit.
 *
 *   branch head ≠ the commit our PR body records (someone pushed) ──> hands off: one comment, no write
 *        │
 *   wanted files vs base ── nothing to change ──> close the group's open PR (comment) and delete its branch
 *        │ changes
 *   branch already has the wanted files and rebase-when allows ── yes ──> no git write
 *        │ no
 *   blobs → tree → signed commit on base head → create / force-move the branch (it is ours; like create-pull-request)
 *        │
 *   find the open PR for head=owner:branch → create it, or update title/body in place (only when they differ)
 *   labels, assignees, reviewers: only the missing ones; auto-merge only when not already on with that method
 *
 * Running the same request twice therefore makes no write the second time.
 */
import {
  apiMessage,
  GitHubApiError,
  httpStatus,
  RepoApi,
  type GitHubClient,
  type PullSummary
} from './github-client.js'
import { GitData, validateFiles, type EffectiveChange, type Head } from './git-data.js'
import {
  HANDS_OFF_MARKER,
  headMarker,
  isWaiting,
  readHead,
  readProposal,
  rebaseRequested,
  sameBody
} from './markers.js'
import { InputError } from '../util/errors.js'
import {
  silentLogger,
  type DeliveryLogger,
  type DeliveryRequest,
  type DeliveryResult,
  type MergeMethod,
  type RepoRef
} from './types.js'

/** GitHub rejects PR bodies above 65536 characters. */
export const MAX_BODY = 65536

export interface PullRequestOptions {
  log?: DeliveryLogger
  /** The comment left on a PR closed because its change is no longer needed. */
  closeComment?: string
}

const BRANCH_NAME = /^(?!\/|.*(?:\/\.|\/\/|\.\.|@\{|\\))[^\x00-\x20~^:?*[\x7f]+(?<![/.]|\.lock)$/

export function validateRequest(req: DeliveryRequest, mode: 'pull-request' | 'commit'): void {
  validateFiles(req.files)
  const branches: Array<[string, string]> = [['baseBranch', req.baseBranch]]
  if (mode === 'pull-request') branches.push(['branch', req.branch])
  for (const [field, value] of branches) {
    if (!value || !BRANCH_NAME.test(value))
      throw new InputError(`"${value ?? ''}" is not a valid branch name`, { field })
  }
  if (mode === 'pull-request') {
    if (req.branch === req.baseBranch)
      throw new InputError(`the PR branch must differ from the base branch "${req.baseBranch}"`, { field: 'branch' })
    if (!req.title.trim()) throw new InputError('a pull request title is required', { field: 'title' })
  }
  if (!req.commitMessage.trim()) throw new InputError('a commit message is required', { field: 'commitMessage' })
  if (req.autoMerge !== undefined && !['merge', 'squash', 'rebase'].includes(req.autoMerge)) {
    throw new InputError(`auto-merge must be merge, squash or rebase, not "${req.autoMerge}"`, { field: 'autoMerge' })
  }
}

function labelName(l: { name?: string } | string): string {
  return typeof l === 'string' ? l : (l.name ?? '')
}

function uniq(list: string[] | undefined): string[] {
  return [...new Set((list ?? []).map((s) => s.trim()).filter(Boolean))]
}

export async function deliverPullRequest(
  gh: GitHubClient,
  repo: RepoRef,
  req: DeliveryRequest,
  options: PullRequestOptions = {}
): Promise<DeliveryResult> {
  validateRequest(req, 'pull-request')
  const log = options.log ?? silentLogger
  const api = new RepoApi(gh, repo)
  const git = new GitData(api)
  const warnings: string[] = []
  const result = (r: Omit<DeliveryResult, 'group' | 'warnings' | 'branch'>): DeliveryResult => ({
    ...r,
    group: req.group,
    branch: req.branch,
    warnings
  })

  const base = await git.head(req.baseBranch)
  if (!base)
    throw new InputError(`base branch "${req.baseBranch}" does not exist in ${api.where}`, { field: 'baseBranch' })
  let pr = await findOpenPull(api, req)
  const branch = await git.head(req.branch)

  // Hands off: a commit on the branch that this action did not make is never overwritten.
  const ours = readHead(pr?.body)
  if (pr && branch && ours && ours !== branch.sha && !rebaseRequested(pr.body)) {
    await holdBranch(api, pr, req, branch.sha, log)
    return result({ operation: 'held', number: pr.number, url: pr.html_url, sha: branch.sha })
  }

  const changes = await git.effectiveChanges(base.tree, req.files)
  if (changes.length === 0) return result(await closeUnneeded(api, git, req, pr, options, base.sha, log))

  const why = await rebuildReason(git, req, base, branch, pr, changes)
  const written = why ? await writeBranch(git, req, base, branch, changes, why, log) : undefined
  if (!why) log.info(`${req.group}: ${req.branch} already proposes this change; left as it is`)
  const headSha = written?.sha ?? branch?.sha
  let wrote = written !== undefined

  let body = req.body
  const tail = `\n${headMarker(headSha!)}\n`
  if (body.length + tail.length > MAX_BODY) {
    body = `${body.slice(0, MAX_BODY - tail.length - 40)}\n\n…(truncated to GitHub's limit)`
    warnings.push(`the pull request body was truncated to ${MAX_BODY} characters`)
  }
  body += tail

  let created = false
  // Read before the body is replaced: a draft we opened only to wait for a soak is ready once the move is in it.
  const soaked = pr !== undefined && !req.waiting && isWaiting(pr.body)
  if (!pr) {
    pr = await createPull(api, req, body, warnings)
    if (pr) {
      created = true
      log.info(`${req.group}: opened #${pr.number}`)
    } else {
      // Someone (a concurrent run) opened it between our lookup and our create.
      pr = await findOpenPull(api, req)
      if (!pr)
        throw new GitHubApiError(
          `opening a pull request for ${req.branch}`,
          422,
          'GitHub reports one exists, but none is open'
        )
    }
  }
  if (!created && (pr.title !== req.title || !sameBody(pr.body, body))) {
    pr = await api.updatePull(pr.number, { title: req.title, body })
    wrote = true
    log.info(`${req.group}: updated the title/body of #${pr.number}`)
  }
  if (soaked && pr.draft && !req.draft) {
    await api.markReadyForReview(pr.number, pr.node_id)
    wrote = true
    log.info(`${req.group}: the soak is over; #${pr.number} is ready for review`)
  }
  if (await applyExtras(api, pr, req, warnings, log)) wrote = true

  return result({
    operation: created ? 'created' : wrote ? 'updated' : 'none',
    number: pr.number,
    url: pr.html_url,
    sha: headSha,
    verified: written?.verified
  })
}

/** Nothing left to propose (the base has it): our open PR, if any, is closed with a comment, its branch deleted. */
async function closeUnneeded(
  api: RepoApi,
  git: GitData,
  req: DeliveryRequest,
  pr: PullSummary | undefined,
  options: PullRequestOptions,
  baseSha: string,
  log: DeliveryLogger
): Promise<Omit<DeliveryResult, 'group' | 'warnings' | 'branch'>> {
  if (!pr) {
    log.info(`${req.group}: ${req.baseBranch} already has the wanted content; nothing to do`)
    return { operation: 'none', sha: baseSha }
  }
  log.info(`${req.group}: ${req.baseBranch} already has the wanted content; closing #${pr.number}`)
  const comment =
    options.closeComment ??
    `Closing: \`${req.baseBranch}\` already has the content this pull request proposed, so it is no longer needed.`
  await api.comment(pr.number, comment)
  await api.updatePull(pr.number, { state: 'closed' })
  if (await git.head(req.branch)) await git.deleteBranch(req.branch)
  return { operation: 'closed', number: pr.number, url: pr.html_url }
}

/** One commit of ours on the base head; the branch is created or force-moved to it (it is ours, checked before). */
async function writeBranch(
  git: GitData,
  req: DeliveryRequest,
  base: Head,
  branch: Head | undefined,
  changes: EffectiveChange[],
  why: string,
  log: DeliveryLogger
): Promise<{ sha: string; verified: boolean }> {
  const commit = await git.commit(base, changes, req.commitMessage, { author: req.author, committer: req.committer })
  if (branch) await git.moveBranch(req.branch, commit.sha, true)
  else {
    try {
      await git.createBranch(req.branch, commit.sha)
    } catch (err) {
      // A concurrent run of the same group created it first; its content is ours to replace.
      if (!(err instanceof GitHubApiError && err.status === 422 && /already exists/i.test(err.message))) throw err
      await git.moveBranch(req.branch, commit.sha, true)
    }
  }
  log.info(`${req.group}: ${branch ? `rebuilt ${req.branch} (${why})` : `created ${req.branch}`} at ${commit.sha}`)
  return commit
}

/**
 * Why the PR branch must be (re)built on the base head, or undefined to leave it. An open PR's branch that already
 * carries the wanted files stays where it is unless `rebaseWhen` asks otherwise, so an unrelated base commit costs
 * no write (no dismissed approvals, no re-run checks).
 */
async function rebuildReason(
  git: GitData,
  req: DeliveryRequest,
  base: Head,
  branch: Head | undefined,
  pr: PullSummary | undefined,
  changes: EffectiveChange[]
): Promise<string | undefined> {
  if (!branch) return 'new'
  if (!pr) return (await git.predictTree(base.tree, changes)) === branch.tree ? undefined : 'no open pull request'
  if (rebaseRequested(pr.body)) return 'asked for in the pull request'
  // It proposed the same digests while waiting; now it carries the move itself (whatever rebase-when says).
  if (isWaiting(pr.body) && !req.waiting) return 'the soak is over'
  const when = req.rebaseWhen ?? 'conflicted'
  const parent = (await git.api.commit(branch.sha)).parents[0]
  if ((await git.effectiveChanges(branch.tree, req.files)).length > 0) {
    const recorded = readProposal(pr.body).sort().join(' ')
    const same = req.proposal !== undefined && recorded === [...req.proposal].sort().join(' ')
    // `never`: the same tags at the same digests keep their branch even when the base changed the files under it.
    if (when === 'never' && same) return undefined
    return same ? `${req.baseBranch} changed the files it updates` : 'the proposed digests moved'
  }
  if (when === 'never' || parent === base.sha) return undefined
  if (when === 'behind') return `${req.baseBranch} moved`
  if (!parent) return 'it has no parent commit'
  // conflicted: only a base commit that touched one of our files makes the old branch stale.
  const parentTree = (await git.api.commit(parent)).tree
  for (const f of req.files) {
    const [now, then] = await Promise.all([git.entry(base.tree, f.path), git.entry(parentTree, f.path)])
    if (now?.sha !== then?.sha) return `${req.baseBranch} changed ${f.path}`
  }
  return undefined
}

/** Leaves the branch alone and says so on the PR, once (our comment carries a marker). */
async function holdBranch(
  api: RepoApi,
  pr: PullSummary,
  req: DeliveryRequest,
  head: string,
  log: DeliveryLogger
): Promise<void> {
  log.info(
    `${req.group}: #${pr.number}'s branch ${req.branch} has a commit this action did not make (${head}); left as it is`
  )
  if ((await api.comments(pr.number)).some((c) => c.body.includes(HANDS_OFF_MARKER))) return
  await api.comment(
    pr.number,
    `${HANDS_OFF_MARKER}\nSomeone pushed to \`${req.branch}\` (its head is now ${head}), so imagestream-action stopped ` +
      'updating this pull request: it never force-pushes over a commit it did not make. New digests for these tags ' +
      'will wait until the branch is handed back.\n\nTo hand it back, tick **Rebuild this branch** in the ' +
      `description: the next run rebuilds the branch on \`${req.baseBranch}\` and drops the commits it did not make. ` +
      'Or merge or close this pull request as it is.'
  )
}

async function findOpenPull(api: RepoApi, req: DeliveryRequest): Promise<PullSummary | undefined> {
  return (await api.pulls({ state: 'open', head: req.branch, base: req.baseBranch, limit: 10 }))[0]
}

/** Creates the PR; undefined when GitHub says one already exists for the head (a race we then resolve by lookup). */
async function createPull(
  api: RepoApi,
  req: DeliveryRequest,
  body: string,
  warnings: string[]
): Promise<PullSummary | undefined> {
  const attempt = (draft: boolean) =>
    api.createPull({
      head: req.branch,
      base: req.baseBranch,
      title: req.title,
      body,
      draft,
      maintainerCanModify: req.maintainerCanModify ?? false
    })
  try {
    return await attempt(req.draft === true || req.waiting === true)
  } catch (err) {
    const message = apiMessage(err)
    if (httpStatus(err) === 422 && /already exists/i.test(message)) return undefined
    if ((req.draft || req.waiting) && httpStatus(err) === 422 && /draft/i.test(message)) {
      warnings.push(`draft pull requests are not supported in ${api.where}; opened a regular one`)
      return attempt(false).catch((e: unknown) => {
        throw new GitHubApiError(`opening a pull request for ${req.branch}`, httpStatus(e), apiMessage(e))
      })
    }
    throw new GitHubApiError(`opening a pull request for ${req.branch}`, httpStatus(err), message)
  }
}

/** Labels, assignees, reviewers and auto-merge: adds only what is missing. Returns whether anything was written. */
async function applyExtras(
  api: RepoApi,
  pr: PullSummary,
  req: DeliveryRequest,
  warnings: string[],
  log: DeliveryLogger
): Promise<boolean> {
  const n = pr.number
  let wrote = false
  const haveLabels = new Set(pr.labels.map(labelName))
  const labels = uniq(req.labels).filter((l) => !haveLabels.has(l))
  if (labels.length) {
    await api.addLabels(n, labels)
    wrote = true
  }
  const haveAssignees = new Set((pr.assignees ?? []).map((a) => a.login.toLowerCase()))
  const assignees = uniq(req.assignees).filter((a) => !haveAssignees.has(a.toLowerCase()))
  if (assignees.length) {
    await api.addAssignees(n, assignees)
    wrote = true
  }
  const wanted = uniq(req.reviewers)
  const requestedUsers = new Set((pr.requested_reviewers ?? []).map((u) => u.login.toLowerCase()))
  const requestedTeams = new Set((pr.requested_teams ?? []).map((t) => t.slug.toLowerCase()))
  let users = wanted.filter((r) => !r.includes('/') && !requestedUsers.has(r.toLowerCase()))
  const teams = wanted
    .filter((r) => r.includes('/'))
    .map((r) => r.split('/')[1])
    .filter((t) => !requestedTeams.has(t.toLowerCase()))
  if (users.length) {
    // A user who already reviewed leaves requested_reviewers; asking again on every run would nag them.
    const reviewed = new Set(await api.reviewers(n))
    users = users.filter((u) => !reviewed.has(u.toLowerCase()))
  }
  if (users.length || teams.length) {
    try {
      await api.requestReviewers(n, users, teams)
      wrote = true
    } catch (err) {
      // A reviewer who cannot be asked (the PR author, no access) must not fail the delivery of the change itself.
      if (httpStatus(err) !== 422)
        throw new GitHubApiError(`requesting reviewers on #${n}`, httpStatus(err), apiMessage(err))
      warnings.push(`could not request reviewers ${[...users, ...teams].join(', ')} on #${n}: ${apiMessage(err)}`)
    }
  }
  if (req.milestone !== undefined && pr.milestone?.number !== req.milestone) {
    await api.setMilestone(n, req.milestone)
    wrote = true
  }
  if (req.autoMerge && pr.auto_merge?.merge_method !== req.autoMerge) {
    if (await enableAutoMerge(api, pr, req.autoMerge, warnings)) {
      log.info(`${req.group}: auto-merge (${req.autoMerge}) enabled on #${n}`)
      wrote = true
    }
  }
  return wrote
}

async function enableAutoMerge(
  api: RepoApi,
  pr: PullSummary,
  method: MergeMethod,
  warnings: string[]
): Promise<boolean> {
  const refused = await api.enableAutoMerge(pr.node_id, method)
  // Auto-merge is a convenience on top of the PR: repositories that disallow it still get the PR.
  if (refused !== undefined) warnings.push(`could not enable auto-merge on #${pr.number}: ${refused}`)
  return refused === undefined
}
