/**
 * Bindings of a DeploymentConfig's ImageChange triggers: `imageChangeParams.lastTriggeredImage` and the image of every
 * container the trigger names.
 */
import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml'
import { splitStreamTag } from './annotation.js'
import { decide, diag, type Context } from './find-context.js'
import type { Target } from './types.js'
import { getPath, getValue, locate, scalarText, valueTarget } from './yaml-source.js'

export interface DcContext {
  label: string
  namespace?: string
  prefix: string
  group: string
}

export function deploymentConfigBindings(ctx: Context, dc: YAMLMap, d: DcContext): void {
  const triggers = getPath(dc, ['spec', 'triggers']).node
  if (!isSeq(triggers)) return
  if (refusedByApiServer(ctx, triggers.items, d)) return
  triggers.items.forEach((item, i) => {
    const field = `${d.prefix}spec.triggers[${i}].imageChangeParams`
    const params = getValue(item, 'imageChangeParams')
    if (!isMap(params)) return
    const at = params.range?.[0] ?? 0
    const fromKind = decide(ctx, getPath(params, ['from', 'kind']).node)
    const fromName = decide(ctx, getPath(params, ['from', 'name']).node) ?? ''
    if (fromKind !== 'ImageStreamTag' || !fromName) {
      diag(
        ctx,
        'notice',
        at,
        `${field}.from`,
        `ignored: only ImageStreamTag triggers with a name are followed (as OpenShift does)`
      )
      return
    }
    const automatic = getValue(params, 'automatic')
    decide(ctx, automatic)
    if (!(isScalar(automatic) && automatic.value === true)) return
    const lastNode = getValue(params, 'lastTriggeredImage')
    const last = scalarText(lastNode) ?? ''
    // lastTriggeredImage is the fallback of an unresolvable trigger. A set one is rewritten only when its trigger
    // resolves (then the fallback is never read; while it does not, the only value it may get is the one it has), so
    // only an unset one (which an edit would turn into a fallback) decides anything.
    if (!last) decide(ctx, lastNode)
    const split = splitStreamTag(fromName)
    if (!split) diag(ctx, 'warning', at, `${field}.from.name`, `"${fromName}" is not stream:tag, so it never resolves`)
    const from = {
      namespace: decide(ctx, getPath(params, ['from', 'namespace']).node) || d.namespace,
      ...(split ?? { stream: fromName, tag: '' })
    }
    const pos = locate(ctx.lc, at)
    const push = (target: Target) =>
      ctx.bindings.push({
        source: 'deploymentconfig',
        file: ctx.file,
        ...pos,
        field,
        object: d.label,
        from,
        part: 'reference',
        target,
        group: d.group,
        lastTriggeredImage: last
      })

    const lt = valueTarget(
      ctx.text,
      ctx.lc,
      params,
      'lastTriggeredImage',
      `${field}.lastTriggeredImage`,
      params.flow === true
    )
    if (lt.ok) push(lt.target)
    else diag(ctx, 'error', at, `${field}.lastTriggeredImage`, lt.message)

    const names = getValue(params, 'containerNames')
    const wanted = isSeq(names) ? names.items.map((n) => decide(ctx, n)).filter((n): n is string => !!n) : []
    containerBindings(ctx, dc, d, { at, field, wanted, push })
  })
}

/**
 * openshift-apiserver's validateImageChangeParams requires containerNames on every ImageChange trigger: the API server
 * refuses such a DeploymentConfig whole, so no trigger of it ever fires and nothing of it is rewritten.
 */
function refusedByApiServer(ctx: Context, items: unknown[], d: DcContext): boolean {
  let refused = false
  items.forEach((item, i) => {
    const params = getValue(item, 'imageChangeParams')
    if (!isMap(params)) return
    const names = getValue(params, 'containerNames')
    if (isSeq(names) && names.items.length > 0) return
    refused = true
    diag(
      ctx,
      'error',
      (isMap(item) ? item.range?.[0] : undefined) ?? params.range?.[0] ?? 0,
      `${d.prefix}spec.triggers[${i}].imageChangeParams.containerNames`,
      `${d.label} is refused by the API server: an ImageChange trigger needs containerNames ` +
        `(validateImageChangeParams); name the containers it sets, nothing of this object is rewritten`
    )
  })
  return refused
}

/** Every container a trigger names gets the image: OpenShift sets init containers first, then containers. */
function containerBindings(
  ctx: Context,
  dc: YAMLMap,
  d: DcContext,
  trigger: { at: number; field: string; wanted: string[]; push: (target: Target) => void }
): void {
  const { at, field, wanted, push } = trigger
  for (const name of wanted) {
    let matched = false
    for (const list of ['initContainers', 'containers']) {
      const seq = getPath(dc, ['spec', 'template', 'spec', list]).node
      if (!isSeq(seq)) continue
      seq.items.forEach((c, ci) => {
        if (!isMap(c) || decide(ctx, getValue(c, 'name')) !== name) return
        matched = true
        const t = valueTarget(
          ctx.text,
          ctx.lc,
          c,
          'image',
          `${d.prefix}spec.template.spec.${list}[${ci}].image`,
          c.flow === true
        )
        if (t.ok) push(t.target)
        else diag(ctx, 'error', at, `${field}.containerNames`, t.message)
      })
    }
    if (!matched)
      diag(
        ctx,
        'warning',
        at,
        `${field}.containerNames`,
        `no container named "${name}" in ${d.label} (OpenShift ignores the name)`
      )
  }
}
