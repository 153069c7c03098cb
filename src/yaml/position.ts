/** Offsets in YAML text ↔ line:column, the line starts an editor of the text needs, and the file's line ending. */
export interface LineCol {
  line: number // 1-based
  column: number // 1-based
}

/** line:column of an offset (columns count UTF-16 units, like editors' "Ln, Col" for BMP text). */
export function lineColAt(text: string, offset: number): LineCol {
  let line = 1
  let lineStart = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return { line, column: offset - lineStart + 1 }
}

export function lineStartOf(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1
}

/** The start of the line after the one holding `pos` (pos itself if it already is a line start after a newline). */
export function nextLineStart(text: string, pos: number): { pos: number; eol: boolean } {
  if (pos > 0 && text[pos - 1] === '\n') return { pos, eol: true }
  const nl = text.indexOf('\n', pos)
  return nl === -1 ? { pos: text.length, eol: false } : { pos: nl + 1, eol: true }
}

export function columnOf(text: string, pos: number): number {
  return pos - lineStartOf(text, pos)
}

export function firstOnLine(text: string, pos: number): boolean {
  return text.slice(lineStartOf(text, pos), pos).trim() === ''
}

/** The line ending the file already uses, so inserted lines match it. */
export function lineEnding(text: string): '\n' | '\r\n' {
  return text.includes('\r\n') ? '\r\n' : '\n'
}
