/**
 * Child process for benchmark 3 while the CLI has no `apply-triggers` verb: exactly what that verb runs
 * (runPipeline with triggers on, no import), bundled with esbuild so no transpiler runs at measurement time.
 *   node worker.mjs ROOT [--dry-run]
 * Prints one JSON line: its own work time (after module loading), files changed and written, edits, peak RSS.
 */
import { performance } from 'node:perf_hooks'
import { runPipeline } from '../../src/pipeline/run.js'
import { systemClock } from '../../src/util/clock.js'
import { keepShortLivedDocumentsYoung } from '../../src/util/v8-heap.js'

// As the CLI's entry does (src/cli/index.ts): this worker stands for `imagestream apply-triggers`.
keepShortLivedDocumentsYoung()

const root = process.argv[2]
if (!root) {
  process.stderr.write('usage: apply-triggers ROOT [--dry-run]\n')
  process.exit(2)
}
const write = !process.argv.includes('--dry-run')
const t0 = performance.now()
const result = await runPipeline({
  root,
  streamsGlob: 'imagestreams/**/*.{yaml,yml}',
  triggers: true,
  clock: systemClock,
  write
})
const workMs = performance.now() - t0
const errors = result.diagnostics.filter((d) => d.severity === 'error')
process.stdout.write(
  JSON.stringify({
    workMs,
    files: result.files.length,
    written: result.written.length,
    edits: result.edits.length,
    errors: errors.length,
    firstError: errors[0] ? `${errors[0].file}:${errors[0].line ?? ''} ${errors[0].message}` : undefined,
    maxRssKb: process.resourceUsage().maxRSS
  }) + '\n'
)
