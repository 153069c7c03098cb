/**
 * Finding signatures in the registry, within a request budget (the gate's cost bound: at most 4 registry requests per
 * new digest). Two places, tried in the order the policy makes likely:
 *  - OCI 1.1 referrers (cosign v3 bundles, GitHub attestations pushed with `push-to-registry`): the referrers API
 *    `GET /v2/<name>/referrers/<digest>`, or its fallback tag `sha256-<hex>` (distribution-spec "Referrers Tag
 *    Schema"; the only path on GHCR, Docker Hub and distribution 2.8). A registry that answered 404 to the API once
 *    is asked only by the fallback tag for the rest of the run.
 *  - the legacy cosign `sha256-<hex>.sig` tag (legacy.ts).
 */
import { withDigest, withTag } from '../reference/reference.js'
import type { ImageReference } from '../reference/types.js'
import { indexDescriptors } from '../registry/artifacts.js'
import type { ArtifactDescriptor, RegistryClient } from '../registry/types.js'
import { verifyBundleJson, type BundleContext } from './bundle.js'
import { legacyLayers, signatureTag, verifyLegacy } from './legacy.js'
import { fail, worse, type Check } from './types.js'

export const REQUESTS_PER_DIGEST = 4
const SIGSTORE_BUNDLE_ARTIFACT = /^application\/vnd\.dev\.sigstore\.bundle(\.v0\.3)?\+json/

export class Budget {
  constructor(private left: number) {}
  take(): boolean {
    if (this.left <= 0) return false
    this.left--
    return true
  }
  get exhausted(): boolean {
    return this.left <= 0
  }
}

export interface RegistrySearch {
  registry: RegistryClient
  repository: ImageReference
  /** The digest whose signatures are looked up (the tag's own digest: the index for a Legacy multi-arch import). */
  signed: string
  insecure?: boolean
  budget: Budget
  /** Hosts known (this run) to have no referrers API. */
  noReferrersApi: Set<string>
}

/** The `sha256-<hex>` fallback tag of the referrers API (distribution-spec). */
export function referrersTag(digest: string): string {
  return digest.replace(':', '-')
}

async function listReferrers(s: RegistrySearch): Promise<ArtifactDescriptor[] | undefined> {
  const { registry, repository } = s
  if (!s.noReferrersApi.has(repository.domain) && registry.getReferrers) {
    if (!s.budget.take()) return undefined
    const listed = await registry.getReferrers(repository, s.signed, { insecure: s.insecure })
    if (listed) return listed
    s.noReferrersApi.add(repository.domain)
  }
  if (!registry.getArtifact || !s.budget.take()) return undefined
  const index = await registry.getArtifact(withTag(repository, referrersTag(s.signed)), { insecure: s.insecure })
  if (!index) return []
  return indexDescriptors(index.json)
}

/** Sigstore bundles among the referrers, each verified until one passes. */
export async function checkReferrers(s: RegistrySearch, ctx: BundleContext): Promise<Check | undefined> {
  const referrers = (await listReferrers(s)) ?? []
  let best: Check | undefined
  for (const d of referrers.filter((r) => SIGSTORE_BUNDLE_ARTIFACT.test(r.artifactType ?? ''))) {
    if (!s.budget.take()) break
    const manifest = await s.registry.getArtifact!(withDigest(s.repository, d.digest), { insecure: s.insecure })
    const layers = Array.isArray(manifest?.json.layers) ? (manifest!.json.layers as Array<{ digest?: string }>) : []
    const layer = layers[0]
    if (!layer?.digest || !s.budget.take()) continue
    const blob = await s.registry.getArtifactBlob!(s.repository, layer.digest, { insecure: s.insecure })
    let json: unknown
    try {
      json = JSON.parse(blob.toString('utf8'))
    } catch {
      best = worse(best, fail('SignatureInvalid', `referrer ${d.digest}: the bundle is not JSON`))
      continue
    }
    const check = verifyBundleJson(json, { ...ctx, source: `referrer ${d.digest}` })
    if (check.ok) return check
    best = worse(best, check)
  }
  return best
}

/** The legacy `.sig` tag: each signature layer's payload fetched and verified until one passes. */
export async function checkLegacy(s: RegistrySearch, ctx: BundleContext): Promise<Check | undefined> {
  if (!s.registry.getArtifact || !s.budget.take()) return undefined
  const tag = signatureTag(s.signed)
  const manifest = await s.registry.getArtifact(withTag(s.repository, tag), { insecure: s.insecure })
  if (!manifest) return undefined
  let best: Check | undefined
  for (const layer of legacyLayers(manifest.json)) {
    if (!s.budget.take()) break
    const payload = await s.registry.getArtifactBlob!(s.repository, layer.digest, { insecure: s.insecure })
    const check = verifyLegacy(layer, payload, { ...ctx, source: `${tag} layer ${layer.digest.slice(0, 19)}` })
    if (check.ok) return check
    best = worse(best, check)
  }
  return best
}
