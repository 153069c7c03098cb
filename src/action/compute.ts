/**
 * The action's computation: what the files of the repository should become, written nowhere. `sync`, `import` and
 * `apply-triggers` are the shared pipeline (runPipeline, write:false); `tag`, `rollback` and `resume` apply the
 * same pure stream rules the CLI uses to the `args` words, then let the triggers follow.
 *
 * `recompute` runs the same computation again on another base (a branch that moved while this run worked): the
 * stream files and the files this run changed are read from that base, everything else comes from the checkout,
 * and registry answers are replayed from the first pass, so both the other change and ours survive.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { runPipeline, type ChangedFile, type RunResult } from '../pipeline/run.js'
import type { GithubAttestationSource } from '../verify/github.js'
import type { ImportIntent } from '../importer/intent.js'
import type { ImageReference } from '../reference/types.js'
import type { RegistryClient, ResolveOptions } from '../registry/types.js'
import type { TagChange, TouchedLine } from '../report/types.js'
import { renderStreamFile } from '../stream/state-file.js'
import { loadStreams, type LoadedStream } from '../stream/state-store.js'
import { resume, rollback, tagCommand, deleteTags, listHolds, type RollbackTarget } from '../stream/rules/index.js'
import type { ImageStream } from '../stream/types.js'
import { rewriteManifests } from '../triggers/rewrite.js'
import { scanManifests } from '../triggers/scan.js'
import type { Edit } from '../triggers/types.js'
import { rfc3339Seconds } from '../util/clock.js'
import { InputError, type Diagnostic } from '../util/errors.js'
import type { Settings } from './settings.js'

/** The pipeline's result (nothing written yet), plus what the action needs to deliver it. */
export interface Computation
  extends Pick<RunResult, 'files' | 'changes' | 'failures' | 'held' | 'diagnostics' | 'streams' | 'idleReason'> {
  /** What a stream command did, in oc's words ("Tag web:prod set to …"). */
  messages: string[]
  /** Whether this run looked at every importable tag of every stream (so an open PR without a change is obsolete). */
  complete: boolean
}

export interface ComputeInput {
  root: string
  settings: Settings
  intent: ImportIntent
  registry: RegistryClient
  /** One instant for the whole run: a recomputation writes the same timestamps. */
  now: Date
  /** GitHub artifact attestations for streams whose policy names `verify-github` (src/verify). */
  attestations?: GithubAttestationSource
}

export async function compute(input: ComputeInput): Promise<Computation> {
  const { settings } = input
  switch (settings.command) {
    case 'tag':
    case 'rollback':
    case 'resume':
      return streamCommand(input)
    default: {
      const importing = settings.command !== 'apply-triggers'
      const triggers = settings.command !== 'import'
      const result = await runPipeline({
        root: input.root,
        streamsGlob: settings.streamsGlob,
        manifests: settings.manifestGlobs,
        intent: importing ? input.intent : undefined,
        triggers,
        registry: input.registry,
        clock: { now: () => input.now },
        platform: settings.platform,
        historyLimit: settings.historyLimit,
        allowedRegistries: settings.allowedRegistries,
        pinFormat: settings.pinFormat,
        write: false,
        verify: { github: input.attestations }
      })
      return {
        files: result.files,
        changes: result.changes,
        failures: result.failures,
        held: result.held,
        diagnostics: result.diagnostics,
        streams: result.streams,
        idleReason: result.idleReason,
        messages: [],
        complete: settings.command === 'sync' && (input.intent.kind === 'scheduled' || input.intent.kind === 'all')
      }
    }
  }
}

// ------------------------------------------------------------------------------------------ tag / rollback / resume

type WordOptions = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>

function parseWords(settings: Settings, options: WordOptions): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: settings.args, options, allowPositionals: true, strict: true })
    return { values: values as Record<string, unknown>, positionals }
  } catch (err) {
    throw new InputError(`${(err as Error).message.replace(/\. To specify a positional argument.*$/s, '')} (for command ${settings.command})`, {
      field: 'input args'
    })
  }
}

/** `[namespace/]name:tag` → the loaded stream it names and the tag. */
function streamTag(loaded: LoadedStream[], text: string, field = 'input args'): { stream: LoadedStream; tag: string } {
  const m = /^(?:([a-z0-9][-a-z0-9.]*)\/)?([a-z0-9][-a-z0-9.]*):([\w][\w.-]{0,127})$/.exec(text)
  if (!m) throw new InputError(`expected [namespace/]stream:tag; got ${JSON.stringify(text)}`, { field })
  const [, namespace, name, tag] = m
  const stream = findLoaded(loaded, name!, namespace)
  if (!stream) throw new InputError(`no stream file defines the image stream "${namespace ? `${namespace}/` : ''}${name}"`, { field })
  return { stream, tag: tag! }
}

function findLoaded(loaded: LoadedStream[], name: string, namespace?: string): LoadedStream | undefined {
  return loaded.find((l) => l.stream.metadata.name === name && (!namespace || (l.stream.metadata.namespace ?? '') === namespace))
}

async function streamCommand(input: ComputeInput): Promise<Computation> {
  const { settings, root } = input
  const now = rfc3339Seconds(input.now)
  const loaded = await loadStreams(root, settings.streamsGlob)
  const diagnostics: Diagnostic[] = [...loaded.diagnostics]
  const next = new Map<LoadedStream, ImageStream>()
  const messages: string[] = []
  const current = (l: LoadedStream): ImageStream => next.get(l) ?? l.stream
  const lookup = (namespace: string, name: string): ImageStream | undefined => {
    const l = findLoaded(loaded.streams, name, namespace || undefined)
    return l && current(l)
  }

  if (settings.command === 'rollback') {
    const { values, positionals } = parseWords(settings, { 'to-generation': { type: 'string' }, to: { type: 'string' } })
    if (positionals.length !== 1) throw new InputError('rollback takes one STREAM:TAG, e.g. "web:prod --to-generation 3"', { field: 'input args' })
    let target: RollbackTarget
    if (values['to-generation'] !== undefined && values.to === undefined) {
      const g = String(values['to-generation'])
      if (!/^\d+$/.test(g)) throw new InputError(`--to-generation must be a whole number; got ${JSON.stringify(g)}`, { field: 'input args' })
      target = { toGeneration: Number(g) }
    } else if (values.to !== undefined && values['to-generation'] === undefined) {
      target = { toDigest: String(values.to) }
    } else {
      throw new InputError('rollback needs exactly one of --to-generation N or --to DIGEST', { field: 'input args' })
    }
    const { stream, tag } = streamTag(loaded.streams, positionals[0]!)
    next.set(stream, rollback(current(stream), tag, target, now))
    messages.push(`Tag ${stream.stream.metadata.name}:${tag} rolled back and held.`)
  } else if (settings.command === 'resume') {
    const { positionals } = parseWords(settings, {})
    if (positionals.length !== 1) throw new InputError('resume takes one STREAM:TAG, e.g. "web:prod"', { field: 'input args' })
    const { stream, tag } = streamTag(loaded.streams, positionals[0]!)
    next.set(stream, resume(current(stream), tag))
    messages.push(`Tag ${stream.stream.metadata.name}:${tag} resumed.`)
  } else {
    const { values, positionals } = parseWords(settings, {
      alias: { type: 'boolean' },
      scheduled: { type: 'boolean' },
      reference: { type: 'boolean' },
      'reference-policy': { type: 'string' },
      'import-mode': { type: 'string' },
      insecure: { type: 'boolean' },
      source: { type: 'string' },
      delete: { type: 'boolean', short: 'd' }
    })
    const remove = values.delete === true
    const source = remove ? undefined : positionals[0]
    const destinations = remove ? positionals : positionals.slice(1)
    if (!remove && (!source || destinations.length === 0)) {
      throw new InputError('tag takes SOURCE DEST..., e.g. "web:1.4 web:prod" (or -d DEST... to delete)', { field: 'input args' })
    }
    // Each destination names its stream; one tagCommand per stream, as oc updates one ImageStreamTag at a time.
    const byStream = new Map<LoadedStream, string[]>()
    for (const d of destinations) {
      const { stream } = streamTag(loaded.streams, d)
      byStream.set(stream, [...(byStream.get(stream) ?? []), d])
    }
    for (const [stream, dests] of byStream) {
      const result = remove
        ? deleteTags(current(stream), dests, { alias: values.alias === true, scheduled: values.scheduled === true, insecure: values.insecure === true, source: values.source as string | undefined })
        : tagCommand(current(stream), source!, dests, now, {
            alias: values.alias === true,
            scheduled: values.scheduled === true,
            reference: values.reference === true,
            insecure: values.insecure === true,
            referencePolicy: values['reference-policy'] as string | undefined,
            importMode: values['import-mode'] as string | undefined,
            source: values.source as string | undefined,
            lookup
          })
      next.set(stream, result.stream)
      messages.push(...result.messages)
    }
  }

  const files: ChangedFile[] = []
  const changes: TagChange[] = []
  for (const [l, after] of next) {
    const text = renderStreamFile(l, after)
    if (text !== l.text) files.push({ path: l.file, before: l.text, after: text, kind: 'stream' })
    changes.push(...currentImageChanges(l.stream, after))
  }
  const streams = loaded.streams.map((l) => current(l))
  const scanned = await scanManifests(root, { ...settings.manifestGlobs, streamGlob: settings.streamsGlob })
  diagnostics.push(...scanned.diagnostics)
  const rewrite = rewriteManifests(scanned.files, streams, { pinFormat: settings.pinFormat })
  diagnostics.push(...rewrite.diagnostics)
  const before = new Map(scanned.files.map((f) => [f.path, f.text]))
  const edits: Edit[] = []
  for (const m of rewrite.changed) {
    files.push({ path: m.path, before: before.get(m.path) ?? '', after: m.text, kind: 'manifest', edits: m.edits })
    edits.push(...m.edits)
  }
  attachTouchedLines(changes, edits)
  const held = loaded.streams.flatMap((l) =>
    listHolds(current(l)).map((h) => ({
      stream: l.stream.metadata.name,
      ...(l.stream.metadata.namespace ? { namespace: l.stream.metadata.namespace } : {}),
      tag: h.tag,
      heldDigest: h.digest,
      ...(h.upstream ? { upstreamDigest: h.upstream } : {})
    }))
  )
  return {
    files,
    changes,
    failures: [],
    held,
    diagnostics,
    streams: loaded.streams.map((l) => ({ file: l.file, stream: current(l) })),
    idleReason: files.length === 0 ? 'the command changed nothing' : undefined,
    messages,
    complete: false
  }
}

/** Tags whose current image (items[0]) moved: what a rollback or an alias change means for the manifests. */
function currentImageChanges(before: ImageStream, after: ImageStream): TagChange[] {
  const out: TagChange[] = []
  for (const t of after.status?.tags ?? []) {
    const newest = t.items?.[0]
    if (!newest?.image) continue
    const old = before.status?.tags?.find((b) => b.tag === t.tag)?.items?.[0]
    if (old?.image === newest.image) continue
    out.push({
      stream: after.metadata.name,
      ...(after.metadata.namespace ? { namespace: after.metadata.namespace } : {}),
      tag: t.tag,
      repository: newest.dockerImageReference.replace(/@.*$/, ''),
      ...(old?.image ? { oldDigest: old.image } : {}),
      newDigest: newest.image,
      history: (t.items ?? []).map((i) => ({ digest: i.image, created: i.created }))
    })
  }
  return out
}

function attachTouchedLines(changes: TagChange[], edits: Edit[]): void {
  for (const change of changes) {
    const touched: TouchedLine[] = edits
      .filter((e) => e.from === `${change.stream}:${change.tag}` || e.from.endsWith(`/${change.stream}:${change.tag}`))
      .map((e) => ({ file: e.file, line: e.line, oldValue: e.oldValue ?? '', newValue: e.newValue }))
    if (touched.length) change.files = touched
  }
}

// ------------------------------------------------------------------------------------------ recomputation

/** Reads a file of the other base (null = absent there). */
export type BaseReader = (path: string) => Promise<string | null>

export async function recompute(input: ComputeInput, previous: Computation, read: BaseReader): Promise<Computation> {
  const dir = await mkdtemp(join(tmpdir(), 'imagestream-rebase-'))
  try {
    const put = async (path: string, text: string | null): Promise<void> => {
      const full = join(dir, path)
      if (text === null) {
        await rm(full, { force: true })
        return
      }
      await mkdir(dirname(full), { recursive: true })
      await writeFile(full, text)
    }
    // The checkout's manifests and stream files first (paths come from our own scans, never from a payload) …
    const scanned = await scanManifests(input.root, { ...input.settings.manifestGlobs, streamGlob: input.settings.streamsGlob })
    for (const f of scanned.files) await put(f.path, f.text)
    const streamFiles = new Set([...previous.streams.map((s) => s.file), ...previous.files.map((f) => f.path)])
    for (const path of streamFiles) await put(path, await readFile(join(input.root, path), 'utf8').catch(() => null))
    // … then every stream file and every file this run changed, as the other base has them.
    for (const path of streamFiles) await put(path, await read(path))
    return await compute({ ...input, root: dir })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

// ------------------------------------------------------------------------------------------ registry replay

/** Replays identical registry questions from memory: a recomputation sees the answers the first pass saw. */
export function memoizedRegistry(inner: RegistryClient): RegistryClient {
  const cache = new Map<string, Promise<unknown>>()
  const memo = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    let hit = cache.get(key) as Promise<T> | undefined
    if (!hit) {
      hit = fn()
      cache.set(key, hit)
      // A failure is replayed too (the same run must not see a tag both missing and present), but not kept forever.
      hit.catch(() => {})
    }
    return hit
  }
  const k = (op: string, ref: ImageReference, options: unknown) => JSON.stringify([op, ref, options ?? null])
  return {
    resolve: (ref: ImageReference, options?: ResolveOptions) => memo(k('resolve', ref, options), () => inner.resolve(ref, options)),
    listTags: (ref: ImageReference, options?: { insecure?: boolean }) => memo(k('tags', ref, options), () => inner.listTags(ref, options)),
    metadata: (ref: ImageReference, options?: ResolveOptions) => memo(k('metadata', ref, options), () => inner.metadata(ref, options)),
    close: () => inner.close()
  }
}
