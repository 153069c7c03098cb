/**
 * Starts bench/workers/proxy-host.ts (the fault proxy with latency on every request) in a child process and talks to
 * it over IPC: host, per-kind request counts, reset, stop.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import type { RequestKindName } from '../../test/support/fault-proxy.js'
import { PROJECT_ROOT } from './programs.js'

export interface LatencyProxy {
  host: string
  url: string
  pid: number
  count(method?: string, kind?: RequestKindName): Promise<number>
  resetCounts(): Promise<void>
  stop(): Promise<void>
}

export async function startLatencyProxy(upstream: string, latencyMs: number): Promise<LatencyProxy> {
  const child: ChildProcess = fork(join(PROJECT_ROOT, 'bench/workers/proxy-host.ts'), [upstream, String(latencyMs)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  let nextId = 1
  const waiting = new Map<number, (value: number) => void>()
  const ready = new Promise<{ host: string; url: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error('the latency proxy did not start within 30 s'))
    }, 30_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the latency proxy exited (${code}) before it was ready`))
    })
    child.on('message', (m: { ready?: boolean; host?: string; url?: string; id?: number; value?: number }) => {
      if (m.ready) {
        clearTimeout(timer)
        resolve({ host: m.host!, url: m.url! })
      } else if (m.id !== undefined) {
        waiting.get(m.id)?.(m.value ?? 0)
        waiting.delete(m.id)
      }
    })
  })
  const { host, url } = await ready
  const ask = (msg: Record<string, unknown>): Promise<number> =>
    new Promise((resolve, reject) => {
      if (!child.connected) return reject(new Error('the latency proxy is gone'))
      const id = nextId++
      waiting.set(id, resolve)
      child.send({ ...msg, id })
    })
  return {
    host,
    url,
    pid: child.pid!,
    count: (method, kind) => ask({ op: 'count', method, kind }),
    resetCounts: async () => {
      await ask({ op: 'reset' })
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      await ask({ op: 'stop' }).catch(() => 0)
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
  }
}
