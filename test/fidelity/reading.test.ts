/**
 * Files OpenShift accepts must be read: each case is named after the OpenShift (or go-yaml) function that decides it.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { parseStreamFile } from '../../src/stream/state-file.js'
import { imageStreamSchema } from '../../src/stream/state-schema.js'
import { IMAGE_STREAM_NAME_PATTERN, isValidImageStreamName } from '../../src/reference/imagestream-name.js'

const stream = (name: string, extra = '') => `apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: ${name}
spec:
  tags:
  - name: latest
    from:
      kind: DockerImage
      name: quay.io/acme/web:latest
${extra}`

describe('SetDefaults_TagReferencePolicy: an empty type means Source', () => {
  it.each([
    ['{type: ""}', '    referencePolicy: {type: ""}\n'],
    ['{}', '    referencePolicy: {}\n'],
    ['type: (empty block)', "    referencePolicy:\n      type: ''\n"]
  ])('referencePolicy %s is read', (_label, extra) => {
    const parsed = parseStreamFile(stream('sso76-openshift-rhel8', extra), 'sso.yaml')
    expect(parsed.diagnostics).toEqual([])
    expect(parsed.stream?.spec?.tags?.[0].referencePolicy?.type || 'Source').toBe('Source')
  })
  it('a type that is neither Source nor Local is still refused', () => {
    const parsed = parseStreamFile(stream('web', '    referencePolicy: {type: Remote}\n'), 'web.yaml')
    expect(parsed.diagnostics.map((d) => d.message).join()).toMatch(
      /must be one of "Source", "Local", "", found the string "Remote"/
    )
  })
})

describe('ValidateImageStreamName (openshift-apiserver validation.go)', () => {
  it.each(['openad_workbench', 'web', 'a.b', 'a-b-c', 'ruby_2.7', '9'])('accepts %s', (name) => {
    expect(isValidImageStreamName(name)).toBe(true)
    expect(parseStreamFile(stream(JSON.stringify(name)), 'x.yaml').diagnostics).toEqual([])
  })
  it.each(['r--studio', 'a__b', 'Web', '-web', 'web-', 'a..b', '.', 'a/b', 'a%b', '_a'])('refuses %s', (name) => {
    expect(isValidImageStreamName(name)).toBe(false)
    const text = stream(JSON.stringify(name))
    expect(parseStreamFile(text, 'x.yaml').diagnostics.map((d) => d.field)).toContain('metadata.name')
  })
  it('the JSON Schema for editors holds the same pattern as the reader', () => {
    const meta = (imageStreamSchema.definitions as Record<string, { properties: Record<string, { pattern?: string }> }>)
      .ObjectMeta
    expect(meta.properties.name.pattern).toBe(IMAGE_STREAM_NAME_PATTERN)
    const file = JSON.parse(readFileSync(new URL('../../schema/imagestream.schema.json', import.meta.url), 'utf8'))
    expect(file.definitions.ObjectMeta.properties.name.pattern).toBe(IMAGE_STREAM_NAME_PATTERN)
  })
})

describe('legacy API group (openshift-apiserver pkg/api/legacy)', () => {
  it('apiVersion: v1 ImageStreams (openshift/library ships them) are read', () => {
    const parsed = parseStreamFile(stream('web').replace('image.openshift.io/v1', 'v1'), 'web.yaml')
    expect(parsed.diagnostics).toEqual([])
    expect(parsed.stream?.apiVersion).toBe('v1')
  })
})

describe('go-yaml v2 resolve(): plain scalars oc apply reads as strings', () => {
  it('a kustomize commit label 6e86341 is the string "6e86341", not Infinity', () => {
    const text = stream('web').replace('  name: web\n', '  name: web\n  labels:\n    commit: 6e86341\n')
    const parsed = parseStreamFile(text, 'web.yaml')
    expect(parsed.diagnostics).toEqual([])
    expect(parsed.stream?.metadata.labels).toEqual({ commit: '6e86341' })
  })
  it('a managedFields key "." is the string ".", not NaN', () => {
    const managed = [
      '  managedFields:',
      '  - manager: kubectl',
      '    operation: Update',
      '    apiVersion: image.openshift.io/v1',
      '    fieldsType: FieldsV1',
      '    fieldsV1:',
      '      f:spec:',
      '        .: {}',
      ''
    ].join('\n')
    const parsed = parseStreamFile(stream('web').replace('  name: web\n', `  name: web\n${managed}`), 'web.yaml')
    expect(parsed.diagnostics).toEqual([])
    expect(
      (parsed.stream?.metadata as { managedFields?: Array<{ fieldsV1?: unknown }> }).managedFields?.[0].fieldsV1
    ).toEqual({ 'f:spec': { '.': {} } })
  })
  it('a value that is not a string is reported as written, never as a value that is not in the file', () => {
    const parsed = parseStreamFile(stream('web').replace('name: latest', 'name: 1e999'), 'web.yaml')
    const text = parsed.diagnostics.map((d) => d.message).join('\n')
    expect(text).not.toMatch(/Infinity|NaN/)
    expect(parsed.diagnostics).toEqual([])
    expect(parsed.stream?.spec?.tags?.[0].name).toBe('1e999')
  })
  it('numbers Go reads as numbers stay numbers (1e3, .5, .inf)', () => {
    const text = stream('web').replace('  - name: latest\n', '  - name: latest\n    generation: 1e3\n')
    expect(parseStreamFile(text, 'web.yaml').stream?.spec?.tags?.[0].generation).toBe(1000)
  })
})
