import { describe, expect, it } from '@jest/globals'
import { declinedBy, supersededBy, type ClosedPull } from '../../src/delivery/declined.js'
import {
  headMarker,
  proposalItem,
  proposalMarker,
  readHead,
  readProposal,
  rebaseRequested,
  REBASE_CHECKBOX,
  RUN_MARKER,
  sameBody
} from '../../src/delivery/markers.js'

const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`

describe('the records a pull request body keeps', () => {
  it('round-trips the proposal (sorted, namespaced) and the head commit', () => {
    const items = [
      proposalItem({ stream: 'web', tag: 'stable', newDigest: B }),
      proposalItem({ stream: 'web', namespace: 'shop', tag: 'latest', newDigest: A })
    ]
    expect(items).toEqual([`web:stable@${B}`, `shop/web:latest@${A}`])
    const body = `text\n${proposalMarker(items)}\n${headMarker('0123456789abcdef0123456789abcdef01234567')}\n`
    expect(readProposal(body)).toEqual([`shop/web:latest@${A}`, `web:stable@${B}`])
    expect(readHead(body)).toBe('0123456789abcdef0123456789abcdef01234567')
    expect(readProposal('a body someone wrote')).toEqual([])
    expect(readHead(null)).toBeUndefined()
  })

  it('sees the rebuild box ticked only when it is ticked', () => {
    expect(rebaseRequested(REBASE_CHECKBOX)).toBe(false)
    expect(rebaseRequested(REBASE_CHECKBOX.replace('[ ]', '[x]'))).toBe(true)
    expect(rebaseRequested(REBASE_CHECKBOX.replace('[ ]', '[X]'))).toBe(true)
  })

  it('ignores the run line when comparing bodies, and nothing else', () => {
    expect(sameBody(`a\nrun 1 ${RUN_MARKER}\nb`, `a\nrun 2 ${RUN_MARKER}\nb`)).toBe(true)
    expect(sameBody(`a\nrun 1 ${RUN_MARKER}\nb`, `a\nrun 1 ${RUN_MARKER}\nc`)).toBe(false)
  })
})

describe('declines', () => {
  const closed = (number: number, merged: boolean, items: string[]): ClosedPull => ({
    number,
    url: `https://github.com/acme/gitops/pull/${number}`,
    branch: 'imagestream/web',
    merged,
    items: new Set(items)
  })

  it('a group is declined only when every item it proposes was in a PR closed without merging', () => {
    const list = [closed(3, false, [`web:latest@${A}`]), closed(4, true, [`web:stable@${B}`])]
    expect(declinedBy(list, [`web:latest@${A}`]).map((p) => p.number)).toEqual([3])
    // A merged PR declines nothing; a partly declined set is proposed (and links the declined PR).
    expect(declinedBy(list, [`web:stable@${B}`])).toEqual([])
    expect(declinedBy(list, [`web:latest@${A}`, `web:stable@${B}`])).toEqual([])
    expect(supersededBy(list, ['web:latest', 'web:stable']).map((p) => p.number)).toEqual([3])
    expect(declinedBy(list, [])).toEqual([])
  })
})
