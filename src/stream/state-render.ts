/**
 * Format-preserving writes of a state file. The old file's data and the new model are compared structurally, and
 * each difference becomes a splice of the original text at the positions the YAML parser reports: a changed
 * scalar is rewritten in place (keeping its quoting when it can), a new key is inserted where Go's field order
 * (or the file's alphabetical order) puts it, a removed key or list item loses exactly its lines, a new TagEvent
 * becomes new lines above the old ones. Everything else — comments, blank lines, key order, flow or block style,
 * alignment, CRLF, a missing final newline — is the untouched original text.
 *
 * Every result is parsed back (the entries the edits touched, or the whole text: state-readback.ts) and compared
 * with the model before it is returned. If a fine-grained edit cannot be made safely (anchors and aliases, odd
 * layouts), the writer falls back to replacing whole top-level sections, and at last to a fresh rendering that keeps
 * the file's leading comments.
 */
import { isMap, isSeq, visit, type Document, type Node, type Pair } from 'yaml'
import { imageStreamShape } from './state-shape.js'
import { deepEqual, DEFAULT_FORMAT, emitDocument, TO_JS_OPTIONS, type TextFormat } from './yaml-text.js'
import { readsBackAfterSplices, readsBackWhole } from './state-readback.js'
import { columnOf, lineEnding } from '../yaml/position.js'
import { isJsonObjectText, renderJsonLike } from '../yaml/json-style.js'
import { diffValue } from './state-diff.js'
import { normalizeForWrite, type Obj } from './state-normalize.js'
import { Splicer, Unsupported } from './state-splice.js'

export type RenderMethod = 'unchanged' | 'edit' | 'sections' | 'json' | 'fresh'

/** The file's own conventions, for the lines the writer adds. */
export function detectFormat(text: string, doc: Document): TextFormat {
  const fmt: Partial<TextFormat> = { eol: lineEnding(text) }
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as Node | null
      const value = pair.value as Node | null
      if (!key?.range || !value?.range) return
      const keyCol = columnOf(text, key.range[0])
      if (isMap(value) && !value.flow && value.items.length > 0 && fmt.mapIndent === undefined) {
        const childKey = (value.items[0] as Pair).key as Node | null
        if (childKey?.range) fmt.mapIndent = columnOf(text, childKey.range[0]) - keyCol
      }
      if (isSeq(value) && !value.flow && value.items.length > 0 && fmt.seqIndent === undefined) {
        fmt.seqIndent = columnOf(text, value.range[0]) - keyCol
      }
    },
    Map(_, map) {
      if (map.flow && map.items.length > 0 && map.range && fmt.flowPadding === undefined)
        fmt.flowPadding = text[map.range[0] + 1] === ' '
    },
    Seq(_, seq) {
      if (seq.flow && seq.items.length > 0 && seq.range && fmt.flowPadding === undefined)
        fmt.flowPadding = text[seq.range[0] + 1] === ' '
    }
  })
  const mapIndent =
    fmt.mapIndent !== undefined && fmt.mapIndent >= 1 && fmt.mapIndent <= 8 ? fmt.mapIndent : DEFAULT_FORMAT.mapIndent
  const seqIndent =
    fmt.seqIndent !== undefined && fmt.seqIndent >= 0 && fmt.seqIndent <= 8 ? fmt.seqIndent : DEFAULT_FORMAT.seqIndent
  return {
    eol: fmt.eol as TextFormat['eol'],
    mapIndent,
    seqIndent,
    flowPadding: fmt.flowPadding ?? DEFAULT_FORMAT.flowPadding
  }
}

/** The leading comment and blank lines of a file (the modeline, a license header), kept by a fresh rendering. */
function leadingComments(text: string): string {
  const match = /^(?:\uFEFF)?(?:[ \t]*(?:#[^\n]*)?\r?\n)*/.exec(text)
  return match ? match[0] : ''
}

export interface RenderResult {
  text: string
  method: RenderMethod
}

/**
 * Writes `next` onto the text of `original` (parsed as `doc`, whose data is `oldData`). `expected` is the
 * normalized model; the result always re-parses to it.
 */
export function renderOnto(text: string, doc: Document.Parsed, next: unknown): RenderResult {
  const oldData = doc.toJS(TO_JS_OPTIONS) as unknown
  const expected = normalizeForWrite(oldData, next, imageStreamShape)
  if (deepEqual(oldData, expected)) return { text, method: 'unchanged' }
  if (isJsonObjectText(text)) {
    const json = renderJsonLike(text, oldData, expected)
    if (!readsBackWhole(json, expected))
      throw new Error('internal error: the rendered stream does not read back as written')
    return { text: json, method: 'json' }
  }
  const fmt = detectFormat(text, doc)

  for (const coarse of [false, true]) {
    try {
      const sp = new Splicer(text, fmt, coarse)
      diffValue(sp, doc.contents as Node, oldData, expected, imageStreamShape, { kind: 'root' }, [], 0)
      const out = sp.apply()
      if (readsBackAfterSplices(text, doc, oldData, sp.edits, out, expected))
        return { text: out, method: coarse ? 'sections' : 'edit' }
    } catch (err) {
      if (!(err instanceof Unsupported)) throw err
    }
  }

  const endsWithEol = /\n$/.test(text)
  let fresh =
    leadingComments(text) +
    emitDocument(expected as Obj, imageStreamShape, {
      ...DEFAULT_FORMAT,
      eol: fmt.eol,
      seqIndent: fmt.seqIndent,
      mapIndent: fmt.mapIndent
    })
  if (!endsWithEol) fresh = fresh.replace(/\r?\n$/, '')
  if (!readsBackWhole(fresh, expected))
    throw new Error('internal error: the rendered stream does not read back as written')
  return { text: fresh, method: 'fresh' }
}

/** A new file's text: the modeline, then the stream in Go's field order. */
export function renderFresh(header: string, next: unknown): string {
  const expected = normalizeForWrite(undefined, next, imageStreamShape) as Obj
  const text = header + emitDocument(expected, imageStreamShape)
  if (!readsBackWhole(text, expected))
    throw new Error('internal error: the rendered stream does not read back as written')
  return text
}
