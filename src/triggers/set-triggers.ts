/**
 * `oc set triggers KIND/NAME --from-image=[ns/]stream:tag -c a,b [--manual] [--remove]` as a pure edit of a
 * manifest's text. The annotation is computed as [oc] pkg/cli/set/triggers.go does (NewAnnotationTriggers →
 * updateTriggers → Apply → json.Marshal); only the annotation scalar is written, nothing else moves.
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type YAMLMap } from 'yaml'
import { InputError } from '../util/errors.js'
import {
  formatTriggerAnnotation,
  parseTriggerAnnotation,
  TRIGGER_ANNOTATION,
  type ObjectFieldTrigger
} from './annotation.js'
import { ANNOTATION_TRIGGER_KINDS, containerFieldPath, parseFieldPath, podSpecPath } from './pod-spec.js'
import { getPair, getPath, getValue, insertionTarget, locate, scalarText } from './yaml-source.js'
import { lineEnding } from '../yaml/position.js'
import { renderScalar } from '../yaml/scalar.js'
import { isValidTagName } from '../reference/reference.js'

export interface SetTriggersRequest {
  /** `Deployment`, `deployment`, `deploy`, `ds`, `sts`, `cronjob` … */
  kind: string
  name: string
  /** Only objects in this namespace (when several share kind and name). */
  namespace?: string
  /** `[namespace/]stream:tag`, as `--from-image`. */
  fromImage: string
  /** `-c/--containers`; required when adding. */
  containers?: string[]
  /** `--auto` (default) or `--manual` (paused: true). */
  mode?: 'auto' | 'manual'
  /** `--remove`: drop every trigger from this stream tag (oc compares `stream:tag` only). */
  remove?: boolean
}

export interface SetTriggersResult {
  text: string
  changed: boolean
  /** The annotation value written. */
  annotation: string
}

const KIND_ALIASES: Record<string, string> = {
  deploy: 'Deployment',
  deployment: 'Deployment',
  deployments: 'Deployment',
  ds: 'DaemonSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  sts: 'StatefulSet',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  cj: 'CronJob',
  cronjob: 'CronJob',
  cronjobs: 'CronJob',
  dc: 'DeploymentConfig',
  deploymentconfig: 'DeploymentConfig',
  deploymentconfigs: 'DeploymentConfig',
  bc: 'BuildConfig',
  buildconfig: 'BuildConfig',
  buildconfigs: 'BuildConfig'
}

/** oc's ImageChangeTrigger: one per existing annotation trigger, names = the container it points at. */
interface ImageChangeTrigger {
  auto: boolean
  from: string
  namespace: string
  names: string[]
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/

/** `--from-image`: a stream tag on "this server" — no registry, no digest, a tag required (oc Complete). */
export function parseFromImage(fromImage: string): { namespace?: string; name: string } {
  if (fromImage.includes('@'))
    throw new InputError('the value of --from-image must point to an image stream tag on this server', {
      field: 'fromImage'
    })
  const parts = fromImage.split('/')
  if (parts.length > 2)
    throw new InputError('the value of --from-image must point to an image stream tag on this server', {
      field: 'fromImage'
    })
  const namespace = parts.length === 2 ? parts[0] : undefined
  const nameTag = parts[parts.length - 1]
  const colon = nameTag.indexOf(':')
  const stream = colon >= 0 ? nameTag.slice(0, colon) : nameTag
  const tag = colon >= 0 ? nameTag.slice(colon + 1) : ''
  if ((namespace !== undefined && !NAME.test(namespace)) || !NAME.test(stream) || (tag && !isValidTagName(tag))) {
    throw new InputError(
      `the value of --from-image does not appear to be a valid reference to an image: "${fromImage}"`,
      { field: 'fromImage' }
    )
  }
  if (!tag)
    throw new InputError('the value of --from-image must include the tag you wish to pull from', { field: 'fromImage' })
  return { namespace, name: `${stream}:${tag}` }
}

function containerNames(obj: YAMLMap, specPath: string, list: 'containers' | 'initContainers'): string[] {
  const seq = getPath(obj, [...specPath.split('.'), list]).node
  return isSeq(seq) ? seq.items.map((c) => scalarText(getValue(c, 'name')) ?? '') : []
}

export function setTriggers(text: string, request: SetTriggersRequest, file = '<manifest>'): SetTriggersResult {
  const kind = KIND_ALIASES[request.kind.toLowerCase()] ?? request.kind
  const { lc, list, obj } = findObject(text, request, kind, file)
  const where = { file, ...locate(lc, obj.range?.[0] ?? 0) }
  if (kind === 'DeploymentConfig' || kind === 'BuildConfig') {
    throw new InputError(
      `${kind} triggers live in spec.triggers; edit them there (this command writes the ${TRIGGER_ANNOTATION} annotation)`,
      where
    )
  }
  const apiVersion = scalarText(getValue(obj, 'apiVersion'))
  const specPath = podSpecPath(kind, apiVersion)
  if (!ANNOTATION_TRIGGER_KINDS.includes(kind) || !specPath) {
    throw new InputError(
      `${kind} does not support image triggers (oc set triggers supports ${ANNOTATION_TRIGGER_KINDS.join(', ')})`,
      where
    )
  }
  const objNamespace = scalarText(getPath(obj, ['metadata', 'namespace']).node) ?? ''
  const defaultNamespace = (ns: string) => (ns === objNamespace ? '' : ns)
  const from = parseFromImage(request.fromImage)
  const fromNamespace = defaultNamespace(from.namespace ?? objNamespace)

  // NewAnnotationTriggers: existing triggers whose fieldPath names no container are dropped.
  const annotationsNode = getPath(obj, ['metadata', 'annotations']).node
  const pair = getPair(annotationsNode, TRIGGER_ANNOTATION)
  const containers = containerNames(obj, specPath, 'containers')
  const initContainers = containerNames(obj, specPath, 'initContainers')
  let triggers: ImageChangeTrigger[] = []
  if (pair) {
    const value = isScalar(pair.value) && typeof pair.value.value === 'string' ? pair.value.value : ''
    const parsed = parseTriggerAnnotation(value)
    if (!parsed.ok)
      throw new InputError(parsed.message, {
        file,
        ...locate(lc, pair.value?.range?.[0] ?? 0),
        field: `metadata.annotations.${TRIGGER_ANNOTATION}`
      })
    for (const t of parsed.triggers) {
      const name = containerOf(t, specPath, containers, initContainers)
      if (name === undefined) continue
      triggers.push({
        auto: !t.paused,
        names: [name],
        from: t.from.name,
        namespace: defaultNamespace(t.from.namespace || objNamespace)
      })
    }
  }

  // updateTriggers
  if (request.remove && !pair) return { text, changed: false, annotation: '' }
  if (request.remove) {
    triggers = triggers.filter((t) => t.from !== from.name)
  } else {
    const names = request.containers && request.containers.length > 0 ? request.containers : []
    const auto = request.mode !== 'manual'
    const found = triggers.find((t) => t.from === from.name && t.namespace === fromNamespace)
    if (found) {
      found.auto = auto
      found.names = names
    } else {
      triggers.push({ from: from.name, namespace: fromNamespace, auto, names })
    }
  }

  const out = fieldTriggers(triggers, specPath, { containers, initContainers }, objNamespace)
  const annotation = formatTriggerAnnotation(out)
  const written = writeAnnotation(text, lc, obj, pair, annotationsNode, annotation, file)
  if (written.changed) checkReadsBack(written.text, list.length, annotation, file)
  return { ...written, annotation }
}

/** The one object of the file that the request names (kind, name, namespace), in its parsed documents. */
function findObject(
  text: string,
  request: SetTriggersRequest,
  kind: string,
  file: string
): { lc: LineCounter; list: Document.Parsed[]; obj: YAMLMap } {
  const lc = new LineCounter()
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false })
  const list = Array.isArray(docs) ? docs : [docs]
  for (const doc of list) {
    if (doc.errors.length > 0) {
      const err = doc.errors[0]
      throw new InputError(`YAML error: ${err.message.split('\n')[0]}`, { file, ...locate(lc, err.pos[0]) })
    }
  }
  const matches = list
    .map((d) => d.contents as unknown)
    .filter((c): c is YAMLMap => isMap(c))
    .filter(
      (c) =>
        scalarText(getValue(c, 'kind')) === kind && scalarText(getPath(c, ['metadata', 'name']).node) === request.name
    )
    .filter(
      (c) =>
        request.namespace === undefined || scalarText(getPath(c, ['metadata', 'namespace']).node) === request.namespace
    )
  if (matches.length === 0) throw new InputError(`no ${kind} named "${request.name}" in this file`, { file })
  if (matches.length > 1)
    throw new InputError(`${matches.length} objects are ${kind}/${request.name}; give the namespace`, { file })
  return { lc, list, obj: matches[0] }
}

/** The annotation's triggers, one per container, each checked against the containers the object has. */
function fieldTriggers(
  triggers: readonly ImageChangeTrigger[],
  specPath: string,
  lists: { containers: string[]; initContainers: string[] },
  objNamespace: string
): ObjectFieldTrigger[] {
  const { containers, initContainers } = lists
  const all = new Set([...containers, ...initContainers])
  const already = new Set<string>()
  const out: ObjectFieldTrigger[] = []
  for (const t of triggers) {
    if (t.names.length === 0)
      throw new InputError('you must specify --containers when setting --from-image', { field: 'containers' })
    const missing = [...new Set(t.names)].filter((n) => !all.has(n)).sort()
    if (missing.length > 0) {
      throw new InputError(
        `not all container names exist: ${missing.join(', ')} (accepts: ${[...all].sort().join(', ')})`,
        { field: 'containers' }
      )
    }
    const twice = t.names.filter((n) => already.has(n))
    if (twice.length > 0) {
      throw new InputError(`only one trigger may reference each container: ${[...new Set(twice)].sort().join(', ')}`, {
        field: 'containers'
      })
    }
    t.names.forEach((n) => already.add(n))
    for (const name of t.names) {
      out.push({
        from: {
          kind: 'ImageStreamTag',
          name: t.from,
          namespace: t.namespace === objNamespace ? '' : t.namespace,
          apiVersion: ''
        },
        fieldPath: containerFieldPath(specPath, name),
        paused: !t.auto
      })
    }
  }
  return out
}

/** Every write is parsed again before it is handed out: a result that is not the planned YAML is an error. */
function checkReadsBack(after: string, documents: number, annotation: string, file: string): void {
  const docs = parseAllDocuments(after, { prettyErrors: false })
  const list = Array.isArray(docs) ? docs : [docs]
  const ok =
    list.length === documents &&
    list.every((d) => d.errors.length === 0) &&
    list.some(
      (d) => scalarText(getPath(d.contents, ['metadata', 'annotations', TRIGGER_ANNOTATION]).node) === annotation
    )
  if (!ok) {
    throw new InputError(
      `writing the ${TRIGGER_ANNOTATION} annotation would not give valid YAML here; nothing was written (please report this)`,
      { file }
    )
  }
}

function containerOf(
  t: ObjectFieldTrigger,
  specPath: string,
  containers: string[],
  initContainers: string[]
): string | undefined {
  // ContainerForObjectFieldPath: an index in the list the path names, a name in either list (init containers first).
  const fp = parseFieldPath(t.fieldPath, specPath)
  if (!fp.ok) return undefined
  const { selector } = fp
  if ('index' in selector) return (selector.list === 'containers' ? containers : initContainers)[selector.index]
  if ('unmatched' in selector) return undefined
  return initContainers.includes(selector.name) || containers.includes(selector.name) ? selector.name : undefined
}

function writeAnnotation(
  text: string,
  lc: LineCounter,
  obj: YAMLMap,
  pair: ReturnType<typeof getPair>,
  annotations: unknown,
  value: string,
  file: string
): { text: string; changed: boolean } {
  const splice = (start: number, end: number, insert: string) => ({
    text: text.slice(0, start) + insert + text.slice(end),
    changed: true
  })
  if (pair) {
    const node = pair.value
    if (isScalar(node) && node.value === value) return { text, changed: false }
    const style = isScalar(node) && node.type === 'QUOTE_DOUBLE' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE'
    if (isScalar(node) && node.range) {
      // A block scalar (`>-`, `|`) ends after its line break: the new one-line value keeps that break.
      const old = text.slice(node.range[0], node.range[1])
      const block = node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL'
      const keep = block ? (/\r?\n[\s]*$/.exec(old)?.[0] ?? '') : ''
      return splice(node.range[0], node.range[1], renderScalar(value, style, false) + keep)
    }
    throw new InputError('the trigger annotation is not a scalar', {
      file,
      field: `metadata.annotations.${TRIGGER_ANNOTATION}`
    })
  }
  const entry = `${TRIGGER_ANNOTATION}: ${renderScalar(value, 'QUOTE_SINGLE', false)}`
  if (isMap(annotations)) {
    const t = insertionTarget(text, lc, annotations, TRIGGER_ANNOTATION, 'metadata.annotations')
    if (!t.ok) throw new InputError(t.message, { file })
    return splice(
      t.target.start,
      t.target.end,
      `${t.target.insert!.before}${renderScalar(value, 'QUOTE_SINGLE', false)}${t.target.insert!.after}`
    )
  }
  if (isScalar(annotations) && annotations.value === null && annotations.range) {
    // `annotations:` or `annotations: null`: the value becomes a one-entry flow map.
    const [start, end] = annotations.range
    const prev = start > 0 ? text[start - 1] : '\n'
    return splice(start, end, `${/\s/.test(prev) ? '' : ' '}{${entry}}`)
  }
  if (annotations !== undefined)
    throw new InputError('metadata.annotations is not a map', { file, field: 'metadata.annotations' })
  const metadata = getValue(obj, 'metadata')
  if (!isMap(metadata)) throw new InputError('the object has no metadata map', { file, field: 'metadata' })
  const first = metadata.items[0]
  if (metadata.flow || !first || !isScalar(first.key) || !first.key.range) {
    const t = insertionTarget(text, lc, metadata, 'annotations', 'metadata')
    if (!t.ok) throw new InputError(t.message, { file })
    return splice(t.target.start, t.target.end, `${t.target.insert!.before}{${entry}}${t.target.insert!.after}`)
  }
  const at = first.key.range[0]
  const indent = ' '.repeat(locate(lc, at).column - 1)
  const eol = lineEnding(text)
  return splice(at, at, `annotations:${eol}${indent}  ${entry}${eol}${indent}`)
}
