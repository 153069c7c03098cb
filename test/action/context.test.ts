/** The run's context from the runner's environment variables (readContext), checked strictly. */
import { describe, expect, it } from '@jest/globals'
import { readContext } from '../../src/action/context.js'

const base = { GITHUB_WORKSPACE: '/w', GITHUB_REPOSITORY: 'acme/gitops', GITHUB_EVENT_NAME: 'push' }

describe('readContext: the branch the run is on', () => {
  it('is GITHUB_REF_NAME when the ref is a branch', () => {
    const env = { ...base, GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main', GITHUB_REF_TYPE: 'branch' }
    expect(readContext(env).refBranch).toBe('main')
  })

  it('comes from GITHUB_REF (refs/heads/…) when GITHUB_REF_NAME and GITHUB_REF_TYPE are absent', () => {
    expect(readContext({ ...base, GITHUB_REF: 'refs/heads/release/1.x' }).refBranch).toBe('release/1.x')
  })

  it('is none on a tag or a pull request merge ref, with or without GITHUB_REF_NAME', () => {
    expect(readContext({ ...base, GITHUB_REF: 'refs/tags/v1.2.3' }).refBranch).toBeUndefined()
    expect(readContext({ ...base, GITHUB_REF: 'refs/pull/7/merge' }).refBranch).toBeUndefined()
    const tag = { ...base, GITHUB_REF: 'refs/tags/v1', GITHUB_REF_NAME: 'v1', GITHUB_REF_TYPE: 'tag' }
    expect(readContext(tag).refBranch).toBeUndefined()
  })

  it('refuses a branch name git would refuse (refs/heads/a..b)', () => {
    expect(readContext({ ...base, GITHUB_REF: 'refs/heads/a..b' }).refBranch).toBeUndefined()
  })
})
