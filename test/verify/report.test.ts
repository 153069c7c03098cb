/**
 * What a reviewer sees of the gate: in the pull request body a verified digest's signer, a digest recorded under
 * `warn` flagged with the check it failed, and a digest refused under `require` listed as not imported with its
 * reason; in the job summary and the action's `failed` output, that reason — from a real import on the loopback
 * registry, rendered by the report writers.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { importStreams } from '../../src/importer/import-streams.js'
import { createRegistryClient, type InstrumentedRegistryClient } from '../../src/registry/client.js'
import { actionOutputs, renderJobSummary, renderPullRequestBody } from '../../src/report/index.js'
import type { ImageStream } from '../../src/stream/types.js'
import { createImageVerifier } from '../../src/verify/gate.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import { cosignKeyPair, pushLegacySignature } from '../support/sigstore.js'

let reg: TestRegistry
let root: string
let client: InstrumentedRegistryClient
const digests: Record<string, string> = {}

function stream(name: string, mode: string, tagName: string): ImageStream {
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: {
      name,
      annotations: {
        'imagestream-action.dev/verify': mode,
        'imagestream-action.dev/verify-keys': 'keys/cosign.pub'
      }
    },
    spec: {
      tags: [
        {
          name: 'app',
          annotations: null,
          from: { kind: 'DockerImage', name: `${reg.host}/acme/body:${tagName}` },
          importPolicy: { importMode: 'Legacy' },
          referencePolicy: { type: 'Source' }
        }
      ]
    }
  }
}

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  root = mkdtempSync(join(tmpdir(), 'verify-body-'))
  const key = cosignKeyPair()
  mkdirSync(join(root, 'keys'))
  writeFileSync(join(root, 'keys/cosign.pub'), key.pem)
  for (const t of ['signed', 'unsigned']) digests[t] = (await pushImage(reg, 'acme/body', t, { seed: t })).digest
  await pushLegacySignature(reg, 'acme/body', digests.signed!, key.privateKey)
  client = createRegistryClient({ sleep: async () => {}, maxRetries: 1 })
}, 60_000)

afterAll(async () => {
  await client?.close()
  await reg?.stop()
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('the pull request body, the job summary and the failed output', () => {
  it('names the signer, flags a warn-mode digest, and lists a refused one with its reason', async () => {
    const streams = [
      stream('verified', 'require', 'signed'),
      stream('warned', 'warn', 'unsigned'),
      stream('refused', 'require', 'unsigned')
    ]
    const verify = createImageVerifier({ registry: client, root })
    const result = await importStreams(
      streams.map((s) => ({ file: `imagestreams/${s.metadata.name}.yaml`, stream: s })),
      { kind: 'all' },
      { registry: client, now: '2026-11-21T10:00:00Z', metadata: false, verify }
    )
    expect(result.changes.map((c) => c.stream).sort()).toEqual(['verified', 'warned'])
    const body = renderPullRequestBody({ changes: result.changes, failures: result.failures, held: [] })

    const section = (name: string) => body.slice(body.indexOf(`### \`${name}:app\``)).split('\n### ')[0]!
    expect(section('verified')).toMatch(/Signed by `key keys\/cosign\.pub \(sha256:[0-9a-f]{16}\)` \(verified before/)
    expect(section('warned')).toContain('> [!WARNING]\n> Recorded unverified:')
    expect(section('warned')).toContain('SignatureMissing')
    expect(section('warned')).not.toContain('Signed by')

    const notImported = body.slice(body.indexOf('### Not imported'))
    expect(notImported).toMatch(/`refused:app` \| SignatureMissing \|/)
    expect(notImported).toContain(digests.unsigned)

    const summary = renderJobSummary({ changes: result.changes, failures: result.failures, held: [] })
    expect(summary).toMatch(/refused:app.*SignatureMissing/)
    const outputs = actionOutputs({ mode: 'none', ...result, fileOf: () => undefined })
    expect(JSON.parse(outputs.failed!)).toEqual([
      expect.objectContaining({ stream: 'refused', tag: 'app', reason: 'SignatureMissing' })
    ])
  })
})
