import type { RegistryErrorReason } from './types.js'

/**
 * Every failure the registry client reports. `reason` mirrors OpenShift's import status reasons so the stream rules
 * can copy it into an `ImportSuccess=False` condition unchanged; `message` tells a person what to do next and never
 * carries a credential or token.
 */
export class RegistryError extends Error {
  readonly reason: RegistryErrorReason
  /** HTTP status of the response that failed, when there was one. */
  readonly status?: number
  /** The registry's own error code (`MANIFEST_UNKNOWN`, `DENIED`, …), when its body said. */
  readonly code?: string
  /** For TooManyRequests: how long the registry asked us to wait, in seconds. */
  readonly retryAfterSeconds?: number

  constructor(
    reason: RegistryErrorReason,
    message: string,
    details: { status?: number; code?: string; retryAfterSeconds?: number; cause?: unknown } = {}
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'RegistryError'
    this.reason = reason
    if (details.status !== undefined) this.status = details.status
    if (details.code !== undefined) this.code = details.code
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds
  }
}

export function isRegistryError(err: unknown): err is RegistryError {
  return err instanceof RegistryError
}

/** The first `{errors:[{code,message}]}` entry of a registry error body (bodies MAY be anything, so never throw). */
export function registryErrorDetail(body: Buffer | undefined): { code?: string; message?: string } {
  if (!body || body.length === 0 || body.length > 64 * 1024) return {}
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: Array<{ code?: unknown; message?: unknown }> }
    const first = Array.isArray(parsed.errors) ? parsed.errors[0] : undefined
    if (!first) return {}
    return {
      code: typeof first.code === 'string' ? first.code : undefined,
      message: typeof first.message === 'string' ? first.message.slice(0, 300) : undefined
    }
  } catch {
    return {}
  }
}

/** OpenShift-style reason for an HTTP status (oas importer.go formatRepositoryError). */
export function reasonForStatus(status: number): RegistryErrorReason {
  if (status === 401) return 'Unauthorized'
  if (status === 403) return 'Forbidden'
  if (status === 404) return 'NotFound'
  if (status === 429) return 'TooManyRequests'
  if (status >= 400 && status < 500) return 'BadRequest'
  return 'InternalError'
}

/** What a person can do about a reason; appended to messages so the CLI and PR bodies are actionable. */
export function adviceFor(reason: RegistryErrorReason): string {
  switch (reason) {
    case 'NotFound':
      return 'check the repository and tag names (and that the image was pushed)'
    case 'Unauthorized':
      return 'log in to the registry (docker login / docker config.json) or pass credentials'
    case 'Forbidden':
      return 'the credentials are valid but may not pull this repository; grant pull access'
    case 'TooManyRequests':
      return 'the registry is rate limiting; authenticate to raise the limit or retry later'
    case 'BadRequest':
    case 'Invalid':
      return 'the registry rejected the request or sent something that is not an image manifest'
    case 'InternalError':
      return 'the registry or the network failed; retry later'
  }
}
