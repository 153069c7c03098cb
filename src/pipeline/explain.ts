/**
 * `imagestream explain STREAM:TAG`: list the source repository's tags and say which a tag policy filtered out and
 * why, the candidates in order, and the winner — what the next import would pick. It writes nothing.
 */
import { PolicyImports } from '../importer/policy-import.js'
import { parseReference, repositoryOf, withoutTagOrDigest } from '../reference/reference.js'
import type { ImageReference } from '../reference/types.js'
import type { RegistryClient } from '../registry/types.js'
import {
  POLICY_ANNOTATION,
  explainSelection,
  formatOrdering,
  parseTagPolicy,
  readFirstSeen,
  type Explanation,
  type TagPolicy
} from '../stream/rules/index.js'
import type { ImageStream, TagReference } from '../stream/types.js'
import { InputError } from '../util/errors.js'

export type { Explanation }

/** A policy tag checked for explaining: its spec tag, its parsed policy and the repository it follows. */
export interface ExplainTarget {
  stream: ImageStream
  name: string
  tag: string
  ref: TagReference & { from: NonNullable<TagReference['from']> }
  policy: TagPolicy & { ordering: NonNullable<TagPolicy['ordering']> }
  repository: ImageReference
}

export interface PolicyExplanation {
  data: {
    tag: string
    repository: string
    policy: string
    current: string
    soaking?: { from: string; seen: string }
  } & Explanation
  explanation: Explanation
}

/** Checked before any registry is opened: the tag must follow a DockerImage source under a tag policy. */
export function explainTarget(stream: ImageStream, name: string, tag: string): ExplainTarget {
  const index = (stream.spec.tags ?? []).findIndex((t) => t.name === tag)
  const ref = stream.spec.tags?.[index]
  if (!ref?.from || ref.from.kind !== 'DockerImage') {
    throw new InputError(`${name}:${tag} has no DockerImage source in spec; nothing to explain`)
  }
  const policy = parseTagPolicy(ref, index)
  if (!policy?.ordering) {
    throw new InputError(`${name}:${tag} has no ${POLICY_ANNOTATION}; it follows ${ref.from.name}`)
  }
  const repository = withoutTagOrDigest(parseReference(ref.from.name))
  return {
    stream,
    name,
    tag,
    ref: ref as ExplainTarget['ref'],
    policy: policy as ExplainTarget['policy'],
    repository
  }
}

/** Lists the repository's tags and runs the policy's selection over them. */
export async function explainPolicy(target: ExplainTarget, registry: RegistryClient): Promise<PolicyExplanation> {
  const { ref, policy, repository } = target
  const tags = await new PolicyImports({ registry, now: '' }, { kind: 'all' }).listTags(
    repository,
    ref.importPolicy?.insecure === true
  )
  const explanation = explainSelection(tags, policy)
  const soaking = readFirstSeen(target.stream)[target.tag]
  const data = {
    tag: `${target.name}:${target.tag}`,
    repository: repositoryOf(repository),
    policy: formatOrdering(policy.ordering),
    current: ref.from.name,
    ...explanation,
    ...(soaking ? { soaking } : {})
  }
  return { data, explanation }
}
