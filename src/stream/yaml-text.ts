/**
 * YAML text as kubectl reads it and as a person would write it: the parse options (YAML 1.1 like go-yaml v2,
 * which `kubectl`/`oc` use through sigs.k8s.io/yaml), and a small emitter for new nodes that follows the file's own
 * conventions (indentation, flow or block, quoting) when it has any. Scalars are rendered by src/yaml/scalar.ts.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Scalar,
  type Node,
  type ParseOptions,
  type DocumentOptions,
  type SchemaOptions,
  type ToJSOptions
} from 'yaml'
import { compareKeys, fieldShape, isAlphabeticalOrder, orderedKeys, type Shape } from './state-shape.js'
import { isPlainSafe, renderScalar, type ScalarStyle } from '../yaml/scalar.js'

/** 5 MiB: far above any real stream (OpenShift's whole object must fit etcd's 1.5 MiB), far below trouble. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024
/** Alias expansion budget while converting to data: stops "billion laughs" documents. */
export const MAX_ALIAS_COUNT = 100

// go-yaml v2 (what kubectl uses) resolves YAML 1.1 booleans (yes/no/on/off/y/n), 0-prefixed octals and 0b
// binaries, but hands timestamps to JSON as strings and knows no sexagesimal numbers, sets, omaps or !!binary.
const DROPPED_TAGS = new Set([
  'tag:yaml.org,2002:timestamp',
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
  'tag:yaml.org,2002:set',
  'tag:yaml.org,2002:merge'
])

const FLOAT_TAG = 'tag:yaml.org,2002:float'
const INF_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/
// go-yaml v2 resolve(): a plain scalar is a float only when it matches yamlStyleFloat and strconv.ParseFloat
// succeeds; `6e86341` (out of range) and `.` (no digits) stay strings, where YAML 1.1 would read Infinity and NaN.
const GO_YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/

/** A YAML 1.1 float tag that resolves as go-yaml v2 does, so no value that is not in the file is ever read. */
function goFloat<T>(tag: T): T {
  const t = tag as unknown as { tag: string; test?: RegExp; resolve: (s: string) => unknown }
  if (typeof t !== 'object' || t.tag !== FLOAT_TAG || !t.test || INF_NAN.test('.inf') === t.test.test('.inf')) {
    return tag
  }
  return {
    ...t,
    resolve: (source: string) => {
      const plain = source.replace(/_/g, '')
      const value = Number(plain)
      return GO_YAML_STYLE_FLOAT.test(plain) && Number.isFinite(value) ? value : source
    }
  } as unknown as T
}

export const READ_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  merge: false,
  uniqueKeys: true,
  strict: true,
  prettyErrors: false,
  keepSourceTokens: true,
  customTags: (tags) =>
    tags
      .filter((t) => typeof t === 'object' && !DROPPED_TAGS.has(t.tag) && (t as { format?: string }).format !== 'TIME')
      .map(goFloat)
}

export const TO_JS_OPTIONS: ToJSOptions = { maxAliasCount: MAX_ALIAS_COUNT }

export function renderKey(key: string, inFlow: boolean): string {
  return renderScalar(key, undefined, inFlow)
}

// ---------------------------------------------------------------------------------------------------------------
// Emitting new nodes

export interface TextFormat {
  eol: '\n' | '\r\n'
  /** Columns a block mapping's children are indented under their key. */
  mapIndent: number
  /** Columns a block sequence's `-` is indented under its key (kubectl writes 0). */
  seqIndent: number
  /** `{ a: b }` rather than `{a: b}`. */
  flowPadding: boolean
}

export const DEFAULT_FORMAT: TextFormat = { eol: '\n', mapIndent: 2, seqIndent: 0, flowPadding: false }

/** A node of the file whose style (flow/block, quoting) a new node should copy. */
export type Template = Node | null | undefined

function templateOf(node: Template): Node | undefined {
  return node && !isAlias(node) ? node : undefined
}

export function childTemplate(node: Template, key: string): Template {
  const t = templateOf(node)
  return isMap(t) ? (t.get(key, true) as Node | undefined) : undefined
}

export function itemTemplate(node: Template, index: number): Template {
  const t = templateOf(node)
  if (!isSeq(t) || t.items.length === 0) return undefined
  return t.items[Math.min(index, t.items.length - 1)] as Node
}

/**
 * A sibling's quoting is copied only when it was a choice: a file that quotes every string gets quoted new strings,
 * but `name: "1.4"` (quoted because plain 1.4 is a number) does not make a new `name: prod` quoted.
 */
function scalarHint(node: Template): ScalarStyle | undefined {
  const t = templateOf(node)
  if (!isScalar(t)) return undefined
  const style = (t as Scalar).type as ScalarStyle | undefined
  const value = (t as Scalar).value
  if (
    (style === 'QUOTE_DOUBLE' || style === 'QUOTE_SINGLE') &&
    typeof value === 'string' &&
    !isPlainSafe(value, false)
  ) {
    return undefined
  }
  return style
}

function isFlow(node: Template): boolean {
  const t = templateOf(node)
  return (isMap(t) || isSeq(t)) && t.flow === true
}

/**
 * Key order for a new mapping: like its template when it has one (a sibling list item or the old value), so a
 * new TagEvent in an alphabetical `oc get -o yaml` file is alphabetical too; otherwise Go's struct order.
 */
export function keysLike(value: Record<string, unknown>, shape: Shape | undefined, tmpl: Template): string[] {
  const keys = orderedKeys(value, shape)
  const t = templateOf(tmpl)
  if (!isMap(t)) return keys
  const tk = t.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).filter((k) => k in value)
  if (tk.length === 0) return keys
  if (isAlphabeticalOrder(tk, shape)) return keys.sort(compareKeys)
  const order = shape?.fields ? Object.keys(shape.fields) : []
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : Number.POSITIVE_INFINITY)
  const out = [...tk]
  for (const k of keys) {
    if (out.includes(k)) continue
    const at = out.findIndex((o) => rank(o) > rank(k))
    if (at === -1) out.push(k)
    else out.splice(at, 0, k)
  }
  return out
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The one-line form of a value, or undefined when it is a non-empty collection to be written in block style. */
export function emitInline(
  value: unknown,
  shape: Shape | undefined,
  tmpl: Template,
  fmt: TextFormat,
  inFlow: boolean
): string | undefined {
  const pad = fmt.flowPadding ? ' ' : ''
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    if (!inFlow && !isFlow(tmpl)) return undefined
    const items = value.map((item, i) => emitInline(item, shape?.items, itemTemplate(tmpl, i), fmt, true))
    return `[${pad}${items.join(', ')}${pad}]`
  }
  if (isPlainObject(value)) {
    const keys = keysLike(value, shape, tmpl)
    if (keys.length === 0) return '{}'
    if (!inFlow && !isFlow(tmpl)) return undefined
    const pairs = keys.map(
      (k) => `${renderKey(k, true)}: ${emitInline(value[k], fieldShape(shape, k), childTemplate(tmpl, k), fmt, true)}`
    )
    return `{${pad}${pairs.join(', ')}${pad}}`
  }
  return renderScalar(value, scalarHint(tmpl), inFlow)
}

/** Block-style lines (relative indentation, no line ends) of a non-empty collection. */
export function emitBlock(value: unknown, shape: Shape | undefined, tmpl: Template, fmt: TextFormat): string[] {
  const lines: string[] = []
  if (Array.isArray(value)) {
    value.forEach((item, i) => lines.push(...emitSeqItem(item, shape?.items, itemTemplate(tmpl, i), fmt)))
    return lines
  }
  if (!isPlainObject(value)) throw new TypeError('emitBlock needs a collection')
  for (const key of keysLike(value, shape, tmpl)) {
    lines.push(...emitPair(key, value[key], fieldShape(shape, key), childTemplate(tmpl, key), fmt))
  }
  return lines
}

/** `- item` as block lines; `tmpl` is an existing item whose style the new one copies. */
export function emitSeqItem(item: unknown, shape: Shape | undefined, tmpl: Template, fmt: TextFormat): string[] {
  const inline = emitInline(item, shape, tmpl, fmt, false)
  if (inline !== undefined) return [`- ${inline}`]
  const inner = emitBlock(item, shape, tmpl, fmt)
  return [`- ${inner[0]}`, ...inner.slice(1).map((l) => `  ${l}`)]
}

/** `key: value` as block lines. */
export function emitPair(
  key: string,
  value: unknown,
  shape: Shape | undefined,
  tmpl: Template,
  fmt: TextFormat
): string[] {
  const k = renderKey(key, false)
  const inline = emitInline(value, shape, tmpl, fmt, false)
  if (inline !== undefined) return [`${k}: ${inline}`]
  const indent = ' '.repeat(Array.isArray(value) ? fmt.seqIndent : fmt.mapIndent)
  return [`${k}:`, ...emitBlock(value, shape, tmpl, fmt).map((l) => indent + l)]
}

/** Writes a whole object as a fresh document (struct order, block style). */
export function emitDocument(value: Record<string, unknown>, shape: Shape, fmt: TextFormat = DEFAULT_FORMAT): string {
  return emitBlock(value, shape, undefined, fmt).join(fmt.eol) + fmt.eol
}

// ---------------------------------------------------------------------------------------------------------------
// Data

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]))
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined)
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined)
  return (
    ak.length === bk.length && ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && deepEqual(ao[k], bo[k]))
  )
}

export { compareKeys }
