/**
 * Reading `build.openshift.io/v1` BuildConfig objects out of a YAML file, with the source ranges a byte-exact edit
 * needs. Field names follow openshift/api build/v1/types.go (BuildConfigSpec, BuildTriggerPolicy,
 * ImageChangeTrigger, BuildConfigStatus, ImageChangeTriggerStatus). Pure.
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type YAMLMap } from 'yaml'
import { getPath, getValue, scalarText } from './yaml-source.js'

/** openshift/api build/v1 consts.go BuildConfigPausedAnnotation: a paused BuildConfig instantiates no build. */
export const BUILD_CONFIG_PAUSED_ANNOTATION = 'openshift.io/build-config.paused'

export interface ObjectRef {
  kind: string
  name: string
  namespace?: string
}

export interface ReadTrigger {
  /** Index in spec.triggers. */
  index: number
  from?: ObjectRef
  paused: boolean
  /** The deprecated spec.triggers[].imageChange.lastTriggeredImageID scalar, where present. */
  specLast?: { node: Node; value: string }
}

export interface ReadBuildConfig {
  file: string
  text: string
  lc: LineCounter
  map: YAMLMap
  name: string
  namespace?: string
  label: string
  annotations: Record<string, string>
  /** buildutil.GetInputReference: the strategy's from (source, docker or custom). */
  strategyFrom?: ObjectRef
  strategyType?: 'Source' | 'Docker' | 'Custom'
  /** Docker strategy: the repository path of the Dockerfile (contextDir/dockerfilePath), unless inline. */
  dockerfile?: string
  inlineDockerfile: boolean
  triggers: ReadTrigger[]
  status: { from: { name: string; namespace?: string }; lastTriggeredImageID: string }[]
  /** 1-based line of the object (its `kind`). */
  line: number
}

function ref(node: unknown): ObjectRef | undefined {
  if (!isMap(node)) return undefined
  const kind = scalarText(getValue(node, 'kind')) ?? ''
  const name = scalarText(getValue(node, 'name')) ?? ''
  const namespace = scalarText(getValue(node, 'namespace')) || undefined
  return { kind, name, ...(namespace ? { namespace } : {}) }
}

/** path.posix.join without node:path, keeping the module pure and platform-free. */
function joinPath(dir: string, file: string): string {
  const parts = `${dir}/${file}`.split('/').filter((p) => p !== '' && p !== '.')
  const out: string[] = []
  for (const p of parts) {
    if (p === '..') out.pop()
    else out.push(p)
  }
  return out.join('/')
}

function strategyOf(map: YAMLMap): Pick<ReadBuildConfig, 'strategyFrom' | 'strategyType'> {
  const strategy = getValue(getValue(map, 'spec'), 'strategy')
  const kinds = [
    ['sourceStrategy', 'Source'],
    ['dockerStrategy', 'Docker'],
    ['customStrategy', 'Custom']
  ] as const
  for (const [key, type] of kinds) {
    const s = getValue(strategy, key)
    if (isMap(s)) return { strategyType: type, strategyFrom: ref(getValue(s, 'from')) }
  }
  return {}
}

function triggersOf(map: YAMLMap): ReadTrigger[] {
  const seq = getPath(map, ['spec', 'triggers']).node
  if (!isSeq(seq)) return []
  const out: ReadTrigger[] = []
  seq.items.forEach((item, index) => {
    if (scalarText(getValue(item, 'type')) !== 'ImageChange') return
    const ic = getValue(item, 'imageChange')
    const last = isMap(ic) ? getValue(ic, 'lastTriggeredImageID') : undefined
    const paused = isMap(ic) ? getValue(ic, 'paused') : undefined
    out.push({
      index,
      from: isMap(ic) ? ref(getValue(ic, 'from')) : undefined,
      paused: isScalar(paused) && paused.value === true,
      ...(last && isScalar(last) ? { specLast: { node: last, value: scalarText(last) ?? '' } } : {})
    })
  })
  return out
}

function statusOf(map: YAMLMap): ReadBuildConfig['status'] {
  const seq = getPath(map, ['status', 'imageChangeTriggers']).node
  if (!isSeq(seq)) return []
  return seq.items.filter(isMap).map((s) => {
    const from = getValue(s, 'from')
    const namespace = scalarText(getValue(from, 'namespace')) || undefined
    return {
      from: { name: scalarText(getValue(from, 'name')) ?? '', ...(namespace ? { namespace } : {}) },
      lastTriggeredImageID: scalarText(getValue(s, 'lastTriggeredImageID')) ?? ''
    }
  })
}

function annotationsOf(map: YAMLMap): Record<string, string> {
  const node = getPath(map, ['metadata', 'annotations']).node
  const out: Record<string, string> = {}
  if (isMap(node)) for (const p of node.items) if (isScalar(p.key)) out[String(p.key.value)] = scalarText(p.value) ?? ''
  return out
}

/** The BuildConfigs of one YAML file (top-level documents). Files that do not parse have none. */
export function readBuildConfigs(file: string, text: string): ReadBuildConfig[] {
  if (!text.includes('BuildConfig')) return []
  const lc = new LineCounter()
  const out: ReadBuildConfig[] = []
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false })
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (!('errors' in doc) || doc.errors.length > 0) continue
    const map = doc.contents
    if (!isMap(map) || scalarText(getValue(map, 'kind')) !== 'BuildConfig') continue
    const apiVersion = scalarText(getValue(map, 'apiVersion'))
    if (apiVersion !== 'build.openshift.io/v1' && apiVersion !== 'v1') continue
    const name = scalarText(getPath(map, ['metadata', 'name']).node) ?? '(unnamed)'
    const namespace = scalarText(getPath(map, ['metadata', 'namespace']).node) || undefined
    const strategy = strategyOf(map)
    const contextDir = scalarText(getPath(map, ['spec', 'source', 'contextDir']).node) ?? ''
    const dockerfilePath =
      scalarText(getPath(map, ['spec', 'strategy', 'dockerStrategy', 'dockerfilePath']).node) || 'Dockerfile'
    const inlineDockerfile = scalarText(getPath(map, ['spec', 'source', 'dockerfile']).node) !== undefined
    const docker = strategy.strategyType === 'Docker' && !inlineDockerfile
    out.push({
      file,
      text,
      lc,
      map,
      name,
      namespace,
      label: `BuildConfig/${namespace ? `${namespace}/` : ''}${name}`,
      annotations: annotationsOf(map),
      ...strategy,
      ...(docker ? { dockerfile: joinPath(contextDir, dockerfilePath) } : {}),
      inlineDockerfile,
      triggers: triggersOf(map),
      status: statusOf(map),
      line: lc.linePos(getValue(map, 'kind')?.range?.[0] ?? 0).line
    })
  }
  return out
}
