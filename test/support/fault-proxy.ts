/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of a real registry: what a real registry will not do on demand
 * (drop Docker-Content-Digest, answer 429 with Retry-After, fail with 5xx bursts, reset connections, stall, cut a body
 * short, lie about a digest, send a wrong Content-Type, add latency, paginate tag lists) is injected here, so the
 * client is tested against real responses rather than mocks. It also counts requests by method and kind.
 *
 *   const proxy = await startFaultProxy(reg.url)
 *   proxy.inject({ match: { method: 'HEAD', kind: 'manifest' }, fault: { type: 'no-digest' }, times: 1 })
 *   client.resolve({ domain: proxy.host, path: 'acme/web', tag: 'v1' })
 *   expect(proxy.count('GET', 'manifest')).toBe(1)
 *   await proxy.stop()
 *
 * Rules are checked in the order injected. Rules of different kinds stack (no-digest on HEAD plus latency); of one
 * kind only the first matching rule with `times` left applies, and its count drops — so `503 ×2` then `500 ×1`
 * plays out in order. status, reset, stall and redirect are one kind (each ends the request).
 */
import { createServer, request as httpRequest, Agent, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export type RequestKindName = 'ping' | 'manifest' | 'blob' | 'upload' | 'tags' | 'other'

export interface FaultMatch {
  method?: string
  kind?: RequestKindName
  /** Substring or pattern of the request path (with query). */
  path?: string | RegExp
}

export type Fault =
  /** Remove Docker-Content-Digest from the response. */
  | { type: 'no-digest' }
  /** Replace Docker-Content-Digest with another (valid-looking) digest. */
  | { type: 'lying-digest'; digest?: string }
  /** Answer with this status instead of forwarding (429 + Retry-After, 500/502/503 bursts, …). */
  | { type: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Destroy the connection without answering. */
  | { type: 'reset' }
  /** Hold the request without answering for `ms` (default: until the client gives up or the proxy stops). */
  | { type: 'stall'; ms?: number }
  /** Send the real headers (Content-Length included) but only the first `bytes` of the body, then close. */
  | { type: 'truncate'; bytes?: number }
  /** Replace the response Content-Type. */
  | { type: 'content-type'; value: string }
  /** Forward after waiting `ms`. */
  | { type: 'latency'; ms: number }
  /** Answer tags/list in pages of `pageSize` with relative `Link: <…>; rel="next"` headers (distribution 2.8 won't). */
  | { type: 'paginate-tags'; pageSize: number }
  /** Add response headers (e.g. Docker Hub's ratelimit-*). */
  | { type: 'headers'; headers: Record<string, string> }
  /** Answer 307 to `to` + the request path (a blob CDN on another origin). */
  | { type: 'redirect'; to: string; status?: number }

export interface FaultRule {
  match?: FaultMatch
  fault: Fault
  /** How many matching requests it applies to (default: all). */
  times?: number
}

export interface InjectedFault {
  /** Requests this rule has been applied to. */
  readonly hits: number
  /** Applications left (Infinity when unbounded). */
  readonly remaining: number
  remove(): void
}

export interface FaultProxy {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** `127.0.0.1:PORT`: use as the image reference domain. */
  host: string
  inject(rule: FaultRule): InjectedFault
  /** Remove every rule. */
  clear(): void
  /** Requests seen with this method (and kind); faulted ones included. */
  count(method?: string, kind?: RequestKindName): number
  resetCounts(): void
  /** Every request seen, in order: `HEAD manifest /v2/a/manifests/v1`. */
  log: string[]
  /** Every request seen, with whether it carried an Authorization header (never its value). */
  requests: Array<{ method: string; kind: RequestKindName; path: string; authorized: boolean }>
  stop(): Promise<void>
}

export function kindOf(path: string): RequestKindName {
  const p = path.split('?')[0]!
  if (p === '/v2/' || p === '/v2') return 'ping'
  if (/\/manifests\/[^/]+$/.test(p)) return 'manifest'
  if (/\/blobs\/uploads\//.test(p)) return 'upload'
  if (/\/blobs\/[^/]+$/.test(p)) return 'blob'
  if (/\/tags\/list$/.test(p)) return 'tags'
  return 'other'
}

interface LiveRule {
  rule: FaultRule
  hits: number
  remaining: number
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream)
  const agent = new Agent({ keepAlive: true })
  let rules: LiveRule[] = []
  let seen: Array<{ method: string; kind: RequestKindName }> = []
  const log: string[] = []
  const requests: FaultProxy['requests'] = []
  const sockets = new Set<Socket>()
  const stalled = new Set<ServerResponse>()

  const category = (f: Fault): string =>
    f.type === 'status' || f.type === 'reset' || f.type === 'stall' || f.type === 'redirect' ? 'terminal' : f.type

  const take = (method: string, kind: RequestKindName, path: string): Fault[] => {
    const applied: Fault[] = []
    for (const live of rules) {
      if (live.remaining <= 0) continue
      if (applied.some((f) => category(f) === category(live.rule.fault))) continue
      const m = live.rule.match ?? {}
      if (m.method && m.method.toUpperCase() !== method) continue
      if (m.kind && m.kind !== kind) continue
      if (m.path && !(typeof m.path === 'string' ? path.includes(m.path) : m.path.test(path))) continue
      live.remaining--
      live.hits++
      applied.push(live.rule.fault)
    }
    return applied
  }

  const forward = (
    req: IncomingMessage,
    body: Buffer,
    path = req.url ?? '/'
  ): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers }
      delete headers.connection
      const up = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path, headers, agent },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => {
            const h: Record<string, string | string[]> = {}
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = v
            resolve({ status: res.statusCode ?? 502, headers: h, body: Buffer.concat(chunks) })
          })
          res.on('error', reject)
        }
      )
      up.on('error', reject)
      up.end(body)
    })

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase()
    const path = req.url ?? '/'
    const kind = kindOf(path)
    seen.push({ method, kind })
    log.push(`${method} ${kind} ${path}`)
    requests.push({ method, kind, path, authorized: req.headers.authorization !== undefined })
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const reqBody = Buffer.concat(chunks)
    const faults = take(method, kind, path)

    for (const f of faults) {
      if (f.type === 'latency') await new Promise((r) => setTimeout(r, f.ms))
      if (f.type === 'reset') {
        req.socket.destroy()
        return
      }
      if (f.type === 'stall') {
        if (f.ms === undefined) {
          stalled.add(res)
          return // answered never; stop() closes it
        }
        await new Promise((r) => setTimeout(r, f.ms))
      }
      if (f.type === 'redirect') {
        res.writeHead(f.status ?? 307, { location: `${f.to}${path}`, 'content-length': '0' })
        res.end()
        return
      }
      if (f.type === 'status') {
        const body =
          f.body ??
          JSON.stringify({ errors: [{ code: f.status === 429 ? 'TOOMANYREQUESTS' : 'UNKNOWN', message: 'injected' }] })
        res.writeHead(f.status, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...f.headers
        })
        res.end(method === 'HEAD' ? undefined : body)
        return
      }
    }

    const paginate = faults.find((f): f is Extract<Fault, { type: 'paginate-tags' }> => f.type === 'paginate-tags')
    let up: Awaited<ReturnType<typeof forward>>
    if (paginate && kind === 'tags') {
      const u = new URL(path, 'http://proxy')
      const full = await forward(req, reqBody, u.pathname)
      const all = (JSON.parse(full.body.toString('utf8')) as { name: string; tags: string[] }).tags.slice().sort()
      const last = u.searchParams.get('last')
      const start = last ? all.findIndex((t) => t > last) : 0
      const page = start < 0 ? [] : all.slice(start, start + paginate.pageSize)
      const body = Buffer.from(JSON.stringify({ name: u.pathname.split('/').slice(2, -2).join('/'), tags: page }))
      const headers: Record<string, string | string[]> = {
        'content-type': 'application/json',
        'content-length': String(body.length)
      }
      if (start >= 0 && start + paginate.pageSize < all.length) {
        // Relative, as distribution sends it; the client must resolve it against the request URL.
        headers.link = `<${u.pathname}?n=${paginate.pageSize}&last=${encodeURIComponent(page.at(-1)!)}>; rel="next"`
      }
      up = { status: 200, headers, body }
    } else {
      up = await forward(req, reqBody)
    }

    const headers = { ...up.headers }
    let body = up.body
    let truncateTo: number | undefined
    for (const f of faults) {
      if (f.type === 'no-digest') delete headers['docker-content-digest']
      if (f.type === 'lying-digest')
        headers['docker-content-digest'] = f.digest ?? `sha256:${'0123456789abcdef'.repeat(4)}`
      if (f.type === 'content-type') headers['content-type'] = f.value
      if (f.type === 'headers') Object.assign(headers, f.headers)
      if (f.type === 'truncate') truncateTo = f.bytes ?? Math.floor(body.length / 2)
    }
    delete headers['transfer-encoding']
    delete headers.connection
    delete headers['keep-alive']
    if (method !== 'HEAD') headers['content-length'] = String(body.length)
    res.writeHead(up.status, headers)
    if (truncateTo !== undefined && method !== 'HEAD') {
      body = body.subarray(0, truncateTo)
      res.write(body)
      // Flush what was written, then cut the connection: the client sees fewer bytes than Content-Length.
      res.socket?.end()
      setTimeout(() => res.socket?.destroy(), 20)
      return
    }
    res.end(method === 'HEAD' ? undefined : body)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    log,
    requests,
    inject(rule: FaultRule): InjectedFault {
      const live: LiveRule = { rule, hits: 0, remaining: rule.times ?? Infinity }
      rules.push(live)
      return {
        get hits() {
          return live.hits
        },
        get remaining() {
          return live.remaining
        },
        remove() {
          rules = rules.filter((r) => r !== live)
        }
      }
    },
    clear() {
      rules = []
    },
    count(method?: string, kind?: RequestKindName) {
      return seen.filter((s) => (!method || s.method === method.toUpperCase()) && (!kind || s.kind === kind)).length
    },
    resetCounts() {
      seen = []
      log.length = 0
      requests.length = 0
    },
    async stop() {
      for (const res of stalled) res.destroy()
      for (const s of sockets) s.destroy()
      agent.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
