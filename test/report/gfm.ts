/**
 * A checker for the GFM structures the reports rely on, following cmark-gfm's table extension: a table is a header
 * row, a delimiter row with the same number of cells, and body rows until a blank line; a cell ends at a '|' that
 * is not backslash-escaped (a backslash escapes the next character, so `\\|` is an escaped backslash and then a
 * cell break). Within each cell every backtick run must be closed by a run of the same length (a code span cut in
 * half would leave one open and swallow the rest of the row).
 */

export function splitRow(line: string): string[] | undefined {
  const t = line.trim()
  if (!t.startsWith('|') || !t.endsWith('|') || t.length < 2) return undefined
  const cells: string[] = []
  let cell = ''
  for (let i = 1; i < t.length; i++) {
    const c = t[i]!
    if (c === '\\' && i + 1 < t.length) {
      cell += c + t[i + 1]
      i++
    } else if (c === '|') {
      cells.push(cell.trim())
      cell = ''
    } else {
      cell += c
    }
  }
  // A trailing backslash before the final pipe escaped it: the row does not end with a cell break.
  if (cell !== '') return undefined
  return cells
}

function balancedCodeSpans(cell: string): boolean {
  const text = cell.replace(/\\\|/g, '|')
  let open = 0 // length of the backtick run that opened the current code span, 0 outside one
  for (let i = 0; i < text.length;) {
    if (open === 0 && text[i] === '\\') {
      i += 2 // outside code a backslash escapes the next character, a backtick included
      continue
    }
    if (text[i] !== '`') {
      i++
      continue
    }
    let run = 0
    while (text[i] === '`') {
      run++
      i++
    }
    if (open === 0) open = run
    else if (run === open) open = 0
  }
  return open === 0
}

export interface TableCheck {
  tables: number
  rows: number
  problems: string[]
}

/** Checks every table in `markdown` and reports stray row-looking lines outside tables. */
export function checkTables(markdown: string): TableCheck {
  const lines = markdown.split('\n')
  const problems: string[] = []
  let tables = 0
  let rows = 0
  for (let i = 0; i < lines.length; i++) {
    const header = splitRow(lines[i]!)
    const delimiter = i + 1 < lines.length ? splitRow(lines[i + 1]!) : undefined
    const isDelimiter = delimiter?.every((c) => /^:?-{3,}:?$/.test(c)) ?? false
    if (!header || !delimiter || !isDelimiter) {
      if (lines[i]!.trim().startsWith('|')) problems.push(`line ${i + 1}: table-like line outside a table: ${lines[i]}`)
      continue
    }
    tables++
    if (header.length !== delimiter.length)
      problems.push(`line ${i + 1}: header has ${header.length} cells, delimiter ${delimiter.length}`)
    let j = i + 2
    for (; j < lines.length && lines[j]!.trim() !== ''; j++) {
      const cells = splitRow(lines[j]!)
      if (!cells) {
        problems.push(`line ${j + 1}: not a table row: ${lines[j]!.slice(0, 200)}`)
        continue
      }
      rows++
      if (cells.length !== header.length)
        problems.push(`line ${j + 1}: ${cells.length} cells, expected ${header.length}`)
      cells.forEach((cell, k) => {
        if (!balancedCodeSpans(cell))
          problems.push(`line ${j + 1} cell ${k + 1}: unbalanced code span: ${cell.slice(0, 200)}`)
      })
    }
    i = j
  }
  return { tables, rows, problems }
}

/** Reverses escapeMarkdown for inline text: drops backslash escapes, decodes the three entities it writes. */
export function renderInline(escaped: string): string {
  return escaped.replace(
    /\\([!-/:-@[-`{-~])|&(amp|lt|gt);/g,
    (_, punct: string | undefined, entity: string | undefined) =>
      punct ?? ({ amp: '&', lt: '<', gt: '>' } as Record<string, string>)[entity!]!
  )
}

/** The markdown with every code span removed (their content is literal text, never HTML or syntax). */
export function withoutCodeSpans(markdown: string): string {
  let out = ''
  let i = 0
  while (i < markdown.length) {
    const c = markdown[i]!
    if (c === '\\') {
      out += markdown.slice(i, i + 2)
      i += 2
      continue
    }
    if (c !== '`') {
      out += c
      i++
      continue
    }
    let run = 0
    while (markdown[i + run] === '`') run++
    const fence = '`'.repeat(run)
    let close = i + run
    for (;;) {
      close = markdown.indexOf(fence, close)
      if (close < 0 || markdown[close + run] !== '`') break
      while (markdown[close] === '`') close++
    }
    if (close < 0) {
      out += fence // an unmatched run is literal
      i += run
    } else {
      out += '<code/>'
      i = close + run
    }
  }
  return out
}
