/**
 * Image references the way distribution/reference (@0965666) parses them: `ParseNormalizedNamed`'s familiar-name
 * rules (docker.io, library/, the domain heuristic), `reference.go`'s grammar, and go-digest's validation.
 * Reference: /work/shared/reference/registry.md §6.
 *
 * The parse is done part by part rather than with one anchored regex so that a rejection can say which part is
 * wrong (host, path component, tag, digest) and what would be allowed there.
 */
import type { ImageReference } from './types.js'

export type { ImageReference } from './types.js'

export const DEFAULT_DOMAIN = 'docker.io'
/** Docker Hub's legacy name; `index.docker.io/x` and `docker.io/x` are the same repository. */
export const LEGACY_DEFAULT_DOMAIN = 'index.docker.io'
export const OFFICIAL_REPOSITORY_PREFIX = 'library/'
/** RepositoryNameTotalLengthMax, applied to the path (not the domain) as distribution/reference does. */
export const MAX_PATH_LENGTH = 255

/** Registered digest algorithms and the length of their hex encoding (go-digest algorithm.go). */
export const DIGEST_ALGORITHMS: Readonly<Record<string, number>> = Object.freeze({
  sha256: 64,
  sha384: 96,
  sha512: 128
})

export type ReferencePart = 'reference' | 'domain' | 'path' | 'tag' | 'digest' | 'name'

/** Why a reference (or tag, digest, stream:tag name) was rejected. `message` never carries raw control characters. */
export class InvalidReferenceError extends Error {
  constructor(
    /** The rejected text, unmodified (quote it with `quoteForMessage` before showing it). */
    readonly input: string,
    /** Which part was wrong. */
    readonly part: ReferencePart,
    /** Why, without the input: "tag must be 1–128 of …". */
    readonly reason: string
  ) {
    super(`invalid image reference ${quoteForMessage(input)}: ${reason}`)
    this.name = 'InvalidReferenceError'
  }
}

const MAX_QUOTED = 120

/**
 * JSON-quotes untrusted text for an error message: control characters, line separators, bidi overrides and DEL/C1
 * come out as `\uXXXX` escapes so a hostile value cannot forge log lines or workflow commands; very long input is
 * shortened so one bad value cannot flood a log.
 */
export function quoteForMessage(text: string): string {
  const chars = Array.from(text)
  const clipped = chars.length > MAX_QUOTED ? `${chars.slice(0, MAX_QUOTED).join('')}…` : text
  const json = JSON.stringify(clipped).replace(
    /[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
  return chars.length > MAX_QUOTED ? `${json} (${chars.length} characters)` : json
}

// reference.go's pieces, anchored. `\w` is ASCII-only in both Go and JS (no `u` flag).
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/

/** One `/`-separated component of a repository path (distribution's path-component grammar). */
export const isPathComponent = (text: string): boolean => PATH_COMPONENT.test(text)
const DOMAIN_NAME_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const DOMAIN = new RegExp(
  `^(?:${DOMAIN_NAME_COMPONENT}(?:\\.${DOMAIN_NAME_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`
)
const TAG = /^[\w][\w.-]{0,127}$/
const IDENTIFIER = /^[a-f0-9]{64}$/
/** go-digest's DigestRegexp (the digest grammar, before the algorithm-specific check). */
const DIGEST_GRAMMAR = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/
const ALGORITHM_GRAMMAR = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*$/
// Whitespace, C0/C1 controls and Unicode format/separator characters: never part of a reference, and worth a
// specific message because they are invisible in the input that carried them.
const INVISIBLE = /[\s\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u

const TAG_RULE = "a tag is 1 to 128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'"
const COMPONENT_RULE =
  "each path component is lowercase letters and digits, joined by a single '.', one or two '_', or one or more '-'"
const DOMAIN_RULE =
  "a registry host is a DNS name or IPv4 address (letters, digits, '-' and '.'), or an IPv6 address in brackets " +
  'without a zone, optionally followed by :port'

function describeChar(text: string, index: number): string {
  const cp = text.codePointAt(index) ?? 0
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`
}

/** Validates `algorithm:encoded` as go-digest's Parse does; returns the digest unchanged. */
export function parseDigest(text: string): string {
  if (typeof text !== 'string') throw new InvalidReferenceError(String(text), 'digest', 'a digest must be a string')
  return checkDigest(text, text)
}

function checkDigest(digest: string, input: string): string {
  const fail = (reason: string): never => {
    throw new InvalidReferenceError(input, 'digest', reason)
  }
  const colon = digest.indexOf(':')
  if (colon <= 0 || colon === digest.length - 1) {
    fail('a digest is algorithm:hex, e.g. sha256: followed by 64 lowercase hex digits')
  }
  const algorithm = digest.slice(0, colon)
  const encoded = digest.slice(colon + 1)
  const length = DIGEST_ALGORITHMS[algorithm]
  if (length === undefined || !Object.hasOwn(DIGEST_ALGORITHMS, algorithm)) {
    if (!ALGORITHM_GRAMMAR.test(algorithm) || !DIGEST_GRAMMAR.test(digest)) {
      fail(
        `digest algorithm ${quoteForMessage(algorithm)} is not valid: an algorithm is lowercase letters and digits ` +
          "joined by '+', '.', '_' or '-' (e.g. sha256)"
      )
    }
    fail(`digest algorithm ${quoteForMessage(algorithm)} is not supported (use sha256, sha384 or sha512)`)
  }
  if (encoded.length !== length) {
    fail(`a ${algorithm} digest has ${length} hex digits after "${algorithm}:", this one has ${encoded.length}`)
  }
  if (!/^[a-f0-9]+$/.test(encoded)) {
    fail(`a ${algorithm} digest is lowercase hex (0-9, a-f) after "${algorithm}:"`)
  }
  return digest
}

/** True for a valid `algorithm:hex` digest with a registered algorithm. */
export function isDigest(text: unknown): text is string {
  if (typeof text !== 'string') return false
  try {
    checkDigest(text, text)
    return true
  } catch {
    return false
  }
}

export function isValidTagName(tag: unknown): tag is string {
  return typeof tag === 'string' && TAG.test(tag)
}

/**
 * distribution's splitDockerDomain: is the first component of a name with a `/` a registry host?
 * Yes for `localhost`, anything with `.` or `:`, and anything with uppercase (uppercase is never valid in a path).
 */
function looksLikeDomain(component: string): boolean {
  return (
    component === 'localhost' ||
    component === LEGACY_DEFAULT_DOMAIN ||
    /[.:]/.test(component) ||
    component.toLowerCase() !== component
  )
}

function checkPath(path: string, input: string): void {
  const fail = (reason: string): never => {
    throw new InvalidReferenceError(input, 'path', reason)
  }
  if (path.toLowerCase() !== path) {
    fail(`repository name must be lowercase (${quoteForMessage(path)} has uppercase letters)`)
  }
  if (path.length > MAX_PATH_LENGTH) {
    fail(`repository name must not be more than ${MAX_PATH_LENGTH} characters (this one has ${path.length})`)
  }
  const components = path.split('/')
  components.forEach((component, i) => {
    if (component === '') {
      fail(
        i === components.length - 1 && components.length > 1
          ? "repository name must not end with '/'"
          : "repository name must not contain an empty component ('//' or a leading '/')"
      )
    }
    if (!PATH_COMPONENT.test(component)) {
      const bad = /[^a-z0-9._-]/.exec(component)
      fail(
        bad
          ? `repository path component ${quoteForMessage(component)} contains ${quoteForMessage(bad[0])}; ` +
              COMPONENT_RULE
          : `repository path component ${quoteForMessage(component)} is not valid; ${COMPONENT_RULE}`
      )
    }
  })
}

function checkDomain(domain: string, input: string): void {
  if (DOMAIN.test(domain)) return
  const reason = domain.includes('%')
    ? 'IPv6 zone identifiers are not allowed in a registry host'
    : domain.startsWith('[')
      ? `registry host ${quoteForMessage(domain)} is not valid: an IPv6 host is hex digits and ':' in brackets ` +
        '(no zone, no embedded IPv4), optionally followed by :port, like [::1]:5000'
      : /^[0-9a-fA-F]*:[0-9a-fA-F]*:/.test(domain)
        ? 'an IPv6 registry host must be in brackets, like [::1]:5000'
        : `registry host ${quoteForMessage(domain)} is not valid; ${DOMAIN_RULE}`
  throw new InvalidReferenceError(input, 'domain', reason)
}

function checkTag(tag: string, input: string): void {
  if (TAG.test(tag)) return
  const reason =
    tag === ''
      ? "the tag after ':' is empty; " + TAG_RULE
      : tag.length > 128
        ? `tag is ${tag.length} characters long; ${TAG_RULE}`
        : `tag ${quoteForMessage(tag)} is not valid; ${TAG_RULE}`
  throw new InvalidReferenceError(input, 'tag', reason)
}

function build(domain: string, path: string, tag: string | undefined, digest: string | undefined): ImageReference {
  const ref: { domain: string; path: string; tag?: string; digest?: string } = { domain, path }
  if (tag !== undefined) ref.tag = tag
  if (digest !== undefined) ref.digest = digest
  return Object.freeze(ref)
}

/**
 * ParseNormalizedNamed + Parse: `nginx`, `nginx:1.25`, `quay.io/a/b@sha256:…`, `localhost:5000/x:tag@sha256:…`.
 * Both a tag and a digest are kept when given. Throws InvalidReferenceError saying which part is wrong.
 */
export function parseReference(text: string): ImageReference {
  if (typeof text !== 'string') {
    throw new InvalidReferenceError(String(text), 'reference', 'an image reference must be a string')
  }
  const input = text
  const fail = (part: ReferencePart, reason: string): never => {
    throw new InvalidReferenceError(input, part, reason)
  }
  if (text === '') fail('name', 'repository name must have at least one component (the reference is empty)')
  const invisible = INVISIBLE.exec(text)
  if (invisible) {
    fail(
      'reference',
      `contains ${describeChar(text, invisible.index)} (whitespace or a control character) ` +
        `at offset ${invisible.index}; ` +
        'an image reference has no spaces, newlines or control characters'
    )
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(text)
  if (scheme) {
    fail('reference', `an image reference has no URL scheme; drop the leading "${scheme[1]}://"`)
  }
  if (IDENTIFIER.test(text)) {
    fail('name', 'a repository name cannot be a 64-character hexadecimal string (did you mean sha256:…?)')
  }

  let nameAndTag = text
  let digest: string | undefined
  const at = text.indexOf('@')
  if (at >= 0) {
    if (text.indexOf('@', at + 1) >= 0) fail('reference', "a reference has at most one '@' (before the digest)")
    nameAndTag = text.slice(0, at)
    digest = checkDigest(text.slice(at + 1), input)
  }

  // The tag separator is a ':' after the last '/', so that `host:5000/repo` keeps its port.
  let name = nameAndTag
  let tag: string | undefined
  const tagColon = nameAndTag.indexOf(':', nameAndTag.lastIndexOf('/') + 1)
  if (tagColon >= 0) {
    name = nameAndTag.slice(0, tagColon)
    tag = nameAndTag.slice(tagColon + 1)
    if (name.startsWith('[') && !name.includes('/')) {
      fail('name', 'a registry host must be followed by /repository (e.g. [::1]:5000/app)')
    }
    checkTag(tag, input)
  }
  if (name === '') fail('name', 'repository name is missing before the tag or digest')

  // library-go reference.Parse (what OpenShift reads a pull spec with) differs from distribution here: a lone name
  // that looks like a host (`quay.io`, `localhost:5000`, `10.0.0.1`) is a registry with no repository, and the
  // name as written, registry included, may have at most NameTotalLengthMax characters.
  const slash = name.indexOf('/')
  if (slash < 0 && (name.includes('.') || name.startsWith('localhost'))) {
    const host = tag !== undefined ? `${name}:${tag}` : name
    fail('name', `${quoteForMessage(host)} names a registry, not a repository; add /repository (e.g. ${host}/org/app)`)
  }
  if (name.length > MAX_PATH_LENGTH) {
    fail('name', `repository name must not be more than ${MAX_PATH_LENGTH} characters (this one has ${name.length})`)
  }
  let domain: string
  let path: string
  if (slash < 0) {
    domain = DEFAULT_DOMAIN
    path = OFFICIAL_REPOSITORY_PREFIX + name
  } else {
    const first = name.slice(0, slash)
    if (looksLikeDomain(first)) {
      domain = first === LEGACY_DEFAULT_DOMAIN ? DEFAULT_DOMAIN : first
      path = name.slice(slash + 1)
    } else {
      domain = DEFAULT_DOMAIN
      path = name
    }
    if (domain === DEFAULT_DOMAIN && path !== '' && !path.includes('/')) path = OFFICIAL_REPOSITORY_PREFIX + path
  }
  if (domain !== DEFAULT_DOMAIN) checkDomain(domain, input)
  if (path === '') fail('path', `repository name is missing after the registry host ${quoteForMessage(domain)}`)
  checkPath(path, input)
  return build(domain, path, tag, digest)
}

/** parseReference that returns undefined instead of throwing. */
export function tryParseReference(text: string): ImageReference | undefined {
  try {
    return parseReference(text)
  } catch (err) {
    if (err instanceof InvalidReferenceError) return undefined
    throw err
  }
}

function suffix(ref: ImageReference): string {
  return `${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`
}

/** `domain/path` — the `repo` of `repo@digest` (a TagEvent's dockerImageReference). */
export function repositoryOf(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`
}

/** Fully qualified, with whatever tag and digest the reference has: `docker.io/library/nginx:1.25@sha256:…`. */
export function formatCanonical(ref: ImageReference): string {
  return repositoryOf(ref) + suffix(ref)
}

/**
 * Docker's short form (FamiliarString): `docker.io/` and a lone `library/` dropped. Unlike distribution, a Docker Hub
 * path whose first component would itself read as a registry host (`docker.io/foo.bar/x`) keeps its `docker.io/`,
 * and `library/<64 hex>` keeps its `library/`, so the familiar form always parses back to the same reference.
 */
export function formatFamiliar(ref: ImageReference): string {
  return familiarName(ref) + suffix(ref)
}

/** The familiar repository name without tag or digest: `nginx`, `acme/web`, `quay.io/acme/web`. */
export function familiarName(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return repositoryOf(ref)
  const slash = ref.path.indexOf('/')
  const first = slash < 0 ? ref.path : ref.path.slice(0, slash)
  if (slash < 0 || looksLikeDomain(first)) return repositoryOf(ref)
  if (ref.path.startsWith(OFFICIAL_REPOSITORY_PREFIX)) {
    const rest = ref.path.slice(OFFICIAL_REPOSITORY_PREFIX.length)
    // `library/quay.io` stays long: alone, `quay.io` would read as a registry (library-go reference.Parse).
    if (!rest.includes('/') && !IDENTIFIER.test(rest) && !rest.includes('.') && !rest.startsWith('localhost')) {
      return rest
    }
  }
  return ref.path
}

/** The same repository at `digest` (any tag kept, as reference.WithDigest does). */
export function withDigest(ref: ImageReference, digest: string): ImageReference {
  checkDigest(digest, digest)
  return build(ref.domain, ref.path, ref.tag, digest)
}

/** The same repository at `tag` (any digest kept, as reference.WithTag does). */
export function withTag(ref: ImageReference, tag: string): ImageReference {
  checkTag(tag, tag)
  return build(ref.domain, ref.path, tag, ref.digest)
}

/** The repository alone, without tag or digest. */
export function withoutTagOrDigest(ref: ImageReference): ImageReference {
  return build(ref.domain, ref.path, undefined, undefined)
}

/** `repo@digest`, the pull spec a TagEvent records. */
export function formatDigestReference(ref: ImageReference, digest: string): string {
  return `${repositoryOf(ref)}@${checkDigest(digest, digest)}`
}

/**
 * library-go's ParseImageStreamTagName: `stream:tag` with exactly one ':' and no '@'. Both parts non-empty; the tag
 * part must also be a valid tag name.
 */
export function splitImageStreamTag(name: string): { stream: string; tag: string } {
  const fail = (reason: string): never => {
    throw new InvalidReferenceError(name, 'name', reason)
  }
  if (typeof name !== 'string') throw new InvalidReferenceError(String(name), 'name', 'must be a string')
  if (INVISIBLE.test(name)) fail('an image stream tag has no spaces, newlines or control characters')
  if (name.includes('@')) fail("an image stream tag is stream:tag; '@' names an image stream image (stream@digest)")
  const parts = name.split(':')
  if (parts.length !== 2) fail(`an image stream tag is stream:tag with exactly one ':' (found ${parts.length - 1})`)
  const [stream, tag] = parts as [string, string]
  if (stream === '' || tag === '') fail('an image stream tag must have a stream name and a tag (stream:tag)')
  if (!TAG.test(tag)) fail(`tag ${quoteForMessage(tag)} is not valid; ${TAG_RULE}`)
  return { stream, tag }
}
