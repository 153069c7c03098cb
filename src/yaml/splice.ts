/**
 * Applying edits to a text at offsets a parser reported: each replaces [start, end) of the original. Edits are applied
 * in one pass in offset order (edits at one offset in the order given, an insertion before a replacement starting
 * there), and may not overlap; the stream writer and the manifest rewriter both apply their edits here.
 */
export interface Splice {
  start: number
  end: number
  text: string
}

/** Two splices overlap: `index` is the later one, as given. */
export class OverlappingSplices extends Error {
  constructor(readonly index: number) {
    super('overlapping edits')
  }
}

export function applySplices(text: string, splices: readonly Splice[]): string {
  const order = splices.map((_, i) => i)
  order.sort((a, b) => splices[a].start - splices[b].start || splices[a].end - splices[b].end || a - b)
  let out = ''
  let cursor = 0
  for (const i of order) {
    const s = splices[i]
    if (s.start < cursor) throw new OverlappingSplices(i)
    out += text.slice(cursor, s.start) + s.text
    cursor = s.end
  }
  return out + text.slice(cursor)
}
