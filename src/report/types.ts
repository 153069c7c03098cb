/**
 * What report/ renders besides the pipeline's result types (which live in pipeline/result.ts and are re-exported
 * here for the modules that render them).
 */
import type { PromotionReport } from '../pipeline/promote-step.js'
import type { ChangeSet, TagChange } from '../pipeline/result.js'

export type {
  ChangeSet,
  HeldTag,
  HistoryEntry,
  ImageProvenance,
  PlatformDigest,
  PolicyDecision,
  TagChange,
  TagFailure,
  TouchedLine
} from '../pipeline/result.js'

/** What the job summary shows: the change set, where it went, and why nothing happened when nothing did. */
/** What became of one pull request a run looked at (the summary's words). */
export type PullRequestState = 'opened' | 'updated' | 'unchanged' | 'closed' | 'declined' | 'held' | 'failed'

export interface PullRequestReport {
  number?: number
  url?: string
  branch: string
  state: PullRequestState
  /** `[ns/]stream:tag` of the tags it proposes. */
  tags: string[]
  /** Why (a failure's message; the declining PRs' numbers). */
  detail?: string
}

export interface RunSummary extends ChangeSet {
  /** Pull requests this run opened, updated, closed, found open, held or found declined. */
  pullRequests?: PullRequestReport[]
  /** Automatic promotions of `sync`: what was promoted, what waits and why. */
  promotions?: PromotionReport[]
  /** Said when there are no changes: "no tag is due", "every tag is current". */
  idleReason?: string
  delivery?: {
    operation: 'created' | 'updated' | 'committed' | 'none'
    /** Pull request or commit URL (https only; anything else is shown as text). */
    url?: string
    /** Pull request number or commit SHA, for the link text. */
    label?: string
  }
}

/** Placeholders of title and commit message templates. */
export interface MessageVars {
  /** The stream when all changes are in one stream, else the first one. */
  stream: string
  /** The tag when there is one change, else the first one. */
  tag: string
  /** The new digest of the first change (rendered short). */
  digest: string
  count: number
  /** Distinct streams, in order of first appearance. */
  streams: string[]
  /** All changes, listed in a commit message body. */
  changes?: TagChange[]
}
