/**
 * CPU and peak RSS of apply-triggers (the bundled worker that runs the verb's pipeline call) against the bare parse
 * of the same tree, for figure 3c (one file of N Deployment documents, `--docs N`) or figure 3 (N manifest files,
 * `--files N`). CPU is user+sys from GNU time, so the ratio holds up on a loaded machine where wall time does not.
 * Variants (`--variant NAME=ENTRY`, e.g. the worker in a copy of the tree at another commit) run interleaved with the
 * baseline, run by run. `--cpu-prof DIR` profiles one more run of the first variant; `--dry-run` leaves out the
 * journaled write (its difference is what the fsynced writes cost).
 * usage: node --import tsx bench/tools/rewrite-cpu.ts (--docs 4000 | --files 10000) [--runs 3] [--dry-run] [--variant …]…
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { lastJson, runChild, tail, type ChildResult } from '../lib/child.js'
import { createBigFileRepo, createManifestRepo } from '../lib/manifest-fixture.js'
import { formatProfile, summarizeProfileFile } from '../lib/profile.js'
import { bundleWorker, PROJECT_ROOT, type Bundle } from '../lib/programs.js'

const { values } = parseArgs({
  options: {
    docs: { type: 'string' },
    files: { type: 'string' },
    runs: { type: 'string' },
    'cpu-prof': { type: 'string' },
    'dry-run': { type: 'boolean' },
    variant: { type: 'string', multiple: true }
  }
})
const runs = Number(values.runs ?? 3)
const specs = (values.variant ?? [`src=${join(PROJECT_ROOT, 'bench/workers/apply-triggers.ts')}`]).map((v) => {
  const [name, entry] = v.split(/=(.*)/s) as [string, string]
  return { name, entry }
})
const dry = values['dry-run'] ? ['--dry-run'] : []
const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!
const repo = values.files ? createManifestRepo(Number(values.files)) : createBigFileRepo(Number(values.docs ?? 4000))

function check(r: ChildResult, what: string): { cpuMs: number; rssMb: number } {
  const report = lastJson<{ errors: number; firstError?: string }>(r.stdout)
  if (r.code !== 0 || !report || report.errors > 0)
    throw new Error(`${what} failed (${r.code}): ${report?.firstError ?? tail(r.stderr, 6)}`)
  return { cpuMs: Math.round(r.cpuMs ?? Number.NaN), rssMb: Math.round(r.peakRssMb ?? Number.NaN) }
}

const bundles: Bundle[] = []
try {
  const base = await bundleWorker(join(PROJECT_ROOT, 'bench/workers/parse-baseline.ts'))
  bundles.push(base)
  const variants = []
  for (const s of specs) {
    const b = await bundleWorker(s.entry)
    bundles.push(b)
    variants.push({ ...s, file: b.file, cpu: [] as number[], rss: [] as number[], ratio: [] as number[] })
  }
  const baseCpu: number[] = []
  const baseRss: number[] = []
  const opts = { measureRss: true, timeoutMs: 900_000 }
  for (let i = 0; i < runs; i++) {
    repo.reset()
    const b = check(await runChild(process.execPath, [base.file, repo.root], opts), 'baseline')
    baseCpu.push(b.cpuMs)
    baseRss.push(b.rssMb)
    for (const v of variants) {
      repo.reset()
      const r = check(await runChild(process.execPath, [v.file, repo.root, ...dry], opts), v.name)
      v.cpu.push(r.cpuMs)
      v.rss.push(r.rssMb)
      v.ratio.push(r.cpuMs / b.cpuMs)
      console.log(`run ${i + 1}: baseline ${b.cpuMs} ms CPU ${b.rssMb} MB; ${v.name} ${r.cpuMs} ms CPU ${r.rssMb} MB`)
    }
  }
  console.log(`baseline: median ${median(baseCpu)} ms CPU, ${median(baseRss)} MB peak RSS`)
  for (const v of variants) {
    console.log(
      `${v.name}: median ${median(v.cpu)} ms CPU (${median(v.ratio).toFixed(2)}× the baseline's, ` +
        `min ${Math.min(...v.ratio).toFixed(2)}×), ${median(v.rss)} MB peak RSS (min ${Math.min(...v.rss)})`
    )
  }
  const profDir = values['cpu-prof']
  if (profDir) {
    mkdirSync(profDir, { recursive: true })
    copyFileSync(variants[0]!.file, join(profDir, 'bundle.mjs'))
    repo.reset()
    const r = await runChild(
      process.execPath,
      ['--cpu-prof', `--cpu-prof-dir=${profDir}`, variants[0]!.file, repo.root, ...dry],
      opts
    )
    check(r, 'profiled run')
    const f = readdirSync(profDir)
      .filter((x) => x.endsWith('.cpuprofile'))
      .sort()
      .at(-1)!
    console.log(formatProfile(summarizeProfileFile(join(profDir, f))))
  }
} finally {
  for (const b of bundles) b.remove()
  repo.remove()
}
