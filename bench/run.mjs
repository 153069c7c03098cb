#!/usr/bin/env node
// `npm run bench`: loads the TypeScript benchmarks through tsx (no build step; the code under test is src/, and the
// child processes it times are bundled with esbuild, so tsx only transpiles at load time, never inside a timed step).
// `--prototype NAME` swaps one src/ module for a patched copy in bench/prototype/ to measure a proposed fix.
import { register as registerHooks } from 'node:module'
import { register } from 'tsx/esm/api'

register()
const argv = process.argv.slice(2)
const prototypes = []
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--prototype' && argv[i + 1]) prototypes.push(argv[i + 1])
  else if (argv[i]?.startsWith('--prototype=')) prototypes.push(argv[i].slice('--prototype='.length))
}
if (prototypes.length) {
  const { NAMES } = await import('./prototype/hooks.mjs')
  const unknown = prototypes.filter((p) => !NAMES.includes(p))
  if (unknown.length) {
    process.stderr.write(`error: unknown --prototype ${unknown.join(', ')}; known: ${NAMES.join(', ')}\n`)
    process.exit(2)
  }
  registerHooks('./prototype/hooks.mjs', { parentURL: import.meta.url, data: prototypes })
}
const { main } = await import('./main.ts')
process.exitCode = await main(argv)
