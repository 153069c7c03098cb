/**
 * Go's text/tabwriter, as `oc describe` uses it (tabbedString in [oc] pkg/helpers/describe/helpers.go:
 * `Init(buf, 0, 8, 1, '\t', 0)`). Cells are tab-terminated; the text after a line's last tab is not in a column.
 * A column block is a run of consecutive lines that have a cell in that column: its width is its widest cell plus
 * the padding, so a line without that cell (a blank line, `  * ref`) starts a new block. With '\t' as the padding
 * character the width is rounded up to a multiple of the tab width and the padding is written as tabs. Widths count
 * code points, as Go counts runes.
 */
export interface TabwriterOptions {
  minWidth: number
  tabWidth: number
  padding: number
  padChar: string
}

/** The settings of oc's describers. */
export const OC_DESCRIBE: TabwriterOptions = { minWidth: 0, tabWidth: 8, padding: 1, padChar: '\t' }

interface Cell {
  text: string
  width: number
}

export function tabwrite(text: string, options: TabwriterOptions = OC_DESCRIBE): string {
  const terminated = text.endsWith('\n')
  const body = terminated ? text.slice(0, -1) : text
  const lines: Cell[][] = body.split('\n').map((line) => line.split('\t').map((t) => ({ text: t, width: runes(t) })))
  // Text after the last newline is a cell only when it is not empty (Go's Flush terminates no empty cell).
  const last = lines[lines.length - 1]!
  if (!terminated && last.length > 0 && last[last.length - 1]!.text === '') last.pop()
  const out: string[] = []
  const widths: number[] = []

  const padding = (textWidth: number, cellWidth: number): string => {
    if (options.padChar !== '\t') return options.padChar.repeat(cellWidth - textWidth)
    if (options.tabWidth === 0) return '' // tabs have no width: no padding can be done
    const rounded = Math.ceil(cellWidth / options.tabWidth) * options.tabWidth
    return '\t'.repeat(Math.ceil((rounded - textWidth) / options.tabWidth))
  }
  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      out.push(lines[i]!.map((c, j) => (j < widths.length ? c.text + padding(c.width, widths[j]!) : c.text)).join(''))
    }
  }
  const format = (from: number, to: number): void => {
    const column = widths.length
    let start = from
    for (let line = from; line < to; line++) {
      if (column >= lines[line]!.length - 1) continue
      writeLines(start, line)
      start = line
      let width = options.minWidth
      for (; line < to && column < lines[line]!.length - 1; line++) {
        width = Math.max(width, lines[line]![column]!.width + options.padding)
      }
      widths.push(width)
      format(start, line)
      widths.pop()
      start = line
    }
    writeLines(start, to)
  }
  format(0, lines.length)
  return out.join('\n') + (terminated ? '\n' : '')
}

function runes(text: string): number {
  let n = 0
  for (const _ of text) n++
  return n
}
