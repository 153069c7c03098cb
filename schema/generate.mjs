#!/usr/bin/env node
// Generates the JSON Schema of an ImageStream state file from OpenShift's own OpenAPI definitions
// (schema/openshift-imagestream.openapi.json, the closure of ImageStream in openshift/api openapi/openapi.json).
//
//   node schema/generate.mjs          writes schema/imagestream.schema.json and src/stream/state-schema.ts
//   node schema/generate.mjs --check  exits 1 if either file is not what the generator would write
//
// The OpenAPI document describes what the API server accepts; a state file is stricter in the ways kubectl's
// strict field validation and OpenShift's validation are (see OVERLAYS below): unknown fields are rejected
// everywhere, apiVersion/kind are fixed, and enum-like strings only take the values OpenShift accepts.
// Every tightening is listed here so the schema stays a reviewable function of the upstream definitions.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const SOURCE = join(here, 'openshift-imagestream.openapi.json')
const SCHEMA_OUT = join(here, 'imagestream.schema.json')
const TS_OUT = join(root, 'src', 'stream', 'state-schema.ts')

export const SCHEMA_ID =
  'https://raw.githubusercontent.com/imagestream-action/imagestream-action/v1/schema/imagestream.schema.json'
const ROOT_DEF = 'com.github.openshift.api.image.v1.ImageStream'

// Namespaces are DNS-1123 labels (k8s.io/apimachinery/pkg/util/validation). ImageStream names follow OpenShift's
// ValidateImageStreamName (openshift-apiserver pkg/image/apis/image/validation/validation.go): the same pattern as
// src/reference/imagestream-name.ts IMAGE_STREAM_NAME_PATTERN (a test checks they agree).
const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const IMAGE_STREAM_NAME = '^[a-z0-9]+(?:[._-][a-z0-9]+)*$'

/** Tightenings, keyed by short definition name → property → JSON Schema keywords merged over the property. */
const OVERLAYS = {
  ImageStream: {
    $required: ['apiVersion', 'kind', 'metadata'],
    // `v1` is OpenShift's legacy API group, still served (openshift-apiserver pkg/api/legacy installs image.openshift.io
    // types into it) and still shipped by openshift/library and the samples operator.
    apiVersion: { enum: ['image.openshift.io/v1', 'v1'] },
    kind: { const: 'ImageStream' }
  },
  ObjectMeta: {
    $required: ['name'],
    name: { pattern: IMAGE_STREAM_NAME, maxLength: 253 },
    namespace: { pattern: `^${DNS1123_LABEL}$`, maxLength: 63 },
    // `kubectl create --dry-run -o yaml` writes the zero metav1.Time as null.
    creationTimestamp: { nullable: true }
  },
  TagReference: {
    // No omitempty in Go: an empty map is written as `annotations: null`, a nil *int64 as `generation: null`.
    annotations: { nullable: true },
    generation: { nullable: true, minimum: 0 },
    name: { minLength: 1 }
  },
  ObjectReference: {
    // A tag's `from` needs both: OpenShift validation reports "from.kind: Required" / "from.name: Required".
    $required: ['kind', 'name'],
    // OpenShift validation: "valid values are 'DockerImage', 'ImageStreamImage', 'ImageStreamTag'".
    kind: { enum: ['DockerImage', 'ImageStreamTag', 'ImageStreamImage'] }
  },
  TagImportPolicy: { importMode: { enum: ['Legacy', 'PreserveOriginal'] } },
  // SetDefaults_TagReferencePolicy (openshift-apiserver pkg/image/apis/image/v1/defaults.go): an empty or missing
  // type means Source, so `referencePolicy: {}` and `{type: ""}` (openshift/library's sso streams) are valid.
  TagReferencePolicy: { $optional: ['type'], type: { enum: ['Source', 'Local', ''] } },
  NamedTagEventList: {
    // A nil slice is written as `items: null` (no omitempty).
    items: { nullable: true },
    tag: { minLength: 1 }
  },
  TagEvent: { generation: { minimum: 0 } },
  TagEventCondition: {
    type: { enum: ['ImportSuccess'] },
    status: { enum: ['True', 'False', 'Unknown'] },
    generation: { minimum: 0 }
  }
}

/** Objects whose contents are free-form in Kubernetes (managedFields.fieldsV1). */
const OPEN_OBJECTS = new Set(['FieldsV1'])

function shortName(longName) {
  return longName.slice(longName.lastIndexOf('.') + 1)
}

function closure(defs, start) {
  const seen = new Set()
  const visit = (name) => {
    if (seen.has(name)) return
    seen.add(name)
    JSON.stringify(defs[name], (key, value) => {
      if (key === '$ref') visit(value.replace('#/definitions/', ''))
      return value
    })
  }
  visit(start)
  return [...seen].sort()
}

/** Copies a schema, dropping the vendor keywords (x-kubernetes-*) and the int32/int64 formats ajv's strict mode rejects. */
function clean(node, rename) {
  if (Array.isArray(node)) return node.map((n) => clean(n, rename))
  if (node === null || typeof node !== 'object') return node
  const out = {}
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-kubernetes-')) continue
    if (key === 'format' && (value === 'int32' || value === 'int64')) continue
    if (key === '$ref') out.$ref = `#/definitions/${rename(value.replace('#/definitions/', ''))}`
    else if (key === 'properties') {
      out.properties = {}
      for (const [name, prop] of Object.entries(value)) out.properties[name] = clean(prop, rename)
    } else out[key] = clean(value, rename)
  }
  return out
}

function nullable(prop, defs) {
  // `type: [T, 'null']` keeps ajv's error paths simple (no anyOf), which file:line:column mapping relies on.
  if (prop.type) return { ...prop, type: [prop.type, 'null'] }
  if (prop.$ref) {
    const target = defs[prop.$ref.replace('#/definitions/', '')]
    const { description, ...rest } = target
    return { ...(prop.description ? { description: prop.description } : {}), ...rest, type: [target.type, 'null'] }
  }
  throw new Error(`cannot make ${JSON.stringify(prop)} nullable`)
}

export function generate(openapi) {
  const defs = openapi.definitions
  const names = closure(defs, ROOT_DEF)
  const shortNames = new Map(names.map((n) => [n, shortName(n)]))
  if (new Set(shortNames.values()).size !== names.length) throw new Error('definition short names collide')
  const rename = (n) => {
    const s = shortNames.get(n)
    if (!s) throw new Error(`unknown definition ${n}`)
    return s
  }

  const definitions = {}
  for (const name of names) {
    const short = rename(name)
    const def = clean(defs[name], rename)
    if (def.type === 'object' && !OPEN_OBJECTS.has(short)) def.additionalProperties ??= false
    definitions[short] = def
  }
  for (const [defName, overlay] of Object.entries(OVERLAYS)) {
    const def = definitions[defName]
    if (!def) throw new Error(`overlay for missing definition ${defName}`)
    for (const [prop, extra] of Object.entries(overlay)) {
      if (prop === '$optional') {
        def.required = (def.required ?? []).filter((r) => !extra.includes(r))
        if (def.required.length === 0) delete def.required
        continue
      }
      if (prop === '$required') {
        def.required = [...new Set([...(def.required ?? []), ...extra])]
        continue
      }
      if (!def.properties?.[prop]) throw new Error(`overlay for missing property ${defName}.${prop}`)
      const { nullable: makeNullable, ...keywords } = extra
      let merged = { ...def.properties[prop], ...keywords }
      if (makeNullable) merged = nullable(merged, definitions)
      def.properties[prop] = merged
    }
  }
  // The root object is the ImageStream itself, so a `$schema` modeline validates the whole file.
  const { ImageStream, ...rest } = definitions
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'OpenShift ImageStream (image.openshift.io/v1) state file',
    $comment: `Generated by schema/generate.mjs from ${openapi.$comment.split(' (')[0].replace(/^Closure of the ImageStream definition from /, '')}. Do not edit.`,
    ...ImageStream,
    definitions: rest
  }
}

function renderTs(schema) {
  return (
    '// Generated by schema/generate.mjs from schema/openshift-imagestream.openapi.json. Do not edit.\n' +
    '// The same object as schema/imagestream.schema.json, as a module so the bundle needs no file at run time.\n' +
    '/* eslint-disable */\n' +
    `export const imageStreamSchema: Record<string, unknown> = ${JSON.stringify(schema, null, 2)}\n`
  )
}

function main() {
  const openapi = JSON.parse(readFileSync(SOURCE, 'utf8'))
  const schema = generate(openapi)
  const outputs = [
    [SCHEMA_OUT, `${JSON.stringify(schema, null, 2)}\n`],
    [TS_OUT, renderTs(schema)]
  ]
  if (process.argv.includes('--check')) {
    let stale = false
    for (const [file, text] of outputs) {
      let current = ''
      try {
        current = readFileSync(file, 'utf8')
      } catch {}
      if (current !== text) {
        process.stderr.write(`${file} is stale: run node schema/generate.mjs\n`)
        stale = true
      }
    }
    process.exit(stale ? 1 : 0)
  }
  for (const [file, text] of outputs) writeFileSync(file, text)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main()
