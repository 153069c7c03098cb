import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import {
  MODELINE,
  fieldLocation,
  newStreamFile,
  parseStreamFile,
  renderStreamFile,
  renderStreamFileDetailed
} from '../../src/stream/state-file.js'
import type { ImageStream, TagEvent } from '../../src/stream/types.js'
import { comments, DIGEST_C, fixture, lineDiff } from './state-support.js'

const FIXTURES = ['reference-import-error.yaml', 'reference-history.yaml', 'web.yaml', 'web-crlf.yaml']

function load(name: string, text = fixture(name)) {
  const parsed = parseStreamFile(text, name)
  expect(parsed.diagnostics).toEqual([])
  return { text, document: parsed.document, stream: parsed.stream as ImageStream }
}

/** What an import of a new digest does to a stream (reference §1 generation rules), kept minimal for the goldens. */
function importNewDigest(stream: ImageStream, tag: string, event: Omit<TagEvent, 'generation'>): ImageStream {
  const next = structuredClone(stream)
  const generation = (next.metadata.generation ?? 0) + 1
  next.metadata.generation = generation
  const specTag = next.spec.tags?.find((t) => t.name === tag)
  if (specTag) specTag.generation = generation
  const statusTag = next.status?.tags?.find((t) => t.tag === tag)
  if (!statusTag) throw new Error(`no status tag ${tag}`)
  statusTag.items = [{ ...event, generation }, ...(statusTag.items ?? [])]
  delete statusTag.conditions
  return next
}

describe('parseStreamFile', () => {
  it.each(FIXTURES)('reads %s into the model', (name) => {
    const { stream } = load(name)
    expect(stream.apiVersion).toBe('image.openshift.io/v1')
    expect(stream.kind).toBe('ImageStream')
    expect(stream.spec.tags?.length).toBeGreaterThan(0)
  })

  it('reads the reference example exactly as OpenShift wrote it', () => {
    const { stream } = load('reference-import-error.yaml')
    expect(stream.metadata).toEqual({
      annotations: { 'openshift.io/image.dockerRepositoryCheck': '2021-06-03T16:24:42Z' },
      generation: 3366,
      name: 'ansible-runner',
      namespace: 'openshift'
    })
    expect(stream.spec.tags?.[0]).toEqual({
      annotations: null,
      from: { kind: 'DockerImage', name: 'docker.io/ansible/ansible-runner:latest' },
      generation: 3365,
      importPolicy: { importMode: 'Legacy' },
      name: 'latest',
      referencePolicy: { type: 'Local' }
    })
    expect(stream.status?.tags?.[0].conditions?.[0]).toMatchObject({
      status: 'False',
      reason: 'InternalError',
      generation: 3365
    })
  })

  it('reads a quoted "1.4" as the tag name and CRLF files like LF ones', () => {
    expect(load('web.yaml').stream.spec.tags?.map((t) => t.name)).toEqual(['1.4', 'prod', 'edge'])
    expect(load('web-crlf.yaml').stream).toEqual(load('web.yaml').stream)
  })

  it('gives a stream without spec an empty spec', () => {
    const { stream } = load('x', 'apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: x\n')
    expect(stream.spec).toEqual({})
  })

  it('locates fields for later diagnostics', () => {
    const { text, document } = load('web.yaml')
    expect(fieldLocation({ file: 'web.yaml', text, document: document! }, ['spec', 'tags', 1, 'from', 'name'])).toEqual(
      {
        file: 'web.yaml',
        line: 25,
        column: 40,
        field: 'spec.tags[1].from.name'
      }
    )
    // A field that does not exist points at its nearest parent.
    expect(
      fieldLocation({ text, document: document! }, ['spec', 'tags', 1, 'importPolicy', 'scheduled'])
    ).toMatchObject({ line: 27, column: 19 })
  })
})

describe('renderStreamFile onto an existing file', () => {
  it.each(FIXTURES)('returns %s byte-for-byte when nothing changed', (name) => {
    const { text, document, stream } = load(name)
    expect(renderStreamFileDetailed({ text, document }, structuredClone(stream))).toEqual({ text, method: 'unchanged' })
  })

  it('keeps a missing final newline and treats an empty spec like a missing one', () => {
    const text = 'apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: x'
    const { stream } = load('x', text)
    expect(renderStreamFile({ text }, stream)).toBe(text)
  })

  it('writes one new TagEvent as only the new item lines and the changed generation lines', () => {
    const { text, stream } = load('web.yaml')
    const next = importNewDigest(stream, '1.4', {
      created: '2024-06-01T08:00:00Z',
      dockerImageReference: `quay.io/acme/web@${DIGEST_C}`,
      image: DIGEST_C
    })
    const out = renderStreamFile({ text }, next)
    expect(lineDiff(text, out)).toEqual({
      removed: ['  generation: 7', '    generation: 7'],
      added: [
        '  generation: 8',
        '    generation: 8',
        '    - created: "2024-06-01T08:00:00Z"',
        `      dockerImageReference: quay.io/acme/web@${DIGEST_C}`,
        `      image: ${DIGEST_C}`,
        '      generation: 8'
      ]
    })
    // The new item is the first one, right under the `items:` line and its comment.
    expect(out).toContain(
      `    items:                           # newest first\n    - created: "2024-06-01T08:00:00Z"\n`
    )
    expect(parseStreamFile(out, 'web.yaml').stream).toEqual(next)
  })

  it('writes a new TagEvent into a list of flow mappings as a flow mapping, quoted like its neighbours', () => {
    const { text, stream } = load('web.yaml')
    const next = structuredClone(stream)
    next.status!.tags![1].items!.unshift({
      created: '2024-06-01T08:00:00Z',
      dockerImageReference: `quay.io/acme/web@${DIGEST_C}`,
      image: DIGEST_C,
      generation: 8
    })
    expect(lineDiff(text, renderStreamFile({ text }, next))).toEqual({
      removed: [],
      added: [
        `    - {created: "2024-06-01T08:00:00Z", dockerImageReference: "quay.io/acme/web@${DIGEST_C}", image: "${DIGEST_C}", generation: 8}`
      ]
    })
  })

  it('follows an alphabetical `oc get -o yaml` file: new items alphabetical, cleared conditions removed', () => {
    const { text, stream } = load('reference-import-error.yaml')
    const next = importNewDigest(stream, 'latest', {
      created: '2024-06-01T08:00:00Z',
      dockerImageReference: `docker.io/ansible/ansible-runner@${DIGEST_C}`,
      image: DIGEST_C
    })
    const out = renderStreamFile({ text }, next)
    expect(out).toContain(
      [
        '  tags:',
        '  - items:',
        '    - created: "2024-06-01T08:00:00Z"',
        `      dockerImageReference: docker.io/ansible/ansible-runner@${DIGEST_C}`,
        '      generation: 3367',
        `      image: ${DIGEST_C}`,
        '    - created: "2020-06-02T11:50:06Z"'
      ].join('\n')
    )
    expect(out).not.toContain('conditions')
    expect(parseStreamFile(out, 'x').stream).toEqual(next)
  })

  it('keeps CRLF line ends on every line it writes', () => {
    const { text, stream } = load('web-crlf.yaml')
    const next = importNewDigest(stream, '1.4', {
      created: '2024-06-01T08:00:00Z',
      dockerImageReference: `quay.io/acme/web@${DIGEST_C}`,
      image: DIGEST_C
    })
    next.metadata.annotations!['imagestream-action.dev/holds'] =
      '{"prod":{"digest":"sha256:x","since":"2024-06-01T08:00:00Z"}}'
    const out = renderStreamFile({ text }, next)
    expect(out).not.toMatch(/[^\r]\n/)
    expect(out.split('\r\n').length).toBe(text.split('\r\n').length + 5)
    expect(out.replace(/\r\n/g, '\n')).toBe(renderStreamFile({ text: fixture('web.yaml') }, next))
  })

  it('keeps a missing final newline when it adds to the end of the file', () => {
    const text = fixture('web.yaml').replace(/\n# Keep this file sorted[^\n]*\n$/, '')
    expect(text.endsWith('generation: 5')).toBe(true)
    const { stream } = load('web.yaml', text)
    const next = structuredClone(stream)
    next.status!.tags!.push({ tag: 'canary', items: null })
    const out = renderStreamFile({ text }, next)
    expect(out.endsWith('  - tag: canary\n    items: null')).toBe(true)
    const removed = structuredClone(next)
    removed.status!.tags!.pop()
    expect(renderStreamFile({ text: out }, removed)).toBe(text)
  })

  it('keeps comments, quoting and flow style of what it edits in place', () => {
    const { text, stream } = load('web.yaml')
    const next = structuredClone(stream)
    next.spec.tags![0].from!.name = 'quay.io/acme/web:1.5'
    next.spec.tags![1].from!.name = 'web:1.5'
    next.spec.tags![2].from!.name = 'quay.io/acme/web:next'
    const out = renderStreamFile({ text }, next)
    expect(lineDiff(text, out).added).toEqual([
      '    from: {kind: DockerImage, name: quay.io/acme/web:1.5}',
      '    from: {kind: ImageStreamTag, name: "web:1.5"}',
      '      name: "quay.io/acme/web:next"'
    ])
    expect(comments(out)).toEqual(comments(text))
  })

  it('inserts new keys in OpenShift struct order and deletes removed ones with their lines only', () => {
    const { text, stream } = load('web.yaml')
    const next = structuredClone(stream)
    const edge = next.spec.tags![2]
    edge.reference = true
    delete edge.annotations
    next.spec.tags![0].importPolicy!.insecure = true
    const out = renderStreamFile({ text }, next)
    expect(lineDiff(text, out)).toEqual({
      removed: [
        '    importPolicy: {scheduled: true, importMode: Legacy}',
        '    annotations:',
        '      importer.image.openshift.io/prefer-arch: arm64'
      ],
      added: ['    importPolicy: {insecure: true, scheduled: true, importMode: Legacy}', '    reference: true']
    })
    expect(out).toContain('      name: "quay.io/acme/web:edge"\n    reference: true\n    generation: 5\n')
  })

  it('quotes values YAML would read as another type, and timestamps', () => {
    const { text, stream } = load('web.yaml')
    const next = structuredClone(stream)
    next.metadata.labels = { version: '2.0', enabled: 'yes', empty: '', note: 'a: b', plain: 'web' }
    next.spec.tags!.push({
      name: '0777',
      annotations: null,
      from: { kind: 'DockerImage', name: 'quay.io/acme/web:0777' },
      generation: 8
    })
    const out = renderStreamFile({ text }, next)
    expect(out).toContain(
      '  labels:\n    empty: ""\n    enabled: "yes"\n    note: \'a: b\'\n    plain: web\n    version: "2.0"\n'
    )
    // The new tag copies its neighbour's quoting (`name: 'edge'` is single-quoted) where that reads back the same.
    expect(out).toContain("  - name: '0777'\n")
    expect(parseStreamFile(out, 'x').stream).toEqual(next)
  })

  it('is stable: the same state writes the same bytes, and writing again changes nothing', () => {
    const { text, stream } = load('reference-history.yaml')
    const next = importNewDigest(stream, '1.4', {
      created: '2024-06-01T08:00:00Z',
      dockerImageReference: `quay.io/acme/web@${DIGEST_C}`,
      image: DIGEST_C
    })
    const once = renderStreamFile({ text }, next)
    expect(renderStreamFile({ text }, structuredClone(next))).toBe(once)
    expect(renderStreamFile({ text: once }, next)).toBe(once)
  })

  it('refuses to write a model that would not read back', () => {
    const { text, stream } = load('web.yaml')
    const next = structuredClone(stream)
    ;(next.spec as Record<string, unknown>).lastPoll = 'now'
    expect(() => renderStreamFile({ text }, next)).toThrow('spec.lastPoll: unknown field "lastPoll"')
    const dup = structuredClone(stream)
    dup.spec.tags!.push(structuredClone(dup.spec.tags![0]))
    expect(() => renderStreamFile({ text }, dup)).toThrow('duplicate')
  })
})

describe('new files', () => {
  it('newStreamFile writes the modeline and `oc create imagestream` fields', () => {
    const text = newStreamFile('web', 'shop')
    expect(text).toBe(
      `${MODELINE}\napiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  lookupPolicy:\n    local: false\n`
    )
    expect(parseStreamFile(text, 'web.yaml').diagnostics).toEqual([])
    expect(() => newStreamFile('Web_App')).toThrow('not a valid ImageStream name: must match')
  })

  it('renders a whole stream in OpenShift field order with annotations: null and quoted times', () => {
    const { stream } = load('reference-import-error.yaml')
    const text = renderStreamFile(undefined, stream)
    expect(text.split('\n')[0]).toBe(MODELINE)
    expect(text).toContain(
      [
        'spec:',
        '  lookupPolicy:',
        '    local: true',
        '  tags:',
        '  - name: latest',
        '    annotations: null',
        '    from:',
        '      kind: DockerImage',
        '      name: docker.io/ansible/ansible-runner:latest',
        '    generation: 3365',
        '    importPolicy:',
        '      importMode: Legacy',
        '    referencePolicy:',
        '      type: Local',
        'status:'
      ].join('\n')
    )
    expect(text).toContain(
      '    conditions:\n    - type: ImportSuccess\n      status: "False"\n      lastTransitionTime: "2021-06-03T16:24:42Z"\n'
    )
    expect(parse(text)).toEqual(stream)
    expect(text.indexOf('apiVersion')).toBeLessThan(text.indexOf('kind:'))
    expect(text.indexOf('metadata:')).toBeLessThan(text.indexOf('spec:'))
  })
})
