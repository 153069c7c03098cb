/**
 * `oc set triggers` as a pure edit. Golden values follow [oc] pkg/cli/set/triggers.go (NewAnnotationTriggers →
 * updateTriggers → Apply → json.Marshal) and the example in reference §5.
 */
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { setTriggers } from '../../src/triggers/set-triggers.js'
import { InputError } from '../../src/util/errors.js'

const deployment = (annotations = '', namespace = '') =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    ...(annotations ? ['  annotations:', annotations] : []),
    '  labels:',
    '    app: web # keep',
    'spec:',
    '  template:',
    '    spec:',
    '      initContainers:',
    '      - name: init',
    '        image: busybox',
    '      containers:',
    '      - name: web',
    '        image: quay.io/acme/web:1.4',
    '      - name: side',
    '        image: envoy',
    ''
  ].join('\n')

const annotationOf = (text: string) => parse(text).metadata.annotations['image.openshift.io/triggers'] as string

describe('setTriggers golden output', () => {
  it('writes the annotation exactly as oc does (reference §5 example), adding annotations to metadata', () => {
    const before = deployment()
    const r = setTriggers(before, { kind: 'deploy', name: 'web', fromImage: 'web:1.4', containers: ['web'] })
    expect(r.changed).toBe(true)
    expect(r.text).toBe(
      before.replace(
        '  name: web\n',
        `  annotations:\n    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"web:1.4"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"web\\")].image"}]'\n  name: web\n`
      )
    )
  })

  it('adds the key to existing annotations without touching the others', () => {
    const before = deployment('    team: shop # owner')
    const r = setTriggers(before, {
      kind: 'Deployment',
      name: 'web',
      fromImage: 'web:1.4',
      containers: ['web'],
      mode: 'manual'
    })
    expect(r.text).toBe(
      before.replace(
        '    team: shop # owner',
        `    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"web:1.4"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"web\\")].image","paused":true}]'\n    team: shop # owner`
      )
    )
  })

  it('omits the namespace when it is the object namespace, keeps it otherwise, and appends in order', () => {
    const first = setTriggers(deployment('', 'shop'), {
      kind: 'deploy',
      name: 'web',
      fromImage: 'shop/web:1.4',
      containers: ['web']
    })
    expect(first.annotation).toBe(
      '[{"from":{"kind":"ImageStreamTag","name":"web:1.4"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"web\\")].image"}]'
    )
    const second = setTriggers(first.text, {
      kind: 'deploy',
      name: 'web',
      fromImage: 'other/envoy:v1',
      containers: ['side']
    })
    expect(JSON.parse(second.annotation)).toEqual([
      {
        from: { kind: 'ImageStreamTag', name: 'web:1.4' },
        fieldPath: 'spec.template.spec.containers[?(@.name=="web")].image'
      },
      {
        from: { kind: 'ImageStreamTag', name: 'envoy:v1', namespace: 'other' },
        fieldPath: 'spec.template.spec.containers[?(@.name=="side")].image'
      }
    ])
    expect(annotationOf(second.text)).toBe(second.annotation)
  })

  it('moves an existing trigger of the same image to the containers named, as oc does', () => {
    const a = setTriggers(deployment(), { kind: 'deploy', name: 'web', fromImage: 'web:1.4', containers: ['web'] })
    const b = setTriggers(a.text, {
      kind: 'deploy',
      name: 'web',
      fromImage: 'web:1.4',
      containers: ['side'],
      mode: 'manual'
    })
    expect(b.annotation).toBe(
      '[{"from":{"kind":"ImageStreamTag","name":"web:1.4"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"side\\")].image","paused":true}]'
    )
  })

  it('rewrites index selectors to name selectors and drops triggers that name no container, as oc does', () => {
    const existing = `    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"web:1.4","apiVersion":"image.openshift.io/v1"},"fieldPath":"spec.template.spec.containers[1].image"},{"from":{"name":"gone:1"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"ghost\\")].image"}]'`
    const r = setTriggers(deployment(existing), {
      kind: 'deploy',
      name: 'web',
      fromImage: 'db:16',
      containers: ['web']
    })
    expect(r.annotation).toBe(
      '[{"from":{"kind":"ImageStreamTag","name":"web:1.4"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"side\\")].image"},' +
        '{"from":{"kind":"ImageStreamTag","name":"db:16"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"web\\")].image"}]'
    )
  })

  it('writes containers[?(@.name=="init")] for an init container, as Apply does (path.Child("containers"))', () => {
    const r = setTriggers(deployment(), {
      kind: 'deploy',
      name: 'web',
      fromImage: 'busybox:1.36',
      containers: ['init']
    })
    expect(JSON.parse(r.annotation)[0].fieldPath).toBe('spec.template.spec.containers[?(@.name=="init")].image')
  })

  it.each([
    ['the name form oc writes', 'containers[?(@.name==\\"init\\")]'],
    ['an index into initContainers', 'initContainers[0]']
  ])(
    'keeps an existing init-container trigger written as %s (NewAnnotationTriggers → ContainerForObjectFieldPath)',
    (_name, selector) => {
      const existing = `    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"busybox:1.36"},"fieldPath":"spec.template.spec.${selector}.image","paused":true}]'`
      const before = deployment(existing)
      expect(JSON.parse(annotationOf(before))).toHaveLength(1)
      const r = setTriggers(before, { kind: 'deploy', name: 'web', fromImage: 'web:1.4', containers: ['web'] })
      expect(JSON.parse(r.annotation)).toEqual([
        {
          from: { kind: 'ImageStreamTag', name: 'busybox:1.36' },
          fieldPath: 'spec.template.spec.containers[?(@.name=="init")].image',
          paused: true
        },
        {
          from: { kind: 'ImageStreamTag', name: 'web:1.4' },
          fieldPath: 'spec.template.spec.containers[?(@.name=="web")].image'
        }
      ])
    }
  )

  it('removes every trigger of the stream tag, leaving null when none is left (json.Marshal of a nil slice)', () => {
    const a = setTriggers(deployment(), {
      kind: 'deploy',
      name: 'web',
      fromImage: 'web:1.4',
      containers: ['web', 'side']
    })
    expect(JSON.parse(a.annotation)).toHaveLength(2)
    const b = setTriggers(a.text, { kind: 'deploy', name: 'web', fromImage: 'web:1.4', remove: true })
    expect(b.annotation).toBe('null')
    expect(b.text).toBe(a.text.replace(`'${a.annotation}'`, "'null'"))
    expect(setTriggers(deployment(), { kind: 'deploy', name: 'web', fromImage: 'web:1.4', remove: true }).changed).toBe(
      false
    )
  })

  it('is a byte-minimal edit: keeps the quoting style and CRLF, and is idempotent', () => {
    const existing = `    image.openshift.io/triggers: "[]"`
    const before = deployment(existing).replace(/\n/g, '\r\n')
    const r = setTriggers(before, { kind: 'deploy', name: 'web', fromImage: 'web:1.4', containers: ['web'] })
    expect(r.text).toBe(before.replace('"[]"', JSON.stringify(r.annotation)))
    expect(
      setTriggers(r.text, { kind: 'deploy', name: 'web', fromImage: 'web:1.4', containers: ['web'] })
    ).toMatchObject({ changed: false, text: r.text })
    const inserted = setTriggers(deployment().replace(/\n/g, '\r\n'), {
      kind: 'deploy',
      name: 'web',
      fromImage: 'web:1.4',
      containers: ['web']
    })
    expect(inserted.text.replace(/\r\n/g, '')).not.toContain('\n')
  })

  it('uses the CronJob pod-spec path and edits only the matching document', () => {
    const cron = [
      'apiVersion: batch/v1',
      'kind: CronJob',
      'metadata:',
      '  name: report',
      'spec:',
      '  jobTemplate:',
      '    spec:',
      '      template:',
      '        spec:',
      '          containers:',
      '          - name: report',
      '            image: x',
      ''
    ].join('\n')
    const text = `${deployment()}---\n${cron}`
    const r = setTriggers(text, { kind: 'cj', name: 'report', fromImage: 'report:1', containers: ['report'] })
    expect(r.text.startsWith(deployment())).toBe(true)
    expect(JSON.parse(r.annotation)[0].fieldPath).toBe(
      'spec.jobTemplate.spec.template.spec.containers[?(@.name=="report")].image'
    )
  })

  it('fills a flow or empty annotations map', () => {
    const flow = setTriggers(deployment().replace('  labels:', '  annotations: {}\n  labels:'), {
      kind: 'deploy',
      name: 'web',
      fromImage: 'web:1.4',
      containers: ['web']
    })
    expect(flow.text).toContain(`  annotations: {image.openshift.io/triggers: '${flow.annotation}'}\n`)
    const empty = setTriggers(deployment().replace('  labels:', '  annotations:\n  labels:'), {
      kind: 'deploy',
      name: 'web',
      fromImage: 'web:1.4',
      containers: ['web']
    })
    expect(annotationOf(empty.text)).toBe(empty.annotation)
  })
})

describe('setTriggers refusals (oc messages)', () => {
  const cases: Array<[string, Parameters<typeof setTriggers>[1], string]> = [
    [
      'no containers',
      { kind: 'deploy', name: 'web', fromImage: 'web:1.4' },
      'you must specify --containers when setting --from-image'
    ],
    [
      'an unknown container',
      { kind: 'deploy', name: 'web', fromImage: 'web:1.4', containers: ['ghost', 'web'] },
      'not all container names exist: ghost (accepts: init, side, web)'
    ],
    [
      'a registry in --from-image',
      { kind: 'deploy', name: 'web', fromImage: 'quay.io/acme/web:1.4', containers: ['web'] },
      'must point to an image stream tag on this server'
    ],
    [
      'a digest in --from-image',
      { kind: 'deploy', name: 'web', fromImage: `web@sha256:${'a'.repeat(64)}`, containers: ['web'] },
      'must point to an image stream tag on this server'
    ],
    [
      'no tag in --from-image',
      { kind: 'deploy', name: 'web', fromImage: 'web', containers: ['web'] },
      'must include the tag you wish to pull from'
    ],
    [
      'an object that is not there',
      { kind: 'sts', name: 'web', fromImage: 'web:1.4', containers: ['web'] },
      'no StatefulSet named "web"'
    ]
  ]
  it.each(cases)('refuses %s', (_name, request, message) => {
    expect(() => setTriggers(deployment(), request)).toThrow(message)
  })

  it('refuses a second trigger on the same container', () => {
    const a = setTriggers(deployment(), { kind: 'deploy', name: 'web', fromImage: 'web:1.4', containers: ['web'] })
    expect(() =>
      setTriggers(a.text, { kind: 'deploy', name: 'web', fromImage: 'canary:1', containers: ['web'] })
    ).toThrow('only one trigger may reference each container: web')
  })

  it('refuses kinds oc does not annotate, and DeploymentConfigs', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: p\n    image: x\n'
    expect(() => setTriggers(pod, { kind: 'Pod', name: 'p', fromImage: 'web:1.4', containers: ['p'] })).toThrow(
      'Pod does not support image triggers'
    )
    const dc = 'apiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\nmetadata:\n  name: d\nspec: {}\n'
    expect(() => setTriggers(dc, { kind: 'dc', name: 'd', fromImage: 'web:1.4', containers: ['p'] })).toThrow(
      InputError
    )
  })

  it('locates a YAML error', () => {
    expect(() => setTriggers('a: "x\n', { kind: 'deploy', name: 'web', fromImage: 'web:1.4' }, 'f.yaml')).toThrow(
      /^f\.yaml:\d+:\d+: YAML error/
    )
  })
})
