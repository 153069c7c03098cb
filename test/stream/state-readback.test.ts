import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parseDocument, type Document } from 'yaml'
import { readsBackAfterSplices, readsBackWhole } from '../../src/stream/state-readback.js'
import { READ_OPTIONS, TO_JS_OPTIONS } from '../../src/stream/yaml-text.js'
import { applySplices, type Splice } from '../../src/yaml/splice.js'

// renderOnto refuses a write that does not read back as the model. Re-parsing only the top-level entries the splices
// touched must never accept what a whole re-parse refuses.

const ORIGINAL = [
  '# yaml-language-server: $schema=x',
  'apiVersion: image.openshift.io/v1',
  'kind: ImageStream',
  'metadata:',
  '  name: web',
  'spec:',
  '  tags:',
  '  - name: "1.4"',
  '    from: {kind: DockerImage, name: quay.io/acme/web:1.4}',
  'status:',
  '  dockerImageRepository: ""',
  ''
].join('\n')

function parsed(text: string): { doc: Document.Parsed; data: unknown } {
  const doc = parseDocument(text, READ_OPTIONS)
  return { doc, data: doc.toJS(TO_JS_OPTIONS) }
}

function check(splices: Splice[], expected?: unknown): { sectioned: boolean; whole: boolean; out: string } {
  const { doc, data } = parsed(ORIGINAL)
  const out = applySplices(ORIGINAL, splices)
  const want = expected ?? parseDocument(out, READ_OPTIONS).toJS(TO_JS_OPTIONS)
  return {
    sectioned: readsBackAfterSplices(ORIGINAL, doc, data, splices, out, want),
    whole: readsBackWhole(out, want),
    out
  }
}

const at = (needle: string): number => {
  const i = ORIGINAL.indexOf(needle)
  if (i < 0) throw new Error(needle)
  return i
}

describe('readsBackAfterSplices', () => {
  it('judges lines added after the last entry on their own', () => {
    const end = ORIGINAL.length
    const { data } = parsed(ORIGINAL)
    const added = { ...(data as object), extra: { a: 1 } }
    expect(check([{ start: end, end, text: 'extra:\n  a: 1\n' }], added)).toMatchObject({
      sectioned: true,
      whole: true
    })
    expect(check([{ start: end, end, text: 'extra:\n  a: 1\n' }], data)).toMatchObject({ sectioned: false })
  })

  it('accepts an import-like edit of one entry, judged without parsing the others', () => {
    const end = ORIGINAL.length
    const r = check([{ start: end, end, text: '  tags:\n  - tag: "1.4"\n    items: []\n' }])
    expect(r).toMatchObject({ sectioned: true, whole: true })
  })

  it('refuses a model the text does not hold', () => {
    const { data } = parsed(ORIGINAL)
    const wrong = { ...(data as object), kind: 'ImageStreamTag' }
    const r = check([{ start: at('web\n'), end: at('web\n') + 3, text: 'api' }], wrong)
    expect(r).toMatchObject({ sectioned: false, whole: false })
  })

  it('sees an entry indented into the one before it (it would parse alone, but not in place)', () => {
    const s = at('status:')
    const { data } = parsed(ORIGINAL)
    // What the entries would read as one by one: status still a top-level key.
    const r = check([{ start: s, end: s, text: '  ' }], data)
    expect(r).toMatchObject({ sectioned: false, whole: false })
  })

  it('sees a lost line break gluing the next untouched key onto a touched entry', () => {
    const nl = at('web\n') + 3
    const { data } = parsed(ORIGINAL)
    expect(check([{ start: nl, end: nl + 1, text: ' ' }], data)).toMatchObject({ sectioned: false, whole: false })
  })

  it('sees a quote left open across the next entry', () => {
    const v = at('web\n')
    const { data } = parsed(ORIGINAL)
    expect(check([{ start: v, end: v + 3, text: '"web' }], data)).toMatchObject({ sectioned: false, whole: false })
  })

  it('parses the whole text when the file has anchors or aliases', () => {
    const text = 'a: &x 1\nb: *x\n'
    const { doc, data } = parsed(text)
    const splices = [{ start: 3, end: 7, text: '&x 2' }]
    const out = applySplices(text, splices)
    expect(readsBackAfterSplices(text, doc, data, splices, out, { a: 2, b: 2 })).toBe(true)
    expect(readsBackAfterSplices(text, doc, data, splices, out, { a: 2, b: 1 })).toBe(false)
  })
})

// Random splices of YAML-ish text anywhere in the file. For the model the whole text reads as, and for the model each
// original entry's text reads as on its own, the sectioned check says yes only when the whole re-parse does.
const piece = fc
  .array(fc.constantFrom('a', 'b', 'x: ', ':', ' ', '  ', '\n', '- ', '"', "'", '{', '}', '[', ']', '#', '1', 'kind'), {
    maxLength: 6
  })
  .map((xs) => xs.join(''))
// Line starts (entry boundaries among them, and the end): where inserted lines start entries of their own.
const LINE_STARTS = [0, ...[...ORIGINAL.matchAll(/\n/g)].map((m) => m.index + 1)]
const splice = fc.oneof(
  fc
    .tuple(fc.nat(ORIGINAL.length), fc.nat(6), piece)
    .map(([start, len, text]) => ({ start, end: Math.min(ORIGINAL.length, start + len), text })),
  fc
    .tuple(fc.constantFrom(...LINE_STARTS), fc.constantFrom('k: v\n', 'status:\n', 'x\n', '- a\n', '#c\n'), piece)
    .map(([start, head, tail]) => ({ start, end: start, text: head + tail }))
)

describe('readsBackAfterSplices never accepts what a whole re-parse refuses (property)', () => {
  it('for random splices', () => {
    fc.assert(
      fc.property(fc.uniqueArray(splice, { maxLength: 3, selector: (s) => s.start }), (raw) => {
        const splices = [...raw].sort((a, b) => a.start - b.start)
        for (let i = 1; i < splices.length; i++) if (splices[i].start < splices[i - 1].end) return
        const { doc, data } = parsed(ORIGINAL)
        const out = applySplices(ORIGINAL, splices)
        const whole = parseDocument(out, READ_OPTIONS)
        const candidates: unknown[] = [data]
        if (whole.errors.length === 0) candidates.push(whole.toJS(TO_JS_OPTIONS))
        for (const want of candidates) {
          const sectioned = readsBackAfterSplices(ORIGINAL, doc, data, splices, out, want)
          expect({ out, sectioned }).toEqual({ out, sectioned: readsBackWhole(out, want) })
        }
      }),
      { numRuns: 1500 }
    )
  })
})
