/**
 * A Docker registry token server for tests (docs/spec/auth/token.md and oauth.md), in-process, no dependencies.
 * It signs ES256 JWTs with the test key and puts the certificate in the `x5c` header, which distribution 2.8 and 3.x
 * both verify against the registry's `rootcertbundle` (shared/reference/registry.md §18: `aud` must be a string,
 * `exp` is required, the signature is raw R‖S).
 *
 * Users: the `users` map (default testuser/testpass). Repositories under `public/` may be pulled anonymously;
 * everything else needs a user. It counts every token request so tests can assert caching.
 */
import { createPrivateKey, randomBytes, randomUUID, sign, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const CERT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'certs')
export const TOKEN_CERT = join(CERT_DIR, 'cert-ec.pem')
const TOKEN_KEY = join(CERT_DIR, 'key-ec.pem')

export interface TokenServerOptions {
  issuer?: string
  service?: string
  users?: Record<string, string>
  /** Seconds a token lives (`expires_in`); default 300. */
  ttl?: number
  /** Leave out `expires_in`/`issued_at` from responses (clients must default to 60 s). */
  omitExpiry?: boolean
}

export interface TokenStats {
  /** Every request to /token. */
  total: number
  anonymous: number
  basic: number
  refresh: number
  password: number
  rejected: number
  /** Token requests per scope string as sent (`repository:a/b:pull`). */
  byScope: Record<string, number>
}

export interface TokenServer {
  /** The realm to configure: `http://127.0.0.1:PORT/token`. */
  realm: string
  issuer: string
  service: string
  stats: TokenStats
  resetStats(): void
  /** Issues a refresh token for a user, as `docker login` would store it as `identitytoken`. */
  refreshTokenFor(user: string): string
  /** A signed token for the harness's own pushes; not counted in `stats`. */
  mintToken(user: string, scopes: string[]): string
  stop(): Promise<void>
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url')

interface Scope {
  type: string
  name: string
  actions: string[]
}

/** `repository:foo/bar:pull,push` → type, name (may hold ':' for a port), actions. */
function parseScope(s: string): Scope | undefined {
  const parts = s.split(':')
  if (parts.length < 3) return undefined
  return { type: parts[0]!, name: parts.slice(1, -1).join(':'), actions: parts.at(-1)!.split(',').filter(Boolean) }
}

function emptyStats(): TokenStats {
  return { total: 0, anonymous: 0, basic: 0, refresh: 0, password: 0, rejected: 0, byScope: {} }
}

export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  const issuer = options.issuer ?? 'test-issuer'
  const service = options.service ?? 'test-registry'
  const users = options.users ?? { testuser: 'testpass' }
  const ttl = options.ttl ?? 300
  const key = createPrivateKey(readFileSync(TOKEN_KEY))
  const cert = new X509Certificate(readFileSync(TOKEN_CERT))
  const refreshTokens = new Map<string, string>()
  let stats = emptyStats()

  const jwt = (claims: Record<string, unknown>): string => {
    const header = { typ: 'JWT', alg: 'ES256', x5c: [cert.raw.toString('base64')] }
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`
    // distribution wants the raw R‖S form (64 bytes), not DER.
    const sig = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
    return `${input}.${b64url(sig)}`
  }

  const grant = (user: string | undefined, scopes: Scope[]): Scope[] =>
    scopes.flatMap((sc) => {
      if (sc.type !== 'repository') return []
      const allowed = user ? ['pull', 'push', 'delete', '*'] : sc.name.startsWith('public/') ? ['pull'] : []
      return [{ type: sc.type, name: sc.name, actions: sc.actions.filter((a) => allowed.includes(a)) }]
    })

  const tokenFor = (user: string | undefined, scopes: Scope[], now: number): string =>
    jwt({
      iss: issuer,
      sub: user ?? '',
      aud: service, // a string: distribution 2.8 rejects an array
      exp: now + ttl,
      nbf: now - 1,
      iat: now,
      jti: randomUUID(),
      access: grant(user, scopes)
    })

  const issue = (
    res: ServerResponse,
    user: string | undefined,
    scopes: Scope[],
    extra: Record<string, unknown> = {}
  ): void => {
    const now = Math.floor(Date.now() / 1000)
    const token = tokenFor(user, scopes, now)
    const body: Record<string, unknown> = { token, access_token: token, ...extra }
    if (!options.omitExpiry) {
      body.expires_in = ttl
      body.issued_at = new Date(now * 1000).toISOString()
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }

  const deny = (res: ServerResponse, status: number, message: string): void => {
    stats.rejected++
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message }] }))
  }

  const countScopes = (scopes: string[]): void => {
    for (const s of scopes) stats.byScope[s] = (stats.byScope[s] ?? 0) + 1
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://token')
    if (url.pathname !== '/token') {
      res.writeHead(404).end()
      return
    }
    stats.total++
    if (req.method === 'GET') {
      if (url.searchParams.get('service') !== service) return deny(res, 400, 'unknown service')
      const rawScopes = url.searchParams
        .getAll('scope')
        .flatMap((s) => s.split(' '))
        .filter(Boolean)
      countScopes(rawScopes)
      const scopes = rawScopes.map(parseScope).filter((s): s is Scope => s !== undefined)
      const m = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '')
      if (!m) {
        stats.anonymous++
        return issue(res, undefined, scopes)
      }
      const decoded = Buffer.from(m[1]!, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      const user = decoded.slice(0, colon)
      if (colon < 0 || users[user] === undefined || users[user] !== decoded.slice(colon + 1)) {
        return deny(res, 401, 'invalid username or password')
      }
      stats.basic++
      return issue(res, user, scopes)
    }
    if (req.method === 'POST') {
      let body = ''
      for await (const chunk of req) body += String(chunk)
      const form = new URLSearchParams(body)
      if (form.get('service') !== service) return deny(res, 400, 'unknown service')
      const rawScopes = (form.get('scope') ?? '').split(' ').filter(Boolean)
      countScopes(rawScopes)
      const scopes = rawScopes.map(parseScope).filter((s): s is Scope => s !== undefined)
      const grantType = form.get('grant_type')
      if (grantType === 'refresh_token') {
        const user = refreshTokens.get(form.get('refresh_token') ?? '')
        if (!user) return deny(res, 401, 'invalid refresh token')
        stats.refresh++
        return issue(res, user, scopes, { refresh_token: form.get('refresh_token') })
      }
      if (grantType === 'password') {
        const user = form.get('username') ?? ''
        if (users[user] === undefined || users[user] !== form.get('password'))
          return deny(res, 401, 'invalid credentials')
        stats.password++
        return issue(res, user, scopes)
      }
      return deny(res, 400, 'unsupported grant_type')
    }
    res.writeHead(405).end()
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    realm: `http://127.0.0.1:${port}/token`,
    issuer,
    service,
    get stats() {
      return stats
    },
    resetStats() {
      stats = emptyStats()
    },
    refreshTokenFor(user: string) {
      const rt = randomBytes(24).toString('hex')
      refreshTokens.set(rt, user)
      return rt
    },
    mintToken(user: string, scopes: string[]) {
      return tokenFor(
        user,
        scopes.map(parseScope).filter((s): s is Scope => s !== undefined),
        Math.floor(Date.now() / 1000)
      )
    },
    async stop() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
