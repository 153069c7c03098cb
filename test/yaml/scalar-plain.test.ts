import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parseDocument } from 'yaml'
import { READ_OPTIONS, TO_JS_OPTIONS } from '../../src/stream/yaml-text.js'
import { renderScalar } from '../../src/yaml/scalar.js'

// renderScalar decides by the string's shape, without a parse (src/yaml/scalar.ts). Whatever it writes plain must
// still read back as the same string, as a value and as a key, under YAML 1.1 (kubectl, via go-yaml v2) and YAML 1.2
// (editors, yq).
const readers = [READ_OPTIONS, { version: '1.2' as const, strict: true }]

function readsBackPlain(s: string): boolean {
  for (const options of readers) {
    for (const [source, expected] of [
      [`k: ${s}\n`, { k: s }],
      [`${s}: v\n`, { [s]: 'v' }]
    ] as const) {
      const doc = parseDocument(source, options)
      if (doc.errors.length || doc.warnings.length) return false
      if (JSON.stringify(doc.toJS(TO_JS_OPTIONS)) !== JSON.stringify(expected)) return false
    }
  }
  return true
}

// Name characters only, in the shapes that look most like numbers, booleans, nulls and times.
const nameChar = fc.constantFrom(...'aeEnoxyYbB0179_./@:+-'.split(''))
const nameLike = fc.oneof(
  fc.array(nameChar, { minLength: 1, maxLength: 10 }).map((cs) => cs.join('')),
  fc.constantFrom(
    'y',
    'n',
    'yes',
    'No',
    'on',
    'OFF',
    'null',
    'true',
    '0x1F',
    '0b101',
    '0777',
    '1_000',
    '1e3',
    '.inf',
    '12:30',
    '190:20:30',
    '2024-01-01',
    '2024-1-1T00:00:00Z',
    'sha256:0123abcd',
    'quay.io/acme/web:1.4',
    'web@sha256:00',
    'v1',
    'e1',
    'E1:x',
    'x:',
    'y:1'
  ),
  fc
    .tuple(fc.constantFrom('', 'v', '1', 'y', '0x', '1.', 'a/', 'e', 'n:', '1:'), fc.array(nameChar, { maxLength: 6 }))
    .map(([p, cs]) => p + cs.join(''))
)

describe('renderScalar plain strings (block context)', () => {
  it('writes a string plain only when it reads back as that string under YAML 1.1 and 1.2, as value and key', () => {
    fc.assert(
      fc.property(nameLike, (s) => {
        const out = renderScalar(s, undefined, false)
        if (out === s) expect(readsBackPlain(s)).toBe(true)
      }),
      { numRuns: 3000 }
    )
  })

  it('writes image references and digests plain', () => {
    for (const s of [
      'quay.io/acme/web:1.4',
      'registry.example.com:5000/ns/app@sha256:' + 'ab'.repeat(32),
      'sha256:' + '0f'.repeat(32),
      'v1',
      'web:prod'
    ]) {
      expect(renderScalar(s, undefined, false)).toBe(s)
    }
  })

  it('quotes the look-alikes of other types', () => {
    for (const s of ['yes', 'n', '1.4', '0x1F', '1_000', '2024-01-01', '.inf', 'null', '1e3']) {
      expect(renderScalar(s, undefined, false)).not.toBe(s)
    }
  })
})
