/**
 * Digests found inside text that is not a reference: a manifest's free text, a value that may end in `@digest`.
 * The digest grammar itself is reference.ts's (go-digest's algorithms and lengths).
 */
import { isDigest } from './reference.js'

/** Every digest written in free text (a manifest, a Dockerfile), not part of a longer word. */
const DIGEST_IN_TEXT = /(?<![\w:])(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})(?![\w])/g

export function digestsInText(text: string): string[] {
  return [...text.matchAll(DIGEST_IN_TEXT)].map((m) => m[1]!)
}

/** The digest a value ends in (`sha256:…` alone or after `@`), or undefined. */
export function trailingDigest(value: string): string | undefined {
  const at = value.lastIndexOf('@')
  const digest = at >= 0 ? value.slice(at + 1) : value
  return isDigest(digest) ? digest : undefined
}

/**
 * An image id as `oc tag` takes it after `@` (`pkg/cli/tag/tag.go` via ParseDockerImageReference's digest rule): any
 * `algorithm:encoded` digest shape, or a bare hex id that names an image by a prefix of its digest.
 */
export function isImageIdText(id: string): boolean {
  return /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(id) || /^[a-f0-9]+$/.test(id)
}
