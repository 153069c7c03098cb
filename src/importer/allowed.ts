/**
 * The `allowed-registries` gate ("restrict deployments to trusted ImageStreams"): a tag whose `from` points at a
 * registry outside the list is refused with an ImportSuccess=False condition instead of being imported.
 */
import { repositoryOf } from '../reference/reference.js'
import type { ImageReference } from '../reference/types.js'

/** Entries are hosts (`ghcr.io`, `127.0.0.1:5000`) or host/path prefixes (`ghcr.io/acme`), matched on `/` bounds. */
export function isAllowedRegistry(ref: ImageReference, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true
  const repo = repositoryOf(ref)
  return allowed.some((entry) => {
    const prefix = entry.replace(/\/+$/, '').toLowerCase()
    return repo === prefix || repo.startsWith(`${prefix}/`)
  })
}
