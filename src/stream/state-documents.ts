/**
 * Streams wherever `oc apply -f` finds them: several ImageStream documents in one file (cluster-samples-operator),
 * a stream next to its Deployment (packit), or a `v1 List` of ImageStreams. Each stream document is read by the
 * same strict reader as a one-stream file and written back in place: the file is cut at its `---` lines into one
 * text per document, a write renders only its own document's text, and the file is those texts joined again, so
 * every other byte (other documents, comments between them) is kept. Documents of other kinds are skipped.
 */
import { parseAllDocuments, type Document } from 'yaml'
import type { Diagnostic } from '../util/errors.js'
import { isJsonObjectText } from '../yaml/json-style.js'
import { READ_OPTIONS } from './yaml-text.js'
import { lineColAt } from '../yaml/position.js'
import { parseStreamFile, type ParsedStreamFile } from './state-file.js'

/** A file holding several documents; `parts` are the current texts of its documents, joined they are the file. */
export interface SharedFile {
  parts: string[]
}

export interface StreamDocument extends ParsedStreamFile {
  /** The text of this document alone (the whole file for a one-document file). */
  text: string
  /** Set when the file holds other documents too: which part of the shared file this stream is. */
  part?: { file: SharedFile; index: number; line: number }
}

export interface DocumentsResult {
  streams: StreamDocument[]
  diagnostics: Diagnostic[]
  /** Documents that are not ImageStreams, by file:line and kind (a debug line each, not an error). */
  skipped: Array<{ line: number; kind: string }>
}

function kindOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string'
    ? (value as { kind: string }).kind
    : undefined
}

/** Diagnostics of a document read alone, moved to their line in the whole file. */
function shifted(diagnostics: Diagnostic[], lines: number): Diagnostic[] {
  return diagnostics.map((d) => (d.line === undefined || lines === 0 ? d : { ...d, line: d.line + lines }))
}

/** Reads every ImageStream in a file. A one-document ImageStream file reads exactly as parseStreamFile reads it. */
export function parseStreamDocuments(text: string, file: string): DocumentsResult {
  const json = isJsonObjectText(text)
  const docs = json ? [] : parseAllDocuments(text, READ_OPTIONS)
  const list = Array.isArray(docs) ? docs : [docs]
  const one = list.length <= 1
  if (one || list.some((d) => d.errors.length > 0)) {
    // The documents just parsed are the ones the strict reader would parse again: it is handed them (one parse of
    // a stream file, not three; loading the streams was most of an import's YAML time).
    const value = one ? (json ? firstValue(text) : firstDocumentValue(list)) : undefined
    const kind = kindOf(value)
    if (kind === 'List') return listStreams(text, file, value)
    if (kind !== undefined && kind !== 'ImageStream') {
      return { streams: [], diagnostics: [], skipped: [{ line: 1, kind }] }
    }
    const parsed = parseStreamFile(text, file, json ? undefined : list)
    return { streams: parsed.stream ? [{ ...parsed, text }] : [], diagnostics: parsed.diagnostics, skipped: [] }
  }
  const starts = list.map((d, i) => (i === 0 ? 0 : d.range[0]))
  const shared: SharedFile = { parts: starts.map((s, i) => text.slice(s, starts[i + 1] ?? text.length)) }
  const result: DocumentsResult = { streams: [], diagnostics: [], skipped: [] }
  list.forEach((doc, index) => {
    const line = lineColAt(text, starts[index]).line - 1
    const kind = kindOf(doc.contents === null ? null : safeJS(doc))
    if (doc.contents === null) return
    if (kind !== 'ImageStream') {
      const at = doc.contents.range?.[0] ?? starts[index]
      result.skipped.push({ line: lineColAt(text, at).line, kind: kind ?? 'unknown' })
      return
    }
    const partText = shared.parts[index]
    const parsed = parseStreamFile(partText, file)
    result.diagnostics.push(...shifted(parsed.diagnostics, line))
    if (parsed.stream) result.streams.push({ ...parsed, text: partText, part: { file: shared, index, line } })
  })
  return result
}

function safeJS(doc: Document): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 })
  } catch {
    return undefined
  }
}

function firstValue(text: string): unknown {
  if (isJsonObjectText(text)) {
    try {
      return JSON.parse(text.replace(/^\uFEFF/, ''))
    } catch {
      return undefined
    }
  }
  const docs = parseAllDocuments(text, READ_OPTIONS)
  return firstDocumentValue(Array.isArray(docs) ? docs : [])
}

function firstDocumentValue(docs: readonly Document.Parsed[]): unknown {
  const doc = docs[0]
  return doc && doc.errors.length === 0 ? safeJS(doc) : undefined
}

/**
 * `kind: List` (what `oc get is -o yaml` prints): each ImageStream item is checked by the strict reader. Items are
 * read, not written: a write to a stream in a List is refused by renderStreamFile with a clear message.
 */
function listStreams(text: string, file: string, list: unknown): DocumentsResult {
  const value = list as { items?: unknown }
  const result: DocumentsResult = { streams: [], diagnostics: [], skipped: [] }
  const items = Array.isArray(value?.items) ? value.items : []
  items.forEach((item, i) => {
    const kind = kindOf(item)
    if (kind !== 'ImageStream') {
      result.skipped.push({ line: 1, kind: `List item ${i} (${kind ?? 'unknown'})` })
      return
    }
    const itemText = `${JSON.stringify(item, null, 2)}\n`
    const parsed = parseStreamFile(itemText, file)
    const field = `items[${i}]`
    const inList = (d: Diagnostic) => ({ ...d, line: undefined, column: undefined, field: `${field}.${d.field ?? ''}` })
    result.diagnostics.push(...parsed.diagnostics.map(inList))
    // A negative index marks a List item: renderStreamFile refuses to write it.
    const part = { file: { parts: [] }, index: -1 - i, line: 0 }
    if (parsed.stream) result.streams.push({ ...parsed, text: itemText, part })
  })
  return result
}
