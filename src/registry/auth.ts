import type { Clock } from '../util/clock.js'
import { parseWwwAuthenticate, splitScopes, type Challenge } from './challenge.js'
import { identityOf, type CredentialStore } from './credentials.js'
import type { RegistryCredential } from './docker-config.js'
import { RegistryError, registryErrorDetail } from './errors.js'
import { hostnameOf, isLoopbackHost, isPrivateOrLoopbackHost } from './hosts.js'
import type { HttpRequest, HttpResponse, Transport } from './transport.js'

/** Token lifetime when the token service does not say (docs/spec/auth/token.md). */
const DEFAULT_TOKEN_SECONDS = 60
const MAX_TOKEN_BYTES = 1024 * 1024

interface CachedToken {
  token: string
  expiresAt: number
}

export interface AuthContext {
  /** Reference domain (`docker.io`), for credential lookup. */
  domain: string
  /** `repository:<path>:pull` */
  scope: string
  /** The registry may use plain http / an http token realm. */
  insecure: boolean
}

/** What happened while authenticating, so the caller can word a 401 precisely. */
export interface AuthOutcome {
  response: HttpResponse
  /** Credentials were available (and sent, to the registry or its token service). */
  credentialed: boolean
}

/**
 * Registry authentication: reacts to `WWW-Authenticate` (Bearer token flow or Basic), caches tokens per
 * realm/service/scope/identity until `issued_at + expires_in`, shares one in-flight token request between concurrent
 * callers, re-uses what it learned about a host to authenticate the next request up front, and retries once when a
 * cached token is refused as `invalid_token`.
 */
export class Authenticator {
  /** Per registry origin: the challenge it answered with (scheme, realm, service), for pre-emptive auth. */
  private readonly hostChallenge = new Map<string, Challenge>()
  private readonly tokens = new Map<string, CachedToken>()
  private readonly pending = new Map<string, Promise<CachedToken>>()
  /** Origins that answered a request without a challenge: nothing to learn there. */
  private readonly open = new Set<string>()
  /**
   * The first request to an origin whose challenge is not known yet, while it is in flight. Concurrent requests wait
   * for it and then authenticate up front, so a run of 1,000 lookups collects one 401, not 1,000.
   */
  private readonly probing = new Map<string, Promise<void>>()

  constructor(
    private readonly transport: Transport,
    private readonly credentials: CredentialStore,
    private readonly clock: Clock,
    private readonly onSecret: (value: string) => void
  ) {}

  async send(req: HttpRequest, ctx: AuthContext): Promise<AuthOutcome> {
    const cred = await this.credentials.get(ctx.domain)
    const credentialed = hasSecret(cred)
    const origin = new URL(req.url).origin
    if (cred?.registryToken) {
      // A registry token is the bearer itself: no challenge, no token service.
      const response = await this.transport.send(withAuth(req, `Bearer ${cred.registryToken}`))
      return { response, credentialed }
    }
    let releaseProbe: (() => void) | undefined
    if (!this.hostChallenge.has(origin) && !this.open.has(origin)) {
      const inFlight = this.probing.get(origin)
      if (inFlight) await inFlight
      else {
        let release!: () => void
        this.probing.set(origin, new Promise<void>((resolve) => (release = resolve)))
        releaseProbe = () => {
          this.probing.delete(origin)
          release()
        }
      }
    }
    let authorization = await this.preemptive(origin, ctx, cred)
    let usedCachedToken = authorization?.startsWith('Bearer ') ?? false
    let triedFresh = false
    for (;;) {
      let response: HttpResponse
      try {
        response = await this.transport.send(authorization ? withAuth(req, authorization) : req)
      } finally {
        // Waiters resume only after this synchronous stretch, by which time the challenge below is recorded.
        if (releaseProbe) {
          const release = releaseProbe
          releaseProbe = undefined
          queueMicrotask(release)
        }
      }
      if (response.status !== 401) {
        if (!this.hostChallenge.has(origin)) this.open.add(origin)
        return { response, credentialed }
      }
      const challenges = parseWwwAuthenticate(response.headers['www-authenticate'])
      const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm)
      const basic = challenges.find((c) => c.scheme === 'basic')
      if (bearer) {
        this.hostChallenge.set(origin, {
          scheme: 'bearer',
          params: { realm: bearer.params.realm!, ...pick(bearer.params, 'service') }
        })
        if (triedFresh && !usedCachedToken) return { response, credentialed }
        const scope = bearer.params.scope ?? ctx.scope
        if (usedCachedToken) {
          // The registry refused a token we had cached (expired early, revoked, or keys rotated): drop it, retry once.
          this.tokens.delete(this.tokenKey(bearer, scope, cred))
          this.tokens.delete(this.tokenKey(bearer, ctx.scope, cred))
          usedCachedToken = false
        }
        const token = await this.token(bearer, scope, cred, req.url, ctx)
        authorization = `Bearer ${token.token}`
        triedFresh = true
        continue
      }
      if (basic) {
        this.hostChallenge.set(origin, { scheme: 'basic', params: {} })
        if (!cred?.password || authorization?.startsWith('Basic ')) return { response, credentialed }
        authorization = basicAuth(cred)
        continue
      }
      return { response, credentialed }
    }
  }

  /** Authorization to send before any challenge, from what this host asked for last time. */
  private async preemptive(
    origin: string,
    ctx: AuthContext,
    cred: RegistryCredential | undefined
  ): Promise<string | undefined> {
    const known = this.hostChallenge.get(origin)
    if (!known) return undefined
    if (known.scheme === 'basic') return cred?.password ? basicAuth(cred) : undefined
    const key = this.tokenKey(known, ctx.scope, cred)
    const cached = this.tokens.get(key)
    if (cached && cached.expiresAt > this.clock.now().getTime()) return `Bearer ${cached.token}`
    // Same host, new repository: ask its token service now instead of collecting a 401 first.
    try {
      const token = await this.token(known, ctx.scope, cred, origin, ctx)
      return `Bearer ${token.token}`
    } catch {
      return undefined // the normal challenge flow will retry and report properly
    }
  }

  private tokenKey(challenge: Challenge, scope: string, cred: RegistryCredential | undefined): string {
    const scopes = splitScopes(scope).sort().join(' ')
    return [challenge.params.realm, challenge.params.service ?? '', scopes, identityOf(cred)].join('|')
  }

  private async token(
    challenge: Challenge,
    scope: string,
    cred: RegistryCredential | undefined,
    registryUrl: string,
    ctx: AuthContext
  ): Promise<CachedToken> {
    const key = this.tokenKey(challenge, scope, cred)
    const cached = this.tokens.get(key)
    if (cached && cached.expiresAt > this.clock.now().getTime()) return cached
    let inflight = this.pending.get(key)
    if (!inflight) {
      inflight = this.fetchToken(challenge, scope, cred, registryUrl, ctx).then(
        (t) => {
          this.tokens.set(key, t)
          this.pending.delete(key)
          return t
        },
        (err: unknown) => {
          this.pending.delete(key)
          throw err
        }
      )
      this.pending.set(key, inflight)
    }
    return inflight
  }

  private async fetchToken(
    challenge: Challenge,
    scope: string,
    cred: RegistryCredential | undefined,
    registryUrl: string,
    ctx: AuthContext
  ): Promise<CachedToken> {
    const registry = new URL(registryUrl)
    const realm = checkRealm(challenge.params.realm!, registry, ctx.insecure)
    const service = challenge.params.service
    const scopes = splitScopes(scope)
    let req: HttpRequest
    if (cred?.identityToken) {
      // OAuth2 refresh-token grant (docs/spec/auth/oauth.md): how docker uses an identity token.
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: cred.identityToken,
        client_id: 'imagestream-action'
      })
      if (service) form.set('service', service)
      if (scopes.length) form.set('scope', scopes.join(' '))
      req = {
        method: 'POST',
        url: realm.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        kind: 'token',
        maxBodyBytes: MAX_TOKEN_BYTES
      }
    } else {
      const url = new URL(realm)
      if (service) url.searchParams.set('service', service)
      for (const s of scopes) url.searchParams.append('scope', s)
      req = {
        method: 'GET',
        url: url.toString(),
        headers: cred?.password ? { authorization: basicAuth(cred) } : {},
        kind: 'token',
        maxBodyBytes: MAX_TOKEN_BYTES
      }
    }
    const res = await this.transport.send(req)
    const who = `the token service ${realm.origin}${realm.pathname} of ${registry.host}`
    if (res.status === 401 || res.status === 403) {
      const detail = registryErrorDetail(res.body)
      throw new RegistryError(
        res.status === 401 ? 'Unauthorized' : 'Forbidden',
        hasSecret(cred)
          ? `${who} rejected the credentials${cred?.username ? ` for user "${cred.username}"` : ''} ` +
              `(${res.status}${detail.code ? ` ${detail.code}` : ''}); check the username and password or token`
          : `${who} refused an anonymous token (${res.status}); log in to the registry or pass credentials`,
        { status: res.status, code: detail.code }
      )
    }
    if (res.status !== 200) {
      throw new RegistryError(
        res.status >= 500 || res.status === 429 ? 'InternalError' : 'BadRequest',
        `${who} answered ${res.status}; retry later or check the registry's auth configuration`,
        { status: res.status }
      )
    }
    let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown }
    try {
      parsed = JSON.parse(res.body.toString('utf8')) as typeof parsed
    } catch {
      throw new RegistryError('InternalError', `${who} sent a token response that is not JSON`)
    }
    const token = typeof parsed.token === 'string' && parsed.token ? parsed.token : parsed.access_token
    if (typeof token !== 'string' || !token) {
      throw new RegistryError('InternalError', `${who} sent no "token" or "access_token"`)
    }
    this.onSecret(token)
    const now = this.clock.now().getTime()
    const lifetime =
      typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : DEFAULT_TOKEN_SECONDS
    let issued = typeof parsed.issued_at === 'string' ? Date.parse(parsed.issued_at) : Number.NaN
    // A token service whose clock is off would make tokens look expired on arrival (or immortal): trust our clock then.
    if (Number.isNaN(issued) || Math.abs(issued - now) > 60_000) issued = now
    // Renew a little early so a token never expires between our check and the registry's.
    const margin = Math.min(10_000, (lifetime * 1000) / 10)
    return { token, expiresAt: issued + lifetime * 1000 - margin }
  }
}

/**
 * A realm is where credentials get sent, so a registry must not be able to point it anywhere: https only (http when
 * the registry itself is plain http on loopback or marked insecure), and no loopback/private address unless the
 * registry lives there too (go-containerregistry validateRealmURL).
 */
export function checkRealm(realm: string, registry: URL, insecure: boolean): URL {
  let url: URL
  try {
    url = new URL(realm)
  } catch {
    throw new RegistryError(
      'BadRequest',
      `${registry.host} named a token realm that is not a URL; the registry is misconfigured`
    )
  }
  const registryLocal = isPrivateOrLoopbackHost(registry.host)
  if (
    url.protocol !== 'https:' &&
    !(url.protocol === 'http:' && (insecure || isLoopbackHost(registry.host) || registryLocal))
  ) {
    throw new RegistryError(
      'BadRequest',
      `${registry.host} asks for credentials to be sent to ${url.origin}, which is not https; ` +
        'mark the registry insecure only if you trust that network'
    )
  }
  if (isPrivateOrLoopbackHost(url.host) && !registryLocal) {
    throw new RegistryError(
      'BadRequest',
      `${registry.host} names a token realm on a private or loopback address (${hostnameOf(url.host)}); refusing to ` +
        'send credentials there. If this is intended, address the registry by its private address too'
    )
  }
  return url
}

function hasSecret(cred: RegistryCredential | undefined): boolean {
  return Boolean(cred?.password || cred?.identityToken || cred?.registryToken)
}

function basicAuth(cred: RegistryCredential): string {
  return `Basic ${Buffer.from(`${cred.username ?? ''}:${cred.password ?? ''}`).toString('base64')}`
}

function withAuth(req: HttpRequest, authorization: string): HttpRequest {
  return { ...req, headers: { ...req.headers, authorization } }
}

function pick(params: Record<string, string>, name: string): Record<string, string> {
  return params[name] !== undefined ? { [name]: params[name]! } : {}
}
