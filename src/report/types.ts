/**
 * What report/ renders besides the pipeline's result types (which live in pipeline/result.ts and are re-exported
 * here for the modules that render them).
 */
import type { ChangeSet, TagChange } from '../pipeline/result.js'

export type {
  ChangeSet,
  HeldTag,
  HistoryEntry,
  ImageProvenance,
  PlatformDigest,
  TagChange,
  TagFailure,
  TouchedLine
} from '../pipeline/result.js'

/** What the job summary shows: the change set, where it went, and why nothing happened when nothing did. */
export interface RunSummary extends ChangeSet {
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
