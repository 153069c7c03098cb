/**
 * Property: for generated YAML files full of bindings (marker comments in every quoting style, nested maps, flow
 * sequences, anchors, trigger annotations on Deployments, CRLF, missing final newline), a rewrite
 *  - changes no byte outside the edited scalars (checked line by line against the original),
 *  - parses to the original values with exactly the bound ones replaced by what the streams say,
 *  - and a second rewrite is a no-op.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parseAllDocuments } from 'yaml'
import { createCatalog } from '../../src/triggers/catalog.js'
import { rewriteManifests } from '../../src/triggers/rewrite.js'
import type { PinFormat, TargetPart } from '../../src/triggers/types.js'
import { digest, stream } from './helpers.js'

type InferArb<A> = A extends fc.Arbitrary<infer T> ? T : never

const catalog = createCatalog([
  stream('web', undefined, { '1.4': { items: [digest('a2'), digest('a1')] }, '2': { items: [digest('b2')] } }),
  stream('db', undefined, {
    '16': { from: 'docker.io/library/postgres:16', repository: 'docker.io/library/postgres', items: [digest('c2')] }
  })
])
const TAGS: Array<{ stream: string; tag: string; repo: string; d: string }> = [
  { stream: 'web', tag: '1.4', repo: 'quay.io/acme/web', d: digest('a2') },
  { stream: 'web', tag: '2', repo: 'quay.io/acme/web', d: digest('b2') },
  { stream: 'db', tag: '16', repo: 'docker.io/library/postgres', d: digest('c2') }
]

function expectedValue(t: (typeof TAGS)[number], part: TargetPart, pin: PinFormat): string {
  if (part === 'name') return t.repo
  if (part === 'tag') return t.tag
  if (part === 'digest') return t.d
  return pin === 'tag-digest' ? `${t.repo}:${t.tag}@${t.d}` : `${t.repo}@${t.d}`
}

type Style = 'plain' | 'single' | 'double'
const render = (v: string, style: Style) =>
  style === 'single' ? `'${v.replace(/'/g, "''")}'` : style === 'double' ? JSON.stringify(v) : v

const PLAIN_SAFE = ['x', 'quay.io/acme/web:1.3', 'v1.2.3', 'hello world', 'a-b_c', '12', 'true', '1.24', 'null', '~']
const arbQuoted = fc.string({
  unit: fc.constantFrom('a', 'b', ' ', '#', ':', "'", '"', '\\', '{', '}', ',', '-', 'é'),
  maxLength: 12
})
const arbOther = fc.oneof(
  fc.constantFrom(...PLAIN_SAFE).map((v) => ({ v, style: 'plain' as Style })),
  fc.tuple(arbQuoted, fc.constantFrom<Style>('single', 'double')).map(([v, style]) => ({ v, style }))
)
const arbCurrent = fc.oneof(
  fc.constantFrom(
    '',
    'x',
    'quay.io/acme/web:1.3',
    '1.24',
    `quay.io/acme/web@${digest('a1')}`,
    `quay.io/acme/web@${digest('a2')}`,
    digest('a2'),
    'quay.io/acme/web',
    '1.4'
  ),
  // A value holding `{{` is a template expression and is refused on purpose (tested elsewhere).
  arbQuoted.filter((v) => !v.includes('{{'))
)
const arbBinding = fc.record({
  t: fc.nat(TAGS.length - 1),
  part: fc.constantFrom<TargetPart>('reference', 'reference', 'name', 'tag', 'digest'),
  current: arbCurrent,
  style: fc.constantFrom<Style>('plain', 'single', 'double'),
  gap: fc.constantFrom(' ', '  ', '\t', '    '),
  hashGap: fc.constantFrom('', ' ', '   '),
  colonGap: fc.constantFrom(' ', '', '  ')
})
const arbEntry = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('bound' as const), b: arbBinding }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('other' as const), o: arbOther, comment: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('comment' as const), text: arbQuoted }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('nested' as const),
      items: fc.array(arbBinding, { minLength: 1, maxLength: 3 }),
      other: arbOther
    })
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flow' as const), b: arbBinding, first: arbOther }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('anchor' as const), o: arbOther }) }
)
const arbWorkload = fc.record({
  containers: fc.array(
    fc.record({
      current: arbCurrent,
      style: fc.constantFrom<Style>('plain', 'single', 'double'),
      comment: fc.boolean()
    }),
    { minLength: 1, maxLength: 3 }
  ),
  triggers: fc.array(fc.record({ t: fc.nat(TAGS.length - 1), byIndex: fc.boolean() }), { maxLength: 3 })
})
const arbDoc = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('values' as const),
      entries: fc.array(arbEntry, { minLength: 1, maxLength: 10 })
    })
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('workload' as const), w: arbWorkload }) }
)
const arbFile = fc.record({
  docs: fc.array(arbDoc, { minLength: 1, maxLength: 3 }),
  crlf: fc.boolean(),
  finalNewline: fc.boolean(),
  pin: fc.constantFrom<PinFormat>('digest', 'tag-digest')
})

type Path = Array<string | number>
interface Built {
  text: string
  expect: Array<{ doc: number; path: Path; value: string }>
}

/** A scalar for the current value; an empty plain value becomes `key:` with nothing, which the rewrite fills. */
function scalar(v: string, style: Style): string {
  if (style === 'plain' && (v === '' || PLAIN_SAFE.includes(v) || /^[a-z0-9][\w./@-]*(?::[\w./@-]+)*$/.test(v)))
    return v
  return render(v, style === 'plain' ? 'double' : style)
}

function marker(b: InferArb<typeof arbBinding>): string {
  const t = TAGS[b.t]
  const suffix = b.part === 'reference' ? '' : `:${b.part}`
  return `#${b.hashGap}{"$imagestream":${b.colonGap}"${t.stream}:${t.tag}${suffix}"}`
}

function build(file: InferArb<typeof arbFile>): Built {
  const lines: string[] = []
  const expectations: Built['expect'] = []
  file.docs.forEach((doc, di) => {
    if (di > 0) lines.push('---')
    if (doc.kind === 'values') {
      let anchors = 0
      lines.push(`doc: ${di}`)
      doc.entries.forEach((e, i) => {
        const key = `k${i}`
        if (e.kind === 'bound') {
          const value = scalar(e.b.current, e.b.style)
          lines.push(`${key}:${value ? ` ${value}` : ''}${value ? e.b.gap : ' '}${marker(e.b)}`)
          expectations.push({ doc: di, path: [key], value: expectedValue(TAGS[e.b.t], e.b.part, file.pin) })
        } else if (e.kind === 'other') {
          lines.push(`${key}: ${scalar(e.o.v, e.o.style)}${e.comment ? ' # not a marker: {"x": 1}' : ''}`)
        } else if (e.kind === 'comment') {
          lines.push(`# ${e.text}`)
        } else if (e.kind === 'nested') {
          lines.push(`${key}:  # a map`)
          lines.push(`    other: ${scalar(e.other.v, e.other.style)}`)
          e.items.forEach((b, j) => {
            const value = scalar(b.current, b.style)
            lines.push(`    n${j}:${value ? ` ${value}` : ''}${value ? b.gap : ' '}${marker(b)}`)
            expectations.push({ doc: di, path: [key, `n${j}`], value: expectedValue(TAGS[b.t], b.part, file.pin) })
          })
        } else if (e.kind === 'flow') {
          const value = e.b.current === '' ? '""' : render(e.b.current, e.b.style === 'plain' ? 'double' : e.b.style)
          lines.push(
            `${key}: [${render(e.first.v, e.first.style === 'plain' ? 'single' : e.first.style)}, ${value}]${e.b.gap}${marker(e.b)}`
          )
          expectations.push({ doc: di, path: [key, 1], value: expectedValue(TAGS[e.b.t], e.b.part, file.pin) })
        } else {
          lines.push(`${key}: &anchor${anchors} ${scalar(e.o.v, e.o.style) || '""'}`)
          lines.push(`${key}alias: *anchor${anchors++}`)
        }
      })
    } else {
      const { containers, triggers } = doc.w
      const used = new Set<number>()
      const specs: string[] = []
      triggers.forEach((t) => {
        const c = specs.length % containers.length
        if (used.has(c)) return
        used.add(c)
        const sel = t.byIndex ? `${c}` : `?(@.name==\\"c${c}\\")`
        specs.push(
          `{"from":{"kind":"ImageStreamTag","name":"${TAGS[t.t].stream}:${TAGS[t.t].tag}"},"fieldPath":"spec.template.spec.containers[${sel}].image"}`
        )
        expectations.push({
          doc: di,
          path: ['spec', 'template', 'spec', 'containers', c, 'image'],
          value: expectedValue(TAGS[t.t], 'reference', file.pin)
        })
      })
      lines.push(
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: w',
        '  annotations:',
        `    image.openshift.io/triggers: '[${specs.join(',')}]'`
      )
      lines.push('spec:', '  template:', '    spec:', '      containers:')
      containers.forEach((c, i) => {
        lines.push(
          `      - name: c${i}`,
          `        image: ${scalar(c.current, c.style) || '""'}${c.comment ? '   # pinned by a trigger' : ''}`
        )
      })
    }
  })
  const eol = file.crlf ? '\r\n' : '\n'
  return { text: lines.join(eol) + (file.finalNewline ? eol : ''), expect: expectations }
}

function toJs(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => {
    expect(d.errors).toEqual([])
    return d.toJS({ maxAliasCount: 100 })
  })
}

function setPath(root: unknown, path: Path, value: string): void {
  let node = root as Record<string | number, unknown>
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  node[path[path.length - 1]] = value
}

describe('rewrite properties', () => {
  it('edits only bound scalars, reads back as expected and is idempotent (10,000 generated files)', () => {
    fc.assert(
      fc.property(arbFile, (file) => {
        const built = build(file)
        const before = toJs(built.text)
        const result = rewriteManifests([{ path: 'f.yaml', text: built.text }], catalog, { pinFormat: file.pin })
        expect(result.diagnostics.filter((d) => d.severity !== 'notice')).toEqual([])
        const after = result.changed[0]?.text ?? built.text

        // Values: the original documents with exactly the bound paths replaced.
        const expected = structuredClone(before)
        for (const e of built.expect) setPath(expected[e.doc], e.path, e.value)
        expect(toJs(after)).toEqual(expected)

        // Bytes: every line without an edit is identical (line endings included); an edited line differs only
        // inside its edit's range.
        const eol = file.crlf ? '\r\n' : '\n'
        const oldLines = built.text.split(eol)
        const newLines = after.split(eol)
        expect(newLines.length).toBe(oldLines.length)
        const edits = result.changed[0]?.edits ?? []
        const byLine = new Map<number, typeof edits>()
        for (const e of edits) byLine.set(e.line, [...(byLine.get(e.line) ?? []), e])
        oldLines.forEach((line, i) => {
          const mine = byLine.get(i + 1)
          if (!mine) return expect(newLines[i]).toBe(line)
          let rebuilt = ''
          let at = 0
          for (const e of mine.sort((a, b) => a.column - b.column)) {
            expect(line.slice(e.column - 1, e.column - 1 + e.old.length)).toBe(e.old)
            rebuilt += line.slice(at, e.column - 1) + e.new
            at = e.column - 1 + e.old.length
          }
          expect(newLines[i]).toBe(rebuilt + line.slice(at))
        })

        // Idempotent.
        const again = rewriteManifests([{ path: 'f.yaml', text: after }], catalog, { pinFormat: file.pin })
        expect(again.changed).toEqual([])
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 10_000) }
    )
  }, 240_000)
})
