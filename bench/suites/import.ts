/**
 * Benchmarks 1, 2 and the import half of 5: `import --all` of N tags through a latency proxy, measured in process
 * with runPipeline (the code path the CLI verb and the action share) plus the CLI once; a skopeo loop over the same
 * proxy for comparison; a no-op scheduled run; a token-auth variant; and growth over sizes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { runPipeline, type RunResult } from '../../src/pipeline/run.js'
import type { ImportIntent } from '../../src/importer/intent.js'
import {
  createRegistryClient,
  type InstrumentedRegistryClient,
  type RegistryClientOptions
} from '../../src/registry/index.js'
import type { Clock } from '../../src/util/clock.js'
import { startRegistry, type TestRegistry } from '../../test/support/registry.js'
import { runChild, tail } from '../lib/child.js'
import { startLatencyProxy, type LatencyProxy } from '../lib/remote-proxy.js'
import type { Figure } from '../lib/figures.js'
import {
  createStreamRepo,
  gitDirty,
  pushRepositories,
  repoName,
  snapshotTree,
  tagName,
  TAGS_PER_REPO,
  writesBetween,
  type StreamRepo
} from '../lib/registry-fixture.js'
import type { CliProgram } from '../lib/programs.js'
import { formatProfile, profileStep } from '../lib/profile.js'

export interface ImportSuiteOptions {
  runs: number
  latencyMs: number
  /** Tags in the main figure (a multiple of 10). */
  tags: number
  /** Sizes for the growth figure (tags). */
  growthTags: number[]
  /** Client concurrency; undefined = the client's default. */
  concurrency?: number
  skopeoSample: number
  cli?: CliProgram
  /** Profile one extra untimed run of 1a, 1b and 2 into this directory. */
  profileDir?: string
  log: (line: string) => void
}

/** The registry client's default (src/registry/client.ts); reported so the floor can be checked by hand. */
const DEFAULT_CONCURRENCY = 16
const STREAMS_GLOB = 'imagestreams/**/*.{yaml,yml}'

interface RunSample {
  wallMs: number
  /** Registry requests the proxy saw (what the latency applied to). */
  requests: number
  heads: number
  getManifests: number
  getBlobs: number
  other: number
  /** From the client's onRequest: 401 answers (auth challenges) and token requests. */
  unauthorized: number
  tokens: number
  result: RunResult
}

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!

const laterClock = (hours: number): Clock => ({ now: () => new Date(Date.now() + hours * 3_600_000) })

async function timedRun(
  repo: StreamRepo,
  proxy: LatencyProxy,
  intent: ImportIntent,
  clientOptions: RegistryClientOptions,
  metadata: boolean,
  clock: Clock = { now: () => new Date() }
): Promise<RunSample> {
  let unauthorized = 0
  let tokens = 0
  const client: InstrumentedRegistryClient = createRegistryClient({
    ...clientOptions,
    onRequest: (e) => {
      if (e.status === 401) unauthorized++
      if (e.kind === 'token') tokens++
    }
  })
  await proxy.resetCounts()
  const t0 = performance.now()
  let result: RunResult
  try {
    result = await runPipeline({
      root: repo.root,
      streamsGlob: STREAMS_GLOB,
      intent,
      triggers: false,
      registry: client,
      clock,
      write: true,
      metadata
    })
  } finally {
    await client.close()
  }
  const wallMs = performance.now() - t0
  const heads = await proxy.count('HEAD', 'manifest')
  const getManifests = await proxy.count('GET', 'manifest')
  const getBlobs = await proxy.count('GET', 'blob')
  const requests = await proxy.count()
  return {
    wallMs,
    requests,
    heads,
    getManifests,
    getBlobs,
    other: requests - heads - getManifests - getBlobs,
    unauthorized,
    tokens,
    result
  }
}

function check(sample: RunSample, what: string, expect: { changes?: number; files?: number }): void {
  const r = sample.result
  const errors = r.diagnostics.filter((d) => d.severity === 'error')
  if (r.failures.length || errors.length) {
    const first = r.failures[0]?.message ?? errors[0]?.message
    throw new Error(
      `${what}: ${r.failures.length} failed tags, ${errors.length} errors (first: ${first}); the benchmark is void`
    )
  }
  if (expect.changes !== undefined && r.changes.length !== expect.changes) {
    throw new Error(`${what}: expected ${expect.changes} changed tags, got ${r.changes.length}`)
  }
  if (expect.files !== undefined && r.written.length !== expect.files) {
    throw new Error(`${what}: expected ${expect.files} files written, got ${r.written.length}`)
  }
}

export async function importSuite(o: ImportSuiteOptions): Promise<Figure[]> {
  const figures: Figure[] = []
  const concurrency = o.concurrency ?? DEFAULT_CONCURRENCY
  const clientOptions: RegistryClientOptions = o.concurrency ? { concurrency: o.concurrency } : {}
  const floorOf = (s: RunSample): number => (s.requests * o.latencyMs) / concurrency
  const maxTags = Math.max(o.tags, ...o.growthTags)
  const repos = o.tags / TAGS_PER_REPO

  let reg: TestRegistry | undefined
  let proxy: LatencyProxy | undefined
  const repoDirs: StreamRepo[] = []
  try {
    reg = await startRegistry({ auth: 'open' })
    const t0 = performance.now()
    await pushRepositories(reg, maxTags / TAGS_PER_REPO)
    o.log(`  pushed ${maxTags} tags to ${reg.url} in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    proxy = await startLatencyProxy(reg.url, o.latencyMs)

    // ---- 1. import --all, N tags -------------------------------------------------------------------------------
    const repo = createStreamRepo(repos, proxy.host)
    repoDirs.push(repo)
    const resolveOnly: RunSample[] = []
    const withMetadata: RunSample[] = []
    for (let run = 0; run < o.runs; run++) {
      repo.reset()
      const a = await timedRun(repo, proxy, { kind: 'all' }, clientOptions, false)
      check(a, 'import --all (metadata off)', { changes: o.tags, files: repos })
      resolveOnly.push(a)
      repo.reset()
      const b = await timedRun(repo, proxy, { kind: 'all' }, clientOptions, true)
      check(b, 'import --all', { changes: o.tags, files: repos })
      withMetadata.push(b)
      o.log(
        `  run ${run + 1}: resolve-only ${a.wallMs.toFixed(0)} ms (${a.requests} req), ` +
          `default ${b.wallMs.toFixed(0)} ms (${b.requests} req)`
      )
    }
    const conc = `concurrency ${concurrency}${o.concurrency ? '' : ' (client default)'}, +${o.latencyMs} ms/request`
    figures.push(
      {
        id: 'import.resolve.wall',
        label: `1a import --all ${o.tags} tags, resolve only: wall`,
        unit: 'ms',
        samples: resolveOnly.map((s) => s.wallMs),
        note: `in-process runPipeline, metadata off (no provenance reads); ${conc}; run 1 (cold JIT) ${resolveOnly[0]!.wallMs.toFixed(0)} ms`
      },
      {
        id: 'import.resolve.floor',
        label: '1a   floor = requests × latency / concurrency',
        unit: 'ms',
        samples: resolveOnly.map(floorOf)
      },
      {
        id: 'import.resolve.ratio',
        label: '1a   wall / floor',
        unit: 'x',
        samples: resolveOnly.map((s) => s.wallMs / floorOf(s)),
        target: { op: '<=', value: 1.25, text: '≤ 1.25×' }
      },
      {
        id: 'import.resolve.heads-per-tag',
        label: '1a   HEADs per tag',
        unit: 'per tag',
        samples: resolveOnly.map((s) => s.heads / o.tags),
        target: { op: '==', value: 1, text: '= 1', everyRun: true }
      },
      {
        id: 'import.resolve.gets',
        label: '1a   GETs (digest header present)',
        unit: 'count',
        samples: resolveOnly.map((s) => s.getManifests + s.getBlobs),
        target: { op: '==', value: 0, text: '= 0', everyRun: true }
      },
      {
        id: 'import.default.wall',
        label: `1b import --all ${o.tags} tags, default (+ provenance): wall`,
        unit: 'ms',
        samples: withMetadata.map((s) => s.wallMs),
        note: 'in-process runPipeline with the pipeline defaults: created/labels read for every changed tag (PR body)'
      },
      {
        id: 'import.default.ratio',
        label: '1b   wall / floor',
        unit: 'x',
        samples: withMetadata.map((s) => s.wallMs / floorOf(s)),
        target: { op: '<=', value: 1.25, text: '≤ 1.25×' }
      },
      {
        id: 'import.default.requests-per-tag',
        label: '1b   registry requests per tag (HEAD + GET manifest + GET blob)',
        unit: 'per tag',
        samples: withMetadata.map((s) => s.requests / o.tags),
        note: `run 1: HEAD ${withMetadata[0]!.heads}, GET manifest ${withMetadata[0]!.getManifests}, GET blob ${withMetadata[0]!.getBlobs}, other ${withMetadata[0]!.other} (run 1)`
      }
    )

    // ---- 1c. the CLI once, same tree and proxy ------------------------------------------------------------------
    if (o.cli) {
      repo.reset()
      await proxy.resetCounts()
      const r = await runChild(o.cli.command, [...o.cli.args, '-C', repo.root, 'import', '--all'], {
        timeoutMs: 300_000
      })
      const requests = await proxy.count()
      if (r.code === 0) {
        const floor = (requests * o.latencyMs) / concurrency
        figures.push({
          id: 'import.cli.wall',
          label: `1c imagestream import --all (CLI, one run): wall`,
          unit: 'ms',
          samples: [r.wallMs],
          note: `${o.cli.how}; ${requests} requests, floor ${floor.toFixed(0)} ms, ratio ${(r.wallMs / floor).toFixed(2)}× (process start included)`
        })
      } else {
        o.log(`  CLI import failed (exit ${r.code}): ${tail(r.stderr, 4)}`)
        figures.push({
          id: 'import.cli.wall',
          label: '1c imagestream import --all (CLI, one run)',
          unit: 'ms',
          samples: [],
          note: `${o.cli.how} exited ${r.code}: ${tail(r.stderr, 1)}`
        })
      }
    }

    // ---- 1d. skopeo loop on a sample, through the same proxy ----------------------------------------------------
    const skopeoPerTag: number[] = []
    const authDir = mkdtempSync(join(tmpdir(), 'imagestream-bench-skopeo-'))
    try {
      // An empty auth file: skopeo must not pick up anybody's real registry credentials.
      const authFile = join(authDir, 'auth.json')
      writeFileSync(authFile, '{"auths":{}}')
      const sample = Math.min(o.skopeoSample, o.tags)
      for (let run = 0; run < o.runs; run++) {
        const t0 = performance.now()
        for (let k = 0; k < sample; k++) {
          const ref = `docker://${proxy.host}/${repoName(k % repos)}:${tagName(Math.floor(k / repos) % TAGS_PER_REPO)}`
          // Asynchronous on purpose: the proxy lives in this process, and a synchronous spawn would freeze it.
          const r = await runChild('skopeo', ['inspect', '--raw', '--tls-verify=false', '--authfile', authFile, ref], {
            timeoutMs: 30_000,
            env: { ...process.env, REGISTRY_AUTH_FILE: authFile }
          })
          if (r.code !== 0) throw new Error(`skopeo inspect ${ref} failed (${r.code}): ${tail(r.stderr, 3)}`)
        }
        skopeoPerTag.push((performance.now() - t0) / sample)
      }
    } finally {
      rmSync(authDir, { recursive: true, force: true })
    }
    const sample = Math.min(o.skopeoSample, o.tags)
    figures.push(
      {
        id: 'import.skopeo.per-tag',
        label: `1d skopeo inspect --raw loop: per tag (${sample}-tag sample)`,
        unit: 'ms',
        samples: skopeoPerTag,
        note: `extrapolated to ${o.tags} tags: ${(((skopeoPerTag.reduce((a, b) => a + b, 0) / skopeoPerTag.length) * o.tags) / 1000).toFixed(1)} s (mean)`
      },
      {
        id: 'import.skopeo.speedup',
        label: `1d   speed-up of 1a over the skopeo loop (${o.tags} tags)`,
        unit: 'x',
        samples: resolveOnly.map((s, i) => (skopeoPerTag[i]! * o.tags) / s.wallMs),
        target: { op: '>=', value: 20, text: '≥ 20×' },
        // Like for like: `skopeo inspect --raw` resolves a tag and reads nothing else, as 1a does.
        note: `run i of the loop (extrapolated per tag) against run i of 1a; against 1b (+ provenance): ${median(withMetadata.map((s, i) => (skopeoPerTag[i]! * o.tags) / s.wallMs)).toFixed(1)}× (median)`
      }
    )

    // ---- 2. no-op scheduled run: everything current, nothing written ----------------------------------------
    // The tree holds the last 1b import. A clock an hour later makes every scheduled tag due.
    const noop: Array<RunSample & { writes: number; sameHash: boolean; dirty: number }> = []
    const dirtyBefore = gitDirty(repo.root).length
    for (let run = 0; run < o.runs; run++) {
      const before = snapshotTree(repo.root)
      const s = await timedRun(repo, proxy, { kind: 'scheduled' }, clientOptions, true, laterClock(1 + run))
      check(s, 'scheduled no-op', { changes: 0 })
      const after = snapshotTree(repo.root)
      noop.push({
        ...s,
        writes: writesBetween(before, after).length,
        sameHash: before.hash === after.hash,
        dirty: gitDirty(repo.root).length
      })
    }
    figures.push(
      {
        id: 'noop.wall',
        label: `2  scheduled run, ${o.tags} tags, nothing changed: wall`,
        unit: 'ms',
        samples: noop.map((s) => s.wallMs),
        note: `ratio to floor ${median(noop.map((s) => s.wallMs / floorOf(s))).toFixed(2)}× (median)`
      },
      {
        id: 'noop.writes',
        label: '2    files written (mtime or bytes changed)',
        unit: 'count',
        samples: noop.map((s) => s.writes + (s.sameHash ? 0 : 1)),
        target: { op: '==', value: 0, text: '= 0', everyRun: true },
        note: `tree hash identical in ${noop.filter((s) => s.sameHash).length}/${noop.length} runs; git status lines ${noop.at(-1)!.dirty} (before ${dirtyBefore})`
      },
      {
        id: 'noop.heads-per-tag',
        label: '2    HEADs per tag',
        unit: 'per tag',
        samples: noop.map((s) => s.heads / o.tags),
        target: { op: '==', value: 1, text: '= 1', everyRun: true }
      },
      {
        id: 'noop.non-head',
        label: '2    requests other than HEAD',
        unit: 'count',
        samples: noop.map((s) => s.requests - s.heads),
        target: { op: '==', value: 0, text: '= 0', everyRun: true }
      }
    )

    if (o.profileDir) {
      repo.reset()
      const a = await profileStep(o.profileDir, 'import-resolve-only', () =>
        timedRun(repo, proxy!, { kind: 'all' }, clientOptions, false)
      )
      o.log(formatProfile(a.summary))
      repo.reset()
      const b = await profileStep(o.profileDir, 'import-default', () =>
        timedRun(repo, proxy!, { kind: 'all' }, clientOptions, true)
      )
      o.log(formatProfile(b.summary))
      const c = await profileStep(o.profileDir, 'scheduled-noop', () =>
        timedRun(repo, proxy!, { kind: 'scheduled' }, clientOptions, true, laterClock(100))
      )
      o.log(formatProfile(c.summary))
    }

    // ---- 5a. growth: per-tag cost at each size ---------------------------------------------------------------
    const perUnit: Array<{ tags: number; samples: number[] }> = []
    for (const size of o.growthTags) {
      let samples: number[]
      if (size === o.tags) {
        samples = withMetadata.map((s) => s.wallMs / size)
      } else {
        const g = createStreamRepo(size / TAGS_PER_REPO, proxy.host)
        repoDirs.push(g)
        samples = []
        for (let run = 0; run < o.runs; run++) {
          g.reset()
          const s = await timedRun(g, proxy, { kind: 'all' }, clientOptions, true)
          check(s, `import --all ${size} tags`, { changes: size })
          samples.push(s.wallMs / size)
        }
        g.remove()
      }
      perUnit.push({ tags: size, samples })
      o.log(
        `  growth ${size} tags: ${(samples.slice().sort((a, b) => a - b)[samples.length >> 1]! * size).toFixed(0)} ms median`
      )
    }
    for (const p of perUnit) {
      figures.push({
        id: `growth.import.${p.tags}`,
        label: `5a import --all (default) per tag at ${p.tags} tags`,
        unit: 'ms/unit',
        samples: p.samples
      })
    }
    const smallest = perUnit[0]!
    const largest = perUnit[perUnit.length - 1]!
    figures.push({
      id: 'growth.import.ratio',
      label: `5a   per-tag cost at ${largest.tags} / at ${smallest.tags} tags`,
      unit: 'x',
      samples: largest.samples.map((s, i) => s / smallest.samples[i]!),
      target: { op: '<=', value: 1.5, text: '≤ 1.5×' }
    })
  } finally {
    for (const d of repoDirs) d.remove()
    await proxy?.stop()
    await reg?.stop()
  }
  return figures
}

/** 1e: the token-auth variant: one token per repository, whatever the concurrency. */
export async function tokenSuite(o: ImportSuiteOptions): Promise<Figure[]> {
  const concurrency = o.concurrency ?? DEFAULT_CONCURRENCY
  const repos = o.tags / TAGS_PER_REPO
  let reg: TestRegistry | undefined
  let proxy: LatencyProxy | undefined
  let repo: StreamRepo | undefined
  try {
    reg = await startRegistry({ auth: 'token' })
    await pushRepositories(reg, repos)
    proxy = await startLatencyProxy(reg.url, o.latencyMs)
    repo = createStreamRepo(repos, proxy.host)
    const samples: Array<RunSample & { tokenServer: number }> = []
    for (let run = 0; run < o.runs; run++) {
      repo.reset()
      reg.tokenServer!.resetStats()
      const s = await timedRun(
        repo,
        proxy,
        { kind: 'all' },
        { ...(o.concurrency ? { concurrency: o.concurrency } : {}), credentials: { [proxy.host]: reg.user } },
        false
      )
      check(s, 'import --all (token auth)', { changes: o.tags, files: repos })
      samples.push({ ...s, tokenServer: reg.tokenServer!.stats.total })
      o.log(
        `  token run ${run + 1}: ${s.wallMs.toFixed(0)} ms, ${s.heads} HEADs (${s.unauthorized} 401), ${reg.tokenServer!.stats.total} tokens`
      )
    }
    const floorOf = (s: RunSample): number => (s.requests * o.latencyMs) / concurrency
    return [
      {
        id: 'token.wall',
        label: `1e import --all ${o.tags} tags, token auth, resolve only: wall`,
        unit: 'ms',
        samples: samples.map((s) => s.wallMs),
        note: `ratio to floor ${median(samples.map((s) => s.wallMs / floorOf(s))).toFixed(2)}× (median); token requests go to the token server directly, without added latency`
      },
      {
        id: 'token.per-repo',
        label: '1e   token requests per repository',
        unit: 'per repo',
        samples: samples.map((s) => s.tokenServer / repos),
        target: { op: '==', value: 1, text: '= 1', everyRun: true },
        note: `counted by the token server; the client counted ${samples.map((s) => s.tokens).join(', ')}`
      },
      {
        id: 'token.heads-per-tag',
        label: '1e   HEADs per tag (all, 401 challenges included)',
        unit: 'per tag',
        samples: samples.map((s) => s.heads / o.tags),
        // One unauthenticated probe per registry host is how a client learns the challenge; one per tag is waste.
        target: {
          op: '<=',
          value: 1 + 1 / o.tags,
          text: `≤ 1 + 1/${o.tags} (one challenge per registry)`,
          everyRun: true
        },
        note: `401 answers per run: ${samples.map((s) => s.unauthorized).join(', ')}`
      },
      {
        id: 'token.ok-heads-per-tag',
        label: '1e   authorized HEADs per tag',
        unit: 'per tag',
        samples: samples.map((s) => (s.heads - s.unauthorized) / o.tags),
        target: { op: '==', value: 1, text: '= 1', everyRun: true }
      }
    ]
  } finally {
    repo?.remove()
    await proxy?.stop()
    await reg?.stop()
  }
}
