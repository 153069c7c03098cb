/**
 * Benchmark 3 and the rewrite half of 5: apply-triggers over a generated repository as a child process (wall time
 * by the parent, peak RSS by GNU time) against a baseline child that only reads and parses every YAML file once.
 * Runs alternate rewrite/baseline so that noise from other load lands on both.
 */
import { join } from 'node:path'
import { lastJson, runChild, tail, type ChildResult } from '../lib/child.js'
import type { Figure } from '../lib/figures.js'
import { createBigFileRepo, createManifestRepo, type ManifestRepo } from '../lib/manifest-fixture.js'
import { bundleWorker, PROJECT_ROOT, type Bundle, type CliProgram } from '../lib/programs.js'
import { formatProfile, summarizeProfileFile } from '../lib/profile.js'

export interface TriggerSuiteOptions {
  runs: number
  files: number
  growthFiles: number[]
  /** Documents in the one-big-file figure (3c), and its growth sizes (5c). */
  bigDocs: number
  growthDocs: number[]
  /** The CLI when it has `apply-triggers`; otherwise the bundled worker runs the same pipeline call. */
  cli?: CliProgram
  /** Active --prototype names: the bundled worker (with the swap) runs instead of the CLI. */
  prototypes: string[]
  /** Profile one extra run of the bundled rewrite worker (node --cpu-prof) into this directory. */
  profileDir?: string
  log: (line: string) => void
}

interface WorkerReport {
  workMs: number
  files: number
  written?: number
  edits?: number
  errors: number
  firstError?: string
}

interface Sample {
  wallMs: number
  rssMb: number
  workMs?: number
}

interface Programs {
  rewrite: (root: string, dryRun: boolean) => Promise<ChildResult>
  baseline: (root: string) => Promise<ChildResult>
  how: string
}

function sampleOf(r: ChildResult, what: string, expectWritten?: number): Sample {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${tail(r.stderr, 6)}`)
  const report = lastJson<WorkerReport>(r.stdout)
  if (report && report.errors > 0) throw new Error(`${what}: ${report.errors} errors (first: ${report.firstError})`)
  if (report && expectWritten !== undefined && report.written !== undefined && report.written !== expectWritten) {
    throw new Error(`${what}: expected ${expectWritten} files written, got ${report.written}`)
  }
  return { wallMs: r.wallMs, rssMb: r.peakRssMb ?? Number.NaN, workMs: report?.workMs }
}

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!

async function measure(
  programs: Programs,
  repo: ManifestRepo,
  runs: number,
  dryRun: boolean
): Promise<{ rewrite: Sample[]; baseline: Sample[] }> {
  const rewrite: Sample[] = []
  const baseline: Sample[] = []
  for (let run = 0; run < runs; run++) {
    repo.reset()
    baseline.push(sampleOf(await programs.baseline(repo.root), 'parse baseline'))
    rewrite.push(
      sampleOf(await programs.rewrite(repo.root, dryRun), `apply-triggers (${programs.how})`, dryRun ? 0 : repo.bound)
    )
  }
  return { rewrite, baseline }
}

export async function triggerSuite(o: TriggerSuiteOptions): Promise<Figure[]> {
  const figures: Figure[] = []
  const bundles: Bundle[] = []
  const repos: ManifestRepo[] = []
  try {
    const base = await bundleWorker(join(PROJECT_ROOT, 'bench/workers/parse-baseline.ts'))
    bundles.push(base)
    const worker = await bundleWorker(join(PROJECT_ROOT, 'bench/workers/apply-triggers.ts'), o.prototypes)
    bundles.push(worker)
    const opts = { measureRss: true, timeoutMs: 600_000 }
    const cli = o.prototypes.length ? undefined : o.cli
    const programs: Programs = {
      baseline: (root) => runChild(process.execPath, [base.file, root], opts),
      rewrite: cli
        ? (root, dryRun) =>
            runChild(cli.command, [...cli.args, '-C', root, 'apply-triggers', ...(dryRun ? ['--dry-run'] : [])], opts)
        : (root, dryRun) => runChild(process.execPath, [worker.file, root, ...(dryRun ? ['--dry-run'] : [])], opts),
      how: cli
        ? `imagestream apply-triggers, ${cli.how}`
        : `runPipeline({ triggers: true }) bundled with esbuild (${o.prototypes.length ? `PROTOTYPE ${o.prototypes.join(', ')}` : 'no CLI verb yet'})`
    }

    const repo = createManifestRepo(o.files)
    repos.push(repo)
    o.log(`  generated ${repo.files} manifests (${repo.bound} bound) in ${repo.root}`)
    const full = await measure(programs, repo, o.runs, false)
    const dry = await measure(programs, repo, o.runs, true)
    figures.push(
      {
        id: 'rewrite.wall',
        label: `3  apply-triggers, ${repo.files} files (${repo.bound} rewritten): wall`,
        unit: 'ms',
        samples: full.rewrite.map((s) => s.wallMs),
        note: `child process: ${programs.how}`
      },
      {
        id: 'rewrite.baseline',
        label: '3    baseline: read + yaml.parseAllDocuments every file once',
        unit: 'ms',
        samples: full.baseline.map((s) => s.wallMs),
        note: `child process, same files; in-process work ${median(full.baseline.map((s) => s.workMs ?? Number.NaN)).toFixed(0)} ms (median)`
      },
      {
        id: 'rewrite.ratio',
        label: '3    apply-triggers / baseline',
        unit: 'x',
        samples: full.rewrite.map((s, i) => s.wallMs / full.baseline[i]!.wallMs),
        target: { op: '<=', value: 1.5, text: '≤ 1.5×' },
        note:
          full.rewrite[0]!.workMs !== undefined
            ? `in-process work only: ${median(full.rewrite.map((s, i) => s.workMs! / full.baseline[i]!.workMs!)).toFixed(2)}× (median)`
            : undefined
      },
      {
        id: 'rewrite.rss',
        label: '3    peak RSS of apply-triggers',
        unit: 'MB',
        samples: full.rewrite.map((s) => s.rssMb),
        target: { op: '<=', value: 300, text: '≤ 300 MB' },
        note: `baseline peak RSS ${median(full.baseline.map((s) => s.rssMb)).toFixed(0)} MB (median)`
      },
      {
        id: 'rewrite.dry.ratio',
        label: '3b   apply-triggers --dry-run / baseline (no writes)',
        unit: 'x',
        samples: dry.rewrite.map((s, i) => s.wallMs / dry.baseline[i]!.wallMs),
        note: `dry-run wall ${median(dry.rewrite.map((s) => s.wallMs)).toFixed(0)} ms: the difference to 3 is the journaled, fsynced write of ${repo.bound} files`
      }
    )

    figures.push(...(await bigFileFigures(programs, o, repos)))

    if (o.profileDir) {
      // The bundled worker runs the same call as the verb; esbuild keeps function names, so the profile reads.
      for (const dryRun of [false, true]) {
        repo.reset()
        const name = `apply-triggers${dryRun ? '-dry-run' : ''}.cpuprofile`
        const r = await runChild(
          process.execPath,
          [
            '--cpu-prof',
            `--cpu-prof-dir=${o.profileDir}`,
            `--cpu-prof-name=${name}`,
            worker.file,
            repo.root,
            ...(dryRun ? ['--dry-run'] : [])
          ],
          { timeoutMs: 600_000 }
        )
        sampleOf(r, 'apply-triggers (profiled)')
        o.log(formatProfile(summarizeProfileFile(join(o.profileDir, name))))
      }
    }

    // ---- 5b. growth ------------------------------------------------------------------------------------------
    const perUnit: Array<{ files: number; samples: number[] }> = []
    for (const size of o.growthFiles) {
      let samples: number[]
      if (size === repo.files) {
        samples = full.rewrite.map((s) => s.wallMs / size)
      } else {
        const g = createManifestRepo(size)
        repos.push(g)
        samples = []
        for (let run = 0; run < o.runs; run++) {
          g.reset()
          samples.push(
            sampleOf(await programs.rewrite(g.root, false), `apply-triggers ${size} files`, g.bound).wallMs / g.files
          )
        }
        g.remove()
      }
      perUnit.push({ files: size, samples })
      o.log(`  growth ${size} files: ${(median(samples) * size).toFixed(0)} ms median`)
    }
    for (const p of perUnit) {
      figures.push({
        id: `growth.rewrite.${p.files}`,
        label: `5b apply-triggers per file at ${p.files} files`,
        unit: 'ms/unit',
        samples: p.samples
      })
    }
    const smallest = perUnit[0]!
    const largest = perUnit[perUnit.length - 1]!
    figures.push({
      id: 'growth.rewrite.ratio',
      label: `5b   per-file cost at ${largest.files} / at ${smallest.files} files`,
      unit: 'x',
      samples: largest.samples.map((s, i) => s / smallest.samples[i]!),
      target: { op: '<=', value: 1.5, text: '≤ 1.5×' },
      note: 'process start included at every size (it is part of what a user waits for)'
    })
  } finally {
    for (const r of repos) r.remove()
    for (const b of bundles) b.remove()
  }
  return figures
}

/**
 * 3c and 5c: one rendered manifest of N Deployment documents (a `helm template` of a big application), against the
 * bare parse of the same tree, and the cost per document at several N (it must grow linearly).
 */
async function bigFileFigures(programs: Programs, o: TriggerSuiteOptions, repos: ManifestRepo[]): Promise<Figure[]> {
  const perDoc: Array<{ docs: number; samples: number[] }> = []
  const figures: Figure[] = []
  for (const docs of [...new Set([...o.growthDocs, o.bigDocs])].sort((a, b) => a - b)) {
    const repo = createBigFileRepo(docs)
    repos.push(repo)
    const m = await measure(programs, repo, o.runs, false)
    repo.remove()
    perDoc.push({ docs, samples: m.rewrite.map((s) => s.wallMs / docs) })
    o.log(`  one file of ${docs} documents: ${median(m.rewrite.map((s) => s.wallMs)).toFixed(0)} ms median`)
    if (docs !== o.bigDocs) continue
    figures.push(
      {
        id: 'bigfile.wall',
        label: `3c apply-triggers, one file of ${docs} Deployments: wall`,
        unit: 'ms',
        samples: m.rewrite.map((s) => s.wallMs),
        note: `every document bound by the trigger annotation; baseline ${median(m.baseline.map((s) => s.wallMs)).toFixed(0)} ms (median)`
      },
      {
        id: 'bigfile.ratio',
        label: '3c   apply-triggers / baseline (read + parseAllDocuments)',
        unit: 'x',
        samples: m.rewrite.map((s, i) => s.wallMs / m.baseline[i]!.wallMs),
        target: { op: '<=', value: 1.5, text: '≤ 1.5×' }
      },
      {
        id: 'bigfile.rss',
        label: '3c   peak RSS of apply-triggers',
        unit: 'MB',
        samples: m.rewrite.map((s) => s.rssMb),
        target: { op: '<=', value: 150, text: '≤ 150 MB' },
        note: `the bare parse (which holds every document) peaks at ${median(m.baseline.map((s) => s.rssMb)).toFixed(0)} MB (median)`
      }
    )
  }
  for (const p of perDoc) {
    figures.push({
      id: `growth.bigfile.${p.docs}`,
      label: `5c apply-triggers per document at ${p.docs} documents`,
      unit: 'ms/unit',
      samples: p.samples
    })
  }
  const smallest = perDoc[0]!
  const largest = perDoc[perDoc.length - 1]!
  if (largest !== smallest) {
    figures.push({
      id: 'growth.bigfile.ratio',
      label: `5c   per-document cost at ${largest.docs} / at ${smallest.docs} documents`,
      unit: 'x',
      samples: largest.samples.map((s, i) => s / smallest.samples[i]!),
      target: { op: '<=', value: 1.5, text: '≤ 1.5×' },
      note: 'one file; process start included at every size'
    })
  }
  return figures
}
