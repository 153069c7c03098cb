/**
 * The CLI as a stranger installs it: `npm pack`, then `npx --package ./imagestream-action-X.tgz imagestream` in an
 * empty folder, offline, with a fresh npm cache, on the Node the action runs on (Node 24 first on PATH). dist/ is
 * bundled, so the package has no dependencies and installs without a registry.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { ROOT } from '../support/action-runner.js'
import { actionNode } from '../support/node-runtime.js'

const run = promisify(execFile)
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string
  version: string
  dependencies?: Record<string, string>
}
let dir: string
let tarball: string
let packed: { filename: string; files: Array<{ path: string }> }

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'imagestream-pack-'))
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT })
  packed = (JSON.parse(stdout) as Array<typeof packed>)[0]!
  tarball = join(dir, packed.filename)
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function npx(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const empty = join(dir, `empty-${args.join('-').replace(/\W+/g, '')}`)
  mkdirSync(empty)
  const env = {
    ...process.env,
    PATH: `${dirname(actionNode())}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    npm_config_cache: join(dir, 'npm-cache'),
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false'
  }
  try {
    const { stdout, stderr } = await run('npx', ['--yes', '--package', tarball, 'imagestream', ...args], {
      cwd: empty,
      env
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('npm pack', () => {
  it('holds only what the CLI and the action run: bin/, dist/, package.json, README.md', () => {
    expect(packed.filename).toBe(`${pkg.name}-${pkg.version}.tgz`)
    const tops = new Set(packed.files.map((f) => f.path.split('/')[0]))
    expect([...tops].sort()).toEqual(['README.md', 'bin', 'dist', 'package.json'])
    expect(packed.files.map((f) => f.path)).toContain('dist/cli.js')
  })

  it('has no runtime dependencies (dist/ bundles them), so it installs offline', () => {
    expect(pkg.dependencies ?? {}).toEqual({})
  })
})

describe('npx --package ./imagestream-action-X.tgz imagestream, in an empty folder', () => {
  it('--version prints the package version', async () => {
    expect(await npx('--version')).toMatchObject({ code: 0, stdout: `${pkg.version}\n` })
  }, 120_000)

  it('a verb runs: `get is` in a folder without streams says so on stderr and exits 0', async () => {
    const r = await npx('get', 'is')
    expect(r).toMatchObject({ code: 0, stdout: '' })
    expect(r.stderr).toContain('No resources found')
  }, 120_000)
})
