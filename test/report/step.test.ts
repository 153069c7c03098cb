import { describe, expect, it } from '@jest/globals'
import {
  ANNOTATIONS_PER_KIND,
  annotationsOf,
  deliveryLink,
  dispatchSection,
  stepVerdict,
  type StepInput
} from '../../src/report/step.js'
import type { TagChange } from '../../src/report/types.js'
import type { Diagnostic } from '../../src/util/errors.js'

const DIGEST = `sha256:${'a'.repeat(64)}`

function step(over: Partial<StepInput> = {}): StepInput {
  return {
    diagnostics: [],
    failures: [],
    changes: [],
    isStreamFile: (file) => file.startsWith('imagestreams/'),
    fileOf: (x) => `imagestreams/${x.stream}.yaml`,
    ...over
  }
}

const streamError: Diagnostic = { severity: 'error', message: 'not a map', file: 'imagestreams/web.yaml', line: 3 }
const manifestError: Diagnostic = { severity: 'error', message: 'no such container', file: 'deploy/web.yaml' }
const failure = { stream: 'web', tag: '1.4', reason: 'NotFound', message: 'manifest unknown' }
const change: TagChange = { stream: 'web', tag: '1.5', newDigest: DIGEST }

describe('the action step verdict (report/step.ts)', () => {
  it('fails when something failed and no tag moved; warns when other tags were delivered', () => {
    expect(stepVerdict(step({ failures: [failure], diagnostics: [streamError] }), []).failed).toBe(
      '1 import(s) failed and 1 stream file problem(s), and nothing could be updated (see the annotations and the job summary)'
    )
    const mixed = stepVerdict(step({ failures: [failure], changes: [change] }), [])
    expect(mixed).toEqual({
      warning: '1 problem(s) (see the failed output and the summary); the other updates were delivered'
    })
  })

  it('a manifest binding error alone does not fail the step; a failed delivery always does', () => {
    expect(stepVerdict(step({ diagnostics: [manifestError] }), [])).toEqual({})
    expect(stepVerdict(step({ changes: [change] }), ['web: 422 conflict']).failed).toBe(
      'delivery failed for 1 group(s): web: 422 conflict'
    )
  })
})

describe('annotations (GitHub shows at most 10 of each kind per step)', () => {
  it('titles each by where it is, keeps file:line, and sends the eleventh of a kind to the log', () => {
    const many = Array.from({ length: ANNOTATIONS_PER_KIND + 1 }, (_, i) => ({ ...streamError, line: i + 1 }))
    const { annotations, overflow } = annotationsOf(
      step({ diagnostics: [manifestError, ...many], failures: [failure] })
    )
    expect(annotations[0]).toEqual({
      level: 'error',
      text: 'no such container',
      title: 'Manifest binding',
      file: 'deploy/web.yaml'
    })
    expect(annotations[1]).toMatchObject({ title: 'Stream file', file: 'imagestreams/web.yaml', startLine: 1 })
    expect(overflow.map((d) => d.line)).toEqual([10, 11])
    expect(annotations.at(-1)).toEqual({
      level: 'error',
      text: 'web:1.4 was not imported (NotFound): manifest unknown',
      title: 'Import failed',
      file: 'imagestreams/web.yaml'
    })
  })
})

describe('the summary links and sections', () => {
  it('links the commit by its short sha, the pull request by number, and nothing for a closed one', () => {
    const sha = 'b'.repeat(40)
    expect(deliveryLink({ operation: 'committed', commitSha: sha }, 'https://github.com/o/r')).toEqual({
      operation: 'committed',
      url: `https://github.com/o/r/commit/${sha}`,
      label: 'b'.repeat(12)
    })
    const pr = { number: 7, url: 'https://github.com/o/r/pull/7' }
    expect(deliveryLink({ operation: 'created', pullRequest: pr }, '')).toEqual({
      operation: 'created',
      url: pr.url,
      label: '#7'
    })
    expect(deliveryLink({ operation: 'closed', pullRequest: pr }, '')).toBeUndefined()
    expect(deliveryLink(undefined, '')).toBeUndefined()
  })

  it('the dispatch section explains why a pull request needs them', () => {
    expect(dispatchSection([], true)).toBe('')
    const text = dispatchSection(['workflow build.yml on main'], true)
    expect(text).toContain('- workflow build.yml on main')
    expect(text).toContain('starts no workflow run')
    expect(dispatchSection(['workflow build.yml on main'], false)).not.toContain('starts no workflow run')
  })
})
