/**
 * The whole loop over a working tree, shared by the CLI (`import`, `apply-triggers`, `sync`) and the action:
 *   load streams → import (registry) → apply rules → rewrite manifests (triggers) → write every changed file
 * Everything is computed first and written last, in one step (`writeFiles`), so a run that fails half-way writes
 * nothing, and a dry run is the same computation with the write left out.
 */
import type { ImportIntent } from '../importer/intent.js'
import { importStreams, type StreamInput } from '../importer/import-streams.js'
import type { Platform, RegistryClient } from '../registry/types.js'
import type { HeldTag, TagChange, TagFailure, TouchedLine } from '../report/types.js'
import { renderStreamFile } from '../stream/state-file.js'
import { loadStreams, type LoadedStream } from '../stream/state-store.js'
import type { ImageStream } from '../stream/types.js'
import { findBindings } from '../triggers/find.js'
import { rewriteManifests } from '../triggers/rewrite.js'
import { scanManifests } from '../triggers/scan.js'
import type { Edit, PinFormat } from '../triggers/types.js'
import type { Clock } from '../util/clock.js'
import { rfc3339Seconds } from '../util/clock.js'
import type { Diagnostic } from '../util/errors.js'
import { createImageVerifier, type ImageVerifierOptions } from '../verify/gate.js'
import { recoverInterruptedWrite, writeFiles } from './write-files.js'

export interface RunOptions {
  root: string
  streamsGlob: string | string[]
  manifests?: { include?: string[]; exclude?: string[] }
  /** What to import; undefined skips the import step (apply-triggers). */
  intent?: ImportIntent
  /** Rewrite manifests after the import (sync, apply-triggers). */
  triggers: boolean
  registry?: RegistryClient
  clock: Clock
  platform?: Platform
  historyLimit?: number
  allowedRegistries?: readonly string[]
  pinFormat?: PinFormat
  ignoreLocalPolicy?: boolean
  /** false: compute everything, write nothing (dry run). */
  write: boolean
  /** Read image labels/created time of changed images for reports (default true). */
  metadata?: boolean
  /**
   * The signature gate's sources beyond the registry: GitHub artifact attestations through the API, and trusted
   * roots other than the shipped ones (tests). Streams whose annotations ask for verification are always gated.
   */
  verify?: Pick<ImageVerifierOptions, 'github' | 'trustedRoots'>
}

export interface ChangedFile {
  path: string
  before: string
  after: string
  kind: 'stream' | 'manifest'
  edits?: Edit[]
}

export interface RunResult {
  files: ChangedFile[]
  changes: TagChange[]
  failures: TagFailure[]
  held: HeldTag[]
  diagnostics: Diagnostic[]
  /** Streams after the run (for describe/history and for delivery re-runs). */
  streams: Array<{ file: string; stream: ImageStream }>
  /** Manifest edits made, flat. */
  edits: Edit[]
  lookups: number
  requested: number
  /** Said when nothing changed. */
  idleReason?: string
  /** Paths actually written (empty on a dry run). */
  written: string[]
}

export async function runPipeline(options: RunOptions): Promise<RunResult> {
  const now = rfc3339Seconds(options.clock.now())
  // A killed run's journal is finished before anything is read, so this run builds on the completed write.
  if (options.write) await recoverInterruptedWrite(options.root)
  const loaded = await loadStreams(options.root, options.streamsGlob)
  const diagnostics: Diagnostic[] = [...loaded.diagnostics]
  const files: ChangedFile[] = []

  // Manifests are read up front: the import's history retention keeps every digest they still pin.
  const manifests = options.triggers || options.intent
    ? await scanManifests(options.root, {
        include: options.manifests?.include,
        exclude: options.manifests?.exclude,
        streamGlob: options.streamsGlob
      })
    : { files: [], diagnostics: [] }
  if (options.triggers) diagnostics.push(...manifests.diagnostics)

  let streams: Array<{ file: string; stream: ImageStream; loaded: LoadedStream }> = loaded.streams.map((l) => ({
    file: l.file,
    stream: l.stream,
    loaded: l
  }))
  let changes: TagChange[] = []
  let failures: TagFailure[] = []
  let held: HeldTag[] = []
  let lookups = 0
  let requested = 0

  if (options.intent && options.intent.kind !== 'none') {
    if (!options.registry) throw new Error('internal error: an import needs a registry client')
    const inputs: StreamInput[] = streams.map((s) => ({ file: s.file, stream: s.stream }))
    const inUse = needsPins(streams.map((s) => s.stream), options.historyLimit ?? 10)
      ? pinnedDigests(manifests.files)
      : undefined
    // Render each changed stream as soon as its lookups settle, overlapping the lookups still in flight.
    const loadedByFile = new Map(streams.map((s) => [s.file, s.loaded]))
    const rendered = new Map<string, string>()
    const result = await importStreams(inputs, options.intent, {
      onStream: (r) => {
        const loadedStream = loadedByFile.get(r.file)
        if (!r.changed || !loadedStream) return
        try {
          rendered.set(r.file, renderStreamFile(loadedStream, r.after))
        } catch {
          // Rendered again below, where an error is reported the usual way.
        }
      },
      registry: options.registry,
      now,
      platform: options.platform,
      historyLimit: options.historyLimit,
      inUse,
      allowedRegistries: options.allowedRegistries,
      metadata: options.metadata,
      verify: createImageVerifier({ registry: options.registry, root: options.root, ...options.verify })
    })
    diagnostics.push(...result.diagnostics)
    changes = result.changes
    failures = result.failures
    held = result.held
    lookups = result.lookups
    requested = result.requested
    const byFile = new Map(result.streams.map((r) => [r.file, r]))
    streams = streams.map((s) => {
      const r = byFile.get(s.file)
      if (!r || !r.changed) return s
      const after = rendered.get(s.file) ?? renderStreamFile(s.loaded, r.after)
      if (after !== s.loaded.text) files.push({ path: s.file, before: s.loaded.text, after, kind: 'stream' })
      return { ...s, stream: r.after }
    })
  } else if (options.intent) {
    held = []
  }

  // From here on only the streams themselves are needed. The stream files' text and parsed documents (tens of MB in a
  // large repository) are let go: V8 lets the heap grow to a multiple of what is live before it collects in full.
  const finalStreams = streams.map((s) => ({ file: s.file, stream: s.stream }))
  streams = []
  loaded.streams = []

  const edits: Edit[] = []
  if (options.triggers) {
    const rewrite = rewriteManifests(
      manifests.files,
      finalStreams.map((s) => s.stream),
      { pinFormat: options.pinFormat, ignoreLocalPolicy: options.ignoreLocalPolicy }
    )
    diagnostics.push(...rewrite.diagnostics)
    // Only the changed files' old text is kept (for the result); the other files' text can go once this is done.
    const changedPaths = new Set(rewrite.changed.map((m) => m.path))
    const before = new Map(manifests.files.filter((f) => changedPaths.has(f.path)).map((f) => [f.path, f.text]))
    manifests.files = []
    for (const m of rewrite.changed) {
      files.push({ path: m.path, before: before.get(m.path) ?? '', after: m.text, kind: 'manifest', edits: m.edits })
      edits.push(...m.edits)
    }
    attachTouchedLines(changes, edits)
  }

  const written = options.write ? await writeFiles(options.root, files.map((f) => ({ path: f.path, text: f.after }))) : []

  return {
    files,
    changes,
    failures,
    held,
    diagnostics,
    streams: finalStreams,
    edits,
    lookups,
    requested,
    idleReason: files.length === 0 ? idleReason(options, requested, failures.length) : undefined,
    written
  }
}

function idleReason(options: RunOptions, requested: number, failed: number): string {
  if (failed > 0) return 'the imports that ran failed (see the failures)'
  if (options.intent?.kind === 'none') return options.intent.reason
  if (options.intent && requested === 0) {
    if (options.intent.kind === 'pushed') return `no tag follows ${options.intent.image}`
    if (options.intent.kind === 'tags') return 'none of the requested tags exists in the streams'
    return 'no tag is due (none is scheduled or pending)'
  }
  if (options.intent) return 'every tag is current: the registry reports the digests already recorded'
  return 'every manifest already pins the current image'
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

/** Each change lists the manifest lines its tag moved (edits name their source `[ns/]stream:tag`). */
function attachTouchedLines(changes: TagChange[], edits: Edit[]): void {
  for (const change of changes) {
    const touched: TouchedLine[] = edits
      .filter((e) => {
        const m = /^(?:([^/]+)\/)?([^:]+):(.+)$/.exec(e.from)
        if (!m || m[2] !== change.stream || m[3] !== change.tag) return false
        return !m[1] || !change.namespace || m[1] === change.namespace
      })
      .map((e) => ({ file: e.file, line: e.line, oldValue: e.oldValue ?? '', newValue: e.newValue }))
    if (touched.length) change.files = touched
  }
}
