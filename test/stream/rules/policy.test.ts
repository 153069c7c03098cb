/**
 * Tag policies, pure: the annotations parsed with errors at the field, the winner among a tag list (Flux
 * ImagePolicy's semver / numerical / alphabetical and filterTags, Argo CD Image Updater's allow/ignore), the
 * explanation, and the gates (platforms, immutability, soak). Properties check what holds for any tag list.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import semver from 'semver'
import {
  decideGate,
  explainSelection,
  parseTagPolicy,
  selectTag,
  type GateInput,
  type TagPolicy
} from '../../../src/stream/rules/index.js'
import type { TagReference } from '../../../src/stream/types.js'
import { InputError } from '../../../src/util/errors.js'

const P = 'imagestream-action.dev/'

function policy(annotations: Record<string, string>): TagPolicy {
  const ref: TagReference = { name: 'stable', annotations, from: { kind: 'DockerImage', name: 'r/web:1' } }
  return parseTagPolicy(ref, 0)!
}

function parseError(annotations: Record<string, string>): InputError {
  try {
    policy(annotations)
  } catch (err) {
    return err as InputError
  }
  throw new Error('expected an InputError')
}

/** The repository of "Done when" item 1 (issue #14). */
const ISSUE_TAGS = [
  ...['1.2.0', '1.10.0', '1.9.3', '2.0.0-rc.1', '2.0.0', 'latest', 'v1.11.0'],
  ...['main-abc-100', 'main-def-99']
]

describe('parseTagPolicy', () => {
  it('is undefined for a tag without policy annotations (it follows its from tag as OpenShift does)', () => {
    expect(parseTagPolicy({ name: 'x', annotations: { 'other/x': 'y' } }, 0)).toBeUndefined()
    expect(parseTagPolicy({ name: 'x', annotations: null }, 0)).toBeUndefined()
  })

  it('reads every annotation', () => {
    const p = policy({
      [`${P}policy`]: 'numerical:desc',
      [`${P}filter`]: '^main-(?P<ts>\\d+)$',
      [`${P}extract`]: '$ts',
      [`${P}ignore`]: 'main-0, /^main-9/',
      [`${P}allow`]: '/^main-/',
      [`${P}min-age`]: '1h30m',
      [`${P}immutable`]: 'true',
      [`${P}require-platforms`]: 'linux/amd64, Linux/ARM64'
    })
    expect(p.ordering).toEqual({ kind: 'numerical', order: 'desc' })
    expect(p.filter!.source).toBe('^main-(?<ts>\\d+)$')
    expect(p.extract).toBe('$ts')
    expect(p.ignore).toHaveLength(2)
    expect(p.allow).toHaveLength(1)
    expect(p.minAgeSeconds).toBe(5400)
    expect(p.immutable).toBe(true)
    expect(p.requirePlatforms).toEqual(['linux/amd64', 'linux/arm64'])
  })

  it('makes every tag a semver policy selects immutable unless the file says immutable: "false"', () => {
    expect(policy({ [`${P}policy`]: 'semver:^1' }).immutable).toBe(true)
    expect(policy({ [`${P}policy`]: 'semver:^1', [`${P}immutable`]: 'false' }).immutable).toBe(false)
    expect(policy({ [`${P}policy`]: 'alphabetical:asc' }).immutable).toBe(false)
  })

  it.each([
    [{ [`${P}policy`]: 'newest' }, 'policy', 'is not a policy'],
    [{ [`${P}policy`]: 'semver:' }, 'policy', 'semver needs a range'],
    [{ [`${P}policy`]: 'semver:not a range!' }, 'policy', 'is not a node-semver range'],
    [{ [`${P}policy`]: 'numerical:up' }, 'policy', 'is not "asc" or "desc"'],
    [{ [`${P}policy`]: 'numerical:asc', [`${P}filter`]: '(' }, 'filter', 'not a regular expression'],
    [{ [`${P}filter`]: '^v' }, 'filter', 'needs an ordering'],
    [{ [`${P}policy`]: 'numerical:asc', [`${P}extract`]: '$ts' }, 'extract', 'needs a filter'],
    [
      { [`${P}policy`]: 'numerical:asc', [`${P}filter`]: '(?<ts>\\d+)', [`${P}extract`]: '$tz' },
      'extract',
      'not a group'
    ],
    [{ [`${P}min-age`]: '2 hours' }, 'min-age', 'is not a duration'],
    [{ [`${P}immutable`]: 'yes' }, 'immutable', 'is not "true" or "false"'],
    [{ [`${P}require-platforms`]: 'amd64' }, 'require-platforms', 'is not os/architecture'],
    [{ [`${P}ignore`]: '/(/' }, 'ignore', 'is not a regular expression']
  ])('refuses %j with an error at the field', (annotations, key, words) => {
    const err = parseError(annotations)
    expect(err).toBeInstanceOf(InputError)
    expect(err.location.field).toBe(`spec.tags[0].annotations["${P}${key}"]`)
    expect(err.message).toContain(words)
  })
})

describe('explainSelection (issue #14 repository)', () => {
  it('semver ^1 accepts the v prefix as node-semver does: v1.11.0 beats 1.10.0', () => {
    const e = explainSelection(ISSUE_TAGS, policy({ [`${P}policy`]: 'semver:^1' }))
    expect(e.winner?.tag).toBe('v1.11.0')
    expect(e.candidates.map((c) => c.tag)).toEqual(['v1.11.0', '1.10.0', '1.9.3', '1.2.0'])
    expect(e.rejected).toContainEqual({ tag: 'latest', reason: 'not-semver', detail: 'is not a semantic version' })
    expect(e.rejected.find((r) => r.tag === '2.0.0')!.reason).toBe('out-of-range')
    expect(e.considered).toBe(ISSUE_TAGS.length)
  })

  it('semver ^1 without v-prefixed tags (ignored) picks 1.10.0, numerically above 1.9.3', () => {
    expect(selectTag(ISSUE_TAGS, policy({ [`${P}policy`]: 'semver:^1', [`${P}ignore`]: '/^v/' }))).toBe('1.10.0')
  })

  it('semver >=2.0.0-0 admits prereleases and still prefers the release 2.0.0', () => {
    const e = explainSelection(ISSUE_TAGS, policy({ [`${P}policy`]: 'semver:>=2.0.0-0' }))
    expect(e.winner?.tag).toBe('2.0.0')
    expect(e.candidates.map((c) => c.tag)).toEqual(['2.0.0', '2.0.0-rc.1'])
  })

  it('a range without a prerelease never picks one, and says why', () => {
    const e = explainSelection(['2.0.0-rc.1', '1.0.0'], policy({ [`${P}policy`]: 'semver:>=1' }))
    expect(e.winner?.tag).toBe('1.0.0')
    expect(e.rejected[0]!.detail).toContain('a prerelease')
  })

  it('a filter with a Flux (?P<ts>…) group and numerical order picks main-abc-100 over main-def-99', () => {
    const e = explainSelection(
      ISSUE_TAGS,
      policy({
        [`${P}policy`]: 'numerical:asc',
        [`${P}filter`]: '^main-[a-f0-9]+-(?P<ts>\\d+)$',
        [`${P}extract`]: '$ts'
      })
    )
    expect(e.winner).toEqual({ tag: 'main-abc-100', value: '100' })
    expect(e.rejected.filter((r) => r.reason === 'filter')).toHaveLength(7)
  })

  it('equal versions go to the plain spelling (1.2.0 before v1.2.0), whatever the listing order', () => {
    const p = policy({ [`${P}policy`]: 'semver:*' })
    expect(selectTag(['v1.2.0', '1.2.0'], p)).toBe('1.2.0')
    expect(selectTag(['1.2.0', 'v1.2.0'], p)).toBe('1.2.0')
  })

  it('allow and ignore drop tags before ordering (Argo CD Image Updater allow-tags / ignore-tags)', () => {
    const e = explainSelection(
      ['1.0.0', '1.1.0', '1.2.0'],
      policy({
        [`${P}policy`]: 'semver:*',
        [`${P}allow`]: '/^1\\.[01]\\./',
        [`${P}ignore`]: '1.1.0'
      })
    )
    expect(e.winner?.tag).toBe('1.0.0')
    expect(e.rejected).toEqual([
      { tag: '1.1.0', reason: 'ignored', detail: 'ignored (listed)' },
      { tag: '1.2.0', reason: 'not-allowed', detail: 'not in the allow list' }
    ])
  })

  // Vectors from fluxcd/image-reflector-controller internal/policy/numerical_test.go (TestNumerical_Latest).
  it.each([
    ['asc', ['-62', '-88', '73', '72', '15', '16', '15', '29', '-33', '-91'], '73'],
    ['desc', ['5', '-8', '-78', '25', '70', '-4', '80', '92', '-20', '-24'], '-78'],
    ['asc', ['47.40896403322944', '-27.8520927455902', '53.47333823144817', '3.2008658570411086'], '53.47333823144817'],
    ['asc', ['1606234201', '1606364286', '1606334092', '1606334284', '1606334201'], '1606364286'],
    ['desc', ['1606234201', '1606364286', '1606334092', '1606334284', '1606334201'], '1606234201']
  ])('numerical:%s over Flux vectors', (order, tags, expected) => {
    expect(selectTag(tags, policy({ [`${P}policy`]: `numerical:${order}` }))).toBe(expected)
  })

  it('alphabetical asc picks the last in code-unit order (RFC 3339 build stamps), desc the first', () => {
    const tags = ['2024-05-01T10-00', '2024-05-02T09-00', '2023-12-31T23-59']
    expect(selectTag(tags, policy({ [`${P}policy`]: 'alphabetical:asc' }))).toBe('2024-05-02T09-00')
    expect(selectTag(tags, policy({ [`${P}policy`]: 'alphabetical:desc' }))).toBe('2023-12-31T23-59')
  })
})

const tagArb = fc.oneof(
  fc
    .tuple(fc.nat(3), fc.nat(12), fc.nat(12), fc.boolean(), fc.option(fc.constantFrom('rc.1', 'beta', '0')))
    .map(([a, b, c, v, pre]) => `${v ? 'v' : ''}${a}.${b}.${c}${pre ? `-${pre}` : ''}`),
  fc.tuple(fc.constantFrom('main', 'dev'), fc.nat(2000)).map(([b, n]) => `${b}-${n}`),
  fc.constantFrom('latest', 'stable', 'edge')
)
const tagsArb = fc.uniqueArray(tagArb, { maxLength: 40 })
const policyArb = fc.constantFrom<Record<string, string>>(
  { [`${P}policy`]: 'semver:^1' },
  { [`${P}policy`]: 'semver:>=0.0.0-0' },
  { [`${P}policy`]: 'semver:~2.3' },
  { [`${P}policy`]: 'numerical:asc', [`${P}filter`]: '^main-(?P<n>\\d+)$', [`${P}extract`]: '$n' },
  { [`${P}policy`]: 'numerical:desc', [`${P}filter`]: '^(?:main|dev)-(\\d+)$', [`${P}extract`]: '$1' },
  { [`${P}policy`]: 'alphabetical:asc', [`${P}ignore`]: '/^v/' }
)

describe('selection properties', () => {
  it('the winner does not depend on the order the registry lists tags in', () => {
    fc.assert(
      fc.property(tagsArb, policyArb, fc.func(fc.integer()), (tags, annotations, key) => {
        const p = policy(annotations)
        const shuffled = [...tags].sort((a, b) => key(a) - key(b) || (a < b ? -1 : 1))
        expect(selectTag(shuffled, p)).toBe(selectTag(tags, p))
      }),
      { numRuns: 500 }
    )
  })

  it('every listed tag is either a candidate or rejected with a reason, never both', () => {
    fc.assert(
      fc.property(tagsArb, policyArb, (tags, annotations) => {
        const e = explainSelection(tags, policy(annotations))
        const seen = [...e.candidates.map((c) => c.tag), ...e.rejected.map((r) => r.tag)]
        expect(seen.sort()).toEqual([...tags].sort())
        expect(e.winner).toEqual(e.candidates[0])
      }),
      { numRuns: 500 }
    )
  })

  it('a semver winner satisfies the range and no candidate has a higher version (node-semver as the oracle)', () => {
    fc.assert(
      fc.property(tagsArb, fc.constantFrom('^1', '>=0.0.0-0', '~2.3', '<3'), (tags, range) => {
        const winner = selectTag(tags, policy({ [`${P}policy`]: `semver:${range}` }))
        const eligible = tags.filter((t) => semver.valid(t) && semver.satisfies(t, range))
        if (!winner) return expect(eligible).toEqual([])
        expect(eligible).toContain(winner)
        for (const t of eligible) expect(semver.gt(t, winner)).toBe(false)
      }),
      { numRuns: 500 }
    )
  })
})

function gate(over: Partial<GateInput>, annotations: Record<string, string>): ReturnType<typeof decideGate> {
  return decideGate({
    policy: policy(annotations),
    currentFrom: 'r/web:1.4.2',
    candidateFrom: 'r/web:1.4.3',
    digest: 'sha256:new',
    topDigest: 'sha256:new',
    recorded: 'sha256:old',
    now: '2026-01-01T00:00:00Z',
    explicit: false,
    ...over
  })
}

describe('decideGate', () => {
  const semverPolicy = { [`${P}policy`]: 'semver:^1' }

  it('soaks a new candidate from first sight, then lets it land once min-age has passed', () => {
    const first = gate({}, { ...semverPolicy, [`${P}min-age`]: '2h' })
    expect(first).toEqual({
      kind: 'soaking',
      firstSeen: { from: 'r/web:1.4.3', digest: 'sha256:new', seen: '2026-01-01T00:00:00Z' },
      until: '2026-01-01T02:00:00Z'
    })
    const firstSeen = (first as { firstSeen: GateInput['firstSeen'] }).firstSeen
    const soak = { ...semverPolicy, [`${P}min-age`]: '2h' }
    expect(gate({ firstSeen, now: '2026-01-01T01:59:59Z' }, soak).kind).toBe('soaking')
    expect(gate({ firstSeen, now: '2026-01-01T02:00:00Z' }, soak)).toEqual({ kind: 'land' })
    // Another digest behind the same tag restarts the clock: what soaked is not what would land.
    const other = gate({ firstSeen, digest: 'sha256:other', now: '2026-01-01T03:00:00Z' }, { [`${P}min-age`]: '2h' })
    expect(other).toMatchObject({ kind: 'soaking', until: '2026-01-01T05:00:00Z' })
  })

  it('reports drift when the tag on record is re-pushed, and lets an explicit allow accept it', () => {
    const same = { candidateFrom: 'r/web:1.4.2' }
    expect(gate(same, semverPolicy)).toEqual({ kind: 'drift', oldDigest: 'sha256:old', newDigest: 'sha256:new' })
    expect(gate({ ...same, explicit: true }, semverPolicy)).toEqual({
      kind: 'land',
      acceptedDrift: { oldDigest: 'sha256:old' }
    })
    expect(gate(same, { ...semverPolicy, [`${P}accept-drift`]: 'sha256:new' }).kind).toBe('land')
    expect(gate(same, { ...semverPolicy, [`${P}accept-drift`]: 'sha256:else' }).kind).toBe('drift')
    expect(gate(same, { ...semverPolicy, [`${P}immutable`]: 'false' }).kind).toBe('land')
    expect(gate({ ...same, digest: 'sha256:old' }, semverPolicy)).toEqual({ kind: 'unchanged' })
  })

  it('waits for an index missing a required platform and refuses a single image for several platforms', () => {
    const req = { [`${P}require-platforms`]: 'linux/amd64,linux/arm64' }
    expect(gate({ platforms: ['linux/amd64'] }, req)).toEqual({ kind: 'incomplete', missing: ['linux/arm64'] })
    expect(gate({ platforms: ['linux/amd64', 'linux/arm64'] }, req)).toEqual({ kind: 'land' })
    expect(gate({ platforms: undefined }, req)).toMatchObject({ kind: 'refused', reason: 'PlatformsMissing' })
    expect(gate({ platforms: ['linux/arm/v7'] }, { [`${P}require-platforms`]: 'linux/arm' }).kind).toBe('land')
  })
})
