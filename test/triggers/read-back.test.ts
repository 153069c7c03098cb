/**
 * rewriteManifests skips the second parse of a rewritten file when its edits cannot change what the file means
 * (readBackReason in src/triggers/rewrite.ts). Property: on generated files built to hit the edges of that rule —
 * DeploymentConfigs whose fallbacks are odd strings, markers put on any line (on kinds, names, trigger fields,
 * container names, empty lastTriggeredImage), tags, quotes, `#`, brackets, escapes, repositories with syntax
 * characters — the fast path and the full read-back give the same result, diagnostics and pinned digests included.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { createCatalog } from '../../src/triggers/catalog.js'
import { findBindings } from '../../src/triggers/find.js'
import { applyEdits, planEdits } from '../../src/triggers/plan.js'
import { rewriteManifests } from '../../src/triggers/rewrite.js'
import type { PinFormat, RewriteOptions } from '../../src/triggers/types.js'
import { readBackReason } from '../../src/triggers/rewrite.js'
import { digest, stream } from './helpers.js'

type Style = 'plain' | 'single' | 'double' | 'tagged'
const STREAM_TAGS = ['web:1.4', 'web:2', 'odd:1', 'nope:1', 'ns2/web:1.4']
const PARTS = ['', '', ':name', ':tag', ':digest']

const arbText = fc.string({
  unit: fc.constantFrom('a', 'b', ' ', '#', ':', "'", '"', '\\', '{', '}', '[', ']', ',', '-', '.', '\n', 'é', '@'),
  maxLength: 10
})
const arbValue = fc.oneof(
  fc.constantFrom(
    '',
    'x',
    'c0',
    'c1',
    'true',
    '1.10',
    'DeploymentConfig',
    'ImageStreamTag',
    'web:1.4',
    `quay.io/acme/web@${digest('a1')}`,
    `quay.io/acme/web@${digest('a2')}`,
    digest('b2'),
    '...x'
  ),
  arbText
)
const arbScalar = fc.record({
  v: arbValue,
  style: fc.constantFrom<Style>('plain', 'plain', 'single', 'double', 'tagged')
})
type Scalar = { v: string; style: Style }

/** A scalar in the style asked for, or double quotes when a plain one would not read back as the string. */
function scalar({ v, style }: Scalar): string {
  if (style === 'tagged') return `!!str ${JSON.stringify(v)}`
  if (style === 'plain' && /^[a-z0-9][\w./@:-]*$/i.test(v) && !/:$|: /.test(v)) return v
  if (style === 'single' && !v.includes('\n')) return `'${v.replace(/'/g, "''")}'`
  return JSON.stringify(v)
}

const arbTrigger = fc.record({
  from: fc.constantFrom('web:1.4', 'web:2', 'odd:1', 'nope:1'),
  automatic: fc.constantFrom('true', 'true', 'false'),
  names: fc.subarray(['c0', 'c1', 'c9'], { minLength: 1 }),
  // An empty one is no fallback: a marker that fills it changes what the whole DeploymentConfig does.
  last: fc.option(
    fc.oneof(arbScalar, fc.record({ v: fc.constant(''), style: fc.constantFrom<Style>('single', 'double') })),
    { nil: undefined }
  )
})
const arbContainer = fc.record({ image: arbScalar, flow: fc.boolean() })
const arbDoc = fc.oneof(
  fc.record({
    kind: fc.constant('dc' as const),
    ns: fc.boolean(),
    triggers: fc.array(arbTrigger, { minLength: 1, maxLength: 2 }),
    containers: fc.array(arbContainer, { minLength: 1, maxLength: 2 })
  }),
  fc.record({
    kind: fc.constant('deployment' as const),
    byIndex: fc.boolean(),
    from: fc.constantFrom(...STREAM_TAGS),
    containers: fc.array(arbContainer, { minLength: 1, maxLength: 2 })
  }),
  fc.record({ kind: fc.constant('values' as const), values: fc.array(arbScalar, { minLength: 1, maxLength: 4 }) })
)
const arbFile = fc.record({
  docs: fc.array(arbDoc, { minLength: 1, maxLength: 2 }),
  // A marker goes on a line by number, or on the n-th line holding a word the finder reads.
  markers: fc.array(
    fc.record({
      line: fc.nat(60),
      word: fc.constantFrom(undefined, 'lastTriggeredImage', 'kind:', 'name:', 'automatic', 'image:', '- c'),
      ref: fc.constantFrom(...STREAM_TAGS),
      part: fc.constantFrom(...PARTS)
    }),
    { maxLength: 4 }
  ),
  repo: fc.string({
    unit: fc.constantFrom('q', '.', '/', '#', ',', '[', '}', "'", ' ', ':', '"'),
    minLength: 1,
    maxLength: 8
  }),
  crlf: fc.boolean(),
  pin: fc.constantFrom<PinFormat>('digest', 'tag-digest'),
  size: fc.constantFrom(undefined, 400)
})

type FileSpec = typeof arbFile extends fc.Arbitrary<infer T> ? T : never

function build(file: FileSpec): string {
  const lines: string[] = []
  file.docs.forEach((doc, di) => {
    if (di > 0) lines.push('---')
    const containers = (list: Array<{ image: Scalar; flow: boolean }>) => {
      lines.push('  template:', '    spec:', '      containers:')
      list.forEach((c, i) =>
        c.flow
          ? lines.push(`      - {name: c${i}, image: ${scalar(c.image)}}`)
          : lines.push(`      - name: c${i}`, `        image: ${scalar(c.image)}`)
      )
    }
    if (doc.kind === 'dc') {
      lines.push(
        'apiVersion: apps.openshift.io/v1',
        'kind: DeploymentConfig',
        'metadata:',
        '  name: d',
        ...(doc.ns ? ['  namespace: ns2'] : []),
        'spec:',
        '  triggers:'
      )
      for (const t of doc.triggers) {
        lines.push(
          '  - type: ImageChange',
          '    imageChangeParams:',
          `      automatic: ${t.automatic}`,
          '      containerNames:',
          ...t.names.map((n) => `      - ${n}`)
        )
        lines.push('      from:', '        kind: ImageStreamTag', `        name: ${t.from}`)
        if (t.last) lines.push(`      lastTriggeredImage: ${scalar(t.last)}`)
      }
      containers(doc.containers)
    } else if (doc.kind === 'deployment') {
      const [ref, tag] = doc.from.split(':')
      const [ns, name] = ref.includes('/') ? ref.split('/') : ['', ref]
      const sel = doc.byIndex ? '0' : '?(@.name==\\"c0\\")'
      const trigger = `{"from":{"kind":"ImageStreamTag","name":"${name}:${tag}"${ns ? `,"namespace":"${ns}"` : ''}},"fieldPath":"spec.template.spec.containers[${sel}].image"}`
      lines.push(
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: w',
        '  annotations:',
        `    image.openshift.io/triggers: '[${trigger}]'`,
        'spec:'
      )
      containers(doc.containers)
    } else {
      doc.values.forEach((v, i) => lines.push(`k${i}: ${scalar(v)}`))
    }
  })
  for (const m of file.markers) {
    const holding = m.word === undefined ? [] : lines.flatMap((l, i) => (l.includes(m.word!) ? [i] : []))
    const i = holding.length > 0 ? holding[m.line % holding.length] : m.line % lines.length
    if (lines[i] !== '---') lines[i] += ` # {"$imagestream": "${m.ref}${m.part}"}`
  }
  const eol = file.crlf ? '\r\n' : '\n'
  return lines.join(eol) + eol
}

function catalogFor(repo: string) {
  return createCatalog([
    stream('web', undefined, { '1.4': { items: [digest('a2'), digest('a1')] }, '2': { items: [digest('b2')] } }),
    stream('web', 'ns2', { '1.4': { items: [digest('c2')] } }),
    stream('odd', undefined, { '1': { from: `${repo}:1`, repository: repo, items: [digest('d2')] } })
  ])
}

describe('reading a rewrite back', () => {
  it('the fast path and the full read-back agree (5,000 generated files)', () => {
    const seen = { fast: 0, readBack: 0, refused: 0 }
    fc.assert(
      fc.property(arbFile, (file) => {
        const text = build(file)
        const catalog = catalogFor(file.repo)
        const options: RewriteOptions = { pinFormat: file.pin, maxBytes: file.size }
        const fast = rewriteManifests([{ path: 'f.yaml', text }], catalog, options)
        const full = rewriteManifests([{ path: 'f.yaml', text }], catalog, { ...options, verifyAll: true })
        expect(fast).toEqual(full)

        const found = findBindings('f.yaml', text, { maxBytes: file.size })
        const { edits } = planEdits(found.bindings, catalog, options)
        if (edits.length === 0) return
        if (readBackReason(found, edits, applyEdits(text, edits), file.size) === undefined) seen.fast++
        else seen.readBack++
        if (full.diagnostics.some((d) => d.message.includes('did not read back'))) seen.refused++
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 5_000) }
    )
    // The generator reaches both paths, and files that the read-back refuses (so the comparison can fail).
    expect(seen.fast).toBeGreaterThan(100)
    expect(seen.readBack).toBeGreaterThan(100)
    expect(seen.refused).toBeGreaterThan(0)
  }, 240_000)

  it('reads back an insertion, a change of quoting and an edit of a deciding value', () => {
    const catalog = catalogFor('quay.io/odd')
    const reason = (text: string) => {
      const found = findBindings('f.yaml', text)
      const { edits } = planEdits(found.bindings, catalog)
      expect(edits.length).toBeGreaterThan(0)
      return readBackReason(found, edits, applyEdits(text, edits))
    }
    expect(reason('image: x # {"$imagestream": "web:1.4"}\n')).toBeUndefined()
    expect(reason(`image: 'x' # {"$imagestream": "web:1.4"}\n`)).toBeUndefined()
    expect(reason('image: # {"$imagestream": "web:1.4"}\n')).toBe('an insertion')
    expect(reason('tag: 1.10 # {"$imagestream": "web:1.4:tag"}\n')).toBe('a change of quoting')
    expect(reason('kind: Deployment # {"$imagestream": "web:1.4:name"}\n')).toMatch(/decides what is bound/)
    expect(reason('image: !!str x # {"$imagestream": "web:1.4"}\n')).toMatch(/explicit tag/)
    const dc = [
      'kind: DeploymentConfig',
      'apiVersion: apps.openshift.io/v1',
      'spec:',
      '  triggers:',
      '  - imageChangeParams:',
      '      automatic: true',
      '      containerNames: [app]',
      '      from: {kind: ImageStreamTag, name: "web:1.4"}',
      '      lastTriggeredImage: x',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: app',
      '        image: x',
      ''
    ].join('\n')
    expect(reason(dc)).toBeUndefined()
    expect(reason(dc.replace('lastTriggeredImage: x', 'lastTriggeredImage: ""'))).toMatch(/decides what is bound/)
    expect(reason(dc.replace('      lastTriggeredImage: x\n', ''))).toBe('an insertion')
  })
})
