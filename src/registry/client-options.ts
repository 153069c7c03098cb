/** The registry client's settings: limits, retries, insecure hosts, and the hooks for secrets, warnings and requests. */
import type { Clock } from '../util/clock.js'
import type { CredentialSourceOptions } from './credentials.js'
import type { RequestEvent, RequestStats } from './transport.js'
import type { Platform, RegistryClient } from './types.js'

export interface RegistryClientOptions extends Omit<CredentialSourceOptions, 'onSecret'> {
  /** Requests in flight across the client (default 16). */
  concurrency?: number
  /** Per-request timeout for headers and body gaps, ms (default 30 000). */
  timeoutMs?: number
  /** Retries for 408/429/5xx/network errors (default 4). */
  maxRetries?: number
  /** Longest Retry-After honoured, seconds (default 60); longer fails fast with TooManyRequests. */
  retryAfterCapSeconds?: number
  /** Backoff: first step and ceiling, ms (defaults 500 and 10 000). */
  backoffBaseMs?: number
  backoffMaxMs?: number
  /** Manifest body limit (default 4 MiB) and config blob limit (default 8 MiB). */
  maxManifestBytes?: number
  maxConfigBytes?: number
  /** Depth limit for indexes nested in indexes (default 4). */
  maxIndexDepth?: number
  /** Domains always treated as insecure (http allowed, TLS unverified), in addition to `ResolveOptions.insecure`. */
  insecureRegistries?: string[]
  /** Default Legacy platform when a call does not give one (default linux/amd64). */
  platform?: Platform
  userAgent?: string
  /** Called with every secret and derived secret (passwords, base64 auth, tokens) before it is used: mask them. */
  onSecret?: (value: string) => void
  /** Non-fatal problems worth telling a person (low Docker Hub pull quota, …). */
  onWarning?: (message: string) => void
  /** Every HTTP exchange (method, URL, kind, status): for tests, benchmarks and debug logs. Never carries headers. */
  onRequest?: (event: RequestEvent) => void
  clock?: Clock
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

/** The client plus its request counters. */
export interface InstrumentedRegistryClient extends RegistryClient {
  /** Requests made so far (a snapshot). */
  stats(): RequestStats
}
