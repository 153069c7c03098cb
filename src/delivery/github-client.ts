/**
 * The one place an Octokit is made: REST + GraphQL with retries (transient 5xx, network) and GitHub's rate-limit
 * etiquette (throttling: writes serialized and spaced, primary/secondary limits waited out a bounded number of times).
 * Settings come in as arguments (the action passes GITHUB_API_URL); the token is handed to `onSecret` first so the
 * shell can mask it before anything could print it.
 */
import { Octokit } from '@octokit/rest'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici'
import { InputError } from '../util/errors.js'
import { silentLogger, type DeliveryLogger } from './types.js'

const DeliveryOctokit = Octokit.plugin(retry, throttling)
export type GitHubClient = InstanceType<typeof DeliveryOctokit>

export interface GitHubClientOptions {
  token: string
  /** REST base URL: `https://api.github.com`, or `https://ghe.example.com/api/v3` for GitHub Enterprise Server. */
  baseUrl?: string
  /** Called with the token before any request, so the caller can register it as a secret (core.setSecret). */
  onSecret?: (secret: string) => void
  userAgent?: string
  log?: DeliveryLogger
  /** A fetch implementation (tests); otherwise undici's fetch through HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  fetch?: typeof globalThis.fetch
  /** GitHub asks integrations to space writes ~1 s apart; tests against a local fake turn throttling off. */
  throttle?: boolean
  /** Retries of transient failures (default 3). */
  retries?: number
}

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const token = options.token.trim()
  if (!token) throw new InputError('a GitHub token is required to deliver changes', { field: 'token' })
  options.onSecret?.(token)
  const log = options.log ?? silentLogger
  let baseUrl = options.baseUrl?.trim() || 'https://api.github.com'
  try {
    baseUrl = new URL(baseUrl).toString().replace(/\/+$/, '')
  } catch {
    throw new InputError(`"${baseUrl}" is not a URL; expected e.g. https://api.github.com`, { field: 'github-api-url' })
  }
  return new DeliveryOctokit({
    auth: token,
    baseUrl,
    userAgent: options.userAgent ?? 'imagestream-action',
    request: { fetch: options.fetch ?? proxyAwareFetch() },
    log: {
      debug: (m: string) => log.debug(m),
      info: (m: string) => log.debug(m),
      warn: (m: string) => log.warning(m),
      error: (m: string) => log.warning(m)
    },
    retry: { retries: options.retries ?? 3 },
    throttle: {
      enabled: options.throttle ?? true,
      onRateLimit: (retryAfter: number, req: { method: string; url: string }, _o: unknown, retryCount: number) => {
        log.warning(`GitHub rate limit hit by ${req.method} ${req.url}; ${retryCount < 2 ? `retrying in ${retryAfter}s` : 'giving up'}`)
        return retryCount < 2
      },
      onSecondaryRateLimit: (retryAfter: number, req: { method: string; url: string }, _o: unknown, retryCount: number) => {
        log.warning(`GitHub secondary rate limit hit by ${req.method} ${req.url}; ${retryCount < 1 ? `retrying in ${retryAfter}s` : 'giving up'}`)
        return retryCount < 1
      }
    }
  })
}

/**
 * Node's global fetch ignores proxy variables; undici's EnvHttpProxyAgent honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY
 * (and lower-case), tunnelling with CONNECT so the proxy never sees the token.
 */
function proxyAwareFetch(): typeof globalThis.fetch {
  const dispatcher = new EnvHttpProxyAgent()
  return ((input: string | URL, init?: Record<string, unknown>) =>
    undiciFetch(input, { ...init, dispatcher })) as unknown as typeof globalThis.fetch
}

interface OctokitErrorLike {
  status?: number
  message?: string
  response?: { data?: unknown }
  request?: { method?: string; url?: string }
}

export function httpStatus(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null ? (err as OctokitErrorLike).status : undefined
}

/** GitHub's own message for a failed call (`Update is not a fast forward`), or the error's text. */
export function apiMessage(err: unknown): string {
  const e = err as OctokitErrorLike
  const data = e?.response?.data as { message?: string; errors?: Array<{ message?: string } | string> } | undefined
  const details = (data?.errors ?? []).map((x) => (typeof x === 'string' ? x : x.message)).filter(Boolean)
  const base = data?.message ?? e?.message ?? String(err)
  return details.length ? `${base} (${details.join('; ')})` : base
}

/** An error that says which call failed and why, without request headers (no token can leak through it). */
export class GitHubApiError extends Error {
  constructor(
    readonly action: string,
    readonly status: number | undefined,
    detail: string
  ) {
    super(`${action} failed${status ? ` (HTTP ${status})` : ''}: ${detail}`)
    this.name = 'GitHubApiError'
  }
}

/** Runs one API call, turning failures into a GitHubApiError naming what was being done. */
export async function call<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    throw new GitHubApiError(action, httpStatus(err), apiMessage(err))
  }
}
