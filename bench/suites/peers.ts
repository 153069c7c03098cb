/**
 * The peers people actually use, measured in the same run on the same registry, proxy and tags as our CLI:
 * `imagestream import --all` (one process, as a user runs it) against a sequential `skopeo inspect` loop (sampled),
 * a parallel `xargs -P 16 skopeo inspect` script (every tag), and Renovate (`--platform=local --dry-run=lookup`,
 * `pinDigests: true`, Dockerfiles of 10 FROM lines). Wall time from the parent, CPU (user + sys, children
 * included) from GNU time. When Renovate cannot be installed the suite says why and measures the rest.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRegistry, type TestRegistry } from '../../test/support/registry.js'
import { runChild, tail, type ChildResult } from '../lib/child.js'
import type { Figure } from '../lib/figures.js'
import type { CliProgram } from '../lib/programs.js'
import {
  createStreamRepo,
  pushRepositories,
  repoName,
  tagName,
  TAGS_PER_REPO,
  type StreamRepo
} from '../lib/registry-fixture.js'
import { startLatencyProxy, type LatencyProxy } from '../lib/remote-proxy.js'
import { ensureRenovate, renovateEnv, writeDockerfiles, type RenovateInstall } from '../lib/renovate.js'

export interface PeersSuiteOptions {
  runs: number
  latencyMs: number
  tags: number
  /** Tags in the sequential skopeo loop's sample (extrapolated per tag). */
  skopeoSample: number
  cli?: CliProgram
  /** Install Renovate when the cache lacks it (otherwise it is measured only if already installed). */
  installRenovate: boolean
  log: (line: string) => void
}

/** Parallelism of the skopeo script, the same as our client's default concurrency. */
const XARGS_PARALLEL = 16

interface Timed {
  wallMs: number
  cpuMs: number
}

function timed(r: ChildResult, what: string): Timed {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${tail(r.stderr, 4)}`)
  if (r.cpuMs === undefined) throw new Error(`${what}: no CPU time (GNU time missing?)`)
  return { wallMs: r.wallMs, cpuMs: r.cpuMs }
}

const ratios = (peer: number[], ours: number[]): number[] => peer.map((p, i) => p / ours[i]!)

export async function peersSuite(o: PeersSuiteOptions): Promise<Figure[]> {
  if (!o.cli) throw new Error('the peers suite compares processes and needs the CLI `import` verb (not with --no-cli)')
  const cli = o.cli
  const repos = o.tags / TAGS_PER_REPO
  let reg: TestRegistry | undefined
  let proxy: LatencyProxy | undefined
  let repo: StreamRepo | undefined
  const work = mkdtempSync(join(tmpdir(), 'imagestream-bench-peers-'))
  try {
    let renovate: RenovateInstall | undefined
    let renovateWhy = ''
    try {
      renovate = await ensureRenovate(o.log, o.installRenovate)
      o.log(`  renovate ${renovate.version} on node ${renovate.nodeVersion}`)
    } catch (err) {
      renovateWhy = (err as Error).message
      o.log(`  Renovate cannot be installed or run, so it is not measured: ${renovateWhy}`)
    }
    reg = await startRegistry({ auth: 'open' })
    await pushRepositories(reg, repos)
    proxy = await startLatencyProxy(reg.url, o.latencyMs)
    repo = createStreamRepo(repos, proxy.host)
    const refs: string[] = []
    for (let i = 0; i < repos; i++)
      for (let j = 0; j < TAGS_PER_REPO; j++) refs.push(`${proxy.host}/${repoName(i)}:${tagName(j)}`)
    // An empty auth file: skopeo must not pick up anybody's real registry credentials.
    const authFile = join(work, 'auth.json')
    writeFileSync(authFile, '{"auths":{}}')
    const refsFile = join(work, 'refs.txt')
    writeFileSync(refsFile, refs.map((r) => `docker://${r}`).join('\n') + '\n')
    const skopeo = `skopeo inspect --raw --tls-verify=false --authfile ${authFile}`
    const skopeoEnv = { ...process.env, REGISTRY_AUTH_FILE: authFile }
    const dockerfiles = join(work, 'dockerfiles')
    writeDockerfiles(dockerfiles, refs, 10)

    const ours: Timed[] = []
    const seq: Timed[] = []
    const par: Timed[] = []
    const ren: Timed[] = []
    const requests = { ours: 0, par: 0, ren: 0 }
    const sample = Math.min(o.skopeoSample, o.tags)
    for (let run = 0; run < o.runs; run++) {
      repo.reset()
      await proxy.resetCounts()
      const a = await runChild(cli.command, [...cli.args, '-C', repo.root, 'import', '--all'], {
        measureRss: true,
        timeoutMs: 300_000
      })
      ours.push(timed(a, 'imagestream import --all'))
      requests.ours = await proxy.count()

      // The sequential loop, on a sample: one process per tag, one after the other.
      const s = await runChild(
        'sh',
        ['-c', `head -n ${sample} ${refsFile} | while read -r ref; do ${skopeo} "$ref" >/dev/null || exit 1; done`],
        {
          measureRss: true,
          env: skopeoEnv,
          timeoutMs: 600_000
        }
      )
      const st = timed(s, 'skopeo loop')
      seq.push({ wallMs: (st.wallMs / sample) * o.tags, cpuMs: (st.cpuMs / sample) * o.tags })

      await proxy.resetCounts()
      const p = await runChild('sh', ['-c', `xargs -P ${XARGS_PARALLEL} -n 1 ${skopeo} < ${refsFile} > /dev/null`], {
        measureRss: true,
        env: skopeoEnv,
        timeoutMs: 600_000
      })
      par.push(timed(p, `xargs -P ${XARGS_PARALLEL} skopeo inspect`))
      requests.par = await proxy.count()

      if (renovate) {
        const base = join(work, `renovate-base-${run}`)
        mkdirSync(base)
        await proxy.resetCounts()
        // A fresh base dir each run: Renovate's package cache must not answer from the previous run.
        const r = await runChild(renovate.node, [renovate.script], {
          cwd: dockerfiles,
          env: renovateEnv(base, join(base, 'config.json'), proxy.host),
          measureRss: true,
          timeoutMs: 900_000
        })
        ren.push(timed(r, 'renovate'))
        requests.ren = await proxy.count()
        if (!/"msg":"Repository finished"/.test(r.stdout))
          throw new Error(`renovate did not finish the repository: ${tail(r.stdout, 3)}`)
      }
      o.log(
        `  peers run ${run + 1}: ours ${ours.at(-1)!.wallMs.toFixed(0)} ms (${ours.at(-1)!.cpuMs.toFixed(0)} CPU), ` +
          `skopeo loop ~${(seq.at(-1)!.wallMs / 1000).toFixed(1)} s, xargs ${par.at(-1)!.wallMs.toFixed(0)} ms, ` +
          `renovate ${ren.at(-1)?.wallMs.toFixed(0) ?? '—'} ms (${ren.at(-1)?.cpuMs.toFixed(0) ?? '—'} CPU)`
      )
    }
    const wall = (xs: Timed[]): number[] => xs.map((x) => x.wallMs)
    const cpu = (xs: Timed[]): number[] => xs.map((x) => x.cpuMs)
    const n = `${o.tags} tags, +${o.latencyMs} ms/request`
    const figures: Figure[] = [
      {
        id: 'peers.ours.wall',
        label: `6  imagestream import --all (CLI): wall`,
        unit: 'ms',
        samples: wall(ours),
        note: `${cli.how}; ${n}; ${requests.ours} requests`
      },
      { id: 'peers.ours.cpu', label: '6    CPU (user + sys)', unit: 'ms', samples: cpu(ours) },
      {
        id: 'peers.skopeo-seq.wall',
        label: `6  skopeo inspect loop, sequential: wall`,
        unit: 'ms',
        samples: wall(seq),
        note: `a ${sample}-tag sample, extrapolated to ${o.tags} tags`
      },
      { id: 'peers.skopeo-seq.cpu', label: '6    CPU (extrapolated)', unit: 'ms', samples: cpu(seq) },
      {
        id: 'peers.skopeo-seq.ratio',
        label: '6    skopeo loop / ours (wall)',
        unit: 'x',
        samples: ratios(wall(seq), wall(ours))
      },
      {
        id: 'peers.skopeo-seq.cpu-ratio',
        label: '6    skopeo loop / ours (CPU)',
        unit: 'x',
        samples: ratios(cpu(seq), cpu(ours))
      },
      {
        id: 'peers.skopeo-par.wall',
        label: `6  xargs -P ${XARGS_PARALLEL} skopeo inspect: wall`,
        unit: 'ms',
        samples: wall(par),
        note: `every tag, one process each; ${requests.par} requests`
      },
      { id: 'peers.skopeo-par.cpu', label: '6    CPU (user + sys)', unit: 'ms', samples: cpu(par) },
      {
        id: 'peers.skopeo-par.ratio',
        label: `6    xargs skopeo / ours (wall)`,
        unit: 'x',
        samples: ratios(wall(par), wall(ours)),
        target: { op: '>=', value: 8, text: '≥ 8×' }
      },
      {
        id: 'peers.skopeo-par.cpu-ratio',
        label: '6    xargs skopeo / ours (CPU)',
        unit: 'x',
        samples: ratios(cpu(par), cpu(ours))
      }
    ]
    if (renovate) {
      figures.push(
        {
          id: 'peers.renovate.wall',
          label: `6  renovate --dry-run=lookup: wall`,
          unit: 'ms',
          samples: wall(ren),
          note: `renovate ${renovate.version}, node ${renovate.nodeVersion}, ${refs.length / 10} Dockerfiles × 10 FROM, pinDigests; ${requests.ren} requests`
        },
        { id: 'peers.renovate.cpu', label: '6    CPU (user + sys)', unit: 'ms', samples: cpu(ren) },
        {
          id: 'peers.renovate.ratio',
          label: '6    renovate / ours (wall)',
          unit: 'x',
          samples: ratios(wall(ren), wall(ours)),
          target: { op: '>=', value: 20, text: '≥ 20×' }
        },
        {
          id: 'peers.renovate.cpu-ratio',
          label: '6    renovate / ours (CPU)',
          unit: 'x',
          samples: ratios(cpu(ren), cpu(ours)),
          target: { op: '>=', value: 20, text: '≥ 20×' }
        }
      )
    } else {
      figures.push({
        id: 'peers.renovate.wall',
        label: '6  renovate: not measured',
        unit: 'ms',
        samples: [],
        note: renovateWhy
      })
    }
    return figures
  } finally {
    repo?.remove()
    await proxy?.stop()
    await reg?.stop()
    rmSync(work, { recursive: true, force: true })
  }
}
