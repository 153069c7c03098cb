import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { tryParseReference } from '../../src/reference/reference.js'
import { parseStreamFile, renderStreamFileDetailed } from '../../src/stream/state-file.js'
import type { ImageStream, NamedTagEventList, TagReference } from '../../src/stream/types.js'
import { comments, fixture } from './state-support.js'

// Strings chosen to break naive YAML writers: type look-alikes, indicators, quotes, comments, whitespace, unicode.
const nasty = fc.oneof(
  fc.constantFrom(
    '1.4',
    'yes',
    'no',
    'on',
    'null',
    '~',
    'true',
    '0777',
    '0x1F',
    '1e3',
    '.inf',
    '2024-01-01',
    '2024-01-01T00:00:00Z',
    '#x',
    'a #b',
    'a: b',
    '- x',
    '[x]',
    '{x}',
    '"q"',
    "'s'",
    "it's",
    ' lead',
    'trail ',
    '',
    'x\ny',
    'tab\there',
    'ü',
    '@x',
    '*a',
    '&a',
    '!tag',
    '%x',
    '`x',
    '? x',
    '|',
    '>',
    'quay.io/acme/web:1.4',
    'web:prod',
    '=',
    '<<',
    'a\\b',
    '\u2028'
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 })
)
// Sources must still be image references (the reader refuses a DockerImage from.name that does not parse), so
// the hard-to-quote ones are those that are also valid names: `yes`, `null`, `1.4`, `0777`, ….
const nastyReference = nasty.filter((text) => tryParseReference(text) !== undefined)
const digest = fc.integer({ min: 0, max: 15 }).map((n) => `sha256:${n.toString(16).repeat(64)}`)
const statusTagIndex = fc.integer({ min: 0, max: 2 })
const NEW_TAGS = ['v2', '3.0', 'true', 'canary']

type Op = (s: ImageStream) => void

function statusTag(s: ImageStream, i: number): NamedTagEventList | undefined {
  const tags = s.status?.tags ?? []
  return tags[i % Math.max(tags.length, 1)]
}

// Changes an importer, `oc tag` or a person would make. They never delete a node the fixture put a comment on,
// so every comment must survive every write.
const op: fc.Arbitrary<[string, Op]> = fc.oneof(
  fc.tuple(statusTagIndex, digest).map(([i, d]): [string, Op] => [
    `import ${i} ${d.slice(7, 9)}`,
    (s) => {
      const tag = statusTag(s, i)
      if (!tag) return
      const generation = (s.metadata.generation ?? 0) + 1
      s.metadata.generation = generation
      const spec = s.spec.tags?.find((t) => t.name === tag.tag)
      if (spec) spec.generation = generation
      tag.items = [
        {
          created: `2030-01-0${(generation % 9) + 1}T00:00:00Z`,
          dockerImageReference: `quay.io/acme/web@${d}`,
          image: d,
          generation
        },
        ...(tag.items ?? [])
      ]
      delete tag.conditions
    }
  ]),
  statusTagIndex.map((i): [string, Op] => [
    `same-digest ${i}`,
    (s) => {
      const tag = statusTag(s, i)
      if (tag?.items?.[0]) tag.items[0].generation = (s.metadata.generation ?? 0) + 1
    }
  ]),
  fc.tuple(statusTagIndex, fc.integer({ min: 1, max: 3 })).map(([i, keep]): [string, Op] => [
    `prune ${i} ${keep}`,
    (s) => {
      const tag = statusTag(s, i)
      // Only items this test added (created in 2030) are pruned; the fixture's items carry comments.
      if (tag?.items) tag.items = tag.items.filter((item, n) => n < keep || !item.created.startsWith('2030'))
    }
  ]),
  fc
    .tuple(statusTagIndex, fc.constantFrom('NotFound', 'Unauthorized', 'InternalError'), nasty)
    .map(([i, reason, message]): [string, Op] => [
      `fail ${i} ${reason} ${JSON.stringify(message)}`,
      (s) => {
        const tag = statusTag(s, i)
        if (tag)
          tag.conditions = [
            {
              type: 'ImportSuccess',
              status: 'False',
              lastTransitionTime: '2030-02-01T00:00:00Z',
              reason,
              message,
              generation: s.metadata.generation ?? 0
            }
          ]
      }
    ]),
  statusTagIndex.map((i): [string, Op] => [
    `succeed ${i}`,
    (s) => {
      const tag = statusTag(s, i)
      if (tag) delete tag.conditions
    }
  ]),
  fc.tuple(fc.integer({ min: 0, max: 5 }), nastyReference).map(([i, name]): [string, Op] => [
    `from ${i} ${JSON.stringify(name)}`,
    (s) => {
      const tag = s.spec.tags?.[i % s.spec.tags.length]
      if (tag?.from?.kind === 'DockerImage') tag.from.name = name
    }
  ]),
  fc
    .tuple(
      fc.integer({ min: 0, max: 5 }),
      fc.constantFrom('reference', 'scheduled', 'insecure', 'importMode', 'annotations')
    )
    .map(([i, field]): [string, Op] => [
      `toggle ${i} ${field}`,
      (s) => {
        const tag = s.spec.tags?.[i % s.spec.tags.length] as TagReference
        // ValidateImageStreamTagReference refuses a scheduled ImageStreamTag/ImageStreamImage: not a model to write.
        if (field === 'scheduled' && tag.from?.kind !== 'DockerImage' && !tag.importPolicy?.scheduled) return
        if (field === 'reference') {
          if (tag.reference) delete tag.reference
          else tag.reference = true
        } else if (field === 'annotations')
          tag.annotations = tag.annotations === null ? { 'importer.image.openshift.io/prefer-arch': 'arm64' } : null
        else if (field === 'importMode') {
          tag.importPolicy = {
            ...tag.importPolicy,
            importMode: tag.importPolicy?.importMode === 'Legacy' ? 'PreserveOriginal' : 'Legacy'
          }
        } else {
          const policy = { ...tag.importPolicy }
          if (policy[field]) delete policy[field]
          else policy[field] = true
          tag.importPolicy = policy
        }
      }
    ]),
  fc.tuple(fc.constantFrom(...NEW_TAGS), nastyReference).map(([name, from]): [string, Op] => [
    `add-tag ${name}`,
    (s) => {
      if (s.spec.tags?.some((t) => t.name === name)) return
      s.spec.tags = [
        ...(s.spec.tags ?? []),
        {
          name,
          annotations: null,
          from: { kind: 'DockerImage', name: from },
          generation: s.metadata.generation ?? 1,
          importPolicy: { importMode: 'Legacy' }
        }
      ]
      s.status!.tags = [...(s.status!.tags ?? []), { tag: name, items: null }]
    }
  ]),
  fc.constantFrom(...NEW_TAGS).map((name): [string, Op] => [
    `remove-tag ${name}`,
    (s) => {
      s.spec.tags = s.spec.tags?.filter((t) => t.name !== name)
      s.status!.tags = s.status!.tags?.filter((t) => t.tag !== name)
    }
  ]),
  fc
    .tuple(
      fc.constantFrom(
        'imagestream-action.dev/holds',
        'imagestream-action.dev/upstream',
        'openshift.io/image.dockerRepositoryCheck'
      ),
      fc.option(nasty)
    )
    .map(([key, value]): [string, Op] => [
      `annotation ${key} ${JSON.stringify(value)}`,
      (s) => {
        const annotations = { ...s.metadata.annotations }
        if (value === null) delete annotations[key]
        else annotations[key] = value
        // An empty omitempty map is no map (Go drops it), which is how the writer treats it too.
        if (Object.keys(annotations).length === 0) delete s.metadata.annotations
        else s.metadata.annotations = annotations
      }
    ]),
  fc.tuple(fc.constantFrom('app', 'team', '1.0', 'yes'), fc.option(nasty)).map(([key, value]): [string, Op] => [
    `label ${key} ${JSON.stringify(value)}`,
    (s) => {
      const labels = { ...s.metadata.labels }
      if (value === null) delete labels[key]
      else labels[key] = value
      if (Object.keys(labels).length === 0) delete s.metadata.labels
      else s.metadata.labels = labels
    }
  ]),
  fc.option(nasty).map((value): [string, Op] => [
    `public-repo ${JSON.stringify(value)}`,
    (s) => {
      if (value === null) delete s.status!.publicDockerImageRepository
      else s.status!.publicDockerImageRepository = value
    }
  ]),
  fc.constant<[string, Op]>(['lookup', (s) => (s.spec.lookupPolicy = { local: !s.spec.lookupPolicy?.local })])
)

// Two hand-written layouts (comments, flow maps, odd quoting; LF and CRLF) and two `oc get -o yaml` ones.
const BASES = ['web.yaml', 'web-crlf.yaml', 'reference-history.yaml', 'reference-import-error.yaml']

function base(name: string): { text: string; stream: ImageStream } {
  const text = fixture(name)
  return { text, stream: parseStreamFile(text, name).stream as ImageStream }
}

function check(name: string, before: string, model: ImageStream): string {
  const { text, method } = renderStreamFileDetailed({ text: before }, model)
  const reread = parseStreamFile(text, name)
  expect(reread.diagnostics).toEqual([])
  expect(reread.stream).toEqual(model)
  expect(['edit', 'unchanged']).toContain(method)
  expect(comments(text)).toEqual(comments(fixture(name)))
  if (name.includes('crlf')) expect(text).not.toMatch(/[^\r]\n/)
  // Stable: the same state written again is the same bytes.
  expect(renderStreamFileDetailed({ text }, structuredClone(model)).method).toBe('unchanged')
  return text
}

describe('writing random model changes onto a commented file', () => {
  it('keeps every comment, uses in-place edits, and re-parses to the model (one write)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BASES), fc.array(op, { minLength: 1, maxLength: 8 }), (name, ops) => {
        const { text, stream } = base(name)
        const model = structuredClone(stream)
        for (const [, apply] of ops) apply(model)
        check(name, text, model)
      }),
      { numRuns: 1000 }
    )
  })

  it('does the same when every change is written as it happens (a run of commits)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BASES), fc.array(op, { minLength: 2, maxLength: 6 }), (name, ops) => {
        let { text, stream: model } = base(name)
        for (const [, apply] of ops) {
          model = structuredClone(model)
          apply(model)
          text = check(name, text, model)
        }
      }),
      { numRuns: 300 }
    )
  })
})
