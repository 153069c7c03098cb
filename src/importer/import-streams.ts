/**
 * The one place that joins the registry and the stream rules: an intent → per-stream import plans → one registry
 * lookup per unique reference (however many tags share it; the client bounds concurrency) → the OpenShift rules
 * applied to each stream → what changed, what failed, what is held.
 *
 * No file I/O here: streams come in as objects and go out as objects; the caller decides what to write.
 * A failed lookup never blocks the others; a stream whose rules reject it (a bad alias, a bad annotation) is
 * reported and left as it was, and the other streams go on.
 */
import { isRegistryError } from '../registry/errors.js'
import type { Platform, RegistryClient, ResolvedImage } from '../registry/types.js'
import { parseReference, repositoryOf, withDigest, withTag, withoutTagOrDigest } from '../reference/reference.js'
import type { ImageReference } from '../reference/types.js'
import type { HeldTag, PolicyDecision, TagChange, TagFailure } from '../report/types.js'
import {
  applyImportResults,
  listHolds,
  planImports,
  pruneTagHistory,
  reconcileSpec,
  recordReferenceTags,
  selectRepositoryTags,
  tagImportable,
  type ImportEntry,
  type ImportResult,
  type ImportSelection,
  type TagImportRequest
} from '../stream/rules/index.js'
import { recordIndexDigests } from '../stream/rules/index-digests.js'
import type { ImageStream } from '../stream/types.js'
import { InputError, type Diagnostic } from '../util/errors.js'
import type { ImageVerifier } from '../verify/gate.js'
import { gateImports, signatureNote } from '../verify/import-gate.js'
import { isSignatureArtifactTag } from '../verify/legacy.js'
import { isAllowedRegistry } from './allowed.js'
import type { ImportIntent } from './intent.js'
import { PolicyImports, policyTagsFollowing, type PolicyOutcome } from './policy-import.js'

export interface StreamInput {
  /** Where the stream lives (for messages), relative to the repository root. */
  file: string
  stream: ImageStream
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

interface Lookup {
  ref: ImageReference
  request: TagImportRequest
  /** The digest the tags sharing this lookup have on record ('' when they disagree, so any answer is confirmed). */
  recorded?: string
  promise?: Promise<ResolvedImage>
}

function streamKey(s: ImageStream): string {
  return `${s.metadata.namespace ? `${s.metadata.namespace}/` : ''}${s.metadata.name}`
}

/** `[namespace/]stream:tag` entries that name this stream → its tag names. */
function tagsForStream(stream: ImageStream, entries: readonly string[]): string[] {
  const out: string[] = []
  for (const entry of entries) {
    const m = /^(?:([^/]+)\/)?([^:/]+):(.+)$/.exec(entry)
    if (!m) continue
    const [, ns, name, tag] = m
    if (name !== stream.metadata.name) continue
    if (ns && stream.metadata.namespace && ns !== stream.metadata.namespace) continue
    out.push(tag)
  }
  return out
}

/** Spec tags whose `from` (DockerImage, importable) names the same repository and tag as the pushed image. */
function tagsFollowing(stream: ImageStream, pushed: ImageReference): string[] {
  const out: string[] = []
  for (const ref of stream.spec.tags ?? []) {
    if (!tagImportable(ref) || !ref.from) continue
    let from: ImageReference
    try {
      from = parseReference(ref.from.name)
    } catch {
      continue
    }
    if (repositoryOf(from) !== repositoryOf(pushed)) continue
    if (from.digest) continue // pinned by digest: a push to the tag does not move it
    if ((from.tag ?? 'latest') === (pushed.tag ?? 'latest')) out.push(ref.name)
  }
  return out
}

function selectionFor(stream: ImageStream, intent: ImportIntent, pushed?: ImageReference): ImportSelection | undefined {
  switch (intent.kind) {
    case 'scheduled':
    case 'pending':
      return 'scheduled'
    case 'all':
      return 'all'
    case 'tags': {
      const tags = tagsForStream(stream, intent.tags)
      return tags.length ? { tags } : undefined
    }
    case 'pushed': {
      // A policy tag reads its whole repository: any tag pushed there may be its new winner.
      const tags = pushed ? [...tagsFollowing(stream, pushed), ...policyTagsFollowing(stream, pushed)] : []
      return tags.length ? { tags: [...new Set(tags)] } : undefined
    }
    case 'none':
      return undefined
  }
}

function lookupKey(ref: ImageReference, r: TagImportRequest, platform: Platform | undefined): string {
  return JSON.stringify([
    repositoryOf(ref),
    ref.tag ?? '',
    ref.digest ?? '',
    r.importMode,
    r.insecure,
    r.preferArch ?? '',
    r.preferOs ?? '',
    platform ? `${platform.os}/${platform.architecture}/${platform.variant ?? ''}` : ''
  ])
}

function failureOf(err: unknown, from: string): ImportResult {
  if (isRegistryError(err)) return { ok: false, reason: err.reason, message: err.message }
  if (err instanceof InputError) return { ok: false, reason: 'Invalid', message: err.message }
  const message = err instanceof Error ? err.message : String(err)
  return { ok: false, reason: 'InternalError', message: `${from}: ${message}` }
}

export async function importStreams(
  inputs: readonly StreamInput[],
  intent: ImportIntent,
  options: ImportOptions
): Promise<ImportRunResult> {
  const { registry, now } = options
  const allowed = options.allowedRegistries ?? []
  const diagnostics: Diagnostic[] = []
  const lookups = new Map<string, Lookup>()
  const requestedTags = new Set<string>()
  const policies = new PolicyImports(options, intent)

  let pushed: ImageReference | undefined
  if (intent.kind === 'pushed') {
    pushed = parseReference(intent.image)
    if (pushed.digest && !intent.digest) pushed = { ...pushed }
  }
  const pushedDigest = intent.kind === 'pushed' ? (intent.digest ?? pushed?.digest) : undefined

  interface Work {
    input: StreamInput
    reconciled: ImageStream
    requests: Array<{ request: TagImportRequest; key?: string; failure?: ImportResult }>
    policy: Array<Promise<PolicyOutcome>>
    repository?: { from: string; insecure: boolean; promise: Promise<ImportEntry[]> }
  }
  const work: Work[] = []

  for (const input of inputs) {
    let reconciled: ImageStream
    let plan
    try {
      reconciled = reconcileSpec(input.stream, now).stream
      const selection = selectionFor(reconciled, intent, pushed)
      plan = selection ? planImports(reconciled, selection) : { tags: [] }
    } catch (err) {
      diagnostics.push({
        severity: 'error',
        file: input.file,
        field: err instanceof InputError ? err.location.field : undefined,
        message: `stream ${streamKey(input.stream)} was not imported: ${err instanceof Error ? err.message : String(err)}`
      })
      continue
    }
    const tags = intent.kind === 'pending' ? plan.tags.filter((t) => t.reason === 'pending') : plan.tags
    // A run aimed at particular tags (a push, `images:`) leaves every other stream exactly as it was, even the
    // generation bookkeeping a scheduled run would record, so an event never touches unrelated files.
    if ((intent.kind === 'pushed' || intent.kind === 'tags') && tags.length === 0 && !plan.repository) continue
    const w: Work = { input, reconciled, requests: [], policy: [] }
    for (const request of tags) {
      requestedTags.add(`${streamKey(reconciled)}:${request.tag}`)
      if (policies.governs(reconciled, request.tag)) {
        w.policy.push(policies.start(reconciled, request, input.file))
        continue
      }
      let ref: ImageReference
      try {
        ref = parseReference(request.from)
      } catch (err) {
        w.requests.push({ request, failure: { ok: false, reason: 'Invalid', message: (err as Error).message } })
        continue
      }
      if (!isAllowedRegistry(ref, allowed)) {
        w.requests.push({
          request,
          failure: {
            ok: false,
            reason: 'Forbidden',
            message: `${repositoryOf(ref)} is not in allowed-registries (${allowed.join(', ')}); the tag was not imported`
          }
        })
        continue
      }
      // A build told us the digest it pushed: record exactly that image once the registry confirms it exists.
      if (pushedDigest && pushed && repositoryOf(ref) === repositoryOf(pushed)) ref = withDigest(ref, pushedDigest)
      const key = lookupKey(ref, request, options.platform)
      const recorded = reconciled.status?.tags?.find((t) => t.tag === request.tag)?.items?.[0]?.image || undefined
      const existing = lookups.get(key)
      if (!existing) lookups.set(key, { ref, request, recorded })
      else if (existing.recorded !== recorded) existing.recorded = ''
      w.requests.push({ request, key })
    }
    if (plan.repository && intent.kind !== 'pending') {
      w.repository = {
        from: plan.repository.from,
        insecure: plan.repository.insecure,
        promise: repositoryImport(plan.repository.from, plan.repository.insecure, options, allowed)
      }
    }
    work.push(w)
  }

  // Start every unique lookup at once: the registry client's pool bounds what is in flight.
  for (const lookup of lookups.values()) {
    lookup.promise = registry.resolve(lookup.ref, {
      importMode: lookup.request.importMode,
      insecure: lookup.request.insecure,
      preferArch: lookup.request.preferArch,
      preferOs: lookup.request.preferOs,
      platform: options.platform,
      confirmChangeFrom: lookup.recorded
    })
    lookup.promise.catch(() => undefined) // handled below; avoids an unhandled rejection while others are awaited
  }

  const streams: StreamResult[] = []
  const changes: TagChange[] = []
  const failures: TagFailure[] = []
  const held: HeldTag[] = []
  const resolvedByTag = new Map<string, ResolvedImage>()

  for (const w of work) {
    const entries: ImportEntry[] = []
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
          result: { ok: true, digest: resolved.digest, repository: repositoryOf(lookup.ref) }
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
          ...signatureNote(gate.notes, outcome.current.image),
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

/** Platform digest → index digest of the lookups that picked a child of an index (stream/rules/index-digests.ts). */
function indexDigestsOf(resolved: ReadonlyArray<ResolvedImage | undefined>): Map<string, string> {
  const out = new Map<string, string>()
  for (const r of resolved) if (r && r.topDigest !== r.digest) out.set(r.digest, r.topDigest)
  return out
}

function failureMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * A repository import (spec.dockerImageRepository): list the tags, order them with PrioritizeTags, import the
 * first N and report the rest, as OpenShift's importRepositoryFromDocker does.
 */
async function repositoryImport(
  from: string,
  insecure: boolean,
  options: ImportOptions,
  allowed: readonly string[]
): Promise<ImportEntry[]> {
  const repo = withoutTagOrDigest(parseReference(from))
  if (!isAllowedRegistry(repo, allowed)) {
    throw new InputError(`${repositoryOf(repo)} is not in allowed-registries (${allowed.join(', ')})`)
  }
  // Signature artifacts (cosign .sig/.att, referrers fallback tags) are not images (src/verify/legacy.ts).
  const tags = (await options.registry.listTags(repo, { insecure })).filter((t) => !isSignatureArtifactTag(t))
  const { imported } = selectRepositoryTags(tags, options.repositoryImportLimit ?? 50)
  return Promise.all(
    imported.map(async (tag): Promise<ImportEntry> => {
      const ref = withTag(repo, tag)
      const fromName = `${repositoryOf(repo)}:${tag}`
      try {
        const resolved = await options.registry.resolve(ref, {
          insecure,
          importMode: 'Legacy',
          platform: options.platform
        })
        return {
          tag,
          from: fromName,
          importPolicy: { importMode: 'Legacy', ...(insecure ? { insecure: true } : {}) },
          referencePolicy: 'Source',
          result: { ok: true, digest: resolved.digest, repository: repositoryOf(repo) }
        }
      } catch (err) {
        return { tag, from: fromName, result: failureOf(err, fromName) }
      }
    })
  )
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
