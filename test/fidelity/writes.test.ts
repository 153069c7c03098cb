/**
 * Writes change only what they must: a JSON stream stays JSON, a BOM changes nothing about the edit, bytes that are
 * not UTF-8 survive, and a one-line annotation replacing a block scalar keeps the line break after it.
 */
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parseAllDocuments, parse } from 'yaml'
import { parseStreamFile, renderStreamFile } from '../../src/stream/state-file.js'
import { loadStreams } from '../../src/stream/state-store.js'
import type { ImageStream } from '../../src/stream/types.js'
import { rewriteManifests } from '../../src/triggers/rewrite.js'
import { scanManifests } from '../../src/triggers/scan.js'
import { writeFiles } from '../../src/pipeline/write-files.js'
import { setTriggers } from '../../src/triggers/set-triggers.js'
import { decodeText, encodeText } from '../../src/yaml/bytes.js'

const DIGEST = `sha256:${'ab'.repeat(32)}`

const JSON_STREAM = `{
    "kind": "ImageStream",
    "apiVersion": "image.openshift.io/v1",
    "metadata": {
        "name": "ruby",
        "annotations": {
            "openshift.io/display-name": "Ruby \\u0026 Rails"
        }
    },
    "spec": {
        "tags": [
            {
                "name": "3.3",
                "from": {
                    "kind": "DockerImage",
                    "name": "quay.io/acme/ruby:3.3"
                },
                "referencePolicy": {
                    "type": "Local"
                }
            }
        ]
    }
}
`

/** What an import writes: a generation and the tag's first event. */
function imported(stream: ImageStream): ImageStream {
  const next = structuredClone(stream)
  next.metadata.generation = 2
  next.status = {
    dockerImageRepository: '',
    tags: [
      {
        tag: '3.3',
        items: [
          {
            created: '2024-01-01T00:00:00Z',
            dockerImageReference: `quay.io/acme/ruby@${DIGEST}`,
            image: DIGEST,
            generation: 2
          }
        ]
      }
    ]
  }
  return next
}

describe('renderStreamFile keeps the file format', () => {
  it('a JSON stream file stays JSON, in its indentation, key order and Go escapes', () => {
    const parsed = parseStreamFile(JSON_STREAM, 'ruby.json')
    expect(parsed.diagnostics).toEqual([])
    const out = renderStreamFile({ text: JSON_STREAM, document: parsed.document }, imported(parsed.stream!))
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(imported(parsed.stream!))))
    // Every line of the original is still there, in order, unchanged (new lines only added).
    const lines = out.split('\n')
    let at = 0
    for (const line of JSON_STREAM.split('\n')) {
      const found = lines.indexOf(line.replace('"ruby",', '"ruby",'), at)
      if (line.trim() === '}' || line.trim() === '},' || line === '') continue
      expect(found).toBeGreaterThanOrEqual(at)
      at = found
    }
    expect(out).toContain('"Ruby \\u0026 Rails"')
    expect(out).toMatch(/\n {4}"status": \{\n {8}"dockerImageRepository": "",/)
    expect(out.endsWith('}\n')).toBe(true)
  })

  const YAML_STREAM = [
    'apiVersion: image.openshift.io/v1',
    'kind: ImageStream',
    'metadata:',
    '  name: ruby',
    '  annotations:',
    '    description: >-',
    '      Build and run',
    '      Ruby apps',
    "    'quoted': 'kept'",
    'spec:',
    '  tags:',
    '  - name: "3.3"',
    '    from: {kind: DockerImage, name: "quay.io/acme/ruby:3.3"}',
    ''
  ].join('\n')

  it('a file with a UTF-8 BOM changes exactly as the same file without one', () => {
    const plain = parseStreamFile(YAML_STREAM, 'a.yaml')
    const withBom = parseStreamFile(`\uFEFF${YAML_STREAM}`, 'b.yaml')
    expect(withBom.diagnostics).toEqual([])
    const next = imported(plain.stream!)
    const a = renderStreamFile({ text: YAML_STREAM, document: plain.document }, next)
    const b = renderStreamFile({ text: `\uFEFF${YAML_STREAM}`, document: withBom.document }, next)
    expect(b).toBe(`\uFEFF${a}`)
    expect(a).toContain("    description: >-\n      Build and run\n      Ruby apps\n    'quoted': 'kept'\nspec:\n")
    expect(a.startsWith('apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n')).toBe(true)
  })
})

describe('bytes that are not UTF-8', () => {
  let root: string
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'isa-bytes-'))
  })
  afterAll(async () => rm(root, { recursive: true, force: true }))

  it('decodeText/encodeText give back the very bytes, Latin-1 and UTF-8 mixed', () => {
    const bytes = Buffer.concat([
      Buffer.from('# caf'),
      Buffer.from([0xe9, 0x20]),
      Buffer.from('é 😀\n'),
      Buffer.from([0xff, 0xc3])
    ])
    expect(encodeText(decodeText(bytes)).equals(bytes)).toBe(true)
  })

  it('apply-triggers leaves a Latin-1 byte in an unrelated comment as it was', async () => {
    await mkdir(join(root, 'deploy'), { recursive: true })
    const head = Buffer.from('# maintainer: Jos')
    const tail = Buffer.from(
      ' (ops)\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n' +
        '    image: quay.io/acme/web:1.4 # {"$imagestream": "web:1.4"}\n'
    )
    const before = Buffer.concat([head, Buffer.from([0xe9]), tail])
    await writeFile(join(root, 'deploy/web.yaml'), before)
    const scan = await scanManifests(root, { include: ['deploy/*.yaml'] })
    const web: ImageStream = {
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStream',
      metadata: { name: 'web' },
      spec: { tags: [{ name: '1.4', from: { kind: 'DockerImage', name: 'quay.io/acme/web:1.4' } }] },
      status: {
        dockerImageRepository: '',
        tags: [
          {
            tag: '1.4',
            items: [
              {
                created: '2024-01-01T00:00:00Z',
                dockerImageReference: `quay.io/acme/web@${DIGEST}`,
                image: DIGEST,
                generation: 1
              }
            ]
          }
        ]
      }
    }
    const result = rewriteManifests(scan.files, [web])
    expect(result.changed).toHaveLength(1)
    await writeFiles(root, result.changed)
    const after = await readFile(join(root, 'deploy/web.yaml'))
    const expected = Buffer.from(
      before.toString('latin1').replace('quay.io/acme/web:1.4 #', `quay.io/acme/web@${DIGEST} #`),
      'latin1'
    )
    expect(after.equals(expected)).toBe(true)
  })

  it('a stream file that is not UTF-8 is refused with the line and column of the first bad byte', async () => {
    await mkdir(join(root, 'imagestreams'), { recursive: true })
    const text = Buffer.concat([
      Buffer.from('apiVersion: image.openshift.io/v1\n# caf'),
      Buffer.from([0xe9]),
      Buffer.from('\n')
    ])
    await writeFile(join(root, 'imagestreams/x.yaml'), text)
    const loaded = await loadStreams(root, 'imagestreams/*.yaml')
    expect(loaded.diagnostics).toEqual([
      expect.objectContaining({
        file: 'imagestreams/x.yaml',
        line: 2,
        column: 6,
        message: expect.stringMatching(/not valid UTF-8/)
      })
    ])
  })
})

describe('oc set triggers over a block-scalar annotation (updateTriggers)', () => {
  const manifest = (style: string) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      '  annotations:',
      `    image.openshift.io/triggers: ${style}`,
      '      [{"from":{"kind":"ImageStreamTag","name":"web:1.4"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"web\\")].image"}]',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: web',
      '        image: quay.io/acme/web:1.4',
      ''
    ].join('\n')

  it.each(['>-', '|', '|-', '>'])('--manual on a %s annotation keeps the newline and the YAML valid', (style) => {
    const before = manifest(style)
    const r = setTriggers(before, {
      kind: 'deployment',
      name: 'web',
      fromImage: 'web:1.4',
      containers: ['web'],
      mode: 'manual'
    })
    expect(r.changed).toBe(true)
    expect(parseAllDocuments(r.text).every((d) => (d as { errors: unknown[] }).errors.length === 0)).toBe(true)
    expect(r.text).toMatch(/\]'\nspec:\n/)
    expect(JSON.parse(parse(r.text).metadata.annotations['image.openshift.io/triggers'])[0].paused).toBe(true)
  })

  it('--remove on a block-scalar annotation keeps the newline', () => {
    const r = setTriggers(manifest('>-'), { kind: 'deployment', name: 'web', fromImage: 'web:1.4', remove: true })
    expect(r.text).toMatch(/triggers: 'null'\nspec:\n|triggers: null\nspec:\n|triggers: '\[\]'\nspec:\n/)
    expect(parse(r.text).spec.template.spec.containers[0].name).toBe('web')
  })
})
