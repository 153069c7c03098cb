/**
 * The read-back check of a rendered stream file: the new text must parse, as kubectl reads it, to exactly the model
 * the writer meant, or the write is refused. A file is one top-level block mapping (apiVersion, kind, metadata, spec,
 * status), and an import's splices touch one or two of its entries; re-parsing only those entries, and comparing the
 * untouched ones as data, gives the same answer as re-parsing the whole file at a fraction of the cost.
 *
 * Why a touched run of entries can be parsed on its own: it starts at a line start at column 0 after an untouched
 * entry, which ended there in the original too; it must parse alone to a block mapping whose keys stand at column 0
 * and end with a line break before the next untouched key, so no scalar, flow collection or block is left open
 * across either edge. Anchors, aliases and directives carry state across entries: any of them means a whole parse.
 */
import { isMap, isScalar, parseDocument, type Document, type Node, type Pair } from 'yaml'
import { deepEqual, READ_OPTIONS, TO_JS_OPTIONS } from './yaml-text.js'
import { columnOf, lineStartOf } from '../yaml/position.js'
import type { Splice } from '../yaml/splice.js'

const VERIFY_OPTIONS = { ...READ_OPTIONS, keepSourceTokens: false }

function parseData(text: string): { ok: true; data: unknown; doc: Document.Parsed } | { ok: false } {
  const doc = parseDocument(text, VERIFY_OPTIONS)
  if (doc.errors.length > 0) return { ok: false }
  try {
    return { ok: true, data: doc.toJS(TO_JS_OPTIONS) as unknown, doc }
  } catch {
    return { ok: false }
  }
}

/** Whether `text`, parsed whole, is the model `expected`. */
export function readsBackWhole(text: string, expected: unknown): boolean {
  const parsed = parseData(text)
  return parsed.ok && deepEqual(parsed.data, expected)
}

interface Entry {
  key: string
  start: number
  end: number
  /** New entries added after the last one (an import's first `status:`): nothing of the original to compare. */
  added?: boolean
}

/**
 * Lines inserted at a line start, themselves starting at column 0, begin a top-level entry of their own: they touch
 * the entry they are inserted before (or are added after the last one), not the one that ends there.
 */
function startsEntry(text: string, s: Splice): boolean {
  return s.start === s.end && s.text !== '' && !/^[ \t]/.test(s.text) && (s.start === 0 || text[s.start - 1] === '\n')
}

function touches(text: string, s: Splice, e: Entry, starts: ReadonlySet<number>): boolean {
  if (startsEntry(text, s) && starts.has(s.start)) return s.start === e.start
  return !e.added && s.start <= e.end && s.end >= e.start
}

/** The top-level entries of a plain block-mapping document, each from its key's line to the next key's line. */
function topLevelEntries(text: string, doc: Document.Parsed): Entry[] | undefined {
  const root = doc.contents as Node | null
  if (!isMap(root) || root.flow) return undefined
  if (/^%/m.test(text) || /[&*]/.test(text)) return undefined
  const entries: Entry[] = []
  for (const item of root.items as Pair[]) {
    const key = item.key as Node | null
    if (!isScalar(key) || key.type !== 'PLAIN' || typeof key.value !== 'string' || !key.range) return undefined
    if (columnOf(text, key.range[0]) !== 0) return undefined
    entries.push({ key: key.value, start: lineStartOf(text, key.range[0]), end: text.length })
  }
  for (let i = 0; i + 1 < entries.length; i++) entries[i].end = entries[i + 1].start
  return entries.length > 0 ? entries : undefined
}

/** Where an offset of the original text lands in the spliced text, counting the splices wholly before it. */
function shifted(offset: number, splices: readonly Splice[], inclusive: boolean): number {
  let out = offset
  for (const s of splices) {
    if (s.end < offset || (inclusive && s.start <= offset)) out += s.text.length - (s.end - s.start)
  }
  return out
}

/** A touched run [from, to] of entries, parsed alone from `out`: its data, or undefined when it cannot stand alone. */
function runData(out: string, entries: Entry[], from: number, to: number, splices: readonly Splice[]) {
  const start = shifted(entries[from].start, splices, false)
  const end = shifted(entries[to].end, splices, true)
  const chunk = out.slice(start, end)
  if (end < out.length && !chunk.endsWith('\n')) return undefined
  const parsed = parseData(chunk)
  if (!parsed.ok || !isMap(parsed.doc.contents) || parsed.doc.contents.flow) return undefined
  const items = parsed.doc.contents.items as Pair[]
  for (const item of items) {
    const key = item.key as Node | null
    if (!key?.range || columnOf(chunk, key.range[0]) !== 0) return undefined
  }
  // Only blank and comment lines before the first key: nothing that would continue the entry above it in place.
  const first = (items[0]?.key as Node | null)?.range?.[0] ?? chunk.length
  if (!/^(?:[ \t]*(?:#[^\n]*)?\n)*$/.test(chunk.slice(0, first))) return undefined
  const data = parsed.data
  return typeof data === 'object' && data !== null && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : undefined
}

/**
 * Whether `out` — `text` (parsed as `doc`, whose data is `oldData`) with `splices` applied — reads back as
 * `expected`. The touched entries are parsed again; where they cannot be judged alone, the whole text is.
 */
export function readsBackAfterSplices(
  text: string,
  doc: Document.Parsed,
  oldData: unknown,
  splices: readonly Splice[],
  out: string,
  expected: unknown
): boolean {
  const entries = topLevelEntries(text, doc)
  const exp = expected as Record<string, unknown>
  const old = oldData as Record<string, unknown>
  if (!entries || typeof exp !== 'object' || exp === null || splices.some((s) => s.start < entries[0].start)) {
    return readsBackWhole(out, expected)
  }
  if (text.endsWith('\n') && splices.some((s) => startsEntry(text, s) && s.start === text.length)) {
    entries.push({ key: '', start: text.length, end: text.length, added: true })
  }
  const starts = new Set(entries.map((e) => e.start))
  const touched = entries.map((e) => splices.some((s) => touches(text, s, e, starts)))
  const seen = new Set<string>()
  for (let i = 0; i < entries.length; i++) {
    if (!touched[i]) {
      const key = entries[i].key
      if (seen.has(key) || !(key in exp) || !deepEqual(old[key], exp[key])) return readsBackWhole(out, expected)
      seen.add(key)
      continue
    }
    let j = i
    while (j + 1 < entries.length && touched[j + 1]) j++
    const data = runData(out, entries, i, j, splices)
    if (!data) return readsBackWhole(out, expected)
    for (const [key, value] of Object.entries(data)) {
      if (seen.has(key) || !(key in exp) || !deepEqual(value, exp[key])) return readsBackWhole(out, expected)
      seen.add(key)
    }
    i = j
  }
  return seen.size === Object.keys(exp).filter((k) => exp[k] !== undefined).length || readsBackWhole(out, expected)
}
