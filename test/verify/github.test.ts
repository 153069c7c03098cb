/**
 * GitHub artifact attestations (actions/attest-build-provenance): through the GitHub API fake — inline bundles and
 * the newer `bundle_url` form with a snappy-compressed body fetched without the token — and pushed to the registry as
 * OCI referrers. The bundles come from the test's own Sigstore with the Fulcio extensions GitHub's token fills in.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { importStreams } from '../../src/importer/import-streams.js'
import { createRegistryClient, type InstrumentedRegistryClient } from '../../src/registry/client.js'
import type { ImageStream } from '../../src/stream/types.js'
import { createImageVerifier } from '../../src/verify/gate.js'
import { githubAttestationsApi } from '../../src/verify/github.js'
import { FakeGitHub } from '../support/github-fake.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import {
  GITHUB_ISSUER,
  createTestSigstore,
  pushBundleReferrer,
  type Identity,
  type TestSigstore
} from '../support/sigstore.js'

const TOKEN = 'ghs_attestationtesttoken'
const SLSA = 'https://slsa.dev/provenance/v1'
let reg: TestRegistry
let gh: FakeGitHub
let sigstore: TestSigstore
/** Shaped like GitHub's own instance (private repositories): CA without CT, no transparency log, a TSA. */
let githubInstance: TestSigstore
let client: InstrumentedRegistryClient
let root: string
const digests: Record<string, string> = {}
const fetched: string[] = []

const builtIn = (repo: string): Identity => ({
  san: `https://github.com/${repo}/.github/workflows/release.yml@refs/heads/main`,
  issuer: GITHUB_ISSUER,
  extensions: {
    '1.3.6.1.4.1.57264.1.9': `https://github.com/${repo}/.github/workflows/release.yml@refs/heads/main`,
    '1.3.6.1.4.1.57264.1.11': 'github-hosted',
    '1.3.6.1.4.1.57264.1.12': `https://github.com/${repo}`,
    '1.3.6.1.4.1.57264.1.14': 'refs/heads/main',
    '1.3.6.1.4.1.57264.1.16': `https://github.com/${repo.split('/')[0]}`
  }
})

function stream(tagName: string, github: string): ImageStream {
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: {
      name: 'gh',
      annotations: { 'imagestream-action.dev/verify': 'require', 'imagestream-action.dev/verify-github': github }
    },
    spec: {
      tags: [
        {
          name: 'app',
          annotations: null,
          from: { kind: 'DockerImage', name: `${reg.host}/acme/web:${tagName}` },
          importPolicy: { importMode: 'Legacy' },
          referencePolicy: { type: 'Source' }
        }
      ]
    }
  }
}

type Roots = Array<{ name: string; json: unknown }>

async function run(tagName: string, github = 'repo=acme/web', roots?: Roots) {
  const verify = createImageVerifier({
    registry: client,
    root,
    trustedRoots: roots ?? [{ name: 'test', json: sigstore.trustedRoot }],
    github: githubAttestationsApi({
      apiUrl: gh.url,
      token: TOKEN,
      fetch: (url, init) => {
        fetched.push(String(url))
        return fetch(url, init)
      }
    })
  })
  const result = await importStreams(
    [{ file: 'gh.yaml', stream: stream(tagName, github) }],
    { kind: 'all' },
    {
      registry: client,
      now: '2026-11-21T10:00:00Z',
      metadata: false,
      verify
    }
  )
  const after = result.streams[0]!.after
  return {
    recorded: after.status?.tags?.[0]?.items?.[0]?.image,
    failure: result.failures[0],
    signedBy: result.changes[0]?.signedBy
  }
}

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  gh = await FakeGitHub.start({ token: TOKEN })
  gh.createRepo('acme', 'web', { 'README.md': 'web\n' })
  sigstore = await createTestSigstore('github')
  root = mkdtempSync(join(tmpdir(), 'verify-gh-'))
  githubInstance = await createTestSigstore('github-instance', { instance: 'github' })
  for (const t of ['inline', 'url', 'registry', 'other-owner', 'private'])
    digests[t] = (await pushImage(reg, 'acme/web', t, { seed: t })).digest
  gh.addAttestation(
    'acme',
    'web',
    digests.inline!,
    await sigstore.signStatement([digests.inline!], builtIn('acme/web'), SLSA)
  )
  gh.addAttestation(
    'acme',
    'web',
    digests.url!,
    await sigstore.signStatement([digests.url!], builtIn('acme/web'), SLSA),
    { viaUrl: true }
  )
  await pushBundleReferrer(
    reg,
    'acme/web',
    digests.registry!,
    await sigstore.signStatement([digests.registry!], builtIn('acme/web'), SLSA)
  )
  gh.addAttestation(
    'acme',
    'web',
    digests['other-owner']!,
    await sigstore.signStatement([digests['other-owner']!], builtIn('evil/web'), SLSA)
  )
  gh.addAttestation(
    'acme',
    'web',
    digests.private!,
    await githubInstance.signStatement([digests.private!], builtIn('acme/web'), SLSA)
  )
  client = createRegistryClient({ sleep: async () => {}, maxRetries: 1 })
}, 60_000)

afterAll(async () => {
  await client?.close()
  await gh?.close()
  await reg?.stop()
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('GitHub artifact attestations', () => {
  it('records a digest attested in acme/web (inline bundle from the API)', async () => {
    const o = await run('inline')
    expect(o.failure).toBeUndefined()
    expect(o.recorded).toBe(digests.inline)
    expect(o.signedBy).toBe(
      `https://github.com/acme/web/.github/workflows/release.yml@refs/heads/main (issuer ${GITHUB_ISSUER})`
    )
  })

  it('records a digest whose bundle is behind bundle_url (snappy), fetched without the token', async () => {
    const o = await run('url')
    expect(o.failure).toBeUndefined()
    expect(o.recorded).toBe(digests.url)
    expect(gh.bundleUrlRequests).toEqual([
      { path: expect.stringMatching(/^\/_attestation-blobs\/\d+$/), authorization: false }
    ])
  })

  it('records a digest attested in the registry (push-to-registry) when the API has none', async () => {
    const o = await run('registry')
    expect(o.failure).toBeUndefined()
    expect(o.recorded).toBe(digests.registry)
  })

  it('rejects an attestation built by another owner', async () => {
    const o = await run('other-owner')
    expect(o.recorded).toBeUndefined()
    expect(o.failure?.reason).toBe('IdentityMismatch')
    expect(o.failure?.message).toMatch(
      /built in https:\/\/github\.com\/evil\/web, not https:\/\/github\.com\/acme\/web/
    )
  })

  it('rejects when the policy names another workflow', async () => {
    const o = await run('inline', 'repo=acme/web,workflow=.github/workflows/other.yml')
    expect(o.failure?.reason).toBe('IdentityMismatch')
  })

  it("records a private repository's attestation (GitHub's instance: timestamp, no log) against that root", async () => {
    const both: Roots = [
      { name: 'public-good', json: sigstore.trustedRoot },
      { name: 'GitHub', json: githubInstance.trustedRoot }
    ]
    const o = await run('private', 'repo=acme/web', both)
    expect(o.failure).toBeUndefined()
    expect(o.recorded).toBe(digests.private)
    // A public-good attestation still verifies when both roots are configured.
    expect((await run('inline', 'repo=acme/web', both)).recorded).toBe(digests.inline)
    // Without GitHub's root the same attestation has no trusted CA and no log entry.
    const publicOnly = await run('private', 'repo=acme/web', [both[0]!])
    expect(publicOnly.recorded).toBeUndefined()
    expect(publicOnly.failure?.reason).toBe('SignatureInvalid')
  })

  it('spoke to GitHub only as its OpenAPI description allows, and only on loopback', () => {
    expect(gh.violations).toEqual([])
    for (const url of fetched) expect(new URL(url).hostname).toBe('127.0.0.1')
  })
})
