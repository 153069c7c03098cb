/**
 * BuildConfig image change triggers (pure): which trigger fires ([ocm] pkg/image/trigger/buildconfigs/buildconfigs.go
 * buildConfigReactor.ImageChanged), what a build writes ([oas] pkg/build/apiserver/buildgenerator/generator.go
 * instantiate/updateImageTriggers), and the last FROM of the Docker strategy's Dockerfile. The BuildConfig's shape
 * follows redhat-sap/sap-data-intelligence src/buildconfig.libsonnet (dockerStrategy.from an ImageStreamTag, an
 * ImageChange trigger with an empty from, a ConfigChange trigger).
 */
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { createCatalog } from '../../src/triggers/catalog.js'
import { rewriteManifests } from '../../src/triggers/rewrite.js'
import { digest, stream } from './helpers.js'

const base = stream('base', undefined, { latest: { items: [digest('b2'), digest('b1')] } })
const tools = stream('tools', undefined, { v1: { items: [digest('c1')] } })
const catalog = createCatalog([base, tools])
const NEW = `quay.io/acme/base@${digest('b2')}`
const OLD = `quay.io/acme/base@${digest('b1')}`
const NOW = '2026-11-29T10:00:00Z'

function bc(extra: { status?: string; annotations?: string; trigger?: string; strategy?: string } = {}): string {
  return (
    [
      'apiVersion: build.openshift.io/v1',
      'kind: BuildConfig',
      'metadata:',
      '  name: app',
      ...(extra.annotations ? ['  annotations:', extra.annotations] : []),
      'spec:',
      '  output:',
      '    to:',
      '      kind: ImageStreamTag',
      '      name: app:latest',
      '  runPolicy: Serial',
      '  source:',
      '    contextDir: app',
      '    git:',
      '      uri: https://github.com/acme/app.git',
      '  strategy:',
      extra.strategy ??
        '    dockerStrategy:\n      from:\n        kind: ImageStreamTag\n        name: base:latest\n      dockerfilePath: build/Containerfile',
      '  triggers:',
      extra.trigger ?? '  - type: ImageChange\n    imageChange: {}',
      '  - type: ConfigChange',
      ...(extra.status ? [extra.status] : [])
    ].join('\n') + '\n'
  )
}

const dockerfile =
  'FROM golang:1.22 AS build\nRUN make\n# the runtime\nFROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nCOPY --from=build /app /app\n'

function run(bcText: string, df = dockerfile) {
  return rewriteManifests(
    [
      { path: 'openshift/bc.yaml', text: bcText },
      { path: 'app/build/Containerfile', text: df }
    ],
    catalog,
    { now: NOW }
  )
}

describe('BuildConfig ImageChange triggers', () => {
  it('buildConfigReactor.ImageChanged + updateImageTriggers: a new base digest sets status and pins the last FROM', () => {
    const out = run(bc())
    const files = Object.fromEntries(out.changed.map((c) => [c.path, c.text]))
    expect(parse(files['openshift/bc.yaml']).status).toEqual({
      imageChangeTriggers: [{ from: { name: 'base:latest' }, lastTriggerTime: NOW, lastTriggeredImageID: NEW }]
    })
    expect(files['openshift/bc.yaml'].startsWith(bc())).toBe(true) // appended; nothing before it moved
    expect(files['app/build/Containerfile']).toBe(
      dockerfile.replace('registry.access.redhat.com/ubi9/ubi-minimal:9.4', NEW)
    )
    expect(out.builds).toEqual([
      { file: 'openshift/bc.yaml', object: 'BuildConfig/app', from: 'base:latest', oldImage: '', newImage: NEW }
    ])
  })

  it("fires nothing when lastTriggeredImageID already is the tag's image (a rerun)", () => {
    const first = run(bc())
    const again = run(first.changed[0].text, first.changed[1].text)
    expect(again.changed).toEqual([])
    expect(again.builds).toEqual([])
  })

  it('replaces an existing status list in place, keeping its indentation', () => {
    const status = `status:\n  lastVersion: 3\n  imageChangeTriggers:\n  - from:\n      name: base:latest\n    lastTriggerTime: "2026-01-01T00:00:00Z"\n    lastTriggeredImageID: ${OLD}`
    const out = run(bc({ status }))
    const text = out.changed.find((c) => c.path === 'openshift/bc.yaml')!.text
    expect(text).toBe(bc({ status: status.replace('2026-01-01T00:00:00Z', NOW).replace(OLD, NEW) }))
    expect(out.builds[0].oldImage).toBe(OLD)
  })

  it('writes the deprecated spec.triggers[].imageChange.lastTriggeredImageID only where present', () => {
    const trigger = `  - type: ImageChange\n    imageChange:\n      lastTriggeredImageID: ${OLD}`
    const text = run(bc({ trigger })).changed.find((c) => c.path === 'openshift/bc.yaml')!.text
    expect(parse(text).spec.triggers[0].imageChange).toEqual({ lastTriggeredImageID: NEW })
    expect(run(bc()).changed[0].text).not.toContain('    imageChange:\n      lastTriggeredImageID')
  })

  it('a paused trigger fires nothing and pins nothing', () => {
    const out = run(bc({ trigger: '  - type: ImageChange\n    imageChange:\n      paused: true' }))
    expect(out.changed).toEqual([])
    expect(out.builds).toEqual([])
  })

  it('a paused BuildConfig (openshift.io/build-config.paused) instantiates nothing', () => {
    const out = run(bc({ annotations: '    openshift.io/build-config.paused: "true"' }))
    expect(out.changed).toEqual([])
    expect(out.builds).toEqual([])
  })

  it('a trigger with its own from fires for that tag; every trigger gets its current image, only the cause a time', () => {
    const trigger =
      '  - type: ImageChange\n    imageChange:\n      from:\n        kind: ImageStreamTag\n        name: tools:v1\n  - type: ImageChange\n    imageChange: {}'
    const out = run(bc({ trigger }))
    const text = out.changed.find((c) => c.path === 'openshift/bc.yaml')!.text
    expect(parse(text).status.imageChangeTriggers).toEqual([
      { from: { name: 'tools:v1' }, lastTriggerTime: NOW, lastTriggeredImageID: `quay.io/acme/tools@${digest('c1')}` },
      { from: { name: 'base:latest' }, lastTriggeredImageID: NEW }
    ])
    expect(out.builds.map((b) => b.from)).toEqual(['tools:v1'])
  })

  it('sourceStrategy.from: status and build, no Dockerfile', () => {
    const strategy = '    sourceStrategy:\n      from:\n        kind: ImageStreamTag\n        name: base:latest'
    const out = run(bc({ strategy }))
    expect(out.changed.map((c) => c.path)).toEqual(['openshift/bc.yaml'])
    expect(out.builds.map((b) => b.newImage)).toEqual([NEW])
  })

  it('a last FROM naming a build stage is left alone, with a warning', () => {
    const out = run(bc(), 'FROM golang:1.22 AS build\nFROM build\n')
    expect(out.changed.map((c) => c.path)).toEqual(['openshift/bc.yaml'])
    expect(out.diagnostics.map((d) => d.message).join('\n')).toContain('names a build stage or scratch')
  })

  it('dispatch annotations travel with the build', () => {
    const annotations =
      '    imagestream-action.dev/dispatch-workflow: build.yml\n    imagestream-action.dev/dispatch-event: base-moved'
    expect(run(bc({ annotations })).builds[0]).toMatchObject({ workflow: 'build.yml', event: 'base-moved' })
  })
})
