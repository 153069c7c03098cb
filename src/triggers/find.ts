/**
 * Finding bindings in one manifest file: the trigger annotation on pod-spec kinds, DeploymentConfig
 * ImageChange triggers, and marker comments. Pure: the file's text in, bindings and diagnostics out.
 */
import { Composer, isMap, isScalar, isSeq, LineCounter, Parser, type Document, type Node, type YAMLMap } from 'yaml'
import { parseTriggerAnnotation, TRIGGER_ANNOTATION } from './annotation.js'
import { findDockerfileBindings, isDockerfileName } from './dockerfile.js'
import { annotationBindings } from './find-annotation.js'
import { decide, diag, type Context } from './find-context.js'
import { deploymentConfigBindings } from './find-deploymentconfig.js'
import { findMarkerCandidates, lineValueToken, MARKER_KEY, parseMarker, type MarkerCandidate } from './markers.js'
import { ANNOTATION_TRIGGER_KINDS, podSpecPath } from './pod-spec.js'
import { digestsInText, trailingDigest } from '../reference/digest-text.js'
import type { FindOptions, FindResult } from './types.js'
import {
  forEachValueScalar,
  getPair,
  getPath,
  getValue,
  locate,
  scalarTarget,
  scalarText,
  visitScalars,
  type ScalarVisit
} from './yaml-source.js'

export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024
const STREAM_KINDS = new Set(['ImageStream', 'ImageStreamList'])

/** Helm chart templates and anything else that is not YAML until rendered. */
function looksLikeTemplate(file: string, text: string): boolean {
  return text.includes('{{') && /(^|\/)templates\//.test(file.replace(/\\/g, '/'))
}

export function findBindings(file: string, text: string, options: FindOptions = {}): FindResult {
  const lc = new LineCounter()
  const ctx: Context = { file, text, lc, bindings: [], diagnostics: [], decisive: new Set() }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    ctx.diagnostics.push({ severity: 'notice', file, message: `skipped: larger than ${maxBytes} bytes` })
    return { bindings: [], diagnostics: ctx.diagnostics, pinnedDigests: [], mode: 'skipped' }
  }
  if (isDockerfileName(file)) return findDockerfileBindings(file, text)
  if (looksLikeTemplate(file, text)) return textMode(ctx, 'a template (it contains {{ }})')

  // A text with `{{` may be a template: all documents are parsed first to decide. Any other text is composed one
  // document at a time and each is dropped once scanned (bindings keep offsets, not nodes): one rendered manifest
  // of thousands of documents then never holds them all, which was most of its memory and GC time.
  let docs: Iterable<Document.Parsed> = documentsOf(text, lc)
  if (text.includes('{{')) {
    const all = [...docs]
    if (all.some((d) => d.errors.length > 0)) return textMode(ctx, 'not YAML (it contains {{ }} template syntax)')
    docs = all
  }

  // How many scalars pin each digest: a rewrite that skips the re-parse derives the pinned set after its edits.
  const digestUses = new Map<string, number>()
  const candidates = findMarkerCandidates(text)
  let index = -1
  for (const doc of docs) {
    index++
    if (doc.errors.length > 0) {
      const err = doc.errors[0]!
      diag(
        ctx,
        'error',
        err.pos[0],
        undefined,
        `YAML error, document ${index + 1} skipped: ${err.message.split('\n')[0]}`
      )
      continue
    }
    const [docStart, , docEnd] = doc.range
    const mine = candidates.filter((c) => c.hash >= docStart && c.hash < docEnd)
    const kind = decide(ctx, getValue(doc.contents, 'kind'))
    if (kind && STREAM_KINDS.has(kind)) continue
    forEachValueScalar(doc.contents, (node) => {
      // An explicit tag (`!!int`) would apply to a new value too: such a scalar is read back after an edit.
      if (node.tag && node.range) ctx.decisive.add(node.range[0])
      const d = digestOf(scalarText(node))
      if (d) digestUses.set(d, (digestUses.get(d) ?? 0) + 1)
    })
    findObjects(ctx, doc, index)
    if (mine.length > 0) {
      // Scalars with their paths only where a marker needs them: building every path of every file is most of the
      // garbage a large run makes.
      const scalars: ScalarVisit[] = []
      visitScalars(doc.contents, '', scalars)
      findYamlMarkers(ctx, mine, scalars)
    }
  }
  return {
    bindings: ctx.bindings,
    diagnostics: ctx.diagnostics,
    pinnedDigests: [...digestUses.keys()].sort(),
    ...(ctx.templated ? { templated: ctx.templated } : {}),
    mode: 'yaml',
    readBack: { decisive: ctx.decisive, digestUses }
  }
}

/** parseAllDocuments, lazily: what it does inside (yaml's public-api.ts), one document per step. */
function documentsOf(text: string, lc: LineCounter): Iterable<Document.Parsed> {
  return new Composer({ prettyErrors: false }).compose(
    new Parser(lc.addNewLine).parse(text)
  ) as Iterable<Document.Parsed>
}

/** The digest a scalar's value pins (`sha256:…` alone or after `@`), if any. */
export function digestOf(value: string | undefined): string | undefined {
  return value === undefined ? undefined : trailingDigest(value)
}

function textMode(ctx: Context, why: string): FindResult {
  const { text, file } = ctx
  ctx.diagnostics.push({ severity: 'notice', file, message: `${why}: only marker comments are read, line by line` })
  // Offsets → lines without a YAML parse: register every line start with the counter.
  let at = 0
  ctx.lc.addNewLine(0)
  while ((at = text.indexOf('\n', at) + 1) > 0) ctx.lc.addNewLine(at)
  for (const c of findMarkerCandidates(text)) {
    const marker = parseMarker(c.body)
    if (!marker.ok) {
      diag(ctx, 'error', c.hash, undefined, marker.message)
      continue
    }
    const token = lineValueToken(text, c)
    if (!token.ok) {
      diag(ctx, 'error', c.hash, undefined, token.message)
      continue
    }
    const pos = locate(ctx.lc, token.start)
    ctx.bindings.push({
      source: 'marker',
      file,
      line: c.line,
      column: c.column,
      field: `line ${c.line}`,
      from: marker.from,
      part: marker.part,
      target: {
        field: `line ${c.line}`,
        ...pos,
        start: token.start,
        end: token.end,
        raw: text.slice(token.start, token.end),
        value: token.value,
        style: token.style
      }
    })
  }
  const digests = new Set(digestsInText(text))
  return { bindings: ctx.bindings, diagnostics: ctx.diagnostics, pinnedDigests: [...digests].sort(), mode: 'text' }
}

function findYamlMarkers(ctx: Context, candidates: MarkerCandidate[], scalars: ScalarVisit[]): void {
  for (const c of candidates) {
    // A `#` inside a string (a block scalar holding docs, a quoted value) is text, not a comment.
    const inside = scalars.some(({ node }) => node.range && node.range[0] <= c.hash && c.hash < node.range[1])
    if (inside) continue
    const marker = parseMarker(c.body)
    if (!marker.ok) {
      diag(ctx, 'error', c.hash, undefined, marker.message)
      continue
    }
    let best: ScalarVisit | undefined
    for (const s of scalars) {
      const r = s.node.range
      if (!r || r[1] > c.hash || r[1] < c.lineStart) continue
      if (!best || r[1] > best.node.range![1] || (r[1] === best.node.range![1] && !s.isKey)) best = s
    }
    if (!best || best.isKey) {
      diag(
        ctx,
        'error',
        c.hash,
        undefined,
        'no value before the marker comment on this line; put the marker on the line of the value it sets'
      )
      continue
    }
    const flow = isInFlow(ctx.text, best.node)
    const t = scalarTarget(ctx.text, ctx.lc, best.node, best.path, flow)
    if (!t.ok) {
      diag(ctx, 'error', c.hash, best.path, t.message)
      continue
    }
    ctx.bindings.push({
      source: 'marker',
      file: ctx.file,
      line: c.line,
      column: c.column,
      field: best.path,
      from: marker.from,
      part: marker.part,
      target: t.target
    })
  }
}

/** Whether a scalar sits inside a flow collection (`[…]`, `{…}`), where plain scalars may not hold `,[]{}`. */
function isInFlow(text: string, node: Node): boolean {
  const start = node.range?.[0] ?? 0
  let depth = 0
  // Walk back over the current line and earlier ones only as far as a block indicator; flow collections that span
  // lines are rare in manifests, so a bracket count on the scalar's own line is the practical check.
  const lineStart = text.lastIndexOf('\n', start - 1) + 1
  for (let i = start - 1; i >= lineStart; i--) {
    const ch = text[i]
    if (ch === ']' || ch === '}') depth--
    if (ch === '[' || ch === '{') depth++
  }
  return depth > 0
}

function objectLabel(ctx: Context, kind: string, map: YAMLMap): string {
  const name = decide(ctx, getPath(map, ['metadata', 'name']).node) ?? '(unnamed)'
  const ns = decide(ctx, getPath(map, ['metadata', 'namespace']).node)
  return `${kind}/${ns ? `${ns}/` : ''}${name}`
}

function findObjects(ctx: Context, doc: Document.Parsed, index: number): void {
  const root = doc.contents
  if (!isMap(root)) return
  const kind = decide(ctx, getValue(root, 'kind'))
  if (kind && kind.endsWith('List') && isSeq(getValue(root, 'items'))) {
    const items = getValue(root, 'items') as { items: unknown[] }
    items.items.forEach((item, i) => {
      if (isMap(item)) findInObject(ctx, item, `items[${i}].`, `${index}.${i}`)
    })
    return
  }
  if (kind === 'Template' && isSeq(getValue(root, 'objects'))) {
    templateObjects(ctx, root, index)
    return
  }
  findInObject(ctx, root, '', `${index}`)
}

/**
 * An OpenShift Template's objects reach a cluster only through `oc process`, which fills in their parameters
 * first: their triggers are not followed as they stand in the file. They are counted and reported once per Template.
 */
function templateObjects(ctx: Context, template: YAMLMap, index: number): void {
  const scratch: Context = { ...ctx, bindings: [], diagnostics: [] }
  const objects = getValue(template, 'objects') as { items: unknown[] }
  objects.items.forEach((item, i) => {
    if (isMap(item)) findInObject(scratch, item, `objects[${i}].`, `${index}.${i}`)
  })
  if (scratch.bindings.length === 0) return
  ctx.templated = (ctx.templated ?? 0) + scratch.bindings.length
  const n = scratch.bindings.length
  diag(
    ctx,
    'notice',
    template.range?.[0] ?? 0,
    undefined,
    `${objectLabel(ctx, 'Template', template)}: ${n} image trigger${n === 1 ? '' : 's'} in its objects ` +
      `${n === 1 ? 'is' : 'are'} not followed (oc process fills in the parameters before anything is applied); ` +
      'pin the images with marker comments, or commit the processed objects'
  )
}

function findInObject(ctx: Context, obj: YAMLMap, prefix: string, key: string): void {
  const kind = decide(ctx, getValue(obj, 'kind'))
  if (!kind || STREAM_KINDS.has(kind)) return
  const apiVersion = decide(ctx, getValue(obj, 'apiVersion'))
  const namespace = decide(ctx, getPath(obj, ['metadata', 'namespace']).node) || undefined
  const label = objectLabel(ctx, kind, obj)
  const specPath = podSpecPath(kind, apiVersion)

  const annotations = getPath(obj, ['metadata', 'annotations']).node
  const pair = getPair(annotations, TRIGGER_ANNOTATION)
  if (pair) {
    decide(ctx, pair.value)
    const field = `${prefix}metadata.annotations.${TRIGGER_ANNOTATION}`
    const at = pair.value?.range?.[0] ?? pair.key.range?.[0] ?? 0
    if (!specPath) {
      diag(
        ctx,
        'notice',
        at,
        field,
        `ignored: ${kind}${apiVersion ? ` (${apiVersion})` : ''} has no pod spec OpenShift knows, so triggers on it do nothing`
      )
    } else if (!ANNOTATION_TRIGGER_KINDS.includes(kind)) {
      diag(ctx, 'warning', at, field, unwatchedKind(kind, scalarText(pair.value)))
    } else {
      const value = isScalar(pair.value) && typeof pair.value.value === 'string' ? pair.value.value : undefined
      if (value === undefined)
        diag(ctx, 'error', at, field, 'the trigger annotation must be a string holding a JSON array')
      else annotationBindings(ctx, obj, value, { field, at, label, namespace, specPath, prefix })
    }
  }
  if (kind === 'DeploymentConfig' && specPath)
    deploymentConfigBindings(ctx, obj, { label, namespace, prefix, group: `${ctx.file}#${key}` })
}

/**
 * Why the annotation on a kind with a pod spec does nothing: the trigger controller watches four kinds only
 * (ANNOTATION_TRIGGER_KINDS), and a DeploymentConfig through its spec.triggers. Markers pin anything else.
 */
function unwatchedKind(kind: string, value: string | undefined): string {
  const parsed = value === undefined ? undefined : parseTriggerAnnotation(value)
  const first = parsed?.ok ? parsed.triggers.find((t) => t.from.name.includes(':')) : undefined
  const name = first ? `${first.from.namespace ? `${first.from.namespace}/` : ''}${first.from.name}` : 'stream:tag'
  const marker = `end the image's line with the marker comment # {"${MARKER_KEY}": "${name}"}`
  if (kind === 'DeploymentConfig')
    return (
      "ignored: OpenShift follows a DeploymentConfig's spec.triggers (type ImageChange), not this annotation; " +
      `write an ImageChange trigger, or ${marker}`
    )
  return (
    `ignored: OpenShift's image trigger controller does not watch ${kind} objects (only ` +
    `${ANNOTATION_TRIGGER_KINDS.join(', ')}), so this annotation changes nothing; to pin the image, ${marker}`
  )
}
