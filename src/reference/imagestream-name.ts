/**
 * The ImageStream name rule, as OpenShift's API server applies it (openshift-apiserver
 * pkg/image/apis/image/validation/validation.go ValidateImageStreamName): path.ValidatePathSegmentName (no `.`,
 * `..`, `/` or `%`), then RepositoryNameComponentAnchoredRegexp — lower-case letters and digits in runs joined by
 * one `.`, `_` or `-`. So `openad_workbench` is a valid name and `r--studio` is not, unlike a DNS-1123 subdomain.
 */

/** RepositoryNameComponentRegexp, anchored (copied by OpenShift from docker/distribution v2.1.1 names.go). */
export const IMAGE_STREAM_NAME_PATTERN = '^[a-z0-9]+(?:[._-][a-z0-9]+)*$'
const IMAGE_STREAM_NAME = new RegExp(IMAGE_STREAM_NAME_PATTERN)
/** metadata.name is at most 253 characters for every Kubernetes object (apimachinery ValidateObjectMeta). */
export const IMAGE_STREAM_NAME_MAX = 253

/** Why `name` is not a valid ImageStream name, in OpenShift's words, or undefined when it is valid. */
export function imageStreamNameProblem(name: string): string | undefined {
  if (name === '') return 'name is required'
  if (name === '.' || name === '..') return `may not be '${name}'`
  for (const illegal of ['/', '%']) if (name.includes(illegal)) return `may not contain '${illegal}'`
  if (name.length > IMAGE_STREAM_NAME_MAX) return `must be no more than ${IMAGE_STREAM_NAME_MAX} characters`
  if (!IMAGE_STREAM_NAME.test(name)) return `must match "[a-z0-9]+(?:[._-][a-z0-9]+)*"`
  return undefined
}

export function isValidImageStreamName(name: string): boolean {
  return imageStreamNameProblem(name) === undefined
}
