/**
 * The Dockerfile grammar as far as image references need it, with source offsets: parser directives
 * (`# syntax=`, `# escape=`), a byte-order mark, CRLF, comment lines, line continuations (the escape character at
 * the end of a line, trailing blanks allowed, comment and empty lines inside skipped), and instruction tokens.
 * It follows BuildKit's frontend/dockerfile/parser (parser.go: Parse, directives, trimContinuationCharacter) and the
 * Dockerfile reference ("Parser directives", "Escape"); Renovate's lib/modules/manager/dockerfile/extract.ts reads
 * the same grammar with regular expressions. Pure: text in, structure out.
 */

export interface Token {
  text: string
  /** Source offsets of the token: [start, end). */
  start: number
  end: number
  /** 1-based line of the token. */
  line: number
}

export interface Instruction {
  /** The instruction keyword, upper-cased (FROM, ARG, COPY, RUN …). */
  keyword: string
  /** 1-based line the instruction starts on. */
  line: number
  /** Every token after the keyword, across continuation lines. */
  args: Token[]
}

export interface SourceLine {
  number: number
  start: number
  /** Offset of the end of the line's content (before `\r\n` or `\n`). */
  end: number
}

export interface Dockerfile {
  escape: '\\' | '`'
  lines: SourceLine[]
  instructions: Instruction[]
}

const DIRECTIVE = /^\s*#\s*([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(.*?)\s*$/

export function splitLines(text: string): SourceLine[] {
  const lines: SourceLine[] = []
  // A byte-order mark is not part of the first line's content (BuildKit strips it before parsing).
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let number = 1
  for (;;) {
    const nl = text.indexOf('\n', start)
    const stop = nl < 0 ? text.length : nl
    const end = stop > start && text[stop - 1] === '\r' ? stop - 1 : stop
    lines.push({ number, start, end })
    if (nl < 0) break
    start = nl + 1
    number++
  }
  return lines
}

/**
 * Parser directives are comment lines `# key=value` at the very top; the first line that is not one (an empty
 * line, another comment, an instruction) ends them. Only `escape` changes how the rest is read.
 */
function readDirectives(text: string, lines: SourceLine[]): { escape: '\\' | '`'; first: number } {
  let escape: '\\' | '`' = '\\'
  let i = 0
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(text.slice(lines[i].start, lines[i].end))
    if (!m) break
    if (m[1].toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2]
  }
  return { escape, first: i }
}

function tokens(text: string, from: number, to: number, line: number): Token[] {
  const out: Token[] = []
  const re = /\S+/g
  const part = text.slice(from, to)
  for (let m = re.exec(part); m; m = re.exec(part)) {
    out.push({ text: m[0], start: from + m.index, end: from + m.index + m[0].length, line })
  }
  return out
}

function isBlankOrComment(content: string): boolean {
  const t = content.trimStart()
  return t === '' || t.startsWith('#')
}

export function parseDockerfile(text: string): Dockerfile {
  const lines = splitLines(text)
  const { escape, first } = readDirectives(text, lines)
  const instructions: Instruction[] = []
  let current: { line: number; tokens: Token[] } | undefined
  for (let i = first; i < lines.length; i++) {
    const l = lines[i]
    const content = text.slice(l.start, l.end)
    // Comment lines are dropped everywhere, inside a continued instruction too; so are empty continuation lines.
    if (isBlankOrComment(content)) continue
    let stop = l.end
    const trimmed = content.trimEnd()
    const continued = trimmed.endsWith(escape)
    if (continued) stop = l.start + trimmed.length - 1
    const found = tokens(text, l.start, stop, l.number)
    if (!current) current = { line: l.number, tokens: [] }
    current.tokens.push(...found)
    if (!continued) {
      finish(current, instructions)
      current = undefined
    }
  }
  if (current) finish(current, instructions)
  return { escape, lines, instructions }
}

function finish(current: { line: number; tokens: Token[] }, out: Instruction[]): void {
  const [keyword, ...args] = current.tokens
  if (keyword) out.push({ keyword: keyword.text.toUpperCase(), line: current.line, args })
}

/** `--name=value` flags at the start of an instruction's arguments, and the index of the first other token. */
export function flags(args: readonly Token[]): { flags: Token[]; rest: number } {
  let i = 0
  while (i < args.length && args[i].text.startsWith('--')) i++
  return { flags: args.slice(0, i), rest: i }
}
