import { describe, expect, it } from '@jest/globals'
import { actionOutputs, runSummaryOf } from '../../src/report/outputs.js'
import type { PullRequestReport, TagChange } from '../../src/report/types.js'

const D1 = `sha256:${'1'.repeat(64)}`
const D2 = `sha256:${'2'.repeat(64)}`
const changes: TagChange[] = [
  { stream: 'web', tag: 'latest', newDigest: D1 },
  { stream: 'api', tag: 'latest', newDigest: D2, oldDigest: D1 }
]
const pr = (over: Partial<PullRequestReport>): PullRequestReport => ({
  branch: 'imagestream/web',
  state: 'opened',
  tags: ['web:latest'],
  ...over
})
const base = { mode: 'pull-request' as const, changes, failures: [], fileOf: () => 'imagestreams/x.yaml' }

describe('actionOutputs', () => {
  it('lists as updates only the tags of pull requests this run wrote, and every PR it found', () => {
    const outcome = {
      operation: 'created',
      wrote: true,
      pullRequests: [
        pr({ number: 7, url: 'https://github.com/a/b/pull/7' }),
        pr({ number: 5, branch: 'imagestream/api', state: 'unchanged', tags: ['api:latest'] })
      ],
      pullRequest: { number: 7, url: 'https://github.com/a/b/pull/7' }
    }
    const out = actionOutputs({ ...base, outcome })
    expect(out.changed).toBe('true')
    expect(JSON.parse(out.updates!).map((u: { stream: string }) => u.stream)).toEqual(['web'])
    expect(JSON.parse(out['pull-requests']!)).toEqual([
      {
        number: 7,
        url: 'https://github.com/a/b/pull/7',
        branch: 'imagestream/web',
        operation: 'opened',
        tags: ['web:latest']
      },
      { number: 5, url: '', branch: 'imagestream/api', operation: 'unchanged', tags: ['api:latest'] }
    ])
    expect([out['pull-request-number'], out['pull-request-branch']]).toEqual(['7', 'imagestream/web'])
  })

  it('says nothing changed, and why, when every change is already proposed', () => {
    const outcome = { operation: 'none', wrote: false, pullRequests: [pr({ number: 7, state: 'unchanged' })] }
    expect(actionOutputs({ ...base, outcome })).toMatchObject({ changed: 'false', updates: '[]', operation: 'none' })
    const summary = runSummaryOf({ ...base, outcome }, [], undefined)
    expect(summary.changes).toEqual([])
    expect(summary.idleReason).toBe('the open pull requests already propose every change')
  })

  it('without delivery (a workspace run that wrote files) every change is an update', () => {
    const out = actionOutputs({ ...base, mode: 'none', outcome: { operation: 'none', wrote: true, pullRequests: [] } })
    expect(JSON.parse(out.updates!)).toHaveLength(2)
    expect(out.changed).toBe('true')
  })
})
