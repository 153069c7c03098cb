/**
 * "No network request leaves loopback during verification", watched at the socket level: every outgoing TCP
 * connection this process opens (node:net's `net.client.socket` diagnostics channel, which the registry client's
 * undici, global fetch and node:http all go through) while one import verifies all four formats — a keyed `.sig`, a
 * keyless `.sig`, a keyless bundle via the referrers fallback tag, and a GitHub attestation behind `bundle_url` from
 * the GitHub API fake — must connect to 127.0.0.1. A socket that never connects anywhere also counts as a failure,
 * so a blocked attempt to reach the internet (trust material, a transparency log) would show here.
 */
import dc from 'node:diagnostics_channel'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { importStreams } from '../../src/importer/import-streams.js'
import { createRegistryClient } from '../../src/registry/client.js'
import type { ImageStream, TagReference } from '../../src/stream/types.js'
import { createImageVerifier } from '../../src/verify/gate.js'
import { githubAttestationsApi } from '../../src/verify/github.js'
import { FakeGitHub } from '../support/github-fake.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import {
  GITHUB_ISSUER,
  cosignKeyPair,
  createTestSigstore,
  pushBundleReferrer,
  pushLegacySignature,
  type TestSigstore
} from '../support/sigstore.js'

const WORKFLOW = 'https://github.com/acme/web/.github/workflows/release.yml@refs/heads/main'
const IDENTITY = `issuer=${GITHUB_ISSUER},subject=${WORKFLOW}`
const TOKEN = 'ghs_offlinetesttoken'

let reg: TestRegistry
let gh: FakeGitHub
let sigstore: TestSigstore
let root: string
const digests: Record<string, string> = {}

const tag = (name: string, annotations: Record<string, string>): TagReference => ({
  name,
  annotations: { 'imagestream-action.dev/verify': 'require', ...annotations },
  from: { kind: 'DockerImage', name: `${reg.host}/acme/web:${name}` },
  importPolicy: { importMode: 'Legacy' },
  referencePolicy: { type: 'Source' }
})

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  gh = await FakeGitHub.start({ token: TOKEN })
  gh.createRepo('acme', 'web', { 'README.md': 'web\n' })
  sigstore = await createTestSigstore('offline')
  root = mkdtempSync(join(tmpdir(), 'verify-offline-'))
  const key = cosignKeyPair()
  mkdirSync(join(root, 'keys'))
  writeFileSync(join(root, 'keys/cosign.pub'), key.pem)
  const who = {
    san: WORKFLOW,
    issuer: GITHUB_ISSUER,
    extensions: { '1.3.6.1.4.1.57264.1.12': 'https://github.com/acme/web' }
  }
  for (const t of ['keyed', 'keyless-sig', 'bundle', 'attested']) {
    digests[t] = (await pushImage(reg, 'acme/web', t, { seed: `offline-${t}` })).digest
  }
  await pushLegacySignature(reg, 'acme/web', digests.keyed!, key.privateKey)
  await pushLegacySignature(reg, 'acme/web', digests['keyless-sig']!, { sigstore, who })
  await pushBundleReferrer(reg, 'acme/web', digests.bundle!, await sigstore.signStatement([digests.bundle!], who))
  const attestation = await sigstore.signStatement([digests.attested!], who, 'https://slsa.dev/provenance/v1')
  gh.addAttestation('acme', 'web', digests.attested!, attestation, { viaUrl: true })
}, 60_000)

afterAll(async () => {
  await gh?.close()
  await reg?.stop()
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('verification stays on loopback', () => {
  it('verifies all four formats with every outgoing connection to 127.0.0.1', async () => {
    const sockets: Array<{ socket: Socket; remote?: string }> = []
    const watch = (message: unknown): void => {
      const entry: { socket: Socket; remote?: string } = { socket: (message as { socket: Socket }).socket }
      entry.socket.once('connect', () => (entry.remote = entry.socket.remoteAddress))
      sockets.push(entry)
    }
    dc.subscribe('net.client.socket', watch)
    const client = createRegistryClient({ sleep: async () => {}, maxRetries: 1 })
    try {
      const stream: ImageStream = {
        apiVersion: 'image.openshift.io/v1',
        kind: 'ImageStream',
        metadata: { name: 'web' },
        spec: {
          tags: [
            tag('keyed', { 'imagestream-action.dev/verify-keys': 'keys/cosign.pub' }),
            tag('keyless-sig', { 'imagestream-action.dev/verify-identity': IDENTITY }),
            tag('bundle', { 'imagestream-action.dev/verify-identity': IDENTITY }),
            tag('attested', { 'imagestream-action.dev/verify-github': 'repo=acme/web' })
          ]
        }
      }
      const verify = createImageVerifier({
        registry: client,
        root,
        trustedRoots: [{ name: 'test', json: sigstore.trustedRoot }],
        github: githubAttestationsApi({ apiUrl: gh.url, token: TOKEN })
      })
      const result = await importStreams(
        [{ file: 'web.yaml', stream }],
        { kind: 'all' },
        {
          registry: client,
          now: '2026-11-21T10:00:00Z',
          metadata: false,
          verify
        }
      )
      expect(result.failures).toEqual([])
      const recorded = Object.fromEntries(
        (result.streams[0]!.after.status?.tags ?? []).map((t) => [t.tag, t.items?.[0]?.image])
      )
      expect(recorded).toEqual(digests)
      expect(gh.bundleUrlRequests).toHaveLength(1)
    } finally {
      await client.close()
      dc.unsubscribe('net.client.socket', watch)
    }
    expect(sockets.length).toBeGreaterThan(1)
    expect(sockets.map((s) => s.remote)).toEqual(sockets.map(() => '127.0.0.1'))
  })
})
