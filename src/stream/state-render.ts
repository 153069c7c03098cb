/**
 * Format-preserving writes of a state file. The old file's data and the new model are compared structurally, and
 * each difference becomes a splice of the original text at the positions the YAML parser reports: a changed
 * scalar is rewritten in place (keeping its quoting when it can), a new key is inserted where Go's field order
 * (or the file's alphabetical order) puts it, a removed key or list item loses exactly its lines, a new TagEvent
 * becomes new lines above the old ones. Everything else — comments, blank lines, key order, flow or block style,
 * alignment, CRLF, a missing final newline — is the untouched original text.
 *
 * Every result is parsed back and compared with the model before it is returned. If a fine-grained edit cannot be
 * made safely (anchors and aliases, odd layouts), the writer falls back to replacing whole top-level sections, and
 * at last to a fresh rendering that keeps the file's leading comments.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq
} from 'yaml'
import {
  compareKeys,
  fieldShape,
  imageStreamShape,
  isAlphabeticalOrder,
  orderedKeys,
  type Shape
} from './state-shape.js'
import {
  childTemplate,
  columnOf,
  deepEqual,
  DEFAULT_FORMAT,
  emitBlock,
  emitDocument,
  emitInline,
  emitPair,
  emitSeqItem,
  firstOnLine,
  lineStartOf,
  nextLineStart,
  READ_OPTIONS,
  renderScalar,
  TO_JS_OPTIONS,
  type ScalarStyle,
  type Template,
  type TextFormat
} from './yaml-text.js'
import { isJsonObjectText, renderJsonLike } from '../yaml/json-style.js'

export type RenderMethod = 'unchanged' | 'edit' | 'sections' | 'json' | 'fresh'

class Unsupported extends Error {}

interface Edit {
  start: number
  end: number
  text: string
  order: number
}

type Holder =
  | { kind: 'root' }
  | { kind: 'pair'; map: YAMLMap; index: number; inFlow: boolean }
  | { kind: 'item'; seq: YAMLSeq; index: number; inFlow: boolean }

type Obj = Record<string, unknown>

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function isCollection(v: unknown): boolean {
  return typeof v === 'object' && v !== null
}

function has(o: Obj, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined
}

// ---------------------------------------------------------------------------------------------------------------

class Splicer {
  readonly edits: Edit[] = []
  constructor(
    readonly text: string,
    readonly fmt: TextFormat,
    /** Sections mode: replace any changed value below the top level instead of editing inside it. */
    readonly coarse: boolean
  ) {}

  add(start: number, end: number, text: string): void {
    if (start > end || start < 0 || end > this.text.length) throw new Unsupported(`bad edit range ${start}-${end}`)
    this.edits.push({ start, end, text, order: this.edits.length })
  }

  apply(): string {
    // Equal starts: insertions (empty ranges) before deletions, and insertions in the order they were made.
    const edits = [...this.edits].sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order)
    let out = ''
    let cursor = 0
    for (const e of edits) {
      if (e.start < cursor) throw new Unsupported('overlapping edits')
      out += this.text.slice(cursor, e.start) + e.text
      cursor = e.end
    }
    return out + this.text.slice(cursor)
  }

  get eol(): string {
    return this.fmt.eol
  }

  /** Where the lines after `pos`'s line start, and the text to put there (handles a file without a final newline). */
  linesAfter(pos: number, lines: string[], indent: number): { at: number; text: string } {
    const pad = ' '.repeat(indent)
    const body = lines.map((l) => pad + l).join(this.eol)
    const next = nextLineStart(this.text, pos)
    return next.eol ? { at: next.pos, text: body + this.eol } : { at: next.pos, text: this.eol + body }
  }

  /** Deletes whole lines [lineStart(from), end-of-line(to)), keeping a missing final newline missing. */
  deleteLines(from: number, to: number): void {
    let start = lineStartOf(this.text, from)
    const end = nextLineStart(this.text, to)
    if (!end.eol && start > 0) {
      // Deleting the last line of a file without a final newline: take the previous line's newline instead.
      start -= this.text[start - 2] === '\r' ? 2 : 1
    }
    this.add(start, end.pos, '')
  }
}

function range(node: Node): [number, number] {
  const r = node.range
  if (!r) throw new Unsupported('node without a source range')
  return [r[0], r[1]]
}

function scalarKey(pair: Pair): string {
  const key = pair.key as Node | null
  if (!isScalar(key) || typeof key.value !== 'string') throw new Unsupported('non-string key')
  return key.value
}

function keyStart(pair: Pair): number {
  return range(pair.key as Node)[0]
}

interface CstItem {
  start: Array<{ type: string; offset: number }>
  sep?: Array<{ type: string; offset: number }>
}

function cstItems(node: YAMLMap | YAMLSeq): CstItem[] {
  const token = (node as unknown as { srcToken?: { items?: CstItem[] } }).srcToken
  if (!token?.items || token.items.length !== node.items.length) throw new Unsupported('no source tokens')
  return token.items
}

/** The offset of the `:` of a block map pair. */
function colonOffset(map: YAMLMap, index: number): number {
  const ind = cstItems(map)[index].sep?.find((t) => t.type === 'map-value-ind')
  if (!ind) throw new Unsupported('pair without a value indicator')
  return ind.offset
}

/** The offset of the `-` of a block sequence item. */
function dashOffset(seq: YAMLSeq, index: number): number {
  const ind = cstItems(seq)[index].start.find((t) => t.type === 'seq-item-ind')
  if (!ind) throw new Unsupported('item without a dash')
  return ind.offset
}

function pairValueEnd(map: YAMLMap, index: number): number {
  const pair = map.items[index] as Pair
  const value = pair.value as Node | null
  return value?.range ? value.range[1] : colonOffset(map, index) + 1
}

// ---------------------------------------------------------------------------------------------------------------
// The structural diff

function diffValue(
  sp: Splicer,
  node: Node | null,
  oldV: unknown,
  newV: unknown,
  shape: Shape | undefined,
  holder: Holder,
  siblings: Template[],
  depth: number
): void {
  if (deepEqual(oldV, newV)) return
  if (!node || isAlias(node) || (sp.coarse && depth >= 2)) return replace(sp, node, newV, shape, holder, node)
  if (isMap(node) && isObj(oldV) && isObj(newV)) {
    return node.flow
      ? diffFlowMap(sp, node, oldV, newV, shape, holder, depth)
      : diffBlockMap(sp, node, oldV, newV, shape, holder, siblings, depth)
  }
  if (isSeq(node) && Array.isArray(oldV) && Array.isArray(newV)) {
    return node.flow
      ? diffFlowSeq(sp, node, oldV, newV, shape, holder, depth)
      : diffBlockSeq(sp, node, oldV, newV, shape, holder, siblings, depth)
  }
  if (isScalar(node) && !isCollection(oldV) && !isCollection(newV)) return setScalar(sp, node, newV, holder)
  return replace(sp, node, newV, shape, holder, node)
}

function setScalar(sp: Splicer, node: Scalar, newV: unknown, holder: Holder): void {
  const [start, end] = range(node)
  const style = node.type as ScalarStyle | undefined
  // Block scalars own their line ends, and an empty `key:` has no room for a value: rewrite the whole value.
  if (style === 'BLOCK_LITERAL' || style === 'BLOCK_FOLDED' || start === end || node.tag) {
    return replace(sp, node, newV, undefined, holder, undefined)
  }
  const inFlow = holder.kind !== 'root' && holder.inFlow
  sp.add(start, end, renderScalar(newV, style, inFlow))
}

function diffFlowMap(
  sp: Splicer,
  node: YAMLMap,
  oldV: Obj,
  newV: Obj,
  shape: Shape | undefined,
  holder: Holder,
  depth: number
): void {
  const oldKeys = Object.keys(oldV).filter((k) => has(oldV, k))
  const newKeys = Object.keys(newV).filter((k) => has(newV, k))
  if (oldKeys.length !== newKeys.length || !oldKeys.every((k) => has(newV, k))) {
    return replace(sp, node, newV, shape, holder, node)
  }
  node.items.forEach((item, index) => {
    const pair = item as Pair
    const key = scalarKey(pair)
    diffValue(
      sp,
      pair.value as Node | null,
      oldV[key],
      newV[key],
      fieldShape(shape, key),
      { kind: 'pair', map: node, index, inFlow: true },
      [],
      depth + 1
    )
  })
}

function diffFlowSeq(
  sp: Splicer,
  node: YAMLSeq,
  oldV: unknown[],
  newV: unknown[],
  shape: Shape | undefined,
  holder: Holder,
  depth: number
): void {
  if (oldV.length !== newV.length) return replace(sp, node, newV, shape, holder, node)
  node.items.forEach((item, index) => {
    diffValue(
      sp,
      item as Node,
      oldV[index],
      newV[index],
      shape?.items,
      { kind: 'item', seq: node, index, inFlow: true },
      [],
      depth + 1
    )
  })
}

function diffBlockMap(
  sp: Splicer,
  node: YAMLMap,
  oldV: Obj,
  newV: Obj,
  shape: Shape | undefined,
  holder: Holder,
  siblings: Template[],
  depth: number
): void {
  const pairs = node.items as Pair[]
  const keys = pairs.map(scalarKey)
  const kept = keys.map((k) => has(newV, k))
  if (!kept.includes(true)) return replace(sp, node, newV, shape, holder, node)

  pairs.forEach((pair, index) => {
    if (!kept[index]) return
    const key = keys[index]
    diffValue(
      sp,
      pair.value as Node | null,
      oldV[key],
      newV[key],
      fieldShape(shape, key),
      { kind: 'pair', map: node, index, inFlow: false },
      siblings.map((s) => childTemplate(s, key)),
      depth + 1
    )
  })

  // Removed keys, in runs of neighbours.
  for (let i = 0; i < pairs.length; i++) {
    if (kept[i]) continue
    let j = i
    while (j + 1 < pairs.length && !kept[j + 1]) j++
    if (firstOnLine(sp.text, keyStart(pairs[i]))) {
      sp.deleteLines(keyStart(pairs[i]), pairValueEnd(node, j))
    } else {
      // The first pair of a `- key: value` item: the next kept key moves up onto the dash line.
      if (j + 1 >= pairs.length) throw new Unsupported('no kept pair after a removed first pair')
      sp.add(keyStart(pairs[i]), keyStart(pairs[j + 1]), '')
    }
    i = j
  }

  // New keys, where Go's struct order (or the file's own alphabetical order, as `oc get -o yaml` writes) puts them.
  const added = orderedKeys(newV, shape).filter((k) => !keys.includes(k))
  if (added.length === 0) return
  const alphabetical = isAlphabeticalOrder(keys, shape)
  const order = shape?.fields ? Object.keys(shape.fields) : []
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : Number.POSITIVE_INFINITY)
  const precedes = (a: string, b: string) => (alphabetical ? compareKeys(a, b) < 0 : rank(a) < rank(b))
  const indent = columnOf(sp.text, keyStart(pairs[0]))
  const keptIdx = kept.flatMap((k, i) => (k ? [i] : []))

  for (const key of added) {
    const tmpl = siblings.map((s) => childTemplate(s, key)).find((t) => t !== undefined)
    const lines = emitPair(key, newV[key], fieldShape(shape, key), tmpl, sp.fmt)
    const anchor = keptIdx.find((i) => precedes(key, keys[i]))
    const prev = anchor === undefined ? keptIdx[keptIdx.length - 1] : keptIdx.filter((i) => i < anchor).pop()
    if (prev !== undefined) {
      const { at, text } = sp.linesAfter(pairValueEnd(node, prev), lines, indent)
      sp.add(at, at, text)
    } else {
      // Before the first kept key, which may sit on a `- ` line: write the new key there and move it down.
      const at = keyStart(pairs[anchor as number])
      const pad = ' '.repeat(indent)
      sp.add(at, at, lines.map((l, i) => (i === 0 ? l : pad + l)).join(sp.eol) + sp.eol + pad)
    }
  }
}

/** Pairs of (old index, new index) of the same list element, in increasing order of both; undefined: no usable match. */
export function matchItems(
  oldA: unknown[],
  newA: unknown[],
  shape: Shape | undefined
): Array<[number, number]> | undefined {
  const key = shape?.key
  const keyOf = (v: unknown) =>
    isObj(v) && typeof v[key as string] === 'string' ? (v[key as string] as string) : undefined
  const uniqueKeys = (a: unknown[]) => {
    const ks = a.map(keyOf)
    return ks.every((k) => k !== undefined) && new Set(ks).size === ks.length
  }
  if (key && uniqueKeys(oldA) && uniqueKeys(newA)) {
    const pos = new Map(oldA.map((v, i) => [keyOf(v) as string, i]))
    const matches: Array<[number, number]> = []
    newA.forEach((v, n) => {
      const o = pos.get(keyOf(v) as string)
      if (o !== undefined) matches.push([o, n])
    })
    for (let i = 1; i < matches.length; i++) if (matches[i][0] < matches[i - 1][0]) return undefined // reordered
    return matches
  }

  const identity = (v: unknown) => canonical(shape?.identity && isObj(v) ? shape.identity.map((f) => v[f]) : v)
  const a = oldA.map(identity)
  const b = newA.map(identity)
  if (a.length * b.length > 4_000_000) return undefined
  // Longest common subsequence of identities: history lists gain items at the front and lose them at the back.
  const n = a.length
  const m = b.length
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
    }
  }
  const anchors: Array<[number, number]> = []
  for (let i = 0, j = 0; i < n && j < m;) {
    if (a[i] === b[j]) anchors.push([i++, j++])
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) i++
    else j++
  }
  // Between anchors, gaps of equal length are the same elements edited in place.
  const matches: Array<[number, number]> = []
  let po = -1
  let pn = -1
  for (const [o, nn] of [...anchors, [n, m] as [number, number]]) {
    if (o - po === nn - pn) for (let k = 1; k < o - po; k++) matches.push([po + k, pn + k])
    if (o < n) matches.push([o, nn])
    po = o
    pn = nn
  }
  return matches
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (isObj(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(v) ?? 'undefined'
}

function diffBlockSeq(
  sp: Splicer,
  node: YAMLSeq,
  oldA: unknown[],
  newA: unknown[],
  shape: Shape | undefined,
  holder: Holder,
  _siblings: Template[],
  depth: number
): void {
  const matches = matchItems(oldA, newA, shape)
  if (!matches || matches.length === 0) return replace(sp, node, newA, shape, holder, node)
  const items = node.items as Node[]
  const keptOld = new Set(matches.map(([o]) => o))
  const matchedNew = new Map(matches.map(([o, n]) => [n, o]))

  for (const [o, n] of matches) {
    const siblings = items.filter((_, i) => i !== o)
    diffValue(
      sp,
      items[o],
      oldA[o],
      newA[n],
      shape?.items,
      { kind: 'item', seq: node, index: o, inFlow: false },
      siblings,
      depth + 1
    )
  }

  for (let i = 0; i < items.length; i++) {
    if (keptOld.has(i)) continue
    let j = i
    while (j + 1 < items.length && !keptOld.has(j + 1)) j++
    sp.deleteLines(dashOffset(node, i), range(items[j])[1])
    i = j
  }

  const indent = columnOf(sp.text, dashOffset(node, 0))
  const keptSorted = [...keptOld].sort((x, y) => x - y)
  newA.forEach((item, n) => {
    if (matchedNew.has(n)) return
    let anchor: number | undefined
    for (let k = n + 1; k < newA.length && anchor === undefined; k++) anchor = matchedNew.get(k)
    const prev =
      anchor === undefined ? keptSorted[keptSorted.length - 1] : keptSorted.filter((o) => o < (anchor as number)).pop()
    // The neighbour the new item lands next to is the best guide to how it should look (flow maps, quoting).
    const tmpl = items[anchor ?? (prev as number)]
    const lines = emitSeqItem(item, shape?.items, tmpl, sp.fmt)
    if (prev !== undefined) {
      const { at, text } = sp.linesAfter(range(items[prev])[1], lines, indent)
      sp.add(at, at, text)
    } else {
      const at = lineStartOf(sp.text, dashOffset(node, anchor as number))
      if (!firstOnLine(sp.text, dashOffset(node, anchor as number))) throw new Unsupported('item not at line start')
      const pad = ' '.repeat(indent)
      sp.add(at, at, lines.map((l) => pad + l).join(sp.eol) + sp.eol)
    }
  })
}

/** Rewrites a whole value: a type change, a list that cannot be matched, or anything inside a flow collection. */
function replace(
  sp: Splicer,
  node: Node | null,
  newV: unknown,
  shape: Shape | undefined,
  holder: Holder,
  tmpl: Template
): void {
  const fmt = sp.fmt
  if (holder.kind === 'root') throw new Unsupported('cannot replace the document root')
  if (holder.inFlow) {
    if (!node) throw new Unsupported('empty flow value')
    const [start, end] = range(node)
    sp.add(start, end, emitInline(newV, shape, tmpl, fmt, true) as string)
    return
  }
  if (holder.kind === 'item') {
    const dash = dashOffset(holder.seq, holder.index)
    if (!firstOnLine(sp.text, dash)) throw new Unsupported('item not at line start')
    const end = node ? range(node)[1] : dash + 1
    const lines = emitSeqItem(newV, shape, tmpl, fmt)
    const start = lineStartOf(sp.text, dash)
    const next = nextLineStart(sp.text, end)
    const pad = ' '.repeat(columnOf(sp.text, dash))
    sp.add(start, next.pos, lines.map((l) => pad + l).join(fmt.eol) + (next.eol ? fmt.eol : ''))
    return
  }
  const { map, index } = holder
  const colon = colonOffset(map, index)
  const keyCol = columnOf(sp.text, keyStart(map.items[index] as Pair))
  const inline = emitInline(newV, shape, tmpl, fmt, false)
  const block = inline === undefined ? emitBlock(newV, shape, tmpl, fmt) : undefined
  const childIndent = keyCol + (Array.isArray(newV) ? fmt.seqIndent : fmt.mapIndent)
  const [start, rawEnd] = node?.range ? range(node) : [colon + 1, colon + 1]
  const onKeyLine = !sp.text.slice(colon, start).includes('\n')
  if (onKeyLine) {
    // Block scalars include their final line end; the value being replaced ends before it.
    let end = rawEnd
    while (end > start && (sp.text[end - 1] === '\n' || sp.text[end - 1] === '\r')) end--
    if (block === undefined) {
      sp.add(colon + 1, end, ` ${inline}`)
    } else {
      sp.add(colon + 1, end, '')
      const { at, text } = sp.linesAfter(end, block, childIndent)
      sp.add(at, at, text)
    }
    return
  }
  // The old value is a block collection on the lines below the key; keep the key line and its comment.
  if (block === undefined) {
    sp.add(colon + 1, colon + 1, ` ${inline}`)
    sp.deleteLines(start, rawEnd)
  } else {
    const lineStart = lineStartOf(sp.text, start)
    const next = nextLineStart(sp.text, rawEnd)
    const pad = ' '.repeat(childIndent)
    sp.add(lineStart, next.pos, block.map((l) => pad + l).join(fmt.eol) + (next.eol ? fmt.eol : ''))
  }
}

// ---------------------------------------------------------------------------------------------------------------

/** The file's own conventions, for the lines the writer adds. */
export function detectFormat(text: string, doc: Document): TextFormat {
  const fmt: Partial<TextFormat> = { eol: text.includes('\r\n') ? '\r\n' : '\n' }
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as Node | null
      const value = pair.value as Node | null
      if (!key?.range || !value?.range) return
      const keyCol = columnOf(text, key.range[0])
      if (isMap(value) && !value.flow && value.items.length > 0 && fmt.mapIndent === undefined) {
        const childKey = (value.items[0] as Pair).key as Node | null
        if (childKey?.range) fmt.mapIndent = columnOf(text, childKey.range[0]) - keyCol
      }
      if (isSeq(value) && !value.flow && value.items.length > 0 && fmt.seqIndent === undefined) {
        fmt.seqIndent = columnOf(text, value.range[0]) - keyCol
      }
    },
    Map(_, map) {
      if (map.flow && map.items.length > 0 && map.range && fmt.flowPadding === undefined)
        fmt.flowPadding = text[map.range[0] + 1] === ' '
    },
    Seq(_, seq) {
      if (seq.flow && seq.items.length > 0 && seq.range && fmt.flowPadding === undefined)
        fmt.flowPadding = text[seq.range[0] + 1] === ' '
    }
  })
  const mapIndent =
    fmt.mapIndent !== undefined && fmt.mapIndent >= 1 && fmt.mapIndent <= 8 ? fmt.mapIndent : DEFAULT_FORMAT.mapIndent
  const seqIndent =
    fmt.seqIndent !== undefined && fmt.seqIndent >= 0 && fmt.seqIndent <= 8 ? fmt.seqIndent : DEFAULT_FORMAT.seqIndent
  return {
    eol: fmt.eol as TextFormat['eol'],
    mapIndent,
    seqIndent,
    flowPadding: fmt.flowPadding ?? DEFAULT_FORMAT.flowPadding
  }
}

/**
 * The model as it will be written: `undefined` dropped, empty `omitempty` lists/maps dropped (or kept as the file
 * spells them), a missing `spec` left missing when the model's is empty. Throws on values YAML/JSON cannot hold.
 */
export function normalizeForWrite(oldV: unknown, newV: unknown, shape: Shape | undefined, path = ''): unknown {
  if (Array.isArray(newV)) {
    return newV.map((item, i) => {
      let counterpart: unknown
      if (Array.isArray(oldV)) {
        const key = shape?.key
        counterpart = key && isObj(item) ? oldV.find((o) => isObj(o) && o[key] === item[key]) : oldV[i]
      }
      return normalizeForWrite(counterpart, item, shape?.items, `${path}[${i}]`)
    })
  }
  if (isObj(newV)) {
    // Cross-realm safe (structuredClone, vm contexts): Dates, Maps and class instances are not YAML mappings.
    if (
      Object.prototype.toString.call(newV) !== '[object Object]' ||
      (newV.constructor !== undefined && newV.constructor.name !== 'Object')
    ) {
      throw new TypeError(`${path || 'stream'}: cannot write a ${newV.constructor?.name ?? 'non-plain object'}`)
    }
    const out: Obj = {}
    for (const key of Object.keys(newV)) {
      const value = newV[key]
      if (value === undefined) continue
      const fs = fieldShape(shape, key)
      const old = isObj(oldV) ? oldV[key] : undefined
      const empty = (v: unknown) =>
        v === null || (Array.isArray(v) ? v.length === 0 : isObj(v) && Object.keys(v).length === 0)
      if (fs?.omitEmpty && empty(value)) {
        if (old !== undefined && empty(old)) out[key] = old
        continue
      }
      out[key] = normalizeForWrite(old, value, fs, path ? `${path}.${key}` : key)
    }
    if (path === '' && isObj(oldV) && !has(oldV, 'spec') && isObj(out.spec) && Object.keys(out.spec).length === 0)
      delete out.spec
    return out
  }
  if (newV === null || typeof newV === 'string' || typeof newV === 'boolean') return newV
  if (typeof newV === 'number' && Number.isFinite(newV)) return newV
  throw new TypeError(`${path || 'stream'}: cannot write ${String(newV)} (${typeof newV}) to YAML`)
}

function reparse(text: string): unknown {
  const doc = parseDocument(text, READ_OPTIONS)
  if (doc.errors.length > 0) return Symbol('unparseable')
  try {
    return doc.toJS(TO_JS_OPTIONS)
  } catch {
    return Symbol('unconvertible')
  }
}

/** The leading comment and blank lines of a file (the modeline, a license header), kept by a fresh rendering. */
function leadingComments(text: string): string {
  const match = /^(?:\uFEFF)?(?:[ \t]*(?:#[^\n]*)?\r?\n)*/.exec(text)
  return match ? match[0] : ''
}

export interface RenderResult {
  text: string
  method: RenderMethod
}

/**
 * Writes `next` onto the text of `original` (parsed as `doc`, whose data is `oldData`). `expected` is the
 * normalized model; the result always re-parses to it.
 */
export function renderOnto(text: string, doc: Document.Parsed, next: unknown): RenderResult {
  const oldData = doc.toJS(TO_JS_OPTIONS) as unknown
  const expected = normalizeForWrite(oldData, next, imageStreamShape)
  if (deepEqual(oldData, expected)) return { text, method: 'unchanged' }
  if (isJsonObjectText(text)) {
    const json = renderJsonLike(text, oldData, expected)
    if (!deepEqual(reparse(json), expected))
      throw new Error('internal error: the rendered stream does not read back as written')
    return { text: json, method: 'json' }
  }
  const fmt = detectFormat(text, doc)

  for (const coarse of [false, true]) {
    try {
      const sp = new Splicer(text, fmt, coarse)
      diffValue(sp, doc.contents as Node, oldData, expected, imageStreamShape, { kind: 'root' }, [], 0)
      const out = sp.apply()
      if (deepEqual(reparse(out), expected)) return { text: out, method: coarse ? 'sections' : 'edit' }
    } catch (err) {
      if (!(err instanceof Unsupported)) throw err
    }
  }

  const endsWithEol = /\n$/.test(text)
  let fresh =
    leadingComments(text) +
    emitDocument(expected as Obj, imageStreamShape, {
      ...DEFAULT_FORMAT,
      eol: fmt.eol,
      seqIndent: fmt.seqIndent,
      mapIndent: fmt.mapIndent
    })
  if (!endsWithEol) fresh = fresh.replace(/\r?\n$/, '')
  if (!deepEqual(reparse(fresh), expected))
    throw new Error('internal error: the rendered stream does not read back as written')
  return { text: fresh, method: 'fresh' }
}

/** A new file's text: the modeline, then the stream in Go's field order. */
export function renderFresh(header: string, next: unknown): string {
  const expected = normalizeForWrite(undefined, next, imageStreamShape) as Obj
  const text = header + emitDocument(expected, imageStreamShape)
  if (!deepEqual(reparse(text), expected))
    throw new Error('internal error: the rendered stream does not read back as written')
  return text
}
