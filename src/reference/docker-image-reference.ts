/**
 * Image references the way OpenShift records them: library-go `pkg/image/reference/reference.go` `Parse`, `Exact`,
 * `MostSpecific` and `DockerClientDefaults`, over library-go's own copy of the (older) docker reference grammar
 * (`pkg/image/internal/reference/regexp.go`, `reference.go` `Parse`).
 *
 * parseReference (reference.ts) answers "which repository do we connect to" (docker.io, library/ and the legacy
 * index.docker.io host folded away). This module answers "what does OpenShift write": the reference *as the user
 * wrote it*, so `from: nginx:1.25` is recorded as `nginx@sha256:…` (importer.go importImages:
 * `ref.MostSpecific().Exact()` on the parsed, undefaulted `from.name`) and `index.docker.io/x` stays
 * `index.docker.io/x`. The two are kept apart on purpose: connect with the canonical form, record this one.
 */
import { InvalidReferenceError, parseReference } from './reference.js'

/** library-go's DockerImageReference: each field as written (no defaults applied). */
export interface DockerImageReference {
  readonly registry: string
  readonly namespace: string
  readonly name: string
  readonly tag: string
  /** The digest (`sha256:…`), the `@…` part. */
  readonly id: string
}

/** NameTotalLengthMax: applied by library-go to the name as written, registry included. */
export const NAME_TOTAL_LENGTH_MAX = 255

/** Go's digest algorithm sizes (library-go internal/digest Validate). */
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 }

// library-go pkg/image/internal/reference/regexp.go, composed exactly as there (Go RE2 and JS agree on these
// leftmost-first submatches: there are no backreferences or lookarounds).
const ALPHA_NUMERIC = '[a-z0-9]+'
const SEPARATOR = '(?:[._]|__|[-]*)'
const NAME_COMPONENT = `${ALPHA_NUMERIC}(?:(?:${SEPARATOR}${ALPHA_NUMERIC})+)?`
const HOSTNAME_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const HOSTNAME = `${HOSTNAME_COMPONENT}(?:(?:\\.${HOSTNAME_COMPONENT})+)?(?::[0-9]+)?`
const TAG = '[\\w][\\w.-]{0,127}'
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}'
const NAME = `(?:${HOSTNAME}/)?${NAME_COMPONENT}(?:(?:/${NAME_COMPONENT})+)?`
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`)

function refuse(spec: string, reason: string): never {
  throw new InvalidReferenceError(spec, 'reference', reason)
}

/**
 * Says why `spec` does not match the grammar: parseReference's part-by-part reasons where it refuses too, the
 * grammar's own words otherwise.
 */
function explainMismatch(spec: string): never {
  if (spec === '') refuse(spec, 'repository name must have at least one component (the reference is empty)')
  if (REFERENCE.test(spec.toLowerCase())) refuse(spec, 'repository name must be lowercase')
  parseReference(spec) // throws with the part that is wrong for nearly every input
  return refuse(spec, 'invalid reference format: not [registry/]name[:tag][@digest]')
}

function validateDigest(spec: string, digest: string): void {
  const colon = digest.indexOf(':')
  const algorithm = digest.slice(0, colon)
  const size = Object.hasOwn(DIGEST_HEX_LENGTH, algorithm) ? DIGEST_HEX_LENGTH[algorithm] : undefined
  if (size === undefined)
    refuse(spec, `digest algorithm "${algorithm}" is not supported (use sha256, sha384 or sha512)`)
  const hex = digest.length - colon - 1
  if (hex !== size) refuse(spec, `a ${algorithm} digest has ${size} hex digits, this one has ${hex}`)
}

/**
 * library-go `reference.Parse`: `nginx` → name nginx; `quay.io` and `localhost:5000` → a registry alone;
 * `index.docker.io/bar` → registry index.docker.io (kept); `a/b/c` → namespace a, name b/c. Names longer than 255
 * characters as written are refused (ErrNameTooLong). Throws InvalidReferenceError.
 */
export function parseDockerImageReference(spec: string): DockerImageReference {
  if (typeof spec !== 'string') refuse(String(spec), 'an image reference must be a string')
  const m = REFERENCE.exec(spec)
  if (!m) explainMismatch(spec)
  const [, fullName, tag = '', digest = ''] = m!
  if (fullName.length > NAME_TOTAL_LENGTH_MAX) {
    refuse(
      spec,
      `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters (it has ${fullName.length})`
    )
  }
  if (digest) validateDigest(spec, digest)

  const i = fullName.indexOf('/')
  // No path component and it looks like a host (has a '.' or starts with localhost): a registry alone.
  const registryOnly = i === -1 && (fullName.includes('.') || fullName.startsWith('localhost'))
  const first = i === -1 ? '' : fullName.slice(0, i)
  const nameOnly = (i === -1 && !registryOnly) || (i > -1 && !/[:.]/.test(first) && first !== 'localhost')
  let registry = ''
  let name = fullName
  // namedRef.String(): the whole reference, so `localhost:5000` keeps what the grammar read as a tag.
  if (registryOnly) registry = `${fullName}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`
  else if (!nameOnly) [registry, name] = [first, fullName.slice(i + 1)]
  if (registryOnly) name = ''
  let namespace = ''
  const slash = name.indexOf('/')
  if (slash !== -1) [namespace, name] = [name.slice(0, slash), name.slice(slash + 1)]
  return Object.freeze({ registry, namespace, name, tag: registryOnly ? '' : tag, id: digest })
}

/** True when `ref` names a registry and no repository (`quay.io`, `localhost:5000`). */
export function isRegistryOnly(ref: DockerImageReference): boolean {
  return ref.name === ''
}

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io'])

/** library-go IsRegistryDockerHub. */
export function isRegistryDockerHub(registry: string): boolean {
  return DOCKER_HUB_HOSTS.has(registry)
}

/** library-go `DockerClientDefaults`: docker.io, library/ on Docker Hub, latest. */
export function dockerClientDefaults(ref: DockerImageReference): DockerImageReference {
  const registry = ref.registry || 'docker.io'
  const namespace = ref.namespace || (isRegistryDockerHub(registry) ? 'library' : '')
  return Object.freeze({ ...ref, registry, namespace, tag: ref.tag || 'latest' })
}

/** library-go `NameString`: name with `@id` (a digest) or `:tag`. */
function nameString(ref: DockerImageReference): string {
  if (ref.name === '') return ''
  if (ref.id) return `${ref.name}@${ref.id}`
  if (ref.tag) return `${ref.name}:${ref.tag}`
  return ref.name
}

/** library-go `Exact`: the set fields only, no defaults: `nginx@sha256:…`, `index.docker.io/x:1`. */
export function exactString(ref: DockerImageReference): string {
  let s = ref.registry ? `${ref.registry}/` : ''
  if (ref.namespace) s += `${ref.namespace}/`
  const name = nameString(ref)
  if (name === '') return ref.registry ? s : ''
  return s + name
}

/**
 * The pull spec OpenShift records for an image imported through `spec` (importer.go: `ref.Tag, ref.ID = tag,
 * image.Name; ref.MostSpecific().Exact()`; rest.go mostAccuratePullSpec): the reference as written, at `digest`.
 */
export function exactPullSpec(spec: string, digest: string): string {
  const ref = parseDockerImageReference(spec)
  return exactString({ ...ref, tag: '', id: digest })
}

/** The repository as written, without tag or digest (library-go `AsRepository().Exact()`). */
export function exactRepository(spec: string): string {
  return exactString({ ...parseDockerImageReference(spec), tag: '', id: '' })
}

/**
 * The key under which OpenShift's importer groups references into one repository (importer.go importImages:
 * `DockerClientDefaults()`, then the V2 registry URL and `RepositoryName()`): `nginx`, `docker.io/library/nginx`
 * and `index.docker.io/nginx` share one.
 */
export function repositoryKey(ref: DockerImageReference): string {
  const d = dockerClientDefaults(ref)
  const host = d.registry === 'docker.io' || d.registry === 'index.docker.io' ? 'registry-1.docker.io' : d.registry
  return `${host}/${d.namespace ? `${d.namespace}/` : ''}${d.name}`
}

/** The reference as written, at another tag and without digest: what `oc tag`/a repository import writes as from. */
export function exactWithTag(spec: string, tag: string): string {
  return exactString({ ...parseDockerImageReference(spec), tag, id: '' })
}

/**
 * The repository to record events of an import of `spec` under, as OpenShift's importer does within one
 * ImageStreamImport: every reference naming one repository (repositoryKey) is recorded in the form of the first one
 * seen (importer.go importImages keeps `repo.Ref` of the first spec image per repository). A reference only our
 * newer grammar reads (a bracketed IPv6 host) is recorded canonically.
 */
export class RecordedRepositories {
  private readonly first = new Map<string, string>()

  constructor(private readonly canonical: (spec: string) => string) {}

  of(spec: string): string {
    let ref: DockerImageReference
    try {
      ref = parseDockerImageReference(spec)
    } catch {
      return this.canonical(spec)
    }
    const key = repositoryKey(ref)
    let written = this.first.get(key)
    if (written === undefined) {
      written = exactString({ ...ref, tag: '', id: '' })
      this.first.set(key, written)
    }
    return written
  }
}
