/** The model as a state file holds it: what is written, what is dropped, and the plain objects it is made of. */
import { fieldShape, type Shape } from './state-shape.js'

export type Obj = Record<string, unknown>

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function isCollection(v: unknown): boolean {
  return typeof v === 'object' && v !== null
}

export function has(o: Obj, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined
}

/**
 * The model as it will be written: `undefined` dropped, empty `omitempty` lists/maps dropped (or kept as the file
 * spells them), a missing `spec` left missing when the model's is empty. Throws on values YAML/JSON cannot hold.
 */
export function normalizeForWrite(oldV: unknown, newV: unknown, shape: Shape | undefined, path = ''): unknown {
  if (Array.isArray(newV)) {
    return newV.map((item, i) => {
      let counterpart: unknown
      if (Array.isArray(oldV)) {
        const key = shape?.key
        counterpart = key && isObj(item) ? oldV.find((o) => isObj(o) && o[key] === item[key]) : oldV[i]
      }
      return normalizeForWrite(counterpart, item, shape?.items, `${path}[${i}]`)
    })
  }
  if (isObj(newV)) {
    // Cross-realm safe (structuredClone, vm contexts): Dates, Maps and class instances are not YAML mappings.
    if (
      Object.prototype.toString.call(newV) !== '[object Object]' ||
      (newV.constructor !== undefined && newV.constructor.name !== 'Object')
    ) {
      throw new TypeError(`${path || 'stream'}: cannot write a ${newV.constructor?.name ?? 'non-plain object'}`)
    }
    const out: Obj = {}
    for (const key of Object.keys(newV)) {
      const value = newV[key]
      if (value === undefined) continue
      const fs = fieldShape(shape, key)
      const old = isObj(oldV) ? oldV[key] : undefined
      const empty = (v: unknown) =>
        v === null || (Array.isArray(v) ? v.length === 0 : isObj(v) && Object.keys(v).length === 0)
      if (fs?.omitEmpty && empty(value)) {
        if (old !== undefined && empty(old)) out[key] = old
        continue
      }
      out[key] = normalizeForWrite(old, value, fs, path ? `${path}.${key}` : key)
    }
    if (path === '' && isObj(oldV) && !has(oldV, 'spec') && isObj(out.spec) && Object.keys(out.spec).length === 0)
      delete out.spec
    return out
  }
  if (newV === null || typeof newV === 'string' || typeof newV === 'boolean') return newV
  if (typeof newV === 'number' && Number.isFinite(newV)) return newV
  throw new TypeError(`${path || 'stream'}: cannot write ${String(newV)} (${typeof newV}) to YAML`)
}
