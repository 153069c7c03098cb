/**
 * Trusted roots as data: the Sigstore public-good root and GitHub's own instance, shipped in
 * `src/verify/trusted-roots/`, turned into @sigstore/verify trust material. Nothing here fetches: a root changes only
 * through `scripts/trust-refresh.sh`.
 */
import { createPublicKey } from 'node:crypto'
import { X509Certificate } from '@sigstore/core'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { toTrustMaterial, type TrustMaterial, type VerifierOptions } from '@sigstore/verify'
import github from './trusted-roots/github.json' with { type: 'json' }
import publicGood from './trusted-roots/sigstore-public-good.json' with { type: 'json' }

/** A trusted root as JSON (trustedroot+json;version=0.1), with a name for messages. */
export interface NamedTrustedRoot {
  name: string
  json: unknown
}

export interface LoadedRoot {
  name: string
  root: TrustedRoot
  /** What this root requires of a keyless bundle (a root without logs cannot require log entries). */
  thresholds: VerifierOptions
  /** The subject names (DER) of every certificate in its certificate authorities' chains. */
  caSubjects: Buffer[]
}

/**
 * The roots shipped with the tool (sources and dates: src/verify/trusted-roots/README.md). GitHub's instance signs
 * artifact attestations of private and internal repositories, and GitHub's own release attestations.
 */
export function shippedTrustedRoots(): NamedTrustedRoot[] {
  return [
    { name: 'Sigstore public-good', json: publicGood },
    { name: 'GitHub', json: github }
  ]
}

/**
 * The roots that can anchor a Fulcio certificate: those with a certificate authority whose chain holds a certificate
 * named as the leaf's issuer. A GitHub attestation from a private repository (issuer "Fulcio Intermediate l1/l2,
 * O=GitHub, Inc.") is thus checked against GitHub's root only, and its TSA timestamps are what that root requires;
 * a public one (issuer "sigstore-intermediate") against public-good with its Rekor and CT logs. A leaf no root names
 * gets every root, so the verifier's own error says why none anchors it.
 */
export function rootsForLeaf(roots: readonly LoadedRoot[], leaf: X509Certificate | undefined): readonly LoadedRoot[] {
  if (!leaf) return roots
  const issuer = leaf.issuer
  const named = roots.filter((r) => r.caSubjects.some((s) => s.equals(issuer)))
  return named.length ? named : roots
}

export function loadRoots(roots: readonly NamedTrustedRoot[]): LoadedRoot[] {
  return roots.map(({ name, json }) => {
    const root = TrustedRoot.fromJSON(json)
    requireValidityStarts(root, name)
    return {
      name,
      root,
      thresholds: {
        // "as the root requires": Sigstore public-good has Rekor and CT logs, GitHub's instance has neither and
        // timestamps with its TSA instead (sigstore-js verify: tlogThreshold/ctlogThreshold/timestampThreshold).
        tlogThreshold: root.tlogs.length ? 1 : 0,
        ctlogThreshold: root.ctlogs.length ? 1 : 0,
        timestampThreshold: 1
      },
      caSubjects: root.certificateAuthorities.flatMap((ca) => (ca.certChain?.certificates ?? []).flatMap(subjectOf))
    }
  })
}

/** A CA certificate's subject name; none for one that does not parse (the verifier then rejects what it signs). */
function subjectOf(cert: { rawBytes: Buffer }): Buffer[] {
  try {
    return [X509Certificate.parse(Buffer.from(cert.rawBytes)).subject]
  } catch {
    return []
  }
}

/** Trust material of one root; with `key` (SPKI DER), that key answers every key hint (a keyed bundle). */
export function trustMaterialFor(root: TrustedRoot, key?: Buffer): TrustMaterial {
  return toTrustMaterial(root, (hint: string) => {
    if (!key) throw new Error(`signed with a public key (hint "${hint}") but no key is configured`)
    return { publicKey: createPublicKey({ key, format: 'der', type: 'spki' }), validFor: () => true }
  })
}

/**
 * Every log key and authority must say from when it is valid: a missing start is a malformed root, not an unbounded
 * one (sigstore-conformance `trust-root-tlog-missing-validity-start_fail`; @sigstore/verify itself accepts it).
 */
function requireValidityStarts(root: TrustedRoot, name: string): void {
  const missing = [
    ...root.tlogs.filter((t) => !t.publicKey?.validFor?.start).map((t) => `transparency log ${t.baseUrl}`),
    ...root.ctlogs.filter((t) => !t.publicKey?.validFor?.start).map((t) => `CT log ${t.baseUrl}`),
    ...root.certificateAuthorities.filter((c) => !c.validFor?.start).map((c) => `certificate authority ${c.uri}`),
    ...root.timestampAuthorities.filter((c) => !c.validFor?.start).map((c) => `timestamp authority ${c.uri}`)
  ]
  if (missing.length) throw new Error(`trusted root ${name}: no validFor.start for ${missing.join(', ')}`)
}
