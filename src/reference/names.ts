/**
 * The names of the stream world, in one place: `[namespace/]stream[:tag]`, image stream names, namespace names, and
 * git branch names. Image references and digests stay in reference.ts (this module delegates digest and tag checks
 * there), so every name the project accepts is checked by exactly one rule.
 */
import { isValidImageStreamName } from './imagestream-name.js'
import { isDigest, isValidTagName } from './reference.js'

/** A namespace is a DNS-1123 label (Kubernetes `ValidateNamespaceName`): at most 63 characters. */
const NAMESPACE = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/

/** An image stream name, by OpenShift's own ValidateImageStreamName (imagestream-name.ts). */
export function isValidStreamName(name: unknown): name is string {
  return typeof name === 'string' && isValidImageStreamName(name)
}

export function isValidNamespace(namespace: unknown): namespace is string {
  return typeof namespace === 'string' && NAMESPACE.test(namespace)
}

/** The one digest check (go-digest's Parse, in reference.ts). */
export { isDigest }

/** `[namespace/]name[:tag]`, split. */
export interface StreamTagName {
  namespace?: string
  name: string
  tag?: string
}

/** Why `text` is not a `[namespace/]stream[:tag]`, or undefined when it is one. */
export function streamTagProblem(text: string, requireTag = false): string | undefined {
  const slash = text.indexOf('/')
  const namespace = slash >= 0 ? text.slice(0, slash) : undefined
  const rest = slash >= 0 ? text.slice(slash + 1) : text
  const colon = rest.indexOf(':')
  const name = colon >= 0 ? rest.slice(0, colon) : rest
  const tag = colon >= 0 ? rest.slice(colon + 1) : undefined
  if (namespace !== undefined && !isValidNamespace(namespace)) {
    return `namespace ${JSON.stringify(namespace)} is not a DNS label (lower-case letters, digits and '-')`
  }
  if (!isValidStreamName(name)) {
    return `stream name ${JSON.stringify(name)} is not valid: lower-case letters and digits, separated by one '.', '_' or '-'`
  }
  if (tag === undefined) return requireTag ? 'names no tag; use [namespace/]stream:tag' : undefined
  if (!isValidTagName(tag))
    return `tag ${JSON.stringify(tag)} is not valid: up to 128 of letters, digits, '_', '.', '-'`
  return undefined
}

/** Parses `[namespace/]name[:tag]`; undefined when it is not one (streamTagProblem says why). */
export function parseStreamTag(text: string, requireTag = false): StreamTagName | undefined {
  if (streamTagProblem(text, requireTag) !== undefined) return undefined
  const slash = text.indexOf('/')
  const rest = slash >= 0 ? text.slice(slash + 1) : text
  const colon = rest.indexOf(':')
  return {
    ...(slash >= 0 ? { namespace: text.slice(0, slash) } : {}),
    name: colon >= 0 ? rest.slice(0, colon) : rest,
    ...(colon >= 0 ? { tag: rest.slice(colon + 1) } : {})
  }
}

/** `[namespace/]name[:tag]` as text. */
export function formatStreamTag(name: StreamTagName): string {
  return `${name.namespace ? `${name.namespace}/` : ''}${name.name}${name.tag !== undefined ? `:${name.tag}` : ''}`
}

/**
 * Whether `from` (an edit's `[namespace/]stream:tag` source) names the same tag as `target`. A side without a
 * namespace matches any namespace: a manifest may name the stream of its own namespace without one.
 */
export function sameStreamTag(from: string, target: { namespace?: string; stream: string; tag: string }): boolean {
  const parsed = parseStreamTag(from, true)
  if (!parsed || parsed.name !== target.stream || parsed.tag !== target.tag) return false
  return !parsed.namespace || !target.namespace || parsed.namespace === target.namespace
}

/**
 * A branch name the project writes or reads: git's check-ref-format rules, narrowed to the characters a person
 * types (letters, digits, `.`, `_`, `-`, `/`), no `..`, no `//`, no leading `/` or `-`, no trailing `/`, `.` or
 * `.lock`. `prefix` allows the trailing `/` of a branch prefix such as `imagestream/`.
 */
export function isValidBranchName(name: unknown, { prefix = false, max = 200 } = {}): name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > max) return false
  if (!/^[A-Za-z0-9._/-]+$/.test(name) || name.includes('..') || name.includes('//')) return false
  if (name.startsWith('/') || name.startsWith('-')) return false
  if (name.endsWith('.') || name.endsWith('.lock') || (!prefix && name.endsWith('/'))) return false
  return name.split('/').every((part) => part === '' || !part.startsWith('.'))
}
