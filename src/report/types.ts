/**
 * What a run changed, as the report module renders it (PR body, commit message, job summary). Plain data: the
 * importer and triggers fill it in; every string here may come from a registry or a payload and is escaped on output.
 */

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

export interface ChangeSet {
  changes: TagChange[]
  failures: TagFailure[]
  held: HeldTag[]
}

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
