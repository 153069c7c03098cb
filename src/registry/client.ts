import type { ImageReference } from '../reference/types.js'
import { systemClock } from '../util/clock.js'
import { Authenticator } from './auth.js'
import { CredentialStore } from './credentials.js'
import { RegistryError } from './errors.js'
import { getArtifact, getArtifactBlob, getReferrers, type ArtifactSender } from './artifacts.js'
import { apiHost, schemeFor } from './hosts.js'
import { nextLink } from './link.js'
import { digestOf, isSkippableEntry, isValidDigest, parseManifest, type ParsedManifest } from './manifest.js'
import { MANIFEST_ACCEPT, bareMediaType, isIndexMediaType } from './media-types.js'
import type { InstrumentedRegistryClient, RegistryClientOptions } from './client-options.js'
import {
  chooseChild,
  type FetchedManifest,
  headDigest,
  isTlsFailure,
  statusError,
  toChild,
  unauthorized,
  verifiedManifestDigest,
  type RepoContext
} from './responses.js'
import { Transport, type HttpRequest, type HttpResponse, type RequestStats } from './transport.js'
import type {
  ArtifactDescriptor,
  ArtifactManifest,
  ImageMetadata,
  IndexChild,
  Platform,
  ResolveOptions,
  ResolvedImage
} from './types.js'

export type { InstrumentedRegistryClient, RegistryClientOptions }

const sleepReal = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export function createRegistryClient(options: RegistryClientOptions = {}): InstrumentedRegistryClient {
  return new Client(options)
}

/** Manifests fetched by content are immutable: a run that confirms a move and then reads its metadata GETs once. */
const MANIFEST_CACHE_ENTRIES = 512

class Client implements InstrumentedRegistryClient {
  private readonly manifestCache = new Map<string, FetchedManifest>()
  private readonly transport: Transport
  private readonly auth: Authenticator
  private readonly insecureDomains: Set<string>
  /** Hosts marked insecure that turned out to speak plain http (docker's https-then-http fallback). */
  private readonly plainHttpHosts = new Set<string>()
  private readonly maxManifestBytes: number
  private readonly maxConfigBytes: number
  private readonly maxIndexDepth: number

  constructor(private readonly options: RegistryClientOptions) {
    const clock = options.clock ?? systemClock
    const onSecret = options.onSecret ?? (() => {})
    this.transport = new Transport({
      concurrency: options.concurrency ?? 16,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 4,
      retryAfterCapSeconds: options.retryAfterCapSeconds ?? 60,
      backoffBaseMs: options.backoffBaseMs ?? 500,
      backoffMaxMs: options.backoffMaxMs ?? 10_000,
      userAgent: options.userAgent ?? 'imagestream-action',
      clock,
      sleep: options.sleep ?? sleepReal,
      random: options.random ?? Math.random,
      onRequest: options.onRequest,
      onWarning: options.onWarning
    })
    this.auth = new Authenticator(this.transport, new CredentialStore({ ...options, onSecret }), clock, onSecret)
    this.insecureDomains = new Set((options.insecureRegistries ?? []).map((d) => d.toLowerCase()))
    this.maxManifestBytes = options.maxManifestBytes ?? 4 * 1024 * 1024
    this.maxConfigBytes = options.maxConfigBytes ?? 8 * 1024 * 1024
    this.maxIndexDepth = options.maxIndexDepth ?? 4
  }

  stats(): RequestStats {
    const c = this.transport.counters
    return { ...c, byKind: { ...c.byKind } }
  }

  async close(): Promise<void> {
    await this.transport.close()
  }

  async resolve(ref: ImageReference, options: ResolveOptions = {}): Promise<ResolvedImage> {
    const ctx = this.context(ref, options.insecure)
    const reference = ref.digest ?? ref.tag ?? 'latest'
    const mode = options.importMode ?? 'Legacy'
    const listChildren = options.listChildren ?? true
    const head = await this.headManifest(ctx, reference)
    let topDigest = head.digest
    let topMediaType = head.mediaType
    let top: ParsedManifest | undefined
    const moved =
      options.confirmChangeFrom !== undefined &&
      !ref.digest &&
      topDigest !== undefined &&
      topDigest !== options.confirmChangeFrom
    const needBody =
      moved || !topDigest || !topMediaType || (isIndexMediaType(topMediaType) && (mode === 'Legacy' || listChildren))
    if (moved && !(topMediaType && isIndexMediaType(topMediaType))) {
      // Confirm a move by content: GET the tag itself and trust only what its bytes hash to.
      const fetched = await this.getManifest(ctx, reference, undefined)
      top = fetched.manifest
      topDigest = fetched.digest
      topMediaType = fetched.manifest.mediaType
    } else if (needBody) {
      const fetched = await this.getManifest(ctx, topDigest ?? reference, topDigest)
      top = fetched.manifest
      topDigest = fetched.digest
      topMediaType = fetched.manifest.mediaType
    }
    if (!top || top.kind === 'image') {
      return { digest: topDigest!, mediaType: topMediaType!, topDigest: topDigest!, topMediaType: topMediaType! }
    }
    const children = await this.flattenIndex(ctx, top, 1)
    if (mode === 'PreserveOriginal') {
      return {
        digest: topDigest!,
        mediaType: topMediaType!,
        topDigest: topDigest!,
        topMediaType: topMediaType!,
        manifests: children
      }
    }
    const chosen = chooseChild(this.options.platform, ctx, reference, children, options)
    return {
      digest: chosen.digest,
      mediaType: chosen.mediaType,
      topDigest: topDigest!,
      topMediaType: topMediaType!,
      manifests: children,
      platform: chosen.platform
    }
  }

  async metadata(ref: ImageReference, options: ResolveOptions = {}): Promise<ImageMetadata> {
    const ctx = this.context(ref, options.insecure)
    const reference = ref.digest ?? ref.tag ?? 'latest'
    let fetched = await this.getManifest(ctx, reference, ref.digest)
    let platform: Platform | undefined
    if (fetched.manifest.kind === 'index') {
      // An index has no config: describe the image a Legacy import would pick.
      const children = await this.flattenIndex(ctx, fetched.manifest, 1)
      const chosen = chooseChild(this.options.platform, ctx, reference, children, options)
      platform = chosen.platform
      fetched = await this.getManifest(ctx, chosen.digest, chosen.digest)
    }
    const manifest = fetched.manifest
    if (manifest.kind !== 'image') {
      throw new RegistryError(
        'Invalid',
        `${ctx.name}@${fetched.digest}: an index nested where an image manifest was expected`
      )
    }
    const config = await this.getBlob(ctx, manifest.config.digest)
    let parsed: {
      created?: unknown
      os?: unknown
      architecture?: unknown
      variant?: unknown
      config?: { Labels?: unknown } | null
    }
    try {
      parsed = JSON.parse(config.toString('utf8')) as typeof parsed
    } catch {
      throw new RegistryError(
        'Invalid',
        `${ctx.name}@${fetched.digest}: the image config ${manifest.config.digest} is not JSON`
      )
    }
    const labels: Record<string, string> = {}
    const rawLabels = parsed.config?.Labels
    if (rawLabels && typeof rawLabels === 'object') {
      for (const [k, v] of Object.entries(rawLabels)) if (typeof v === 'string') labels[k] = v
    }
    const out: ImageMetadata = {
      digest: fetched.digest,
      labels,
      size: manifest.config.size + manifest.layers.reduce((sum, l) => sum + l.size, 0)
    }
    if (typeof parsed.created === 'string') out.created = parsed.created
    if (typeof parsed.os === 'string') out.os = parsed.os
    if (typeof parsed.architecture === 'string') out.architecture = parsed.architecture
    if (typeof parsed.variant === 'string') out.variant = parsed.variant
    if (Object.keys(manifest.annotations).length) out.annotations = manifest.annotations
    if (platform) out.platform = platform
    return out
  }

  async listTags(repository: ImageReference, options: { insecure?: boolean } = {}): Promise<string[]> {
    const ctx = this.context(repository, options.insecure)
    const tags = new Set<string>()
    let url: string | undefined = `${ctx.base}/v2/${ctx.ref.path}/tags/list?n=1000`
    const origin = new URL(url).origin
    for (let page = 0; url; page++) {
      if (page >= 1000) {
        throw new RegistryError(
          'InternalError',
          `${ctx.name}: more than 1000 pages of tags; the registry's Link headers loop`
        )
      }
      const res = await this.send(ctx, { method: 'GET', url, kind: 'tags', maxBodyBytes: 32 * 1024 * 1024 })
      if (res.status !== 200) throw statusError(ctx, res, 'listing tags')
      let body: { tags?: unknown }
      try {
        body = JSON.parse(res.body.toString('utf8')) as typeof body
      } catch {
        throw new RegistryError(
          'InternalError',
          `${ctx.name}: the tag list is not JSON; retry, or check for a proxy in between`
        )
      }
      for (const t of Array.isArray(body.tags) ? body.tags : []) if (typeof t === 'string') tags.add(t)
      const next = nextLink(res.headers.link, res.url)
      // A next link to another origin would carry our credentials elsewhere; registries never need it.
      if (next && new URL(next).origin !== origin) {
        throw new RegistryError(
          'BadRequest',
          `${ctx.name}: the tag list links to another host (${new URL(next).host}); refusing to follow`
        )
      }
      url = next
    }
    // Registries disagree on order (distribution 2.8 returns storage order), so sort here: plain code-unit order.
    return [...tags].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  }

  getArtifact(ref: ImageReference, options: { insecure?: boolean } = {}): Promise<ArtifactManifest | undefined> {
    return getArtifact(this.artifactSender(ref, options.insecure), ref.digest ?? ref.tag ?? 'latest')
  }

  getArtifactBlob(ref: ImageReference, digest: string, options: { insecure?: boolean } = {}): Promise<Buffer> {
    return getArtifactBlob(this.artifactSender(ref, options.insecure), digest)
  }

  getReferrers(
    ref: ImageReference,
    digest: string,
    options: { insecure?: boolean } = {}
  ): Promise<ArtifactDescriptor[] | undefined> {
    return getReferrers(this.artifactSender(ref, options.insecure), digest)
  }

  private artifactSender(ref: ImageReference, insecure: boolean | undefined): ArtifactSender {
    const ctx = this.context(ref, insecure)
    return {
      send: (req) => this.send(ctx, req),
      base: ctx.base,
      path: ctx.ref.path,
      name: ctx.name,
      maxManifestBytes: this.maxManifestBytes,
      maxBlobBytes: this.maxConfigBytes
    }
  }

  private context(ref: ImageReference, insecureOption: boolean | undefined): RepoContext {
    const host = apiHost(ref.domain)
    const insecure = Boolean(insecureOption) || this.insecureDomains.has(ref.domain.toLowerCase())
    let scheme = schemeFor(host, insecure)
    if (scheme === 'https-insecure' && this.plainHttpHosts.has(host)) scheme = 'http'
    return {
      ref,
      name: `${ref.domain}/${ref.path}`,
      base: `${scheme === 'http' ? 'http' : 'https'}://${host}`,
      scheme,
      insecure,
      scope: `repository:${ref.path}:pull`
    }
  }

  /** One authenticated exchange with the registry (plus the insecure https→http fallback). */
  private async send(ctx: RepoContext, req: HttpRequest): Promise<HttpResponse> {
    try {
      const out = await this.auth.send(
        { ...req, insecureTls: ctx.scheme === 'https-insecure' },
        { domain: ctx.ref.domain, scope: ctx.scope, insecure: ctx.insecure }
      )
      if (out.response.status === 401) throw unauthorized(ctx, out.response, out.credentialed)
      return out.response
    } catch (err) {
      if (ctx.scheme === 'https-insecure' && isTlsFailure(err)) {
        const host = new URL(ctx.base).host
        this.plainHttpHosts.add(host)
        const plain: RepoContext = { ...ctx, scheme: 'http', base: `http://${host}` }
        return this.send(plain, { ...req, url: req.url.replace(/^https:/, 'http:') })
      }
      throw err
    }
  }

  private async headManifest(ctx: RepoContext, reference: string): Promise<{ digest?: string; mediaType?: string }> {
    const res = await this.send(ctx, {
      method: 'HEAD',
      url: `${ctx.base}/v2/${ctx.ref.path}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT },
      kind: 'manifest',
      maxBodyBytes: 0
    })
    if (res.status !== 200) throw statusError(ctx, res, 'looking up', reference)
    return headDigest(res, ctx.name, reference)
  }

  /**
   * GETs a manifest and returns it with its digest, always computed from the raw bytes. With `expected` (a digest the
   * caller asked for or a HEAD reported) the bytes must hash to it; without, a Docker-Content-Digest header on the
   * response must agree with the hash.
   */
  private async getManifest(
    ctx: RepoContext,
    reference: string,
    expected: string | undefined
  ): Promise<FetchedManifest> {
    const cached = isValidDigest(reference) ? this.manifestCache.get(`${ctx.name}@${reference}`) : undefined
    if (cached) return cached
    const fetched = await this.fetchManifest(ctx, reference, expected)
    if (this.manifestCache.size >= MANIFEST_CACHE_ENTRIES) {
      this.manifestCache.delete(this.manifestCache.keys().next().value!)
    }
    this.manifestCache.set(`${ctx.name}@${fetched.digest}`, fetched)
    return fetched
  }

  private async fetchManifest(
    ctx: RepoContext,
    reference: string,
    expected: string | undefined
  ): Promise<FetchedManifest> {
    const res = await this.send(ctx, {
      method: 'GET',
      url: `${ctx.base}/v2/${ctx.ref.path}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT },
      kind: 'manifest',
      maxBodyBytes: this.maxManifestBytes
    })
    if (res.status === 404 && expected && reference === expected && !ctx.ref.digest) {
      // We asked for the digest a HEAD just reported for the tag: a 404 means that header was not true.
      throw new RegistryError(
        'InternalError',
        `${ctx.name}: the registry reported digest ${expected} for tag ${ctx.ref.tag ?? 'latest'} but has no manifest ` +
          'with that digest; it (or a proxy in between) sends wrong Docker-Content-Digest headers, or the tag moved — retry',
        { status: 404 }
      )
    }
    if (res.status !== 200) throw statusError(ctx, res, 'fetching', reference)
    const where = `${ctx.name}${isValidDigest(reference) ? '@' : ':'}${reference}`
    const digest = verifiedManifestDigest(res, where, expected)
    return { digest, manifest: parseManifest(res.body, bareMediaType(res.headers['content-type']), where) }
  }

  private async getBlob(ctx: RepoContext, digest: string): Promise<Buffer> {
    const res = await this.send(ctx, {
      method: 'GET',
      url: `${ctx.base}/v2/${ctx.ref.path}/blobs/${digest}`,
      kind: 'blob',
      maxBodyBytes: this.maxConfigBytes
    })
    if (res.status !== 200) throw statusError(ctx, res, 'fetching the config blob', digest)
    const actual = digestOf(res.body, digest)
    if (actual !== digest) {
      throw new RegistryError(
        'InternalError',
        `${ctx.name}: the config blob ${digest} received hashes to ${actual}; the download was altered or cut short, retry`
      )
    }
    return res.body
  }

  /** Children of an index that are images, nested indexes expanded in place (depth-bounded). */
  private async flattenIndex(
    ctx: RepoContext,
    index: ParsedManifest & { kind: 'index' },
    depth: number
  ): Promise<IndexChild[]> {
    const out: IndexChild[] = []
    for (const d of index.manifests) {
      if (isSkippableEntry(d)) continue
      if (isIndexMediaType(d.mediaType)) {
        if (depth >= this.maxIndexDepth) {
          throw new RegistryError(
            'Invalid',
            `${ctx.name}: indexes nested more than ${this.maxIndexDepth} deep; refusing to follow`
          )
        }
        const nested = await this.getManifest(ctx, d.digest, d.digest)
        if (nested.manifest.kind === 'index') out.push(...(await this.flattenIndex(ctx, nested.manifest, depth + 1)))
        continue
      }
      out.push(toChild(d))
    }
    return out
  }
}
