/**
 * CPU of `imagestream import --all` as a user runs it (the CLI bundled from src/ with esbuild, one process per run)
 * on a loopback registry with no added latency: N tags in N/10 repositories, against 10 tags (the start-up cost).
 * Reports user+sys CPU (GNU time) and the CPU per tag above start-up, as the median over interleaved runs, so that
 * variants (`--variant NAME=ENTRY[,node flags]`, e.g. a copy of src/ at another commit) can be compared on a shared
 * machine. `--cpu-prof DIR` profiles one more N-tag run of the first variant.
 * usage: node --import tsx bench/tools/cpu-per-tag.ts [--tags 1000] [--runs 5] [--cpu-prof DIR] [--variant …]…
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startRegistry } from '../../test/support/registry.js'
import { bundleWorker, PROJECT_ROOT, type Bundle } from '../lib/programs.js'
import { cliCpuMs } from '../lib/child.js'
import { createStreamRepo, pushRepositories, TAGS_PER_REPO } from '../lib/registry-fixture.js'
import { formatProfile, summarizeProfileFile } from '../lib/profile.js'

const { values } = parseArgs({
  options: {
    tags: { type: 'string' },
    runs: { type: 'string' },
    'cpu-prof': { type: 'string' },
    variant: { type: 'string', multiple: true }
  }
})
const tags = Number(values.tags ?? 1000)
const runs = Number(values.runs ?? 5)
const profDir = values['cpu-prof']
const specs = (values.variant ?? [`src=${join(PROJECT_ROOT, 'src/cli/index.ts')}`]).map((v) => {
  const [name, rest] = v.split(/=(.*)/s) as [string, string]
  const [entry, ...flags] = rest.split(',')
  return { name, entry: entry!, flags: flags.filter(Boolean) }
})
const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!
const reg = await startRegistry({ auth: 'open' })
const bundles: Bundle[] = []
try {
  const variants = []
  for (const s of specs) {
    const b = await bundleWorker(s.entry)
    bundles.push(b)
    variants.push({ ...s, file: b.file, big: [] as number[], small: [] as number[] })
  }
  await pushRepositories(reg, tags / TAGS_PER_REPO)
  const big = createStreamRepo(tags / TAGS_PER_REPO, reg.host)
  const small = createStreamRepo(1, reg.host)
  for (let i = 0; i < runs; i++) {
    for (const v of variants) {
      big.reset()
      small.reset()
      v.big.push(await cliCpuMs([...v.flags, v.file, '-C', big.root, 'import', '--all']))
      v.small.push(await cliCpuMs([...v.flags, v.file, '-C', small.root, 'import', '--all']))
      console.log(`run ${i + 1} ${v.name}: ${tags} tags ${v.big.at(-1)} ms CPU, 10 tags ${v.small.at(-1)} ms`)
    }
  }
  for (const v of variants) {
    const perTag = v.big.map((b, i) => (b - v.small[i]!) / (tags - 10))
    console.log(
      `${v.name}: median ${tags} tags ${median(v.big)} ms (min ${Math.min(...v.big)}), 10 tags ${median(v.small)} ms ` +
        `(min ${Math.min(...v.small)}); per tag above start-up: median ${median(perTag).toFixed(3)} ms, ` +
        `min ${Math.min(...perTag).toFixed(3)} ms`
    )
  }
  if (profDir) {
    mkdirSync(profDir, { recursive: true })
    // The bundle the profile's line numbers refer to (esbuild marks each module with a `// src/…` comment).
    copyFileSync(variants[0]!.file, join(profDir, 'bundle.mjs'))
    big.reset()
    await cliCpuMs([
      '--cpu-prof',
      '--cpu-prof-dir',
      profDir,
      ...variants[0]!.flags,
      variants[0]!.file,
      '-C',
      big.root,
      'import',
      '--all'
    ])
    const f = readdirSync(profDir)
      .filter((x) => x.endsWith('.cpuprofile'))
      .sort()
      .at(-1)!
    console.log(formatProfile(summarizeProfileFile(join(profDir, f))))
  }
  big.remove()
  small.remove()
} finally {
  for (const b of bundles) b.remove()
  await reg.stop()
}
