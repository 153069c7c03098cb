import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parseDocument, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml'
import { READ_OPTIONS, TO_JS_OPTIONS } from '../../src/stream/yaml-text.js'
import { isPlainSafe, readsAsNonString, renderScalar } from '../../src/yaml/scalar.js'

// The one scalar engine shared by stream files and manifests. Whatever it writes plain must read back as the same
// string wherever the writers put it (a block value or key; in flow context an item, a key or a value) under every
// reader these files meet: the project's own go-yaml v2 reading (READ_OPTIONS), YAML 1.2 core, and the `yaml`
// library's YAML 1.1 schema; and go-yaml v2's resolver (below, ported from gopkg.in/yaml.v2 resolve.go) must
// resolve it to a string.

type Options = ParseOptions & DocumentOptions & SchemaOptions
const READERS: Array<[string, Options]> = [
  ['go-yaml v2 (READ_OPTIONS)', READ_OPTIONS],
  ['YAML 1.2 core', { version: '1.2' }],
  ['YAML 1.1 schema', { version: '1.1' }]
]

function read(source: string, options: Options): unknown {
  const doc = parseDocument(source, { ...options, keepSourceTokens: false })
  if (doc.errors.length > 0 || doc.warnings.length > 0) return Symbol('error')
  return doc.toJS(TO_JS_OPTIONS) as unknown
}

/** The places a writer puts a plain scalar, with what each must read back as. */
function placements(s: string, inFlow: boolean): Array<[string, unknown]> {
  const block: Array<[string, unknown]> = [
    [`k: ${s}\n`, { k: s }],
    [`${s}: v\n`, { [s]: 'v' }],
    [`- ${s}\n`, [s]]
  ]
  if (!inFlow) return block
  return [
    ...block,
    [`[${s}]`, [s]],
    [`[a, ${s}, b]`, ['a', s, 'b']],
    [`{${s}: v}`, { [s]: 'v' }],
    [`{k: ${s}}`, { k: s }]
  ]
}

// gopkg.in/yaml.v2 resolve.go resolve() for an untagged plain scalar: the resolveMap words, then by the first
// character's hint ('.' → strconv.ParseFloat; digit or sign → parseTimestamp, ParseInt(s without _, 0), ParseUint,
// yamlStyleFloat + ParseFloat, 0b/-0b). Go's ParseFloat fails on overflow, so `1e400` stays a string there.
const GO_RESOLVE_MAP = new Set(
  'y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF ~ null Null NULL <<'.split(' ')
)
const GO_INF_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/
const GO_INT_BASE0 = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/
const GO_YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/
const GO_TIMESTAMP =
  /^\d{4}-\d{1,2}-\d{1,2}(?:[Tt]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|[-+]\d\d:\d\d)| \d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?)?$/

function goYamlV2ResolvesToString(s: string): boolean {
  if (s === '' || GO_RESOLVE_MAP.has(s) || GO_INF_NAN.test(s)) return false
  const hint = s[0]
  if (hint === '.') return !(/^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/.test(s) && Number.isFinite(Number(s)))
  if (!/[-+0-9]/.test(hint)) return true
  if (GO_TIMESTAMP.test(s)) return false
  const plain = s.replace(/_/g, '')
  if (GO_INT_BASE0.test(plain)) return false
  if (GO_YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return false
  return true
}

function readsBackEverywhere(s: string, inFlow: boolean): string | undefined {
  if (!goYamlV2ResolvesToString(s)) return 'go-yaml v2 resolve'
  for (const [name, options] of READERS) {
    for (const [source, expected] of placements(s, inFlow)) {
      if (JSON.stringify(read(source, options)) !== JSON.stringify(expected)) return `${name}: ${source}`
    }
  }
  return undefined
}

describe('isPlainSafe: plain only where every reader reads the same string', () => {
  const cases: Array<[string, boolean, boolean, string]> = [
    // [string, plain in block, plain in flow, why]
    ['quay.io/acme/web:1.4', true, true, 'an image reference (`:` followed by a non-space)'],
    ['registry.example.com:5000/ns/app@sha256:' + 'ab'.repeat(32), true, true, 'a digest reference'],
    ['sha256:' + '0f'.repeat(32), true, true, 'a digest'],
    ['1.4.2', true, true, 'a version no schema reads as a number'],
    ['3.11-alpine', true, true, 'a tag'],
    ['latest', true, true, 'a word'],
    ['6e86341', false, false, 'a short git sha go-yaml keeps as a string, but YAML 1.2 reads as Infinity'],
    ['e5', false, false, 'YAML 1.1 reads an exponent without digits as a float'],
    ['.', false, false, 'YAML 1.1 reads a lone dot as a float (NaN)'],
    ['1.4', false, false, 'a float'],
    ['1.10', false, false, 'a float (1.1)'],
    ['0755', false, false, 'an octal int'],
    ['0o17', false, false, 'a YAML 1.2 octal'],
    ['0x1F', false, false, 'a hex int'],
    ['0b101', false, false, 'a binary int'],
    ['1_000', false, false, 'go-yaml drops `_` in numbers'],
    ['+1', false, false, 'a signed int'],
    ['-.inf', false, false, 'negative infinity'],
    ['.NaN', false, false, 'not a number'],
    ['12:30', false, false, 'a YAML 1.1 sexagesimal'],
    ['2024-01-01', false, false, 'a date'],
    ['2024-1-1T00:00:00Z', false, false, 'a go-yaml timestamp with short fields'],
    ['yes', false, false, 'a YAML 1.1 bool'],
    ['Off', false, false, 'a YAML 1.1 bool'],
    ['y', false, false, 'a YAML 1.1 bool'],
    ['True', false, false, 'a bool'],
    ['yEs', true, true, 'not one of the bool spellings'],
    ['~', false, false, 'null'],
    ['NULL', false, false, 'null'],
    ['', false, false, 'the empty string reads as null'],
    ['<<', false, false, 'go-yaml v2 reads `<<` as a merge key'],
    ['a: b', false, false, '`: ` is a value indicator'],
    ['a:', false, false, 'a final `:` is a value indicator'],
    ['a #b', false, false, '` #` starts a comment'],
    ['a#b', true, true, '`#` after a non-space is text'],
    ['-x', true, true, '`-` followed by a non-space starts a plain scalar (go-yaml v2 fetch_next_token)'],
    ['-', false, false, 'a lone `-` is a sequence entry'],
    ['- x', false, false, 'a sequence entry'],
    ['-1', false, false, 'a negative int'],
    ['?x', true, false, '`?` then a non-space is plain in block context only; in flow go-yaml reads a key'],
    [':x', true, false, '`:` then a non-space is plain in block context only'],
    ['? x', false, false, 'an explicit key'],
    ['a?b', true, false, 'go-yaml v2 ends a flow plain scalar at `?` (yaml_parser_scan_plain_scalar)'],
    ['a,b', true, false, '`,` separates flow entries'],
    ['a[0]', true, false, 'brackets are flow indicators'],
    ['{"a":1}', false, false, '`{` starts a flow mapping'],
    ['[x]', false, false, '`[` starts a flow sequence'],
    ['*x', false, false, 'an alias'],
    ['&x', false, false, 'an anchor'],
    ['!x', false, false, 'a tag'],
    ['%x', false, false, 'a directive'],
    ['@x', false, false, 'reserved indicator'],
    ['`x', false, false, 'reserved indicator'],
    ['|x', false, false, 'a literal block scalar'],
    ['>x', false, false, 'a folded block scalar'],
    ["'q'", false, false, 'a single-quoted scalar'],
    ['"q"', false, false, 'a double-quoted scalar'],
    ['---', false, false, 'a document start at column 0'],
    ['...', false, false, 'a document end at column 0'],
    [' a', false, false, 'a leading space is dropped'],
    ['a ', false, false, 'a trailing space is dropped'],
    ['a\tb', false, false, 'a tab'],
    ['a\nb', false, false, 'a line break folds'],
    ['a\u2028b', false, false, 'a line separator must be escaped'],
    ['a\u0085b', false, false, 'NEL (a C1 control) must be escaped'],
    ['a\ufeffb', false, false, 'a byte order mark must be escaped'],
    ['café', true, true, 'non-ASCII letters are plain'],
    ['日本語', true, true, 'non-ASCII letters are plain'],
    ['🚀 launch', true, true, 'astral characters and an inner space are plain'],
    ["it's", true, true, 'a quote after the first character is text'],
    ['a b c', true, true, 'inner spaces are plain']
  ]
  it.each(cases)('%j: block %s, flow %s (%s)', (s, block, flow) => {
    expect(isPlainSafe(s, false)).toBe(block)
    expect(isPlainSafe(s, true)).toBe(flow)
  })

  it.each(cases.filter(([, block]) => block))('%j reads back as itself wherever it is written plain', (s, _b, flow) => {
    expect(readsBackEverywhere(s, flow)).toBeUndefined()
  })
})

describe('readsAsNonString (the quoting choice when plain is not possible)', () => {
  it.each([
    ['1.4', true],
    ['6e86341', true],
    ['no', true],
    ['2024-01-01T00:00:00Z', true],
    ['', true],
    ['a: b', false],
    ['{"a":1}', false],
    ['- x', false]
  ])('%j → %s', (s, expected) => {
    expect(readsAsNonString(s)).toBe(expected)
  })
})

describe('renderScalar', () => {
  it.each([
    ['web', undefined, 'web'],
    ['1.4', undefined, '"1.4"'],
    ['true', undefined, '"true"'],
    ['', undefined, '""'],
    ['2024-01-01T00:00:00Z', undefined, '"2024-01-01T00:00:00Z"'],
    ['a: b', undefined, "'a: b'"],
    ["it's: x", undefined, "'it''s: x'"],
    [' padded ', undefined, '" padded "'],
    ['a\tb', undefined, '"a\\tb"'],
    ['line\u2028sep\u0085nel\ufeffbom', undefined, '"line\\u2028sep\\u0085nel\\ufeffbom"'],
    ['web', 'QUOTE_DOUBLE', '"web"'],
    ['web', 'QUOTE_SINGLE', "'web'"],
    ['a\nb', 'QUOTE_SINGLE', '"a\\nb"'],
    ['web', 'PLAIN', 'web'],
    ['1.4', 'PLAIN', '"1.4"']
  ] as const)('%j with hint %s → %s', (value, hint, expected) => {
    expect(renderScalar(value, hint, false)).toBe(expected)
  })

  it('writes numbers, booleans and null as YAML scalars, and refuses what YAML cannot hold', () => {
    expect(renderScalar(3, undefined, false)).toBe('3')
    expect(renderScalar(false, undefined, false)).toBe('false')
    expect(renderScalar(null, undefined, false)).toBe('null')
    expect(() => renderScalar(Number.NaN, undefined, false)).toThrow(/NaN/)
    expect(() => renderScalar({}, undefined, false)).toThrow(/object/)
  })

  it('quotes a string for flow context where block context may leave it plain', () => {
    expect(renderScalar('a,b', undefined, false)).toBe('a,b')
    expect(renderScalar('a,b', undefined, true)).toBe("'a,b'")
  })
})

// Name-like characters, every indicator, spaces, and the shapes that look most like numbers, booleans and times.
const char = fc.constantFrom(...'aeEnoxyYbB0179_./@:+-?#,[]{}&*!|>\'"%`~ \tü'.split(''))
const tricky = fc.oneof(
  fc.array(char, { minLength: 0, maxLength: 8 }).map((cs) => cs.join('')),
  fc
    .tuple(
      fc.constantFrom('', '-', '?', ':', '.', '0x', '1.', '1:', 'y', 'e', '2024-1-1', '---', '...'),
      fc.array(char, { maxLength: 5 })
    )
    .map(([p, cs]) => p + cs.join(''))
)

describe('isPlainSafe against real readers (property)', () => {
  it('a string written plain reads back as itself in block context', () => {
    fc.assert(
      fc.property(tricky, (s) => {
        if (isPlainSafe(s, false)) expect([s, readsBackEverywhere(s, false)]).toEqual([s, undefined])
      }),
      { numRuns: 3000 }
    )
  })

  it('a string written plain in flow context reads back as itself there too', () => {
    fc.assert(
      fc.property(tricky, (s) => {
        if (isPlainSafe(s, true)) expect([s, readsBackEverywhere(s, true)]).toEqual([s, undefined])
      }),
      { numRuns: 3000 }
    )
  })

  it('every rendering, quoted or not, reads back as the string in the project reader', () => {
    fc.assert(
      fc.property(tricky, fc.boolean(), (s, inFlow) => {
        const out = renderScalar(s, undefined, inFlow)
        const source = inFlow ? `{k: ${out}}` : `k: ${out}\n`
        expect(read(source, READ_OPTIONS)).toEqual({ k: s })
      }),
      { numRuns: 2000 }
    )
  })
})
