/**
 * Picking a policy tag's winner from a repository's tag list, with the reason each other tag lost — the "explain".
 *
 * Steps, in Flux ImagePolicy's order (image-reflector-controller internal/policy): allow/ignore (Argo CD Image
 * Updater's allow-tags / ignore-tags), then the filter and its extracted value (Flux filterTags pattern + extract,
 * regexp.Expand), then the ordering:
 *  - semver: node-semver's `satisfies` with its default prerelease rule (a prerelease only satisfies a range with a
 *    comparator on the same major.minor.patch that has a prerelease, so `^1` never picks `1.5.0-rc.1` while
 *    `>=2.0.0-0` may); node-semver accepts a leading `v`/`=` (`v1.11.0` is 1.11.0, so `^1` picks `v1.11.0` over
 *    `1.10.0`); build metadata does not order. Equal versions (`1.2.0`, `v1.2.0`) go to the plain spelling, then by
 *    code-unit order, so the result never depends on the registry's listing order.
 *  - numerical: the extracted value as a number (Flux: strconv.ParseFloat); `asc` picks the highest, `desc` the
 *    lowest (Flux's meaning of order). Ties go to the tag's code-unit order.
 *  - alphabetical: code-unit order of the extracted value (Go's sort.Strings); `asc` picks the last.
 */
import semver from 'semver'
import { matchesAny, templateReferences, type TagPolicy } from './policy.js'

export type FilterReason = 'not-allowed' | 'ignored' | 'filter' | 'not-semver' | 'out-of-range' | 'not-a-number'

export interface Rejected {
  tag: string
  reason: FilterReason
  /** Human words: "does not match the filter ^main-…$". */
  detail: string
}

export interface Candidate {
  tag: string
  /** What the ordering compared (the extracted value, or the tag). */
  value: string
}

export interface Explanation {
  /** Every tag the listing returned. */
  considered: number
  rejected: Rejected[]
  /** Tags that passed, best first. */
  candidates: Candidate[]
  winner?: Candidate
}

/** Go regexp.Expand of `template` with the match's groups (`$name`, `${name}`, `$1`; unknown groups expand empty). */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  return template.replace(/\$(?:\{(\w+)\}|(\w+))/g, (_, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!
    const value = /^\d+$/.test(name) ? match[Number(name)] : match.groups?.[name]
    return value ?? ''
  })
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

interface Scored extends Candidate {
  number?: number
  version?: semver.SemVer
}

/** The tags the policy keeps, each with the value it is ordered by, and the ones it drops with why. */
function screen(tags: readonly string[], policy: TagPolicy): { kept: Scored[]; rejected: Rejected[] } {
  const kept: Scored[] = []
  const rejected: Rejected[] = []
  const ordering = policy.ordering
  for (const tag of tags) {
    if (policy.allow.length && !matchesAny(tag, policy.allow)) {
      rejected.push({ tag, reason: 'not-allowed', detail: 'not in the allow list' })
      continue
    }
    const ignoredBy = matchesAny(tag, policy.ignore)
    if (ignoredBy) {
      const by = 'literal' in ignoredBy ? 'listed' : `matches /${ignoredBy.source}/`
      rejected.push({ tag, reason: 'ignored', detail: `ignored (${by})` })
      continue
    }
    let value = tag
    if (policy.filter) {
      const m = policy.filter.exec(tag)
      if (!m) {
        rejected.push({ tag, reason: 'filter', detail: `does not match the filter ${policy.filter.source}` })
        continue
      }
      if (policy.extract !== undefined) value = expandTemplate(policy.extract, m)
    }
    const scored: Scored = { tag, value }
    if (ordering?.kind === 'semver') {
      const version = semver.parse(value)
      if (!version) {
        rejected.push({ tag, reason: 'not-semver', detail: `${quoteIfExtracted(value, tag)}is not a semantic version` })
        continue
      }
      if (!semver.satisfies(version, ordering.range)) {
        const why = version.prerelease.length ? ' (a prerelease: the range must name one to allow it)' : ''
        rejected.push({ tag, reason: 'out-of-range', detail: `${version.version} is not in ${ordering.range}${why}` })
        continue
      }
      scored.version = version
    } else if (ordering?.kind === 'numerical') {
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) {
        rejected.push({ tag, reason: 'not-a-number', detail: `${quoteIfExtracted(value, tag)}is not a number` })
        continue
      }
      scored.number = Number(value)
    }
    kept.push(scored)
  }
  return { kept, rejected }
}

function quoteIfExtracted(value: string, tag: string): string {
  return value === tag ? '' : `"${value}" (extracted) `
}

/** Best first. */
function compareScored(policy: TagPolicy): (a: Scored, b: Scored) => number {
  const o = policy.ordering
  if (!o) return (a, b) => byCodeUnit(a.tag, b.tag)
  if (o.kind === 'semver') {
    return (a, b) =>
      semver.rcompare(a.version!, b.version!) ||
      Number(a.value !== a.version!.version) - Number(b.value !== b.version!.version) ||
      byCodeUnit(a.tag, b.tag)
  }
  const sign = o.order === 'asc' ? -1 : 1
  if (o.kind === 'numerical') return (a, b) => sign * (a.number! - b.number!) || byCodeUnit(a.tag, b.tag)
  return (a, b) => sign * byCodeUnit(a.value, b.value) || byCodeUnit(a.tag, b.tag)
}

/** The winner among `tags` and why every other tag lost. Pure and independent of the order of `tags`. */
export function explainSelection(tags: readonly string[], policy: TagPolicy): Explanation {
  const { kept, rejected } = screen(tags, policy)
  const sorted = kept.sort(compareScored(policy))
  const candidates = sorted.map(({ tag, value }) => ({ tag, value }))
  return { considered: tags.length, rejected, candidates, ...(candidates[0] ? { winner: candidates[0] } : {}) }
}

/** Just the winning tag (undefined when no tag qualifies). */
export function selectTag(tags: readonly string[], policy: TagPolicy): string | undefined {
  return explainSelection(tags, policy).winner?.tag
}

/** The group names an extract template uses (for `explain` output). */
export function extractGroups(policy: TagPolicy): string[] {
  return policy.extract ? templateReferences(policy.extract) : []
}
