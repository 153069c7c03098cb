/**
 * The CLI's `-o` modes for listings, as `oc get` has them: table (default), wide (the columns OpenShift's printer
 * marks Priority 1), name (`resource/name` per line), json, yaml, and jsonpath=TEMPLATE (kubectl's JSONPath template
 * subset: `{.a.b}`, `{.items[0]}`, `{.items[*].metadata.name}`, `{"\n"}` literals, text outside braces kept).
 * `--no-headers` drops a table's header row. Pure: strings in, strings out.
 */
import { stringify } from 'yaml'
import { renderTable } from './table.js'

export type OutputMode = { kind: 'table' | 'wide' | 'name' | 'json' | 'yaml' } | { kind: 'jsonpath'; template: string }

export const OUTPUT_MODES = 'table, wide, name, json, yaml, jsonpath=TEMPLATE'

/** `-o` text → mode; throws with the accepted values (the CLI turns it into a usage error). */
export function parseOutputMode(text: string): OutputMode {
  if (['table', 'wide', 'name', 'json', 'yaml'].includes(text)) return { kind: text as 'table' }
  const m = /^jsonpath=(.*)$/s.exec(text)
  if (m) {
    if (!m[1]) throw new Error('jsonpath= needs a template, e.g. jsonpath={.items[*].metadata.name}')
    parseTemplate(m[1]) // refuse a bad template before any work
    return { kind: 'jsonpath', template: m[1] }
  }
  throw new Error(`"${text}" is not an output format; use one of ${OUTPUT_MODES}`)
}

/** A table, with or without its header row. */
export function renderRows(columns: string[], rows: string[][], headers: boolean): string {
  const text = renderTable(columns, rows)
  return headers ? text : text.slice(text.indexOf('\n') + 1)
}

/** json / yaml / jsonpath output of `data`; undefined for the table-like modes. */
export function renderData(mode: OutputMode, data: unknown): string | undefined {
  if (mode.kind === 'json') return `${JSON.stringify(data, null, 2)}\n`
  if (mode.kind === 'yaml') return stringify(data, { lineWidth: 0 })
  if (mode.kind === 'jsonpath') return renderJsonPath(mode.template, data)
  return undefined
}

type Part = { literal: string } | { path: Array<string | number | '*'> }

function parseTemplate(template: string): Part[] {
  const parts: Part[] = []
  let i = 0
  while (i < template.length) {
    const open = template.indexOf('{', i)
    if (open < 0) {
      parts.push({ literal: template.slice(i) })
      break
    }
    if (open > i) parts.push({ literal: template.slice(i, open) })
    const close = template.indexOf('}', open)
    if (close < 0) throw new Error(`jsonpath: unclosed { at column ${open + 1}`)
    parts.push(parseExpression(template.slice(open + 1, close).trim()))
    i = close + 1
  }
  return parts
}

function parseExpression(expr: string): Part {
  const literal = /^"((?:[^"\\]|\\.)*)"$/.exec(expr)
  if (literal) return { literal: JSON.parse(`"${literal[1]}"`) as string }
  const path: Array<string | number | '*'> = []
  const re = /\.([A-Za-z0-9_-]+)|\.\*|\[(\d+|\*|'[^']*')\]/y
  let at = expr.startsWith('$') ? 1 : 0
  while (at < expr.length) {
    re.lastIndex = at
    const m = re.exec(expr)
    if (!m) throw new Error(`jsonpath: cannot read "${expr}" at column ${at + 1} (supported: .field [n] [*] ['key'])`)
    const index = m[2]
    if (m[1] !== undefined) path.push(m[1])
    else if (index === undefined || index === '*') path.push('*')
    else path.push(index.startsWith("'") ? index.slice(1, -1) : Number(index))
    at = re.lastIndex
  }
  return { path }
}

function select(values: unknown[], step: string | number | '*'): unknown[] {
  return values.flatMap((v) => {
    if (v === null || typeof v !== 'object') return []
    if (step === '*') return Object.values(v as object)
    const next = (v as Record<string | number, unknown>)[step]
    return next === undefined ? [] : [next]
  })
}

/** kubectl's rendering: several results joined by a space; strings bare, other values as JSON. No final newline. */
export function renderJsonPath(template: string, data: unknown): string {
  return parseTemplate(template)
    .map((part) => {
      if ('literal' in part) return part.literal
      const found = part.path.reduce<unknown[]>((values, step) => select(values, step), [data])
      return found.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ')
    })
    .join('')
}
