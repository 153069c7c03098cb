/** Outcomes of the verification gate, shared by its modules. */

/** Condition reasons a failed check puts on the tag (ImportSuccess=False), named for what a reviewer fixes. */
export type VerifyReason =
  'SignatureMissing' | 'SignatureInvalid' | 'IdentityMismatch' | 'DigestMismatch' | 'VerificationUnavailable'

export type Check = { ok: true; signer: string } | { ok: false; reason: VerifyReason; message: string }

/** A configured public key (cosign.pub): its repository path, SPKI DER and a short fingerprint for messages. */
export interface TrustedKey {
  path: string
  der: Buffer
  /** `sha256:` + the first 16 hex of the SPKI DER's SHA-256. */
  fingerprint: string
}

export function fail(reason: VerifyReason, message: string): Check {
  return { ok: false, reason, message }
}

/** Failures, worst-informative last: a later, more specific failure replaces SignatureMissing. */
export function worse(a: Check | undefined, b: Check): Check {
  if (!a || a.ok) return b
  if (b.ok) return b
  return a.reason === 'SignatureMissing' ? b : a
}
