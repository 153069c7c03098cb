/**
 * The action's three deliveries of one computation:
 *  - pull-request: one PR per group (group.ts), each idempotent (deliverPullRequest); open PRs of ours whose
 *    streams this run found current are closed. Before anything is written the base head is compared with the
 *    checkout, and the computation is redone on the base when it moved, so a PR never reverts someone's commit.
 *  - commit: one commit on the base branch (deliverCommit, compare-and-swap), redone on the new head when the
 *    branch moves mid-run.
 *  - none: the files are written into the workspace (a dry run as far as GitHub is concerned).
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { deliverCommit, deliverPullRequest, type DeliveryLogger, type DeliveryResult, type FileChange, type GitHubClient, type RepoRef } from '../delivery/index.js'
import { GitData } from '../delivery/git-data.js'
import { writeFiles } from '../pipeline/write-files.js'
import { isOwnPullRequestBody, messageVars, renderCommitMessage, renderPullRequestBody, renderPullRequestTitle } from '../report/index.js'
import type { TagChange } from '../report/types.js'
import { rfc3339Seconds } from '../util/clock.js'
import { InputError } from '../util/errors.js'
import { recompute, type Computation, type ComputeInput } from './compute.js'
import { groupChanges, streamKey, type DeliveryGroup } from './group.js'

export type Operation = 'created' | 'updated' | 'committed' | 'closed' | 'none'

export interface DeliveryOutcome {
  operation: Operation
  /** The computation that was delivered (redone on a moved base when that happened). */
  computation: Computation
  results: DeliveryResult[]
  pullRequest?: { number: number; url: string }
  commitSha?: string
  warnings: string[]
  /** Groups whose delivery failed, with why (the others were still delivered). */
  errors: string[]
}

export interface DeliverInput {
  mode: 'pull-request' | 'commit' | 'none'
  compute: ComputeInput
  computation: Computation
  gh?: GitHubClient
  repo: RepoRef
  baseBranch: string
  log: DeliveryLogger
}

const execFileAsync = promisify(execFile)

/** The commit the checkout is at, or undefined when the workspace is not a git checkout. */
export async function checkoutSha(root: string): Promise<string | undefined> {
  try {
    // execFile, no shell; the arguments are constants.
    const { stdout } = await execFileAsync('git', ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: root, timeout: 15_000 })
    const sha = stdout.trim()
    return /^[0-9a-f]{40}$/.test(sha) ? sha : undefined
  } catch {
    return undefined
  }
}

export async function deliver(input: DeliverInput): Promise<DeliveryOutcome> {
  switch (input.mode) {
    case 'none':
      return deliverToWorkspace(input)
    case 'commit':
      return deliverAsCommit(input)
    case 'pull-request':
      return deliverAsPullRequests(input)
  }
}

async function deliverToWorkspace(input: DeliverInput): Promise<DeliveryOutcome> {
  const { computation } = input
  const written = await writeFiles(input.compute.root, computation.files.map((f) => ({ path: f.path, text: f.after })))
  for (const path of written) input.log.info(`wrote ${path}`)
  return { operation: 'none', computation, results: [], warnings: [], errors: [] }
}

function fileChanges(c: Computation): FileChange[] {
  return c.files.map((f) => ({ path: f.path, content: f.after }))
}

function titleFor(changes: TagChange[], streams: string[], template: string | undefined): string {
  if (changes.length === 0) return `imagestream: record the import status of ${streams.join(', ') || 'the streams'}`
  return renderPullRequestTitle(template, messageVars(changes))
}

function commitMessageFor(changes: TagChange[], streams: string[], template: string | undefined): string {
  if (changes.length === 0) return `imagestream: record the import status of ${streams.join(', ') || 'the streams'}\n`
  return renderCommitMessage(template, messageVars(changes))
}

async function deliverAsCommit(input: DeliverInput): Promise<DeliveryOutcome> {
  const gh = input.gh!
  let computation = input.computation
  if (computation.files.length === 0) return { operation: 'none', computation, results: [], warnings: [], errors: [] }
  const settings = input.compute.settings
  const streams = [...new Set(computation.changes.map((c) => streamKey(c)))]
  // Unknown checkout commit → a sha no branch has, so the computation is always redone on the real head first.
  const baseSha = (await checkoutSha(input.compute.root)) ?? '0'.repeat(40)
  const result = await deliverCommit(
    gh,
    input.repo,
    {
      files: fileChanges(computation),
      group: 'all',
      title: '',
      body: '',
      commitMessage: commitMessageFor(computation.changes, streams, settings.commitMessageTemplate),
      baseBranch: input.baseBranch,
      branch: '',
      baseSha
    },
    {
      log: input.log,
      rebuild: async (base) => {
        input.log.info(`${input.baseBranch} is at ${base.sha}: computing the change again on top of it`)
        computation = await recompute(input.compute, computation, (path) => (base.files.has(path) ? Promise.resolve(base.files.get(path)!) : base.read(path)))
        return fileChanges(computation)
      }
    }
  )
  return {
    operation: result.operation === 'committed' ? 'committed' : 'none',
    computation,
    results: [result],
    commitSha: result.operation === 'committed' ? result.sha : undefined,
    warnings: result.warnings,
    errors: []
  }
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

async function deliverAsPullRequests(input: DeliverInput): Promise<DeliveryOutcome> {
  const gh = input.gh!
  const settings = input.compute.settings
  const git = new GitData(gh, input.repo)
  const base = await git.head(input.baseBranch)
  if (!base) throw new InputError(`branch "${input.baseBranch}" does not exist in ${input.repo.owner}/${input.repo.repo}`, { field: 'input base-branch' })

  let computation = input.computation
  const checkout = await checkoutSha(input.compute.root)
  if (computation.files.length > 0 && checkout !== base.sha) {
    input.log.info(`${input.baseBranch} is at ${base.sha}, the checkout at ${checkout ?? 'an unknown commit'}: computing the change on ${input.baseBranch}`)
    computation = await recompute(input.compute, computation, (path) => git.read(base.tree, path))
  }

  const now = rfc3339Seconds(input.compute.now)
  const before = new Map(computation.files.map((f) => [f.path, f.before]))
  const groups = groupChanges(computation, settings.group, settings.branchPrefix)
  const results: DeliveryResult[] = []
  const warnings: string[] = []
  const errors: string[] = []

  const streamFiles = new Set(computation.files.filter((f) => f.kind === 'stream').map((f) => f.path))
  const skipped: DeliveryGroup[] = []
  for (const g of groups) {
    // Only import bookkeeping (a failure condition, an adopted stream) and no tag moved: that is not worth a
    // review. The failure is in the summary, the `failed` output and the step's status; the group is left alone.
    if (g.changes.length === 0 && g.files.every((f) => streamFiles.has(f.path))) {
      input.log.info(`${g.key}: only import status changed (no tag moved); no pull request for it`)
      skipped.push(g)
      continue
    }
    try {
      const changes = await keepBranchTimes(git, g, now, before)
      const policy = computation.policy?.filter((d) => g.streams.includes(streamKey(d)))
      const vars = { changes, failures: g.failures, held: g.held, policy }
      const result = await deliverPullRequest(
        gh,
        input.repo,
        {
          files: g.files,
          group: g.key,
          title: titleFor(changes, g.streams, settings.titleTemplate),
          body: renderPullRequestBody(vars),
          commitMessage: commitMessageFor(changes, g.streams, settings.commitMessageTemplate),
          labels: settings.labels,
          reviewers: [...settings.reviewers, ...settings.teamReviewers],
          assignees: settings.assignees,
          draft: settings.draft,
          autoMerge: settings.autoMerge,
          baseBranch: input.baseBranch,
          branch: g.branch
        },
        { log: input.log }
      )
      results.push(result)
      warnings.push(...result.warnings)
    } catch (err) {
      errors.push(`${g.key} (${g.branch}): ${(err as Error).message}`)
    }
  }

  if (computation.complete) {
    // A skipped group's open pull request (from an earlier digest) stays open: its stream is not current.
    const produced = new Set([...groups, ...skipped].map((g) => g.branch))
    try {
      for (const r of await closeObsolete(gh, input, computation, produced)) {
        results.push(r)
        warnings.push(...r.warnings)
      }
    } catch (err) {
      errors.push(`closing pull requests that are no longer needed: ${(err as Error).message}`)
    }
  }

  const rank: Operation[] = ['created', 'updated', 'closed', 'none']
  const operation = rank.find((op) => results.some((r) => r.operation === op)) ?? 'none'
  const pr = results.find((r) => r.operation === operation && r.number !== undefined) ?? results.find((r) => r.number !== undefined && r.operation !== 'closed')
  return {
    operation,
    computation,
    results,
    pullRequest: pr?.number !== undefined ? { number: pr.number, url: pr.url ?? '' } : undefined,
    commitSha: pr?.sha,
    warnings,
    errors
  }
}

/** Adopts the open branch's content (and its import time in the report) when only this run's timestamp differs. */
async function keepBranchTimes(git: GitData, g: DeliveryGroup, now: string, before: Map<string, string>): Promise<TagChange[]> {
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
  return g.changes.map((c) => ({ ...c, history: c.history?.map((h) => (h.created === now ? { ...h, created: t } : h)) }))
}

interface OpenPull {
  number: number
  body: string | null
  head: { ref: string; repo: { full_name: string } | null }
}

/** Our open PRs (marker in the body, branch with our prefix) that this run did not produce and whose streams are current. */
async function closeObsolete(gh: GitHubClient, input: DeliverInput, computation: Computation, produced: Set<string>): Promise<DeliveryResult[]> {
  const settings = input.compute.settings
  const prefix = settings.branchPrefix
  const full = `${input.repo.owner}/${input.repo.repo}`.toLowerCase()
  const pulls = (await gh.paginate(gh.rest.pulls.list, { ...input.repo, state: 'open', base: input.baseBranch, per_page: 100 })) as OpenPull[]
  const known = new Set(computation.streams.map((s) => streamKey(s.stream)))
  const failedStreams = new Set(computation.failures.map((f) => streamKey(f)))
  const failedTags = new Set(computation.failures.map((f) => `${streamKey(f)}/${f.tag}`))
  const brokenFiles = new Set(computation.diagnostics.filter((d) => d.severity === 'error' && d.file).map((d) => d.file!))
  const streamFileBroken = computation.streams.some((s) => brokenFiles.has(s.file))

  const current = (branch: string): boolean => {
    const rest = branch.slice(prefix.length)
    if (settings.group === 'all') return rest === 'all' && computation.failures.length === 0 && !streamFileBroken
    if (settings.group === 'stream') return known.has(rest) && !failedStreams.has(rest)
    const slash = rest.lastIndexOf('/')
    if (slash <= 0) return false
    return known.has(rest.slice(0, slash)) && !failedTags.has(rest)
  }

  const out: DeliveryResult[] = []
  for (const p of pulls) {
    const branch = p.head.ref
    if (!branch.startsWith(prefix) || produced.has(branch) || !isOwnPullRequestBody(p.body)) continue
    if (p.head.repo?.full_name.toLowerCase() !== full) continue // a fork's branch of the same name is not ours
    if (!current(branch)) continue
    input.log.info(`#${p.number} (${branch}): its streams are current on ${input.baseBranch}; closing it`)
    out.push(
      await deliverPullRequest(
        gh,
        input.repo,
        {
          files: [],
          group: branch.slice(prefix.length),
          title: 'close',
          body: '',
          commitMessage: 'close',
          baseBranch: input.baseBranch,
          branch
        },
        {
          log: input.log,
          closeComment: `Closing: the registry reports the digests \`${input.baseBranch}\` already records for these tags, so this update is no longer needed.`
        }
      )
    )
  }
  return out
}
