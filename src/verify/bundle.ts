/**
 * A Sigstore bundle (v0.1–v0.3) checked offline: that it signs the digest being pinned (an in-toto statement's
 * subject), that it verifies against a trusted root (@sigstore/verify: certificate chain, SCTs, transparency-log
 * inclusion or RFC 3161 timestamps, as the root requires), and that its signer is one the policy trusts.
 */
import { bundleFromJSON, type Bundle } from '@sigstore/bundle'
import { X509Certificate } from '@sigstore/core'
import { Verifier, toSignedEntity, type Signer } from '@sigstore/verify'
import { githubMismatch, matchKeyless } from './identity.js'
import type { VerifyPolicy } from './policy.js'
import { rootsForLeaf, trustMaterialFor, type LoadedRoot } from './trust.js'
import { fail, type Check, type TrustedKey } from './types.js'

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json'

export interface BundleContext {
  /** The digest being pinned. */
  digest: string
  /** Digests whose signature also covers it: the digest itself, and the index it was chosen from (Legacy). */
  subjects: ReadonlySet<string>
  policy: VerifyPolicy
  keys: readonly TrustedKey[]
  roots: readonly LoadedRoot[]
  /** Where the bundle came from, for messages ("referrer sha256:…", "GitHub attestation 3"). */
  source: string
  /** GitHub attestations are judged by `policy.github` only; other bundles by keys and identities. */
  github?: boolean
}

export function verifyBundleJson(json: unknown, ctx: BundleContext): Check {
  let bundle: Bundle
  try {
    bundle = bundleFromJSON(json)
  } catch (err) {
    return fail('SignatureInvalid', `${ctx.source}: not a valid Sigstore bundle (${errText(err)})`)
  }
  const subject = signedSubject(bundle, ctx)
  if (!subject.ok) return subject
  const entity = toSignedEntity(bundle)
  return bundle.verificationMaterial.content.$case === 'publicKey'
    ? verifyKeyed(entity, ctx)
    : verifyKeyless(bundle, entity, ctx)
}

/** The bundle must be a DSSE in-toto statement whose subjects include a digest the pin may rely on. */
function signedSubject(bundle: Bundle, ctx: BundleContext): Check {
  if (bundle.content.$case !== 'dsseEnvelope') {
    return {
      ok: false,
      reason: 'SignatureInvalid',
      message:
        `${ctx.source}: a message-signature bundle signs a blob, not an image digest; ` +
        'expected a DSSE in-toto statement'
    }
  }
  const envelope = bundle.content.dsseEnvelope
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return fail('SignatureInvalid', `${ctx.source}: payload type ${envelope.payloadType} is not in-toto`)
  }
  let statement: { subject?: Array<{ digest?: Record<string, string> }> }
  try {
    statement = JSON.parse(envelope.payload.toString('utf8')) as typeof statement
  } catch {
    return fail('SignatureInvalid', `${ctx.source}: the in-toto statement is not JSON`)
  }
  const named = (statement.subject ?? []).flatMap((s) =>
    Object.entries(s.digest ?? {}).map(([alg, hex]) => `${alg}:${String(hex).toLowerCase()}`)
  )
  if (named.some((d) => ctx.subjects.has(d))) return { ok: true, signer: '' }
  return {
    ok: false,
    reason: 'DigestMismatch',
    message: `${ctx.source}: signs ${named.slice(0, 3).join(', ') || 'no digest'}, not ${ctx.digest}`
  }
}

function verifyKeyed(entity: ReturnType<typeof toSignedEntity>, ctx: BundleContext): Check {
  if (ctx.github) return fail('IdentityMismatch', `${ctx.source}: signed with a key, not by GitHub Actions`)
  if (!ctx.keys.length) {
    return fail('IdentityMismatch', `${ctx.source}: signed with a public key; no verify-keys are configured`)
  }
  const errors: string[] = []
  for (const key of ctx.keys) {
    for (const root of ctx.roots) {
      try {
        new Verifier(trustMaterialFor(root.root, key.der), { ...root.thresholds, ctlogThreshold: 0 }).verify(entity)
        return { ok: true, signer: `key ${key.path} (${key.fingerprint})` }
      } catch (err) {
        errors.push(`${key.path}: ${errText(err)}`)
      }
    }
  }
  const wrongKey = errors.every((e) => /signature/i.test(e))
  return {
    ok: false,
    reason: wrongKey ? 'IdentityMismatch' : 'SignatureInvalid',
    message: `${ctx.source}: does not verify with any configured key (${errors.slice(0, 2).join('; ')})`
  }
}

export function verifyKeyless(bundle: Bundle, entity: ReturnType<typeof toSignedEntity>, ctx: BundleContext): Check {
  let signer: Signer | undefined
  const errors: string[] = []
  const leaf = leafCertificate(bundle)
  for (const root of rootsForLeaf(ctx.roots, leaf)) {
    try {
      signer = new Verifier(trustMaterialFor(root.root), root.thresholds).verify(entity)
      break
    } catch (err) {
      errors.push(`${root.name}: ${errText(err)}`)
    }
  }
  if (!signer) {
    return fail('SignatureInvalid', `${ctx.source}: ${errors.join('; ') || 'no trusted root'}`)
  }
  const who = { san: signer.identity?.subjectAlternativeName ?? '', issuer: signer.identity?.extensions?.issuer ?? '' }
  const text = `${who.san} (issuer ${who.issuer})`
  if (ctx.github) {
    if (!ctx.policy.github) return fail('IdentityMismatch', `${ctx.source}: no verify-github policy`)
    const why = githubMismatch(ctx.policy.github, who, leaf!)
    return why ? fail('IdentityMismatch', `${ctx.source}: ${why}`) : { ok: true, signer: text }
  }
  if (matchKeyless(ctx.policy.identities, who)) return { ok: true, signer: text }
  const github = ctx.policy.github
  if (github && !githubMismatch(github, who, leaf!)) return { ok: true, signer: text }
  return {
    ok: false,
    reason: 'IdentityMismatch',
    message: `${ctx.source}: signed by ${text}, which no verify-identity${github ? '/verify-github' : ''} rule allows`
  }
}

/** The signing certificate, or undefined for a keyed bundle or one whose certificate does not parse. */
export function leafCertificate(bundle: Bundle): X509Certificate | undefined {
  const content = bundle.verificationMaterial.content
  const raw =
    content.$case === 'certificate'
      ? content.certificate.rawBytes
      : content.$case === 'x509CertificateChain'
        ? content.x509CertificateChain.certificates[0]?.rawBytes
        : undefined
  if (!raw) return undefined
  try {
    return X509Certificate.parse(Buffer.from(raw))
  } catch {
    return undefined
  }
}

export function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
