/**
 * What a command changed: the pipeline's result value (tag changes, failures, holds). Plain data: the importer and
 * the orchestrator fill it in, report/ renders it, delivery/ ships it. Every string here may come from a registry or
 * a payload and is escaped on output.
 */
import type { Edit } from '../triggers/types.js'

/** Provenance from the image's labels `org.opencontainers.image.source` / `.revision`, when present. */
export interface ImageProvenance {
  source?: string
  revision?: string
}

/** One platform of an index: `linux/amd64` → digest (and the digest it had before, when known). */
export interface PlatformDigest {
  /** `os/architecture[/variant]`. */
  platform: string
  digest: string
  oldDigest?: string
}

/** One edited line in a manifest (a trigger binding). `line` is 1-based. */
export interface TouchedLine {
  file: string
  line: number
  oldValue: string
  newValue: string
}

/** A history item of the tag (newest first), as in status.tags[].items. */
export interface HistoryEntry {
  digest: string
  /** RFC 3339. */
  created: string
}

/** One tag that moved to a new image. */
export interface TagChange {
  stream: string
  namespace?: string
  tag: string
  /** Repository of the new image (`quay.io/acme/web`), the `repo` of its `repo@digest`. */
  repository?: string
  /** Repository of the old image when it differs (the tag's `from` changed). Defaults to `repository`. */
  oldRepository?: string
  /** Undefined for a tag's first import. */
  oldDigest?: string
  newDigest: string
  /** When the new image was created (RFC 3339), from its config. */
  created?: string
  /** Children of the new image when it is an index. */
  platforms?: PlatformDigest[]
  oldProvenance?: ImageProvenance
  newProvenance?: ImageProvenance
  /** Manifests edited because of this change. */
  files?: TouchedLine[]
  /** Recent history after the change, newest first (items[0] is the new image). */
  history?: HistoryEntry[]
  /** Who signed the new image, when the stream's verification policy checked it (src/verify). */
  signedBy?: string
  /** Under `verify: warn`: the signature check the new image failed. */
  verifyWarning?: string
}

/** A tag whose import failed (the ImportSuccess=False condition). */
export interface TagFailure {
  stream: string
  namespace?: string
  tag: string
  /** OpenShift-style reason: NotFound, Unauthorized, … */
  reason: string
  message: string
}

/** A tag held by a rollback: it stays on `heldDigest` although upstream moved. */
export interface HeldTag {
  stream: string
  namespace?: string
  tag: string
  heldDigest: string
  /** The newest upstream digest an import saw while held. */
  upstreamDigest?: string
}

/**
 * What a tag policy decided this run (docs/policies.md): moved to a new winner, waiting for its soak time, drift on
 * an immutable tag (refused, or accepted by a person), an index missing required platforms, or a refused image.
 */
export interface PolicyDecision {
  stream: string
  namespace?: string
  tag: string
  kind: 'moved' | 'soaking' | 'drift' | 'drift-accepted' | 'incomplete' | 'refused'
  /** The followed tag before and after (`1.4.2` → `1.4.3`; equal when the policy kept the tag). */
  from: string
  to: string
  /** The candidate's digest. */
  digest: string
  /** Drift: the digest on record. */
  oldDigest?: string
  /** Drift: the new image's created time (its config), when readable. */
  created?: string
  /** Soaking: when this pipeline first saw the candidate, and when it may land (RFC 3339). */
  firstSeen?: string
  until?: string
  /** Incomplete: the required platforms the index lacks. */
  missing?: string[]
  message?: string
}

export interface ChangeSet {
  changes: TagChange[]
  failures: TagFailure[]
  held: HeldTag[]
  /** Tag policy decisions (absent when no stream has a policy). */
  policy?: PolicyDecision[]
}

/** A file the run changes: its text before and after (and, for a manifest, the edits that made it). */
export interface ChangedFile {
  path: string
  before: string
  after: string
  kind: 'stream' | 'manifest'
  edits?: Edit[]
}
