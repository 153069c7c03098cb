/**
 * The shipped trusted roots and which one anchors a certificate. GitHub's own Sigstore instance (fulcio.githubapp.com,
 * timestamp.githubapp.com, no transparency log) signs attestations of private repositories and GitHub's release
 * attestations; the public-good one (fulcio.sigstore.dev, Rekor, CT) those of public repositories. Real data: GitHub's
 * release attestation of cli/cli v2.96.0's `gh_2.96.0_checksums.txt` (see test/fixtures/github-attestations/README.md)
 * and the public-good conformance vector `happy-path-v0.3`.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { bundleFromJSON } from '@sigstore/bundle'
import { Verifier, toSignedEntity } from '@sigstore/verify'
import { leafCertificate, verifyBundleJson, type BundleContext } from '../../src/verify/bundle.js'
import { policyFor } from '../../src/verify/policy.js'
import type { ImageStream } from '../../src/stream/types.js'
import { loadRoots, rootsForLeaf, shippedTrustedRoots, trustMaterialFor } from '../../src/verify/trust.js'

const fixture = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures', path), 'utf8')) as Record<string, unknown>
const GH_RELEASE = fixture('github-attestations/gh-2.96.0-checksums.sigstore.jsonl')
/** sha256 of gh_2.96.0_checksums.txt, a subject of that release attestation. */
const GH_CHECKSUMS = 'sha256:fc046371efa250e2875208341a786a35a01717d5eebec6903e199a9b8a3f3565'
const PUBLIC_GOOD = fixture('sigstore-conformance/bundle-verify/happy-path-v0.3/bundle.sigstore.json')

const roots = loadRoots(shippedTrustedRoots())
const byName = (name: string) => roots.find((r) => r.name === name)!

const leafOf = (json: Record<string, unknown>) => leafCertificate(bundleFromJSON(json))

describe('shipped trusted roots', () => {
  it("ships GitHub's instance: Fulcio and TSA at githubapp.com, no logs, so a timestamp is required instead", () => {
    const github = byName('GitHub')
    expect(new Set(github.root.certificateAuthorities.map((c) => c.uri))).toEqual(new Set(['fulcio.githubapp.com']))
    expect(new Set(github.root.timestampAuthorities.map((c) => c.uri))).toEqual(new Set(['timestamp.githubapp.com']))
    expect(github.root.tlogs).toEqual([])
    expect(github.thresholds).toEqual({ tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 1 })
    expect(byName('Sigstore public-good').thresholds).toEqual({
      tlogThreshold: 1,
      ctlogThreshold: 1,
      timestampThreshold: 1
    })
  })

  it("selects GitHub's root for a certificate GitHub's Fulcio issued, public-good's for one from fulcio.sigstore.dev", () => {
    expect(rootsForLeaf(roots, leafOf(GH_RELEASE)).map((r) => r.name)).toEqual(['GitHub'])
    expect(rootsForLeaf(roots, leafOf(PUBLIC_GOOD)).map((r) => r.name)).toEqual(['Sigstore public-good'])
    expect(rootsForLeaf(roots, undefined)).toBe(roots)
  })

  it("verifies GitHub's real release attestation offline with the selected root (chain + RFC 3161 timestamp)", () => {
    const [github] = rootsForLeaf(roots, leafOf(GH_RELEASE))
    const entity = toSignedEntity(bundleFromJSON(GH_RELEASE))
    const signer = new Verifier(trustMaterialFor(github!.root), github!.thresholds).verify(entity)
    expect(signer.identity?.subjectAlternativeName).toBe('https://dotcom.releases.github.com')
    const publicGood = byName('Sigstore public-good')
    expect(() => new Verifier(trustMaterialFor(publicGood.root), publicGood.thresholds).verify(entity)).toThrow(
      /timestamp/
    )
  })

  it('through the gate: the signature is good, and GitHub release attestations are not GitHub Actions builds', () => {
    const stream = {
      metadata: {
        name: 'gh',
        annotations: {
          'imagestream-action.dev/verify': 'require',
          'imagestream-action.dev/verify-github': 'repo=cli/cli'
        }
      },
      spec: { tags: [] }
    } as unknown as ImageStream
    const policy = policyFor(stream, 'app')
    const ctx = (shipped: typeof roots): BundleContext => ({
      digest: GH_CHECKSUMS,
      subjects: new Set([GH_CHECKSUMS]),
      policy,
      keys: [],
      roots: shipped,
      source: 'GitHub attestation 1',
      github: true
    })
    const withGithub = verifyBundleJson(GH_RELEASE, ctx(roots))
    expect(withGithub).toMatchObject({ ok: false, reason: 'IdentityMismatch' })
    expect(!withGithub.ok && withGithub.message).toMatch(/not GitHub Actions/)
    const publicGoodOnly = verifyBundleJson(GH_RELEASE, ctx([byName('Sigstore public-good')]))
    expect(publicGoodOnly).toMatchObject({ ok: false, reason: 'SignatureInvalid' })
  })
})
