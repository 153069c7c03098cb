/**
 * Splicing a state file's text: edits at the offsets the YAML parser reports, applied in one pass, and the offsets of
 * a node's parts (a key, a pair's `:`, an item's `-`). An edit that cannot be made safely throws Unsupported, and
 * the writer falls back to a coarser method (state-render.ts).
 */
import { isScalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml'
import { lineStartOf, nextLineStart } from '../yaml/position.js'
import type { TextFormat } from './yaml-text.js'
import { applySplices, OverlappingSplices, type Splice } from '../yaml/splice.js'

export class Unsupported extends Error {}

export class Splicer {
  readonly edits: Splice[] = []
  constructor(
    readonly text: string,
    readonly fmt: TextFormat,
    /** Sections mode: replace any changed value below the top level instead of editing inside it. */
    readonly coarse: boolean
  ) {}

  add(start: number, end: number, text: string): void {
    if (start > end || start < 0 || end > this.text.length) throw new Unsupported(`bad edit range ${start}-${end}`)
    this.edits.push({ start, end, text })
  }

  apply(): string {
    try {
      return applySplices(this.text, this.edits)
    } catch (err) {
      if (err instanceof OverlappingSplices) throw new Unsupported('overlapping edits')
      throw err
    }
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

export function range(node: Node): [number, number] {
  const r = node.range
  if (!r) throw new Unsupported('node without a source range')
  return [r[0], r[1]]
}

export function scalarKey(pair: Pair): string {
  const key = pair.key as Node | null
  if (!isScalar(key) || typeof key.value !== 'string') throw new Unsupported('non-string key')
  return key.value
}

export function keyStart(pair: Pair): number {
  return range(pair.key as Node)[0]
}

export interface CstItem {
  start: Array<{ type: string; offset: number }>
  sep?: Array<{ type: string; offset: number }>
}

export function cstItems(node: YAMLMap | YAMLSeq): CstItem[] {
  const token = (node as unknown as { srcToken?: { items?: CstItem[] } }).srcToken
  if (!token?.items || token.items.length !== node.items.length) throw new Unsupported('no source tokens')
  return token.items
}

/** The offset of the `:` of a block map pair. */
export function colonOffset(map: YAMLMap, index: number): number {
  const ind = cstItems(map)[index].sep?.find((t) => t.type === 'map-value-ind')
  if (!ind) throw new Unsupported('pair without a value indicator')
  return ind.offset
}

/** The offset of the `-` of a block sequence item. */
export function dashOffset(seq: YAMLSeq, index: number): number {
  const ind = cstItems(seq)[index].start.find((t) => t.type === 'seq-item-ind')
  if (!ind) throw new Unsupported('item without a dash')
  return ind.offset
}

export function pairValueEnd(map: YAMLMap, index: number): number {
  const pair = map.items[index] as Pair
  const value = pair.value as Node | null
  return value?.range ? value.range[1] : colonOffset(map, index) + 1
}
