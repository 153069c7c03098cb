/**
 * The action's outputs and job-summary input, from the computation and what delivery did. Truthful: `changed` says
 * whether this run wrote anything, and `updates` lists only the tag moves this run delivered (a tag already proposed
 * by an open pull request, declined or held is not an update of this run).
 */
import type { PolicyDecision, PullRequestReport, RunSummary, TagChange, TagFailure } from './types.js'

export interface DeliverySummaryInput {
  operation: string
  wrote: boolean
  pullRequests: PullRequestReport[]
  pullRequest?: { number: number; url: string }
  commitSha?: string
}

export interface OutputsInput {
  mode: 'pull-request' | 'commit' | 'none'
  changes: TagChange[]
  failures: TagFailure[]
  /** Tag policy decisions, for the summary. */
  policy?: PolicyDecision[]
  /** Automatic promotion decisions, for the summary. */
  promotions?: RunSummary['promotions']
  /** The stream file of a change or failure. */
  fileOf: (x: { stream: string; namespace?: string }) => string | undefined
  outcome?: DeliverySummaryInput
}

const label = (c: { stream: string; namespace?: string; tag: string }) =>
  `${c.namespace ? `${c.namespace}/` : ''}${c.stream}:${c.tag}`

/** The changes this run delivered: all of them for files or a commit it wrote, else those of PRs it wrote. */
export function deliveredChanges(input: OutputsInput): TagChange[] {
  const o = input.outcome
  if (!o) return []
  if (input.mode !== 'pull-request') return o.wrote ? input.changes : []
  const wrote = o.pullRequests.filter((p) => p.state === 'opened' || p.state === 'updated')
  const written = new Set(wrote.flatMap((p) => p.tags))
  return input.changes.filter((c) => written.has(label(c)))
}

export function actionOutputs(input: OutputsInput): Record<string, string> {
  const o = input.outcome
  const updates = deliveredChanges(input).map((ch) => {
    const files = [input.fileOf(ch), ...(ch.files ?? []).map((t) => t.file)].filter((x): x is string => Boolean(x))
    return {
      stream: ch.stream,
      ...(ch.namespace ? { namespace: ch.namespace } : {}),
      tag: ch.tag,
      oldDigest: ch.oldDigest ?? null,
      newDigest: ch.newDigest,
      ...(ch.repository ? { repository: ch.repository } : {}),
      files: [...new Set(files)]
    }
  })
  const failed = input.failures.map((f) => ({
    stream: f.stream,
    ...(f.namespace ? { namespace: f.namespace } : {}),
    tag: f.tag,
    reason: f.reason,
    message: f.message
  }))
  const pulls = (o?.pullRequests ?? [])
    .filter((p) => p.number !== undefined)
    .map((p) => ({ number: p.number, url: p.url ?? '', branch: p.branch, operation: p.state, tags: p.tags }))
  const first = o?.pullRequests.find((p) => p.number !== undefined && p.number === o.pullRequest?.number)
  return {
    changed: o?.wrote ? 'true' : 'false',
    updates: JSON.stringify(updates),
    failed: JSON.stringify(failed),
    operation: o?.operation ?? 'none',
    'pull-requests': JSON.stringify(pulls),
    'pull-request-number': o?.pullRequest ? String(o.pullRequest.number) : '',
    'pull-request-url': o?.pullRequest?.url ?? '',
    'pull-request-branch': first?.branch ?? '',
    'commit-sha': o?.commitSha ?? ''
  }
}

/** Why nothing was delivered although tags moved: every change is already proposed, declined or held. */
export function undeliveredReason(pullRequests: PullRequestReport[]): string | undefined {
  const states = new Set(pullRequests.map((p) => p.state))
  if (states.has('opened') || states.has('updated') || pullRequests.length === 0) return undefined
  const parts: string[] = []
  if (states.has('unchanged')) parts.push('the open pull requests already propose every change')
  if (states.has('declined')) parts.push('some changes were declined (their pull request was closed without merging)')
  if (states.has('held')) parts.push('some pull request branches are held (someone else pushed to them)')
  return parts.join('; ') || undefined
}

/** The job summary's input. */
export function runSummaryOf(
  input: OutputsInput,
  held: RunSummary['held'],
  idleReason: string | undefined
): RunSummary {
  const changes = input.mode === 'pull-request' ? deliveredChanges(input) : input.changes
  const prs = input.outcome?.pullRequests ?? []
  const reason = changes.length === 0 && input.changes.length > 0 ? undeliveredReason(prs) : undefined
  return {
    changes,
    failures: input.failures,
    held,
    ...(input.policy?.length ? { policy: input.policy } : {}),
    ...(input.promotions?.length ? { promotions: input.promotions } : {}),
    idleReason: reason ?? idleReason,
    pullRequests: prs
  }
}
