/**
 * Benchmark 3's baseline, a child process like the rewrite: find the same YAML files (tinyglobby, as the scanner does),
 * read each once and parse it once with `yaml` (all documents). Nothing else: the least any rewrite must do.
 *   node baseline.mjs ROOT
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { glob } from 'tinyglobby'
import { parseAllDocuments } from 'yaml'

const root = process.argv[2]
if (!root) {
  process.stderr.write('usage: parse-baseline ROOT\n')
  process.exit(2)
}
const t0 = performance.now()
const paths = await glob(['**/*.yaml', '**/*.yml'], {
  cwd: root,
  ignore: ['**/.git/**', '**/node_modules/**'],
  dot: true,
  onlyFiles: true
})
let documents = 0
let errors = 0
for (const path of paths.sort()) {
  const text = await readFile(join(root, path), 'utf8')
  for (const doc of parseAllDocuments(text)) {
    documents++
    errors += doc.errors.length
  }
}
const workMs = performance.now() - t0
process.stdout.write(
  JSON.stringify({ workMs, files: paths.length, documents, errors, maxRssKb: process.resourceUsage().maxRSS }) + '\n'
)
