#!/usr/bin/env node
// `npm run bench`: loads the TypeScript benchmarks through tsx (no build step; the code under test is src/, and the
// child processes it times are bundled with esbuild, so tsx only transpiles at load time, never inside a timed step). See BENCHMARKS.md.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('./main.ts')
process.exitCode = await main(process.argv.slice(2))
