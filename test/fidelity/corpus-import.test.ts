/**
 * A real import over the corpus of real ImageStream files (test/fixtures/real/SOURCES.md), against the real
 * distribution registry on loopback.
 *
 * The corpus names registry.redhat.io, registry.access.redhat.com, quay.io, icr.io and ghcr.io. Nothing leaves
 * loopback: those hosts are marked insecure (OpenShift's importPolicy.insecure, the client's insecureRegistries), and
 * HTTP(S)_PROXY points at a forward proxy on 127.0.0.1 that maps `http://HOST/v2/REPO/…` to the loopback registry's
 * `/v2/HOST/REPO/…`, where the test pushed one small image per tag the files reference. The proxy answers CONNECT with a
 * plain-HTTP tunnel, so the TLS handshake fails and the client falls back to http as docker does for an insecure
 * registry: the import then runs every request the real one would, through the same client and pipeline.
 *
 * opendatahub's files are left out: their images are kustomize `…_PLACEHOLDER` names, not references, until
 * kustomize replaces them. Stream files must be UTF-8 (kubectl refuses others), so only the BOM is tried here; a Latin-1 byte in a manifest is
 * test/fidelity/writes.test.ts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { glob } from 'tinyglobby'
import { runCommand, type CommandResult } from '../../src/pipeline/execute.js'
import { createRegistryClient } from '../../src/registry/client.js'
import { parseStreamDocuments } from '../../src/stream/state-documents.js'
import type { ImageStream } from '../../src/stream/types.js'
import { decodeText } from '../../src/yaml/bytes.js'
import { isJsonObjectText } from '../../src/yaml/json-style.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'

const CORPUS = fileURLToPath(new URL('../fixtures/real/', import.meta.url))
const REPOSITORIES = ['openshift-library', 'cluster-samples-operator', 'nerc-images', 'sclorg-nginx-container']
const GLOB = `{${REPOSITORIES.join(',')}}/**/*.{json,yaml,yml}`
const NOW = new Date('2026-11-30T02:00:00Z')

let reg: TestRegistry
let proxy: Server
let root: string
let before: Map<string, Buffer>
let streamsBefore: Map<string, ImageStream[]>
/** `host/path:tag` → the digest pushed for it. */
const pushed = new Map<string, string>()
let result: Pick<CommandResult, 'failures' | 'diagnostics' | 'written'>

/**
 * The forward proxy: a request for `HOST/v2/…` goes to the loopback registry's `/v2/HOST/…`. A CONNECT tunnel is
 * answered by the same HTTP server (undici tunnels http requests too), so a TLS handshake in it fails, as against a
 * registry that speaks plain http.
 */
function startProxy(target: TestRegistry): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'unknown'}`)
    const path = url.pathname === '/v2/' ? '/v2/' : url.pathname.replace(/^\/v2\//, `/v2/${url.hostname}/`)
    const headers = { ...req.headers, host: `127.0.0.1:${target.port}` }
    const up = request(
      { host: '127.0.0.1', port: target.port, method: req.method, path: `${path}${url.search}`, headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers)
        r.pipe(res)
      }
    )
    up.on('error', () => res.destroy())
    req.pipe(up)
  })
  server.on('connect', (_req, socket) => {
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    server.emit('connection', socket)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

function streamsOf(text: string, file: string): ImageStream[] {
  return parseStreamDocuments(text, file).streams.map((s) => s.stream!)
}

/** Every `host/path:tag` a DockerImage tag of the corpus imports from. */
function references(streams: Iterable<ImageStream[]>): string[] {
  const out = new Set<string>()
  for (const list of streams)
    for (const s of list)
      for (const t of s.spec.tags ?? []) if (t.from?.kind === 'DockerImage' && !t.reference) out.add(t.from.name)
  return [...out].sort()
}

/** `host/path[:tag]` → repository and tag (`latest` when none is written). */
function split(ref: string): { repository: string; tag: string } {
  const colon = ref.lastIndexOf(':')
  return colon > ref.lastIndexOf('/')
    ? { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) }
    : { repository: ref, tag: 'latest' }
}

async function pushAll(refs: string[]): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < refs.length) {
      const ref = refs[next++]!
      const { repository, tag } = split(ref)
      // Seeded by repository:tag: `repo` and `repo:latest` push the same image, not two racing ones.
      const image = await pushImage(reg, repository, tag, { seed: `${repository}:${tag}` })
      pushed.set(ref, image.digest)
    }
  }
  await Promise.all(Array.from({ length: 6 }, worker))
}

async function withProxyEnv<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const keys = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]))
  for (const k of keys) delete process.env[k]
  process.env.HTTP_PROXY = url
  process.env.HTTPS_PROXY = url
  try {
    return await fn()
  } finally {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
  }
}

/** Where a file was imported: each file is one repository of its own (see `result`). */
const rootOf = (file: string) => join(root, String([...before.keys()].indexOf(file)))

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  proxy = await startProxy(reg)
  root = mkdtempSync(join(tmpdir(), 'corpus-import-'))
  // kustomization.yaml files sit next to the streams in nerc-images: not ImageStreams, not imported.
  const ignore = ['**/kustomization.yaml']
  const files = (await glob(GLOB, { cwd: CORPUS, ignore })).sort()
  before = new Map(files.map((f) => [f, readFileSync(join(CORPUS, f))]))
  streamsBefore = new Map(files.map((f) => [f, streamsOf(decodeText(before.get(f)!), f)]))
  await pushAll(references(streamsBefore.values()))
  const hosts = [...new Set([...pushed.keys()].map((r) => r.split('/')[0]!))]
  const { port } = proxy.address() as AddressInfo
  // One import per file, as `oc apply -f FILE` into a namespace of its own: the repositories ship alternatives of one
  // stream (per architecture, per distribution), which one namespace never holds together.
  result = { failures: [], diagnostics: [], written: [] }
  await withProxyEnv(`http://127.0.0.1:${port}`, async () => {
    const client = createRegistryClient({ insecureRegistries: hosts, maxRetries: 0, sleep: async () => {} })
    try {
      for (const file of files) {
        mkdirSync(dirname(join(rootOf(file), file)), { recursive: true })
        writeFileSync(join(rootOf(file), file), before.get(file)!)
        const r = await runCommand(
          { verb: 'import', intent: { kind: 'all' } },
          { root: rootOf(file), streamsGlob: file, registry: client, now: NOW, write: true, metadata: false }
        )
        result.failures.push(...r.failures)
        result.diagnostics.push(...r.diagnostics)
        result.written.push(...r.written)
      }
    } finally {
      await client.close()
    }
  })
}, 600_000)

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve))
  await reg?.stop()
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('a real import over the real corpus (loopback registry behind a mapping proxy)', () => {
  it('imports every DockerImage tag of every file, with no failure', () => {
    expect(pushed.size).toBeGreaterThanOrEqual(300)
    expect(result.failures).toEqual([])
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(new Set(result.written)).toEqual(new Set(before.keys()))
  })

  it('records what ImportImage records: items[0] is the reference as written, made exact with the pushed digest', () => {
    let checked = 0
    for (const file of before.keys()) {
      for (const s of streamsOf(readFileSync(join(rootOf(file), file), 'utf8'), file)) {
        for (const t of s.spec.tags ?? []) {
          if (t.from?.kind !== 'DockerImage' || t.reference) continue
          const digest = pushed.get(t.from.name)!
          const item = s.status?.tags?.find((x) => x.tag === t.name)?.items?.[0]
          const { repository } = split(t.from.name)
          expect({ file, tag: t.name, item }).toMatchObject({
            file,
            tag: t.name,
            item: { dockerImageReference: `${repository}@${digest}`, image: digest }
          })
          checked++
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(pushed.size)
  })

  it('changes only metadata.generation, our own annotations and status; spec and the rest stay as they were', () => {
    for (const file of before.keys()) {
      const after = streamsOf(readFileSync(join(rootOf(file), file), 'utf8'), file)
      const was = streamsBefore.get(file)!
      expect(after.length).toBe(was.length)
      after.forEach((s, i) => {
        const strip = (x: ImageStream) => {
          const { status: _s, ...rest } = x
          // What an import writes besides status: the dockerRepositoryCheck annotation (ImportImage), each spec tag's
          // generation (the API server sets a missing one to the stream's), and our own annotations.
          const annotations = Object.fromEntries(
            Object.entries(rest.metadata.annotations ?? {}).filter(
              ([k]) => !k.startsWith('imagestream-action.dev/') && k !== 'openshift.io/image.dockerRepositoryCheck'
            )
          )
          // importPolicy.importMode defaults to Legacy (apisimage.DefaultImportMode), as a server read-back shows it;
          const tags = rest.spec.tags?.map((t) => {
            const { importMode, ...policy } = t.importPolicy ?? {}
            const importPolicy = importMode === 'Legacy' ? policy : (t.importPolicy ?? {})
            const { importPolicy: _p, ...tag } = t
            // referencePolicy.type defaults to Source (SetDefaults_TagReferencePolicy), likewise.
            const referencePolicy = { ...t.referencePolicy, type: t.referencePolicy?.type || 'Source' }
            return {
              ...tag,
              generation: undefined,
              referencePolicy,
              ...(Object.keys(importPolicy).length ? { importPolicy } : {})
            }
          })
          return {
            ...rest,
            metadata: { ...rest.metadata, generation: undefined, annotations },
            spec: { ...rest.spec, ...(tags ? { tags } : {}) }
          }
        }
        expect({ file, stream: strip(s) }).toEqual({ file, stream: strip(was[i]!) })
      })
    }
  })

  it('keeps JSON files JSON and every file parseable; YAML files keep their comments and key order', () => {
    for (const [file, bytes] of before) {
      const text = readFileSync(join(rootOf(file), file), 'utf8')
      if (isJsonObjectText(bytes.toString('utf8'))) expect(() => JSON.parse(text)).not.toThrow()
      expect(parseStreamDocuments(text, file).diagnostics).toEqual([])
      const comments = bytes
        .toString('utf8')
        .split('\n')
        .filter((l) => /^\s*#/.test(l))
      for (const c of comments) expect(text).toContain(c)
    }
  })

  it('a BOM in front of a real file changes nothing about the import: the BOM is kept, the rest is written as without it', async () => {
    const file = [...before.keys()].find((f) => f.startsWith('nerc-images/') && f.endsWith('.yaml'))!
    const plain = before.get(file)!
    const dir = mkdtempSync(join(tmpdir(), 'corpus-bom-'))
    try {
      const foreign = Buffer.concat([Buffer.from('\uFEFF'), plain])
      const plainRun = async (name: string, bytes: Buffer) => {
        const sub = mkdtempSync(join(dir, 'r-'))
        writeFileSync(join(sub, name), bytes)
        const { port } = proxy.address() as AddressInfo
        await withProxyEnv(`http://127.0.0.1:${port}`, async () => {
          const hosts = [...new Set([...pushed.keys()].map((r) => r.split('/')[0]!))]
          const client = createRegistryClient({ insecureRegistries: hosts, maxRetries: 0, sleep: async () => {} })
          try {
            const r = await runCommand(
              { verb: 'import', intent: { kind: 'all' } },
              { root: sub, streamsGlob: name, registry: client, now: NOW, write: true, metadata: false }
            )
            expect(r.failures).toEqual([])
            expect(r.diagnostics).toEqual([])
          } finally {
            await client.close()
          }
        })
        return readFileSync(join(sub, name))
      }
      const a = await plainRun('s.yaml', plain)
      const b = await plainRun('s.yaml', foreign)
      expect(b.equals(Buffer.concat([Buffer.from('\uFEFF'), a]))).toBe(true)
      expect(a.equals(readFileSync(join(rootOf(file), file)))).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
