/**
 * One scalar's source text: whether a string may stand unquoted, and how to quote it when it may not. Shared by the
 * stream-file writer and the manifest rewriter, so both write a value the same way.
 *
 * "Plain-safe" means: written without quotes, as a value or a key, in block context (and in flow context when asked),
 * the string reads back as that same string under every reader that meets these files: go-yaml v2 (what `oc` and
 * `kubectl` use through sigs.k8s.io/yaml), YAML 1.2 core (editors, yq, this project's manifest reader) and YAML 1.1
 * (the `yaml` library's 1.1 schema, PyYAML-style tools). It is decided by the string's shape alone — no parse — from
 * the rules of go-yaml v2's scanner (scannerc.go yaml_parser_fetch_next_token, yaml_parser_scan_plain_scalar) and
 * resolver (resolve.go resolve), and the `yaml` library's 1.1 and core schema tags.
 */

export type ScalarStyle = 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED'

// Characters YAML cannot hold raw in a scalar (C0/C1 controls, DEL, BOM, surrogates, line separators, U+FFFE/F):
// go-yaml v2's reader refuses them ("control characters are not allowed") and YAML 1.2's c-printable excludes them.
// A surrogate only when it is alone (the `u` flag): a pair is one astral character, which YAML holds raw.
const NEEDS_ESCAPE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]/u
const NEEDS_ESCAPE_GLOBAL = new RegExp(NEEDS_ESCAPE.source, 'gu')
const LINE_OR_TAB = /[\n\r\t]/

// ---------------------------------------------------------------------------------------------------------------
// What a plain scalar resolves to

// go-yaml v2 resolveMap and the yaml 1.1 bool/null tags (a superset of YAML 1.2 core's true/false/null), and `<<`,
// which go-yaml v2 reads as a merge key.
const WORDS = new Set([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'],
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'],
  ...['~', 'null', 'Null', 'NULL', '<<']
])
const INF_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/
// go-yaml v2 removes every `_` before strconv; on that string: Go's base-0 integers (0x, 0o, 0b, 0-octal, decimal:
// strconv.ParseInt(s, 0, 64), a superset of YAML 1.2 core's ints) and yamlStyleFloat (= YAML 1.2 core's float).
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/
// The 1.1 schema's ints and floats, with `_` where it allows them and digits all optional in floats (`0x_`, `.`,
// `e5`: yaml-1.1/int.js, float.js).
const INT_11 = /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/
const FLOAT_11 = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$|^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/
// YAML 1.1 sexagesimal ints and floats (`1:30`, `190:20:30.15`: yaml-1.1/timestamp.js intTime/floatTime).
const SEXAGESIMAL = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/
// Timestamps: go-yaml v2 parseTimestamp (`YYYY-` then 2006-1-2…) and the 1.1 timestamp tag. They are quoted even where
// a reader hands them on as strings: YAML 1.1 tools read them as times, and it is how the API server writes them.
const TIMESTAMP_LIKE = /^\d{4}-\d\d?-\d\d?(?:[Tt ]|$)/

/** Whether the plain form of `s` reads as something other than a string (null, bool, number, time) in any reader. */
export function readsAsNonString(s: string): boolean {
  if (s === '' || WORDS.has(s) || INF_NAN.test(s) || TIMESTAMP_LIKE.test(s)) return true
  // Every number of every schema starts with a sign, a digit, a dot or an exponent (`e5` in 1.1).
  if (!/^[-+.0-9eE]/.test(s)) return false
  const goDigits = s.replace(/_/g, '')
  return GO_INT.test(goDigits) || GO_FLOAT.test(goDigits) || INT_11.test(s) || FLOAT_11.test(s) || SEXAGESIMAL.test(s)
}

// ---------------------------------------------------------------------------------------------------------------
// Where a plain scalar may stand

// Indicators that never start a plain scalar (go-yaml v2 yaml_parser_fetch_next_token; YAML 1.2 c-indicator).
const NEVER_FIRST = /^[[\]{}#&*!|>'"%@`,]/
// `-`, `?` and `:` start a plain scalar only when a non-space follows; `?` and `:` only in block context.
const DASH_FIRST = /^-(?:[ ]|$)/
const KEY_OR_VALUE_FIRST = /^[?:]/
// A comment starts at ` #`; a value indicator is `: ` or a final `:`.
const INNER_SYNTAX = / #|: |:$/
// In flow context a plain scalar ends at `,`, `[`, `]`, `{`, `}`, and in go-yaml v2 also at `?`.
const FLOW_SYNTAX = /[,[\]{}?]/
// `---` and `...` at the start of a line mark documents: a key written at column 0 must not begin with them.
const DOCUMENT_MARKER = /^(?:---|\.\.\.)/

/**
 * Whether `s` can be written without quotes, as a value and as a key, in block context (and in flow context when
 * `inFlow`), and read back as the same string by go-yaml v2, YAML 1.2 and YAML 1.1 readers alike.
 */
export function isPlainSafe(s: string, inFlow: boolean): boolean {
  if (s.trim() !== s || LINE_OR_TAB.test(s) || NEEDS_ESCAPE.test(s)) return false
  if (NEVER_FIRST.test(s) || DASH_FIRST.test(s) || DOCUMENT_MARKER.test(s) || INNER_SYNTAX.test(s)) return false
  if (inFlow && (KEY_OR_VALUE_FIRST.test(s) || FLOW_SYNTAX.test(s))) return false
  if (KEY_OR_VALUE_FIRST.test(s) && (s.length === 1 || s[1] === ' ')) return false
  return !readsAsNonString(s)
}

// ---------------------------------------------------------------------------------------------------------------
// Quoting

export function doubleQuoted(s: string): string {
  // A JSON string is a valid YAML double-quoted scalar; escape what JSON leaves raw but YAML forbids.
  return JSON.stringify(s).replace(NEEDS_ESCAPE_GLOBAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

export function singleQuoted(s: string): string {
  return `'${s.replace(/'/g, "''")}'`
}

/** Single quotes hold any one-line printable text; edge spaces are left to double quotes, where they are visible. */
function canSingleQuote(s: string): boolean {
  return !LINE_OR_TAB.test(s) && !NEEDS_ESCAPE.test(s) && s.trim() === s
}

/**
 * Renders a scalar. `hint` is the style the old value (or a sibling) had: it is kept when it can hold the new
 * value. Otherwise strings are plain when safe, double-quoted when the plain form would read as another type
 * (`"1.4"`, `"true"`, timestamps) or single quotes cannot hold them, and single-quoted otherwise (`'a: b'`): what
 * go-yaml's emitter writes (yaml_emitter_select_scalar_style falls back from plain to single to double quotes).
 */
export function renderScalar(value: unknown, hint: ScalarStyle | undefined, inFlow: boolean): string {
  if (value === null) return 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot write the number ${value} to YAML`)
    return String(value)
  }
  if (typeof value !== 'string') throw new TypeError(`cannot write a ${typeof value} as a YAML scalar`)
  if (hint === 'QUOTE_DOUBLE') return doubleQuoted(value)
  if (hint === 'QUOTE_SINGLE' && canSingleQuote(value)) return singleQuoted(value)
  if (isPlainSafe(value, inFlow)) return value
  if (readsAsNonString(value) || !canSingleQuote(value)) return doubleQuoted(value)
  return singleQuoted(value)
}
