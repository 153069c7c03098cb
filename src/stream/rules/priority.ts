/**
 * PrioritizeTags ([lg] pkg/image/imageutil/helpers.go) and the repository-import cut
 * ([oas] importer/importer.go importRepositoryFromDocker, maxImagesBulkImportedPerRepository: default 50, -1 = all).
 * Order: `latest`; then minor versions (`5.1`, `v5.1`, `5.1-rc1`) by semver descending; then full semvers
 * (`5.1.3-other`, `v5.1.3`) descending; then everything else lexically. Equal versions: no prefix before `v`.
 * Go's sort is not stable, so for versions equal in semver (build metadata) we add a lexical tie-break.
 */
import semver from 'semver'
import { DEFAULT_IMAGE_TAG } from './draft.js'

export const DEFAULT_MAX_IMAGES_BULK_IMPORTED_PER_REPOSITORY = 50

const Priority = { Latest: 0, Minor: 1, Full: 2, Other: 3 } as const
type Priority = (typeof Priority)[keyof typeof Priority]

interface Prioritized {
  tag: string
  priority: Priority
  version?: semver.SemVer
  prefix: string
}

const MINOR = /^\d+\.\d+$/
const MINOR_WITH_PATCH = /^(\d+\.\d+)-\w+$/

/** blang/semver's strict Parse: npm's parse also accepts a `v`, `=` or spaces, which Go does not. */
function strictParse(text: string): semver.SemVer | undefined {
  if (!/^\d/.test(text) || /\s/.test(text)) return undefined
  return semver.parse(text) ?? undefined
}

function prioritize(tag: string): Prioritized {
  if (tag === 'latest') return { tag, priority: Priority.Latest, prefix: '' }
  const prefix = tag.startsWith('v') ? 'v' : ''
  const short = tag.slice(prefix.length)
  let version = strictParse(short)
  if (version) return { tag, priority: Priority.Full, version, prefix }
  if (MINOR.test(short)) {
    version = strictParse(`${short}.0`)
    if (version) return { tag, priority: Priority.Minor, version, prefix }
  }
  const match = MINOR_WITH_PATCH.exec(short)
  if (match) {
    version = strictParse(short.replace(match[1], `${match[1]}.0`))
    if (version) return { tag, priority: Priority.Minor, version, prefix }
  }
  return { tag, priority: Priority.Other, prefix }
}

function compare(a: Prioritized, b: Prioritized): number {
  if (a.priority !== b.priority) return a.priority - b.priority
  if (a.priority === Priority.Other || a.priority === Priority.Latest) return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0
  const byVersion = semver.compare(b.version!, a.version!) // newer first
  if (byVersion !== 0) return byVersion
  if (a.prefix !== b.prefix) return a.prefix < b.prefix ? -1 : 1
  return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0
}

/** PrioritizeTags, returning a new array. */
export function prioritizeTags(tags: readonly string[]): string[] {
  return tags
    .map(prioritize)
    .sort(compare)
    .map((p) => p.tag)
}

export interface RepositoryTagSelection {
  /** The tags to import, in priority order. */
  imported: string[]
  /** The rest: status.repository.additionalTags, which oc reports as "N additional tags which were not imported". */
  additional: string[]
}

/**
 * The repository import's tag choice: empty tags become `latest`, duplicates go, PrioritizeTags orders them and
 * the first `limit` are imported (-1: no limit).
 */
export function selectRepositoryTags(
  tags: readonly string[],
  limit: number = DEFAULT_MAX_IMAGES_BULK_IMPORTED_PER_REPOSITORY
): RepositoryTagSelection {
  if (!Number.isInteger(limit) || limit < -1) {
    throw new RangeError(`maxImagesBulkImportedPerRepository must be an integer >= -1 (got ${limit})`)
  }
  const ordered = prioritizeTags([...new Set(tags.map((t) => t || DEFAULT_IMAGE_TAG))])
  if (limit === -1 || ordered.length <= limit) return { imported: ordered, additional: [] }
  return { imported: ordered.slice(0, limit), additional: ordered.slice(limit) }
}

/** oc import-image's note for the overflow. */
export function additionalTagsMessage(additional: readonly string[]): string | undefined {
  if (additional.length === 0) return undefined
  const count = additional.length
  return `The remote repository contained ${count} additional tags which were not imported: ${additional.join(', ')}`
}
