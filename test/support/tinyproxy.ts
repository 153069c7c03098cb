/**
 * A real forward proxy for tests: Debian's tinyproxy on 127.0.0.1 (installed by scripts/setup.sh), its outgoing
 * connections bound to 127.0.0.2 (`Bind`), so a server on loopback can tell a proxied connection (peer 127.0.0.2)
 * from a direct one (peer 127.0.0.1). Every CONNECT it serves is in its log (`LogLevel Connect`). Stopped by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, connect, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const TINYPROXY_BIN = '/usr/bin/tinyproxy'
/** The address tinyproxy's outgoing connections come from. */
export const PROXY_OUTGOING_ADDRESS = '127.0.0.2'

export interface TinyProxy {
  url: string
  port: number
  /** The `CONNECT host:port` targets tinyproxy logged, in order. */
  connects(): string[]
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1')
    s.once('connect', () => (s.destroy(), resolve(true)))
    s.once('error', () => resolve(false))
  })
}

async function launch(dir: string, port: number): Promise<ChildProcess | undefined> {
  const conf = join(dir, 'tinyproxy.conf')
  writeFileSync(
    conf,
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      `Bind ${PROXY_OUTGOING_ADDRESS}`,
      'Timeout 60',
      `LogFile "${join(dir, 'log')}"`,
      'LogLevel Connect',
      'MaxClients 100',
      'Allow 127.0.0.1',
      'DisableViaHeader Yes',
      ''
    ].join('\n')
  )
  const child = spawn(TINYPROXY_BIN, ['-d', '-c', conf], { stdio: 'ignore' })
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) return undefined // the port was taken meanwhile
    if (await accepting(port)) return child
    await new Promise((r) => setTimeout(r, 50))
  }
  child.kill('SIGKILL')
  throw new Error(`tinyproxy did not listen on ${port} within 5 s:\n${readLog(dir)}`)
}

function readLog(dir: string): string {
  return existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : ''
}

export async function startTinyProxy(): Promise<TinyProxy> {
  if (!existsSync(TINYPROXY_BIN)) {
    throw new Error(`${TINYPROXY_BIN} not found: apt-get install tinyproxy (or run npm test, which installs it)`)
  }
  const dir = mkdtempSync(join(tmpdir(), 'imagestream-tinyproxy-'))
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort()
    const child = await launch(dir, port)
    if (!child) continue
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      connects: () =>
        [...readLog(dir).matchAll(/Request \(file descriptor \d+\): CONNECT (\S+) HTTP/g)].map((m) => m[1]!),
      stop: async () => {
        if (child.exitCode === null) {
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
          child.kill('SIGTERM')
          await exited
        }
        rmSync(dir, { recursive: true, force: true })
      }
    }
  }
  throw new Error(`tinyproxy could not get a port:\n${readLog(dir)}`)
}
