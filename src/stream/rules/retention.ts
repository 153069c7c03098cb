/**
 * History retention, after `oc adm prune images`' per-item rules ([oc] pkg/cli/admin/prune/imageprune/prune.go
 * pruneImageStreamTag): keep revision `rev < keep`, keep any digest still in use (the analogue of "used by a
 * workload": digests pinned by manifests in the repository), and never drop items[0]. OpenShift itself never trims
 * status.tags[].items; this is what keeps a file in Git (and `last-applied-configuration`) bounded.
 * Ours on top: a held tag's digest is always in use.
 */
import type { ImageStream, TagEvent } from '../types.js'
import { cloneStream, readHolds } from './draft.js'

export const DEFAULT_KEEP_TAG_REVISIONS = 10

export interface RetentionOptions {
  /** Items kept per tag, counting items[0] (default 10). -1 keeps everything. */
  keep?: number
  /** Digests still referenced somewhere (manifests): their items survive at any depth. */
  inUse?: ReadonlySet<string>
}

export interface RetentionResult {
  stream: ImageStream
  changed: boolean
  removed: { tag: string; event: TagEvent }[]
}

export function pruneTagHistory(stream: ImageStream, options: RetentionOptions = {}): RetentionResult {
  const keep = options.keep ?? DEFAULT_KEEP_TAG_REVISIONS
  if (!Number.isInteger(keep) || (keep < 1 && keep !== -1)) {
    throw new RangeError(`keep-tag-revisions must be a whole number >= 1, or -1 to keep all (got ${keep})`)
  }
  if (keep === -1) return { stream, changed: false, removed: [] }
  const inUse = new Set(options.inUse ?? [])
  for (const hold of Object.values(readHolds(stream))) inUse.add(hold.digest)

  const draft = cloneStream(stream)
  const removed: RetentionResult['removed'] = []
  for (const list of draft.status?.tags ?? []) {
    if (!list.items || list.items.length <= keep) continue
    list.items = list.items.filter((item, rev) => {
      const kept = rev === 0 || rev < keep || (item.image !== '' && inUse.has(item.image))
      if (!kept) removed.push({ tag: list.tag, event: item })
      return kept
    })
  }
  return removed.length > 0 ? { stream: draft, changed: true, removed } : { stream, changed: false, removed }
}
