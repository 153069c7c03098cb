/**
 * Bindings of the trigger annotation (`image.openshift.io/triggers`) on a pod-spec kind: each trigger names a stream
 * tag and, by its fieldPath, the container whose image follows it.
 */
import { isAlias, isMap, isSeq, type YAMLMap, type YAMLSeq } from 'yaml'
import { parseTriggerAnnotation, splitStreamTag } from './annotation.js'
import { decide, diag, type Context } from './find-context.js'
import { parseFieldPath, type ContainerList, type ContainerSelector } from './pod-spec.js'
import type { Binding, Target } from './types.js'
import { getPath, getValue, locate, valueTarget } from './yaml-source.js'

export interface AnnotationContext {
  field: string
  at: number
  label: string
  namespace?: string
  specPath: string
  prefix: string
}

export function annotationBindings(ctx: Context, obj: YAMLMap, value: string, a: AnnotationContext): void {
  const parsed = parseTriggerAnnotation(value)
  if (!parsed.ok) {
    diag(ctx, 'error', a.at, a.field, `${parsed.message}; no trigger of ${a.label} is applied`)
    return
  }
  const pos = locate(ctx.lc, a.at)
  // UpdateObjectFromImages (openshift-controller-manager pkg/image/trigger/annotations): one trigger that names no
  // container fails the whole object, so none of its triggers is applied.
  const found: Binding[] = []
  let invalid = false
  parsed.triggers.forEach((trigger, i) => {
    const field = `${a.field}[${i}]`
    if (trigger.paused) return
    const split = splitStreamTag(trigger.from.name)
    if (!split) {
      diag(
        ctx,
        'warning',
        a.at,
        `${field}.from.name`,
        `"${trigger.from.name}" is not stream:tag, so it never resolves; write e.g. "${trigger.from.name || 'web'}:latest"`
      )
      return
    }
    // The image trigger source only follows ImageStreamTag triggers of the core group (no apiVersion).
    if ((trigger.from.kind && trigger.from.kind !== 'ImageStreamTag') || trigger.from.apiVersion) {
      const what = trigger.from.apiVersion ? `apiVersion "${trigger.from.apiVersion}"` : `kind "${trigger.from.kind}"`
      diag(
        ctx,
        'warning',
        a.at,
        `${field}.from`,
        `ignored: a trigger from ${what} never fires in OpenShift; write kind ImageStreamTag without apiVersion`
      )
      return
    }
    const fp = parseFieldPath(trigger.fieldPath, a.specPath)
    if (!fp.ok) {
      diag(ctx, fp.ignored ? 'notice' : 'error', a.at, `${field}.fieldPath`, fp.message)
      if (!fp.ignored) invalid = true
      return
    }
    const container = findContainer(ctx, obj, a.specPath, fp.selector, a.prefix)
    if (!container.ok) {
      diag(ctx, 'error', a.at, `${field}.fieldPath`, `${container.message} in ${a.label}`)
      invalid = true
      return
    }
    found.push({
      source: 'annotation',
      file: ctx.file,
      ...pos,
      field,
      object: a.label,
      from: { namespace: trigger.from.namespace || a.namespace, ...split },
      part: 'reference',
      target: container.target
    })
  })
  if (invalid && found.length > 0) {
    diag(
      ctx,
      'error',
      a.at,
      a.field,
      `an invalid trigger fails the whole object in OpenShift: no trigger of ${a.label} is applied`
    )
  } else ctx.bindings.push(...found)
}

type ContainerFound = { ok: true; target: Target } | { ok: false; message: string }
type ListFound = { ok: true; seq: YAMLSeq | undefined; path: string } | { ok: false; message: string }

function containerList(obj: YAMLMap, specPath: string, list: ContainerList, prefix: string): ListFound {
  const path = [...specPath.split('.'), list]
  const got = getPath(obj, path)
  if (got.alias)
    return { ok: false, message: `${prefix}${got.alias} is an alias; the container cannot be rewritten in place` }
  return { ok: true, seq: isSeq(got.node) ? got.node : undefined, path: `${prefix}${path.join('.')}` }
}

/** findContainerBySelector ([lg] pkg/image/trigger/annotations.go) over the manifest's own nodes. */
function findContainer(
  ctx: Context,
  obj: YAMLMap,
  specPath: string,
  selector: ContainerSelector,
  prefix: string
): ContainerFound {
  if ('unmatched' in selector)
    return {
      ok: false,
      message: `no such container: the selector [${selector.unmatched}] is neither an index nor ?(@.name=="NAME")`
    }
  // A name is looked up among the init containers first, then the containers, whatever the list the path names
  // (GetContainerByName, [lg] pkg/image/referencemutator/pods.go): `oc set triggers -c init` writes `containers[…]`.
  const lists: ContainerList[] = 'name' in selector ? ['initContainers', 'containers'] : [selector.list]
  for (const list of lists) {
    const found = containerList(obj, specPath, list, prefix)
    if (!found.ok) return found
    const seq = found.seq
    if (!seq) continue
    const i =
      'index' in selector
        ? selector.index >= 0 && selector.index < seq.items.length
          ? selector.index
          : -1
        : seq.items.findIndex((c) => decide(ctx, getValue(c, 'name')) === selector.name)
    if (i < 0) continue
    const container = seq.items[i]
    if (!isMap(container))
      return {
        ok: false,
        message: `${found.path}[${i}] is ${isAlias(container) ? 'an alias; the container cannot be rewritten in place' : 'not a map'}`
      }
    const t = valueTarget(ctx.text, ctx.lc, container, 'image', `${found.path}[${i}].image`, container.flow === true)
    return t.ok ? t : { ok: false, message: t.message }
  }
  const what =
    'index' in selector
      ? `${selector.list}[${selector.index}]`
      : `no init container or container is named "${selector.name}"`
  return { ok: false, message: `no such container: ${what}` }
}
