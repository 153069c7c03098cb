/**
 * An image reference, normalized the way distribution/reference's ParseNormalizedNamed does
 * (`docker.io` and `library/` defaults, lowercase repository, tag and/or digest).
 *
 * Contract for src/reference/reference.ts (implemented there):
 *   parseReference(text: string): ImageReference            throws InvalidReferenceError (message says why)
 *   formatCanonical(ref): string   e.g. "docker.io/library/nginx:1.25@sha256:…" (what was given, fully qualified)
 *   formatFamiliar(ref): string    e.g. "nginx:1.25" (docker's short form)
 *   repositoryOf(ref): string      "domain/path" (canonical, no tag/digest) — the `repo` in `repo@digest`
 *   withDigest(ref, digest): ImageReference; withTag(ref, tag): ImageReference
 *   parseDigest(text): string      validates `algorithm:hex` (sha256: 64 lowercase hex; sha384/sha512 registered)
 *   isDigest(text): boolean
 */
export interface ImageReference {
  /** Registry host, with port or bracketed IPv6 if any: `docker.io`, `quay.io`, `127.0.0.1:5000`, `[::1]:5000`. */
  readonly domain: string
  /** Repository path inside the registry: `library/nginx`, `acme/web`. Lowercase. */
  readonly path: string
  readonly tag?: string
  readonly digest?: string
}
