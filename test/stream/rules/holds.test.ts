import { describe, expect, it } from '@jest/globals'
import { listHolds, resume, rollback } from '../../../src/stream/rules/holds.js'
import { applyImportResult } from '../../../src/stream/rules/import.js'
import { importPending } from '../../../src/stream/rules/pending.js'
import { HOLDS_ANNOTATION, UPSTREAM_ANNOTATION } from '../../../src/stream/types.js'
import { DIGEST_A, DIGEST_B, DIGEST_C, frozen, LATER, NOW, web } from './fixtures.js'

describe('rollback (ours; push semantics of [oas] registry/imagestreammapping/rest.go)', () => {
  it('toGeneration 3: digest A becomes items[0] (created now, generation = stream generation), held; alias follows', () => {
    const stream = frozen(web())
    const out = rollback(stream, '1.4', { toGeneration: 3 }, NOW)
    const rolled = {
      created: NOW,
      dockerImageReference: `quay.io/acme/web@${DIGEST_A}`,
      image: DIGEST_A,
      generation: 7
    }
    expect(out.status!.tags![0].items).toEqual([rolled, ...stream.status!.tags![0].items!])
    expect(out.status!.tags![1].items![0]).toEqual(rolled)
    expect(JSON.parse(out.metadata.annotations![HOLDS_ANNOTATION])).toEqual({ '1.4': { digest: DIGEST_A, since: NOW } })
    expect(out.metadata.generation).toBe(7) // a push does not change the spec
  })

  it('toDigest accepts a unique digest prefix; unknown history is an error listing what exists', () => {
    expect(listHolds(rollback(web(), '1.4', { toDigest: 'sha256:aaaa' }, NOW))).toEqual([
      { tag: '1.4', digest: DIGEST_A, since: NOW }
    ])
    expect(() => rollback(web(), '1.4', { toGeneration: 5 }, NOW)).toThrow(
      `web:1.4: tag "1.4" has no history item of generation 5 (history: generation 7 ${DIGEST_B}; generation 3 ${DIGEST_A})`
    )
  })

  it('while held, imports leave the tag on A and record upstream; resume lifts the hold and makes the import pending', () => {
    const rolledBack = rollback(web(), '1.4', { toGeneration: 3 }, NOW)
    const imported = applyImportResult(
      frozen(rolledBack),
      '1.4',
      { ok: true, digest: DIGEST_C, repository: 'quay.io/acme/web' },
      LATER
    )
    expect(imported.event).toBe('held')
    expect(imported.stream.status!.tags![0].items![0].image).toBe(DIGEST_A)
    expect(listHolds(imported.stream)).toEqual([{ tag: '1.4', digest: DIGEST_A, since: NOW, upstream: DIGEST_C }])

    const resumed = resume(frozen(imported.stream), '1.4')
    expect(resumed.metadata.annotations![HOLDS_ANNOTATION]).toBeUndefined()
    expect(resumed.metadata.annotations![UPSTREAM_ANNOTATION]).toBeUndefined()
    expect(importPending(resumed, '1.4')).toBe(true)

    const moved = applyImportResult(
      frozen(resumed),
      '1.4',
      { ok: true, digest: DIGEST_C, repository: 'quay.io/acme/web' },
      LATER
    )
    expect(moved.event).toBe('updated')
    expect(moved.stream.status!.tags![0].items![0].image).toBe(DIGEST_C)
  })

  it('a held alias stops following its source; resume snaps it back', () => {
    const heldAlias = rollback(web(), 'prod', { toGeneration: 3 }, NOW)
    const imported = applyImportResult(
      frozen(heldAlias),
      '1.4',
      { ok: true, digest: DIGEST_C, repository: 'quay.io/acme/web' },
      LATER
    ).stream
    expect(imported.status!.tags![1].items![0].image).toBe(DIGEST_A)
    expect(JSON.parse(imported.metadata.annotations![UPSTREAM_ANNOTATION])).toEqual({ prod: DIGEST_C })
    const resumed = resume(frozen(imported), 'prod')
    expect(resumed.status!.tags![1].items![0].image).toBe(DIGEST_C)
  })

  it('resume of a tag that is not held is an error', () => {
    expect(() => resume(web(), '1.4')).toThrow('web:1.4: tag "1.4" is not held')
  })
})
