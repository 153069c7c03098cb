import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { SCHEMA_URL } from '../../src/stream/state-file.js'
import { imageStreamSchema } from '../../src/stream/state-schema.js'
import { FIXTURES, fixture } from './state-support.js'

const ROOT = join(FIXTURES, '..', '..', '..')
const schemaFile = JSON.parse(readFileSync(join(ROOT, 'schema', 'imagestream.schema.json'), 'utf8')) as Record<
  string,
  unknown
>

/** The schema as an editor or CI would use it: a plain draft-07 validator with no help from our code. */
function editorValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false })
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/)
  return ajv.compile(schemaFile)
}

describe('schema/imagestream.schema.json', () => {
  it('is what schema/generate.mjs makes from the OpenShift OpenAPI definitions', () => {
    // --check exits non-zero (and execFileSync throws) if either generated file is stale.
    execFileSync(process.execPath, [join(ROOT, 'schema', 'generate.mjs'), '--check'], { stdio: 'pipe' })
    expect(imageStreamSchema).toEqual(schemaFile)
  })

  it('is draft-07, identified by the URL the modeline points at', () => {
    expect(schemaFile.$schema).toBe('http://json-schema.org/draft-07/schema#')
    expect(schemaFile.$id).toBe(SCHEMA_URL)
  })

  it.each(['reference-import-error.yaml', 'reference-history.yaml', 'web.yaml'])('accepts %s', (name) => {
    const validate = editorValidator()
    expect(validate(parse(fixture(name)))).toBe(true)
    expect(validate.errors ?? null).toBeNull()
  })

  it('rejects unknown fields under spec and status, and in metadata', () => {
    const validate = editorValidator()
    const base = parse(fixture('reference-history.yaml')) as Record<string, Record<string, unknown>>
    for (const [section, field] of [
      ['spec', 'lastPoll'],
      ['status', 'importedAt'],
      ['metadata', 'owner']
    ]) {
      const doc = structuredClone(base)
      doc[section][field] = 'x'
      expect(validate(doc)).toBe(false)
      expect(validate.errors?.[0]).toMatchObject({
        keyword: 'additionalProperties',
        params: { additionalProperty: field }
      })
    }
  })

  it('keeps OpenShift field descriptions for editors', () => {
    const defs = schemaFile.definitions as Record<string, { properties: Record<string, { description?: string }> }>
    expect(defs.TagReference.properties.generation.description).toMatch(
      /To trigger a new import, clients may set this value to zero/
    )
  })
})
