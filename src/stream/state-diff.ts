/**
 * The structural diff of a state file: the old data and the new model walked together, each difference a splice of
 * the original text (a scalar rewritten in place, a key inserted in Go's field order, an item's lines removed).
 */
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml'
import { compareKeys, fieldShape, isAlphabeticalOrder, orderedKeys, type Shape } from './state-shape.js'
import { childTemplate, deepEqual, emitBlock, emitInline, emitPair, emitSeqItem, type Template } from './yaml-text.js'
import { columnOf, firstOnLine, lineStartOf, nextLineStart } from '../yaml/position.js'
import { renderScalar, type ScalarStyle } from '../yaml/scalar.js'
import { has, isCollection, isObj, type Obj } from './state-normalize.js'
import {
  colonOffset,
  dashOffset,
  keyStart,
  pairValueEnd,
  range,
  scalarKey,
  Splicer,
  Unsupported
} from './state-splice.js'

export type Holder =
  | { kind: 'root' }
  | { kind: 'pair'; map: YAMLMap; index: number; inFlow: boolean }
  | { kind: 'item'; seq: YAMLSeq; index: number; inFlow: boolean }

export function diffValue(
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
