/**
 * `imagestream set policy`: the policy annotations of one spec tag (docs/policies.md), set or removed, and checked with
 * the same parser the importer uses before anything is written.
 */
import { InputError } from '../../util/errors.js'
import type { ImageStream } from '../types.js'
import {
  ACCEPT_DRIFT_ANNOTATION,
  ALLOW_ANNOTATION,
  EXTRACT_ANNOTATION,
  FILTER_ANNOTATION,
  IGNORE_ANNOTATION,
  IMMUTABLE_ANNOTATION,
  MIN_AGE_ANNOTATION,
  POLICY_ANNOTATION,
  POLICY_ANNOTATIONS,
  REQUIRE_PLATFORMS_ANNOTATION,
  parseTagPolicy
} from './policy.js'

export interface SetPolicyFlags {
  policy?: string
  filter?: string
  extract?: string
  ignore?: string
  allow?: string
  minAge?: string
  immutable?: string
  requirePlatforms?: string
  acceptDrift?: string
  remove?: boolean
}

const FLAG_ANNOTATIONS: Array<[keyof SetPolicyFlags, string]> = [
  ['policy', POLICY_ANNOTATION],
  ['filter', FILTER_ANNOTATION],
  ['extract', EXTRACT_ANNOTATION],
  ['ignore', IGNORE_ANNOTATION],
  ['allow', ALLOW_ANNOTATION],
  ['minAge', MIN_AGE_ANNOTATION],
  ['immutable', IMMUTABLE_ANNOTATION],
  ['requirePlatforms', REQUIRE_PLATFORMS_ANNOTATION],
  ['acceptDrift', ACCEPT_DRIFT_ANNOTATION]
]

/** The spec tag `tag` with the flags' annotations set (an empty value removes one); validated before returning. */
export function setTagPolicy(stream: ImageStream, tag: string, flags: SetPolicyFlags, file: string): ImageStream {
  const draft = structuredClone(stream)
  const index = (draft.spec.tags ?? []).findIndex((t) => t.name === tag)
  if (index < 0) {
    throw new InputError(
      `imagestreamtags.image.openshift.io "${stream.metadata.name}:${tag}" not found in spec; ` +
        `create it first with "imagestream tag REPOSITORY:TAG ${stream.metadata.name}:${tag}"`
    )
  }
  const ref = draft.spec.tags![index]!
  const annotations = { ...(ref.annotations ?? {}) }
  if (flags.remove) for (const key of POLICY_ANNOTATIONS) delete annotations[key]
  for (const [flag, key] of FLAG_ANNOTATIONS) {
    const value = flags[flag]
    if (typeof value !== 'string') continue
    if (value === '') delete annotations[key]
    else annotations[key] = value
  }
  ref.annotations = Object.keys(annotations).length ? annotations : null
  try {
    parseTagPolicy(ref, index)
  } catch (err) {
    if (err instanceof InputError) throw new InputError(err.message, { file })
    throw err
  }
  return draft
}
