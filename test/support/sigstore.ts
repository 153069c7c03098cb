/**
 * A Sigstore made by the tests themselves: a Fulcio-like CA that embeds SCTs from a CT log, a Rekor-like
 * transparency log (SET + inclusion proof + signed checkpoint), all from @sigstore/mock, and the trusted root that
 * names them. Signing pushes what cosign pushes (no cosign binary): a legacy `sha256-<hex>.sig` image, or a Sigstore
 * bundle v0.3 as an OCI 1.1 referrer found through the fallback tag `sha256-<hex>`.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import { X509Certificate } from '@sigstore/core'
import { initializeCA, initializeCTLog, initializeTLog, initializeTSA } from '@sigstore/mock'
import { OCI_INDEX, OCI_MANIFEST, pushBlob, pushManifest } from './push.js'
import type { TestRegistry } from './registry.js'

type Target = Pick<TestRegistry, 'url' | 'authHeaders'>

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'
export const BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json'
const OID_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8'
const b64 = (b: Buffer | string): string => Buffer.from(b).toString('base64')
const hex256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex')

export interface Identity {
  san: string
  issuer: string
  /** Extra Fulcio extensions (OID → value), e.g. GitHub's source repository URI. */
  extensions?: Record<string, string>
}

export interface TestSigstore {
  trustedRoot: Record<string, unknown>
  /** A bundle v0.3 whose DSSE in-toto statement names `digests`, signed keylessly as `who`. */
  signStatement(digests: string[], who: Identity, predicateType?: string): Promise<Record<string, unknown>>
  /** A legacy cosign signature layer's annotations for `payload`, signed keylessly as `who` (cosign v2 keyless). */
  signLegacy(payload: Buffer, who: Identity): Promise<Record<string, string>>
}

const ecKeys = () => generateKeyPairSync('ec', { namedCurve: 'P-256' })

/**
 * `instance: 'github'` makes one shaped like GitHub's own (fulcio/timestamp.githubapp.com): a CA without CT log, no
 * transparency log, and an RFC 3161 timestamp authority whose timestamp each bundle carries instead of a log entry.
 */
export async function createTestSigstore(
  name = 'test',
  options: { instance?: 'public-good' | 'github' } = {}
): Promise<TestSigstore> {
  const github = options.instance === 'github'
  const ctKeys = ecKeys()
  const ctLog = await initializeCTLog(ctKeys)
  // @sigstore/mock 0.11's CT log returns an SCT without its signature under the pkijs installed here (and its CA
  // writes the list without the SCT's own u16 length), which @sigstore/core rightly rejects. So the CT log's part is
  // done here with Node's crypto, per RFC 6962 §3.2: the log signs version, type, timestamp, entry type precert,
  // the issuer key hash and the precertificate's TBS; the CA embeds the u16-prefixed list of u16-prefixed SCTs.
  const ctLogForCa = {
    publicKey: ctLog.publicKey,
    logID: ctLog.logID,
    log: async (cert: ArrayBuffer, issuerID: ArrayBuffer): Promise<ArrayBuffer> => {
      const sct = signedCertificateTimestamp(Buffer.from(cert), Buffer.from(issuerID), ctLog.logID, ctKeys.privateKey)
      const out = Buffer.concat([u16(sct.length), sct])
      return out.buffer.slice(out.byteOffset, out.byteOffset + out.length) as ArrayBuffer
    }
  }
  const ca = await initializeCA(ecKeys(), github ? undefined : ctLogForCa)
  const tsa = github ? await initializeTSA(ecKeys()) : undefined
  // The mock stamps `new Date()`, and pkijs writes its milliseconds into genTime ("…12.345Z"), which RFC 3161 allows
  // but @sigstore/core's GeneralizedTime parser rejects ("invalid time"); GitHub's TSA stamps whole seconds.
  if (tsa) Object.assign(tsa, { getCurrentTime: () => new Date(Math.floor(Date.now() / 1000) * 1000) })
  const tlogUrl = `https://rekor.${name}.invalid`
  const tlogKeys = ecKeys()
  const tlog = await initializeTLog(tlogUrl, tlogKeys)
  const start = '2000-01-01T00:00:00Z'
  const key = (raw: Buffer) => ({ rawBytes: b64(raw), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } })
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: github
      ? []
      : [
          {
            baseUrl: tlogUrl,
            hashAlgorithm: 'SHA2_256',
            publicKey: key(tlog.publicKey),
            logId: { keyId: b64(createHash('sha256').update(tlog.publicKey).digest()) }
          }
        ],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: `https://fulcio.${name}.invalid`,
        certChain: { certificates: [{ rawBytes: b64(ca.rootCertificate) }] },
        validFor: { start }
      }
    ],
    ctlogs: github
      ? []
      : [
          {
            baseUrl: `https://ctfe.${name}.invalid`,
            hashAlgorithm: 'SHA2_256',
            publicKey: key(ctLog.publicKey),
            logId: { keyId: b64(ctLog.logID) }
          }
        ],
    timestampAuthorities: tsa
      ? [
          {
            subject: { organization: 'sigstore.mock', commonName: 'tsa' },
            uri: `https://timestamp.${name}.invalid`,
            certChain: { certificates: [tsa.intCertificate, tsa.rootCertificate].map((c) => ({ rawBytes: b64(c) })) },
            validFor: { start }
          }
        ]
      : []
  }

  /** An ephemeral key and the Fulcio-like certificate the CA issues for it, naming `who`. */
  async function certify(who: Identity): Promise<{ signer: ReturnType<typeof ecKeys>; cert: Buffer }> {
    const signer = ecKeys()
    const spki = signer.publicKey.export({ format: 'der', type: 'spki' })
    const extensions = [
      { oid: OID_ISSUER_V2, value: who.issuer },
      ...Object.entries(who.extensions ?? {}).map(([oid, value]) => ({ oid, value }))
    ]
    return { signer, cert: await ca.issueCertificate({ publicKey: spki, subjectAltName: who.san, extensions }) }
  }

  async function signStatement(
    digests: string[],
    who: Identity,
    predicateType = 'https://sigstore.dev/cosign/sign/v1'
  ) {
    const { signer, cert } = await certify(who)
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: digests.map((d) => ({ name: 'image', digest: { [d.split(':')[0]!]: d.split(':')[1]! } })),
      predicateType,
      predicate: {}
    }
    const payload = Buffer.from(JSON.stringify(statement))
    const payloadType = 'application/vnd.in-toto+json'
    const pae = Buffer.concat([Buffer.from(`DSSEv1 ${payloadType.length} ${payloadType} ${payload.length} `), payload])
    const sig = sign('sha256', pae, signer.privateKey)
    const envelope = { payload: b64(payload), payloadType, signatures: [{ sig: b64(sig), keyid: '' }] }
    if (tsa) {
      // GitHub's instance: no log entry; an RFC 3161 timestamp over the signature (sigstore-js TSAWitness).
      const timestamp = await tsa.timestamp({
        artifactHash: createHash('sha256').update(sig).digest(),
        hashAlgorithmOID: '2.16.840.1.101.3.4.2.1',
        nonce: Math.floor(Math.random() * 2 ** 31),
        policyOID: '1.3.6.1.4.1.57264.2',
        certReq: true
      })
      return {
        mediaType: BUNDLE_V03,
        verificationMaterial: {
          certificate: { rawBytes: b64(cert) },
          tlogEntries: [],
          timestampVerificationData: { rfc3161Timestamps: [{ signedTimestamp: b64(timestamp) }] }
        },
        dsseEnvelope: envelope
      }
    }
    const certPem = pem(cert)
    const logged = await tlog.log({
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        envelopeHash: { algorithm: 'sha256', value: hex256(JSON.stringify(envelope)) },
        payloadHash: { algorithm: 'sha256', value: hex256(payload) },
        signatures: [{ signature: b64(sig), verifier: b64(certPem) }]
      }
    })
    const entry = Object.values(logged)[0]! as unknown as RekorEntry
    return {
      mediaType: BUNDLE_V03,
      verificationMaterial: {
        certificate: { rawBytes: b64(cert) },
        tlogEntries: [tlogEntry(entry, 'dsse')],
        timestampVerificationData: { rfc3161Timestamps: [] }
      },
      dsseEnvelope: envelope
    }
  }
  /**
   * What `cosign sign` (v2, keyless) puts on a `.sig` layer: the signature, the Fulcio certificate and its chain (PEM),
   * and Rekor's hashedrekord entry as `{SignedEntryTimestamp, Payload: {body, integratedTime, logIndex, logID}}`
   * (sigstore/cosign pkg/oci/static/options.go, pkg/cosign/bundle/rekor.go).
   */
  async function signLegacy(payload: Buffer, who: Identity): Promise<Record<string, string>> {
    if (github) throw new Error("cosign's legacy .sig needs a transparency log; GitHub's instance has none")
    const { signer, cert } = await certify(who)
    const sig = sign('sha256', payload, signer.privateKey)
    const logged = await tlog.log({
      apiVersion: '0.0.1',
      kind: 'hashedrekord',
      spec: {
        data: { hash: { algorithm: 'sha256', value: hex256(payload) } },
        signature: { content: b64(sig), publicKey: { content: b64(pem(cert)) } }
      }
    })
    const e = Object.values(logged)[0]! as unknown as RekorEntry
    const rekor = {
      SignedEntryTimestamp: e.verification.signedEntryTimestamp,
      Payload: { body: e.body, integratedTime: e.integratedTime, logIndex: e.logIndex, logID: e.logID }
    }
    return {
      'dev.cosignproject.cosign/signature': b64(sig),
      'dev.sigstore.cosign/certificate': pem(cert),
      'dev.sigstore.cosign/chain': pem(ca.rootCertificate),
      'dev.sigstore.cosign/bundle': JSON.stringify(rekor)
    }
  }
  return { trustedRoot, signStatement, signLegacy }
}

const pem = (der: Buffer): string => `-----BEGIN CERTIFICATE-----\n${b64(der)}\n-----END CERTIFICATE-----\n`

const u16 = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff])

function signedCertificateTimestamp(precert: Buffer, issuerKeyHash: Buffer, logID: Buffer, key: KeyObject): Buffer {
  const tbs = X509Certificate.parse(Buffer.from(precert)).tbsCertificate.toDER()
  const timestamp = Buffer.alloc(8)
  timestamp.writeBigUInt64BE(BigInt(Date.now()))
  const signed = Buffer.concat([
    Buffer.from([0, 0]), // version v1, signature_type certificate_timestamp
    timestamp,
    u16(1), // entry_type precert_entry
    issuerKeyHash,
    Buffer.from([tbs.length >> 16, (tbs.length >> 8) & 0xff, tbs.length & 0xff]),
    tbs,
    u16(0) // no extensions
  ])
  const signature = sign('sha256', signed, key)
  return Buffer.concat([
    Buffer.from([0]),
    logID,
    timestamp,
    u16(0),
    Buffer.from([4, 3]),
    u16(signature.length),
    signature
  ])
}

interface RekorEntry {
  body: string
  integratedTime: number
  logID: string
  logIndex: number
  verification: {
    signedEntryTimestamp: string
    inclusionProof: { logIndex: number; treeSize: number; rootHash: string; hashes: string[]; checkpoint: string }
  }
}

function tlogEntry(e: RekorEntry, kind: string): Record<string, unknown> {
  const p = e.verification.inclusionProof
  return {
    logIndex: String(e.logIndex),
    logId: { keyId: b64(Buffer.from(e.logID, 'hex')) },
    kindVersion: { kind, version: '0.0.1' },
    integratedTime: String(e.integratedTime),
    inclusionPromise: { signedEntryTimestamp: e.verification.signedEntryTimestamp },
    inclusionProof: {
      logIndex: String(p.logIndex),
      rootHash: b64(Buffer.from(p.rootHash, 'hex')),
      treeSize: String(p.treeSize),
      hashes: p.hashes,
      checkpoint: { envelope: p.checkpoint }
    },
    canonicalizedBody: e.body
  }
}

/** A cosign key pair (ECDSA P-256) and its `cosign.pub` PEM. */
export function cosignKeyPair(): { privateKey: KeyObject; pem: string } {
  const { privateKey, publicKey } = ecKeys()
  return { privateKey, pem: publicKey.export({ format: 'pem', type: 'spki' }).toString() }
}

/** cosign's simple-signing payload for an image digest. */
export function simpleSigningPayload(repository: string, digest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': repository },
        image: { 'docker-manifest-digest': digest },
        type: 'cosign container image signature'
      },
      optional: null
    })
  )
}

/**
 * Pushes a legacy cosign signature for `digest` as `sha256-<hex>.sig`: one simple-signing layer per signature, as
 * `cosign sign` (v2) does — with a key, or keylessly through a test Sigstore as `who`. `signedDigest` lets a test
 * sign another digest's payload under this tag.
 */
export async function pushLegacySignature(
  reg: Target,
  repo: string,
  digest: string,
  signer: KeyObject | { sigstore: TestSigstore; who: Identity },
  options: { signedDigest?: string } = {}
): Promise<void> {
  const payload = simpleSigningPayload(`${repo}`, options.signedDigest ?? digest)
  const annotations =
    'sigstore' in signer
      ? await signer.sigstore.signLegacy(payload, signer.who)
      : { 'dev.cosignproject.cosign/signature': b64(sign('sha256', payload, signer)) }
  const layer = await pushBlob(reg, repo, payload)
  const config = await pushBlob(reg, repo, Buffer.from('{}'))
  await pushManifest(reg, repo, `${digest.replace(':', '-')}.sig`, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [
      {
        mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
        ...layer,
        annotations
      }
    ]
  })
}

/**
 * Pushes a bundle as an OCI 1.1 referrer of `digest` and maintains the referrers fallback tag `sha256-<hex>` (the
 * index of referrers), as cosign v3 does on a registry without the referrers API.
 */
export async function pushBundleReferrer(
  reg: Target,
  repo: string,
  digest: string,
  bundle: Record<string, unknown>,
  existing: Array<Record<string, unknown>> = []
): Promise<Array<Record<string, unknown>>> {
  const blob = await pushBlob(reg, repo, Buffer.from(JSON.stringify(bundle)))
  const empty = await pushBlob(reg, repo, Buffer.from('{}'))
  const referrer = await pushManifest(reg, repo, '@', {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: BUNDLE_V03,
    config: { mediaType: 'application/vnd.oci.empty.v1+json', ...empty },
    layers: [{ mediaType: BUNDLE_V03, ...blob }],
    subject: { mediaType: OCI_MANIFEST, digest, size: 0 }
  })
  const manifests = [
    ...existing,
    { mediaType: OCI_MANIFEST, digest: referrer.digest, size: referrer.size, artifactType: BUNDLE_V03 }
  ]
  await pushManifest(reg, repo, digest.replace(':', '-'), { schemaVersion: 2, mediaType: OCI_INDEX, manifests })
  return manifests
}
