/**
 * YAML text as kubectl reads it and as a person would write it: the parse options (YAML 1.1 like go-yaml v2,
 * which `kubectl`/`oc` use through sigs.k8s.io/yaml), scalar quoting that reads back the same under YAML 1.1 and
 * 1.2, offsets ↔ line:column, and a small emitter for new nodes that follows the file's own conventions
 * (indentation, flow or block, quoting) when it has any.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  type Node,
  type ParseOptions,
  type DocumentOptions,
  type SchemaOptions,
  type ToJSOptions
} from 'yaml'
import { compareKeys, fieldShape, isAlphabeticalOrder, orderedKeys, type Shape } from './state-shape.js'

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

const CORE_12: ParseOptions & DocumentOptions & SchemaOptions = { version: '1.2', strict: true }

// Positions live in yaml-position.ts; re-exported for the modules that read both.
export { columnOf, firstOnLine, lineColAt, lineStartOf, nextLineStart, type LineCol } from './yaml-position.js'

// ---------------------------------------------------------------------------------------------------------------
// Scalars

export type ScalarStyle = 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED'

// RFC 3339 date-times (and dates) are quoted even though go-yaml and YAML 1.2 read them as strings: YAML 1.1
// tools (and our own eyes) read them as timestamps, and it is what the API server's own YAML looks like.
const TIMESTAMP_LIKE = /^\d{4}-\d\d?-\d\d?([Tt ]|$)/
// Characters YAML cannot hold raw in a quoted scalar (C0/C1 controls, DEL, BOM, surrogates, line separators).
const NEEDS_ESCAPE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]/

const plainCache = new Map<string, boolean>()

/** Parses a snippet; undefined when it has any error or warning (yaml's `parse` hides those when silent). */
function parseSnippet(
  source: string,
  options: ParseOptions & DocumentOptions & SchemaOptions
): { value: unknown } | undefined {
  try {
    const doc = parseDocument(source, { ...options, keepSourceTokens: false })
    if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined
    return { value: doc.toJS() }
  } catch {
    return undefined
  }
}

function readsBack(source: string, expected: unknown): boolean {
  for (const options of [READ_OPTIONS, CORE_12]) {
    const parsed = parseSnippet(source, options)
    if (!parsed || !deepEqual(parsed.value, expected)) return false
  }
  return true
}

// Block-context plain scalars that no YAML 1.1 or 1.2 schema resolves to anything but a string, decided without a
// parse (the four read-back parses below were 40% of the CPU of an import: every tag brings a new digest and
// reference): only name characters (no space, `#`, flow indicators or quotes), a first character that is no
// indicator, no trailing `:`, and a shape no null/bool/number/timestamp of either schema has (yaml's resolvers,
// schema/yaml-1.1 and schema/core): a `/` or `@` anywhere, or a letter first and a `:` later (`sha256:…`; only
// sexagesimals hold a `:`, and they start with a digit or sign). Well under yaml's 1024-character limit for an
// implicit key.
const NAME_CHARS = /^[A-Za-z0-9_][A-Za-z0-9_./@:+-]{0,499}$/
export function plainStringByShape(s: string): boolean {
  if (!NAME_CHARS.test(s) || s.endsWith(':') || TIMESTAMP_LIKE.test(s)) return false
  return /[/@]/.test(s) || (/^[A-Za-z]/.test(s) && s.includes(':'))
}

/**
 * Whether `s` can be written without quotes, as a value and as a key, in block and flow context, and read
 * back as the same string by YAML 1.1 (kubectl) and 1.2 (editors, yq) readers alike.
 */
export function isPlainSafe(s: string, inFlow: boolean): boolean {
  const cacheKey = `${inFlow ? 'f' : 'b'}${s}`
  const cached = plainCache.get(cacheKey)
  if (cached !== undefined) return cached
  if (!inFlow && plainStringByShape(s)) return true
  // A YAML indicator first (`{"a":1}`, `[x]`, `*x`, `'q'`): never plain, whatever follows.
  if (/^[[\]{}#&*!|>'"%@`,]/.test(s)) return false
  let ok =
    s.length > 0 &&
    s.trim() === s &&
    !/[\n\r\t]/.test(s) &&
    !NEEDS_ESCAPE.test(s) &&
    !TIMESTAMP_LIKE.test(s) &&
    readsBack(`k: ${s}\n`, { k: s }) &&
    readsBack(`${s}: v\n`, { [s]: 'v' })
  if (ok && inFlow) ok = readsBack(`[${s}]`, [s]) && readsBack(`{${s}: v}`, { [s]: 'v' })
  if (plainCache.size > 20_000) plainCache.clear()
  plainCache.set(cacheKey, ok)
  return ok
}

export function doubleQuoted(s: string): string {
  // A JSON string is a valid YAML double-quoted scalar; escape what JSON leaves raw but YAML forbids.
  return JSON.stringify(s).replace(NEEDS_ESCAPE_GLOBAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
const NEEDS_ESCAPE_GLOBAL = new RegExp(NEEDS_ESCAPE.source, 'g')

export function singleQuoted(s: string): string {
  return `'${s.replace(/'/g, "''")}'`
}

function canSingleQuote(s: string): boolean {
  return !/[\n\r\t]/.test(s) && !NEEDS_ESCAPE.test(s) && s.trim() === s
}

/** Whether the plain form of `s` would be read as something other than a string (a number, bool, null, time). */
function ambiguousPlain(s: string): boolean {
  if (TIMESTAMP_LIKE.test(s)) return true
  // Every null, bool and number of either schema starts with one of these (or is empty).
  if (s !== '' && !/^[-+.0-9~A-Za-z]/.test(s)) return false
  for (const options of [READ_OPTIONS, CORE_12]) {
    const parsed = parseSnippet(`k: ${s}\n`, options)
    const k =
      parsed && typeof parsed.value === 'object' && parsed.value !== null
        ? (parsed.value as { k?: unknown }).k
        : undefined
    // Only other scalar types count: `{"a":1}` needs quotes because it is a mapping, not because it is ambiguous.
    if (parsed && (k === null || typeof k === 'number' || typeof k === 'boolean')) return true
  }
  return false
}

/**
 * Renders a scalar. `hint` is the style the old value (or a sibling) had: it is kept when it can hold the new
 * value. Without a hint, strings are plain when safe, double-quoted when the plain form would read as another
 * type (`"1.4"`, `"true"`, timestamps), and single-quoted otherwise (`'a: b'`), as go-yaml writes them.
 */
export function renderScalar(value: unknown, hint: ScalarStyle | undefined, inFlow: boolean): string {
  if (value === null) return 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot write the number ${value} to YAML`)
    return String(value)
  }
  if (typeof value !== 'string') throw new TypeError(`cannot write a ${typeof value} as a YAML scalar`)
  if (hint === 'QUOTE_DOUBLE') return doubleQuoted(value)
  if (hint === 'QUOTE_SINGLE' && canSingleQuote(value)) return singleQuoted(value)
  if (isPlainSafe(value, inFlow)) return value
  if (ambiguousPlain(value) || !canSingleQuote(value)) return doubleQuoted(value)
  return singleQuoted(value)
}

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
