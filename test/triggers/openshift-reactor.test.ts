/**
 * The annotation trigger reactor, rule by rule as OpenShift runs it: library-go's UpdateObjectFromImages and
 * findContainerBySelector ([lg] pkg/image/trigger/annotations.go), GetContainerByName
 * ([lg] pkg/image/referencemutator/pods.go), and the resolver's reference tags (resolveReferenceForTagEvent,
 * [lg] pkg/image/imageutil/helpers.go). TestAnnotationsReactor is ported from [lg] pkg/image/trigger/annotations_test.go
 * case by case: the fake tag retriever becomes a stream whose items[0] holds the retriever's ref.
 */
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { recordReferenceTags } from '../../src/stream/rules/import.js'
import type { ImageStream } from '../../src/stream/types.js'
import { formatTriggerAnnotation, type ObjectFieldTrigger } from '../../src/triggers/annotation.js'
import { rewriteManifests } from '../../src/triggers/rewrite.js'
import { digest, stream } from './helpers.js'

interface Trigger {
  name: string
  fieldPath: string
  paused?: boolean
}

const NS = 'other'

/** testStatefulSet: containers sorted by name, a `-` prefix marks an init container. */
function testStatefulSet(triggers: Trigger[] | undefined, containers: Record<string, string> = {}): string {
  const fieldTriggers: ObjectFieldTrigger[] = (triggers ?? []).map((t) => ({
    from: { kind: 'ImageStreamTag', name: t.name, namespace: NS, apiVersion: '' },
    fieldPath: t.fieldPath,
    paused: t.paused === true
  }))
  const names = Object.keys(containers).sort()
  const list = (init: boolean) =>
    names
      .filter((n) => n.startsWith('-') === init)
      .flatMap((n) => [`      - name: ${init ? n.slice(1) : n}`, `        image: ${JSON.stringify(containers[n])}`])
  const init = list(true)
  const regular = list(false)
  return [
    'apiVersion: apps/v1beta1',
    'kind: StatefulSet',
    'metadata:',
    '  name: test',
    '  namespace: default',
    ...(triggers
      ? ['  annotations:', `    image.openshift.io/triggers: '${formatTriggerAnnotation(fieldTriggers)}'`]
      : []),
    'spec:',
    '  template:',
    '    spec:',
    ...(init.length ? ['      initContainers:', ...init] : []),
    ...(regular.length ? ['      containers:', ...regular] : []),
    ''
  ].join('\n')
}

/** fakeTagRetriever{{Namespace: "other", Name: "stream-1:1", Ref: "image-lookup-1"}} as a stream. */
const LOOKUP_1 = [
  {
    ...stream('stream-1', NS, { '1': { items: [digest('a1')] } }),
    status: {
      dockerImageRepository: '',
      tags: [
        {
          tag: '1',
          items: [
            {
              created: '2024-01-01T00:00:00Z',
              dockerImageReference: 'image-lookup-1',
              image: digest('a1'),
              generation: 1
            }
          ]
        }
      ]
    }
  } satisfies ImageStream
]

function images(text: string): Record<string, string> {
  const spec = parse(text).spec?.template?.spec ?? {}
  const out: Record<string, string> = {}
  for (const c of spec.initContainers ?? []) out[`-${c.name}`] = c.image
  for (const c of spec.containers ?? []) out[c.name] = c.image
  return out
}

const byName = (c: string, list = 'containers') => `spec.template.spec.${list}[?(@.name=="${c}")].image`

describe('TestAnnotationsReactor ([lg] pkg/image/trigger/annotations_test.go, UpdateObjectFromImages)', () => {
  const cases: Array<{
    name: string
    tags: ImageStream[]
    obj: string
    expected?: Record<string, string>
    expectedErr?: string
  }> = [
    { name: 'an object without the annotation', tags: [], obj: testStatefulSet(undefined) },
    {
      name: 'no container, expect error',
      tags: LOOKUP_1,
      obj: testStatefulSet([{ name: 'stream-1:1', fieldPath: byName('test') }]),
      expectedErr: 'no such container'
    },
    {
      name: 'container, but path spec is wrong (no .image), expect error',
      tags: LOOKUP_1,
      obj: testStatefulSet([{ name: 'stream-1:1', fieldPath: 'spec.template.spec.containers[?(@.name=="test")]' }], {
        test: ''
      }),
      expectedErr: 'field path is not valid'
    },
    {
      name: 'container, but path spec is wrong (unclosed selector), expect error',
      tags: LOOKUP_1,
      obj: testStatefulSet(
        [{ name: 'stream-1:1', fieldPath: 'spec.template.spec.containers[?(@.name=="test").image' }],
        {
          test: ''
        }
      ),
      expectedErr: 'field path is not valid'
    },
    {
      name: 'container, but path spec is wrong (@.name=test), expect error',
      tags: LOOKUP_1,
      obj: testStatefulSet([{ name: 'stream-1:1', fieldPath: 'spec.template.spec.containers[@.name=test].image' }], {
        test: ''
      }),
      expectedErr: 'no such container'
    },
    {
      name: 'no ref, no change',
      tags: [],
      obj: testStatefulSet([{ name: 'stream-1:1', fieldPath: byName('test') }], { test: '' })
    },
    {
      name: 'resolved without a change in another namespace',
      tags: LOOKUP_1,
      obj: testStatefulSet([{ name: 'stream-1:1', fieldPath: byName('test') }], { test: '' }),
      expected: { test: 'image-lookup-1' }
    },
    {
      name: 'resolved for init containers',
      tags: LOOKUP_1,
      obj: testStatefulSet([{ name: 'stream-1:1', fieldPath: byName('test', 'initContainers') }], { '-test': '' }),
      expected: { '-test': 'image-lookup-1' }
    },
    {
      name: 'will not resolve if not automatic',
      tags: LOOKUP_1,
      obj: testStatefulSet([{ name: 'stream-1:1', fieldPath: byName('test'), paused: true }], { test: '' })
    },
    {
      name: 'will fire if only one trigger resolves',
      tags: LOOKUP_1,
      obj: testStatefulSet(
        [
          { name: 'stream-1:1', fieldPath: byName('test') },
          { name: 'stream-2:1', fieldPath: byName('test2') }
        ],
        { test: '', test2: '' }
      ),
      expected: { test: 'image-lookup-1', test2: '' }
    },
    {
      name: 'will fire if a trigger has already been resolved before',
      tags: LOOKUP_1,
      obj: testStatefulSet(
        [
          { name: 'stream-1:1', fieldPath: byName('test') },
          { name: 'stream-2:1', fieldPath: byName('test2') }
        ],
        { test: '', test2: 'old-image' }
      ),
      expected: { test: 'image-lookup-1', test2: 'old-image' }
    },
    {
      name: 'will fire if both triggers are resolved',
      tags: LOOKUP_1,
      obj: testStatefulSet(
        [
          { name: 'stream-1:1', fieldPath: byName('test') },
          { name: 'stream-1:1', fieldPath: byName('test2') }
        ],
        { test: '', test2: '' }
      ),
      expected: { test: 'image-lookup-1', test2: 'image-lookup-1' }
    }
  ]

  it.each(cases)('$name', ({ tags, obj, expected, expectedErr }) => {
    const r = rewriteManifests([{ path: 'sts.yaml', text: obj }], tags)
    const errors = r.diagnostics.filter((d) => d.severity === 'error')
    if (expectedErr) {
      expect(errors).toEqual([
        expect.objectContaining({ file: 'sts.yaml', message: expect.stringContaining(expectedErr) })
      ])
      expect(r.changed).toEqual([])
      return
    }
    expect(errors).toEqual([])
    if (!expected) {
      expect(r.changed).toEqual([])
      return
    }
    expect(r.changed).toHaveLength(1)
    expect(images(r.changed[0].text)).toEqual(expected)
  })
})

describe('findContainerBySelector / GetContainerByName: a name selects init containers first, in either list', () => {
  const catalog = LOOKUP_1
  const rewrite = (fieldPath: string, containers: Record<string, string>) =>
    rewriteManifests(
      [{ path: 'sts.yaml', text: testStatefulSet([{ name: 'stream-1:1', fieldPath }], containers) }],
      catalog
    )

  it('containers[?(@.name=="init")] (what oc set triggers -c init writes) sets the init container', () => {
    const r = rewrite(byName('init'), { '-init': 'busybox', web: 'nginx' })
    expect(r.diagnostics).toEqual([])
    expect(images(r.changed[0].text)).toEqual({ '-init': 'image-lookup-1', web: 'nginx' })
    expect(r.changed[0].edits[0].field).toBe('spec.template.spec.initContainers[0].image')
  })

  it('initContainers[?(@.name=="web")] sets a regular container named web', () => {
    const r = rewrite(byName('web', 'initContainers'), { '-init': 'busybox', web: 'nginx' })
    expect(images(r.changed[0].text)).toEqual({ '-init': 'busybox', web: 'image-lookup-1' })
  })

  it('a name both lists have picks the init container', () => {
    const r = rewrite(byName('same'), { '-same': 'a', same: 'b' })
    expect(images(r.changed[0].text)).toEqual({ '-same': 'image-lookup-1', same: 'b' })
  })

  it('an index stays in the list the path names (GetContainerByIndex)', () => {
    const r = rewrite('spec.template.spec.initContainers[0].image', { '-init': 'busybox', web: 'nginx' })
    expect(images(r.changed[0].text)).toEqual({ '-init': 'image-lookup-1', web: 'nginx' })
    const none = rewrite('spec.template.spec.initContainers[1].image', { '-init': 'busybox', web: 'nginx' })
    expect(none.changed).toEqual([])
    expect(none.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringContaining('no such container: initContainers[1]')
      })
    ])
  })

  it('a bare name is not a selector: containers[web] finds nothing, though a container is named web', () => {
    const r = rewrite('spec.template.spec.containers[web].image', { web: 'nginx' })
    expect(r.changed).toEqual([])
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringContaining('no such container') })
    ])
  })
})

describe('resolveReferenceForTagEvent: a reference: true tag gives its from.name', () => {
  const NOW = '2024-05-02T09:15:03Z'
  function referenceStream(policy: 'Source' | 'Local'): ImageStream {
    const s: ImageStream = {
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStream',
      metadata: { name: 'web', generation: 2 },
      spec: {
        tags: [
          {
            name: '1.4',
            from: { kind: 'DockerImage', name: 'quay.io/acme/web:1.4' },
            reference: true,
            referencePolicy: { type: policy },
            generation: 2
          }
        ]
      },
      status: {
        dockerImageRepository: policy === 'Local' ? 'image-registry.openshift-image-registry.svc:5000/shop/web' : ''
      }
    }
    // tagReferenceToTagEvent: the tag's history is the reference, with no image.
    return recordReferenceTags(s, NOW).stream
  }
  const deployment = (image: string, marker = '') =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      '  annotations:',
      `    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"web:1.4"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"web\\")].image"}]'`,
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: web',
      `        image: ${image}`,
      `      - name: side${marker}`,
      ''
    ].join('\n')

  it.each(['Source', 'Local'] as const)(
    '%s policy: the manifest gets quay.io/acme/web:1.4, byte-exact elsewhere',
    (policy) => {
      const s = referenceStream(policy)
      expect(s.status?.tags?.[0].items?.[0]).toMatchObject({ dockerImageReference: 'quay.io/acme/web:1.4', image: '' })
      const before = deployment('quay.io/acme/web@' + digest('a1'))
      const r = rewriteManifests([{ path: 'd.yaml', text: before }], [s])
      expect(r.diagnostics).toEqual([])
      expect(r.changed[0].text).toBe(deployment('quay.io/acme/web:1.4'))
      expect(r.pinnedDigests).toEqual([])
    }
  )

  it('pin-format tag-digest writes the reference too: there is no digest to add', () => {
    const r = rewriteManifests([{ path: 'd.yaml', text: deployment('x') }], [referenceStream('Source')], {
      pinFormat: 'tag-digest'
    })
    expect(r.changed[0].text).toBe(deployment('quay.io/acme/web:1.4'))
  })

  it('a :digest marker has nothing to write and says why; :name and :tag markers get their parts', () => {
    const text =
      'image:\n  repository: x # {"$imagestream": "web:1.4:name"}\n  tag: y # {"$imagestream": "web:1.4:tag"}\n  digest: z # {"$imagestream": "web:1.4:digest"}\n'
    const r = rewriteManifests([{ path: 'values.yaml', text }], [referenceStream('Source')])
    expect(parse(r.changed[0].text).image).toEqual({ repository: 'quay.io/acme/web', tag: '1.4', digest: 'z' })
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line: 4,
        message: expect.stringContaining('no digest for a :digest marker')
      })
    ])
  })
})
