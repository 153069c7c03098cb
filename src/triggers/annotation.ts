/**
 * The `image.openshift.io/triggers` annotation: a JSON string holding []ObjectFieldTrigger.
 * Decoding follows Go's encoding/json as library-go uses it ([lg] pkg/image/trigger/types.go, annotations.go):
 * `null` is an empty list, object keys match struct fields case-insensitively, unknown keys are ignored, a
 * wrong type anywhere rejects the whole annotation, and so do two triggers with the same fieldPath.
 */

export const TRIGGER_ANNOTATION = 'image.openshift.io/triggers'

export interface TriggerFrom {
  kind: string
  name: string
  namespace: string
  apiVersion: string
}

export interface ObjectFieldTrigger {
  from: TriggerFrom
  fieldPath: string
  paused: boolean
}

export type AnnotationParse = { ok: true; triggers: ObjectFieldTrigger[] } | { ok: false; message: string }

const GO_TYPE = '[]trigger.ObjectFieldTrigger'

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'object') return 'object'
  return typeof value === 'boolean' ? 'bool' : typeof value
}

/** Assigns JSON object members to fields the way Go does: exact or case-insensitive name, last one wins. */
function goFields(obj: Record<string, unknown>, fields: string[]): Map<string, unknown> {
  const out = new Map<string, unknown>()
  for (const [key, value] of Object.entries(obj)) {
    const field = fields.find((f) => f === key) ?? fields.find((f) => f.toLowerCase() === key.toLowerCase())
    if (field) out.set(field, value)
  }
  return out
}

function goString(value: unknown, where: string): string {
  if (value === null || value === undefined) return ''
  if (typeof value !== 'string') throw new Error(`${where} must be a string, not ${jsonType(value)}`)
  return value
}

export function parseTriggerAnnotation(text: string): AnnotationParse {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    return { ok: false, message: `the annotation is not valid JSON (${(err as Error).message})` }
  }
  if (data === null) return { ok: true, triggers: [] }
  if (!Array.isArray(data)) {
    return {
      ok: false,
      message: `the annotation must be a JSON array of triggers, not ${jsonType(data)} (cannot unmarshal into ${GO_TYPE})`
    }
  }
  const triggers: ObjectFieldTrigger[] = []
  try {
    data.forEach((item: unknown, i: number) => {
      const trigger: ObjectFieldTrigger = {
        from: { kind: '', name: '', namespace: '', apiVersion: '' },
        fieldPath: '',
        paused: false
      }
      if (item !== null) {
        if (typeof item !== 'object' || Array.isArray(item))
          throw new Error(`[${i}] must be an object, not ${jsonType(item)}`)
        const f = goFields(item as Record<string, unknown>, ['from', 'fieldPath', 'paused'])
        const from = f.get('from')
        if (from !== undefined && from !== null) {
          if (typeof from !== 'object' || Array.isArray(from))
            throw new Error(`[${i}].from must be an object, not ${jsonType(from)}`)
          const g = goFields(from as Record<string, unknown>, ['kind', 'name', 'namespace', 'apiVersion'])
          trigger.from = {
            kind: goString(g.get('kind'), `[${i}].from.kind`),
            name: goString(g.get('name'), `[${i}].from.name`),
            namespace: goString(g.get('namespace'), `[${i}].from.namespace`),
            apiVersion: goString(g.get('apiVersion'), `[${i}].from.apiVersion`)
          }
        }
        trigger.fieldPath = goString(f.get('fieldPath'), `[${i}].fieldPath`)
        const paused = f.get('paused')
        if (paused !== undefined && paused !== null && typeof paused !== 'boolean') {
          throw new Error(`[${i}].paused must be true or false, not ${jsonType(paused)}`)
        }
        trigger.paused = paused === true
      }
      triggers.push(trigger)
    })
  } catch (err) {
    return { ok: false, message: `the annotation is not a valid trigger list: ${(err as Error).message}` }
  }
  for (let i = 0; i < triggers.length; i++) {
    for (let j = i + 1; j < triggers.length; j++) {
      if (triggers[i].fieldPath === triggers[j].fieldPath) {
        return {
          ok: false,
          message: `duplicate triggers are not allowed: [${i}] and [${j}] both have fieldPath "${triggers[i].fieldPath}" (OpenShift rejects the whole annotation)`
        }
      }
    }
  }
  return { ok: true, triggers }
}

/** Go's json.Marshal string encoding: like JSON.stringify, but also escapes <, >, & and U+2028/U+2029. */
export function goJsonString(value: string): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/** json.Marshal([]ObjectFieldTrigger): field order from the struct, omitempty on from.* and paused. */
export function formatTriggerAnnotation(triggers: ObjectFieldTrigger[]): string {
  // A nil slice marshals as `null`; oc writes that when the last trigger is removed.
  if (triggers.length === 0) return 'null'
  const parts = triggers.map((t) => {
    const from: string[] = []
    if (t.from.kind) from.push(`"kind":${goJsonString(t.from.kind)}`)
    if (t.from.name) from.push(`"name":${goJsonString(t.from.name)}`)
    if (t.from.namespace) from.push(`"namespace":${goJsonString(t.from.namespace)}`)
    if (t.from.apiVersion) from.push(`"apiVersion":${goJsonString(t.from.apiVersion)}`)
    return `{"from":{${from.join(',')}},"fieldPath":${goJsonString(t.fieldPath)}${t.paused ? ',"paused":true' : ''}}`
  })
  return `[${parts.join(',')}]`
}

/**
 * SplitImageStreamTag ([lg] imageutil): split at the first `:`; an empty tag means `latest`; a name without `:`
 * is not an image stream tag and resolves to nothing.
 */
export function splitStreamTag(name: string): { stream: string; tag: string } | undefined {
  const i = name.indexOf(':')
  if (i < 0) return undefined
  return { stream: name.slice(0, i), tag: name.slice(i + 1) || 'latest' }
}
