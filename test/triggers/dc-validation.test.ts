/**
 * openshift-apiserver pkg/apps/apis/apps/validation validateImageChangeParams: `containerNames` is required on every
 * ImageChange trigger, so the API server refuses such a DeploymentConfig whole and none of its triggers ever fires.
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
