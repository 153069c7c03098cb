/**
 * The importer's one hook: given a stream's import entries (what the registry answered, before the OpenShift rules
 * record anything), apply each tag's verification policy to each digest that would be newly recorded.
 *  - require: a failing digest becomes a failed import (reason SignatureMissing, SignatureInvalid, IdentityMismatch,
 *    DigestMismatch, VerificationUnavailable), so OpenShift's rule for a failed import applies: the tag gets an
 *    ImportSuccess=False condition and keeps its last good item, and nothing downstream (triggers) moves.
 *  - warn: the digest is recorded; the note carries a warning for the PR body.
 *  - a verified digest's signer goes into SIGNED_BY_ANNOTATION (digest → signer and policy fingerprint), so the
 *    next run trusts it without a request, and reviewers see who signed it.
 */
import { parseReference } from '../reference/reference.js'
import type { ResolvedImage } from '../registry/types.js'
import type { ImportEntry } from '../stream/rules/import.js'
import { ANNOTATION_PREFIX, type ImageStream } from '../stream/types.js'
import { InputError } from '../util/errors.js'
import { policyHash, type ImageVerifier } from './gate.js'
import { policyFor, type VerifyPolicy } from './policy.js'

export const SIGNED_BY_ANNOTATION = `${ANNOTATION_PREFIX}signed-by`

export interface SignedBy {
  signer: string
  /** policyHash of the policy it satisfied. */
  policy: string
}

/** What the PR body says about a digest a tag imported. */
export interface GateNote {
  tag: string
  digest: string
  signedBy?: string
  /** Under `warn`: the check that failed. */
  warning?: string
}

export interface GateResult {
  stream: ImageStream
  entries: ImportEntry[]
  notes: GateNote[]
}

export interface TagLookup {
  resolved?: ResolvedImage
  insecure?: boolean
}

export async function gateImports(
  verifier: ImageVerifier | undefined,
  stream: ImageStream,
  entries: readonly ImportEntry[],
  lookupOf: (tag: string) => TagLookup
): Promise<GateResult> {
  const notes: GateNote[] = []
  if (!verifier) return { stream, entries: [...entries], notes }
  const signedBy = readSignedBy(stream)
  const recorded = new Map<string, SignedBy>()
  const out = await Promise.all(
    entries.map(async (entry): Promise<ImportEntry> => {
      if (!entry.result.ok) return entry
      const { digest, repository } = entry.result
      let policy: VerifyPolicy
      try {
        policy = policyFor(stream, entry.tag)
      } catch (err) {
        return { ...entry, result: { ok: false, reason: 'Invalid', message: (err as InputError).message } }
      }
      if (policy.mode === 'off') return entry
      const current = stream.status?.tags?.find((t) => t.tag === entry.tag)?.items?.[0]?.image
      if (current === digest) return entry // already pinned: the policy gates new digests only
      const hash = policyHash(policy)
      const known = signedBy[digest] ?? recorded.get(digest)
      if (known && known.policy === hash) {
        notes.push({ tag: entry.tag, digest, signedBy: known.signer })
        return entry
      }
      const lookup = lookupOf(entry.tag)
      const check = await verifier.verify({
        policy,
        repository: parseReference(repository),
        digest,
        topDigest: lookup.resolved?.topDigest,
        insecure: lookup.insecure
      })
      if (check.ok) {
        recorded.set(digest, { signer: check.signer, policy: hash })
        notes.push({ tag: entry.tag, digest, signedBy: check.signer })
        return entry
      }
      const message = `signature check failed (${check.reason}): ${check.message}`
      if (policy.mode === 'warn') {
        notes.push({ tag: entry.tag, digest, warning: message })
        return entry
      }
      const rejected = `${digest} was not recorded: ${message}`
      return { ...entry, result: { ok: false, reason: check.reason, message: rejected } }
    })
  )
  if (!recorded.size) return { stream, entries: out, notes }
  return { stream: withSignedBy(stream, signedBy, recorded), entries: out, notes }
}

/** The recorded signers; a malformed annotation counts as empty (it is rewritten on the next verification). */
export function readSignedBy(stream: ImageStream): Record<string, SignedBy> {
  const raw = stream.metadata.annotations?.[SIGNED_BY_ANNOTATION]
  if (!raw) return {}
  try {
    const parsed = JSON.parse(raw) as Record<string, SignedBy>
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {}
  } catch {
    return {}
  }
}

/** The annotation with the new signers added, entries for digests no longer in any history dropped. */
function withSignedBy(
  stream: ImageStream,
  before: Record<string, SignedBy>,
  added: Map<string, SignedBy>
): ImageStream {
  const inHistory = new Set((stream.status?.tags ?? []).flatMap((t) => (t.items ?? []).map((i) => i.image)))
  const next: Record<string, SignedBy> = {}
  for (const [digest, s] of Object.entries(before)) if (inHistory.has(digest)) next[digest] = s
  for (const [digest, s] of added) next[digest] = s
  const text = JSON.stringify(
    Object.fromEntries(
      Object.keys(next)
        .sort()
        .map((k) => [k, next[k]])
    )
  )
  const annotations = { ...stream.metadata.annotations, [SIGNED_BY_ANNOTATION]: text }
  return { ...stream, metadata: { ...stream.metadata, annotations } }
}

/** The PR body's note for a digest: who signed it, or (under warn) what failed. */
export function signatureNote(
  notes: readonly GateNote[],
  digest: string
): { signedBy?: string; verifyWarning?: string } {
  const note = notes.find((n) => n.digest === digest)
  if (!note) return {}
  return note.signedBy ? { signedBy: note.signedBy } : note.warning ? { verifyWarning: note.warning } : {}
}
