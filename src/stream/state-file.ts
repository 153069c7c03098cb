/**
 * ImageStream state files: one `image.openshift.io/v1` ImageStream per YAML file, the object as the API server
 * would store it (openshift/api image/v1/types.go). Reading is strict — anything kubectl's strict validation or OpenShift would reject is a
 * Diagnostic with file:line:column and the field — and writing changes only what changed (see state-render.ts).
 * Pure: text in, data out. File I/O lives in state-store.ts.
 */
import { isPair, isScalar, isSeq, parseAllDocuments, visit, type Document, type Node } from 'yaml'
import { InputError, type Diagnostic } from '../util/errors.js'
import { API_VERSION, KIND, type ImageStream } from './types.js'
import { renderFresh, renderOnto, type RenderMethod } from './state-render.js'
import { semanticIssues } from './state-semantics.js'
import {
  formatFieldPath,
  issueDiagnostic,
  locate,
  nodeAt,
  schemaIssues,
  validateDocument,
  type FieldPath
} from './state-validate.js'
import { isJsonObjectText } from '../yaml/json-style.js'
import type { StreamDocument } from './state-documents.js'
import { MAX_ALIAS_COUNT, MAX_FILE_BYTES, READ_OPTIONS, TO_JS_OPTIONS } from './yaml-text.js'
import { lineColAt } from '../yaml/position.js'

export { MAX_FILE_BYTES, MAX_ALIAS_COUNT }
export type { FieldPath }

export const SCHEMA_URL =
  'https://raw.githubusercontent.com/imagestream-action/imagestream-action/v1/schema/imagestream.schema.json'
/** First line of every file the tool creates: editors with the YAML language server validate against the schema. */
export const MODELINE = `# yaml-language-server: $schema=${SCHEMA_URL}`

export interface ParsedStreamFile {
  stream?: ImageStream
  document?: Document.Parsed
  diagnostics: Diagnostic[]
}

/** An error about the file as a whole, reported at its start. */
function fileDiag(file: string, message: string): Diagnostic {
  return { severity: 'error', file, line: 1, column: 1, message }
}

function diag(file: string, text: string, offset: number, message: string, field?: string): Diagnostic {
  const { line, column } = lineColAt(text, offset)
  return { severity: 'error', file, line, column, ...(field ? { field } : {}), message }
}

/** The field path of the innermost pair holding `offset` (for parser errors such as duplicate keys). */
function fieldAtOffset(doc: Document, offset: number): string | undefined {
  let best: FieldPath | undefined
  visit(doc, {
    Pair(_, pair, ancestors) {
      const key = pair.key as Node | null
      const end = (pair.value as Node | null)?.range?.[2] ?? key?.range?.[2]
      if (!key?.range || end === undefined || offset < key.range[0] || offset > end) return
      const path: FieldPath = []
      ancestors.forEach((n, i) => {
        if (isPair(n) && isScalar(n.key)) path.push(String(n.key.value))
        else if (isSeq(n)) path.push(n.items.indexOf(ancestors[i + 1] ?? pair))
      })
      if (isScalar(key)) path.push(String(key.value))
      if (!best || path.length >= best.length) best = path
    }
  })
  return best && best.length > 0 ? formatFieldPath(best) : undefined
}

const YAML_MESSAGES: Record<string, string> = {
  DUPLICATE_KEY: 'duplicate key: each field may appear only once in a mapping',
  MULTIPLE_DOCS: 'a state file holds exactly one ImageStream; move the other YAML document to its own file',
  BAD_ALIAS: 'unknown alias',
  TAB_AS_INDENT: 'tabs are not allowed as indentation in YAML; indent with spaces'
}

/** Keys must be strings: JSON (and so the API server) has no other kind. */
function nonStringKeys(doc: Document.Parsed, text: string, file: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = []
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as Node | null
      if (!isScalar(key) || typeof key.value !== 'string') {
        const shown = isScalar(key) ? String(key.value) : 'a collection'
        diagnostics.push(
          diag(
            file,
            text,
            key?.range?.[0] ?? 0,
            `keys must be strings; YAML reads ${shown} as a ${isScalar(key) ? (key.value === null ? 'null' : typeof key.value) : 'collection'}: quote it`,
            fieldAtOffset(doc, key?.range?.[0] ?? 0)
          )
        )
      }
    }
  })
  return diagnostics
}

/** The document's data; an alias bomb (or any other conversion failure) is a diagnostic, not a crash. */
function toData(doc: Document.Parsed, file: string): { data: unknown } | { diagnostics: Diagnostic[] } {
  try {
    return { data: doc.toJS(TO_JS_OPTIONS) as unknown }
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err)
    const aliases = /alias/i.test(msg)
    return {
      diagnostics: [
        fileDiag(
          file,
          aliases
            ? `YAML aliases expand to too much data (over ${MAX_ALIAS_COUNT} alias expansions); write the values out`
            : `YAML: ${msg}`
        )
      ]
    }
  }
}

/**
 * Parses and validates one state file. A bad file yields diagnostics and no stream; it never throws for bad input.
 * The returned `stream` is the file's data (with `spec: {}` when the file has no spec). `parsed` is the text's
 * `parseAllDocuments(text, READ_OPTIONS)` when the caller already has it (loading a file parsed it to learn its
 * kind): a stream file is then parsed once, not twice.
 */
export function parseStreamFile(text: string, file: string, parsed?: readonly Document.Parsed[]): ParsedStreamFile {
  const diagnostics: Diagnostic[] = []
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > MAX_FILE_BYTES) {
    return {
      diagnostics: [fileDiag(file, `file is ${bytes} bytes, over the ${MAX_FILE_BYTES}-byte limit for a state file`)]
    }
  }

  const docs = parsed ?? parseAllDocuments(text, READ_OPTIONS)
  if (!Array.isArray(docs) || docs.length === 0 || docs[0].contents === null) {
    return {
      diagnostics: [fileDiag(file, 'file is empty; expected an image.openshift.io/v1 ImageStream')]
    }
  }
  if (docs.length > 1) {
    const second = docs[1].range[0]
    return { diagnostics: [diag(file, text, second, YAML_MESSAGES.MULTIPLE_DOCS)] }
  }
  const doc = docs[0]
  for (const problem of [...doc.errors, ...doc.warnings]) {
    const offset = problem.pos[0]
    const base = YAML_MESSAGES[problem.code] ?? problem.message.split('\n')[0]
    diagnostics.push(diag(file, text, offset, `YAML: ${base}`, fieldAtOffset(doc, offset)))
  }
  if (diagnostics.length > 0) return { diagnostics }

  diagnostics.push(...nonStringKeys(doc, text, file))
  if (diagnostics.length > 0) return { diagnostics }

  const converted = toData(doc, file)
  if ('diagnostics' in converted) return converted
  const data = converted.data
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      diagnostics: [
        diag(
          file,
          text,
          (doc.contents as Node | null)?.range?.[0] ?? 0,
          'expected an image.openshift.io/v1 ImageStream mapping at the top of the file'
        )
      ]
    }
  }

  diagnostics.push(...validateDocument(doc, text, data, file))
  if (diagnostics.length > 0) return { diagnostics }

  const stream = data as ImageStream
  diagnostics.push(...duplicateNames(doc, text, file, stream))
  if (diagnostics.length > 0) return { diagnostics }
  for (const issue of semanticIssues(stream)) {
    diagnostics.push(issueDiagnostic(file, locate(doc, text, issue.path), issue))
  }
  if (diagnostics.length > 0) return { diagnostics }

  if (!stream.spec) stream.spec = {}
  return { stream, document: doc, diagnostics }
}

function duplicateNames(doc: Document, text: string, file: string, stream: ImageStream): Diagnostic[] {
  const out: Diagnostic[] = []
  const check = (list: Array<Record<string, unknown>> | undefined, base: FieldPath, key: string, what: string) => {
    const first = new Map<unknown, number>()
    list?.forEach((entry, i) => {
      const name = entry[key]
      const seen = first.get(name)
      if (seen === undefined) {
        first.set(name, i)
        return
      }
      const path = [...base, i, key]
      const earlier = locate(doc, text, [...base, seen, key])
      const { line, column } = locate(doc, text, path)
      out.push({
        severity: 'error',
        file,
        line,
        column,
        field: formatFieldPath(path),
        message: `duplicate ${what} ${JSON.stringify(name)} (first at line ${earlier.line}); each ${what} may appear once`
      })
    })
  }
  check(stream.spec?.tags as unknown as Array<Record<string, unknown>>, ['spec', 'tags'], 'name', 'spec tag name')
  check(stream.status?.tags as unknown as Array<Record<string, unknown>>, ['status', 'tags'], 'tag', 'status tag')
  return out
}

/**
 * Where a field is in a parsed file, for diagnostics about valid-but-wrong content (e.g. an OpenShift rule):
 * `fieldLocation(loaded, ['spec', 'tags', 2, 'from', 'name'])`. Falls back to the nearest existing parent.
 */
export function fieldLocation(
  file: { file?: string; text: string; document: Document },
  path: FieldPath
): { file?: string; line: number; column: number; field: string } {
  let probe = path
  while (probe.length > 0 && !nodeAt(file.document, probe).node) probe = probe.slice(0, -1)
  const { line, column } = locate(file.document, file.text, probe)
  return { ...(file.file !== undefined ? { file: file.file } : {}), line, column, field: formatFieldPath(path) }
}

/**
 * The line:column of a field named as a rule names it (`spec.tags[2].from.name`), for an error a rule raised about
 * a stream it was given as an object; `lineOffset` is where the stream's document starts in its file.
 */
export function locateField(
  file: { text: string; document?: Document },
  field: string,
  lineOffset = 0
): { line: number; column: number } | undefined {
  if (!file.document) return undefined
  const path: FieldPath = field
    .split(/[.[\]]/)
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p))
  const at = fieldLocation({ text: file.text, document: file.document }, path)
  return { line: at.line + lineOffset, column: at.column }
}

/** Throws (a programming error, not bad input) when a model would not pass our own reader. */
export function assertWritable(next: ImageStream): void {
  const issues = schemaIssues(JSON.parse(JSON.stringify(next)))
  if (issues.length > 0) {
    const [first] = issues
    throw new Error(`refusing to write an invalid ImageStream: ${formatFieldPath(first.path)}: ${first.message}`)
  }
  for (const [list, key] of [
    [next.spec?.tags, 'name'],
    [next.status?.tags, 'tag']
  ] as const) {
    const names = (list ?? []).map((t) => (t as unknown as Record<string, unknown>)[key])
    if (new Set(names).size !== names.length) throw new Error(`refusing to write an ImageStream with duplicate ${key}s`)
  }
}

/**
 * The text of a state file holding `next`. With the original file, only what changed is rewritten (comments,
 * order, quoting, flow/block style, CRLF and a missing final newline are kept) and an unchanged stream returns
 * the original text itself. Without one, a fresh file: the modeline, then Go's field order.
 */
export function renderStreamFile(original: RenderOriginal | undefined, next: ImageStream): string {
  if (original?.part) {
    const { part } = original
    if (part.index < 0) {
      throw new InputError(
        'this stream is an item of a List: read, but not written; move it to a file of its own to update it'
      )
    }
    // Only this document's text is rendered; the file is every document's current text, joined again.
    const text = renderStreamFileDetailed({ text: original.text, document: original.document }, next).text
    part.file.parts[part.index] = text
    return part.file.parts.join('')
  }
  return renderStreamFileDetailed(original, next).text
}

/** A file (or, with `part`, one document of a file holding several) as read, to write a stream onto. */
export interface RenderOriginal {
  text: string
  document?: Document
  part?: StreamDocument['part']
}

export function renderStreamFileDetailed(
  original: { text: string; document?: Document } | undefined,
  next: ImageStream
): { text: string; method: RenderMethod | 'new' } {
  assertWritable(next)
  if (!original) return { text: renderFresh(`${MODELINE}\n`, next), method: 'new' }
  // A byte order mark is not part of the document: the file changes exactly as it would without one.
  if (original.text.startsWith('\uFEFF') && !isJsonObjectText(original.text)) {
    const inner = renderStreamFileDetailed({ text: original.text.slice(1) }, next)
    return { text: inner.method === 'unchanged' ? original.text : `\uFEFF${inner.text}`, method: inner.method }
  }
  // A document given with the text must be its untouched parse (as parseStreamFile/loadStreams return it): reusing
  // it saves a parse per file. Without one, the text is parsed here. Either way the result is re-parsed to verify.
  let doc = original.document as Document.Parsed | undefined
  if (!doc) {
    const docs = parseAllDocuments(original.text, READ_OPTIONS)
    doc = Array.isArray(docs) && docs.length === 1 ? docs[0] : undefined
  }
  if (!doc || doc.errors.length > 0) throw new Error('renderStreamFile: the original text is not a readable state file')
  return renderOnto(original.text, doc, next)
}

/** A new stream file's text: `oc create imagestream NAME` as a file, with the schema modeline. */
export function newStreamFile(name: string, namespace?: string): string {
  const stream: ImageStream = {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { lookupPolicy: { local: false } }
  }
  const issues = schemaIssues(stream).filter((i) => i.path[0] === 'metadata')
  if (issues.length > 0) throw new InputError(issues[0].message, { field: formatFieldPath(issues[0].path) })
  return renderStreamFile(undefined, stream)
}
