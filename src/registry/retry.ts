/**
 * `Retry-After` (RFC 9110 §10.2.3) as seconds from `now`: delta-seconds or an HTTP-date. Undefined when absent or
 * unparseable, so callers fall back to their own backoff.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: Date): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim()
  if (!v) return undefined
  if (/^\d+$/.test(v)) return Number(v)
  // Only the IMF-fixdate and its obsolete cousins are legal; Date.parse accepts them all, plus things that aren't,
  // so require a weekday/month shape before trusting it.
  if (!/[A-Za-z]{3}/.test(v)) return undefined
  const at = Date.parse(v)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000))
}

export interface BackoffOptions {
  baseMs: number
  maxMs: number
  random: () => number
}

/** Exponential backoff with "full jitter" (AWS architecture blog): spreads many clients retrying at once. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** attempt)
  return Math.round(ceiling / 2 + (options.random() * ceiling) / 2)
}

/** Statuses worth another try: the server may answer differently in a moment. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504
}

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH'
])

/** Network failures that a fresh connection may not hit again (resets, timeouts, a body cut short). */
export function isRetryableNetworkError(err: unknown): boolean {
  let e: unknown = err
  for (let depth = 0; depth < 4 && e; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && RETRYABLE_CODES.has(code)) return true
    e = (e as { cause?: unknown }).cause
  }
  return false
}

/** A short, secret-free description of a network error for messages: its code, or its first line. */
export function describeNetworkError(err: unknown): string {
  let e: unknown = err
  for (let depth = 0; depth < 4 && e; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
    e = (e as { cause?: unknown }).cause
  }
  return err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : String(err)
}
