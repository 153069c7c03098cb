/**
 * Which kinds carry a pod spec and where, and how a trigger's fieldPath selects a container in it.
 * Mirrors [lg] pkg/image/referencemutator/pods.go (GetPodSpecReferenceMutator) and
 * pkg/image/trigger/annotations.go (ContainerForObjectFieldPath).
 */

/** API groups per kind: a `kind: Deployment` of some CRD group is not a Deployment. */
const APPS = ['apps', 'extensions']
const POD_SPEC_KINDS: Record<string, { path: string; groups: string[] }> = {
  Deployment: { path: 'spec.template.spec', groups: APPS },
  DaemonSet: { path: 'spec.template.spec', groups: APPS },
  StatefulSet: { path: 'spec.template.spec', groups: ['apps'] },
  ReplicaSet: { path: 'spec.template.spec', groups: APPS },
  ReplicationController: { path: 'spec.template.spec', groups: [''] },
  Job: { path: 'spec.template.spec', groups: ['batch'] },
  DeploymentConfig: { path: 'spec.template.spec', groups: ['apps.openshift.io', ''] },
  CronJob: { path: 'spec.jobTemplate.spec.template.spec', groups: ['batch'] },
  Pod: { path: 'spec', groups: [''] },
  PodTemplate: { path: 'template.spec', groups: [''] }
}

/**
 * The kinds whose trigger annotation OpenShift honours: the image trigger controller registers an annotation source
 * for apps/deployments, apps/daemonsets, apps/statefulsets and batch/cronjobs only ([ocm] pkg/cmd/controller/image.go
 * RunImageTriggerController, the `triggerannotations.NewAnnotationTriggerIndexer` sources). A Job, Pod, ReplicaSet,
 * ReplicationController or PodTemplate has a pod spec library-go could mutate, but nothing watches its annotation;
 * a DeploymentConfig is watched through its spec.triggers only. `oc set triggers` writes the annotation on the same
 * four ([oc] pkg/cli/set/triggers.go Apply).
 */
export const ANNOTATION_TRIGGER_KINDS = ['Deployment', 'DaemonSet', 'StatefulSet', 'CronJob']

function apiGroup(apiVersion: string | undefined): string | undefined {
  if (apiVersion === undefined) return undefined
  const slash = apiVersion.indexOf('/')
  return slash < 0 ? '' : apiVersion.slice(0, slash)
}

/** The pod-spec path of a kind (`spec.template.spec`), or undefined when library-go knows no pod spec there. */
export function podSpecPath(kind: string, apiVersion?: string): string | undefined {
  const entry = POD_SPEC_KINDS[kind]
  if (!entry) return undefined
  const group = apiGroup(apiVersion)
  // A missing apiVersion is a malformed object, but the kind alone is the user's clear intent.
  if (group !== undefined && !entry.groups.includes(group)) return undefined
  return entry.path
}

export type ContainerList = 'containers' | 'initContainers'

/**
 * findContainerBySelector ([lg] pkg/image/trigger/annotations.go): an index selects in the list the path names; a
 * name selects the first init container of that name, else the first container, whatever the list the path names
 * (GetContainerByName, [lg] pkg/image/referencemutator/pods.go). Any other selector finds nothing.
 */
export type ContainerSelector =
  | { list: ContainerList; index: number }
  | { list: ContainerList; name: string }
  | { list: ContainerList; unmatched: string }

export type FieldPathParse =
  | { ok: true; selector: ContainerSelector }
  /** `ignored`: does not start with the pod-spec path — library-go skips it silently. */
  | { ok: false; ignored: boolean; message: string }

const NAME_PREFIX = '?(@.name=="'
const NAME_SUFFIX = '")'

/**
 * Parses `<podspec>.containers[SEL].image` the way library-go does: SEL is an integer (strconv.Atoi) or
 * exactly `?(@.name=="NAME")` (TrimPrefix/TrimSuffix, so any other spelling becomes a name no container has).
 */
export function parseFieldPath(fieldPath: string, specPath: string): FieldPathParse {
  const base = `${specPath}.`
  if (!fieldPath.startsWith(base)) {
    return {
      ok: false,
      ignored: true,
      message: `fieldPath "${fieldPath}" does not start with "${base}", so OpenShift ignores this trigger`
    }
  }
  let rest = fieldPath.slice(base.length)
  let list: ContainerList
  if (rest.startsWith('containers[')) {
    list = 'containers'
    rest = rest.slice('containers['.length)
  } else if (rest.startsWith('initContainers[')) {
    list = 'initContainers'
    rest = rest.slice('initContainers['.length)
  } else {
    return invalid(fieldPath)
  }
  const end = rest.indexOf(']')
  if (end < 0) return invalid(fieldPath)
  const selector = rest.slice(0, end)
  let remainder = rest.slice(end + 1)
  if (remainder.startsWith('.')) remainder = remainder.slice(1)
  if (remainder !== 'image') return invalid(fieldPath)
  if (/^[+-]?\d+$/.test(selector)) return { ok: true, selector: { list, index: Number.parseInt(selector, 10) } }
  let name = selector.startsWith(NAME_PREFIX) ? selector.slice(NAME_PREFIX.length) : selector
  if (name.endsWith(NAME_SUFFIX)) name = name.slice(0, -NAME_SUFFIX.length)
  // `name != selector`: only a selector that lost its prefix or suffix is a name.
  return { ok: true, selector: name === selector ? { list, unmatched: selector } : { list, name } }
}

function invalid(fieldPath: string): FieldPathParse {
  return {
    ok: false,
    ignored: false,
    message:
      `field path is not valid: "${fieldPath}"; write <podspec>.containers[?(@.name=="NAME")].image, ` +
      `<podspec>.initContainers[?(@.name=="NAME")].image or an index such as containers[0]`
  }
}

/**
 * The fieldPath `oc set triggers` writes for a container: always under `containers`, init containers too
 * ([oc] pkg/cli/set/triggers.go Apply, `path.Child("containers")`), which the reactor finds by name in either list.
 */
export function containerFieldPath(specPath: string, name: string): string {
  return `${specPath}.containers[?(@.name=="${name}")].image`
}
