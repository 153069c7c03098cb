/**
 * Runs the action's run() (src/action/main.ts) in the test process, with the run's instant fixed, as a runner would
 * start it: INPUT_* for every input (action.yml defaults filled in), the GITHUB_* variables, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files. For behaviour that needs src/ as it is now (the built dist/ is rebuilt only on release)
 * or a fixed clock; action-runner.ts runs the built dist/ as a child process. The environment is restored after.
 */
import { jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import YAML from 'yaml'
import { run } from '../../src/action/main.js'
import { ROOT, parseOutputs } from './action-runner.js'

export interface InProcessRun {
  outputs: Record<string, string>
  summary: string
  /** core.setFailed was called. */
  failed: boolean
  /** What the run printed (workflow commands included). */
  log: string
}

export interface InProcessOptions {
  workspace: string
  /** OWNER/REPO. */
  repository: string
  /** GITHUB_API_URL (the fake); a closed loopback port when the run makes no GitHub call. */
  apiUrl?: string
  /** The run's instant (RFC 3339). */
  now: string
  inputs: Record<string, string>
  /** DOCKER_CONFIG; an empty one (no credentials of the developer's) when not given. */
  dockerConfig?: string
}

/** action.yml's defaults, as a runner fills them in (an expression such as `${{ github.token }}` is left empty). */
function defaults(): Record<string, string> {
  const action = YAML.parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  return Object.fromEntries(
    Object.entries(action.inputs).map(([k, v]) => [k, (v.default ?? '').includes('${{') ? '' : (v.default ?? '')])
  )
}

/** One scheduled run of the action in process. */
export async function runActionInProcess(o: InProcessOptions): Promise<InProcessRun> {
  const runner = mkdtempSync(join(tmpdir(), 'imagestream-in-process-'))
  const env: Record<string, string> = {
    GITHUB_WORKSPACE: o.workspace,
    GITHUB_REPOSITORY: o.repository,
    GITHUB_EVENT_NAME: 'schedule',
    GITHUB_EVENT_PATH: join(runner, 'event.json'),
    GITHUB_API_URL: o.apiUrl ?? 'http://127.0.0.1:9',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_OUTPUT: join(runner, 'output'),
    GITHUB_STEP_SUMMARY: join(runner, 'summary'),
    // No docker config of the developer's: an empty one.
    DOCKER_CONFIG: o.dockerConfig ?? join(runner, 'docker')
  }
  for (const [k, v] of Object.entries({ ...defaults(), ...o.inputs })) env[`INPUT_${k.toUpperCase()}`] = v
  writeFileSync(env.GITHUB_EVENT_PATH!, '{}')
  writeFileSync(env.GITHUB_OUTPUT!, '')
  writeFileSync(env.GITHUB_STEP_SUMMARY!, '')
  const saved = new Map(Object.keys(env).map((k) => [k, process.env[k]]))
  Object.assign(process.env, env)
  let log = ''
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    log += String(chunk)
    return true
  })
  const exitCode = process.exitCode
  let failed: boolean
  try {
    await run(() => new Date(o.now))
  } finally {
    out.mockRestore()
    failed = process.exitCode === 1
    process.exitCode = exitCode
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
  try {
    const outputs = parseOutputs(readFileSync(env.GITHUB_OUTPUT!, 'utf8'))
    return { outputs, summary: readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8'), failed, log }
  } finally {
    rmSync(runner, { recursive: true, force: true })
  }
}
