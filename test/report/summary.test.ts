import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { formatAge, renderJobSummary, renderTable } from '../../src/report/index.js'
import type { TagChange } from '../../src/report/types.js'
import { HOSTILE, digest, sample } from './fixtures.js'
import { checkTables } from './gfm.js'

const golden = (name: string) => readFileSync(fileURLToPath(new URL(`./golden/${name}`, import.meta.url)), 'utf8')

describe('renderJobSummary', () => {
  it('matches the golden summary', () => {
    const out = renderJobSummary({
      ...sample,
      delivery: { operation: 'created', url: 'https://github.com/acme/deploy/pull/7', label: '#7' }
    })
    expect(out).toBe(golden('job-summary.md'))
    expect(checkTables(out)).toEqual({ tables: 3, rows: 4, problems: [] })
  })

  it('says "Nothing to do" with the caller\'s reason when idle', () => {
    expect(renderJobSummary({ changes: [], failures: [], held: [], idleReason: 'every tag is current' })).toBe(
      '## imagestream\n\nNothing to do: every tag is current.\n\n'
    )
    expect(renderJobSummary({ changes: [], failures: [], held: [], idleReason: 'no tag is due.' })).toContain(
      'Nothing to do: no tag is due.\n'
    )
    expect(renderJobSummary({ changes: [], failures: [], held: [] })).toContain('Nothing to do: no tag changed.\n')
  })

  it('does not say "Nothing to do" when imports failed', () => {
    const out = renderJobSummary({ changes: [], failures: sample.failures, held: [] })
    expect(out).toContain('No tag was updated: every import failed.')
    expect(out).toContain('| `worker:2.0` | NotFound | manifest unknown: manifest unknown |')
  })

  it('escapes hostile failure messages and links only https URLs', () => {
    const out = renderJobSummary({
      changes: [{ stream: 'a', tag: 'b', newDigest: digest('1') }],
      failures: HOSTILE.map((message, i) => ({ stream: 's', tag: `t${i}`, reason: 'Invalid<x>', message })),
      held: [],
      delivery: { operation: 'committed', url: 'javascript:alert(1)', label: 'abc1234' }
    })
    expect(checkTables(out).problems).toEqual([])
    expect(out).toContain('Updated 1 tag. Committed abc1234.')
    expect(out).not.toContain('javascript')
    expect(out).not.toMatch(/<(?!\/?details>)/)
    expect(out).not.toMatch(/(^|[^`\w])@[a-z]/m)
  })

  it('stays within its limit for huge runs, tables intact', () => {
    const changes: TagChange[] = Array.from({ length: 20_000 }, (_, i) => ({
      stream: `s${i}`,
      tag: 'latest',
      newDigest: digest('a')
    }))
    const out = renderJobSummary({ changes, failures: [], held: [] }, { limit: 100_000 })
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(100_000)
    expect(out).toContain('This summary was shortened')
    expect(checkTables(out.slice(0, out.indexOf('\n> [!NOTE]'))).problems).toEqual([])
  })

  it('measures its limit in UTF-8 bytes', () => {
    const changes: TagChange[] = Array.from({ length: 2_000 }, (_, i) => ({
      stream: `ストリーム${i}`,
      tag: 'latest',
      newDigest: digest('a')
    }))
    const out = renderJobSummary({ changes, failures: [], held: [] }, { limit: 20_000 })
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(20_000)
  })
})

describe('renderTable', () => {
  it('aligns columns like oc get, with no trailing spaces', () => {
    expect(
      renderTable(
        ['NAME', 'IMAGE REPOSITORY', 'TAGS', 'UPDATED'],
        [
          ['web', 'quay.io/acme/web', 'latest,1.2', '5m'],
          ['database-primary', 'docker.io/library/postgres', '16', ''],
          ['x', '', '', '2y']
        ]
      )
    ).toBe(
      [
        'NAME               IMAGE REPOSITORY             TAGS         UPDATED',
        'web                quay.io/acme/web             latest,1.2   5m',
        'database-primary   docker.io/library/postgres   16',
        'x                                                            2y',
        ''
      ].join('\n')
    )
  })

  it('never lets a cell add a line or a terminal escape', () => {
    const out = renderTable(['A', 'B'], [['evil\nFAKE ROW', '\u001b[2Jx']])
    expect(out.split('\n')).toHaveLength(3)
    expect(out).not.toContain('\u001b')
  })

  it('pads short rows and counts code points, not UTF-16 units', () => {
    expect(renderTable(['A', 'B'], [['😀'], ['ab', 'c']])).toBe('A    B\n😀\nab   c\n')
  })
})

describe('formatAge (ShortHumanDuration)', () => {
  const now = new Date('2024-05-02T12:00:00Z')
  const ago = (ms: number) => new Date(now.getTime() - ms)
  const S = 1000
  const M = 60 * S
  const H = 60 * M
  const D = 24 * H
  it.each([
    [0, '0s'],
    [59 * S, '59s'],
    [60 * S, '1m'],
    [5 * M + 59 * S, '5m'],
    [59 * M, '59m'],
    [3 * H, '3h'],
    [23 * H + 59 * M, '23h'],
    [24 * H, '1d'],
    [12 * D, '12d'],
    [364 * D, '364d'],
    [365 * D, '1y'],
    [2 * 365 * D + 10 * D, '2y'],
    [-1 * S, '0s'],
    [-1999, '0s'],
    [-2 * S, '<invalid>']
  ])('%i ms ago → %s', (ms, expected) => {
    expect(formatAge(ago(ms), now)).toBe(expected)
  })

  it('accepts RFC 3339 strings and reports unparseable ones', () => {
    expect(formatAge('2024-05-02T09:15:03Z', '2024-05-02T12:00:00Z')).toBe('2h')
    expect(formatAge('not a time', now)).toBe('<unknown>')
  })
})
