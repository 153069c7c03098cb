/**
 * The signature gate against the loopback registry, with keys and a Sigstore (CA + CT log + transparency log) made
 * by the test itself: what `require` records and rejects (and why), what `warn` flags, what it costs, and that no
 * request leaves loopback.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { importStreams, type StreamInput } from '../../src/importer/import-streams.js'
import { createRegistryClient, type InstrumentedRegistryClient } from '../../src/registry/client.js'
import type { RequestEvent } from '../../src/registry/transport.js'
import type { ImageStream, TagReference } from '../../src/stream/types.js'
import { createImageVerifier } from '../../src/verify/gate.js'
import { SIGNED_BY_ANNOTATION } from '../../src/verify/import-gate.js'
import { readFileSync } from 'node:fs'
import { runPipeline } from '../../src/pipeline/run.js'
import { parse as parseYaml } from 'yaml'
import { pushImage, pushIndex, startRegistry, type TestRegistry } from '../support/registry.js'
import {
  GITHUB_ISSUER,
  cosignKeyPair,
  createTestSigstore,
  pushBundleReferrer,
  pushLegacySignature,
  type TestSigstore
} from '../support/sigstore.js'

const NOW = '2026-11-21T10:00:00Z'
const WORKFLOW = 'https://github.com/acme/web/.github/workflows/release.yml@refs/heads/main'
const EVIL = 'https://github.com/acme/web-evil/.github/workflows/release.yml@refs/heads/main'

let reg: TestRegistry
let root: string
let sigstore: TestSigstore
let foreign: TestSigstore
const digests: Record<string, string> = {}
const events: RequestEvent[] = []
let client: InstrumentedRegistryClient
let trustedKey: ReturnType<typeof cosignKeyPair>
let multi: { index: string; amd64: string }

function tag(name: string, from: string, annotations: Record<string, string> | null = null): TagReference {
  return {
    name,
    annotations,
    from: { kind: 'DockerImage', name: from },
    generation: 1,
    importPolicy: { importMode: 'Legacy', scheduled: true },
    referencePolicy: { type: 'Source' }
  }
}

function stream(name: string, annotations: Record<string, string>, tags: TagReference[]): ImageStream {
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: { name, generation: 1, annotations },
    spec: { lookupPolicy: { local: false }, tags },
    status: { dockerImageRepository: '' }
  }
}

const keyed = (mode = 'require') => ({
  'imagestream-action.dev/verify': mode,
  'imagestream-action.dev/verify-keys': 'keys/cosign.pub'
})
const keyless = (identity: string, mode = 'require') => ({
  'imagestream-action.dev/verify': mode,
  'imagestream-action.dev/verify-identity': identity
})

async function run(streams: ImageStream[]) {
  const inputs: StreamInput[] = streams.map((s) => ({ file: `imagestreams/${s.metadata.name}.yaml`, stream: s }))
  const verify = createImageVerifier({
    registry: client,
    root,
    trustedRoots: [{ name: 'test', json: sigstore.trustedRoot }]
  })
  return importStreams(inputs, { kind: 'all' }, { registry: client, now: NOW, metadata: false, verify })
}

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  root = mkdtempSync(join(tmpdir(), 'verify-gate-'))
  mkdirSync(join(root, 'keys'))
  const trusted = cosignKeyPair()
  trustedKey = trusted
  const other = cosignKeyPair()
  writeFileSync(join(root, 'keys/cosign.pub'), trusted.pem)
  sigstore = await createTestSigstore('trusted')
  foreign = await createTestSigstore('foreign')

  for (const t of ['signed', 'other-key', 'unsigned', 'wrong-payload']) {
    digests[t] = (await pushImage(reg, 'acme/keyed', t, { seed: t })).digest
  }
  await pushLegacySignature(reg, 'acme/keyed', digests.signed!, trusted.privateKey)
  await pushLegacySignature(reg, 'acme/keyed', digests['other-key']!, other.privateKey)
  await pushLegacySignature(reg, 'acme/keyed', digests['wrong-payload']!, trusted.privateKey, {
    signedDigest: digests.signed
  })

  const who = { san: WORKFLOW, issuer: GITHUB_ISSUER }
  for (const t of ['right', 'evil', 'gitlab', 'foreign-ca']) {
    digests[t] = (await pushImage(reg, 'acme/keyless', t, { seed: t })).digest
  }
  await pushBundleReferrer(reg, 'acme/keyless', digests.right!, await sigstore.signStatement([digests.right!], who))
  await pushBundleReferrer(
    reg,
    'acme/keyless',
    digests.evil!,
    await sigstore.signStatement([digests.evil!], { ...who, san: EVIL })
  )
  await pushBundleReferrer(
    reg,
    'acme/keyless',
    digests.gitlab!,
    await sigstore.signStatement([digests.gitlab!], { ...who, issuer: 'https://gitlab.com' })
  )
  await pushBundleReferrer(
    reg,
    'acme/keyless',
    digests['foreign-ca']!,
    await foreign.signStatement([digests['foreign-ca']!], who)
  )
  const idx = await pushIndex(reg, 'acme/multi', 'v1', [
    { os: 'linux', architecture: 'arm64', variant: 'v8' },
    { os: 'linux', architecture: 'amd64' }
  ])
  multi = { index: idx.digest, amd64: idx.children.find((c) => c.platform.architecture === 'amd64')!.digest }
  await pushBundleReferrer(reg, 'acme/multi', multi.index, await sigstore.signStatement([multi.index], who))
  client = createRegistryClient({ sleep: async () => {}, maxRetries: 1, onRequest: (e) => events.push(e) })
}, 60_000)

afterAll(async () => {
  await client?.close()
  await reg?.stop()
  if (root) rmSync(root, { recursive: true, force: true })
})

function outcome(result: Awaited<ReturnType<typeof run>>, tagName: string) {
  const after = result.streams[0]!.after
  return {
    recorded: after.status?.tags?.find((t) => t.tag === tagName)?.items?.[0]?.image,
    failure: result.failures.find((f) => f.tag === tagName),
    change: result.changes.find((c) => c.tag === tagName),
    condition: after.status?.tags?.find((t) => t.tag === tagName)?.conditions?.[0]
  }
}

describe('keyed legacy cosign signatures (sha256-<hex>.sig)', () => {
  it('records a digest signed with the configured key, and names the key as its signer', async () => {
    const result = await run([stream('keyed', keyed(), [tag('app', `${reg.host}/acme/keyed:signed`)])])
    const o = outcome(result, 'app')
    expect(o.recorded).toBe(digests.signed)
    expect(o.change?.signedBy).toMatch(/^key keys\/cosign\.pub \(sha256:[0-9a-f]{16}\)$/)
    const signedBy = JSON.parse(result.streams[0]!.after.metadata.annotations![SIGNED_BY_ANNOTATION]!)
    expect(signedBy[digests.signed!].signer).toBe(o.change?.signedBy)
  })

  it.each([
    ['other-key', 'IdentityMismatch', /does not verify with keys\/cosign\.pub/],
    ['unsigned', 'SignatureMissing', /no signature or attestation found/],
    ['wrong-payload', 'DigestMismatch', /signs sha256:[0-9a-f]{64}, not/]
  ])('does not record %s: reason %s, and the tag keeps its condition', async (name, reason, message) => {
    const result = await run([stream('keyed', keyed(), [tag('app', `${reg.host}/acme/keyed:${name}`)])])
    const o = outcome(result, 'app')
    expect(o.recorded).toBeUndefined()
    expect(o.change).toBeUndefined()
    expect(o.failure?.reason).toBe(reason)
    expect(o.failure?.message).toMatch(message)
    expect(o.condition).toMatchObject({ type: 'ImportSuccess', status: 'False', reason })
  })
})

describe('keyless Sigstore bundles as OCI referrers (fallback tag sha256-<hex>)', () => {
  const exact = `issuer=${GITHUB_ISSUER},subject=${WORKFLOW}`

  it('records the digest signed by the configured identity', async () => {
    const result = await run([stream('kl', keyless(exact), [tag('app', `${reg.host}/acme/keyless:right`)])])
    const o = outcome(result, 'app')
    expect(o.failure).toBeUndefined()
    expect(o.recorded).toBe(digests.right)
    expect(o.change?.signedBy).toBe(`${WORKFLOW} (issuer ${GITHUB_ISSUER})`)
  })

  it.each([
    ['evil', exact, 'IdentityMismatch'],
    ['evil', `issuer=${GITHUB_ISSUER},subject-regexp=https://github\\.com/acme/web`, 'IdentityMismatch'],
    ['gitlab', exact, 'IdentityMismatch'],
    ['foreign-ca', exact, 'SignatureInvalid']
  ])('rejects %s under %s (%s)', async (name, identity, reason) => {
    const result = await run([stream('kl', keyless(identity), [tag('app', `${reg.host}/acme/keyless:${name}`)])])
    const o = outcome(result, 'app')
    expect(o.recorded).toBeUndefined()
    expect(o.failure?.reason).toBe(reason)
  })

  it('matches subject-regexp against the whole SAN: acme/web-evil is not acme/web', async () => {
    const identity = `issuer=${GITHUB_ISSUER},subject-regexp=https://github\\.com/acme/web/.+`
    const good = await run([stream('kl', keyless(identity), [tag('app', `${reg.host}/acme/keyless:right`)])])
    expect(outcome(good, 'app').recorded).toBe(digests.right)
    const evil = await run([stream('kl', keyless(identity), [tag('app', `${reg.host}/acme/keyless:evil`)])])
    expect(outcome(evil, 'app').failure?.reason).toBe('IdentityMismatch')
  })
})

describe('multi-arch (Legacy import mode)', () => {
  it('pins the platform child of an index whose own digest is signed', async () => {
    const identity = `issuer=${GITHUB_ISSUER},subject=${WORKFLOW}`
    const result = await run([stream('m', keyless(identity), [tag('app', `${reg.host}/acme/multi:v1`)])])
    const o = outcome(result, 'app')
    expect(o.failure).toBeUndefined()
    expect(o.recorded).toBe(multi.amd64)
    expect(o.change?.signedBy).toContain(WORKFLOW)
  })
})

describe('through the pipeline (stream file and manifest on disk)', () => {
  it('under require, a rejected digest changes no byte of the manifest, and the stream only by its condition', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'verify-pipe-'))
    mkdirSync(join(repo, 'imagestreams'))
    mkdirSync(join(repo, 'k8s'))
    mkdirSync(join(repo, 'keys'))
    writeFileSync(join(repo, 'keys/cosign.pub'), trustedKey.pem)
    writeFileSync(
      join(repo, 'imagestreams/web.yaml'),
      [
        'apiVersion: image.openshift.io/v1',
        'kind: ImageStream',
        'metadata:',
        '  name: web',
        '  annotations:',
        '    imagestream-action.dev/verify: require',
        '    imagestream-action.dev/verify-keys: keys/cosign.pub',
        'spec:',
        '  tags:',
        '  - name: latest',
        '    from:',
        '      kind: DockerImage',
        `      name: ${reg.host}/acme/pipe:latest`,
        ''
      ].join('\n')
    )
    writeFileSync(
      join(repo, 'k8s/web.yaml'),
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: web',
        '  annotations:',
        `    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"web:latest"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"web\\")].image"}]'`,
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '      - name: web',
        `        image: ${reg.host}/acme/pipe:latest`,
        ''
      ].join('\n')
    )
    const sync = () =>
      runPipeline({
        root: repo,
        streamsGlob: 'imagestreams/*.yaml',
        intent: { kind: 'all' },
        triggers: true,
        registry: client,
        clock: { now: () => new Date(NOW) },
        write: true,
        metadata: false,
        verify: { trustedRoots: [{ name: 'test', json: sigstore.trustedRoot }] }
      })
    try {
      const good = await pushImage(reg, 'acme/pipe', 'latest', { seed: 'pipe-good' })
      await pushLegacySignature(reg, 'acme/pipe', good.digest, trustedKey.privateKey)
      const first = await sync()
      expect(first.failures).toEqual([])
      const manifest = readFileSync(join(repo, 'k8s/web.yaml'), 'utf8')
      expect(manifest).toContain(good.digest)
      expect(readFileSync(join(repo, 'imagestreams/web.yaml'), 'utf8')).toContain('imagestream-action.dev/signed-by')

      const streamBefore = readFileSync(join(repo, 'imagestreams/web.yaml'), 'utf8')
      const rejected = await pushImage(reg, 'acme/pipe', 'latest', { seed: 'pipe-unsigned' })
      const second = await sync()
      expect(second.failures.map((f) => f.reason)).toEqual(['SignatureMissing'])
      expect(readFileSync(join(repo, 'k8s/web.yaml'), 'utf8')).toBe(manifest)
      // What OpenShift writes for a failed import (ImportSuccess=False and the generations it bumps) and nothing else.
      const streamAfter = parseYaml(readFileSync(join(repo, 'imagestreams/web.yaml'), 'utf8'))
      const condition = streamAfter.status.tags[0].conditions
      expect(condition).toMatchObject([{ type: 'ImportSuccess', status: 'False', reason: 'SignatureMissing' }])
      expect(condition[0].message).toContain(rejected.digest)
      delete streamAfter.status.tags[0].conditions
      const before = parseYaml(streamBefore)
      for (const s of [before, streamAfter]) {
        delete s.metadata.generation
        delete s.spec.tags[0].generation
      }
      expect(streamAfter).toEqual(before)
      const items = second.streams[0]!.stream.status!.tags![0]!.items!
      expect(items.map((i) => i.image)).toEqual([good.digest])
    } finally {
      rmSync(repo, { recursive: true, force: true })
    }
  })
})

describe('the gate', () => {
  it('under require changes no history item and moves no pin; under warn records and flags', async () => {
    const base = stream('w', keyed(), [tag('app', `${reg.host}/acme/keyed:unsigned`)])
    base.status = {
      dockerImageRepository: '',
      tags: [
        {
          tag: 'app',
          items: [
            {
              created: '2026-01-01T00:00:00Z',
              dockerImageReference: `${reg.host}/acme/keyed@${digests.signed}`,
              image: digests.signed!,
              generation: 1
            }
          ]
        }
      ]
    }
    const required = await run([base])
    expect(required.streams[0]!.after.status?.tags?.[0]?.items).toEqual(base.status.tags![0]!.items)
    // OpenShift's failed-import bookkeeping only: the tag's generation and its ImportSuccess=False condition.
    expect(required.streams[0]!.after.spec.tags![0]!.from).toEqual(base.spec.tags![0]!.from)
    expect(outcome(required, 'app').condition).toMatchObject({ reason: 'SignatureMissing' })
    expect(required.changes).toEqual([])

    const warned = await run([{ ...base, metadata: { ...base.metadata, annotations: keyed('warn') } }])
    const o = outcome(warned, 'app')
    expect(o.recorded).toBe(digests.unsigned)
    expect(o.change?.verifyWarning).toMatch(/SignatureMissing/)
  })

  it('verifies a digest once per run, never again once its signer is recorded, within 4 requests', async () => {
    const from = `${reg.host}/acme/keyed:signed`
    events.length = 0
    const first = await run([
      stream('a', keyed(), [tag('x', from), tag('y', from)]),
      stream('b', keyed(), [tag('z', from)])
    ])
    expect(first.failures).toEqual([])
    const artifacts = events.filter((e) => /\.sig|\/blobs\/|referrers|sha256-/.test(e.url))
    expect(artifacts.length).toBeGreaterThan(0)
    expect(artifacts.length).toBeLessThanOrEqual(4)

    // The recorded stream, with a new tag importing the same digest: trusted from the annotation, no request.
    const after = first.streams[0]!.after
    after.spec.tags!.push(tag('w', from))
    events.length = 0
    const second = await run([after])
    expect(outcome(second, 'w').recorded).toBe(digests.signed)
    expect(events.filter((e) => /\.sig|\/blobs\/|referrers|sha256-/.test(e.url))).toEqual([])
  })

  it('sends every request to the loopback registry', () => {
    expect(events.length).toBeGreaterThan(0)
    for (const e of events) expect(new URL(e.url).hostname).toBe('127.0.0.1')
  })

  it('repository import skips signature artifact tags (sha256-*.sig, the referrers fallback tag)', async () => {
    const s = stream('repo', {}, [])
    s.spec.dockerImageRepository = `${reg.host}/acme/keyed`
    const result = await run([s])
    const tags = (result.streams[0]!.after.status?.tags ?? []).map((t) => t.tag).sort()
    expect(tags).toEqual(['other-key', 'signed', 'unsigned', 'wrong-payload'])
  })

  it('reports a malformed policy at its annotation and records nothing', async () => {
    const s = stream('bad', { 'imagestream-action.dev/verify': 'always' }, [
      tag('app', `${reg.host}/acme/keyed:signed`)
    ])
    const o = outcome(await run([s]), 'app')
    expect(o.recorded).toBeUndefined()
    expect(o.failure?.message).toMatch(
      /metadata\.annotations\["imagestream-action\.dev\/verify"\]: "always" is not a verification mode/
    )
  })
})
