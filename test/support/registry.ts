/**
 * A real registry for tests: Debian's `docker-registry` (distribution 2.8) on 127.0.0.1 with an OS-chosen port,
 * in one of three auth modes, in its own temp dir, stopped by PID.
 *
 *   const reg = await startRegistry({ auth: 'token' })     // beforeAll
 *   const digest = await pushImage(reg, 'acme/web', 'v1')  // see ./push.ts
 *   … createRegistryClient({ credentials: { [reg.host]: reg.user } }) …
 *   await reg.stop()                                       // afterAll
 *
 * Modes: `open` (no auth); `htpasswd` (Basic, bcrypt entries written with bcryptjs); `token` (Bearer, an
 * in-process token server from ./token-server.ts; anonymous pulls allowed for repositories under `public/`).
 * The port comes from the registry's own "listening on" log line (config `addr: 127.0.0.1:0`), so there is no race.
 */
import bcrypt from 'bcryptjs'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTokenServer, TOKEN_CERT, type TokenServer } from './token-server.js'

export { pushBlob, pushManifest, pushImage, pushIndex, deleteManifest, deleteTag } from './push.js'
export type { PushImageOptions, PushIndexOptions, PushedIndex } from './push.js'

export const REGISTRY_BIN = '/usr/bin/docker-registry'

export type AuthMode = 'open' | 'htpasswd' | 'token'

export interface StartRegistryOptions {
  auth?: AuthMode
  /** username → password; default { testuser: 'testpass' }. */
  users?: Record<string, string>
  /** Token lifetime for token mode (seconds, default 300). */
  tokenTtl?: number
  /** Token mode: answer without expires_in/issued_at (clients must assume 60 s). */
  tokenOmitExpiry?: boolean
}

export interface TestRegistry {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** `127.0.0.1:PORT` — the domain of image references pointing here. */
  host: string
  port: number
  pid: number
  /** Temp dir holding the config, data and htpasswd; removed by stop(). */
  dir: string
  auth: AuthMode
  users: Record<string, string>
  /** The first user, in the shape docker config / the client take. */
  user: { username: string; password: string }
  /** Token mode only. */
  tokenServer?: TokenServer
  /** Headers that let the harness push, pull and delete in `repo` (empty in open mode). */
  authHeaders(repo: string): Promise<Record<string, string>>
  stop(): Promise<void>
}

/** Registries still running, killed if the test process exits without stop() (a crashed suite). */
const running = new Set<ChildProcess>()
let exitHookInstalled = false

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL')
  })
}

export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  if (!existsSync(REGISTRY_BIN)) {
    throw new Error(
      `${REGISTRY_BIN} not found: install Debian's docker-registry: apt-get install docker-registry (or run npm test, which installs it)`
    )
  }
  const auth = options.auth ?? 'open'
  const users = options.users ?? { testuser: 'testpass' }
  const [firstUser, firstPassword] = Object.entries(users)[0] ?? ['', '']
  const dir = mkdtempSync(join(tmpdir(), 'imagestream-registry-'))
  let tokenServer: TokenServer | undefined
  let authBlock = ''
  try {
    if (auth === 'htpasswd') {
      const lines = Object.entries(users).map(([u, p]) => htpasswdLine(u, p))
      writeFileSync(join(dir, 'htpasswd'), lines.join(''))
      authBlock = `auth:\n  htpasswd:\n    realm: basic-realm\n    path: ${join(dir, 'htpasswd')}\n`
    } else if (auth === 'token') {
      tokenServer = await startTokenServer({ users, ttl: options.tokenTtl, omitExpiry: options.tokenOmitExpiry })
      authBlock =
        `auth:\n  token:\n    realm: ${tokenServer.realm}\n    service: ${tokenServer.service}\n` +
        `    issuer: ${tokenServer.issuer}\n    rootcertbundle: ${TOKEN_CERT}\n`
    }
    const config = join(dir, 'config.yml')
    writeFileSync(
      config,
      `version: 0.1
log:
  level: info
  formatter: json
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${join(dir, 'data')}
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:0
  secret: test-only-secret
${authBlock}`
    )
    const child = spawn(REGISTRY_BIN, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] })
    running.add(child)
    installExitHook()
    const port = await listeningPort(child)
    const host = `127.0.0.1:${port}`
    const tokens = new Map<string, string>()
    const stop = async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
        child.kill('SIGTERM')
        await exited
      }
      running.delete(child)
      await tokenServer?.stop()
      rmSync(dir, { recursive: true, force: true })
    }
    return {
      url: `http://${host}`,
      host,
      port,
      pid: child.pid!,
      dir,
      auth,
      users,
      user: { username: firstUser, password: firstPassword },
      tokenServer,
      async authHeaders(repo: string): Promise<Record<string, string>> {
        if (auth === 'open') return {}
        if (auth === 'htpasswd') {
          return { authorization: `Basic ${Buffer.from(`${firstUser}:${firstPassword}`).toString('base64')}` }
        }
        let token = tokens.get(repo)
        if (!token) {
          token = tokenServer!.mintToken(firstUser, [`repository:${repo}:pull,push,delete`])
          tokens.set(repo, token)
        }
        return { authorization: `Bearer ${token}` }
      },
      stop
    }
  } catch (err) {
    await tokenServer?.stop()
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
}

/**
 * One htpasswd line `user:$2b$…`. bcrypt is the only hash distribution accepts ("Entries with other hash types are
 * ignored", registry/auth/htpasswd); it checks them with golang.org/x/crypto/bcrypt, which reads the `$2a$`, `$2b$`
 * and `$2y$` prefixes alike. bcryptjs (pure JS) instead of `htpasswd -B` (apache2-utils): one system package fewer.
 * Cost 5, as `htpasswd -B` uses by default (Go's bcrypt.MinCost is 4): fast registry checks, still a real bcrypt hash.
 */
function htpasswdLine(user: string, password: string): string {
  if (user.includes(':') || /[\r\n]/.test(user + password))
    throw new Error(`htpasswd: invalid user ${JSON.stringify(user)}`)
  return `${user}:${bcrypt.hashSync(password, 5)}\n`
}

/** Waits for `"msg":"listening on 127.0.0.1:NNNNN"` on stderr; rejects with the log if the registry exits first. */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let log = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`docker-registry did not report a port within 15 s:\n${log}`))
    }, 15_000)
    const onExit = (code: number | null): void => {
      clearTimeout(timer)
      reject(new Error(`docker-registry exited (${code}) before listening:\n${log}`))
    }
    child.once('exit', onExit)
    child.stderr!.on('data', (chunk: Buffer) => {
      if (log.length < 64 * 1024) log += chunk.toString('utf8')
      const m = /"msg":"listening on [^"]*:(\d+)"/.exec(log)
      if (m) {
        clearTimeout(timer)
        child.off('exit', onExit)
        log = '' // keep draining stderr (the pipe must not fill) without keeping it
        resolve(Number(m[1]))
      }
    })
  })
}
