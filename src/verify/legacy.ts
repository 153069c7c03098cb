/**
 * The legacy cosign signature (cosign ≤ v2's default): an image manifest tagged `sha256-<hex>.sig` in the signed
 * image's repository, each layer a simple-signing payload (`application/vnd.dev.cosign.simplesigning.v1+json`) whose
 * `dev.cosignproject.cosign/signature` annotation is a base64 ECDSA signature over the layer's bytes; keyless
 * signatures add `dev.sigstore.cosign/certificate`, `…/chain` (PEM) and `…/bundle` (Rekor's signed entry
 * timestamp).
 * Sources: sigstore/cosign pkg/oci/static/signature.go (annotation names), pkg/cosign/verify.go (what is checked).
 */
import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto'
import { bundleFromJSON } from '@sigstore/bundle'
import { toSignedEntity } from '@sigstore/verify'
import { errText, verifyKeyless, type BundleContext } from './bundle.js'
import { fail, type Check } from './types.js'

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json'
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature'
export const CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate'
export const CHAIN_ANNOTATION = 'dev.sigstore.cosign/chain'
export const REKOR_BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle'

/** cosign's signature tag: `sha256:abc…` → `sha256-abc….sig` (pkg/oci/remote/remote.go SignatureTag). */
export function signatureTag(digest: string): string {
  return `${digest.replace(':', '-')}.sig`
}

/**
 * Tags that hold signature artifacts, not images: cosign's `sha256-<hex>.sig` / `.att` / `.sbom` and the OCI
 * referrers fallback tag `sha256-<hex>`. A repository import skips them. OpenShift's importRepositoryFromDocker
 * (openshift/image-registry pkg/dockerregistry/server/… importer) knows nothing of them: it lists every tag, orders
 * them with PrioritizeTags and imports the first N, so there `.sig` tags become stream tags and use up the limit.
 */
export function isSignatureArtifactTag(tag: string): boolean {
  return /^sha256-[a-f0-9]{64}(?:\.(?:sig|att|sbom))?$/.test(tag) || /\.(?:sig|att)$/.test(tag)
}

export interface LegacyLayer {
  digest: string
  signature: string
  certificate?: string
  chain?: string
  rekorBundle?: string
}

/** The signature layers of a `.sig` manifest (layers without a signature annotation are skipped). */
export function legacyLayers(manifest: Record<string, unknown>): LegacyLayer[] {
  const layers = Array.isArray(manifest.layers) ? (manifest.layers as Array<Record<string, unknown>>) : []
  const out: LegacyLayer[] = []
  for (const l of layers) {
    const a = (l.annotations ?? {}) as Record<string, unknown>
    if (typeof l.digest !== 'string' || typeof a[SIGNATURE_ANNOTATION] !== 'string') continue
    const layer: LegacyLayer = { digest: l.digest, signature: a[SIGNATURE_ANNOTATION] as string }
    const certificate = a[CERTIFICATE_ANNOTATION]
    const chain = a[CHAIN_ANNOTATION]
    if (typeof certificate === 'string' && certificate) layer.certificate = certificate
    if (typeof chain === 'string' && chain) layer.chain = chain
    if (typeof a[REKOR_BUNDLE_ANNOTATION] === 'string') layer.rekorBundle = a[REKOR_BUNDLE_ANNOTATION] as string
    out.push(layer)
  }
  return out
}

/** One signature layer and its payload bytes, checked against the pin and the policy. */
export function verifyLegacy(layer: LegacyLayer, payload: Buffer, ctx: BundleContext): Check {
  const named = payloadDigest(payload)
  if (!named) return fail('SignatureInvalid', `${ctx.source}: not a simple-signing payload`)
  if (!ctx.subjects.has(named)) {
    return fail('DigestMismatch', `${ctx.source}: signs ${named}, not ${ctx.digest}`)
  }
  const signature = Buffer.from(layer.signature, 'base64')
  if (layer.certificate) return verifyLegacyKeyless(layer, payload, signature, ctx)
  if (!ctx.keys.length) {
    return fail('IdentityMismatch', `${ctx.source}: signed with a key; no verify-keys are configured`)
  }
  for (const key of ctx.keys) {
    const publicKey = createPublicKey({ key: key.der, format: 'der', type: 'spki' })
    if (verifySignature('sha256', payload, publicKey, signature)) {
      return { ok: true, signer: `key ${key.path} (${key.fingerprint})` }
    }
  }
  return {
    ok: false,
    reason: 'IdentityMismatch',
    message: `${ctx.source}: the signature does not verify with ${ctx.keys.map((k) => k.path).join(', ')}`
  }
}

/** `critical.image.docker-manifest-digest` of a simple-signing payload. */
export function payloadDigest(payload: Buffer): string | undefined {
  try {
    const p = JSON.parse(payload.toString('utf8')) as { critical?: { image?: Record<string, unknown> } }
    const d = p.critical?.image?.['docker-manifest-digest']
    return typeof d === 'string' ? d : undefined
  } catch {
    return undefined
  }
}

/** A keyless legacy signature as the v0.1 bundle it amounts to (message signature + Rekor SET), then verified. */
function verifyLegacyKeyless(layer: LegacyLayer, payload: Buffer, signature: Buffer, ctx: BundleContext): Check {
  try {
    const certificates = [layer.certificate!, layer.chain ?? ''].flatMap(pemBlocks).map((der) => ({ rawBytes: der }))
    const bundle = bundleFromJSON({
      mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
      verificationMaterial: {
        x509CertificateChain: { certificates },
        tlogEntries: layer.rekorBundle ? [tlogEntry(layer.rekorBundle)] : [],
        timestampVerificationData: { rfc3161Timestamps: [] }
      },
      messageSignature: {
        messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(payload).digest('base64') },
        signature: signature.toString('base64')
      }
    })
    return verifyKeyless(bundle, toSignedEntity(bundle, payload), ctx)
  } catch (err) {
    return fail('SignatureInvalid', `${ctx.source}: ${errText(err)}`)
  }
}

function pemBlocks(pem: string): string[] {
  const blocks = pem.matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)
  return [...blocks].map((m) => m[1]!.replace(/\s+/g, ''))
}

/** cosign's bundle annotation (`{SignedEntryTimestamp, Payload: {body, integratedTime, logIndex, logID}}`). */
function tlogEntry(annotation: string): Record<string, unknown> {
  const rekor = JSON.parse(annotation) as {
    SignedEntryTimestamp: string
    Payload: { body: string; integratedTime: number; logIndex: number; logID: string }
  }
  const bodyText = Buffer.from(rekor.Payload.body, 'base64').toString('utf8')
  const body = JSON.parse(bodyText) as { kind: string; apiVersion: string }
  return {
    logIndex: String(rekor.Payload.logIndex),
    logId: { keyId: Buffer.from(rekor.Payload.logID, 'hex').toString('base64') },
    kindVersion: { kind: body.kind, version: body.apiVersion },
    integratedTime: String(rekor.Payload.integratedTime),
    inclusionPromise: { signedEntryTimestamp: rekor.SignedEntryTimestamp },
    canonicalizedBody: rekor.Payload.body
  }
}
