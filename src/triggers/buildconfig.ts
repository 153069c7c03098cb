/**
 * BuildConfig image change triggers, mirrored from OpenShift and applied to the repository:
 *  - which triggers count: openshift-controller-manager pkg/image/trigger/buildconfigs/buildconfigs.go
 *    (calculateBuildConfigTriggers, buildConfigReactor.ImageChanged): type ImageChange, `from` an ImageStreamTag or,
 *    when empty, the strategy's from (library-go buildutil.GetInputReference); `paused` triggers are skipped; a
 *    trigger fires when the tag's ResolveLatestTaggedImage differs from its lastTriggeredImageID (in status, and in
 *    the deprecated spec field where present); the first firing trigger is the build's cause;
 *  - what a build writes: openshift-apiserver pkg/build/apiserver/buildgenerator/generator.go
 *    (instantiate: a paused BuildConfig instantiates nothing; updateImageTriggers: status.imageChangeTriggers is
 *    reset to one entry per ImageChange trigger in spec order, each with `from` and its tag's current image, the
 *    cause also with lastTriggerTime);
 *  - a Docker strategy build replaces the LAST `FROM` of its Dockerfile with the strategy's image (OpenShift's
 *    builder, pkg/build/builder/docker.go replaceLastFrom); here that FROM is pinned in the repository instead.
 * Pure: files and streams in, edits, bindings and the builds to start out.
 */
import type { Diagnostic } from '../util/errors.js'
import { BUILD_CONFIG_PAUSED_ANNOTATION, readBuildConfigs } from './buildconfig-read.js'
import type { ObjectRef, ReadBuildConfig } from './buildconfig-read.js'
import { specLastNode, statusEdit, type TriggerStatus } from './buildconfig-status.js'
import { formatStreamTag, resolveStreamTag, type StreamCatalog } from './catalog.js'
import { lastFromSite } from './dockerfile.js'
import { splitStreamTag } from './annotation.js'
import type { Binding, Edit, ManifestFile, RewriteOptions, StreamTagRef } from './types.js'
import { scalarText } from './yaml-source.js'
import { renderScalar } from '../yaml/scalar.js'

export const DISPATCH_WORKFLOW_ANNOTATION = 'imagestream-action.dev/dispatch-workflow'
export const DISPATCH_EVENT_ANNOTATION = 'imagestream-action.dev/dispatch-event'

/** A build OpenShift would have instantiated in this run. */
export interface TriggeredBuild {
  file: string
  /** `BuildConfig/[ns/]name`. */
  object: string
  /** The cause: `[ns/]stream:tag`. */
  from: string
  /** lastTriggeredImageID before ('' when the trigger never fired). */
  oldImage: string
  newImage: string
  workflow?: string
  event?: string
}

export interface BuildConfigPlan {
  edits: Map<string, Edit[]>
  bindings: Map<string, Binding[]>
  builds: TriggeredBuild[]
  diagnostics: Diagnostic[]
  /** ImageChange triggers read (paused BuildConfigs excluded). */
  triggers: number
}

function effectiveFrom(bc: ReadBuildConfig, from: ObjectRef | undefined): ObjectRef | undefined {
  return from && from.name ? from : bc.strategyFrom
}

function streamTagOf(bc: ReadBuildConfig, from: ObjectRef): StreamTagRef | undefined {
  const split = splitStreamTag(from.name)
  return split ? { namespace: from.namespace || bc.namespace, ...split } : undefined
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key) ?? []
  list.push(value)
  map.set(key, list)
}

export function planBuildConfigs(
  files: readonly ManifestFile[],
  catalog: StreamCatalog,
  options: RewriteOptions = {}
): BuildConfigPlan {
  const plan: BuildConfigPlan = { edits: new Map(), bindings: new Map(), builds: [], diagnostics: [], triggers: 0 }
  const texts = new Map(files.map((f) => [f.path, f.text]))
  for (const file of files) {
    if (!/\.ya?ml$/i.test(file.path)) continue
    for (const bc of readBuildConfigs(file.path, file.text)) planOne(bc, catalog, texts, options, plan)
  }
  return plan
}

function planOne(
  bc: ReadBuildConfig,
  catalog: StreamCatalog,
  texts: ReadonlyMap<string, string>,
  options: RewriteOptions,
  plan: BuildConfigPlan
): void {
  if (bc.annotations[BUILD_CONFIG_PAUSED_ANNOTATION]?.toLowerCase() === 'true') return
  plan.triggers += bc.triggers.length
  const where = { file: bc.file, line: bc.line }
  const latest = (from: ObjectRef | undefined): string | undefined => {
    if (!from || from.kind !== 'ImageStreamTag') return undefined
    const ref = streamTagOf(bc, from)
    if (!ref) return undefined
    const r = resolveStreamTag(catalog, ref, options)
    return r.ok ? r.resolved.reference : undefined
  }
  const sameNamespace = (a?: string, b?: string) => (a || bc.namespace) === (b || bc.namespace)
  const statusFor = (from: ObjectRef) =>
    bc.status.find((s) => s.from.name === from.name && sameNamespace(s.from.namespace, from.namespace))

  // ImageChanged: the first non-paused ImageStreamTag trigger whose tag moved is the cause.
  let cause: { trigger: number; from: ObjectRef; image: string; old: string } | undefined
  for (const t of bc.triggers) {
    const from = effectiveFrom(bc, t.from)
    if (t.paused || !from || from.kind !== 'ImageStreamTag') continue
    const image = latest(from)
    if (!image) continue
    const old = statusFor(from)?.lastTriggeredImageID ?? ''
    if (image === old || (t.specLast && image === t.specLast.value)) continue
    cause = { trigger: t.index, from, image, old: old || t.specLast?.value || '' }
    break
  }
  bindDockerfile(bc, latest, texts, plan)
  if (!cause) return

  // updateImageTriggers: one status entry per ImageChange trigger, the cause's with the trigger time.
  const list: TriggerStatus[] = []
  for (const t of bc.triggers) {
    const from = effectiveFrom(bc, t.from)
    if (!from) continue
    const isCause = t.index === cause.trigger
    const image = isCause ? cause.image : (latest(from) ?? '')
    list.push({
      from: { name: from.name, ...(from.namespace ? { namespace: from.namespace } : {}) },
      ...(image ? { lastTriggeredImageID: image } : {}),
      ...(isCause && options.now ? { lastTriggerTime: options.now } : {})
    })
    if (t.specLast && image) keepSpecLastInStep(bc, t.index, from, image, plan)
  }
  const status = statusEdit(bc, list)
  if (typeof status === 'string') {
    plan.diagnostics.push({ severity: 'error', ...where, message: `${bc.label}: ${status}; no build is started` })
    plan.edits.delete(bc.file)
    return
  }
  push(plan.edits, bc.file, status)
  const ref = streamTagOf(bc, cause.from)!
  plan.builds.push({
    file: bc.file,
    object: bc.label,
    from: formatStreamTag(ref),
    oldImage: cause.old,
    newImage: cause.image,
    ...(bc.annotations[DISPATCH_WORKFLOW_ANNOTATION] ? { workflow: bc.annotations[DISPATCH_WORKFLOW_ANNOTATION] } : {}),
    ...(bc.annotations[DISPATCH_EVENT_ANNOTATION] ? { event: bc.annotations[DISPATCH_EVENT_ANNOTATION] } : {})
  })
}

/** The deprecated spec field `imageChange.lastTriggeredImageID` is kept in step where a file still has it. */
function keepSpecLastInStep(
  bc: ReadBuildConfig,
  index: number,
  from: ObjectRef,
  image: string,
  plan: BuildConfigPlan
): void {
  const node = specLastNode(bc, index)
  if (!node?.range || scalarText(node) === image) return
  const pos = bc.lc.linePos(node.range[0])
  const [start, end] = node.range
  push(plan.edits, bc.file, {
    file: bc.file,
    line: pos.line,
    column: pos.col,
    field: `spec.triggers[${index}].imageChange.lastTriggeredImageID`,
    start,
    end,
    old: bc.text.slice(start, end),
    new: renderScalar(image, 'PLAIN', false),
    oldValue: scalarText(node) ?? null,
    newValue: image,
    from: from.name,
    source: 'buildconfig'
  })
}

/**
 * A Docker strategy's from, when an unpaused ImageChange trigger follows it, binds the last FROM of the Dockerfile
 * at contextDir/dockerfilePath: the image a build on OpenShift would use, pinned in the repository.
 */
function bindDockerfile(
  bc: ReadBuildConfig,
  latest: (from: ObjectRef | undefined) => string | undefined,
  texts: ReadonlyMap<string, string>,
  plan: BuildConfigPlan
): void {
  const from = bc.strategyFrom
  if (bc.strategyType !== 'Docker' || !from || from.kind !== 'ImageStreamTag') return
  const follows = bc.triggers.some((t) => !t.paused && effectiveFrom(bc, t.from)?.name === from.name)
  if (!follows) return
  const where = { file: bc.file, line: bc.line, field: 'spec.strategy.dockerStrategy.from' }
  if (bc.inlineDockerfile || !bc.dockerfile) return
  const text = texts.get(bc.dockerfile)
  if (text === undefined) {
    const message = `${bc.label}: Dockerfile ${bc.dockerfile} is not among the scanned files; its FROM is not pinned`
    plan.diagnostics.push({ severity: 'notice', ...where, message })
    return
  }
  const site = lastFromSite(bc.dockerfile, text)
  if (typeof site === 'string') {
    const message = `${bc.label}: ${site}; the last FROM is not pinned`
    plan.diagnostics.push({ severity: 'warning', ...where, message })
    return
  }
  const ref = streamTagOf(bc, from)
  if (!ref || !latest(from)) return
  push(plan.bindings, bc.dockerfile, {
    source: 'buildconfig',
    file: bc.dockerfile,
    line: site.line,
    column: site.column,
    field: `last FROM (${bc.label}, ${bc.file})`,
    object: bc.label,
    from: ref,
    part: 'reference',
    target: site,
    pin: 'index'
  })
}
