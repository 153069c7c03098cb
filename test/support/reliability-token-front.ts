/**
 * A faulty front for the test token server: what a real token service does on a bad day, on demand. It forwards
 * to the real token server (./token-server.ts) and can instead fail with a status, answer garbage, or hand out an
 * expired token that claims to be fresh (a real ES256 JWT signed with the test key, `exp` in the past, while the
 * response says `expires_in: 300` — so the client caches it and only the registry's 401 reveals it).
 *
 * Registries name their token realm in `WWW-Authenticate`; to route clients here, the fault proxy in front of the
 * registry rewrites that header (`challengeHeader()` gives the value).
 */
import { createPrivateKey, sign } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { CERT_DIR } from './token-server.js'

export type TokenFault = { type: 'status'; status: number } | { type: 'expired' } | { type: 'garbage' }

export interface TokenFrontRule {
  fault: TokenFault
  /** Only token requests whose query/body contain this (e.g. a scope `repository:acme/s0:pull`). */
  match?: string
  times?: number
}

export interface TokenFront {
  realm: string
  /** A `WWW-Authenticate` value that sends clients here (scope left out: the client asks for its own). */
  challengeHeader(service: string): string
  inject(rule: TokenFrontRule): void
  clear(): void
  /** Token requests seen and faults applied. */
  stats: { requests: number; faulted: number }
  /** Every token this front handed out (real or expired), so tests can look for them in logs and files. */
  issued: Set<string>
  stop(): Promise<void>
}

const key = createPrivateKey(readFileSync(join(CERT_DIR, 'key-ec.pem')))

/** The same token with its times moved an hour into the past, re-signed with the test key: valid but expired. */
function expire(jwt: string): string {
  const [h, p] = jwt.split('.')
  const claims = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Record<string, number>
  const now = Math.floor(Date.now() / 1000)
  const input = `${h}.${Buffer.from(JSON.stringify({ ...claims, iat: now - 7200, nbf: now - 7200, exp: now - 3600 })).toString('base64url')}`
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`
}

export async function startTokenFront(upstreamRealm: string): Promise<TokenFront> {
  let rules: Array<TokenFrontRule & { left: number }> = []
  const stats = { requests: 0, faulted: 0 }
  const issued = new Set<string>()

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    stats.requests++
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks)
    const haystack = decodeURIComponent(`${req.url ?? ''} ${body.toString('utf8')}`.replace(/\+/g, ' '))
    const rule = rules.find((r) => r.left > 0 && (!r.match || haystack.includes(r.match)))
    if (rule) {
      rule.left--
      stats.faulted++
    }
    if (rule?.fault.type === 'status') {
      res.writeHead(rule.fault.status, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'injected token failure' }] }))
      return
    }
    if (rule?.fault.type === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"token": ')
      return
    }
    const url = new URL(req.url ?? '/', upstreamRealm)
    const up = await fetch(new URL(`${url.pathname}${url.search}`, upstreamRealm), {
      method: req.method,
      headers: Object.fromEntries(
        Object.entries(req.headers).filter(
          ([k, v]) => typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)
        )
      ) as Record<string, string>,
      body: req.method === 'POST' ? body : undefined
    })
    const text = await up.text()
    let out = text
    if (up.status === 200) {
      const parsed = JSON.parse(text) as { token: string; access_token?: string }
      const token = rule?.fault.type === 'expired' ? expire(parsed.token) : parsed.token
      issued.add(token)
      out = JSON.stringify({
        ...parsed,
        token,
        access_token: token,
        expires_in: 300,
        issued_at: new Date().toISOString()
      })
    }
    res.writeHead(up.status, { 'content-type': 'application/json' })
    res.end(out)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const realm = `http://127.0.0.1:${port}/token`
  return {
    realm,
    challengeHeader: (service) => `Bearer realm="${realm}",service="${service}"`,
    inject(rule) {
      rules.push({ ...rule, left: rule.times ?? Infinity })
    },
    clear() {
      rules = []
    },
    stats,
    issued,
    async stop() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
