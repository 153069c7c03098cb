/**
 * The annotation trigger rules of openshift-controller-manager pkg/image/trigger/annotations (AnnotationReactor,
 * UpdateObjectFromImages, calculateAnnotationTriggers), as a rewrite over manifests.
 */
import { describe, expect, it } from '@jest/globals'
import type { ImageStream } from '../../src/stream/types.js'
import { rewriteManifests } from '../../src/triggers/rewrite.js'

const DIGEST = `sha256:${'a7'.repeat(32)}`
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

const deployment = (triggers: string) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  annotations:',
    `    image.openshift.io/triggers: '${triggers}'`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: web',
    '        image: quay.io/acme/web:1.4',
    '      - name: side',
    '        image: quay.io/acme/web:1.4',
    ''
  ].join('\n')

const trigger = (container: string, from = '"kind":"ImageStreamTag","name":"web:1.4"') =>
  `{"from":{${from}},"fieldPath":"spec.template.spec.containers[?(@.name==\\"${container}\\")].image"}`

describe('UpdateObjectFromImages: one invalid trigger changes nothing in the object', () => {
  it('a trigger naming a missing container stops the valid one too, with an error at file:line', () => {
    const r = rewriteManifests(
      [{ path: 'web.yaml', text: deployment(`[${trigger('web')},${trigger('gone')}]`) }],
      [web]
    )
    expect(r.changed).toEqual([])
    expect(r.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'web.yaml',
          line: 6,
          severity: 'error',
          message: expect.stringContaining('no trigger of')
        })
      ])
    )
  })
  it('the same object with only valid triggers is rewritten', () => {
    const r = rewriteManifests(
      [{ path: 'web.yaml', text: deployment(`[${trigger('web')},${trigger('side')}]`) }],
      [web]
    )
    expect(r.changed).toHaveLength(1)
    expect(r.changed[0].text.split(`quay.io/acme/web@${DIGEST}`)).toHaveLength(3)
  })
})

describe('calculateAnnotationTriggers: only ImageStreamTag triggers without apiVersion fire', () => {
  it.each([
    ['another kind', '"kind":"DockerImage","name":"web:1.4"'],
    ['an apiVersion', '"kind":"ImageStreamTag","name":"web:1.4","apiVersion":"image.openshift.io/v1"']
  ])('a trigger with %s never fires, and says so', (_label, from) => {
    const r = rewriteManifests([{ path: 'web.yaml', text: deployment(`[${trigger('web', from)}]`) }], [web])
    expect(r.changed).toEqual([])
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        file: 'web.yaml',
        line: 6,
        severity: 'warning',
        message: expect.stringContaining('never fires')
      })
    ])
  })
})
