/**
 * The engine under every command, shared by both shells through `runCommand` (execute.ts):
 *   load streams → the command's stream rules → import what is due (registry) → rewrite manifests (triggers)
 *   → write every changed file in one journaled, locked step (`writeFiles`)
 * Everything is computed first and written last, so a run that fails half-way writes nothing, and a dry run is the
 * same computation with the write left out.
 */
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { ImportIntent } from '../importer/intent.js'
import { importStreams, type StreamInput } from '../importer/import-streams.js'
import type { PendingFirstSight } from '../importer/policy-import.js'
import type { Platform, RegistryClient } from '../registry/types.js'
import { locateField, renderStreamFile } from '../stream/state-file.js'
import { loadStreams, type LoadedStream } from '../stream/state-store.js'
import type { ImageStream } from '../stream/types.js'
import { scanManifests } from '../triggers/scan.js'
import type { TriggeredBuild } from '../triggers/buildconfig.js'
import type { Edit, PinFormat } from '../triggers/types.js'
import type { Clock } from '../util/clock.js'
import { rfc3339Seconds } from '../util/clock.js'
import type { Diagnostic } from '../util/errors.js'
import { createImageVerifier, type ImageVerifierOptions } from '../verify/gate.js'
import { DEFAULT_HISTORY_LIMIT } from '../defaults.js'
import type { ChangedFile, HeldTag, PolicyDecision, TagChange, TagFailure } from './result.js'
import type { EditedStream, EditOutcome } from './stream-edits.js'
import { promoteStep, type PromotionReport } from './promote-step.js'
import { attachTouchedLines, currentImageChanges, holdsOf } from './tag-changes.js'
import { idleReason } from './idle-reason.js'
import { needsPins, pinnedDigests, triggerStep } from './trigger-step.js'
import { recoverInterruptedWrite, writeFiles } from './write-files.js'

export type { PendingFirstSight }

export interface RunOptions {
  root: string
  streamsGlob: string | string[]
  manifests?: { include?: string[]; exclude?: string[] }
  /** What to import; undefined skips the import step (apply-triggers). */
  intent?: ImportIntent
  /** Rewrite manifests after the import (sync, apply-triggers, and every command that moves a tag). */
  triggers: boolean
  /** The command's stream rules (tag, rollback, …), applied to the loaded streams before the import. */
  edit?: (loaded: readonly LoadedStream[], now: string) => EditOutcome
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
  /** A shard's part of the repository (`--shard i/N`): only these streams and files are read for change. */
  only?: { streamFiles: ReadonlySet<string>; files: ReadonlySet<string> }
  /** After the imports, promote what qualifies into the tags that declare promote-from (sync). */
  promote?: boolean
  /** Told how far a long import got ("imported 40 of 400 streams"), about every tenth of the way. */
  progress?: (message: string) => void
  /**
   * First sights of moves waiting for min-age that are recorded outside the stream files (an open pull request's
   * branch, src/delivery/first-sights.ts): an input, read like the files themselves.
   */
  pendingFirstSight?: PendingFirstSight
}

/** Imports of fewer streams than this finish quickly enough to need no progress lines. */
const PROGRESS_FROM = 20

export type { ChangedFile }

export interface RunResult {
  files: ChangedFile[]
  /** BuildConfig builds this run starts (their status is in `files`): what dispatch-workflow/-event act on. */
  builds: TriggeredBuild[]
  changes: TagChange[]
  failures: TagFailure[]
  held: HeldTag[]
  /** Tag policy decisions (docs/policies.md). */
  policy: PolicyDecision[]
  /** Automatic promotion decisions of `sync` (docs/promotion.md). */
  promotions: PromotionReport[]
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
  /** What the command's rules said (oc's messages). */
  messages: string[]
  /** The edited streams after the run (import-image prints its stream); absent when the rules refused one. */
  edited: Array<{ file: string; stream: ImageStream; created: boolean }>
}

/** One stream as the run carries it: the file it came from (or will be), and the stream now. */
interface Working {
  file: string
  original?: EditedStream['original']
  before: string
  previous?: ImageStream
  stream: ImageStream
  /** Changed by the command's rules, so written even when the import leaves it alone. */
  dirty: boolean
  created: boolean
  /** Changed by the import. */
  imported?: boolean
}

interface ImportStep {
  changes: TagChange[]
  failures: TagFailure[]
  held: HeldTag[]
  policy: PolicyDecision[]
  lookups: number
  requested: number
  /** Rendered text of the streams the import changed, by file. */
  /** By the stream after the import: one file may hold several streams (documents). */
  rendered: Map<ImageStream, string>
  /** Streams the importer returned, by file (a refused stream is missing). */
  /** By the stream given to the import. */
  after: Map<ImageStream, { stream: ImageStream; changed: boolean }>
}

export async function runPipeline(options: RunOptions): Promise<RunResult> {
  const now = rfc3339Seconds(options.clock.now())
  // A killed run's journal is finished before anything is read, so this run builds on the completed write.
  if (options.write) await recoverInterruptedWrite(options.root)
  const loaded = await loadStreams(options.root, options.streamsGlob)
  const only = options.only
  if (only) loaded.streams = loaded.streams.filter((l) => only.streamFiles.has(l.file))
  const noStreamFiles = loaded.streams.length === 0 && loaded.diagnostics.length === 0
  const diagnostics: Diagnostic[] = [...loaded.diagnostics]

  const outcome = options.edit?.(loaded.streams, now)
  const intent = outcome?.intent ?? options.intent
  let working = workingStreams(loaded.streams, outcome?.edited ?? [], outcome?.forced === true)

  // Manifests are read up front: the import's history retention keeps every digest they still pin.
  const manifests =
    options.triggers || intent
      ? await scanManifests(options.root, {
          include: options.manifests?.include,
          exclude: options.manifests?.exclude,
          streamGlob: options.streamsGlob
        })
      : { files: [], diagnostics: [] }
  if (only) manifests.files = manifests.files.filter((f) => only.files.has(f.path) || only.streamFiles.has(f.path))
  if (options.triggers) diagnostics.push(...manifests.diagnostics)

  const subset = outcome?.intent ? working.filter((w) => outcome.edited.some((e) => e.file === w.file)) : working
  const imported =
    intent && intent.kind !== 'none'
      ? await importStep(options, intent, subset, manifests.files, now, diagnostics)
      : undefined
  if (imported) working = applyImport(working, imported, outcome?.forced === true)
  const promotedFrom = new Map(working.map((w) => [w.file, w.stream]))
  const promotion = options.promote ? promoteStep(working, now) : { reports: [], diagnostics: [] }
  diagnostics.push(...promotion.diagnostics)
  const promoted = new Set(working.filter((w) => w.stream !== promotedFrom.get(w.file)).map((w) => w.file))

  const files: ChangedFile[] = []
  const changes: TagChange[] = imported ? imported.changes : []
  for (const w of working) {
    if (!w.dirty) continue
    // A promotion after the import changed the stream again: the import's early rendering is stale.
    const early = promoted.has(w.file) || isDocumentOfMany(w.original) ? undefined : imported?.rendered.get(w.stream)
    addStreamFile(files, w, early ?? renderStreamFile(w.original, w.stream))
    if (promoted.has(w.file)) changes.push(...currentImageChanges(promotedFrom.get(w.file), w.stream))
    else if (!w.imported) changes.push(...currentImageChanges(w.previous, w.stream))
  }

  // From here on only the streams themselves are needed. The stream files' text and parsed documents (tens of MB in a
  // large repository) are let go: V8 lets the heap grow to a multiple of what is live before it collects in full.
  const finalStreams = working.map((w) => ({ file: w.file, stream: w.stream }))
  const edited = working.filter((w) => outcome?.edited.some((e) => e.file === w.file))
  // eslint-disable-next-line no-useless-assignment -- drops the last reference to the stream files' text
  working = []
  loaded.streams = []

  const out = { files, diagnostics, builds: [] as TriggeredBuild[], scanned: { files: manifests.files.length } }
  const edits = options.triggers ? triggerStep(options, manifests, finalStreams, out, now) : []
  const { builds, scanned } = out
  attachTouchedLines(changes, edits)
  const failures = imported?.failures ?? []
  const held = imported ? imported.held : outcome ? holdsOf(finalStreams.map((s) => s.stream)) : []
  if (options.write) await makeDirectories(options.root, files)
  const written = options.write
    ? await writeFiles(
        options.root,
        files.map((f) => ({ path: f.path, text: f.after }))
      )
    : []

  return {
    files,
    builds,
    changes,
    failures,
    held,
    policy: imported?.policy ?? [],
    promotions: promotion.reports,
    diagnostics,
    streams: finalStreams,
    edits,
    lookups: imported?.lookups ?? 0,
    requested: imported?.requested ?? 0,
    idleReason:
      files.length === 0
        ? idleReason(options, intent, outcome, imported?.requested ?? 0, failures.length, noStreamFiles, scanned)
        : undefined,
    written,
    messages: outcome?.messages ?? [],
    edited: edited.map((w) => ({ file: w.file, stream: w.stream, created: w.created }))
  }
}

/** The loaded streams with the command's edits applied (new streams appended). */
function workingStreams(loaded: readonly LoadedStream[], edited: readonly EditedStream[], forced: boolean): Working[] {
  const byFile = new Map(edited.map((e) => [e.file, e]))
  const out: Working[] = loaded.map((l) => {
    const e = byFile.get(l.file)
    return {
      file: l.file,
      original: l,
      before: l.text,
      previous: l.stream,
      stream: e ? e.stream : l.stream,
      // A forced import's working copy (generation 0) is never written as such: only the import's result is.
      dirty: e !== undefined && !forced,
      created: false
    }
  })
  for (const e of edited) {
    if (e.created) out.push({ ...e, dirty: !forced })
  }
  return out
}

async function importStep(
  options: RunOptions,
  intent: ImportIntent,
  streams: Working[],
  manifestFiles: ReadonlyArray<{ path: string; text: string }>,
  now: string,
  diagnostics: Diagnostic[]
): Promise<ImportStep> {
  if (!options.registry) throw new Error('internal error: an import needs a registry client')
  // A created stream that only the import may write is one `import-image --confirm` creates.
  const inputs: StreamInput[] = streams.map((s) => ({
    file: s.file,
    stream: s.stream,
    ...(s.created && !s.dirty ? { creating: true } : {})
  }))
  const inUse = needsPins(
    streams.map((s) => s.stream),
    options.historyLimit ?? DEFAULT_HISTORY_LIMIT
  )
    ? pinnedDigests(manifestFiles)
    : undefined
  // Render each changed stream as soon as its lookups settle, overlapping the lookups still in flight.
  const byStream = new Map(streams.map((s) => [s.stream, s]))
  const byFile = new Map(streams.map((s) => [s.file, s]))
  const rendered = new Map<ImageStream, string>()
  let done = 0
  const step = Math.ceil(inputs.length / 10)
  const result = await importStreams(inputs, intent, {
    onStream: (r) => {
      done++
      if (options.progress && inputs.length >= PROGRESS_FROM && (done % step === 0 || done === inputs.length)) {
        options.progress(`imported ${done} of ${inputs.length} streams`)
      }
      const w = byStream.get(r.before)
      if (!r.changed || !w || isDocumentOfMany(w.original)) return
      try {
        rendered.set(r.after, renderStreamFile(w.original, r.after))
      } catch {
        // Rendered again by the caller, where an error is reported the usual way.
      }
    },
    registry: options.registry,
    now,
    platform: options.platform,
    historyLimit: options.historyLimit,
    inUse,
    allowedRegistries: options.allowedRegistries,
    metadata: options.metadata,
    pendingFirstSight: options.pendingFirstSight,
    verify: createImageVerifier({ registry: options.registry, root: options.root, ...options.verify })
  })
  // A rule's error about a stream names the field; the file it came from gives the line.
  diagnostics.push(...result.diagnostics.map((d) => locatedIn(byFile.get(d.file ?? ''), d)))
  return {
    changes: result.changes,
    failures: result.failures,
    held: result.held,
    policy: result.policy,
    lookups: result.lookups,
    requested: result.requested,
    rendered,
    after: new Map(result.streams.map((r) => [r.before, { stream: r.after, changed: r.changed }]))
  }
}

/** The streams after the import. A forced stream the importer refused is dropped (nothing of it is written). */
function applyImport(working: Working[], imported: ImportStep, forced: boolean): Working[] {
  const out: Working[] = []
  for (const w of working) {
    const r = imported.after.get(w.stream)
    if (!r) {
      if (!(forced && w.created)) out.push(w)
      continue
    }
    out.push({ ...w, stream: r.stream, dirty: w.dirty || r.changed, imported: r.changed })
  }
  return out
}

/**
 * One changed file per path. The documents of a multi-document file render onto the file's shared parts, in order,
 * so the last rendering holds every document's change.
 */
function addStreamFile(files: ChangedFile[], w: Working, after: string): void {
  const same = files.find((f) => f.path === w.file)
  if (same) same.after = after
  else if (after !== w.before) files.push({ path: w.file, before: w.before, after, kind: 'stream' })
}

/** One document of a file holding several (LoadedStream.part). */
function isDocumentOfMany(original: unknown): boolean {
  return typeof original === 'object' && original !== null && (original as { part?: unknown }).part !== undefined
}

/** New stream files may live in a directory that does not exist yet. */
async function makeDirectories(root: string, files: ChangedFile[]): Promise<void> {
  for (const f of files) if (f.before === '') await mkdir(dirname(join(root, f.path)), { recursive: true })
}

/** `d` with the line:column of its field in the working stream's file, when it names a field but no line. */
function locatedIn(w: Working | undefined, d: Diagnostic): Diagnostic {
  if (!w?.original || !d.field || d.line !== undefined) return d
  const part = (w.original as Partial<LoadedStream>).part
  const at = locateField(w.original, d.field, part?.line ?? 0)
  return at ? { ...d, ...at } : d
}
