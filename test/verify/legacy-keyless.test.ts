/**
 * Keyless legacy cosign signatures (cosign v2's `cosign sign` without a key): a `sha256-<hex>.sig` image whose layer
 * carries the signature, the Fulcio certificate and chain, and Rekor's entry with its signed entry timestamp. Pushed to
 * the loopback registry, signed by a CA, CT log and transparency log the test makes (@sigstore/mock), verified with
 * that trusted root: the right identity is recorded; another subject, a lookalike under an unanchored-looking regex,
 * another issuer and a foreign CA are not, each with its reason.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { importStreams } from '../../src/importer/import-streams.js'
import { createRegistryClient, type InstrumentedRegistryClient } from '../../src/registry/client.js'
import type { RequestEvent } from '../../src/registry/transport.js'
import type { ImageStream } from '../../src/stream/types.js'
import { createImageVerifier } from '../../src/verify/gate.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import { GITHUB_ISSUER, createTestSigstore, pushLegacySignature, type TestSigstore } from '../support/sigstore.js'

const NOW = '2026-11-21T10:00:00Z'
const WORKFLOW = 'https://github.com/acme/web/.github/workflows/release.yml@refs/heads/main'
const EVIL = 'https://github.com/acme/web-evil/.github/workflows/release.yml@refs/heads/main'
const EXACT = `issuer=${GITHUB_ISSUER},subject=${WORKFLOW}`

let reg: TestRegistry
let root: string
let sigstore: TestSigstore
let client: InstrumentedRegistryClient
const digests: Record<string, string> = {}
const events: RequestEvent[] = []

function stream(identity: string, tagName: string): ImageStream {
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: {
      name: 'legacy',
      annotations: {
        'imagestream-action.dev/verify': 'require',
        'imagestream-action.dev/verify-identity': identity
      }
    },
    spec: {
      tags: [
        {
          name: 'app',
          annotations: null,
          from: { kind: 'DockerImage', name: `${reg.host}/acme/legacy:${tagName}` },
          importPolicy: { importMode: 'Legacy' },
          referencePolicy: { type: 'Source' }
        }
      ]
    }
  }
}

async function run(identity: string, tagName: string) {
  const verify = createImageVerifier({
    registry: client,
    root,
    trustedRoots: [{ name: 'test', json: sigstore.trustedRoot }]
  })
  const s = stream(identity, tagName)
  const result = await importStreams(
    [{ file: 'imagestreams/legacy.yaml', stream: s }],
    { kind: 'all' },
    {
      registry: client,
      now: NOW,
      metadata: false,
      verify
    }
  )
  const after = result.streams[0]!.after
  return {
    recorded: after.status?.tags?.find((t) => t.tag === 'app')?.items?.[0]?.image,
    change: result.changes.find((c) => c.tag === 'app'),
    failure: result.failures.find((f) => f.tag === 'app'),
    condition: after.status?.tags?.find((t) => t.tag === 'app')?.conditions?.[0]
  }
}

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  root = mkdtempSync(join(tmpdir(), 'verify-legacy-'))
  sigstore = await createTestSigstore('trusted')
  const foreign = await createTestSigstore('foreign')
  const who = { san: WORKFLOW, issuer: GITHUB_ISSUER }
  const signers = {
    right: { sigstore, who },
    evil: { sigstore, who: { ...who, san: EVIL } },
    gitlab: { sigstore, who: { ...who, issuer: 'https://gitlab.com' } },
    'foreign-ca': { sigstore: foreign, who }
  }
  for (const [name, signer] of Object.entries(signers)) {
    digests[name] = (await pushImage(reg, 'acme/legacy', name, { seed: `legacy-${name}` })).digest
    await pushLegacySignature(reg, 'acme/legacy', digests[name]!, signer)
  }
  client = createRegistryClient({ sleep: async () => {}, maxRetries: 1, onRequest: (e) => events.push(e) })
}, 60_000)

afterAll(async () => {
  await client?.close()
  await reg?.stop()
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('keyless legacy cosign signatures (sha256-<hex>.sig with certificate, chain and Rekor bundle)', () => {
  it('records the digest signed by the configured identity, and names that identity as its signer', async () => {
    const o = await run(EXACT, 'right')
    expect(o.failure).toBeUndefined()
    expect(o.recorded).toBe(digests.right)
    expect(o.change?.signedBy).toBe(`${WORKFLOW} (issuer ${GITHUB_ISSUER})`)
  })

  it('records it under a subject-regexp that matches the whole SAN', async () => {
    const o = await run(`issuer=${GITHUB_ISSUER},subject-regexp=https://github\\.com/acme/web/.+`, 'right')
    expect(o.recorded).toBe(digests.right)
  })

  it.each([
    ['another subject', 'IdentityMismatch', 'evil', EXACT, /acme\/web-evil.*which no verify-identity rule allows/],
    [
      'a lookalike under a regex that only a prefix match would accept',
      'IdentityMismatch',
      'evil',
      `issuer=${GITHUB_ISSUER},subject-regexp=https://github\\.com/acme/web`,
      /acme\/web-evil/
    ],
    ['another issuer', 'IdentityMismatch', 'gitlab', EXACT, /issuer https:\/\/gitlab\.com/],
    ['a certificate from a foreign CA', 'SignatureInvalid', 'foreign-ca', EXACT, /\.sig layer .*certificate chain/]
  ])('does not record %s: %s', async (_what, reason, tagName, identity, message) => {
    const o = await run(identity, tagName)
    expect(o.recorded).toBeUndefined()
    expect(o.change).toBeUndefined()
    expect(o.failure?.reason).toBe(reason)
    expect(o.failure?.message).toMatch(message)
    expect(o.condition).toMatchObject({ type: 'ImportSuccess', status: 'False', reason })
  })

  it('asked only the loopback registry', () => {
    expect(events.some((e) => /\.sig$/.test(new URL(e.url).pathname))).toBe(true)
    for (const e of events) expect(new URL(e.url).hostname).toBe('127.0.0.1')
  })
})
