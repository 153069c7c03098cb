/**
 * Reading values out of the `yaml` library's AST with their exact source ranges, and rendering a new value
 * for one scalar without touching a byte around it. Nothing here re-serializes a document.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap
} from 'yaml'
import { lineEnding } from '../yaml/position.js'
import { renderScalar } from '../yaml/scalar.js'
import type { ScalarStyle, Target } from './types.js'

export type Located = { line: number; column: number }

export function locate(lc: LineCounter, offset: number): Located {
  const { line, col } = lc.linePos(offset)
  return { line, column: col }
}

/** The pair for a plain string key, without following aliases or merge keys. */
export function getPair(map: unknown, key: string): Pair<Node, Node | null> | undefined {
  if (!isMap(map)) return undefined
  for (const item of map.items) {
    if (isPair(item) && isScalar(item.key) && item.key.value === key) return item as Pair<Node, Node | null>
  }
  return undefined
}

export function getValue(map: unknown, key: string): Node | null | undefined {
  return getPair(map, key)?.value
}

/** A scalar's string value (numbers and booleans as written), or undefined for anything else. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null) return undefined
  const source = (node as { source?: unknown }).source
  if (typeof source === 'string' && typeof node.value !== 'string') return source
  return typeof node.value === 'string' ? node.value : String(node.value)
}

/** Follows `a.b.c` through block or flow maps; reports the first alias met, which we never expand. */
export function getPath(root: unknown, path: string[]): { node?: Node | null; alias?: string } {
  let node: unknown = root
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) return { alias: path.slice(0, i).join('.') }
    node = getValue(node, path[i])
    if (node === undefined) return {}
  }
  if (isAlias(node)) return { alias: path.join('.') }
  return { node: node as Node | null }
}

/** A target's style and the `yaml` library's name for it. */
const YAML_STYLE = { plain: 'PLAIN', single: 'QUOTE_SINGLE', double: 'QUOTE_DOUBLE' } as const

function styleOf(type: string | undefined): ScalarStyle | undefined {
  if (type === 'PLAIN') return 'plain'
  if (type === 'QUOTE_SINGLE') return 'single'
  if (type === 'QUOTE_DOUBLE') return 'double'
  return undefined
}

export type TargetResult = { ok: true; target: Target } | { ok: false; message: string }

/**
 * The target for the value of `pair` (a scalar to replace), or for a missing `key` in `map` (an insertion).
 * Refuses aliases and block scalars: rewriting those would change other places or re-flow text.
 */
export function valueTarget(
  text: string,
  lc: LineCounter,
  map: YAMLMap,
  key: string,
  field: string,
  flowContext = false
): TargetResult {
  const pair = getPair(map, key)
  if (!pair) {
    if (map.items.some((p) => isPair(p) && isScalar(p.key) && p.key.value === '<<')) {
      return {
        ok: false,
        message: `${field} is not set here but may come from a merge key (<<); write it out to bind it`
      }
    }
    return insertionTarget(text, lc, map, key, field)
  }
  return scalarTarget(text, lc, pair.value, field, flowContext)
}

export function scalarTarget(
  text: string,
  lc: LineCounter,
  node: unknown,
  field: string,
  flowContext = false
): TargetResult {
  if (isAlias(node)) {
    return {
      ok: false,
      message: `${field} is an alias (*${node.source}); rewriting it would change the anchor's other uses`
    }
  }
  if (!isScalar(node) || !node.range) {
    return { ok: false, message: `${field} is not a scalar value` }
  }
  const [start, end] = node.range
  const pos = locate(lc, start)
  if (node.value === null && (node.type === 'PLAIN' || node.type === undefined)) {
    // An empty value (`image:` or `image: ~`): write the value where it would stand.
    const prev = start > 0 ? text[start - 1] : '\n'
    const next = text[end] ?? ''
    return {
      ok: true,
      target: {
        field,
        ...pos,
        start,
        end,
        raw: text.slice(start, end),
        value: null,
        style: 'plain',
        flow: flowContext,
        insert: { before: /\s/.test(prev) ? '' : ' ', after: next === '#' ? ' ' : '' }
      }
    }
  }
  const style = styleOf(node.type)
  if (!style)
    return { ok: false, message: `${field} is a block scalar (| or >); write the image on one line to bind it` }
  const value = scalarText(node)
  if (value === undefined) return { ok: false, message: `${field} is not a string` }
  return {
    ok: true,
    target: { field, ...pos, start, end, raw: text.slice(start, end), value, style, flow: flowContext }
  }
}

/** Inserting `key: value` as the first entry of `map`, so no other line moves sideways. */
export function insertionTarget(text: string, lc: LineCounter, map: YAMLMap, key: string, field: string): TargetResult {
  if (!map.range) return { ok: false, message: `cannot add ${field}: the map has no source position` }
  const first = map.items.find((p) => isPair(p)) as Pair<Node, unknown> | undefined
  if (map.flow) {
    // A flow map whose keys are double-quoted is JSON (or written like it): the new key and value are too, or a JSON
    // file would stop being JSON. An empty one follows the document: JSON when the file is.
    const json = first ? isScalar(first.key) && first.key.type === 'QUOTE_DOUBLE' : /^\uFEFF?\s*[{[]/.test(text)
    const style = json ? 'double' : 'plain'
    const before = json ? `${JSON.stringify(key)}: ` : `${key}: `
    if (!first || !first.key?.range) {
      const open = map.range[0]
      if (text[open] !== '{') return { ok: false, message: `cannot add ${field} to this flow map` }
      const pos = locate(lc, open + 1)
      return {
        ok: true,
        target: {
          field,
          ...pos,
          start: open + 1,
          end: open + 1,
          raw: '',
          value: null,
          style,
          flow: true,
          insert: { before, after: '' }
        }
      }
    }
    const at = first.key.range[0]
    return {
      ok: true,
      target: {
        field,
        ...locate(lc, at),
        start: at,
        end: at,
        raw: '',
        value: null,
        style,
        flow: true,
        insert: { before, after: ', ' }
      }
    }
  }
  if (!first || !isScalar(first.key) || !first.key.range)
    return { ok: false, message: `cannot add ${field}: the map has no plain first key` }
  const at = first.key.range[0]
  const pos = locate(lc, at)
  return {
    ok: true,
    target: {
      field,
      ...pos,
      start: at,
      end: at,
      raw: '',
      value: null,
      style: 'plain',
      insert: { before: `${key}: `, after: `${lineEnding(text)}${' '.repeat(pos.column - 1)}` }
    }
  }
}

/**
 * The full replacement text for a target: the value in the target's style (a Dockerfile or marker value as it is),
 * wrapped in the insertion text if any.
 */
export function renderTarget(target: Target, value: string): string {
  const scalar =
    target.style === 'verbatim' ? value : renderScalar(value, YAML_STYLE[target.style], target.flow === true)
  return target.insert ? `${target.insert.before}${scalar}${target.insert.after}` : scalar
}

export type ScalarVisit = { node: Node; path: string; isKey: boolean }

/** Every scalar under `node` with its path; aliases are not followed (an alias bomb costs nothing here). */
export function visitScalars(node: unknown, path: string, out: ScalarVisit[]): void {
  if (isScalar(node)) {
    out.push({ node, path, isKey: false })
  } else if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue
      const keyText = scalarText(item.key) ?? '?'
      if (isScalar(item.key)) out.push({ node: item.key, path: path ? `${path}.${keyText}` : keyText, isKey: true })
      visitScalars(item.value, path ? `${path}.${keyText}` : keyText, out)
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => visitScalars(item, `${path}[${i}]`, out))
  }
}

/** Every value scalar under `node` (keys left out), without paths; aliases are not followed. */
export function forEachValueScalar(node: unknown, fn: (scalar: Scalar) => void): void {
  if (isScalar(node)) fn(node)
  else if (isMap(node)) {
    for (const item of node.items) if (isPair(item)) forEachValueScalar(item.value, fn)
  } else if (isSeq(node)) {
    for (const item of node.items) forEachValueScalar(item, fn)
  }
}
