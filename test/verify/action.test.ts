/**
 * The gate as the action runs it (src/action/compute.ts, in process): the action's own wiring — the trusted roots
 * shipped with the tool (no test root can be passed in) and GitHub's attestations API through the action's source.
 * A keyed `.sig` needs no root and is recorded with its signer; an attestation signed by a CA the shipped roots do not
 * know (this test's own) is asked for through the API and refused as SignatureInvalid.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { rmSync } from 'node:fs'
import { compute } from '../../src/action/compute.js'
import { readSettings } from '../../src/action/settings.js'
import { createRegistryClient, type InstrumentedRegistryClient } from '../../src/registry/client.js'
import { githubAttestationsApi } from '../../src/verify/github.js'
import { gitRepo } from '../action/fixtures.js'
import { FakeGitHub } from '../support/github-fake.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import { GITHUB_ISSUER, cosignKeyPair, createTestSigstore, pushLegacySignature } from '../support/sigstore.js'

const TOKEN = 'ghs_actiongatetoken'
let reg: TestRegistry
let gh: FakeGitHub
let client: InstrumentedRegistryClient
let root: string
const digests: Record<string, string> = {}

const tagLines = (name: string, annotation: string): string[] => [
  `  - name: ${name}`,
  '    annotations:',
  '      imagestream-action.dev/verify: require',
  `      ${annotation}`,
  '    from:',
  '      kind: DockerImage',
  `      name: ${reg.host}/acme/web:${name}`
]

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  gh = await FakeGitHub.start({ token: TOKEN })
  gh.createRepo('acme', 'web', { 'README.md': 'web\n' })
  const key = cosignKeyPair()
  const sigstore = await createTestSigstore('not-shipped')
  for (const t of ['signed', 'attested'])
    digests[t] = (await pushImage(reg, 'acme/web', t, { seed: `act-${t}` })).digest
  await pushLegacySignature(reg, 'acme/web', digests.signed!, key.privateKey)
  const who = {
    san: 'https://github.com/acme/web/.github/workflows/release.yml@refs/heads/main',
    issuer: GITHUB_ISSUER,
    extensions: { '1.3.6.1.4.1.57264.1.12': 'https://github.com/acme/web' }
  }
  gh.addAttestation('acme', 'web', digests.attested!, await sigstore.signStatement([digests.attested!], who))
  root = gitRepo({
    'keys/cosign.pub': key.pem,
    'imagestreams/web.yaml': [
      'apiVersion: image.openshift.io/v1',
      'kind: ImageStream',
      'metadata:',
      '  name: web',
      'spec:',
      '  tags:',
      ...tagLines('signed', 'imagestream-action.dev/verify-keys: keys/cosign.pub'),
      ...tagLines('attested', 'imagestream-action.dev/verify-github: repo=acme/web'),
      ''
    ].join('\n')
  })
  client = createRegistryClient({ sleep: async () => {}, maxRetries: 1 })
}, 60_000)

afterAll(async () => {
  await client?.close()
  await gh?.close()
  await reg?.stop()
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('the action computes with the shipped roots and the attestations API', () => {
  it('records the keyed signature, and refuses an attestation from a CA no shipped root knows', async () => {
    const c = await compute({
      root,
      settings: readSettings((name) => (name === 'github-token' ? TOKEN : '')),
      intent: { kind: 'all' },
      registry: client,
      now: new Date('2026-11-21T10:00:00Z'),
      attestations: githubAttestationsApi({ apiUrl: gh.url, token: TOKEN })
    })
    expect(c.changes.map((ch) => [ch.tag, ch.newDigest, ch.signedBy])).toEqual([
      ['signed', digests.signed, expect.stringMatching(/^key keys\/cosign\.pub \(sha256:[0-9a-f]{16}\)$/)]
    ])
    expect(c.failures).toEqual([expect.objectContaining({ tag: 'attested', reason: 'SignatureInvalid' })])
    expect(c.failures[0]!.message).toMatch(/GitHub attestation 1: .*Sigstore public-good/)
    expect(gh.requests.filter((r) => r.path.includes('/attestations/')).map((r) => r.path)).toEqual([
      `/repos/acme/web/attestations/${encodeURIComponent(digests.attested!)}`
    ])
  })
})
