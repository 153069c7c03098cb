/**
 * Tag policies: the `imagestream-action.dev/*` annotations on a spec tag that make it follow versions instead of one
 * mutable tag, and decide when a move may land. Spec tag annotations are a plain string map in OpenShift's schema
 * (openshift/api image/v1 TagReference.Annotations), so a file carrying them still passes `oc apply`.
 *
 * This module parses and validates them (every error names the field); policy-select.ts orders tags.
 * The vocabulary follows Flux's ImagePolicy (semver / numerical / alphabetical, filterTags pattern + extract) and
 * Argo CD Image Updater's allow/ignore tags; see docs/policies.md.
 */
import semver from 'semver'
import { InputError } from '../../util/errors.js'
import { ANNOTATION_PREFIX, type TagReference } from '../types.js'

export const POLICY_ANNOTATION = `${ANNOTATION_PREFIX}policy`
export const FILTER_ANNOTATION = `${ANNOTATION_PREFIX}filter`
export const EXTRACT_ANNOTATION = `${ANNOTATION_PREFIX}extract`
export const IGNORE_ANNOTATION = `${ANNOTATION_PREFIX}ignore`
export const ALLOW_ANNOTATION = `${ANNOTATION_PREFIX}allow`
export const MIN_AGE_ANNOTATION = `${ANNOTATION_PREFIX}min-age`
export const IMMUTABLE_ANNOTATION = `${ANNOTATION_PREFIX}immutable`
export const REQUIRE_PLATFORMS_ANNOTATION = `${ANNOTATION_PREFIX}require-platforms`
/** One-off: accept a re-pushed immutable tag's new content (the digest, or "true" for whatever it is now). */
export const ACCEPT_DRIFT_ANNOTATION = `${ANNOTATION_PREFIX}accept-drift`

/** Every annotation this module reads: a spec tag with any of them is governed by a policy. */
export const POLICY_ANNOTATIONS = [
  POLICY_ANNOTATION,
  FILTER_ANNOTATION,
  EXTRACT_ANNOTATION,
  IGNORE_ANNOTATION,
  ALLOW_ANNOTATION,
  MIN_AGE_ANNOTATION,
  IMMUTABLE_ANNOTATION,
  REQUIRE_PLATFORMS_ANNOTATION,
  ACCEPT_DRIFT_ANNOTATION
] as const

export type Ordering =
  | { kind: 'semver'; range: string }
  | { kind: 'numerical'; order: 'asc' | 'desc' }
  | { kind: 'alphabetical'; order: 'asc' | 'desc' }

/** One ignore/allow entry: a literal tag, or a `/regex/`. */
export type TagMatcher = { literal: string } | { regex: RegExp; source: string }

export interface TagPolicy {
  /**
   * Undefined: the tag follows its `from` tag as OpenShift does; only the gates (age, immutability, platforms) apply.
   */
  ordering?: Ordering
  /** The filter, named groups in JavaScript spelling. */
  filter?: RegExp
  /** A Go regexp.Expand template (`$ts`, `${ts}`, `$1`); default: the whole tag. */
  extract?: string
  ignore: TagMatcher[]
  /** Empty: every tag is allowed. */
  allow: TagMatcher[]
  /** Seconds; 0 when unset. */
  minAgeSeconds: number
  /** The min-age as written, for messages. */
  minAge?: string
  /** Explicit `immutable`, or implied by a semver ordering (a release tag's content never changes). */
  immutable: boolean
  /** `os/architecture[/variant]` entries, normalized to lower case. */
  requirePlatforms: string[]
  /** The accept-drift annotation's value, when present. */
  acceptDrift?: string
}

/** Field path of one annotation of spec.tags[index], as diagnostics print it. */
export function annotationField(index: number, key: string): string {
  return `spec.tags[${index}].annotations["${key}"]`
}

/** True when the spec tag carries any policy annotation. */
export function hasPolicy(ref: TagReference): boolean {
  const a = ref.annotations
  return Boolean(a && POLICY_ANNOTATIONS.some((k) => a[k] !== undefined))
}

/**
 * Parses the policy annotations of spec.tags[index]; undefined when there are none. Throws InputError naming the
 * field and what a valid value looks like.
 */
export function parseTagPolicy(ref: TagReference, index: number): TagPolicy | undefined {
  if (!hasPolicy(ref)) return undefined
  const a = ref.annotations ?? {}
  const fail = (key: string, message: string): never => {
    throw new InputError(message, { field: annotationField(index, key) })
  }
  const ordering = a[POLICY_ANNOTATION] !== undefined ? parseOrdering(a[POLICY_ANNOTATION], fail) : undefined
  const filter = a[FILTER_ANNOTATION] !== undefined ? parseFilter(a[FILTER_ANNOTATION], fail) : undefined
  const extract = a[EXTRACT_ANNOTATION]
  if (extract !== undefined) {
    if (!filter) {
      fail(EXTRACT_ANNOTATION, `extract needs a filter with the named group it refers to (${FILTER_ANNOTATION})`)
    }
    checkExtract(extract, filter!, (m) => fail(EXTRACT_ANNOTATION, m))
  }
  if ((filter || extract) && !ordering) {
    fail(FILTER_ANNOTATION, `a filter needs an ordering to pick a tag: add ${POLICY_ANNOTATION} (e.g. "numerical:asc")`)
  }
  const minAge = a[MIN_AGE_ANNOTATION]
  const immutableText = a[IMMUTABLE_ANNOTATION]
  if (immutableText !== undefined && immutableText !== 'true' && immutableText !== 'false') {
    fail(IMMUTABLE_ANNOTATION, `"${immutableText}" is not "true" or "false"`)
  }
  return {
    ...(ordering ? { ordering } : {}),
    ...(filter ? { filter } : {}),
    ...(extract !== undefined ? { extract } : {}),
    ignore: matchersOf(a, IGNORE_ANNOTATION, fail),
    allow: matchersOf(a, ALLOW_ANNOTATION, fail),
    minAgeSeconds: minAge !== undefined ? parseDuration(minAge, (m) => fail(MIN_AGE_ANNOTATION, m)) : 0,
    ...(minAge !== undefined ? { minAge } : {}),
    immutable: immutableText !== undefined ? immutableText === 'true' : ordering?.kind === 'semver',
    requirePlatforms:
      a[REQUIRE_PLATFORMS_ANNOTATION] !== undefined
        ? parsePlatforms(a[REQUIRE_PLATFORMS_ANNOTATION], (m) => fail(REQUIRE_PLATFORMS_ANNOTATION, m))
        : [],
    ...(a[ACCEPT_DRIFT_ANNOTATION] !== undefined ? { acceptDrift: a[ACCEPT_DRIFT_ANNOTATION] } : {})
  }
}

function parseOrdering(value: string, fail: (key: string, message: string) => never): Ordering {
  const at = value.indexOf(':')
  const kind = (at < 0 ? value : value.slice(0, at)).trim()
  const arg = at < 0 ? '' : value.slice(at + 1).trim()
  if (kind === 'semver') {
    if (!arg) fail(POLICY_ANNOTATION, 'semver needs a range: "semver:^1", "semver:>=2.0.0-0", "semver:*"')
    if (semver.validRange(arg) === null) {
      fail(POLICY_ANNOTATION, `"${arg}" is not a node-semver range (e.g. "^1.4", ">=2.0.0 <3")`)
    }
    return { kind: 'semver', range: arg }
  }
  if (kind === 'numerical' || kind === 'alphabetical') {
    const order = arg || 'asc'
    if (order !== 'asc' && order !== 'desc') fail(POLICY_ANNOTATION, `${kind} order "${order}" is not "asc" or "desc"`)
    return { kind, order: order as 'asc' | 'desc' }
  }
  return fail(
    POLICY_ANNOTATION,
    `"${value}" is not a policy; use "semver:<range>", "numerical:asc|desc" or "alphabetical:asc|desc"`
  )
}

/** Go's RE2 spells named groups `(?P<name>…)` (Flux's filterTags); JavaScript `(?<name>…)`. Both are taken. */
export function toJsPattern(pattern: string): string {
  return pattern.replace(/\(\?P</g, '(?<')
}

function parseFilter(value: string, fail: (key: string, message: string) => never): RegExp {
  try {
    return new RegExp(toJsPattern(value))
  } catch (err) {
    return fail(FILTER_ANNOTATION, `not a regular expression: ${(err as Error).message}`)
  }
}

/** Named (`$name`, `${name}`) and numbered (`$1`) references of a Go regexp.Expand template. */
export function templateReferences(template: string): string[] {
  return [...template.matchAll(/\$(?:\{(\w+)\}|(\w+))/g)].map((m) => (m[1] ?? m[2])!)
}

function checkExtract(template: string, filter: RegExp, fail: (message: string) => never): void {
  const refs = templateReferences(template)
  if (refs.length === 0) fail(`"${template}" names no group; write "$name" for a group (?<name>…) of the filter`)
  const groups = groupNames(filter)
  const count = new RegExp(`${filter.source}|`).exec('')!.length - 1
  for (const r of refs) {
    if (/^\d+$/.test(r) ? Number(r) > count : !groups.includes(r)) {
      fail(`"$${r}" is not a group of the filter (groups: ${groups.length ? groups.join(', ') : `${count} unnamed`})`)
    }
  }
}

function groupNames(re: RegExp): string[] {
  return [...re.source.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => m[1]!)
}

function matchersOf(
  annotations: Record<string, string>,
  key: string,
  fail: (key: string, message: string) => never
): TagMatcher[] {
  const value = annotations[key]
  return value === undefined ? [] : parseMatchers(value, (m) => fail(key, m))
}

/** `a, b, /^rc-/` → matchers; a value that is one `/…/` as a whole is one regex (it may contain commas). */
export function parseMatchers(value: string, fail: (message: string) => never): TagMatcher[] {
  const whole = value.trim()
  const items = /^\/.+\/$/s.test(whole)
    ? [whole]
    : whole
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
  return items.map((item) => {
    if (item.length > 1 && item.startsWith('/') && item.endsWith('/')) {
      const source = item.slice(1, -1)
      try {
        return { regex: new RegExp(toJsPattern(source)), source }
      } catch (err) {
        return fail(`${item} is not a regular expression: ${(err as Error).message}`)
      }
    }
    return { literal: item }
  })
}

export function matchesAny(tag: string, matchers: readonly TagMatcher[]): TagMatcher | undefined {
  return matchers.find((m) => ('literal' in m ? m.literal === tag : m.regex.test(tag)))
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }

/** `90m`, `2h`, `3d`, `1h30m`, `1w` → seconds. */
export function parseDuration(value: string, fail: (message: string) => never): number {
  const text = value.trim()
  if (!/^(\d+[smhdw])+$/.test(text)) {
    return fail(`"${value}" is not a duration; write a number and a unit (s, m, h, d, w): "90m", "2h", "3d", "1h30m"`)
  }
  let seconds = 0
  for (const m of text.matchAll(/(\d+)([smhdw])/g)) seconds += Number(m[1]) * UNIT_SECONDS[m[2]!]!
  return seconds
}

function parsePlatforms(value: string, fail: (message: string) => never): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
  if (items.length === 0) fail('lists no platform; write e.g. "linux/amd64,linux/arm64"')
  for (const item of items) {
    if (!/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(item)) {
      fail(`"${item}" is not os/architecture[/variant] (e.g. linux/amd64, linux/arm/v7)`)
    }
  }
  return items
}

/** The annotation text of an ordering, as `set policy` writes it. */
export function formatOrdering(o: Ordering): string {
  return o.kind === 'semver' ? `semver:${o.range}` : `${o.kind}:${o.order}`
}
