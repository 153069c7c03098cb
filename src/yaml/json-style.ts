/**
 * A stream file written in JSON (openshift/library ships its streams as JSON) stays JSON: `kubectl apply` reads it
 * either way, but a YAML flow map spliced into JSON is neither, and people review these files as JSON. The new
 * text is the data in the file's own layout: its indentation, its line ends, its key order (new keys where the
 * model puts them), its final newline, and Go's `\u0026`/`\u003c`/`\u003e` escapes when the file uses them.
 */

/** Whether the text (after an optional BOM) is one JSON object: then JSON is its style. */
export function isJsonObjectText(text: string): boolean {
  const body = text.replace(/^\uFEFF/, '').trim()
  if (!body.startsWith('{') || !body.endsWith('}')) return false
  try {
    const value: unknown = JSON.parse(body)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
  } catch {
    return false
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** `next` with the key order of `old` where both have the key, and `next`'s order for the rest. */
function orderLike(old: unknown, next: unknown): unknown {
  if (Array.isArray(next)) return next.map((item, i) => orderLike(Array.isArray(old) ? old[i] : undefined, item))
  if (!isObject(next)) return next
  const out: Record<string, unknown> = {}
  const before = isObject(old) ? Object.keys(old).filter((k) => k in next) : []
  for (const key of [...before, ...Object.keys(next)]) {
    if (key in out || next[key] === undefined) continue
    out[key] = orderLike(isObject(old) ? old[key] : undefined, next[key])
  }
  return out
}

/** The indentation unit of a JSON text: the leading white space of its first indented line ('' when one line). */
function indentOf(body: string): string {
  return /\n([ \t]+)["}\]]/.exec(body)?.[1] ?? ''
}

export function renderJsonLike(original: string, oldData: unknown, next: unknown): string {
  const bom = original.startsWith('\uFEFF') ? '\uFEFF' : ''
  const body = original.slice(bom.length)
  const lead = /^\s*/.exec(body)?.[0] ?? ''
  const tail = /\s*$/.exec(body)?.[0] ?? ''
  let out = JSON.stringify(orderLike(oldData, next) as Json, null, indentOf(body))
  if (/\\u00(26|3[cC]|3[eE])/.test(body)) {
    out = out.replace(/[&<>]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)
  }
  if (/\r\n/.test(body)) out = out.replace(/\n/g, '\r\n')
  return bom + lead + out + tail
}
