/**
 * Child processes for the benchmarks: wall time measured by the parent (spawn → exit), peak RSS read from GNU time's
 * "Maximum resident set size" (so it covers any program, the CLI included), stdout kept for the program's own report.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'

export const GNU_TIME = '/usr/bin/time'

export interface ChildResult {
  code: number | null
  wallMs: number
  /** Peak resident set size in MB (1 MB = 2^20 bytes), when GNU time is available. */
  peakRssMb?: number
  /** user + sys CPU in ms of the program and the children it waited for, when GNU time is available. */
  cpuMs?: number
  stdout: string
  stderr: string
}

export interface ChildOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Kill the child after this long (every benchmark step is bounded). */
  timeoutMs?: number
  /** Wrap in GNU time -v to read the peak RSS and the CPU time. */
  measureRss?: boolean
}

const MAX_CAPTURE = 4 * 1024 * 1024

export function runChild(command: string, args: readonly string[], options: ChildOptions = {}): Promise<ChildResult> {
  const wrap = options.measureRss && existsSync(GNU_TIME)
  const file = wrap ? GNU_TIME : command
  const argv = wrap ? ['-v', command, ...args] : [...args]
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(file, argv, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => {
      if (stdout.length < MAX_CAPTURE) stdout += c.toString('utf8')
    })
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < MAX_CAPTURE) stderr += c.toString('utf8')
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000)
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6
      let peakRssMb: number | undefined
      let cpuMs: number | undefined
      if (wrap) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)
        if (m) peakRssMb = Number(m[1]) / 1024
        const user = /User time \(seconds\): ([\d.]+)/.exec(stderr)
        const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr)
        if (user && sys) cpuMs = (Number(user[1]) + Number(sys[1])) * 1000
        // GNU time appends its report to the child's stderr; keep only what the program said.
        const cut = stderr.lastIndexOf('\tCommand being timed:')
        if (cut >= 0) stderr = stderr.slice(0, cut)
      }
      if (signal === 'SIGKILL') stderr += `\n[bench] killed after ${options.timeoutMs ?? 600_000} ms`
      resolve({ code, wallMs, peakRssMb, cpuMs, stdout, stderr })
    })
  })
}

/** The last line of stdout that parses as a JSON object (workers print their report last). */
export function lastJson<T>(stdout: string): T | undefined {
  const lines = stdout.trim().split('\n').reverse()
  for (const line of lines) {
    const t = line.trim()
    if (!t.startsWith('{')) continue
    try {
      return JSON.parse(t) as T
    } catch {
      // not the report line
    }
  }
  return undefined
}

export function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join('\n')
}

/** user + sys CPU (ms) of `node ARGS`, from GNU time; throws when the program fails. */
export async function cliCpuMs(args: readonly string[], options: ChildOptions = {}): Promise<number> {
  const r = await runChild(GNU_TIME, ['-f', '\n%U %S', process.execPath, ...args], options)
  const m = /\n([\d.]+) ([\d.]+)\s*$/.exec(r.stderr)
  if (r.code !== 0 || !m) throw new Error(`node ${args.join(' ')} exited ${r.code}: ${tail(r.stderr, 4)}`)
  return Math.round((Number(m[1]) + Number(m[2])) * 1000)
}
