/**
 * What each stream asks of the registry: its import plan (reconciled spec, the intent's selection), one lookup per
 * unique reference however many tags share it, the policy tags handed to the policy importer, and a repository
 * import where the spec has one. Lookups start all at once; the registry client's pool bounds what is in flight.
 */
import { isRegistryError } from '../registry/errors.js'
import { exactRepository, exactWithTag } from '../reference/docker-image-reference.js'
import type { Platform, RegistryClient, ResolvedImage } from '../registry/types.js'
import { parseReference, repositoryOf, withDigest, withTag, withoutTagOrDigest } from '../reference/reference.js'
import type { ImageReference } from '../reference/types.js'
import {
  planImports,
  reconcileSpec,
  selectRepositoryTags,
  tagImportable,
  type ImportEntry,
  type ImportResult,
  type ImportSelection,
  type TagImportRequest
} from '../stream/rules/index.js'
import type { ImageStream } from '../stream/types.js'
import { formatLocation, InputError, type Diagnostic } from '../util/errors.js'
import { isSignatureArtifactTag } from '../verify/legacy.js'
import { isAllowedRegistry } from './allowed.js'
import type { ImportIntent } from './intent.js'
import { policyTagsFollowing, type PolicyImports, type PolicyOutcome } from './policy-import.js'
import type { ImportOptions, StreamInput } from './import-streams.js'

/** One stream's share of a run: its tags' requests (a lookup key or an early failure), policy and repository work. */
export interface Work {
  input: StreamInput
  reconciled: ImageStream
  requests: Array<{ request: TagImportRequest; key?: string; failure?: ImportResult }>
  policy: Array<Promise<PolicyOutcome>>
  repository?: { from: string; insecure: boolean; promise: Promise<ImportEntry[]> }
}

export interface Lookup {
  ref: ImageReference
  request: TagImportRequest
  /** The digest the tags sharing this lookup have on record ('' when they disagree, so any answer is confirmed). */
  recorded?: string
  promise?: Promise<ResolvedImage>
}

export function streamKey(s: ImageStream): string {
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

export function failureOf(err: unknown, from: string): ImportResult {
  if (isRegistryError(err)) return { ok: false, reason: err.reason, message: err.message }
  if (err instanceof InputError) return { ok: false, reason: 'Invalid', message: err.message }
  const message = err instanceof Error ? err.message : String(err)
  return { ok: false, reason: 'InternalError', message: `${from}: ${message}` }
}

/** Every stream's work and the unique lookups it needs; a stream its rules reject becomes a diagnostic. */
export function planWork(
  inputs: readonly StreamInput[],
  intent: ImportIntent,
  options: ImportOptions,
  policies: PolicyImports,
  diagnostics: Diagnostic[]
): { work: Work[]; lookups: Map<string, Lookup>; requestedTags: Set<string> } {
  const { now } = options
  const allowed = options.allowedRegistries ?? []
  const lookups = new Map<string, Lookup>()
  const requestedTags = new Set<string>()
  let pushed: ImageReference | undefined
  if (intent.kind === 'pushed') {
    pushed = parseReference(intent.image)
    if (pushed.digest && !intent.digest) pushed = { ...pushed }
  }
  const pushedDigest = intent.kind === 'pushed' ? (intent.digest ?? pushed?.digest) : undefined

  const work: Work[] = []

  for (const input of inputs) {
    let reconciled: ImageStream
    let plan
    try {
      reconciled = input.creating ? input.stream : reconcileSpec(input.stream, now).stream
      const selection = selectionFor(reconciled, intent, pushed)
      plan = selection ? planImports(reconciled, selection) : { tags: [] }
    } catch (err) {
      diagnostics.push({
        severity: 'error',
        file: input.file,
        field: err instanceof InputError ? err.location.field : undefined,
        message: `stream ${streamKey(input.stream)} was not imported: ${withoutLocation(err)}`
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

  return { work, lookups, requestedTags }
}

/** Starts every unique lookup at once: the registry client's pool bounds what is in flight. */
export function startLookups(
  lookups: ReadonlyMap<string, Lookup>,
  registry: RegistryClient,
  platform: Platform | undefined
): void {
  for (const lookup of lookups.values()) {
    lookup.promise = registry.resolve(lookup.ref, {
      importMode: lookup.request.importMode,
      insecure: lookup.request.insecure,
      preferArch: lookup.request.preferArch,
      preferOs: lookup.request.preferOs,
      platform,
      confirmChangeFrom: lookup.recorded
    })
    lookup.promise.catch(() => undefined) // handled below; avoids an unhandled rejection while others are awaited
  }
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
      // importFromRepository/createImages: the spec tag and the event keep the repository as written.
      const fromName = writtenOr(() => exactWithTag(from, tag), `${repositoryOf(repo)}:${tag}`)
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
          result: {
            ok: true,
            digest: resolved.digest,
            repository: writtenOr(() => exactRepository(from), repositoryOf(repo))
          }
        }
      } catch (err) {
        return { tag, from: fromName, result: failureOf(err, fromName) }
      }
    })
  )
}

/** The reference as written (library-go's grammar); one only our newer grammar reads (an IPv6 host): canonical. */
function writtenOr(written: () => string, canonical: string): string {
  try {
    return written()
  } catch {
    return canonical
  }
}

/** An error's message without the location prefix InputError adds: the diagnostic carries the location itself. */
function withoutLocation(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const where = err instanceof InputError ? formatLocation(err.location) : ''
  return where && err.message.startsWith(`${where}: `) ? err.message.slice(where.length + 2) : err.message
}
