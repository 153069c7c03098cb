/**
 * The trigger step of a run (run.ts): the manifests bound to the streams are rewritten, as OpenShift's trigger
 * controller would roll them; and the digests they pin, which history retention must keep.
 */
import { parseStreamDocuments } from '../stream/state-documents.js'
import type { ImageStream } from '../stream/types.js'
import type { TriggeredBuild } from '../triggers/buildconfig.js'
import { findBindings } from '../triggers/find.js'
import { rewriteManifests } from '../triggers/rewrite.js'
import type { Edit, PinFormat } from '../triggers/types.js'
import type { Diagnostic } from '../util/errors.js'
import type { ChangedFile } from './result.js'

/** Rewrites the manifests bound to the streams; adds the changed ones to `files` and returns the edits. */
export function triggerStep(
  options: { pinFormat?: PinFormat; ignoreLocalPolicy?: boolean },
  manifests: { files: Array<{ path: string; text: string }> },
  streams: Array<{ stream: ImageStream }>,
  out: {
    files: ChangedFile[]
    diagnostics: Diagnostic[]
    builds: TriggeredBuild[]
    /** What the rewrite found, for the reason an idle run gives. */
    scanned: { files: number; bound?: number; templated?: number }
  },
  now: string
): Edit[] {
  const { files, diagnostics, builds } = out
  const rewrite = rewriteManifests(
    manifests.files,
    [...streams.map((s) => s.stream), ...streamsInManifests(manifests.files, streams)],
    { pinFormat: options.pinFormat, ignoreLocalPolicy: options.ignoreLocalPolicy, now }
  )
  diagnostics.push(...rewrite.diagnostics)
  builds.push(...rewrite.builds)
  out.scanned.bound = rewrite.bound
  out.scanned.templated = rewrite.templated
  // Only the changed files' old text is kept (for the result); the other files' text can go once this is done.
  const changedPaths = new Set(rewrite.changed.map((m) => m.path))
  const before = new Map(manifests.files.filter((f) => changedPaths.has(f.path)).map((f) => [f.path, f.text]))
  manifests.files = []
  const edits: Edit[] = []
  for (const m of rewrite.changed) {
    files.push({ path: m.path, before: before.get(m.path) ?? '', after: m.text, kind: 'manifest', edits: m.edits })
    edits.push(...m.edits)
  }
  return edits
}

/**
 * ImageStreams defined among the manifests (a stream next to its Deployment, as `oc apply -f` takes them) that the
 * streams glob does not read: triggers resolve against them as they are in the file (they are not imported here), so
 * a trigger naming one is never reported as naming an unknown stream. A stream the run loaded wins over a copy.
 */
function streamsInManifests(
  files: ReadonlyArray<{ path: string; text: string }>,
  loaded: ReadonlyArray<{ stream: ImageStream }>
): ImageStream[] {
  const key = (s: ImageStream) => `${s.metadata.namespace ?? ''}/${s.metadata.name}`
  const known = new Set(loaded.map((s) => key(s.stream)))
  const found: ImageStream[] = []
  for (const f of files) {
    if (!/["']?kind["']?\s*:\s*["']?ImageStream["']?\s*[,}\r\n]/.test(f.text)) continue
    for (const { stream } of parseStreamDocuments(f.text, f.path).streams) {
      if (!stream || known.has(key(stream))) continue
      known.add(key(stream))
      found.push(stream)
    }
  }
  return found
}

/** Retention needs the pinned digests only when some tag has more history than it keeps. */
export function needsPins(streams: ImageStream[], limit: number): boolean {
  if (limit < 0) return false
  // One new item per tag can arrive in this run, so a tag at the limit may need trimming afterwards.
  return streams.some((s) => s.status?.tags?.some((t) => (t.items?.length ?? 0) >= limit))
}

/** Every digest the manifests pin (the analogue of prune's "in use"): history retention never drops them. */
export function pinnedDigests(files: ReadonlyArray<{ path: string; text: string }>): Set<string> {
  const out = new Set<string>()
  for (const f of files) for (const d of findBindings(f.path, f.text).pinnedDigests) out.add(d)
  return out
}
