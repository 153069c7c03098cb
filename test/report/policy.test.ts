/**
 * Policy decisions in the job summary and the PR body (docs/policies.md): one row per decision with what a reviewer
 * needs (the move, the soak deadline, the drift digests, the missing platforms), valid GFM tables, hostile text
 * escaped.
 */
import { describe, expect, it } from '@jest/globals'
import { policyLine, renderJobSummary, renderPullRequestBody } from '../../src/report/index.js'
import type { PolicyDecision } from '../../src/report/types.js'
import { HOSTILE, digest } from './fixtures.js'
import { checkTables } from './gfm.js'

const decisions: PolicyDecision[] = [
  { stream: 'web', tag: 'stable', kind: 'moved', from: '1.4.2', to: '1.4.3', digest: digest('3') },
  {
    stream: 'web',
    tag: 'edge',
    kind: 'soaking',
    from: '2.0.0',
    to: '2.1.0',
    digest: digest('4'),
    firstSeen: '2026-03-01T01:00:00Z',
    until: '2026-03-01T03:00:00Z'
  },
  {
    stream: 'api',
    namespace: 'shop',
    tag: 'stable',
    kind: 'drift',
    from: '1.0.0',
    to: '1.0.0',
    digest: digest('b'),
    oldDigest: digest('a'),
    created: '2026-02-28T12:00:00Z'
  },
  {
    stream: 'multi',
    tag: 'stable',
    kind: 'incomplete',
    from: '1.0.0',
    to: '1.0.0',
    digest: digest('c'),
    missing: ['linux/arm64']
  }
]

describe('policy decisions in reports', () => {
  it('one line each, as the CLI prints them', () => {
    expect(decisions.map(policyLine)).toEqual([
      `web:stable 1.4.2 → 1.4.3 (${digest('3')})`,
      `web:edge waiting for 2.1.0 (${digest('4')}) to soak: ` +
        'first seen 2026-03-01T01:00:00Z, may land after 2026-03-01T03:00:00Z',
      `shop/api:stable drift: 1.0.0 was re-pushed, ${digest('a')} → ${digest('b')} ` +
        '(created 2026-02-28T12:00:00Z); not moved',
      `multi:stable 1.0.0 (${digest('c')}) not pinned yet: the index lacks linux/arm64`
    ])
  })

  it('the job summary has a "Tag policies" table even when no tag moved', () => {
    const out = renderJobSummary({ changes: [], failures: [], held: [], policy: decisions.slice(1) })
    expect(out).toContain('### Tag policies (3)\n\n')
    expect(out).toContain(
      '| `web:edge` | waiting for soak | `2.1.0` (`sha256:444444444444`) first seen 2026-03-01T01:00:00Z, ' +
        'may land after 2026-03-01T03:00:00Z |'
    )
    expect(out).toContain(
      '| `shop/api:stable` | drift | `1.0.0` re-pushed: `sha256:aaaaaaaaaaaa` → `sha256:bbbbbbbbbbbb`'
    )
    expect(out).toContain(
      '| `multi:stable` | incomplete platforms | `1.0.0` (`sha256:cccccccccccc`) lacks `linux/arm64` |'
    )
    expect(checkTables(out).problems).toEqual([])
  })

  it('the PR body shows the move "web:stable 1.4.2 → 1.4.3 (sha256:…)" next to the changes', () => {
    const out = renderPullRequestBody({
      changes: [{ stream: 'web', tag: 'stable', oldDigest: digest('2'), newDigest: digest('3') }],
      failures: [],
      held: [],
      policy: decisions.slice(0, 1)
    })
    expect(out).toContain('| `web:stable` | moved | `1.4.2` → `1.4.3` (`sha256:333333333333`) |')
    expect(checkTables(out).problems).toEqual([])
  })

  it('escapes what came from a registry or a file', () => {
    const hostile = HOSTILE.map((message, i): PolicyDecision => ({
      stream: 's',
      tag: `t${i}`,
      kind: 'refused',
      from: 'x',
      to: 'y',
      digest: digest('d'),
      message
    }))
    const out = renderJobSummary({ changes: [], failures: [], held: [], policy: hostile })
    expect(checkTables(out).problems).toEqual([])
    expect(out).not.toContain('<script')
  })
})
