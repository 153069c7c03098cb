import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { additionalTagsMessage, prioritizeTags, selectRepositoryTags } from '../../../src/stream/rules/priority.js'
import { pruneTagHistory } from '../../../src/stream/rules/retention.js'
import { HOLDS_ANNOTATION } from '../../../src/stream/types.js'
import type { TagEvent } from '../../../src/stream/types.js'
import { DIGEST_A, frozen, web } from './fixtures.js'

describe('PrioritizeTags ([lg] pkg/image/imageutil/helpers.go)', () => {
  it('latest, then minor versions descending, then full semver descending, then the rest lexically', () => {
    const tags = [
      'other',
      'v5.1',
      '5.1.3',
      '5.0',
      '5.1-rc1',
      'latest',
      '5.1',
      'v5.1.3-other',
      '10.0',
      'abc',
      '5.2.0',
      '01.2.3'
    ]
    expect(prioritizeTags(tags)).toEqual([
      'latest',
      '10.0',
      '5.1', // 5.1.0: no prefix sorts before the `v` form
      'v5.1',
      '5.1-rc1', // 5.1.0-rc1 is older than 5.1.0
      '5.0',
      '5.2.0',
      '5.1.3',
      'v5.1.3-other',
      '01.2.3', // a leading zero is not semver (blang/semver is strict)
      'abc',
      'other'
    ])
  })

  it('is a permutation of its input and does not touch it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom('latest', '1.0', 'v1.0', '1.0.1', '2.0-rc1'), fc.string())),
        (tags) => {
          const input = Object.freeze([...tags])
          const out = prioritizeTags(input)
          expect([...out].sort()).toEqual([...input].sort())
          expect(prioritizeTags(out)).toEqual(out) // sorting is stable under re-sorting
        }
      )
    )
  })
})

describe('repository import selection ([oas] importer/importer.go importRepositoryFromDocker, maxImagesBulkImportedPerRepository)', () => {
  it('maps an empty tag to latest, keeps the first N in priority order, reports the rest as additional tags', () => {
    const all = ['', 'a', 'b', ...Array.from({ length: 60 }, (_, i) => `1.${i}`)]
    const { imported, additional } = selectRepositoryTags(all)
    expect(imported).toHaveLength(50)
    expect(imported.slice(0, 3)).toEqual(['latest', '1.59', '1.58'])
    expect(additional).toEqual(['1.10', '1.9', '1.8', '1.7', '1.6', '1.5', '1.4', '1.3', '1.2', '1.1', '1.0', 'a', 'b'])
    expect(additionalTagsMessage(additional)).toBe(
      'The remote repository contained 13 additional tags which were not imported: 1.10, 1.9, 1.8, 1.7, 1.6, 1.5, 1.4, 1.3, 1.2, 1.1, 1.0, a, b'
    )
  })

  it('-1 means no limit', () => {
    expect(selectRepositoryTags(['b', 'a'], -1)).toEqual({ imported: ['a', 'b'], additional: [] })
    expect(() => selectRepositoryTags(['a'], -2)).toThrow(
      'maxImagesBulkImportedPerRepository must be an integer >= -1 (got -2)'
    )
  })
})

describe('history retention ([oc] pkg/cli/admin/prune/imageprune/prune.go pruneImageStreamTag)', () => {
  function longHistory() {
    const stream = web()
    const items: TagEvent[] = Array.from({ length: 5 }, (_, i) => {
      const digest = `sha256:${String(i).repeat(64)}`
      return {
        created: `2024-05-0${5 - i}T00:00:00Z`,
        dockerImageReference: `quay.io/acme/web@${digest}`,
        image: digest,
        generation: 10 - i
      }
    })
    stream.status!.tags![0].items = items
    return stream
  }

  it('keeps N items per tag, reports what it dropped', () => {
    const stream = frozen(longHistory())
    const { stream: out, removed } = pruneTagHistory(stream, { keep: 2 })
    expect(out.status!.tags![0].items!.map((i) => i.generation)).toEqual([10, 9])
    expect(removed.map((r) => [r.tag, r.event.generation])).toEqual([
      ['1.4', 8],
      ['1.4', 7],
      ['1.4', 6]
    ])
    expect(out.status!.tags![1].items).toHaveLength(2) // prod had 2 already
  })

  it('never drops items[0], keeps digests in use and the held digest', () => {
    const stream = longHistory()
    const digest3 = `sha256:${'3'.repeat(64)}`
    stream.metadata.annotations![HOLDS_ANNOTATION] = JSON.stringify({
      '1.4': { digest: `sha256:${'4'.repeat(64)}`, since: 'x' }
    })
    const out = pruneTagHistory(frozen(stream), { keep: 1, inUse: new Set([digest3, DIGEST_A]) }).stream
    expect(out.status!.tags![0].items!.map((i) => i.generation)).toEqual([10, 7, 6])
    expect(out.status!.tags![1].items!.map((i) => i.image)).toEqual([out.status!.tags![1].items![0].image, DIGEST_A])
  })

  it('default keeps 10; nothing to drop → the same object', () => {
    const stream = frozen(longHistory())
    expect(pruneTagHistory(stream)).toEqual({ stream, changed: false, removed: [] })
    expect(() => pruneTagHistory(stream, { keep: 0 })).toThrow(
      'keep-tag-revisions must be a whole number >= 1, or -1 to keep all (got 0)'
    )
  })
})
