import type { ImageReference } from '../reference/types.js'

/** The OpenShift `importMode` values (reference §3). */
export type ImportMode = 'Legacy' | 'PreserveOriginal'

/** A platform as an OCI index describes it, normalized (amd64, arm64, arm/v7 …). */
export interface Platform {
  os: string
  architecture: string
  variant?: string
}

/** One child of an index (attestations and artifacts already removed). */
export interface IndexChild {
  digest: string
  mediaType: string
  size: number
  platform: Platform
}

/** What the registry says a reference points at, under an import mode. */
export interface ResolvedImage {
  /** The digest a TagEvent records: Legacy → the chosen platform child of an index; PreserveOriginal → the top digest. */
  digest: string
  /** Media type of `digest`'s manifest. */
  mediaType: string
  /** The digest the tag itself points at (an index or a manifest), as the registry reports it. */
  topDigest: string
  topMediaType: string
  /** Per-platform children when the top manifest is an index (nested indexes flattened). */
  manifests?: IndexChild[]
  /** The platform of `digest` when it was chosen from an index. */
  platform?: Platform
}

export interface ResolveOptions {
  importMode?: ImportMode // default Legacy
  /** The configured platform for Legacy selection (default linux/amd64). */
  platform?: Platform
  /** The tag's `importer.image.openshift.io/prefer-arch` / `prefer-os` annotations. */
  preferArch?: string
  preferOs?: string
  /** The tag's `importPolicy.insecure`: allow plain http / unverified TLS for this registry. */
  insecure?: boolean
  /**
   * The digest on record for this tag. When the HEAD reports a different one — the tag moved, and a deployment is
   * about to follow — the move is confirmed by GETting the manifest and hashing its bytes, so a wrong
   * Docker-Content-Digest header (a faulty registry or proxy) can never be recorded. An unchanged tag still costs one
   * HEAD; undefined (a first import) trusts the HEAD.
   */
  confirmChangeFrom?: string
  /**
   * Fetch an index to list its children (`manifests`). Default true. PreserveOriginal callers that only need the
   * top digest set it false: then a tag whose HEAD carries Docker-Content-Digest costs exactly one HEAD.
   */
  listChildren?: boolean
}

/** Metadata read from an image's config blob (and manifest annotations). */
export interface ImageMetadata {
  digest: string
  created?: string
  labels: Record<string, string>
  os?: string
  architecture?: string
  variant?: string
  /** Sum of the config and layer sizes in the manifest. */
  size: number
  /** The image manifest's own `annotations` (OCI `org.opencontainers.image.*` often live here, not in labels). */
  annotations?: Record<string, string>
  /** The platform child chosen when `ref` named an index. */
  platform?: Platform
}

/** OpenShift-style failure reasons (oas importer.go formatRepositoryError / imageImportStatus). */
export type RegistryErrorReason =
  'NotFound' | 'Unauthorized' | 'Forbidden' | 'BadRequest' | 'Invalid' | 'TooManyRequests' | 'InternalError'

/** The registry client every later stage uses. Tests point it at a loopback registry or the fault proxy. */
export interface RegistryClient {
  resolve(ref: ImageReference, options?: ResolveOptions): Promise<ResolvedImage>
  /** Every tag of the repository, following `Link` pagination, sorted. */
  listTags(repository: ImageReference, options?: { insecure?: boolean }): Promise<string[]>
  /** Metadata of an image manifest by digest (an index digest picks the platform as `resolve` would). */
  metadata(ref: ImageReference, options?: ResolveOptions): Promise<ImageMetadata>
  /**
   * Signature artifacts (src/verify): a manifest by tag or digest as raw bytes and JSON, checked against its digest;
   * undefined when the registry has none (404). Optional so test doubles need not implement it.
   */
  getArtifact?(ref: ImageReference, options?: { insecure?: boolean }): Promise<ArtifactManifest | undefined>
  /** A blob by digest (a signature payload, a bundle), checked against the digest. */
  getArtifactBlob?(ref: ImageReference, digest: string, options?: { insecure?: boolean }): Promise<Buffer>
  /**
   * The OCI 1.1 referrers API (`GET /v2/<name>/referrers/<digest>`): the referring manifests' descriptors, or
   * undefined when the registry does not offer the API (distribution-spec: a registry that does MUST NOT answer 404).
   */
  getReferrers?(
    ref: ImageReference,
    digest: string,
    options?: { insecure?: boolean }
  ): Promise<ArtifactDescriptor[] | undefined>
  close(): Promise<void>
}

/** A descriptor as an index or the referrers API lists it. */
export interface ArtifactDescriptor {
  mediaType: string
  digest: string
  size: number
  artifactType?: string
  annotations?: Record<string, string>
}

/** A manifest read as an artifact: its digest (hash of the bytes), media type and parsed JSON. */
export interface ArtifactManifest {
  digest: string
  mediaType?: string
  json: Record<string, unknown>
}
