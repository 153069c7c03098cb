/**
 * `npm run bench [-- options]`: the performance benchmarks of issue "Performance" (see BENCHMARKS.md).
 * Prints one line per figure (median, min, max, target, met/missed), writes bench/results/latest.{json,md}, and
 * exits 1 when a target is missed (2 on bad options).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { coldStartSuite } from './suites/cold-start.js'
import { importSuite, tokenSuite } from './suites/import.js'
import { peersSuite } from './suites/peers.js'
import { triggerSuite } from './suites/triggers.js'
import { policySuite } from './suites/policy.js'
import { verifySuite } from './suites/verify.js'
import { scaleSuite } from './suites/scale.js'
import { readSuite } from './suites/read.js'
import { formatFigure, markdownTable, summarize, verdict, type Figure } from './lib/figures.js'
import { findCli, PROJECT_ROOT } from './lib/programs.js'

const SUITES = ['import', 'token', 'peers', 'triggers', 'cold', 'policy', 'verify', 'scale', 'read'] as const
/** Figure 6's sizes: the quick run follows as many tag-list pages as the full one (the same code path, smaller). */
const FULL_POLICY = { tags: 10_000, pageSize: 1000 }
const QUICK_POLICY = { tags: 1000, pageSize: 100 }
type SuiteName = (typeof SUITES)[number]

const HELP = `usage: npm run bench -- [options]

  --quick              small sizes and 3 runs (under a minute): for checking the benchmark itself
  --runs N             runs per figure (default 5; --quick 3)
  --latency MS         latency the proxy adds to every registry request (default 20)
  --tags N             tags in the import figures (default 1000; --quick 100), a multiple of 10
  --files N            manifest files in the rewrite figure (default 10000; --quick 500)
  --concurrency N      registry client concurrency (default: the client's own default, 16)
  --skopeo-sample N    tags in the skopeo loop, extrapolated per tag (default 50; --quick 10)
  --peer-runs N        runs of the peers suite (default 3; --quick 1): Renovate takes ~40 s a run
  --no-renovate-install  measure Renovate only if it is already in the cache (the default with --quick)
  --only LIST          comma list of suites: ${SUITES.join(', ')} (default all)
  --no-growth          skip the growth sizes (5a/5b)
  --dist DIR           the built bundle (default dist/)
  --out DIR            where latest.json and latest.md go (default bench/results)
  --prototype NAME     measure with a patched copy of one src/ module (registered in bench/prototype/hooks.mjs)
  --no-cli             time the bundled worker instead of the CLI verbs (to compare with a --prototype run)
  --cpu-prof DIR       also profile one extra run of each step; .cpuprofile files and a summary go to DIR
`

interface Settings {
  quick: boolean
  runs: number
  latencyMs: number
  tags: number
  files: number
  concurrency?: number
  skopeoSample: number
  peerRuns: number
  installRenovate: boolean
  only: Set<SuiteName>
  growth: boolean
  distDir: string
  outDir: string
  profileDir?: string
  prototypes: string[]
  useCli: boolean
}

function positive(name: string, value: string | undefined, fallback: number, multipleOf = 1): number {
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value) || Number(value) <= 0 || Number(value) % multipleOf !== 0) {
    throw new Error(
      `--${name} must be a positive whole number${multipleOf > 1 ? ` divisible by ${multipleOf}` : ''}; got ${JSON.stringify(value)}`
    )
  }
  return Number(value)
}

function settingsFrom(argv: string[]): Settings | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      latency: { type: 'string' },
      tags: { type: 'string' },
      files: { type: 'string' },
      concurrency: { type: 'string' },
      'skopeo-sample': { type: 'string' },
      'peer-runs': { type: 'string' },
      'no-renovate-install': { type: 'boolean', default: false },
      only: { type: 'string' },
      'no-growth': { type: 'boolean', default: false },
      'no-cli': { type: 'boolean', default: false },
      dist: { type: 'string' },
      out: { type: 'string' },
      'cpu-prof': { type: 'string' },
      // Applied by run.mjs before anything loads; recorded here so the report says so.
      prototype: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false }
    },
    strict: true
  })
  if (values.help) return 'help'
  const quick = values.quick === true
  const only = new Set<SuiteName>()
  for (const s of (values.only ?? SUITES.join(','))
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    if (!(SUITES as readonly string[]).includes(s))
      throw new Error(`--only: unknown suite "${s}"; choose from ${SUITES.join(', ')}`)
    only.add(s as SuiteName)
  }
  return {
    quick,
    runs: positive('runs', values.runs, quick ? 3 : 5),
    latencyMs: values.latency === undefined ? 20 : positive('latency', values.latency, 20),
    tags: positive('tags', values.tags, quick ? 100 : 1000, 10),
    files: positive('files', values.files, quick ? 500 : 10_000, 5),
    concurrency: values.concurrency === undefined ? undefined : positive('concurrency', values.concurrency, 16),
    skopeoSample: positive('skopeo-sample', values['skopeo-sample'], quick ? 10 : 50),
    peerRuns: positive('peer-runs', values['peer-runs'], quick ? 1 : 3),
    installRenovate: !quick && values['no-renovate-install'] !== true,
    only,
    growth: values['no-growth'] !== true,
    distDir: resolve(values.dist ?? join(PROJECT_ROOT, 'dist')),
    outDir: resolve(values.out ?? join(PROJECT_ROOT, 'bench/results')),
    profileDir: values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']),
    prototypes: values.prototype ?? [],
    useCli: values['no-cli'] !== true
  }
}

export async function main(argv: string[]): Promise<number> {
  let s: Settings | 'help'
  try {
    s = settingsFrom(argv)
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n\n${HELP}`)
    return 2
  }
  if (s === 'help') {
    process.stdout.write(HELP)
    return 0
  }
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`)
  }
  const started = Date.now()
  if (s.profileDir) mkdirSync(s.profileDir, { recursive: true })
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`
  log(`imagestream-action benchmarks${s.quick ? ' (quick)' : ''}: ${machine}`)
  if (s.prototypes.length)
    log(`PROTOTYPE ACTIVE: ${s.prototypes.join(', ')} (bench/prototype/): in-process figures are not the product's`)
  log(`runs ${s.runs}, latency +${s.latencyMs} ms, ${s.tags} tags, ${s.files} files, suites ${[...s.only].join(',')}`)

  const figures: Figure[] = []
  const failures: string[] = []
  const growthTags = s.growth ? (s.quick ? [50, s.tags, 300] : [100, s.tags, 5000]) : [s.tags]
  const growthFiles = s.growth ? (s.quick ? [100, s.files, 1000] : [1000, s.files, 50_000]) : [s.files]
  const bigDocs = s.quick ? 400 : 4000
  const growthDocs = s.growth ? (s.quick ? [100, 1000] : [1000, 8000]) : []
  const run = async (name: SuiteName, fn: () => Promise<Figure[]>): Promise<void> => {
    if (!s.only.has(name)) return
    log(`\n== ${name}`)
    const t0 = Date.now()
    try {
      const got = await fn()
      figures.push(...got)
      for (const f of got) log(formatFigure(f))
    } catch (err) {
      // A suite that cannot run is a failed benchmark, not a skipped one.
      failures.push(`${name}: ${(err as Error).message}`)
      log(`suite ${name} failed: ${(err as Error).stack ?? err}`)
    }
    log(`(${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s)`)
  }

  const importCli =
    s.useCli && (s.only.has('import') || s.only.has('peers') || s.only.has('scale'))
      ? await findCli('import', s.distDir)
      : undefined
  const rewriteCli = s.useCli && s.only.has('triggers') ? await findCli('apply-triggers', s.distDir) : undefined
  const importOptions = {
    runs: s.runs,
    latencyMs: s.latencyMs,
    tags: s.tags,
    growthTags: [...new Set(growthTags)].sort((a, b) => a - b),
    concurrency: s.concurrency,
    skopeoSample: s.skopeoSample,
    cli: importCli,
    profileDir: s.profileDir,
    log
  }
  if (s.only.has('import') && !importCli)
    log('note: no CLI `import` verb is used (--no-cli, or none exists yet); figure 1c is skipped')
  await run('import', () => importSuite(importOptions))
  await run('token', () => tokenSuite({ ...importOptions, growthTags: [] }))
  await run('peers', () =>
    peersSuite({
      runs: s.peerRuns,
      latencyMs: s.latencyMs,
      tags: s.tags,
      skopeoSample: s.skopeoSample,
      cli: importCli,
      installRenovate: s.installRenovate,
      log
    })
  )
  await run('triggers', () =>
    triggerSuite({
      runs: s.runs,
      files: s.files,
      growthFiles: [...new Set(growthFiles)].sort((a, b) => a - b),
      bigDocs,
      growthDocs,
      cli: rewriteCli,
      prototypes: s.prototypes,
      profileDir: s.profileDir,
      log
    })
  )
  await run('policy', () =>
    policySuite({ runs: s.runs, latencyMs: s.latencyMs, log, ...(s.quick ? QUICK_POLICY : FULL_POLICY) })
  )
  await run('verify', () => verifySuite({ runs: s.runs, digests: s.quick ? 10 : 100, log }))
  // Scale-out (docs/scale-out.md): 50 ms a request as the issue states it, whatever --latency says for the others.
  await run('scale', () =>
    scaleSuite({
      runs: s.quick ? 1 : Math.min(s.runs, 3),
      latencyMs: 50,
      tags: s.quick ? 400 : 10_000,
      shards: 8,
      cli: importCli,
      log
    })
  )
  await run('read', () => readSuite({ runs: s.runs, items: s.quick ? 2000 : 20_000, profileDir: s.profileDir, log }))
  await run('cold', () => coldStartSuite({ runs: Math.max(s.runs, s.quick ? 5 : 11), distDir: s.distDir, log }))

  const missed = figures.filter((f) => verdict(f) === 'missed')
  log(
    `\n${figures.filter((f) => f.target).length - missed.length} targets met, ${missed.length} missed${failures.length ? `, ${failures.length} suites failed` : ''}; ${((Date.now() - started) / 1000).toFixed(0)} s`
  )
  for (const f of missed)
    log(`  MISSED: ${f.label.trim()} (median ${summarize(f.samples).median.toFixed(3)}, target ${f.target!.text})`)
  for (const f of failures) log(`  FAILED: ${f}`)

  mkdirSync(s.outDir, { recursive: true })
  const stamp = new Date().toISOString()
  writeFileSync(
    join(s.outDir, 'latest.json'),
    JSON.stringify(
      {
        date: stamp,
        machine,
        settings: { ...s, only: [...s.only] },
        figures: figures.map((f) => ({ ...f, ...summarize(f.samples), verdict: verdict(f) })),
        failures
      },
      null,
      2
    ) + '\n'
  )
  writeFileSync(
    join(s.outDir, 'latest.md'),
    `Run ${stamp}${s.quick ? ' (quick)' : ''}${s.prototypes.length ? ` with PROTOTYPE ${s.prototypes.join(', ')}` : ''}: ${machine}; runs ${s.runs}, +${s.latencyMs} ms latency.\n\n${markdownTable(figures)}\n`
  )
  log(`results: ${join(s.outDir, 'latest.json')}, ${join(s.outDir, 'latest.md')}`)
  return missed.length || failures.length ? 1 : 0
}
