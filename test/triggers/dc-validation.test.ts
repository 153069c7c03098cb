/**
 * openshift-apiserver pkg/apps/apis/apps/validation validateImageChangeParams: `containerNames` is required on every
 * ImageChange trigger, so the API server refuses such a DeploymentConfig whole and none of its triggers ever fires.
 * And the keys a DeploymentConfig trigger adds (a missing image, lastTriggeredImage) in a JSON file.
 */
import { describe, expect, it } from '@jest/globals'
import { createCatalog } from '../../src/triggers/catalog.js'
import { rewriteManifests } from '../../src/triggers/rewrite.js'
import { digest, stream } from './helpers.js'

const catalog = createCatalog([stream('web', undefined, { '1.4': { items: [digest('a2')] } })])

const dc = (web: string[]) =>
  [
    'apiVersion: apps.openshift.io/v1',
    'kind: DeploymentConfig',
    'metadata:',
    '  name: web',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: web',
    '        image: web:1.4',
    '  triggers:',
    '  - type: ImageChange',
    '    imageChangeParams:',
    '      automatic: true',
    ...web,
    '      from:',
    '        kind: ImageStreamTag',
    '        name: web:1.4',
    '  - type: ImageChange',
    '    imageChangeParams:',
    '      automatic: true',
    '      containerNames: [web]',
    '      from:',
    '        kind: ImageStreamTag',
    '        name: web:1.4',
    ''
  ].join('\n')

describe('validateImageChangeParams: an ImageChange trigger without containerNames', () => {
  it.each([
    ['missing', []],
    ['empty', ['      containerNames: []']]
  ])('containerNames %s: the whole object is left alone, with an error at the trigger', (_, names) => {
    const r = rewriteManifests([{ path: 'dc.yaml', text: dc(names) }], catalog)
    expect(r.changed).toEqual([])
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        file: 'dc.yaml',
        line: 12,
        severity: 'error',
        field: 'spec.triggers[0].imageChangeParams.containerNames',
        message: expect.stringContaining('DeploymentConfig/web is refused by the API server')
      })
    ])
  })

  it('with containerNames on both triggers, the container and both lastTriggeredImage values are set', () => {
    const r = rewriteManifests([{ path: 'dc.yaml', text: dc(['      containerNames: [web]']) }], catalog)
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(r.changed[0]!.text.split(`@${digest('a2')}`)).toHaveLength(4)
  })
})

describe('insertionTarget: a key added to a JSON object keeps the file JSON', () => {
  it('lastTriggeredImage and a missing image are written double-quoted into a JSON DeploymentConfig', () => {
    const json = {
      apiVersion: 'apps.openshift.io/v1',
      kind: 'DeploymentConfig',
      metadata: { name: 'web' },
      spec: {
        template: { spec: { containers: [{ name: 'web' }] } },
        triggers: [
          {
            type: 'ImageChange',
            imageChangeParams: {
              automatic: true,
              containerNames: ['web'],
              from: { kind: 'ImageStreamTag', name: 'web:1.4' }
            }
          }
        ]
      }
    }
    const r = rewriteManifests([{ path: 'dc.json', text: `${JSON.stringify(json, null, 2)}\n` }], catalog)
    const out = JSON.parse(r.changed[0]!.text) as typeof json & {
      spec: { template: { spec: { containers: [{ image: string }] } } }
    }
    expect(out.spec.template.spec.containers[0].image).toMatch(new RegExp(`@${digest('a2')}$`))
    expect(out.spec.triggers[0]!.imageChangeParams).toMatchObject({
      lastTriggeredImage: out.spec.template.spec.containers[0].image
    })
  })
})
