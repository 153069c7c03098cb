/**
 * docs/other-ci.md: the GitLab CI job's `script` and the Tekton Task's step script, taken from the document as
 * written, run with bash against a loopback registry (htpasswd, credentials from a docker config.json) and a real
 * git remote (a bare repository); `imagestream` on PATH is the package's bin (bin/imagestream.js → dist/cli.js) on
 * the action's Node. Each run must land one commit on the remote's main that pins the new digest, and a second run
 * must push nothing new.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ROOT } from '../support/action-runner.js'
import { actionNode } from '../support/node-runtime.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import { deployment, gitRepo, streamFile } from '../action/fixtures.js'

const USER = 'ci-robot'
const PASSWORD = 'SENTINEL-other-ci-pw-9b1d'

let reg: TestRegistry
let dir: string
let shims: string
let digest: string
let dockerAuthConfig: string

/** The fenced yaml blocks of docs/other-ci.md, parsed, in order. */
function docBlocks(): unknown[] {
  const text = readFileSync(join(ROOT, 'docs/other-ci.md'), 'utf8')
  return [...text.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => parse(m[1]!))
}

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } }).trim()

beforeAll(async () => {
  reg = await startRegistry({ auth: 'htpasswd', users: { [USER]: PASSWORD } })
  digest = (await pushImage(reg, 'acme/web', 'latest', { seed: 'other-ci-1' })).digest
  dir = mkdtempSync(join(tmpdir(), 'imagestream-other-ci-'))
  shims = join(dir, 'bin')
  mkdirSync(shims)
  writeFileSync(
    join(shims, 'imagestream'),
    `#!/bin/sh\nexec '${actionNode()}' '${join(ROOT, 'bin/imagestream.js')}' "$@"\n`
  )
  chmodSync(join(shims, 'imagestream'), 0o755)
  const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64')
  dockerAuthConfig = JSON.stringify({ auths: { [reg.host]: { auth } } })
})
afterAll(async () => {
  await reg?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** A bare "origin" holding a GitOps repo (stream web:latest, a Deployment following it) and a CI checkout of it. */
function remoteAndCheckout(name: string): { origin: string; checkout: string } {
  const seed = gitRepo({
    'imagestreams/web.yaml': streamFile('web', reg.host, 'acme/web', ['latest']),
    'deploy/web.yaml': deployment('web', 'web:latest', `${reg.host}/acme/web:latest`)
  })
  const origin = join(dir, `${name}.git`)
  const checkout = join(dir, `${name}-checkout`)
  execFileSync('git', ['clone', '-q', '--bare', seed, origin])
  execFileSync('git', ['clone', '-q', origin, checkout])
  rmSync(seed, { recursive: true, force: true })
  return { origin, checkout }
}

function bash(script: string, cwd: string, env: Record<string, string>): { status: number | null; output: string } {
  const r = spawnSync('bash', ['-eo', 'pipefail', '-c', script], {
    cwd,
    encoding: 'utf8',
    env: { PATH: `${shims}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: dir, GIT_CONFIG_NOSYSTEM: '1', ...env }
  })
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` }
}

function expectPinnedOnRemote(origin: string, commitsBefore: number): void {
  expect(Number(git(origin, 'rev-list', '--count', 'main'))).toBe(commitsBefore + 1)
  expect(git(origin, 'show', 'main:imagestreams/web.yaml')).toContain(`image: ${digest}`)
  expect(git(origin, 'show', 'main:deploy/web.yaml')).toContain(`image: ${reg.host}/acme/web@${digest}`)
  expect(git(origin, 'show', '-s', '--format=%an', 'main')).toBe('imagestream')
}

describe('the GitLab CI job (docs/other-ci.md)', () => {
  const job = () => (docBlocks()[0] as Record<string, { script: string[] }>)['imagestream-sync']!

  it('its script imports, commits and pushes to the branch; run again, it pushes nothing new', () => {
    const { origin, checkout } = remoteAndCheckout('gitlab')
    const env = {
      CI_COMMIT_BRANCH: 'main',
      CI_COMMIT_SHA: git(checkout, 'rev-parse', 'HEAD'),
      GITOPS_PUSH_URL: origin,
      DOCKER_AUTH_CONFIG: dockerAuthConfig
    }
    const script = job().script.join('\n')
    const first = bash(script, checkout, env)
    if (first.status !== 0) throw new Error(`the job failed:\n${first.output}`)
    expectPinnedOnRemote(origin, 1)

    const again = bash(script, checkout, { ...env, CI_COMMIT_SHA: git(checkout, 'rev-parse', 'HEAD') })
    if (again.status !== 0) throw new Error(`the second run failed:\n${again.output}`)
    expect(Number(git(origin, 'rev-list', '--count', 'main'))).toBe(2)
  })
})

describe('the Tekton Task (docs/other-ci.md)', () => {
  type Task = { kind: string; spec: { steps: Array<{ script: string; env: Array<{ name: string; value: string }> }> } }
  const task = () => docBlocks()[1] as Task

  it('its step, with the params and workspaces Tekton substitutes, imports, commits and pushes to origin', () => {
    expect(task().kind).toBe('Task')
    const { origin, checkout } = remoteAndCheckout('tekton')
    const dockerconfig = join(dir, 'tekton-dockerconfig')
    mkdirSync(dockerconfig)
    writeFileSync(join(dockerconfig, 'config.json'), dockerAuthConfig)
    const substitute = (s: string): string =>
      s
        .replaceAll('$(params.branch)', 'main')
        .replaceAll('$(workspaces.source.path)', checkout)
        .replaceAll('$(workspaces.dockerconfig.path)', dockerconfig)
    const step = task().spec.steps[0]!
    const env = Object.fromEntries(step.env.map((e) => [e.name, substitute(e.value)]))
    const first = bash(substitute(step.script), dir, env)
    if (first.status !== 0) throw new Error(`the step failed:\n${first.output}`)
    expectPinnedOnRemote(origin, 1)
  })
})
