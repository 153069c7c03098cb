/**
 * The one place that joins the registry and the stream rules: an intent → per-stream import plans → one registry
 * lookup per unique reference (however many tags share it; the client bounds concurrency) → the OpenShift rules
 * applied to each stream → what changed, what failed, what is held.
 *
 * No file I/O here: streams come in as objects and go out as objects; the caller decides what to write.
 * A failed lookup never blocks the others; a stream whose rules reject it (a bad alias, a bad annotation) is
 * reported and left as it was, and the other streams go on.
 */
import type { Platform, RegistryClient, ResolvedImage } from '../registry/types.js'
import { RecordedRepositories } from '../reference/docker-image-reference.js'
import { parseReference, repositoryOf } from '../reference/reference.js'
import type { HeldTag, PolicyDecision, TagChange, TagFailure } from '../report/types.js'
import {
  applyImportResults,
  listHolds,
  pruneTagHistory,
  recordReferenceTags,
  type ImportEntry
} from '../stream/rules/index.js'
import { recordIndexDigests } from '../stream/rules/index-digests.js'
import type { ImageStream } from '../stream/types.js'
import { type Diagnostic } from '../util/errors.js'
import type { ImageVerifier } from '../verify/gate.js'
import { gateImports, signatureNote } from '../verify/import-gate.js'
import type { ImportIntent } from './intent.js'
import { PolicyImports, type PendingFirstSight } from './policy-import.js'
import { failureOf, planWork, startLookups, streamKey, type Lookup, type Work } from './import-work.js'

export interface StreamInput {
  /** Where the stream lives (for messages), relative to the repository root. */
  file: string
  stream: ImageStream
  /**
   * The import creates this stream (`oc import-image --confirm`): it is the ImageStreamImport's new object (rest.go
   * Create, `Generation: 0`), imported as it is, so the stream it writes is at generation 1, as OpenShift's.
   */
  creating?: boolean
}

export interface ImportOptions {
  registry: RegistryClient
  /** RFC 3339 seconds: the `created`/`lastTransitionTime` of everything this run writes. */
  now: string
  /** The Legacy platform (default linux/amd64). */
  platform?: Platform
  /** History items kept per tag (default 10); -1 keeps all. */
  historyLimit?: number
  /** Digests pinned by manifests in the repository: their history items are never pruned. */
  inUse?: ReadonlySet<string>
  /** Hosts or host/path prefixes a tag may import from (empty: any). */
  allowedRegistries?: readonly string[]
  /** Tags imported per repository import (OpenShift's maxImagesBulkImportedPerRepository, default 50; -1 all). */
  repositoryImportLimit?: number
  /** Read created time and labels of the images that changed (for the PR body). Default true. */
  metadata?: boolean
  /**
   * Called with each stream's result as soon as its own lookups have settled, while later lookups are still in
   * flight: the caller can render the file then, so that CPU work overlaps the network wait.
   */
  onStream?: (result: StreamResult) => void
  /** The signature gate (src/verify): applies each tag's verification policy before a new digest is recorded. */
  verify?: ImageVerifier
  /** First sights of waiting moves kept outside the stream files (policy-import.ts). */
  pendingFirstSight?: PendingFirstSight
}

export interface StreamResult {
  file: string
  before: ImageStream
  after: ImageStream
  changed: boolean
}

export interface ImportRunResult {
  streams: StreamResult[]
  changes: TagChange[]
  failures: TagFailure[]
  held: HeldTag[]
  /** Tag policy decisions (docs/policies.md). */
  policy: PolicyDecision[]
  diagnostics: Diagnostic[]
  /** Unique registry lookups made (resolves). */
  lookups: number
  /** Tags considered due/requested in this run. */
  requested: number
}

export async function importStreams(
  inputs: readonly StreamInput[],
  intent: ImportIntent,
  options: ImportOptions
): Promise<ImportRunResult> {
  const { registry, now } = options
  const diagnostics: Diagnostic[] = []
  const policies = new PolicyImports(options, intent)

  const { work, lookups, requestedTags } = planWork(inputs, intent, options, policies, diagnostics)
  startLookups(lookups, registry, options.platform)

  const streams: StreamResult[] = []
  const changes: TagChange[] = []
  const failures: TagFailure[] = []
  const held: HeldTag[] = []
  const resolvedByTag = new Map<string, ResolvedImage>()

  for (const w of work) {
    const entries = await resolveEntries(w, lookups, resolvedByTag, diagnostics)

    const governed = await policies.apply(w.reconciled, w.policy, entries, resolvedByTag, streamKey(w.reconciled))
    // The signature gate, after the policy chose: a digest its verification policy rejects arrives at the rules as a
    // failed import.
    const gate = await gateImports(options.verify, governed.stream, entries, (tag) => ({
      resolved: resolvedByTag.get(`${streamKey(w.reconciled)}:${tag}`),
      insecure: w.requests.find((r) => r.request.tag === tag)?.request.insecure ?? w.repository?.insecure
    }))
    entries.splice(0, entries.length, ...gate.entries)
    let next = gate.stream
    let outcomes: ReturnType<typeof applyImportResults>['outcomes']
    try {
      const applied = applyImportResults(next, entries, now)
      next = applied.stream
      outcomes = applied.outcomes
      next = recordReferenceTags(next, now).stream
      next = pruneTagHistory(next, { keep: options.historyLimit ?? 10, inUse: options.inUse }).stream
      next = recordIndexDigests(
        next,
        indexDigestsOf(w.requests.map((r) => resolvedByTag.get(`${streamKey(w.reconciled)}:${r.request.tag}`)))
      )
    } catch (err) {
      diagnostics.push({
        severity: 'error',
        file: w.input.file,
        message: `stream ${streamKey(w.reconciled)} was not updated: ${failureMessage(err)}`
      })
      continue
    }
    const changed = JSON.stringify(next) !== JSON.stringify(w.input.stream)
    const streamResult = { file: w.input.file, before: w.input.stream, after: next, changed }
    streams.push(streamResult)
    options.onStream?.(streamResult)

    const ns = next.metadata.namespace
    const label = { stream: next.metadata.name, ...(ns ? { namespace: ns } : {}) }
    reportOutcomes({ next, label, outcomes, entries, notes: gate.notes, resolvedByTag }, failures, changes)
    for (const h of listHolds(next)) {
      held.push({ ...label, tag: h.tag, heldDigest: h.digest, ...(h.upstream ? { upstreamDigest: h.upstream } : {}) })
    }
  }

  if (options.metadata !== false) await addProvenance(changes, registry)
  return {
    streams,
    changes,
    failures,
    held,
    policy: policies.decisions,
    diagnostics,
    lookups: lookups.size,
    requested: requestedTags.size
  }
}

/** One stream's import entries: its lookups' answers (or failures), then its repository import's. */
async function resolveEntries(
  w: Work,
  lookups: ReadonlyMap<string, Lookup>,
  resolvedByTag: Map<string, ResolvedImage>,
  diagnostics: Diagnostic[]
): Promise<ImportEntry[]> {
  const entries: ImportEntry[] = []
  // What OpenShift records is the reference as written (`nginx@sha256:…`), not the one we connected to.
  const recorded = new RecordedRepositories((from) => repositoryOf(parseReference(from)))
  for (const { request, key, failure } of w.requests) {
    if (failure) {
      entries.push({ tag: request.tag, result: failure })
      continue
    }
    const lookup = lookups.get(key!)!
    try {
      const resolved = await lookup.promise!
      resolvedByTag.set(`${streamKey(w.reconciled)}:${request.tag}`, resolved)
      entries.push({
        tag: request.tag,
        result: { ok: true, digest: resolved.digest, repository: recorded.of(request.from) }
      })
    } catch (err) {
      entries.push({ tag: request.tag, result: failureOf(err, request.from) })
    }
  }
  if (w.repository) {
    try {
      entries.push(...(await w.repository.promise))
    } catch (err) {
      diagnostics.push({
        severity: 'error',
        file: w.input.file,
        field: 'spec.dockerImageRepository',
        message: `repository import of ${w.repository.from} failed: ${failureMessage(err)}`
      })
    }
  }
  return entries
}

interface AppliedStream {
  next: ImageStream
  label: { stream: string; namespace?: string }
  outcomes: ReturnType<typeof applyImportResults>['outcomes']
  entries: readonly ImportEntry[]
  notes: Parameters<typeof signatureNote>[0]
  resolvedByTag: ReadonlyMap<string, ResolvedImage>
}

/** What the rules' outcomes mean for the report: a failed tag, or a moved tag (and the tags tracking it). */
function reportOutcomes(a: AppliedStream, failures: TagFailure[], changes: TagChange[]): void {
  const { next, label, outcomes, entries, notes, resolvedByTag } = a
  const entryByTag = new Map(entries.map((e) => [e.tag, e]))
  for (const outcome of outcomes) {
    const entry = entryByTag.get(outcome.tag)
    if (outcome.event === 'failed' && entry && !entry.result.ok) {
      failures.push({ ...label, tag: outcome.tag, reason: entry.result.reason, message: entry.result.message ?? '' })
    }
    if (outcome.event !== 'updated' || !outcome.current) continue
    const resolved = resolvedByTag.get(`${streamKey(next)}:${outcome.tag}`)
    for (const tag of [outcome.tag, ...outcome.tracking]) {
      const items = next.status?.tags?.find((t) => t.tag === tag)?.items ?? []
      changes.push({
        ...label,
        tag,
        repository: outcome.current.dockerImageReference.replace(/@.*$/, ''),
        ...(outcome.previous?.image ? { oldDigest: outcome.previous.image } : {}),
        ...(outcome.previous &&
        outcome.previous.dockerImageReference.replace(/@.*$/, '') !==
          outcome.current.dockerImageReference.replace(/@.*$/, '')
          ? { oldRepository: outcome.previous.dockerImageReference.replace(/@.*$/, '') }
          : {}),
        newDigest: outcome.current.image,
        ...signatureNote(notes, outcome.current.image),
        ...(resolved?.manifests
          ? {
              platforms: resolved.manifests.map((m) => ({
                platform: [m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/'),
                digest: m.digest
              }))
            }
          : {}),
        history: items.slice(0, 5).map((i) => ({ digest: i.image, created: i.created }))
      })
    }
  }
}

/** Platform digest → index digest of the lookups that picked a child of an index (stream/rules/index-digests.ts). */
function indexDigestsOf(resolved: ReadonlyArray<ResolvedImage | undefined>): Map<string, string> {
  const out = new Map<string, string>()
  for (const r of resolved) if (r && r.topDigest !== r.digest) out.set(r.digest, r.topDigest)
  return out
}

function failureMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Changes per run whose images' labels are read for the report (the PR body lists the first ones in detail). */
const PROVENANCE_LIMIT = 100

/** Created time and source/revision labels of the new (and old) images, for the PR body's compare links. */
async function addProvenance(changes: TagChange[], registry: RegistryClient): Promise<void> {
  const cache = new Map<string, Promise<{ created?: string; labels: Record<string, string> } | undefined>>()
  const meta = (repository: string, digest: string) => {
    const key = `${repository}@${digest}`
    if (!cache.has(key)) {
      cache.set(
        key,
        (async () => {
          try {
            const m = await registry.metadata(parseReference(key))
            return { created: m.created, labels: m.labels }
          } catch {
            return undefined // provenance is a nicety: a PR without it is still right
          }
        })()
      )
    }
    return cache.get(key)!
  }
  // Only moves get provenance: a first import has nothing to compare with, and reading two more objects for each of
  // a thousand newly imported tags would triple the run's requests for a PR body that shows a handful of them.
  const moves = changes.filter((c) => c.oldDigest !== undefined).slice(0, PROVENANCE_LIMIT)
  await Promise.all(
    moves.map(async (change) => {
      if (!change.repository) return
      const now = await meta(change.repository, change.newDigest)
      if (!now) return
      if (now.created) change.created = now.created
      const source = now.labels['org.opencontainers.image.source']
      const revision = now.labels['org.opencontainers.image.revision']
      if (source || revision) change.newProvenance = { source, revision }
      if (change.oldDigest && source) {
        const before = await meta(change.oldRepository ?? change.repository, change.oldDigest)
        const oldSource = before?.labels['org.opencontainers.image.source']
        const oldRevision = before?.labels['org.opencontainers.image.revision']
        if (oldSource || oldRevision) change.oldProvenance = { source: oldSource, revision: oldRevision }
      }
    })
  )
}
