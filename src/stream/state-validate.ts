/**
 * Schema validation of a parsed state file (ajv, compiled once from schema/imagestream.schema.json), with each
 * error mapped back to the YAML node it is about, so a person gets `file:line:column: field: what is expected`.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml'
import type { Diagnostic } from '../util/errors.js'
import { imageStreamSchema } from './state-schema.js'
import { lineColAt } from '../yaml/position.js'
import { imageStreamNameProblem } from '../reference/imagestream-name.js'

export type FieldPath = Array<string | number>

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

/** metav1.Time: Go's time.Parse(time.RFC3339, …), which takes fractional seconds and any zone offset. */
export function isRfc3339(s: string): boolean {
  const m = RFC3339.exec(s)
  if (!m) return false
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number)
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return month >= 1 && month <= 12 && day >= 1 && day <= days && hour <= 23 && minute <= 59 && second <= 59
}

let compiled: ValidateFunction | undefined

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true })
    ajv.addFormat('date-time', { type: 'string', validate: isRfc3339 })
    compiled = ajv.compile(imageStreamSchema)
  }
  return compiled
}

/** `spec.tags[1].from.name`; keys that are not identifiers are bracketed: `metadata.annotations["a/b"]`. */
export function formatFieldPath(path: FieldPath): string {
  let out = ''
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg
    else out += `[${JSON.stringify(seg)}]`
  }
  return out
}

function pointerToPath(pointer: string, data: unknown): FieldPath {
  if (!pointer) return []
  const path: FieldPath = []
  let cur: unknown = data
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(cur)) {
      path.push(Number(seg))
      cur = cur[Number(seg)]
    } else {
      path.push(seg)
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined
    }
  }
  return path
}

/** The YAML node at a field path (following aliases), and the pair whose key names it, when there is one. */
export function nodeAt(doc: Document, path: FieldPath): { node?: Node; key?: Node; parent?: Node } {
  let node = doc.contents as Node | null
  let key: Node | undefined
  let parent: Node | undefined
  for (const seg of path) {
    while (node && isAlias(node)) node = node.resolve(doc) as Node | null
    if (!node) return { parent }
    parent = node
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg)) as Pair | undefined
      if (!pair) return { parent }
      key = pair.key as Node
      node = pair.value as Node | null
    } else if (isSeq(node) && typeof seg === 'number') {
      key = undefined
      node = node.items[seg] as Node | null
    } else return { parent }
  }
  return { node: node ?? undefined, key, parent }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
  return `the ${typeof value} ${String(value)}`
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true or false)',
  object: 'a mapping',
  array: 'a list',
  null: 'null'
}

function typeName(t: unknown): string {
  const types = Array.isArray(t) ? t : [t]
  return types.map((x) => TYPE_NAMES[String(x)] ?? String(x)).join(' or ')
}

function message(error: ErrorObject, path: FieldPath, source?: string): string {
  const field = path[path.length - 1]
  switch (error.keyword) {
    case 'type': {
      const expected = typeName(error.params.type)
      const hint =
        String(error.params.type).includes('string') && error.data !== null && typeof error.data !== 'object'
          ? ` (YAML reads an unquoted ${source ?? String(error.data)} as a ${error.data === null ? 'null' : typeof error.data}; quote it: "${source ?? String(error.data)}")`
          : ''
      return `expected ${expected}, found ${describe(error.data)}${hint}`
    }
    case 'required':
      return `missing required field "${error.params.missingProperty as string}"`
    case 'additionalProperties': {
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {})
      const ours =
        path[0] === 'spec' || path[0] === 'status'
          ? '; OpenShift (kubectl strict validation) rejects unknown fields here, keep your own data in metadata.annotations'
          : ''
      return `unknown field "${error.params.additionalProperty as string}" (allowed: ${allowed.join(', ')})${ours}`
    }
    case 'const':
      return `must be ${JSON.stringify(error.params.allowedValue)}, found ${describe(error.data)}`
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, found ${describe(error.data)}`
    case 'pattern':
    case 'maxLength':
      if (path.join('.') === 'metadata.name') {
        const why = imageStreamNameProblem(String(error.data))
        return `${describe(error.data)} is not a valid ImageStream name: ${why} (lowercase letters and digits, joined by single ".", "_" or "-"; OpenShift's ValidateImageStreamName)`
      }
      if (path.join('.') === 'metadata.namespace') {
        return `${describe(error.data)} is not a valid namespace: use a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`
      }
      return `${error.message ?? 'is invalid'}`
    case 'format':
      return `expected an RFC 3339 time such as "2024-05-02T09:15:03Z", found ${describe(error.data)}`
    case 'minLength':
      return `${String(field)} must not be empty`
    default:
      return `${error.message ?? 'is invalid'}`
  }
}

export interface SchemaIssue {
  path: FieldPath
  message: string
  keyword: string
}

/** Schema errors of plain data (no positions): for checking a model before it is written. */
export function schemaIssues(data: unknown, sourceOf?: (path: FieldPath) => string | undefined): SchemaIssue[] {
  const validate = validator()
  if (validate(data)) return []
  const seen = new Set<string>()
  const issues: SchemaIssue[] = []
  for (const error of validate.errors ?? []) {
    const path = pointerToPath(error.instancePath, data)
    const full =
      error.keyword === 'required'
        ? [...path, error.params.missingProperty as string]
        : error.keyword === 'additionalProperties'
          ? [...path, error.params.additionalProperty as string]
          : path
    const msg = message(error, full, error.keyword === 'type' ? sourceOf?.(full) : undefined)
    const id = `${formatFieldPath(full)}\0${msg}`
    if (seen.has(id)) continue
    seen.add(id)
    issues.push({ path: full, message: msg, keyword: error.keyword })
  }
  return issues
}

/** Where a field is in the file: its key for unknown/mis-typed fields, the enclosing mapping for missing ones. */
export function locate(doc: Document, text: string, path: FieldPath): { line: number; column: number } {
  const { node, key, parent } = nodeAt(doc, path)
  const target = node?.range ? node : (key ?? parent)
  const offset = target?.range?.[0] ?? 0
  return lineColAt(text, offset)
}

/** Validates parsed data against the schema; diagnostics point at the offending nodes. */
export function validateDocument(doc: Document, text: string, data: unknown, file: string): Diagnostic[] {
  const sourceOf = (path: FieldPath) => {
    const { node } = nodeAt(doc, path)
    return isScalar(node) && node.type === 'PLAIN' && node.range ? text.slice(node.range[0], node.range[1]) : undefined
  }
  let issues = schemaIssues(data, sourceOf)
  // A wrong apiVersion/kind means "not an ImageStream": say that, not fifty unknown-field errors.
  const identity = issues.filter((i) => i.path.length === 1 && (i.path[0] === 'apiVersion' || i.path[0] === 'kind'))
  if (identity.length > 0) issues = identity
  return issues.map((issue) => {
    const pos =
      issue.keyword === 'required'
        ? locate(doc, text, issue.path.slice(0, -1))
        : issue.keyword === 'additionalProperties'
          ? keyPosition(doc, text, issue.path)
          : locate(doc, text, issue.path)
    return issueDiagnostic(file, pos, issue)
  })
}

/** An issue with a field path, as an error at its place in the file. */
export function issueDiagnostic(
  file: string,
  pos: { line: number; column: number },
  issue: { path: FieldPath; message: string }
): Diagnostic {
  return { severity: 'error', file, ...pos, field: formatFieldPath(issue.path), message: issue.message }
}

function keyPosition(doc: Document, text: string, path: FieldPath): { line: number; column: number } {
  const { key } = nodeAt(doc, path)
  return lineColAt(text, key?.range?.[0] ?? 0)
}
