/**
 * Benchmark 7: scale-out (docs/scale-out.md). `imagestream import --all` of N tags (10,000; --quick 400) through the
 * latency proxy (50 ms a request), once as one process and once as S shard processes (`--shard i/S`, 8), each in its
 * own copy of the repository as a matrix job has. On this machine the shards share its cores, so their wall time is
 * bounded by CPU; what S runners would take is projected from each shard run alone (the slowest one; the delivery
 * job comes on top). CPU per tag is user + sys of the processes (GNU time), per tag imported.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { startRegistry, type TestRegistry } from '../../test/support/registry.js'
import { runChild, tail, type ChildResult } from '../lib/child.js'
import type { Figure } from '../lib/figures.js'
import type { CliProgram } from '../lib/programs.js'
import { startLatencyProxy, type LatencyProxy } from '../lib/remote-proxy.js'
import {
  createStreamRepo,
  gitDirty,
  pushRepositories,
  TAGS_PER_REPO,
  type StreamRepo
} from '../lib/registry-fixture.js'

export interface ScaleSuiteOptions {
  runs: number
  latencyMs: number
  /** Tags in the repository (a multiple of 10). */
  tags: number
  /** Shard processes. */
  shards: number
  cli?: CliProgram
  log: (line: string) => void
}

interface Sharded {
  wallMs: number
  cpuMs: number
  /** Each shard's wall time when it ran alone. */
  alone: number[]
}

/** One `import --all` (of shard `shard`, when given) in `root`; throws unless it imported cleanly. */
async function importRun(cli: CliProgram, root: string, shard?: string): Promise<ChildResult> {
  const args = [...cli.args, '-C', root, 'import', '--all', ...(shard ? ['--shard', shard] : [])]
  const r = await runChild(cli.command, args, { measureRss: true, timeoutMs: 900_000 })
  if (r.code !== 0) throw new Error(`import${shard ? ` --shard ${shard}` : ''} exited ${r.code}: ${tail(r.stderr, 3)}`)
  return r
}

/** S copies of the repository as it is before the first import (what each matrix job checks out). */
function shardCopies(repo: StreamRepo, shards: number): string[] {
  repo.reset()
  return Array.from({ length: shards }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'imagestream-bench-shard-'))
    cpSync(repo.root, dir, { recursive: true })
    return dir
  })
}

/** The files every copy changed: together they must be every stream once, or the figure is void. */
function checkCovered(dirs: readonly string[], streams: number, what: string): void {
  const changed = dirs.flatMap((d) => gitDirty(d))
  if (changed.length !== streams || new Set(changed).size !== streams) {
    throw new Error(`${what}: ${changed.length} stream files changed (expected ${streams}); the benchmark is void`)
  }
}

async function shardedRun(cli: CliProgram, repo: StreamRepo, shards: number, streams: number): Promise<Sharded> {
  const label = (i: number) => `${i + 1}/${shards}`
  let dirs = shardCopies(repo, shards)
  try {
    const t0 = performance.now()
    const runs = await Promise.all(dirs.map((d, i) => importRun(cli, d, label(i))))
    const wallMs = performance.now() - t0
    checkCovered(dirs, streams, `${shards} concurrent shards`)
    const cpuMs = runs.reduce((sum, r) => sum + (r.cpuMs ?? Number.NaN), 0)
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
    // Each shard alone: what one runner of the matrix spends on it.
    dirs = shardCopies(repo, shards)
    const alone: number[] = []
    for (let i = 0; i < shards; i++) alone.push((await importRun(cli, dirs[i]!, label(i))).wallMs)
    return { wallMs, cpuMs, alone }
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  }
}

export async function scaleSuite(o: ScaleSuiteOptions): Promise<Figure[]> {
  if (!o.cli) throw new Error('the scale-out figure runs the CLI (`import --shard`): build it with npm run package')
  const repos = o.tags / TAGS_PER_REPO
  let reg: TestRegistry | undefined
  let proxy: LatencyProxy | undefined
  let repo: StreamRepo | undefined
  try {
    reg = await startRegistry({ auth: 'open' })
    const t0 = performance.now()
    await pushRepositories(reg, repos)
    o.log(`  pushed ${o.tags} tags in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    proxy = await startLatencyProxy(reg.url, o.latencyMs)
    repo = createStreamRepo(repos, proxy.host)

    const one: ChildResult[] = []
    const sharded: Sharded[] = []
    for (let run = 0; run < o.runs; run++) {
      repo.reset()
      const single = await importRun(o.cli, repo.root)
      checkCovered([repo.root], repos, 'one process')
      one.push(single)
      const s = await shardedRun(o.cli, repo, o.shards, repos)
      sharded.push(s)
      o.log(
        `  run ${run + 1}: 1 process ${single.wallMs.toFixed(0)} ms; ${o.shards} shards ${s.wallMs.toFixed(0)} ms ` +
          `together, slowest alone ${Math.max(...s.alone).toFixed(0)} ms`
      )
    }
    return figures(o, one, sharded)
  } finally {
    repo?.remove()
    await proxy?.stop()
    await reg?.stop()
  }
}

function figures(o: ScaleSuiteOptions, one: ChildResult[], sharded: Sharded[]): Figure[] {
  const n = o.shards
  const how = `${o.cli!.how}, import --all, +${o.latencyMs} ms/request`
  return [
    {
      id: 'scale.one.wall',
      label: `8  ${o.tags} tags, 1 process: wall`,
      unit: 'ms',
      samples: one.map((r) => r.wallMs),
      note: how
    },
    {
      id: 'scale.one.cpu-per-tag',
      label: '8    1 process: CPU per tag',
      unit: 'ms',
      samples: one.map((r) => (r.cpuMs ?? Number.NaN) / o.tags),
      note: 'user + sys of the process (GNU time)'
    },
    {
      id: 'scale.sharded.wall',
      label: `8    ${n} shard processes at once on this machine: wall`,
      unit: 'ms',
      samples: sharded.map((s) => s.wallMs),
      note: "bounded by this machine's cores, which the shards share with the registry and the proxy"
    },
    {
      id: 'scale.sharded.cpu-per-tag',
      label: `8    ${n} shard processes: CPU per tag`,
      unit: 'ms',
      samples: sharded.map((s) => s.cpuMs / o.tags),
      note: 'the sum over the shards: the extra over 1 process is each shard reading and planning the repository'
    },
    {
      id: 'scale.projected.wall',
      label: `8    projected on ${n} runners (the slowest shard run alone)`,
      unit: 'ms',
      samples: sharded.map((s) => Math.max(...s.alone)),
      note: 'one runner per shard; the delivery job comes on top'
    },
    {
      id: 'scale.projected.speedup',
      label: `8    projected speed-up on ${n} runners (1 process / slowest shard)`,
      unit: 'x',
      samples: sharded.map((s, i) => one[i]!.wallMs / Math.max(...s.alone))
    }
  ]
}
