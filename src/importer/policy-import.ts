/**
 * Policy tags in an import run (docs/policies.md). A spec tag carrying `imagestream-action.dev/*` policy annotations
 * is not resolved by the generic lookup: this module lists the repository's tags (once per repository per run,
 * shared by every policy tag reading it), picks the winner (rules/policy-select.ts), resolves the winner only,
 * passes the candidate through the gates (rules/policy-gate.ts) and hands back the import entry plus the spec edit
 * `oc tag` would make (from → the winning tag), so the OpenShift rules record the move as any other import.
 */
import { formatPlatform, normalizePlatform } from '../registry/platform.js'
import { isRegistryError } from '../registry/errors.js'
import type { Platform, RegistryClient, ResolvedImage } from '../registry/types.js'
import { exactRepository, exactWithTag } from '../reference/docker-image-reference.js'
import { parseReference, repositoryOf, withTag, withoutTagOrDigest } from '../reference/reference.js'
import type { ImageReference } from '../reference/types.js'
import type { PolicyDecision } from '../report/types.js'
import {
  ACCEPT_DRIFT_ANNOTATION,
  decideGate,
  explainSelection,
  hasPolicy,
  parseTagPolicy,
  readFirstSeen,
  recordFirstSeenInPlace,
  type FirstSight,
  type GateDecision,
  type ImportEntry,
  type ImportResult,
  type TagImportRequest,
  type TagPolicy
} from '../stream/rules/index.js'
import type { ImageStream, TagReference } from '../stream/types.js'
import { InputError } from '../util/errors.js'
import { isAllowedRegistry } from './allowed.js'
import type { ImportIntent } from './intent.js'

export interface PolicyImportOptions {
  registry: RegistryClient
  now: string
  platform?: Platform
  allowedRegistries?: readonly string[]
  /**
   * First sights kept outside the stream file being read: under pull-request delivery a waiting move's record lives on
   * its open (draft) pull request's branch until that is merged (src/delivery/first-sights.ts). Asked only for a tag
   * whose min-age applies; a record for another candidate is ignored as a stale one in the file would be.
   */
  pendingFirstSight?: PendingFirstSight
}

/** Where a tag's first sight may be recorded besides its stream file; undefined when nowhere. */
export type PendingFirstSight = (query: {
  file: string
  stream: ImageStream
  tag: string
}) => Promise<FirstSight | undefined>

/** What one policy tag's evaluation contributes to its stream's import. */
export interface PolicyOutcome {
  tag: string
  /** Absent: nothing is imported for this tag this run (waiting for soak, incomplete platforms). */
  entry?: ImportEntry
  resolved?: ResolvedImage
  /** Edits to the stream before the import results are applied (spec from, first-sight, a consumed accept-drift). */
  edit: (draft: ImageStream) => void
  decision?: PolicyDecision
}

const streamLabel = (s: ImageStream) => ({
  stream: s.metadata.name,
  ...(s.metadata.namespace ? { namespace: s.metadata.namespace } : {})
})

const tagOf = (from: string): string => {
  try {
    return parseReference(from).tag ?? 'latest'
  } catch {
    return from
  }
}

/** The tag is not imported this run: its failure becomes an ImportSuccess=False condition as any import failure. */
function failed(tag: string, result: ImportResult): PolicyOutcome {
  return { tag, entry: { tag, result }, edit: () => {} }
}

function normalizedPlatform(text: string): string {
  const [os, architecture, variant] = text.split('/')
  return formatPlatform(normalizePlatform({ os, architecture, variant }))
}

function failure(err: unknown, from: string): ImportResult {
  if (isRegistryError(err)) return { ok: false, reason: err.reason, message: err.message }
  if (err instanceof InputError) return { ok: false, reason: 'Invalid', message: err.message }
  return { ok: false, reason: 'InternalError', message: `${from}: ${err instanceof Error ? err.message : String(err)}` }
}

/**
 * Of the recorded sights (the stream file's, an open pull request's), the earliest one of this very candidate; else
 * the file's own (the gate then restarts the clock, as for any other candidate).
 */
function earliestMatching(
  sights: ReadonlyArray<FirstSight | undefined>,
  from: string,
  digest: string
): FirstSight | undefined {
  const same = sights.filter(
    (s): s is FirstSight => s?.from === from && s.digest === digest && !isNaN(Date.parse(s.seen))
  )
  same.sort((a, b) => Date.parse(a.seen) - Date.parse(b.seen))
  return same[0] ?? sights[0]
}

/** Spec tags a push to `pushed`'s repository concerns: a new tag there may be a policy's new winner. */
export function policyTagsFollowing(stream: ImageStream, pushed: ImageReference): string[] {
  return (stream.spec.tags ?? [])
    .filter((ref) => ref.annotations?.['imagestream-action.dev/policy'] && ref.from?.kind === 'DockerImage')
    .filter((ref) => {
      try {
        return repositoryOf(parseReference(ref.from!.name)) === repositoryOf(pushed)
      } catch {
        return false
      }
    })
    .map((ref) => ref.name)
}

export class PolicyImports {
  /** Every decision made this run, in the order the tags were started. */
  readonly decisions: PolicyDecision[] = []
  private readonly listings = new Map<string, Promise<string[]>>()
  private readonly resolves = new Map<string, Promise<ResolvedImage>>()

  constructor(
    private readonly options: PolicyImportOptions,
    private readonly intent: ImportIntent
  ) {}

  /**
   * Waits for a stream's policy tags, applies their edits to a copy of the stream and adds their import entries (and
   * resolved images, for the report's platform list) to the run's.
   */
  async apply(
    stream: ImageStream,
    pending: ReadonlyArray<Promise<PolicyOutcome>>,
    entries: ImportEntry[],
    resolvedByTag: Map<string, ResolvedImage>,
    streamKey: string
  ): Promise<{ stream: ImageStream }> {
    if (pending.length === 0) return { stream }
    const draft = structuredClone(stream)
    for (const outcome of await Promise.all(pending)) {
      outcome.edit(draft)
      if (outcome.decision) this.decisions.push(outcome.decision)
      if (outcome.entry) entries.push(outcome.entry)
      if (outcome.resolved) resolvedByTag.set(`${streamKey}:${outcome.tag}`, outcome.resolved)
    }
    return { stream: draft }
  }

  /** Whether this spec tag is a policy tag (then `start` handles it instead of the generic lookup). */
  governs(stream: ImageStream, tag: string): boolean {
    const ref = stream.spec.tags?.find((t) => t.name === tag)
    return Boolean(ref && ref.from?.kind === 'DockerImage' && hasPolicy(ref))
  }

  /** Starts the evaluation at once (the listing and lookups overlap other streams' lookups). */
  start(stream: ImageStream, request: TagImportRequest, file?: string): Promise<PolicyOutcome> {
    // A broken annotation or state (a hand-edited first-seen) fails this tag only, like any import failure.
    return this.evaluate(stream, request, file).catch((err: unknown) => failed(request.tag, failure(err, request.from)))
  }

  /** Lists a repository's tags once per run, however many policy tags read it (single-flight). */
  listTags(repo: ImageReference, insecure: boolean): Promise<string[]> {
    const key = `${repositoryOf(repo)}\n${insecure}`
    let p = this.listings.get(key)
    if (!p) {
      p = this.options.registry.listTags(repo, { insecure })
      p.catch(() => undefined)
      this.listings.set(key, p)
    }
    return p
  }

  private resolve(ref: ImageReference, request: TagImportRequest, recorded: string | undefined) {
    const key = JSON.stringify([repositoryOf(ref), ref.tag, request.importMode, request.insecure, recorded ?? ''])
    let p = this.resolves.get(key)
    if (!p) {
      p = this.options.registry.resolve(ref, {
        importMode: request.importMode,
        insecure: request.insecure,
        preferArch: request.preferArch,
        preferOs: request.preferOs,
        platform: this.options.platform,
        confirmChangeFrom: recorded
      })
      this.resolves.set(key, p)
    }
    return p
  }

  private explicit(stream: ImageStream, tag: string): boolean {
    if (this.intent.kind !== 'tags') return false
    const ns = stream.metadata.namespace
    const names = [`${stream.metadata.name}:${tag}`, ...(ns ? [`${ns}/${stream.metadata.name}:${tag}`] : [])]
    return this.intent.tags.some((t) => names.includes(t))
  }

  private async evaluate(stream: ImageStream, request: TagImportRequest, file?: string): Promise<PolicyOutcome> {
    const index = (stream.spec.tags ?? []).findIndex((t) => t.name === request.tag)
    const ref = stream.spec.tags![index]!
    let policy: TagPolicy
    let current: ImageReference
    try {
      policy = parseTagPolicy(ref, index)!
      current = parseReference(ref.from!.name)
    } catch (err) {
      // Located: the file and the annotation's field, so the person can fix it.
      const located = err instanceof InputError && file ? new InputError(err.message, { file }) : err
      return failed(request.tag, failure(located, ref.from?.name ?? ''))
    }
    const allowed = this.options.allowedRegistries ?? []
    if (!isAllowedRegistry(current, allowed)) {
      const message = `${repositoryOf(current)} is not in allowed-registries (${allowed.join(', ')}); the tag was not imported`
      return failed(request.tag, { ok: false, reason: 'Forbidden', message })
    }
    const repo = withoutTagOrDigest(current)
    let candidate = current
    if (policy.ordering) {
      let tags: string[]
      try {
        tags = await this.listTags(repo, request.insecure)
      } catch (err) {
        return failed(request.tag, failure(err, repositoryOf(repo)))
      }
      const explanation = explainSelection(tags, policy)
      if (!explanation.winner) {
        const message =
          `no tag of ${repositoryOf(repo)} satisfies the policy (${tags.length} considered, all filtered out); ` +
          `run "imagestream explain ${stream.metadata.name}:${request.tag}" to see why`
        return failed(request.tag, { ok: false, reason: 'NotFound', message })
      }
      candidate = withTag(repo, explanation.winner.tag)
    }
    return this.gate(stream, ref, request, policy, current, candidate, file)
  }

  private async gate(
    stream: ImageStream,
    ref: TagReference,
    request: TagImportRequest,
    policy: TagPolicy,
    current: ImageReference,
    candidate: ImageReference,
    file: string | undefined
  ): Promise<PolicyOutcome> {
    const tag = request.tag
    const currentFrom = ref.from!.name
    const same =
      repositoryOf(candidate) === repositoryOf(current) && (candidate.tag ?? 'latest') === (current.tag ?? 'latest')
    // The moved tag keeps the repository as the user wrote it, as `oc tag` would write it.
    const candidateFrom = same || current.digest ? currentFrom : exactWithTag(currentFrom, candidate.tag!)
    const status = stream.status?.tags?.find((t) => t.tag === tag)?.items?.[0]
    // The record belongs to the current spec only when no later spec generation asks for a new import.
    const recorded = status && status.generation >= (ref.generation ?? 0) && status.image ? status.image : undefined
    const sameTag = candidateFrom === currentFrom
    let resolved: ResolvedImage
    try {
      resolved = await this.resolve(candidate, request, sameTag ? recorded : undefined)
    } catch (err) {
      return failed(tag, failure(err, candidateFrom))
    }
    const explicit = this.explicit(stream, tag)
    const soaks = policy.minAgeSeconds > 0 && !explicit
    const pending = soaks && file ? await this.options.pendingFirstSight?.({ file, stream, tag }) : undefined
    const decision = decideGate({
      policy: { ...policy, requirePlatforms: policy.requirePlatforms.map(normalizedPlatform) },
      currentFrom,
      candidateFrom,
      digest: resolved.digest,
      topDigest: resolved.topDigest,
      platforms: resolved.manifests?.map((m) => formatPlatform(normalizePlatform(m.platform))),
      recorded,
      firstSeen: earliestMatching([readFirstSeen(stream)[tag], pending], candidateFrom, resolved.digest),
      now: this.options.now,
      explicit
    })
    return this.outcome(stream, tag, decision, { currentFrom, candidateFrom, resolved })
  }

  private async outcome(
    stream: ImageStream,
    tag: string,
    decision: GateDecision,
    c: { currentFrom: string; candidateFrom: string; resolved: ResolvedImage }
  ): Promise<PolicyOutcome> {
    const label = { ...streamLabel(stream), tag, from: tagOf(c.currentFrom), to: tagOf(c.candidateFrom) }
    const repository = exactRepository(c.candidateFrom)
    const digest = c.resolved.digest
    const forget = (draft: ImageStream) => void recordFirstSeenInPlace(draft, tag, undefined)
    switch (decision.kind) {
      case 'unchanged':
        return { tag, entry: { tag, result: { ok: true, digest, repository } }, resolved: c.resolved, edit: forget }
      case 'land': {
        const edit = (draft: ImageStream) => {
          forget(draft)
          const spec = draft.spec.tags?.find((t) => t.name === tag)
          if (!spec) return
          // oc tag: the spec tag now names the winning tag (the import below records the TagEvent).
          if (spec.from && c.candidateFrom !== c.currentFrom) spec.from = { kind: 'DockerImage', name: c.candidateFrom }
          // accept-drift is one-off: once the move it accepted lands, it is spent.
          if (spec.annotations?.[ACCEPT_DRIFT_ANNOTATION] !== undefined) {
            delete spec.annotations[ACCEPT_DRIFT_ANNOTATION]
          }
        }
        const kind = decision.acceptedDrift ? 'drift-accepted' : 'moved'
        return {
          tag,
          entry: { tag, from: c.candidateFrom, result: { ok: true, digest, repository } },
          resolved: c.resolved,
          edit,
          decision: {
            ...label,
            kind,
            digest,
            ...(decision.acceptedDrift ? { oldDigest: decision.acceptedDrift.oldDigest } : {})
          }
        }
      }
      case 'soaking':
        return {
          tag,
          edit: (draft) => void recordFirstSeenInPlace(draft, tag, decision.firstSeen),
          decision: { ...label, kind: 'soaking', digest, firstSeen: decision.firstSeen.seen, until: decision.until }
        }
      case 'incomplete':
        return { tag, edit: () => {}, decision: { ...label, kind: 'incomplete', digest, missing: decision.missing } }
      case 'refused':
        return {
          tag,
          entry: { tag, result: { ok: false, reason: decision.reason, message: decision.message } },
          edit: forget,
          decision: { ...label, kind: 'refused', digest, message: decision.message }
        }
      default:
        return this.drift(stream, tag, decision, c, label)
    }
  }

  private async drift(
    stream: ImageStream,
    tag: string,
    decision: Extract<GateDecision, { kind: 'drift' }>,
    c: { currentFrom: string; candidateFrom: string; resolved: ResolvedImage },
    label: Omit<PolicyDecision, 'kind' | 'digest'>
  ): Promise<PolicyOutcome> {
    let created: string | undefined
    try {
      const repo = withoutTagOrDigest(parseReference(c.currentFrom))
      created = (await this.options.registry.metadata({ ...repo, digest: decision.newDigest })).created
    } catch {
      created = undefined // the report still says what moved
    }
    const message =
      `${tagOf(c.currentFrom)} is immutable but was re-pushed: ${decision.oldDigest} → ${decision.newDigest}` +
      `${created ? ` (created ${created})` : ''}; not moved. If the new content is intended, accept it with ` +
      `"imagestream import-image ${stream.metadata.name}:${tag}" or the annotation ${ACCEPT_DRIFT_ANNOTATION}`
    return {
      tag,
      entry: { tag, result: { ok: false, reason: 'ImmutableTagChanged', message } },
      edit: () => {},
      decision: {
        ...label,
        kind: 'drift',
        digest: decision.newDigest,
        oldDigest: decision.oldDigest,
        ...(created ? { created } : {}),
        message
      }
    }
  }
}
