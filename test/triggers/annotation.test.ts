/**
 * The trigger annotation's grammar, rule by rule, as library-go reads it
 * ([lg] pkg/image/trigger/annotations.go, pkg/image/referencemutator/pods.go; reference §5 "Parsing rules").
 */
import { describe, expect, it } from '@jest/globals'
import { parseTriggerAnnotation, formatTriggerAnnotation } from '../../src/triggers/annotation.js'
import { parseFieldPath, podSpecPath } from '../../src/triggers/pod-spec.js'
import { createCatalog } from '../../src/triggers/catalog.js'
import { findBindings } from '../../src/triggers/find.js'
import { planEdits } from '../../src/triggers/plan.js'
import { digest, stream } from './helpers.js'

const WEB = `spec.template.spec.containers[?(@.name==\\"web\\")].image`

describe('parseTriggerAnnotation (Go encoding/json into []ObjectFieldTrigger)', () => {
  it.each([
    ['null is an empty list', 'null', 0],
    ['an empty array', '[]', 0],
    ['one trigger', `[{"from":{"kind":"ImageStreamTag","name":"web:1.4"},"fieldPath":"${WEB}"}]`, 1],
    ['unknown keys are ignored', `[{"from":{"name":"web:1.4","extra":1},"fieldPath":"x","note":"hi"}]`, 1],
    ['a null element is a zero trigger', '[null]', 1]
  ])('accepts %s', (_name, text, count) => {
    const r = parseTriggerAnnotation(text)
    expect(r.ok && r.triggers.length).toBe(count)
  })

  it('matches struct fields case-insensitively, as Go does', () => {
    const r = parseTriggerAnnotation('[{"From":{"NAME":"web:1.4","Namespace":"shop"},"FIELDPATH":"a","Paused":true}]')
    expect(r).toEqual({
      ok: true,
      triggers: [
        { from: { kind: '', name: 'web:1.4', namespace: 'shop', apiVersion: '' }, fieldPath: 'a', paused: true }
      ]
    })
  })

  it.each([
    ['invalid JSON', `[{"from":`, 'not valid JSON'],
    ['an object instead of an array', '{"from":{}}', 'must be a JSON array'],
    ['a string element', '["web:1.4"]', '[0] must be an object'],
    ['a numeric fieldPath', '[{"fieldPath":3}]', '[0].fieldPath must be a string'],
    ['a string paused', '[{"fieldPath":"a","paused":"true"}]', '[0].paused must be true or false'],
    ['from as a string', '[{"from":"web:1.4","fieldPath":"a"}]', '[0].from must be an object'],
    ['a numeric from.name', '[{"from":{"name":1},"fieldPath":"a"}]', '[0].from.name must be a string'],
    [
      'two triggers with one fieldPath',
      '[{"fieldPath":"a"},{"fieldPath":"b"},{"fieldPath":"a","paused":true}]',
      'duplicate triggers are not allowed: [0] and [2]'
    ]
  ])('rejects %s', (_name, text, message) => {
    const r = parseTriggerAnnotation(text)
    expect(r.ok).toBe(false)
    expect(!r.ok && r.message).toContain(message)
  })

  it('writes what json.Marshal writes: struct order, omitempty, Go escaping', () => {
    expect(
      formatTriggerAnnotation([
        {
          from: { kind: 'ImageStreamTag', name: 'web:1.4', namespace: '', apiVersion: '' },
          fieldPath: 'spec.containers[?(@.name=="a<b")].image',
          paused: false
        },
        {
          from: { kind: 'ImageStreamTag', name: 'db:2', namespace: 'other', apiVersion: '' },
          fieldPath: 'x',
          paused: true
        }
      ])
    ).toBe(
      '[{"from":{"kind":"ImageStreamTag","name":"web:1.4"},"fieldPath":"spec.containers[?(@.name==\\"a\\u003cb\\")].image"},' +
        '{"from":{"kind":"ImageStreamTag","name":"db:2","namespace":"other"},"fieldPath":"x","paused":true}]'
    )
    expect(formatTriggerAnnotation([])).toBe('null')
  })
})

describe('podSpecPath (GetPodSpecReferenceMutator)', () => {
  it.each([
    ['Deployment', 'apps/v1', 'spec.template.spec'],
    ['Deployment', 'extensions/v1beta1', 'spec.template.spec'],
    ['DaemonSet', 'apps/v1', 'spec.template.spec'],
    ['StatefulSet', 'apps/v1', 'spec.template.spec'],
    ['ReplicaSet', 'apps/v1', 'spec.template.spec'],
    ['ReplicationController', 'v1', 'spec.template.spec'],
    ['Job', 'batch/v1', 'spec.template.spec'],
    ['DeploymentConfig', 'apps.openshift.io/v1', 'spec.template.spec'],
    ['DeploymentConfig', 'v1', 'spec.template.spec'],
    ['CronJob', 'batch/v1', 'spec.jobTemplate.spec.template.spec'],
    ['CronJob', 'batch/v1beta1', 'spec.jobTemplate.spec.template.spec'],
    ['Pod', 'v1', 'spec'],
    ['PodTemplate', 'v1', 'template.spec'],
    ['Deployment', 'example.com/v1', undefined],
    ['Service', 'v1', undefined],
    ['Rollout', 'argoproj.io/v1alpha1', undefined]
  ])('%s %s → %s', (kind, apiVersion, path) => {
    expect(podSpecPath(kind, apiVersion)).toBe(path)
  })
})

describe('parseFieldPath (ContainerForObjectFieldPath)', () => {
  const base = 'spec.template.spec'
  it.each([
    ['spec.template.spec.containers[0].image', { list: 'containers', index: 0 }],
    ['spec.template.spec.containers[+2].image', { list: 'containers', index: 2 }],
    ['spec.template.spec.initContainers[1].image', { list: 'initContainers', index: 1 }],
    ['spec.template.spec.containers[?(@.name=="web")].image', { list: 'containers', name: 'web' }],
    ['spec.template.spec.initContainers[?(@.name=="wait")].image', { list: 'initContainers', name: 'wait' }],
    // The docs' single-quote form is neither trimmed nor an index: findContainerBySelector finds nothing.
    [`spec.template.spec.containers[?(@.name=='web')].image`, { list: 'containers', unmatched: `?(@.name=='web')` }],
    // TrimSuffix still applies on its own.
    ['spec.template.spec.containers[?(@.name == "web")].image', { list: 'containers', name: '?(@.name == "web' }],
    // A bare name is not a selector (`name != selector` is false): it finds nothing, even a container named so.
    ['spec.template.spec.containers[web].image', { list: 'containers', unmatched: 'web' }]
  ])('%s selects %j', (path, selector) => {
    expect(parseFieldPath(path, base)).toEqual({ ok: true, selector })
  })

  it.each([
    ['spec.template.spec.containers[?(@.name=="web")]'],
    ['spec.template.spec.containers[?(@.name=="web")].image.tag'],
    ['spec.template.spec.containers[?(@.name=="web").image'],
    ['spec.template.spec.volumes[0].image'],
    ['spec.template.spec.containers[0].name']
  ])('%s is not valid', (path) => {
    const r = parseFieldPath(path, base)
    expect(r).toMatchObject({ ok: false, ignored: false })
    expect(!r.ok && r.message).toContain('field path is not valid')
  })

  it.each([['spec.containers[0].image'], ['spec.template.specX.containers[0].image'], ['metadata.name']])(
    '%s does not start with the pod-spec path and is ignored',
    (path) => {
      expect(parseFieldPath(path, base)).toMatchObject({ ok: false, ignored: true })
    }
  )
})

describe('trigger annotations in manifests', () => {
  const catalog = createCatalog([
    stream('web', undefined, { '1.4': { items: [digest('a2'), digest('a1')] }, next: {} }),
    stream('db', 'data', { '16': { items: [digest('b2')] } })
  ])

  function manifest(annotation: string, extra = '', kind = 'Deployment', apiVersion = 'apps/v1'): string {
    return [
      `apiVersion: ${apiVersion}`,
      `kind: ${kind}`,
      'metadata:',
      '  name: web',
      '  namespace: shop',
      '  annotations:',
      `    image.openshift.io/triggers: '${annotation.replace(/'/g, "''")}'`,
      'spec:',
      '  template:',
      '    spec:',
      '      initContainers:',
      '      - name: wait',
      '        image: busybox',
      '      containers:',
      '      - name: web',
      '        image: quay.io/acme/web:old',
      '      - name: nameless-image',
      extra
    ].join('\n')
  }
  const run = (text: string) => {
    const found = findBindings('m.yaml', text)
    const plan = planEdits(found.bindings, catalog)
    return { ...found, edits: plan.edits, all: [...found.diagnostics, ...plan.diagnostics] }
  }
  const t = (name: string, fieldPath: string, more = '') =>
    `{"from":{"kind":"ImageStreamTag","name":"${name}"${more}},"fieldPath":"${fieldPath.replace(/"/g, '\\"')}"}`
  const byName = (c: string, list = 'containers') => `spec.template.spec.${list}[?(@.name=="${c}")].image`

  it('binds a name selector and writes the resolved reference', () => {
    const r = run(manifest(`[${t('web:1.4', byName('web'))}]`))
    expect(r.all).toEqual([])
    expect(r.edits).toMatchObject([
      { line: 16, field: 'spec.template.spec.containers[0].image', newValue: `quay.io/acme/web@${digest('a2')}` }
    ])
  })

  it('reads every document of a multi-document file, reports a broken one by number and line, and binds the ones after it', () => {
    const good = manifest(`[${t('web:1.4', byName('web'))}]`)
    const lines = good.split('\n').length
    const text = [good, '---', 'kind: Deployment', 'kind: Service', '---', good].join('\n')
    const r = run(text)
    // The duplicate key (line 3 of document 2) makes document 2 unreadable.
    expect(r.diagnostics).toMatchObject([
      { severity: 'error', line: lines + 3, message: expect.stringMatching(/^YAML error, document 2 skipped/) }
    ])
    // The same edit in documents 1 and 3: line 16 of each.
    expect(r.edits.map((e) => e.line)).toEqual([16, lines + 4 + 16])
  })

  it('binds init containers and index selectors', () => {
    const r = run(
      manifest(
        `[${t('web:1.4', byName('wait', 'initContainers'))},${t('web:1.4', 'spec.template.spec.containers[0].image')}]`
      )
    )
    expect(r.edits.map((e) => e.field)).toEqual([
      'spec.template.spec.initContainers[0].image',
      'spec.template.spec.containers[0].image'
    ])
  })

  it('skips paused triggers silently', () => {
    const r = run(
      manifest(`[{"from":{"name":"web:1.4"},"fieldPath":"${byName('web').replace(/"/g, '\\"')}","paused":true}]`)
    )
    expect(r.bindings).toEqual([])
    expect(r.all).toEqual([])
  })

  it('defaults from.namespace to the object namespace, and matches a namespaced stream only there', () => {
    const r = run(manifest(`[${t('db:16', byName('web'))}]`))
    expect(r.bindings[0].from).toEqual({ namespace: 'shop', stream: 'db', tag: '16' })
    expect(r.edits).toEqual([])
    expect(r.all).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line: 7,
        message: expect.stringContaining('no image stream "db" in namespace "shop"')
      })
    ])
    const other = run(manifest(`[${t('db:16', byName('web'), ',"namespace":"data"')}]`))
    expect(other.edits).toMatchObject([{ newValue: `quay.io/acme/db@${digest('b2')}` }])
  })

  it('inserts image into a container that has none', () => {
    const r = run(manifest(`[${t('web:1.4', byName('nameless-image'))}]`, '        ports: []'))
    expect(r.edits).toMatchObject([{ old: '', new: `image: quay.io/acme/web@${digest('a2')}\n        ` }])
  })

  it.each([
    ['a name without a tag', `[${t('web', byName('web'))}]`, 'warning', 'is not stream:tag'],
    ['an unknown stream', `[${t('nope:1', byName('web'))}]`, 'warning', 'unknown image stream "nope"'],
    ['an unknown tag', `[${t('web:9', byName('web'))}]`, 'warning', 'has no tag "9"'],
    ['a tag with no history', `[${t('web:next', byName('web'))}]`, 'warning', 'web:next has no image yet'],
    [
      'a container nobody has',
      `[${t('web:1.4', byName('api'))}]`,
      'error',
      'no such container: no init container or container is named "api" in Deployment/shop/web'
    ],
    [
      'an index past the end',
      `[${t('web:1.4', 'spec.template.spec.containers[5].image')}]`,
      'error',
      'no such container: containers[5]'
    ],
    [
      'the single-quote selector of the docs',
      `[${t('web:1.4', "spec.template.spec.containers[?(@.name=='web')].image")}]`,
      'error',
      'no such container'
    ],
    [
      'a path to something other than image',
      `[${t('web:1.4', 'spec.template.spec.containers[0].command')}]`,
      'error',
      'field path is not valid'
    ],
    [
      'a path outside the pod spec',
      `[${t('web:1.4', 'spec.containers[0].image')}]`,
      'notice',
      'OpenShift ignores this trigger'
    ],
    [
      'a kind other than ImageStreamTag',
      `[{"from":{"kind":"DockerImage","name":"web:1.4"},"fieldPath":"${byName('web').replace(/"/g, '\\"')}"}]`,
      'warning',
      'never fires in OpenShift'
    ],
    [
      'duplicate fieldPaths',
      `[${t('web:1.4', byName('web'))},${t('db:16', byName('web'))}]`,
      'error',
      'duplicate triggers are not allowed'
    ],
    ['malformed JSON', '[{"from":', 'error', 'not valid JSON']
  ])('reports %s with file and line', (_name, annotation, severity, message) => {
    const r = run(manifest(annotation))
    const found = r.all.find((d) => d.severity === severity)
    expect(found).toMatchObject({ file: 'm.yaml', line: 7, severity })
    expect(found?.message).toContain(message)
  })

  it('rejects the whole annotation when it is malformed, and still reads the rest of the file', () => {
    const text = `${manifest('[{"fieldPath":"a"},{"fieldPath":"a"}]')}\n---\n${manifest(`[${t('web:1.4', byName('web'))}]`)}`
    const r = run(text)
    expect(r.edits).toHaveLength(1)
    expect(r.edits[0].line).toBe(35)
  })

  it('ignores the annotation on kinds without a pod spec, with a notice', () => {
    const r = run(manifest(`[${t('web:1.4', byName('web'))}]`, '', 'Rollout', 'argoproj.io/v1alpha1'))
    expect(r.bindings).toEqual([])
    expect(r.all).toEqual([
      expect.objectContaining({
        severity: 'notice',
        line: 7,
        message: expect.stringContaining('has no pod spec OpenShift knows')
      })
    ])
  })

  it('refuses an annotation that is not a string', () => {
    const text = manifest('[]').replace(
      /image\.openshift\.io\/triggers: .*/,
      'image.openshift.io/triggers:\n    - {from: {name: "web:1.4"}}'
    )
    const r = run(text)
    expect(r.all).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringContaining('must be a string holding a JSON array')
      })
    ])
  })

  it('refuses to rewrite an image that is an alias', () => {
    const text = manifest(`[${t('web:1.4', byName('web'))}]`)
      .replace('image: quay.io/acme/web:old', 'image: *img')
      .replace('image: busybox', 'image: &img busybox')
    const r = run(text)
    expect(r.edits).toEqual([])
    expect(r.all[0].message).toContain('is an alias (*img)')
  })

  it('reads the CronJob path (spec.jobTemplate.spec.template.spec)', () => {
    const cron = [
      'apiVersion: batch/v1',
      'kind: CronJob',
      'metadata:',
      '  name: c',
      '  annotations:',
      `    image.openshift.io/triggers: '[${t('web:1.4', 'spec.jobTemplate.spec.template.spec.containers[0].image')}]'`,
      'spec:',
      '  jobTemplate:',
      '    spec:',
      '      template:',
      '        spec:',
      '          containers:',
      '          - name: c',
      '            image: x'
    ].join('\n')
    expect(run(cron).edits).toMatchObject([{ newValue: `quay.io/acme/web@${digest('a2')}` }])
  })

  // RunImageTriggerController ([ocm] pkg/cmd/controller/image.go) registers annotation sources for apps/deployments,
  // apps/daemonsets, apps/statefulsets and batch/cronjobs only; library-go could mutate the others, nothing calls it.
  const pod = (path: string, kind: string, apiVersion: string, body: string[]) =>
    [
      `apiVersion: ${apiVersion}`,
      `kind: ${kind}`,
      'metadata:',
      '  name: p',
      '  annotations:',
      `    image.openshift.io/triggers: '[${t('web:1.4', `${path}.containers[0].image`)}]'`,
      ...body
    ].join('\n')
  const template = ['spec:', '  template:', '    spec:', '      containers:', '      - name: p', '        image: x']
  it.each([
    ['Pod', 'v1', pod('spec', 'Pod', 'v1', ['spec:', '  containers:', '  - name: p', '    image: x'])],
    [
      'PodTemplate',
      'v1',
      pod('template.spec', 'PodTemplate', 'v1', [
        'template:',
        '  spec:',
        '    containers:',
        '    - name: p',
        '      image: x'
      ])
    ],
    ['Job', 'batch/v1', pod('spec.template.spec', 'Job', 'batch/v1', template)],
    ['ReplicaSet', 'apps/v1', pod('spec.template.spec', 'ReplicaSet', 'apps/v1', template)],
    ['ReplicationController', 'v1', pod('spec.template.spec', 'ReplicationController', 'v1', template)]
  ])(
    'RunImageTriggerController does not watch %s: the annotation is reported at its line and nothing changes',
    (kind, _v, text) => {
      const r = run(text)
      expect(r.edits).toEqual([])
      expect(r.all).toEqual([
        expect.objectContaining({
          severity: 'warning',
          file: 'm.yaml',
          line: 6,
          field: 'metadata.annotations.image.openshift.io/triggers',
          message: expect.stringContaining(`does not watch ${kind} objects`)
        })
      ])
      // The message points to the way that does pin it: a marker with the trigger's own stream tag.
      expect(r.all[0].message).toContain('# {"$imagestream": "web:1.4"}')
    }
  )

  it('ignores the annotation on a DeploymentConfig, which OpenShift follows through spec.triggers', () => {
    const r = run(pod('spec.template.spec', 'DeploymentConfig', 'apps.openshift.io/v1', template))
    expect(r.edits).toEqual([])
    expect(r.all).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line: 6,
        message: expect.stringContaining("DeploymentConfig's spec.triggers")
      })
    ])
  })

  it('reads objects inside a kind: List', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      ...manifest(`[${t('web:1.4', byName('web'))}]`)
        .split('\n')
        .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`))
    ].join('\n')
    expect(run(text).edits).toMatchObject([
      { field: 'items[0].spec.template.spec.containers[0].image', newValue: `quay.io/acme/web@${digest('a2')}` }
    ])
  })
})
