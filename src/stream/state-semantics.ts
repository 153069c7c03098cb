/**
 * What the schema cannot say but OpenShift's API validation does ([oas] pkg/image/apis/image/validation/
 * validation.go ValidateImageStream / ValidateImageStreamTagReference): tag names, a DockerImage `from.name` that
 * parses as an image reference, `ImageStreamTag`/`ImageStreamImage` names of the right shape, digests in status,
 * non-negative generations, `importPolicy.scheduled` only on a DockerImage source — plus alias chains that can never resolve (FollowTagReference's ErrCircularReference).
 * A file with any of these is refused when it is read, with the field's position, instead of failing later at
 * import time with no location.
 */
import { isValidStreamName } from '../reference/names.js'
import { isDigest, isValidTagName, parseReference } from '../reference/reference.js'
import { followTagReference, TagReferenceError } from './rules/tracking.js'
import type { ImageStream, TagReference } from './types.js'
import type { FieldPath } from './state-validate.js'

export interface SemanticIssue {
  path: FieldPath
  message: string
}

/** ValidateImageStreamTagReference: only a DockerImage source can be imported on a schedule. */
function scheduledIssue(ref: TagReference, at: (...rest: FieldPath) => FieldPath): SemanticIssue | undefined {
  const kind = ref.from?.kind
  if ((kind !== 'ImageStreamTag' && kind !== 'ImageStreamImage') || ref.importPolicy?.scheduled !== true) return
  return {
    path: at('importPolicy', 'scheduled'),
    message:
      `only tags pointing to Docker repositories may be scheduled for background import (from is ${kind}); ` +
      'remove scheduled, or point the tag at a DockerImage'
  }
}

export function semanticIssues(stream: ImageStream): SemanticIssue[] {
  const issues: SemanticIssue[] = []
  const generation = stream.metadata?.generation
  if (typeof generation === 'number' && generation < 0) {
    issues.push({ path: ['metadata', 'generation'], message: `must be 0 or more (got ${generation})` })
  }
  for (const [i, ref] of (stream.spec?.tags ?? []).entries()) {
    const at = (...rest: FieldPath): FieldPath => ['spec', 'tags', i, ...rest]
    if (!isValidTagName(ref.name)) {
      issues.push({
        path: at('name'),
        message: `tag name ${JSON.stringify(ref.name)} must match [\\w][\\w.-]{0,127} (letters, digits, _ . -)`
      })
    }
    if (typeof ref.generation === 'number' && ref.generation < 0) {
      issues.push({ path: at('generation'), message: `must be 0 or more (got ${ref.generation})` })
    }
    const from = ref.from
    if (!from) continue
    const scheduled = scheduledIssue(ref, at)
    if (scheduled) issues.push(scheduled)
    if (from.kind === 'DockerImage') {
      try {
        parseReference(from.name)
      } catch (err) {
        issues.push({ path: at('from', 'name'), message: `is not a valid image reference: ${(err as Error).message}` })
      }
    } else if (from.kind === 'ImageStreamTag') {
      const parts = from.name.split(':')
      const tag = parts[parts.length - 1]
      if (parts.length > 2 || !isValidTagName(tag) || (parts.length === 2 && !isValidStreamName(parts[0]))) {
        issues.push({
          path: at('from', 'name'),
          message: `an ImageStreamTag is "tag" or "stream:tag"; got ${JSON.stringify(from.name)}`
        })
      }
    } else if (from.kind === 'ImageStreamImage') {
      const [name, digest, extra] = from.name.split('@')
      if (extra !== undefined || !name || !isValidStreamName(name) || !digest) {
        issues.push({
          path: at('from', 'name'),
          message: `an ImageStreamImage is "stream@sha256:…"; got ${JSON.stringify(from.name)}`
        })
      }
    } else {
      issues.push({
        path: at('from', 'kind'),
        message: "valid values are 'DockerImage', 'ImageStreamImage', 'ImageStreamTag'"
      })
    }
  }
  for (const [i, list] of (stream.status?.tags ?? []).entries()) {
    for (const [j, item] of (list.items ?? []).entries()) {
      if (item.image !== '' && item.image !== undefined && !isDigest(item.image)) {
        issues.push({
          path: ['status', 'tags', i, 'items', j, 'image'],
          message: `must be a digest such as sha256:<64 lowercase hex>; got ${JSON.stringify(item.image)}`
        })
      }
    }
  }
  if (issues.length > 0) return issues
  // Only once every name is well formed: an alias chain that loops can never resolve.
  for (const [i, ref] of (stream.spec?.tags ?? []).entries()) {
    if (ref.from?.kind !== 'ImageStreamTag') continue
    try {
      followTagReference(stream, ref.name)
    } catch (err) {
      if (err instanceof TagReferenceError && err.code === 'ErrCircularReference') {
        issues.push({
          path: ['spec', 'tags', i, 'from', 'name'],
          message: `tag "${ref.name}" is part of a circular chain of ImageStreamTag aliases; point one of them at an image`
        })
      }
    }
  }
  return issues
}
