/** The contract between the pipeline's result and delivery, and what delivery reports back (outputs, summary). */
import type { PromotionReport } from '../pipeline/promote-step.js'
import type { ChangedFile } from '../pipeline/run.js'
import type { HeldTag, PolicyDecision, PullRequestReport, TagChange, TagFailure } from '../report/types.js'
import type { ImageStream } from '../stream/types.js'
import type { Diagnostic } from '../util/errors.js'
import type { GitHubClient } from './github-client.js'
import type { DeliveryLogger, DeliveryResult, DeliverySettings, RepoRef } from './types.js'

export type Operation = 'created' | 'updated' | 'committed' | 'closed' | 'none'

/** What delivery needs of the pipeline's result (nothing written yet). */
export interface Deliverable {
  files: ChangedFile[]
  changes: TagChange[]
  failures: TagFailure[]
  held: HeldTag[]
  /** Tag policy decisions (docs/policies.md), shown in the PR body of the group they belong to. */
  policy?: PolicyDecision[]
  /** Automatic promotion decisions (docs/promotion.md): each promoted tag is proposed in a pull request of its own. */
  promotions?: PromotionReport[]
  diagnostics: Diagnostic[]
  streams: ReadonlyArray<{ file: string; stream: ImageStream }>
  /** Whether this run looked at every importable tag of every stream (so an open PR without a change is obsolete). */
  complete: boolean
}

/** Reads a file of another base (null = absent there). */
export type BaseReader = (path: string) => Promise<string | null>

export interface DeliveryOutcome<C extends Deliverable = Deliverable> {
  operation: Operation
  /** Whether this run wrote anything: files, a commit, a pull request opened, updated or closed. */
  wrote: boolean
  /** Every pull request this run touched, found open, held or found declined. */
  pullRequests: PullRequestReport[]
  /** The computation that was delivered (redone on a moved base when that happened). */
  computation: C
  results: DeliveryResult[]
  pullRequest?: { number: number; url: string }
  commitSha?: string
  warnings: string[]
  /** Groups whose delivery failed, with why (the others were still delivered). */
  errors: string[]
}

export interface DeliverInput<C extends Deliverable = Deliverable> {
  mode: 'pull-request' | 'commit' | 'none'
  /** The checkout the computation was made from. */
  root: string
  /** The run's instant (the timestamps the computation wrote). */
  now: Date
  settings: DeliverySettings
  computation: C
  /** The same computation again on another base (a branch that moved while this run worked). */
  recompute: (previous: C, read: BaseReader) => Promise<C>
  gh?: GitHubClient
  repo: RepoRef
  baseBranch: string
  log: DeliveryLogger
  /** The workflow run's URL, named in the PR body. */
  runUrl?: string
  /** The command that produced the change (for the PR body's configuration line). */
  command?: string
}
