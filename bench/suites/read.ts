/**
 * Benchmark 7 (issue #15, "big files"): the read-only verbs on one stream with a long history. `imagestream get is`
 * and `imagestream describe` on a stream of N history items (10 tags × N/10 items; 20,000 by default, 2,000 with
 * --quick) against a baseline child that only reads the same tree and runs `yaml.parseAllDocuments` on it once.
 * The CLI is bundled from src/ with esbuild (as rollup bundles dist/cli.js), so the figure is the code's, not a stale
 * build's. Runs alternate baseline/get/describe so that noise from other load lands on all three.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lastJson, runChild, tail, type ChildResult } from '../lib/child.js'
import type { Figure } from '../lib/figures.js'
import { formatProfile, summarizeProfileFile } from '../lib/profile.js'
import { bundleWorker, PROJECT_ROOT, type Bundle } from '../lib/programs.js'

export interface ReadSuiteOptions {
  runs: number
  /** History items in the stream, a multiple of 10. */
  items: number
  /** Profile one extra run of each verb (node --cpu-prof) into this directory. */
  profileDir?: string
  log: (line: string) => void
}

const TAGS = 10
const NOW = '2026-01-01T00:00:00Z'

const digestOf = (n: number): string => `sha256:${createHash('sha256').update(`image ${n}`).digest('hex')}`

/**
 * One stream file as the importer writes it: newest item first, one generation per import, history kept whole.
 * 20,000 items make about 5 MiB, just under the state file limit (stream/yaml-text.ts MAX_FILE_BYTES): a short
 * repository name keeps it there.
 */
export function streamWithHistory(items: number): string {
  const perTag = Math.ceil(items / TAGS)
  const generation = perTag + 1
  const start = Date.parse('2020-01-01T00:00:00Z')
  const spec: string[] = []
  const status: string[] = []
  for (let t = 0; t < TAGS; t++) {
    const tag = `1.${t}`
    spec.push(
      `  - name: "${tag}"`,
      '    annotations: null',
      '    from:',
      '      kind: DockerImage',
      `      name: quay.io/a/web:${tag}`,
      `    generation: ${generation}`,
      '    importPolicy:',
      '      scheduled: true',
      '      importMode: Legacy',
      '    referencePolicy:',
      '      type: Source'
    )
    status.push(`  - tag: "${tag}"`, '    items:')
    for (let i = perTag; i >= 1; i--) {
      const digest = digestOf(t * perTag + i)
      const created = new Date(start + (i * TAGS + t) * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z')
      status.push(
        `    - created: ${created}`,
        `      dockerImageReference: quay.io/a/web@${digest}`,
        `      image: ${digest}`,
        `      generation: ${i + 1}`
      )
    }
  }
  return [
    'apiVersion: image.openshift.io/v1',
    'kind: ImageStream',
    'metadata:',
    '  name: web',
    '  namespace: shop',
    `  generation: ${generation}`,
    '  annotations:',
    `    openshift.io/image.dockerRepositoryCheck: "${NOW}"`,
    'spec:',
    '  lookupPolicy:',
    '    local: false',
    '  tags:',
    ...spec,
    'status:',
    '  dockerImageRepository: image-registry.openshift-image-registry.svc:5000/shop/web',
    '  tags:',
    ...status,
    ''
  ].join('\n')
}

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!

function wallOf(r: ChildResult, what: string, expect: RegExp): number {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${tail(r.stderr, 6)}`)
  if (!expect.test(r.stdout)) throw new Error(`${what} printed something else: ${tail(r.stdout, 4)}`)
  if (r.stderr.trim()) throw new Error(`${what} reported problems: ${tail(r.stderr, 4)}`)
  return r.wallMs
}

export async function readSuite(o: ReadSuiteOptions): Promise<Figure[]> {
  const root = mkdtempSync(join(tmpdir(), 'imagestream-bench-read-'))
  const bundles: Bundle[] = []
  try {
    mkdirSync(join(root, 'imagestreams'))
    const text = streamWithHistory(o.items)
    writeFileSync(join(root, 'imagestreams/web.yaml'), text)
    o.log(`  one stream of ${o.items} history items (${TAGS} tags), ${(text.length / 2 ** 20).toFixed(1)} MiB`)
    const base = await bundleWorker(join(PROJECT_ROOT, 'bench/workers/parse-baseline.ts'))
    bundles.push(base)
    const cli = await bundleWorker(join(PROJECT_ROOT, 'src/cli/index.ts'))
    bundles.push(cli)
    const env = { ...process.env, IMAGESTREAM_NOW: NOW }
    const opts = { env, measureRss: true, timeoutMs: 600_000 }
    const verbs = { get: ['get', 'is'], describe: ['describe', 'web'] }
    const samples = { baseline: [] as number[], get: [] as number[], describe: [] as number[], rss: [] as number[] }
    // CPU (user + sys, GNU time): what the verb costs, less moved than wall by other load on a shared machine.
    const cpu = { baseline: [] as number[], get: [] as number[], describe: [] as number[] }
    for (let run = 0; run < o.runs; run++) {
      const b = await runChild(process.execPath, [base.file, root], opts)
      if (b.code !== 0 || (lastJson<{ errors: number }>(b.stdout)?.errors ?? 1) > 0) {
        throw new Error(`parse baseline failed: ${tail(b.stderr || b.stdout, 4)}`)
      }
      samples.baseline.push(b.wallMs)
      const g = await runChild(process.execPath, [cli.file, '-C', root, ...verbs.get], opts)
      samples.get.push(wallOf(g, 'get is', /^shop +web +/m))
      const d = await runChild(process.execPath, [cli.file, '-C', root, ...verbs.describe], opts)
      samples.describe.push(wallOf(d, 'describe', new RegExp(`^Tags:\\t+${TAGS}$`, 'm')))
      samples.rss.push(Math.max(g.peakRssMb ?? Number.NaN, d.peakRssMb ?? Number.NaN))
      cpu.baseline.push(b.cpuMs ?? Number.NaN)
      cpu.get.push(g.cpuMs ?? Number.NaN)
      cpu.describe.push(d.cpuMs ?? Number.NaN)
    }
    const note = `the CLI bundled from src/ with esbuild; baseline ${median(samples.baseline).toFixed(0)} ms (median)`
    const target = { op: '<=' as const, value: 1.5, text: '≤ 1.5×' }
    const figures: Figure[] = [
      {
        id: 'read.get.wall',
        label: `9  get is, one stream of ${o.items} history items: wall`,
        unit: 'ms',
        samples: samples.get,
        note
      },
      {
        id: 'read.get.ratio',
        label: '9    get is / baseline (read + parseAllDocuments)',
        unit: 'x',
        samples: samples.get.map((s, i) => s / samples.baseline[i]!),
        target
      },
      {
        id: 'read.describe.wall',
        label: `9  describe, one stream of ${o.items} history items: wall`,
        unit: 'ms',
        samples: samples.describe
      },
      {
        id: 'read.describe.ratio',
        label: '9    describe / baseline (read + parseAllDocuments)',
        unit: 'x',
        samples: samples.describe.map((s, i) => s / samples.baseline[i]!),
        target
      },
      {
        id: 'read.get.cpu.ratio',
        label: '9    get is / baseline, CPU (user + sys)',
        unit: 'x',
        samples: cpu.get.map((c, i) => c / cpu.baseline[i]!),
        target
      },
      {
        id: 'read.describe.cpu.ratio',
        label: '9    describe / baseline, CPU (user + sys)',
        unit: 'x',
        samples: cpu.describe.map((c, i) => c / cpu.baseline[i]!),
        target,
        note: `baseline CPU ${median(cpu.baseline).toFixed(0)} ms (median)`
      },
      { id: 'read.rss', label: '9    peak RSS of get is / describe (the larger)', unit: 'MB', samples: samples.rss }
    ]
    if (o.profileDir) {
      for (const [name, argv] of Object.entries(verbs)) {
        const file = `read-${name}.cpuprofile`
        const prof = ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`, `--cpu-prof-name=${file}`]
        const r = await runChild(process.execPath, [...prof, cli.file, '-C', root, ...argv], opts)
        if (r.code !== 0) throw new Error(`${name} (profiled) exited ${r.code}: ${tail(r.stderr, 4)}`)
        o.log(formatProfile(summarizeProfileFile(join(o.profileDir, file))))
      }
    }
    return figures
  } finally {
    for (const b of bundles) b.remove()
    rmSync(root, { recursive: true, force: true })
  }
}
