/**
 * A GitHub event (+ the settings) → what this run imports. Pure, and strict about payloads: every field taken
 * from a payload is type-checked and bounded, and nothing from it reaches a shell, a path or markdown unescaped
 * (callers escape when rendering). The payload's digest is only a hint: the registry is always asked.
 */
import { isDigest, isValidTagName, parseReference } from '../reference/reference.js'
import { InputError } from '../util/errors.js'
import type { ImportIntent } from '../pipeline/commands.js'
import { baseBranchOf, payloadNeeded, readPayload, type ActionContext } from './context.js'
import type { Settings } from './settings.js'

export type { ImportIntent }

const MAX_STRING = 1024

function str(value: unknown, field: string, { optional = false, max = MAX_STRING } = {}): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (optional) return undefined
    throw new InputError('is missing from the event payload', { field })
  }
  if (typeof value !== 'string')
    throw new InputError(`must be a string in the event payload; got ${typeof value}`, { field })
  if (value.length > max) throw new InputError(`is longer than ${max} characters`, { field })
  if (/[\0-\x1f\x7f]/.test(value)) throw new InputError('contains control characters', { field })
  return value
}

function obj(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('must be an object in the event payload', { field })
  }
  return value as Record<string, unknown>
}

function digestHint(value: unknown, field: string): string | undefined {
  const d = str(value, field, { optional: true, max: 200 })
  if (d !== undefined && !isDigest(d))
    throw new InputError(`must be a digest such as sha256:<64 hex>; got ${JSON.stringify(d)}`, { field })
  return d
}

export function importIntentFor(eventName: string, payload: unknown, settings: Settings): ImportIntent {
  // A build step in the same job told us what it pushed: that wins over the event that started the workflow.
  if (settings.image)
    return { kind: 'pushed', image: settings.image, digest: settings.digest, source: 'inputs image/digest' }
  if (settings.images.all) return { kind: 'all' }
  if (settings.images.tags.length > 0) return { kind: 'tags', tags: settings.images.tags }

  switch (eventName) {
    case 'schedule':
      return { kind: 'scheduled' }
    case 'workflow_dispatch':
      // With no `images` a manual run behaves like a scheduled one, so "Run workflow" is a way to catch up now.
      return { kind: 'scheduled' }
    case 'push':
      return { kind: 'pending' }
    case 'registry_package':
      return fromRegistryPackage(payload)
    case 'repository_dispatch':
      return fromRepositoryDispatch(payload)
    default:
      return { kind: 'scheduled' }
  }
}

/** GitHub's `registry_package` webhook (published/updated) for a container package. */
function fromRegistryPackage(payload: unknown): ImportIntent {
  const p = obj(payload, 'payload')
  const action = str(p.action, 'action', { optional: true, max: 50 })
  if (action && action !== 'published' && action !== 'updated') {
    return { kind: 'none', reason: `registry_package action "${action}" is not a publish` }
  }
  const pkg = obj(p.registry_package, 'registry_package')
  const type = str(pkg.package_type, 'registry_package.package_type', { optional: true, max: 50 })
  if (type && type.toUpperCase() !== 'CONTAINER') {
    return { kind: 'none', reason: `registry_package is a ${type} package, not a container image` }
  }
  const version = obj(pkg.package_version, 'registry_package.package_version')
  const meta =
    version.container_metadata === undefined
      ? {}
      : obj(version.container_metadata, 'registry_package.package_version.container_metadata')
  const tagObj =
    meta.tag === undefined || meta.tag === null
      ? {}
      : obj(meta.tag, 'registry_package.package_version.container_metadata.tag')
  const tag = str(tagObj.name, 'registry_package.package_version.container_metadata.tag.name', {
    optional: true,
    max: 128
  })
  if (!tag) {
    // Multi-arch pushes send one event per manifest; only the one that carries the tag name says what moved.
    return { kind: 'none', reason: 'the registry_package event is for an untagged manifest (empty tag name)' }
  }
  if (!isValidTagName(tag)) {
    throw new InputError(`is not a valid tag: ${JSON.stringify(tag)}`, {
      field: 'registry_package.package_version.container_metadata.tag.name'
    })
  }
  const digest =
    digestHint(tagObj.digest, 'registry_package.package_version.container_metadata.tag.digest') ??
    digestHint(version.version, 'registry_package.package_version.version')

  // package_url is "ghcr.io/OWNER/NAME:TAG" (sometimes without the tag); build from parts when it is absent.
  const packageUrl = str(version.package_url, 'registry_package.package_version.package_url', { optional: true })
  let repository: string
  if (packageUrl) {
    repository = packageUrl.replace(/^https?:\/\//, '').replace(/[:@][^/]*$/, '')
  } else {
    const namespace = str(pkg.namespace, 'registry_package.namespace', { max: 100 })!
    const name = str(pkg.name, 'registry_package.name', { max: 200 })!
    const registry = pkg.registry === undefined ? {} : obj(pkg.registry, 'registry_package.registry')
    const host = (str(registry.url, 'registry_package.registry.url', { optional: true }) ?? 'https://ghcr.io')
      .replace(/^https?:\/\//, '')
      .replace(/\/.*$/, '')
    repository = `${host}/${namespace}/${name}`
  }
  repository = repository.toLowerCase()
  if (!/^[a-z0-9.-]+(?::\d+)?(\/[a-z0-9._-]+)+$/.test(repository)) {
    throw new InputError(`does not name an image repository: ${JSON.stringify(repository)}`, {
      field: 'registry_package.package_version.package_url'
    })
  }
  checkReference(`${repository}:${tag}`, 'registry_package.package_version.package_url')
  return { kind: 'pushed', image: `${repository}:${tag}`, digest, source: 'registry_package event' }
}

/** `repository_dispatch` with `client_payload.image` (and an optional digest): a build elsewhere pushed an image. */
function fromRepositoryDispatch(payload: unknown): ImportIntent {
  const p = obj(payload, 'payload')
  const cp = p.client_payload === undefined || p.client_payload === null ? {} : obj(p.client_payload, 'client_payload')
  const image = str(cp.image, 'client_payload.image', { optional: true, max: 512 })
  if (!image) {
    const images = cp.images
    if (images === 'all') return { kind: 'all' }
    if (Array.isArray(images)) {
      const tags = images.map((t, i) => str(t, `client_payload.images[${i}]`, { max: 300 })!)
      return { kind: 'tags', tags }
    }
    return { kind: 'scheduled' }
  }
  if (/\s/.test(image))
    throw new InputError('must be one image reference without spaces', { field: 'client_payload.image' })
  checkReference(image, 'client_payload.image')
  return {
    kind: 'pushed',
    image,
    digest: digestHint(cp.digest, 'client_payload.digest'),
    source: 'repository_dispatch event'
  }
}

/** The distribution reference grammar decides (no `..` path components, lower-case repository, a valid tag). */
function checkReference(image: string, field: string): void {
  try {
    parseReference(image)
  } catch (err) {
    throw new InputError(`does not name an image: ${(err as Error).message}`, { field })
  }
}

/** What the event asks of this run: the import request, and the branch the result is delivered to. */
export async function eventRequest(
  context: ActionContext,
  settings: Settings
): Promise<{ intent: ImportIntent; baseBranch: string }> {
  const payload = payloadNeeded(context.eventName) ? await readPayload(context.eventPath) : {}
  const intent = importIntentFor(context.eventName, payload, settings)
  const baseBranch =
    settings.delivery === 'none'
      ? (settings.baseBranch ?? context.refBranch ?? '')
      : baseBranchOf(settings.baseBranch, context, payload)
  return { intent, baseBranch }
}
