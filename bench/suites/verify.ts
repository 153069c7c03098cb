/**
 * Benchmark 7: the signature gate (docs/verifying-images.md, src/verify/). N images (100; --quick 10) on the loopback
 * registry, each signed three ways by keys and a Sigstore the benchmark makes (test/support/sigstore.ts: CA with
 * embedded SCTs, transparency log with SET + inclusion proof, the same checks as the public-good root):
 *  - 7a-c CPU per verified digest: a keyed legacy `.sig`, a keyless cosign-v3 bundle found through the referrers
 *    fallback tag, and a GitHub attestation (bundle with GitHub's Fulcio extensions, served from memory as the
 *    attestations API would return it: the figure is the verifier's CPU, not GitHub's latency). A fresh verifier per
 *    run, so nothing is cached; process CPU (user + system) of this process only (the registry is another process).
 *  - 7d-g an import of one stream with N tags, `verify: off` against `verify: require` (keyed `.sig`): CPU, and the
 *    extra registry requests per new digest (the issue's bound: at most 4).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runPipeline } from '../../src/pipeline/run.js'
import { parseReference } from '../../src/reference/reference.js'
import { createRegistryClient } from '../../src/registry/index.js'
import { createImageVerifier, type DigestToVerify } from '../../src/verify/gate.js'
import type { GithubAttestationSource } from '../../src/verify/github.js'
import { policyFor } from '../../src/verify/policy.js'
import type { ImageStream } from '../../src/stream/types.js'
import { pushImage } from '../../test/support/push.js'
import { startRegistry, type TestRegistry } from '../../test/support/registry.js'
import {
  GITHUB_ISSUER,
  cosignKeyPair,
  createTestSigstore,
  pushBundleReferrer,
  pushLegacySignature
} from '../../test/support/sigstore.js'
import type { Figure } from '../lib/figures.js'

export interface VerifySuiteOptions {
  runs: number
  /** Signed images per kind, and tags in the import figures. */
  digests: number
  log: (line: string) => void
}

const WORKFLOW = 'https://github.com/acme/web/.github/workflows/release.yml@refs/heads/main'
const GITHUB_EXTENSIONS = {
  '1.3.6.1.4.1.57264.1.9': WORKFLOW,
  '1.3.6.1.4.1.57264.1.11': 'github-hosted',
  '1.3.6.1.4.1.57264.1.12': 'https://github.com/acme/web',
  '1.3.6.1.4.1.57264.1.14': 'refs/heads/main',
  '1.3.6.1.4.1.57264.1.16': 'https://github.com/acme'
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since)
  return (d.user + d.system) / 1000
}

/** The policy annotations of each kind, as a stream file carries them. */
const POLICIES: Record<string, Record<string, string>> = {
  keyed: { 'imagestream-action.dev/verify': 'require', 'imagestream-action.dev/verify-keys': 'keys/cosign.pub' },
  keyless: {
    'imagestream-action.dev/verify': 'require',
    'imagestream-action.dev/verify-identity': `issuer=${GITHUB_ISSUER},subject=${WORKFLOW}`
  },
  github: { 'imagestream-action.dev/verify': 'require', 'imagestream-action.dev/verify-github': 'repo=acme/web' }
}

interface World {
  reg: TestRegistry
  root: string
  trustedRoot: Record<string, unknown>
  digests: Record<string, string[]>
  attestations: Map<string, unknown>
}

async function signedWorld(n: number, log: (line: string) => void): Promise<World> {
  const t0 = Date.now()
  const reg = await startRegistry({ auth: 'open' })
  const root = mkdtempSync(join(tmpdir(), 'imagestream-bench-verify-'))
  const key = cosignKeyPair()
  mkdirSync(join(root, 'keys'))
  writeFileSync(join(root, 'keys/cosign.pub'), key.pem)
  const sigstore = await createTestSigstore('bench')
  const who = { san: WORKFLOW, issuer: GITHUB_ISSUER, extensions: GITHUB_EXTENSIONS }
  const digests: Record<string, string[]> = { keyed: [], keyless: [], github: [] }
  const attestations = new Map<string, unknown>()
  for (let i = 0; i < n; i++) {
    const keyed = (await pushImage(reg, 'bench/keyed', `t${i}`, { seed: `keyed-${i}` })).digest
    await pushLegacySignature(reg, 'bench/keyed', keyed, key.privateKey)
    const keyless = (await pushImage(reg, 'bench/keyless', `t${i}`, { seed: `keyless-${i}` })).digest
    await pushBundleReferrer(reg, 'bench/keyless', keyless, await sigstore.signStatement([keyless], who))
    const github = (await pushImage(reg, 'bench/github', `t${i}`, { seed: `github-${i}` })).digest
    attestations.set(github, await sigstore.signStatement([github], who, 'https://slsa.dev/provenance/v1'))
    digests.keyed!.push(keyed)
    digests.keyless!.push(keyless)
    digests.github!.push(github)
  }
  log(`  signed ${n} images three ways in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  return { reg, root, trustedRoot: sigstore.trustedRoot, digests, attestations }
}

function policyOf(kind: string) {
  const stream = { metadata: { name: kind, annotations: POLICIES[kind] }, spec: { tags: [] } } as unknown as ImageStream
  return policyFor(stream, 'app')
}

/** CPU per digest of verifying every digest of one kind with a fresh verifier (nothing cached between runs). */
async function cpuPerDigest(w: World, kind: string, runs: number): Promise<number[]> {
  const github: GithubAttestationSource = {
    bundles: async (_policy, digest) => (w.attestations.has(digest) ? [w.attestations.get(digest)] : [])
  }
  const policy = policyOf(kind)
  const repository = parseReference(`${w.reg.host}/bench/${kind}`)
  const samples: number[] = []
  for (let run = 0; run <= runs; run++) {
    const client = createRegistryClient({})
    const verifier = createImageVerifier({
      registry: client,
      root: w.root,
      trustedRoots: [{ name: 'bench', json: w.trustedRoot }],
      github
    })
    try {
      const start = process.cpuUsage()
      for (const digest of w.digests[kind]!) {
        const check = await verifier.verify({ policy, repository, digest } as DigestToVerify)
        if (!check.ok) throw new Error(`${kind} ${digest} did not verify: ${check.message}; the benchmark is void`)
      }
      // Run 0 warms the JIT and the key/root caches of the process; it is not a sample.
      if (run > 0) samples.push(cpuMs(start) / w.digests[kind]!.length)
    } finally {
      await client.close()
    }
  }
  return samples
}

const streamText = (host: string, n: number, annotations: Record<string, string>): string =>
  [
    'apiVersion: image.openshift.io/v1',
    'kind: ImageStream',
    'metadata:',
    '  name: keyed',
    ...(Object.keys(annotations).length
      ? ['  annotations:', ...Object.entries(annotations).map(([k, v]) => `    ${k}: ${v}`)]
      : []),
    'spec:',
    '  tags:',
    ...Array.from({ length: n }, (_, i) => [
      `  - name: t${i}`,
      '    from:',
      '      kind: DockerImage',
      `      name: ${host}/bench/keyed:t${i}`
    ]).flat(),
    ''
  ].join('\n')

/** One import of N tags (a fresh stream file each time): CPU, and registry requests. */
async function importOnce(w: World, n: number, mode: 'off' | 'require'): Promise<{ cpu: number; requests: number }> {
  const dir = join(w.root, 'imagestreams')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'keyed.yaml'), streamText(w.reg.host, n, mode === 'off' ? {} : POLICIES.keyed!))
  let requests = 0
  const client = createRegistryClient({ onRequest: () => void requests++ })
  const start = process.cpuUsage()
  try {
    const result = await runPipeline({
      root: w.root,
      streamsGlob: 'imagestreams/*.yaml',
      intent: { kind: 'all' },
      triggers: false,
      registry: client,
      clock: { now: () => new Date() },
      write: false,
      metadata: false,
      verify: { trustedRoots: [{ name: 'bench', json: w.trustedRoot }] }
    })
    if (result.failures.length) throw new Error(`import failed: ${result.failures[0]!.message}; the benchmark is void`)
  } finally {
    await client.close()
  }
  return { cpu: cpuMs(start), requests }
}

export async function verifySuite(o: VerifySuiteOptions): Promise<Figure[]> {
  const w = await signedWorld(o.digests, o.log)
  try {
    const perDigest: Record<string, number[]> = {}
    for (const kind of ['keyed', 'keyless', 'github']) {
      perDigest[kind] = await cpuPerDigest(w, kind, o.runs)
      o.log(`  ${kind}: ${perDigest[kind]!.map((s) => s.toFixed(2)).join(', ')} ms CPU per digest`)
    }
    const off: Array<{ cpu: number; requests: number }> = []
    const on: Array<{ cpu: number; requests: number }> = []
    await importOnce(w, o.digests, 'require') // warm-up, not a sample
    for (let run = 0; run < o.runs; run++) {
      off.push(await importOnce(w, o.digests, 'off'))
      on.push(await importOnce(w, o.digests, 'require'))
      o.log(
        `  run ${run + 1}: import off ${off[run]!.cpu.toFixed(0)} ms CPU, require ${on[run]!.cpu.toFixed(0)} ms CPU`
      )
    }
    const n = o.digests
    return [
      ...(
        [
          ['keyed', '7a verifier CPU per digest: keyed legacy .sig', 'ECDSA P-256 over the simple-signing payload'],
          ['keyless', '7b   keyless cosign v3 bundle (referrers tag)', 'chain + SCT + SET + inclusion proof'],
          ['github', '7c   GitHub attestation (API, served from memory)', 'as 7b, plus the Fulcio extensions']
        ] as const
      ).map(([kind, label, note]) => ({
        id: `verify.cpu.${kind}`,
        label,
        unit: 'ms/unit' as const,
        samples: perDigest[kind]!,
        note: `${note}; ${n} digests, signature lookup included`
      })),
      {
        id: 'verify.import.off',
        label: `7d import of ${n} tags, verify: off: CPU`,
        unit: 'ms',
        samples: off.map((r) => r.cpu)
      },
      {
        id: 'verify.import.require',
        label: `7e import of ${n} tags, verify: require (keyed .sig): CPU`,
        unit: 'ms',
        samples: on.map((r) => r.cpu),
        note: 'in-process runPipeline, no latency, dry run (nothing written)'
      },
      {
        id: 'verify.import.cpu-per-tag',
        label: '7f   require − off, per new digest: CPU',
        unit: 'ms/unit',
        samples: on.map((r, i) => (r.cpu - off[i]!.cpu) / n)
      },
      {
        id: 'verify.import.requests',
        label: '7g   extra registry requests per new digest',
        unit: 'count',
        samples: on.map((r, i) => (r.requests - off[i]!.requests) / n),
        target: { op: '<=', value: 4, text: '≤ 4', everyRun: true }
      }
    ]
  } finally {
    await w.reg.stop()
    rmSync(w.root, { recursive: true, force: true })
  }
}
