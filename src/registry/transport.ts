import { EnvHttpProxyAgent, request, type Dispatcher } from 'undici'
import type { Clock } from '../util/clock.js'
import { RegistryError } from './errors.js'
import { isLoopbackHost } from './hosts.js'
import {
  backoffDelay,
  describeNetworkError,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter
} from './retry.js'

export type RequestKind = 'ping' | 'manifest' | 'blob' | 'tags' | 'token'

export type Headers = Record<string, string | string[] | undefined>

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST'
  url: string
  headers?: Record<string, string>
  body?: string
  kind: RequestKind
  /** Responses with a longer body fail with reason Invalid instead of being buffered. */
  maxBodyBytes: number
  /** Skip certificate verification (an insecure registry). */
  insecureTls?: boolean
}

export interface HttpResponse {
  status: number
  headers: Headers
  body: Buffer
  /** The URL that answered, after redirects. */
  url: string
}

/** One HTTP exchange as it went out, for tests, benchmarks and debugging (`onRequest`). Never holds headers. */
export interface RequestEvent {
  method: string
  url: string
  kind: RequestKind
  /** 0 for the first try, then 1, 2 … for retries of the same request. */
  attempt: number
  status?: number
  /** Network error code when no response arrived. */
  error?: string
}

export interface RequestStats {
  head: number
  get: number
  post: number
  token: number
  retries: number
  /** By kind: how many exchanges went to manifests, blobs, tags, tokens, pings. */
  byKind: Record<RequestKind, number>
}

export interface TransportOptions {
  /** Requests in flight across the whole client (default 16). */
  concurrency: number
  /** Per-request limit for the response headers and for each gap while reading the body (default 30 s). */
  timeoutMs: number
  /** Retries after the first try for 408/429/5xx and network errors (default 4). */
  maxRetries: number
  /** Longest Retry-After honoured; longer fails fast (default 60 s). */
  retryAfterCapSeconds: number
  /** First backoff step (default 500 ms) and ceiling (default 10 s). */
  backoffBaseMs: number
  backoffMaxMs: number
  userAgent: string
  clock: Clock
  sleep: (ms: number) => Promise<void>
  random: () => number
  onRequest?: (event: RequestEvent) => void
  onWarning?: (message: string) => void
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 5

/** A counting semaphore: the client-wide concurrency limit. Held per exchange only, never across an auth flow. */
class Limiter {
  private active = 0
  private readonly waiting: Array<() => void> = []
  constructor(private readonly limit: number) {}
  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++
      return
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve))
  }
  release(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.active--
  }
}

/**
 * HTTP for the registry client: a keep-alive undici Agent (one pool per origin), the concurrency limit, retries with
 * backoff and jitter, Retry-After, timeouts, bounded bodies, redirects that never carry Authorization to another
 * origin, and request accounting. It knows nothing about auth or manifests.
 */
export class Transport {
  private readonly agent: EnvHttpProxyAgent
  private insecureAgent?: EnvHttpProxyAgent
  private readonly limiter: Limiter
  private readonly warnedRateLimit = new Set<string>()
  readonly counters: RequestStats = {
    head: 0,
    get: 0,
    post: 0,
    token: 0,
    retries: 0,
    byKind: { ping: 0, manifest: 0, blob: 0, tags: 0, token: 0 }
  }

  constructor(readonly options: TransportOptions) {
    // HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and lower-case), read once here. Proxied requests go through a CONNECT
    // tunnel (undici's default), so the proxy never sees a request's Authorization; loopback is proxied too unless
    // NO_PROXY names it (undici has no implicit localhost exception, like curl).
    this.agent = new EnvHttpProxyAgent({ connections: options.concurrency, keepAliveTimeout: 10_000 })
    this.limiter = new Limiter(options.concurrency)
  }

  /** Sends with retries. Returns the final response whatever its status; throws RegistryError when none arrived. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const { maxRetries } = this.options
    for (let attempt = 0; ; attempt++) {
      let response: HttpResponse
      try {
        response = await this.sendFollowingRedirects(req, attempt)
      } catch (err) {
        if (err instanceof RegistryError) throw err
        if (isRetryableNetworkError(err) && attempt < maxRetries) {
          this.counters.retries++
          await this.options.sleep(backoffDelay(attempt, this.backoff()))
          continue
        }
        const host = new URL(req.url).host
        throw new RegistryError(
          'InternalError',
          `cannot reach ${host}: ${describeNetworkError(err)}${attempt > 0 ? ` (after ${attempt + 1} attempts)` : ''}; ` +
            'check that the registry is up and reachable, then retry',
          { cause: err }
        )
      }
      this.noteRateLimit(req, response)
      if (!isRetryableStatus(response.status)) return response
      if (response.status === 429 || response.status === 503) {
        const wait = parseRetryAfter(response.headers['retry-after'], this.options.clock.now())
        const cap = this.options.retryAfterCapSeconds
        if (wait !== undefined && wait > cap) {
          throw new RegistryError(
            'TooManyRequests',
            `${new URL(req.url).host} asks to retry after ${wait} s, longer than the ${cap} s this client waits; ` +
              'authenticate to raise the rate limit, reduce how often imports run, or retry later',
            { status: response.status, retryAfterSeconds: wait }
          )
        }
        if (response.status === 429 && remainingOf(response.headers) === 0 && wait === undefined) {
          // Docker Hub's pull limit: a window of hours, so waiting a few seconds cannot help.
          throw new RegistryError(
            'TooManyRequests',
            `${new URL(req.url).host} pull rate limit reached (ratelimit-remaining: 0); ` +
              'log in to the registry to raise the limit, or retry after the window resets',
            { status: 429 }
          )
        }
        if (attempt >= maxRetries) return response
        this.counters.retries++
        await this.options.sleep(wait !== undefined ? wait * 1000 : backoffDelay(attempt, this.backoff()))
        continue
      }
      if (attempt >= maxRetries) return response
      this.counters.retries++
      await this.options.sleep(backoffDelay(attempt, this.backoff()))
    }
  }

  private backoff(): { baseMs: number; maxMs: number; random: () => number } {
    return { baseMs: this.options.backoffBaseMs, maxMs: this.options.backoffMaxMs, random: this.options.random }
  }

  private async sendFollowingRedirects(req: HttpRequest, attempt: number): Promise<HttpResponse> {
    let url = req.url
    let method = req.method
    let headers = { ...req.headers }
    let body = req.body
    for (let hop = 0; ; hop++) {
      const res = await this.exchange({ ...req, url, method, headers, body }, attempt)
      const location = res.headers.location
      if (!REDIRECTS.has(res.status) || typeof location !== 'string' || hop >= MAX_REDIRECTS) return res
      const next = new URL(location, url)
      const from = new URL(url)
      if (next.protocol !== 'https:' && next.protocol !== 'http:') return res
      if (from.protocol === 'https:' && next.protocol === 'http:' && !isLoopbackHost(next.host)) {
        throw new RegistryError(
          'InternalError',
          `${from.host} redirected to plain http (${next.origin}); refusing to downgrade. Ask the registry operator to ` +
            'serve the redirect target over https'
        )
      }
      if (next.origin !== from.origin) {
        // distribution-spec: clients MUST NOT forward Authorization across host boundaries (blob CDNs, S3).
        const { authorization: _dropped, ...rest } = headers
        headers = rest
      }
      if (res.status === 303 && method === 'POST') {
        method = 'GET'
        body = undefined
      }
      url = next.toString()
    }
  }

  private async exchange(req: HttpRequest, attempt: number): Promise<HttpResponse> {
    const event: RequestEvent = { method: req.method, url: req.url, kind: req.kind, attempt }
    if (req.method === 'HEAD') this.counters.head++
    else if (req.method === 'GET') this.counters.get++
    else this.counters.post++
    if (req.kind === 'token') this.counters.token++
    this.counters.byKind[req.kind]++
    await this.limiter.acquire()
    try {
      const res = await request(req.url, {
        method: req.method,
        headers: { 'user-agent': this.options.userAgent, ...req.headers },
        body: req.body,
        dispatcher: this.dispatcherFor(req),
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
        // undici closes the socket after a HEAD unless told otherwise (nodejs/undici#258); a registry answers HEAD
        // with a Content-Length and no body, so the connection is safe to reuse — and a new one is a TLS handshake.
        ...(req.method === 'HEAD' ? { reset: false } : {})
      })
      event.status = res.statusCode
      const body = await readBounded(res, req)
      return { status: res.statusCode, headers: res.headers as Headers, body, url: req.url }
    } catch (err) {
      if (event.status === undefined) event.error = describeNetworkError(err)
      throw err
    } finally {
      this.limiter.release()
      this.options.onRequest?.(event)
    }
  }

  private dispatcherFor(req: HttpRequest): Dispatcher {
    if (!req.insecureTls) return this.agent
    this.insecureAgent ??= new EnvHttpProxyAgent({
      connections: this.options.concurrency,
      keepAliveTimeout: 10_000,
      connect: { rejectUnauthorized: false },
      requestTls: { rejectUnauthorized: false } // TLS to the registry inside a proxy tunnel
    })
    return this.insecureAgent
  }

  private noteRateLimit(req: HttpRequest, res: HttpResponse): void {
    const remaining = remainingOf(res.headers)
    const limit = leadingInt(res.headers['ratelimit-limit'])
    if (remaining === undefined || limit === undefined) return
    const host = new URL(req.url).host
    if (remaining <= Math.max(1, Math.floor(limit / 10)) && !this.warnedRateLimit.has(host)) {
      this.warnedRateLimit.add(host)
      const window = /w=(\d+)/.exec(String(res.headers['ratelimit-limit']))?.[1]
      this.options.onWarning?.(
        `${host}: ${remaining} of ${limit} pulls left${window ? ` in the ${Math.round(Number(window) / 3600)} h window` : ''}; ` +
          'authenticate to raise the limit'
      )
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.agent.close(), this.insecureAgent?.close()])
  }
}

/** `ratelimit-remaining: 76;w=21600` → 76 (regclient setRateLimit). */
function leadingInt(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value
  const m = v ? /^\s*(\d+)/.exec(v) : null
  return m ? Number(m[1]) : undefined
}

function remainingOf(headers: Headers): number | undefined {
  return leadingInt(headers['ratelimit-remaining'])
}

/** Reads the whole body, refusing more than `maxBodyBytes` before buffering it (manifests are small; bodies aren't). */
async function readBounded(res: Dispatcher.ResponseData, req: HttpRequest): Promise<Buffer> {
  const declared = Number(res.headers['content-length'])
  if (req.method === 'HEAD') {
    await res.body.dump()
    return Buffer.alloc(0)
  }
  // An unread body destroyed without a listener emits an unhandled 'error' (RequestAbortedError).
  res.body.on('error', () => {})
  if (Number.isFinite(declared) && declared > req.maxBodyBytes) {
    res.body.destroy()
    throw tooLarge(req, declared)
  }
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of res.body) {
    total += (chunk as Buffer).length
    if (total > req.maxBodyBytes) {
      res.body.destroy()
      throw tooLarge(req, total)
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

function tooLarge(req: HttpRequest, size: number): RegistryError {
  return new RegistryError(
    'Invalid',
    `${new URL(req.url).host} sent a ${req.kind} response of ${size}+ bytes, more than the ${req.maxBodyBytes} allowed; ` +
      'this is not an image manifest or config this client can use'
  )
}
