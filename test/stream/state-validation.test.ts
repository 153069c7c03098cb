import { describe, expect, it } from '@jest/globals'
import { parseStreamFile } from '../../src/stream/state-file.js'
import { formatDiagnostic } from '../../src/util/errors.js'

const FILE = 'imagestreams/web.yaml'
const BASE = `apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: web
spec:
  tags:
  - name: "1.4"
    from:
      kind: DockerImage
      name: quay.io/acme/web:1.4
`
const STATUS = 'status:\n  dockerImageRepository: x\n  tags:\n'

/** Each case: the file text, and the diagnostics as a person sees them (file:line:column: field: severity: message). */
const CASES: Array<[string, string, RegExp[]]> = [
  [
    'YAML syntax error',
    BASE + '  - name: [oops\n',
    [/^imagestreams\/web\.yaml:12:1: spec\.tags\[1\]\.name: error: YAML: Flow sequence/]
  ],
  [
    'duplicate key',
    BASE.replace('  name: web\n', '  name: web\n  name: other\n'),
    [/^imagestreams\/web\.yaml:5:3: metadata\.name: error: YAML: duplicate key/]
  ],
  [
    'wrong apiVersion',
    BASE.replace('image.openshift.io/v1', 'apps/v1'),
    [
      /^imagestreams\/web\.yaml:1:13: apiVersion: error: must be one of "image\.openshift\.io\/v1", "v1", found the string "apps\/v1"$/
    ]
  ],
  [
    'wrong kind (and nothing else reported)',
    BASE.replace('kind: ImageStream', 'kind: Deployment') + '  replicas: 3\n',
    [/^imagestreams\/web\.yaml:2:7: kind: error: must be "ImageStream", found the string "Deployment"$/]
  ],
  [
    'unknown field under spec',
    BASE + '  bogus: 1\n',
    [
      /^imagestreams\/web\.yaml:11:3: spec\.bogus: error: unknown field "bogus" \(allowed: dockerImageRepository, lookupPolicy, tags\); OpenShift/
    ]
  ],
  [
    'unknown field under status',
    BASE + STATUS.replace('  tags:\n', '  lastPoll: now\n'),
    [/^imagestreams\/web\.yaml:13:3: status\.lastPoll: error: unknown field "lastPoll"/]
  ],
  [
    'unknown field in a tag',
    BASE + '    importPolicy: {schedule: true}\n',
    [
      /^imagestreams\/web\.yaml:11:20: spec\.tags\[0\]\.importPolicy\.schedule: error: unknown field "schedule" \(allowed: importMode, insecure, scheduled\)/
    ]
  ],
  [
    'unquoted 1.4 as a tag name',
    BASE.replace('name: "1.4"', 'name: 1.4'),
    [
      /^imagestreams\/web\.yaml:7:11: spec\.tags\[0\]\.name: error: expected a string, found the number 1\.4 \(YAML reads an unquoted 1\.4 as a number; quote it: "1\.4"\)$/
    ]
  ],
  [
    'YAML 1.1 boolean, as kubectl reads it',
    BASE.replace('name: "1.4"', 'name: on'),
    [
      /^imagestreams\/web\.yaml:7:11: spec\.tags\[0\]\.name: error: expected a string, found the boolean true \(YAML reads an unquoted on as a boolean; quote it: "on"\)$/
    ]
  ],
  [
    'a list where a string belongs',
    BASE.replace('      name: quay.io/acme/web:1.4', '      name: [a]'),
    [/^imagestreams\/web\.yaml:10:13: spec\.tags\[0\]\.from\.name: error: expected a string, found a list$/]
  ],
  [
    'a string where a boolean belongs',
    BASE + '    reference: "true"\n',
    [
      /^imagestreams\/web\.yaml:11:16: spec\.tags\[0\]\.reference: error: expected a boolean \(true or false\), found the string "true"$/
    ]
  ],
  [
    'bad enum value',
    BASE.replace('kind: DockerImage', 'kind: Docker'),
    [
      /^imagestreams\/web\.yaml:9:13: spec\.tags\[0\]\.from\.kind: error: must be one of "DockerImage", "ImageStreamTag", "ImageStreamImage", found the string "Docker"$/
    ]
  ],
  [
    'duplicate spec tag name',
    BASE + '  - name: "1.4"\n',
    [/^imagestreams\/web\.yaml:11:11: spec\.tags\[1\]\.name: error: duplicate spec tag name "1\.4" \(first at line 7\)/]
  ],
  [
    'duplicate status tag',
    BASE + STATUS + '  - tag: a\n    items: null\n  - tag: a\n    items: []\n',
    [/^imagestreams\/web\.yaml:16:10: status\.tags\[1\]\.tag: error: duplicate status tag "a" \(first at line 14\)/]
  ],
  [
    'name not valid for ValidateImageStreamName',
    BASE.replace('name: web', 'name: Web_App'),
    [
      /^imagestreams\/web\.yaml:4:9: metadata\.name: error: the string "Web_App" is not a valid ImageStream name: must match/
    ]
  ],
  [
    'name too long',
    BASE.replace('name: web', `name: ${'a'.repeat(254)}`),
    [/^imagestreams\/web\.yaml:4:9: metadata\.name: error: .* must be no more than 253 characters/]
  ],
  [
    'missing name',
    BASE.replace('  name: web\n', '  namespace: shop\n'),
    [/^imagestreams\/web\.yaml:4:3: metadata\.name: error: missing required field "name"$/]
  ],
  [
    'missing items',
    BASE + STATUS + '  - tag: a\n',
    [/^imagestreams\/web\.yaml:14:5: status\.tags\[0\]\.items: error: missing required field "items"$/]
  ],
  [
    'not an RFC 3339 time',
    BASE +
      STATUS +
      '  - tag: a\n    items:\n    - created: yesterday\n      dockerImageReference: x\n      image: "y"\n      generation: 1\n',
    [
      /^imagestreams\/web\.yaml:16:16: status\.tags\[0\]\.items\[0\]\.created: error: expected an RFC 3339 time such as "2024-05-02T09:15:03Z", found the string "yesterday"$/
    ]
  ],
  [
    'negative generation',
    BASE + '    generation: -1\n',
    [/^imagestreams\/web\.yaml:11:17: spec\.tags\[0\]\.generation: error: must be >= 0$/]
  ],
  [
    'non-string key',
    BASE.replace('  name: web\n', '  name: web\n  annotations:\n    1: x\n'),
    [
      /^imagestreams\/web\.yaml:6:5: metadata\.annotations\["1"\]: error: keys must be strings; YAML reads 1 as a number: quote it$/
    ]
  ],
  [
    'merge keys are not OpenShift fields',
    BASE + '    <<: {generation: 2}\n',
    [/^imagestreams\/web\.yaml:11:5: spec\.tags\[0\]\["<<"\]: error: unknown field "<<"/]
  ],
  [
    'tabs as indentation',
    BASE.replace('  name: web', '\tname: web'),
    [/^imagestreams\/web\.yaml:4:1: error: YAML: tabs are not allowed as indentation/]
  ],
  [
    'two documents',
    BASE + '---\n' + BASE,
    [/^imagestreams\/web\.yaml:11:1: error: a state file holds exactly one ImageStream/]
  ],
  [
    'empty file',
    '# nothing here\n',
    [/^imagestreams\/web\.yaml:1:1: error: file is empty; expected an image\.openshift\.io\/v1 ImageStream$/]
  ],
  [
    'a list at the top',
    '- a\n',
    [/^imagestreams\/web\.yaml:1:1: error: expected an image\.openshift\.io\/v1 ImageStream mapping/]
  ],
  [
    'alias bomb',
    'x-a: &a [x, x, x, x, x, x, x, x, x]\nx-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nx-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nx-d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n' +
      BASE,
    [/^imagestreams\/web\.yaml:1:1: error: YAML aliases expand to too much data \(over 100 alias expansions\)/]
  ],
  [
    'oversize file',
    BASE + `#${'x'.repeat(5 * 1024 * 1024)}\n`,
    [/^imagestreams\/web\.yaml:1:1: error: file is 5243\d+ bytes, over the 5242880-byte limit/]
  ]
]

describe('parseStreamFile rejects, with file:line:column and field', () => {
  it.each(CASES)('%s', (_name, text, expected) => {
    const result = parseStreamFile(text, FILE)
    expect(result.stream).toBeUndefined()
    const shown = result.diagnostics.map(formatDiagnostic)
    expect(shown).toHaveLength(expected.length)
    shown.forEach((line, i) => expect(line).toMatch(expected[i]))
    for (const d of result.diagnostics) expect(d.severity).toBe('error')
  })

  it('ValidateImageStreamTagReference: importPolicy.scheduled only on a DockerImage source', () => {
    const tags = (kind: string, name: string) =>
      BASE +
      `  - name: s\n    from:\n      kind: ${kind}\n      name: ${name}\n    importPolicy:\n      scheduled: true\n`
    for (const [kind, name] of [
      ['ImageStreamTag', 'web:1.4'],
      ['ImageStreamImage', `web@sha256:${'a'.repeat(64)}`]
    ]) {
      const result = parseStreamFile(tags(kind, name), FILE)
      expect(result.stream).toBeUndefined()
      expect(result.diagnostics.map(formatDiagnostic)).toEqual([
        `${FILE}:16:18: spec.tags[1].importPolicy.scheduled: error: only tags pointing to Docker repositories may be ` +
          `scheduled for background import (from is ${kind}); remove scheduled, or point the tag at a DockerImage`
      ])
    }
    // A scheduled DockerImage tag is what scheduling is for.
    expect(parseStreamFile(tags('DockerImage', 'quay.io/acme/web:2'), FILE).diagnostics).toEqual([])
  })

  it('reports every schema problem of a file, not just the first', () => {
    const text = BASE + '    generation: "7"\n    reference: 1\n  bogus: true\n'
    const fields = parseStreamFile(text, FILE).diagnostics.map((d) => d.field)
    expect(fields.sort()).toEqual(['spec.bogus', 'spec.tags[0].generation', 'spec.tags[0].reference'])
  })

  it('accepts what kubectl accepts: a few aliases, null creationTimestamp, unquoted timestamps', () => {
    const text =
      'apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: web\n  creationTimestamp: null\n  labels: &l {app: web}\n  annotations: *l\n' +
      'spec:\n  tags:\n  - name: latest\n    from: {kind: DockerImage, name: x}\nstatus:\n  dockerImageRepository: ""\n  tags:\n  - tag: latest\n    items:\n' +
      '    - created: 2024-05-02T09:15:03Z\n      dockerImageReference: x@sha256:0000000000000000000000000000000000000000000000000000000000000001\n      image: sha256:0000000000000000000000000000000000000000000000000000000000000001\n      generation: 1\n'
    const result = parseStreamFile(text, FILE)
    expect(result.diagnostics).toEqual([])
    expect(result.stream?.metadata.annotations).toEqual({ app: 'web' })
    expect(result.stream?.status?.tags?.[0].items?.[0].created).toBe('2024-05-02T09:15:03Z')
  })
})
