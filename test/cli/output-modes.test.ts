/**
 * `get` and `history` output modes as `oc get` has them: -o name, -o wide (OpenShift's Priority-1 "Image Name"
 * column of imagestreamtags, openshift-apiserver's printer), -o jsonpath=TEMPLATE (kubectl's template), --no-headers.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parseOutputMode, renderJsonPath } from '../../src/report/cli-output.js'
import { sandbox, type Sandbox } from './helpers.js'

const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`
const NOW = '2024-05-02T12:15:03Z'
const WEB = `apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: web
  generation: 7
spec:
  lookupPolicy:
    local: false
  tags:
  - name: "1.4"
    annotations: null
    from: {kind: DockerImage, name: quay.io/acme/web:1.4}
    generation: 7
    importPolicy: {scheduled: true, importMode: Legacy}
    referencePolicy: {type: Source}
status:
  dockerImageRepository: ""
  tags:
  - tag: "1.4"
    items:
    - {created: "2024-05-02T09:15:03Z", dockerImageReference: "quay.io/acme/web@${B}", image: "${B}", generation: 7}
    - {created: "2024-04-20T11:00:41Z", dockerImageReference: "quay.io/acme/web@${A}", image: "${A}", generation: 3}
`

let box: Sandbox
beforeAll(() => {
  box = sandbox()
  box.write('imagestreams/web.yaml', WEB)
  box.write('imagestreams/api.yaml', WEB.replace('name: web', 'name: api'))
})
afterAll(() => box.cleanup())

describe('-o name', () => {
  it('get is / get istag print resource/name per line', async () => {
    expect(await box.run(NOW, 'get', 'is', '-o', 'name')).toMatchObject({
      code: 0,
      stdout: 'imagestream.image.openshift.io/api\nimagestream.image.openshift.io/web\n'
    })
    expect((await box.run(NOW, 'get', 'istag', '-o', 'name')).stdout).toBe(
      'imagestreamtag.image.openshift.io/api:1.4\nimagestreamtag.image.openshift.io/web:1.4\n'
    )
  })

  it('history prints the images, newest first', async () => {
    expect((await box.run(NOW, 'history', 'web:1.4', '-o', 'name')).stdout).toBe(`${B}\n${A}\n`)
  })
})

describe('-o wide and --no-headers', () => {
  it('get istag -o wide adds IMAGE NAME (the digest), then our tag policy columns', async () => {
    const lines = (await box.run(NOW, 'get', 'istag', 'web:1.4', '-o', 'wide')).stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^NAME +IMAGE REFERENCE +UPDATED +IMAGE NAME +POLICY +CANDIDATE$/)
    // No policy on this tag: "-" and no candidate.
    expect(lines[1]).toMatch(new RegExp(`^web:1\\.4 +quay\\.io/acme/web@${B} +3 hours ago +${B} +-$`))
  })

  it('--no-headers drops only the header row (get and history)', async () => {
    const full = (await box.run(NOW, 'get', 'is')).stdout.split('\n')
    expect((await box.run(NOW, 'get', 'is', '--no-headers')).stdout).toBe(full.slice(1).join('\n'))
    const rows = (await box.run(NOW, 'history', 'web:1.4', '--no-headers')).stdout.trimEnd().split('\n')
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatch(new RegExp(`^\\* +7 +${B} `))
  })
})

describe('-o jsonpath=TEMPLATE', () => {
  it('selects from the same object -o json prints', async () => {
    const r = await box.run(NOW, 'get', 'is', '-o', 'jsonpath={.items[*].metadata.name}')
    expect(r).toMatchObject({ code: 0, stdout: 'api web' })
    const tag = await box.run(NOW, 'get', 'istag', 'web:1.4', '-o', 'jsonpath={.image.metadata.name}{"\\n"}')
    expect(tag.stdout).toBe(`${B}\n`)
    const h = await box.run(
      NOW,
      'history',
      'web:1.4',
      '-o',
      "jsonpath=gen {.items[1].generation}: {.items[1]['image']}"
    )
    expect(h.stdout).toBe(`gen 3: ${A}`)
  })

  it('a bad template or format is a usage error naming what is wrong, before anything runs', async () => {
    const r = await box.run(NOW, 'get', 'is', '-o', 'jsonpath={.items[?(@.x)]}')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('cannot read ".items[?(@.x)]" at column 7')
    const f = await box.run(NOW, 'get', 'is', '-o', 'xml')
    expect(f.code).toBe(2)
    expect(f.stderr).toContain('"xml" is not an output format; use one of table, wide, name, json, yaml, jsonpath=')
  })

  it('renderJsonPath: wildcards over objects, missing keys select nothing, non-strings print as JSON', () => {
    const data = { a: { x: 1, y: 'two' }, list: [{ n: { k: true } }] }
    expect(renderJsonPath('{.a.*}', data)).toBe('1 two')
    expect(renderJsonPath('[{.missing.deep}]', data)).toBe('[]')
    expect(renderJsonPath('{.list[0].n}', data)).toBe('{"k":true}')
    expect(() => parseOutputMode('jsonpath={.a')).toThrow('unclosed {')
  })
})
