/**
 * The verification gate: for each new digest an import is about to record, the tag's policy (policy.ts) is applied
 * to the signatures found for it — GitHub attestations (API), Sigstore bundles (OCI referrers), legacy cosign `.sig`
 * — all verified offline against keys in the repository and the shipped trusted roots. A digest is verified once
 * per run (shared by every tag that imports it) and never again once its signer is on record in the stream.
 */
import { createHash, createPublicKey } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { resolve, sep } from 'node:path'
import type { ImageReference } from '../reference/types.js'
import type { RegistryClient } from '../registry/types.js'
import { errText, verifyBundleJson, type BundleContext } from './bundle.js'
import type { GithubAttestationSource } from './github.js'
import type { VerifyPolicy } from './policy.js'
import { Budget, REQUESTS_PER_DIGEST, checkLegacy, checkReferrers } from './sources.js'
import { loadRoots, shippedTrustedRoots, type LoadedRoot, type NamedTrustedRoot } from './trust.js'
import { fail, worse, type Check, type TrustedKey } from './types.js'

export interface ImageVerifierOptions {
  registry: RegistryClient
  /** The repository root: `verify-keys` paths are relative to it. */
  root: string
  /** Default: the roots shipped in src/verify/trusted-roots/. Tests pass their own. */
  trustedRoots?: readonly NamedTrustedRoot[]
  /** GitHub artifact attestations through the API; without it only attestations pushed to the registry count. */
  github?: GithubAttestationSource
}

export interface DigestToVerify {
  policy: VerifyPolicy
  repository: ImageReference
  /** The digest being pinned. */
  digest: string
  /** The digest the tag points at (an index, for a Legacy multi-arch import); signatures are looked up for it. */
  topDigest?: string
  insecure?: boolean
}

export interface ImageVerifier {
  verify(request: DigestToVerify): Promise<Check>
}

export function createImageVerifier(options: ImageVerifierOptions): ImageVerifier {
  let roots: LoadedRoot[] | undefined
  const keys = new Map<string, Promise<TrustedKey>>()
  const results = new Map<string, Promise<Check>>()
  const noReferrersApi = new Set<string>()

  const loadKey = (path: string): Promise<TrustedKey> => {
    if (!keys.has(path)) keys.set(path, readKey(options.root, path))
    return keys.get(path)!
  }

  async function run(request: DigestToVerify): Promise<Check> {
    roots ??= loadRoots(options.trustedRoots ?? shippedTrustedRoots())
    let trusted: TrustedKey[]
    try {
      trusted = await Promise.all(request.policy.keys.map(loadKey))
    } catch (err) {
      return { ok: false, reason: 'VerificationUnavailable', message: errText(err) }
    }
    const signed = request.topDigest ?? request.digest
    const ctx: BundleContext = {
      digest: request.digest,
      subjects: new Set([request.digest, signed]),
      policy: request.policy,
      keys: trusted,
      roots,
      source: ''
    }
    let best: Check | undefined
    try {
      if (request.policy.github && options.github) {
        const bundles = await options.github.bundles(request.policy.github, signed)
        for (const [i, json] of bundles.entries()) {
          const check = verifyBundleJson(json, { ...ctx, github: true, source: `GitHub attestation ${i + 1}` })
          if (check.ok) return check
          best = worse(best, check)
        }
      }
      const search = {
        registry: options.registry,
        repository: request.repository,
        signed,
        insecure: request.insecure,
        budget: new Budget(REQUESTS_PER_DIGEST),
        noReferrersApi
      }
      // A key-only policy most likely meets cosign's legacy `.sig`; identities most likely meet v3 bundles.
      const keyOnly = trusted.length > 0 && !request.policy.identities.length && !request.policy.github
      const order = keyOnly ? [checkLegacy, checkReferrers] : [checkReferrers, checkLegacy]
      for (const check of order) {
        const found = await check(search, ctx)
        if (found?.ok) return found
        if (found) best = worse(best, found)
      }
    } catch (err) {
      return worse(best, fail('VerificationUnavailable', `looking up signatures: ${errText(err)}`))
    }
    return best ?? { ok: false, reason: 'SignatureMissing', message: `no signature or attestation found for ${signed}` }
  }

  return {
    verify(request) {
      const { domain, path } = request.repository
      const key = `${domain}/${path}@${request.digest}|${policyHash(request.policy)}`
      if (!results.has(key)) results.set(key, run(request))
      return results.get(key)!
    }
  }
}

/** A short fingerprint of a policy: a recorded signer is trusted again only under the same policy. */
export function policyHash(policy: VerifyPolicy): string {
  const text = JSON.stringify([policy.keys, policy.identities.map((i) => i.text), policy.github ?? null])
  return createHash('sha256').update(text).digest('hex').slice(0, 12)
}

async function readKey(root: string, path: string): Promise<TrustedKey> {
  const full = resolve(root, path)
  if (!full.startsWith(resolve(root) + sep)) throw new Error(`verify-keys: ${path} is outside the repository`)
  let pem: string
  try {
    pem = await readFile(full, 'utf8')
  } catch (err) {
    throw new Error(`verify-keys: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? errText(err)})`)
  }
  let der: Buffer
  try {
    der = createPublicKey(pem).export({ format: 'der', type: 'spki' })
  } catch {
    throw new Error(`verify-keys: ${path} is not a PEM public key (cosign.pub)`)
  }
  return { path, der, fingerprint: `sha256:${createHash('sha256').update(der).digest('hex').slice(0, 16)}` }
}
