/**
 * Marker comments: `# {"$imagestream": "[namespace/]stream:tag[:name|:tag|:digest]"}` at the end of the line of
 * the value to set, for everything the trigger annotation cannot reach (Helm values, kustomize `images:`,
 * Flux/Argo CRs, any YAML). The form follows Flux's `{"$imagepolicy": …}` setters, which users know.
 */
import type { ScalarStyle, StreamTagRef, TargetPart } from './types.js'
import { isValidTagName } from '../reference/reference.js'

export const MARKER_KEY = '$imagestream'

export interface MarkerCandidate {
  /** Offset of the `#` that starts the comment. */
  hash: number
  /** Offset of the line start and end (before any \r\n). */
  lineStart: number
  lineEnd: number
  /** 1-based line number. */
  line: number
  column: number
  body: string
}

/**
 * Lines that carry something that looks like a marker comment: `#` at the line start or after whitespace,
 * then `{` and the marker key. Whether the `#` is really a comment is the caller's question (YAML scalars).
 */
export function findMarkerCandidates(text: string): MarkerCandidate[] {
  const out: MarkerCandidate[] = []
  if (!text.includes(MARKER_KEY)) return out
  let lineStart = 0
  let line = 1
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart)
    if (lineEnd < 0) lineEnd = text.length
    const contentEnd = lineEnd > lineStart && text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd
    const content = text.slice(lineStart, contentEnd)
    if (content.includes(MARKER_KEY)) {
      const re = /(^|\s)#\s*\{\s*"\$imagestream"/g
      const m = re.exec(content)
      if (m) {
        const hashCol = m.index + m[1].length
        out.push({
          hash: lineStart + hashCol,
          lineStart,
          lineEnd: contentEnd,
          line,
          column: hashCol + 1,
          body: content.slice(hashCol + 1).trim()
        })
      }
    }
    if (lineEnd >= text.length) break
    lineStart = lineEnd + 1
    line++
  }
  return out
}

export type MarkerParse = { ok: true; from: StreamTagRef; part: TargetPart } | { ok: false; message: string }

const PARTS: Record<string, TargetPart> = { name: 'name', tag: 'tag', digest: 'digest' }
const NAME = /^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/

/** Parses the comment body `{"$imagestream": "…"}`. */
export function parseMarker(body: string): MarkerParse {
  const usage = 'write # {"$imagestream": "[namespace/]stream:tag"} (optionally ending in :name, :tag or :digest)'
  const close = body.lastIndexOf('}')
  let data: unknown
  try {
    data = JSON.parse(body.slice(0, close + 1))
  } catch {
    return { ok: false, message: `the marker comment is not valid JSON; ${usage}` }
  }
  const value = (data as Record<string, unknown>)?.[MARKER_KEY]
  if (typeof value !== 'string') return { ok: false, message: `"${MARKER_KEY}" must be a string; ${usage}` }
  let rest = value
  let namespace: string | undefined
  const slash = rest.indexOf('/')
  if (slash >= 0) {
    namespace = rest.slice(0, slash)
    rest = rest.slice(slash + 1)
  }
  const parts = rest.split(':')
  let part: TargetPart = 'reference'
  if (parts.length === 3 && PARTS[parts[2]]) part = PARTS[parts[2]]
  else if (parts.length !== 2)
    return { ok: false, message: `"${value}" is not [namespace/]stream:tag[:name|:tag|:digest]; ${usage}` }
  const [stream, tag] = parts
  if (namespace !== undefined && !NAME.test(namespace))
    return { ok: false, message: `"${namespace}" is not a valid namespace in "${value}"` }
  if (!NAME.test(stream)) return { ok: false, message: `"${stream}" is not a valid image stream name in "${value}"` }
  if (!isValidTagName(tag)) return { ok: false, message: `"${tag}" is not a valid tag in "${value}"` }
  return { ok: true, from: { namespace, stream, tag }, part }
}

export type LineToken =
  { ok: true; start: number; end: number; value: string; style: ScalarStyle } | { ok: false; message: string }

/**
 * For files that are not YAML (Helm templates): the value token on the marker's line, before the comment —
 * the last quoted string or bare word after `key:` or `- `. Template expressions are never rewritten.
 */
export function lineValueToken(text: string, c: MarkerCandidate): LineToken {
  const before = text.slice(c.lineStart, c.hash)
  const m = /(?:^\s*-\s+|:\s+|^\s*)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s"'#=]+)\s+$/.exec(before)
  if (!m) {
    if (/\{\{|\}\}/.test(before))
      return {
        ok: false,
        message: 'the value on this line is a template expression; markers rewrite literal values only'
      }
    return { ok: false, message: 'no value before the marker comment on this line' }
  }
  const token = m[1]
  const start = c.lineStart + m.index + m[0].length - token.length - (m[0].length - m[0].trimEnd().length)
  const end = start + token.length
  if (/\{\{|\}\}/.test(token))
    return {
      ok: false,
      message: 'the value on this line is a template expression; markers rewrite literal values only'
    }
  if (token.startsWith('"')) {
    try {
      return { ok: true, start, end, value: JSON.parse(token) as string, style: 'double' }
    } catch {
      return { ok: false, message: 'the double-quoted value on this line uses escapes other than JSON ones' }
    }
  }
  if (token.startsWith("'"))
    return { ok: true, start, end, value: token.slice(1, -1).replace(/''/g, "'"), style: 'single' }
  return { ok: true, start, end, value: token, style: 'plain' }
}
