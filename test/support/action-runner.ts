/**
 * Runs the BUILT action (dist/index.js) the way a GitHub runner does: a child `node` process (the Node that action.yml
 * names, see ./node-runtime.ts) with INPUT_* for every input (action.yml defaults filled in, hyphens kept, names
 * upper-cased), the GITHUB_* variables, the event payload in a file, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files it
 * appends to. Nothing of the test process's own environment leaks in except PATH (git), so a developer's ~/.docker/config.json or GITHUB_TOKEN cannot change a run.
 *
 * The child is spawned asynchronously: the fake GitHub API usually lives in the test process and must keep serving.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { actionNode } from './node-runtime.js'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const DIST_INDEX = join(ROOT, 'dist', 'index.js')

export interface RunActionOptions {
  /** Input name (as in action.yml, e.g. `registry-auth`) → value. Unset inputs get their action.yml default. */
  inputs?: Record<string, string>
  eventName?: string
  /** Written to a file whose path is GITHUB_EVENT_PATH. */
  payload?: unknown
  workspace: string
  /** GITHUB_API_URL (the fake). */
  apiUrl?: string
  /** OWNER/REPO. */
  repository?: string
  /** GITHUB_REF_NAME (a branch). */
  refName?: string
  env?: Record<string, string>
  timeoutMs?: number
}

export interface Annotation {
  kind: 'error' | 'warning' | 'notice'
  properties: Record<string, string>
  message: string
}

export interface ActionRun {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  annotations: Annotation[]
  /** Values registered with ::add-mask:: (what the runner would mask). */
  masked: string[]
  /** stdout without the ::add-mask:: commands: what a person reading the log would see (before masking). */
  log: string
}

function actionDefaults(): Record<string, string> {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  const out: Record<string, string> = {}
  for (const [name, spec] of Object.entries(action.inputs)) {
    const d = spec.default ?? ''
    // `${{ github.token }}` is an expression the runner evaluates; tests give the token explicitly.
    out[name] = d.includes('${{') ? '' : d
  }
  return out
}

function unescapeCommand(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%')
}

export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const re = /^([^\n<]+)<<(ghadelimiter_[0-9a-f-]+)\r?\n([\s\S]*?)\r?\n\2\r?$/gm
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null) out[m[1]!] = m[3]!
  return out
}

export function parseAnnotations(stdout: string): Annotation[] {
  const out: Annotation[] = []
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line)
    if (!m) continue
    const properties: Record<string, string> = {}
    for (const part of (m[2] ?? '').split(',').filter(Boolean)) {
      const eq = part.indexOf('=')
      properties[part.slice(0, eq)] = unescapeCommand(part.slice(eq + 1))
    }
    out.push({ kind: m[1] as Annotation['kind'], properties, message: unescapeCommand(m[3]!) })
  }
  return out
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  if (!existsSync(DIST_INDEX)) throw new Error(`${DIST_INDEX} is missing: build it with npm run package`)
  const dir = mkdtempSync(join(tmpdir(), 'imagestream-runner-'))
  try {
    const eventPath = join(dir, 'event.json')
    writeFileSync(eventPath, JSON.stringify(options.payload ?? {}))
    const outputPath = join(dir, 'output')
    const summaryPath = join(dir, 'summary.md')
    writeFileSync(outputPath, '')
    writeFileSync(summaryPath, '')
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: join(dir, 'home'),
      RUNNER_TEMP: dir,
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_EVENT_NAME: options.eventName ?? 'schedule',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_REPOSITORY: options.repository ?? 'acme/gitops',
      GITHUB_API_URL: options.apiUrl ?? 'http://127.0.0.1:9',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REF: `refs/heads/${options.refName ?? 'main'}`,
      GITHUB_REF_NAME: options.refName ?? 'main',
      GITHUB_REF_TYPE: 'branch'
    }
    const inputs = { ...actionDefaults(), ...(options.inputs ?? {}) }
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
    Object.assign(env, options.env ?? {})

    const child = spawn(actionNode(), [DIST_INDEX], { cwd: options.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
    const code = await new Promise<number | null>((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`the action did not finish within ${options.timeoutMs ?? 120_000} ms:\n${stdout}\n${stderr}`))
      }, options.timeoutMs ?? 120_000)
      child.on('error', reject)
      child.on('close', (c) => {
        clearTimeout(timer)
        resolvePromise(c)
      })
    })
    const masked = stdout
      .split(/\r?\n/)
      .filter((l) => l.startsWith('::add-mask::'))
      .map((l) => unescapeCommand(l.slice('::add-mask::'.length)))
    return {
      code,
      stdout,
      stderr,
      outputs: parseOutputs(readFileSync(outputPath, 'utf8')),
      summary: readFileSync(summaryPath, 'utf8'),
      annotations: parseAnnotations(stdout),
      masked,
      log: stdout
        .split(/\r?\n/)
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n')
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
