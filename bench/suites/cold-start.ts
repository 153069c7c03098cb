/**
 * Benchmark 4: `node dist/index.js` as a runner starts it on a schedule with nothing due (a workspace with no streams,
 * delivery none), against `node -e ''`. Runs are interleaved and paired, so both see the same background load.
 * Every URL the action could call points at a closed loopback port: nothing leaves 127.0.0.1.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { runChild, tail } from '../lib/child.js'
import type { Figure } from '../lib/figures.js'
import { bundleWorker, PROJECT_ROOT } from '../lib/programs.js'

class Crash extends Error {}

export interface ColdStartOptions {
  runs: number
  distDir: string
  log: (line: string) => void
}

/** INPUT_* as the runner sets them: every input of action.yml with its default, then our overrides. */
function inputEnv(overrides: Record<string, string>): Record<string, string> {
  const action = parse(readFileSync(join(PROJECT_ROOT, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, { default?: unknown }>
  }
  const env: Record<string, string> = {}
  for (const [name, spec] of Object.entries(action.inputs ?? {})) {
    const value = typeof spec?.default === 'string' && !spec.default.includes('${{') ? spec.default : ''
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  for (const [name, value] of Object.entries(overrides)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  return env
}

export async function coldStartSuite(o: ColdStartOptions): Promise<Figure[]> {
  const entry = join(o.distDir, 'index.js')
  if (!existsSync(entry)) {
    o.log(`  ${entry} does not exist: build it (npm run package) to measure the cold start`)
    return [
      {
        id: 'cold.extra',
        label: '4  cold start: dist/index.js − node -e ""',
        unit: 'ms',
        samples: [],
        target: { op: '<=', value: 150, text: '≤ 150 ms' },
        note: `${entry} missing`
      }
    ]
  }
  const dir = mkdtempSync(join(tmpdir(), 'imagestream-bench-runner-'))
  try {
    const workspace = join(dir, 'workspace')
    const runnerTemp = join(dir, 'runner-temp')
    mkdirSync(workspace)
    mkdirSync(runnerTemp)
    const files = ['output', 'summary', 'state', 'env', 'path'].map((f) => join(dir, f))
    const eventPath = join(dir, 'event.json')
    writeFileSync(eventPath, JSON.stringify({ schedule: '*/15 * * * *' }))
    const closed = 'http://127.0.0.1:9' // discard port: refused at once, never routed anywhere
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: dir,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'schedule',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_WORKSPACE: workspace,
      GITHUB_REPOSITORY: 'bench/bench',
      GITHUB_REPOSITORY_OWNER: 'bench',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_SHA: '0'.repeat(40),
      GITHUB_RUN_ID: '1',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_ACTOR: 'bench',
      GITHUB_WORKFLOW: 'imagestreams',
      GITHUB_JOB: 'import',
      GITHUB_ACTION: 'imagestream',
      GITHUB_SERVER_URL: closed,
      GITHUB_API_URL: closed,
      GITHUB_GRAPHQL_URL: `${closed}/graphql`,
      GITHUB_OUTPUT: files[0],
      GITHUB_STEP_SUMMARY: files[1],
      GITHUB_STATE: files[2],
      GITHUB_ENV: files[3],
      GITHUB_PATH: files[4],
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_TEMP: runnerTemp,
      RUNNER_TOOL_CACHE: runnerTemp,
      ...inputEnv({ delivery: 'none', 'github-token': 'bench-placeholder-not-a-token' })
    }
    const crashOf = (r: { code: number | null; stderr: string }): string | undefined =>
      // Node prints "Node.js vX" under an uncaught error: the action never reached its own code.
      /\nNode\.js v\d+/.test(r.stderr) ? (/^\w*Error[^\n]*$/m.exec(r.stderr)?.[0] ?? tail(r.stderr, 1)) : undefined
    const measure = async (file: string, label: string, how: string): Promise<Figure[]> => {
      // One untimed pass of each warms the page cache, as a runner's checkout has just read the files.
      const warm = await runChild(process.execPath, [file], { cwd: workspace, env, timeoutMs: 60_000 })
      await runChild(process.execPath, ['-e', ''], { cwd: workspace, env })
      const crash = crashOf(warm)
      if (crash) throw new Crash(crash)
      const action: number[] = []
      const empty: number[] = []
      let last = warm
      for (let run = 0; run < o.runs; run++) {
        for (const f of files) writeFileSync(f, '')
        const a = await runChild(process.execPath, [file], { cwd: workspace, env, timeoutMs: 60_000 })
        const b = await runChild(process.execPath, ['-e', ''], { cwd: workspace, env, timeoutMs: 60_000 })
        action.push(a.wallMs)
        empty.push(b.wallMs)
        last = a
      }
      const said = tail(`${last.stdout}\n${last.stderr}`, 2).replace(/\s+/g, ' ').slice(0, 160)
      return [
        {
          id: `cold.${label}.action`,
          label: `4  cold start: node ${how}, nothing due`,
          unit: 'ms',
          samples: action,
          note: `exit code ${last.code}; said: ${said || '(nothing)'}`
        },
        { id: `cold.${label}.node`, label: "4    node -e ''", unit: 'ms', samples: empty },
        {
          id: `cold.${label}.extra`,
          label: `4    ${how} − node -e '' (paired runs)`,
          unit: 'ms',
          samples: action.map((a, i) => a - empty[i]!),
          target: { op: '<=', value: 150, text: '≤ 150 ms' }
        }
      ]
    }
    try {
      return await measure(entry, 'dist', 'dist/index.js')
    } catch (err) {
      if (!(err instanceof Crash)) throw err
      o.log(`  dist/index.js does not start on Node ${process.version}: ${err.message}`)
    }
    // The build cannot start here: time the same entry bundled by esbuild instead, so the figure still exists,
    // and report the crash as a miss of its own.
    const standIn = await bundleWorker(join(PROJECT_ROOT, 'src/action/index.ts'))
    try {
      const crashFigure: Figure = {
        id: 'cold.dist.starts',
        label: `4  dist/index.js starts on Node ${process.version}`,
        unit: 'count',
        samples: [0],
        target: { op: '==', value: 1, text: '= 1 (yes)' },
        note: 'crashed before running any action code; see BENCHMARKS.md'
      }
      return [
        crashFigure,
        ...(await measure(standIn.file, 'esbuild', 'src/action/index.ts bundled by esbuild (stand-in)'))
      ]
    } finally {
      standIn.remove()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
