import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { FakeGitHub } from '../support/github-fake.js'
import { createGitHubClient, type GitHubClient } from '../../src/delivery/github-client.js'
import { deliverPullRequest } from '../../src/delivery/pull-request.js'
import type { DeliveryRequest } from '../../src/delivery/types.js'

const TOKEN = 'ghs_pr_test_token_0123456789'
const repo = { owner: 'acme', repo: 'gitops' }
const OLD = 'image: ghcr.io/acme/web@sha256:' + '1'.repeat(64) + '\n'
const NEW = 'image: ghcr.io/acme/web@sha256:' + '2'.repeat(64) + '\n'
const NEWER = 'image: ghcr.io/acme/web@sha256:' + '3'.repeat(64) + '\n'

let fake: FakeGitHub
let gh: GitHubClient

beforeAll(async () => {
  fake = await FakeGitHub.start({ token: TOKEN })
  gh = createGitHubClient({ token: TOKEN, baseUrl: fake.url, throttle: false, retries: 0 })
})
afterAll(() => fake.close())
beforeEach(() => {
  fake.reset()
  fake.createRepo(repo.owner, repo.repo, {
    'apps/web/deployment.yaml': OLD,
    'apps/api/deployment.yaml': 'image: api\n',
    'README.md': '# gitops\n'
  })
  fake.clearLog()
})
afterEach(() => expect(fake.violations).toEqual([]))

function request(over: Partial<DeliveryRequest> = {}): DeliveryRequest {
  return {
    files: [{ path: 'apps/web/deployment.yaml', content: NEW }],
    group: 'web',
    title: 'Update web to sha256:2222',
    body: 'Bumps **web**.',
    commitMessage: 'chore(imagestream): update web',
    labels: ['dependencies', 'imagestream'],
    reviewers: ['alice', 'acme/platform'],
    assignees: ['bob'],
    draft: true,
    autoMerge: 'squash',
    baseBranch: 'main',
    branch: 'imagestream/web',
    ...over
  }
}

describe('deliverPullRequest', () => {
  it('creates a branch with one signed commit on the base head and a PR with labels, reviewers, assignees, draft, auto-merge', async () => {
    const baseSha = fake.branchSha('acme', 'gitops', 'main')!
    const result = await deliverPullRequest(gh, repo, request())

    expect(result).toMatchObject({
      operation: 'created',
      group: 'web',
      number: 1,
      branch: 'imagestream/web',
      verified: true,
      warnings: []
    })
    expect(result.url).toBe(`${fake.url}/acme/gitops/pull/1`)
    const head = fake.branchSha('acme', 'gitops', 'imagestream/web')!
    expect(result.sha).toBe(head)
    const commit = fake.commit('acme', 'gitops', head)!
    expect(commit.parents).toEqual([baseSha])
    expect(commit.signed).toBe(true)
    expect(commit.message).toBe('chore(imagestream): update web')
    expect(fake.fileAt('acme', 'gitops', 'imagestream/web', 'apps/web/deployment.yaml')).toBe(NEW)
    expect(fake.fileAt('acme', 'gitops', 'imagestream/web', 'apps/api/deployment.yaml')).toBe('image: api\n')
    expect(fake.fileAt('acme', 'gitops', 'main', 'apps/web/deployment.yaml')).toBe(OLD)

    const [pr] = fake.pulls('acme', 'gitops')
    expect(pr).toMatchObject({
      number: 1,
      state: 'open',
      draft: true,
      title: 'Update web to sha256:2222',
      body: `Bumps **web**.\n<!-- imagestream-action:head ${head} -->\n`,
      head: 'imagestream/web',
      base: 'main',
      labels: ['dependencies', 'imagestream'],
      requestedReviewers: ['alice'],
      requestedTeams: ['platform'],
      assignees: ['bob'],
      autoMerge: { mergeMethod: 'SQUASH' }
    })
    // The commit carries no author/committer so GitHub signs it.
    const createCommit = fake.requests.find((r) => r.operation === 'POST /repos/{owner}/{repo}/git/commits')!
    expect(Object.keys(createCommit.body as object).sort()).toEqual(['message', 'parents', 'tree'])
  })

  it('makes no write at all when the same request runs again', async () => {
    const first = await deliverPullRequest(gh, repo, request())
    fake.clearLog()
    const second = await deliverPullRequest(gh, repo, request())

    expect(fake.writes()).toEqual([])
    expect(second).toMatchObject({ operation: 'none', number: first.number, sha: first.sha })
  })

  it('updates the same PR in place and moves the branch when the wanted content changes', async () => {
    const first = await deliverPullRequest(gh, repo, request())
    fake.clearLog()
    const second = await deliverPullRequest(
      gh,
      repo,
      request({
        files: [{ path: 'apps/web/deployment.yaml', content: NEWER }],
        title: 'Update web to sha256:3333',
        body: 'Bumps **web** again.'
      })
    )

    expect(second).toMatchObject({ operation: 'updated', number: first.number })
    expect(second.sha).not.toBe(first.sha)
    expect(fake.branchSha('acme', 'gitops', 'imagestream/web')).toBe(second.sha)
    expect(fake.fileAt('acme', 'gitops', 'imagestream/web', 'apps/web/deployment.yaml')).toBe(NEWER)
    const pulls = fake.pulls('acme', 'gitops')
    expect(pulls).toHaveLength(1)
    expect(pulls[0]).toMatchObject({ number: first.number, state: 'open', title: 'Update web to sha256:3333' })
    // The body records the branch commit the action made (hands-off: anything else was pushed by someone else).
    expect(pulls[0]!.body).toBe(
      `Bumps **web** again.\n<!-- imagestream-action:head ${fake.branchSha('acme', 'gitops', 'imagestream/web')} -->\n`
    )
    // Labels, reviewers, assignees and auto-merge were already there: not asked for again.
    const ops = fake.writes().map((r) => r.operation)
    expect(ops).not.toContain('POST /repos/{owner}/{repo}/issues/{issue_number}/labels')
    expect(ops).not.toContain('POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers')
    expect(ops).not.toContain('graphql mutation enablePullRequestAutoMerge')
    // The new commit sits directly on the base head, not on the old branch commit.
    expect(fake.commit('acme', 'gitops', second.sha!)!.parents).toEqual([fake.branchSha('acme', 'gitops', 'main')])
  })

  it("leaves an open PR's branch alone when the base moved without touching its files (rebase-when conflicted)", async () => {
    const first = await deliverPullRequest(gh, repo, request())
    fake.push('acme', 'gitops', 'main', { 'README.md': '# gitops, edited\n' })
    fake.clearLog()
    const second = await deliverPullRequest(gh, repo, request())

    expect(second).toMatchObject({ operation: 'none', number: first.number, sha: first.sha })
    expect(fake.writes()).toEqual([])
  })

  it("rebuilds the branch on a moved base (keeping the base's new content) in the same PR with rebase-when behind", async () => {
    const first = await deliverPullRequest(gh, repo, request({ rebaseWhen: 'behind' }))
    const mainMoved = fake.push('acme', 'gitops', 'main', { 'README.md': '# gitops, edited\n' })
    fake.clearLog()
    const second = await deliverPullRequest(gh, repo, request({ rebaseWhen: 'behind' }))

    expect(second.operation).toBe('updated')
    expect(fake.commit('acme', 'gitops', second.sha!)!.parents).toEqual([mainMoved])
    expect(fake.fileAt('acme', 'gitops', 'imagestream/web', 'README.md')).toBe('# gitops, edited\n')
    expect(second.number).toBe(first.number)
  })

  it('closes the PR with a comment and deletes the branch once the base already has the content', async () => {
    const first = await deliverPullRequest(gh, repo, request())
    fake.push('acme', 'gitops', 'main', { 'apps/web/deployment.yaml': NEW }, 'someone bumped web by hand')
    const result = await deliverPullRequest(gh, repo, request())

    expect(result).toMatchObject({ operation: 'closed', number: first.number })
    const [pr] = fake.pulls('acme', 'gitops')
    expect(pr.state).toBe('closed')
    expect(fake.repo('acme', 'gitops').comments.map((c) => [c.issue, c.body])).toEqual([
      [first.number, expect.stringContaining('no longer needed')]
    ])
    expect(fake.branchSha('acme', 'gitops', 'imagestream/web')).toBeUndefined()

    fake.clearLog()
    expect((await deliverPullRequest(gh, repo, request())).operation).toBe('none')
    expect(fake.writes()).toEqual([])
  })

  it('handles deletions and new nested files, predicting the tree GitHub builds', async () => {
    const req = request({
      files: [
        { path: 'apps/api/deployment.yaml', content: null },
        { path: 'apps/new/deep/kustomization.yaml', content: 'resources: []\n' }
      ],
      labels: [],
      reviewers: [],
      assignees: [],
      autoMerge: undefined
    })
    const first = await deliverPullRequest(gh, repo, req)
    expect(first.operation).toBe('created')
    expect(fake.fileAt('acme', 'gitops', first.sha!, 'apps/api/deployment.yaml')).toBeUndefined()
    expect(fake.fileAt('acme', 'gitops', first.sha!, 'apps/new/deep/kustomization.yaml')).toBe('resources: []\n')
    fake.clearLog()
    await deliverPullRequest(gh, repo, req)
    expect(fake.writes()).toEqual([])
  })

  it('reports nothing to do and writes nothing when the base already has the content and no PR is open', async () => {
    const result = await deliverPullRequest(
      gh,
      repo,
      request({ files: [{ path: 'apps/web/deployment.yaml', content: OLD }] })
    )
    expect(result).toMatchObject({ operation: 'none', sha: fake.branchSha('acme', 'gitops', 'main') })
    expect(fake.writes()).toEqual([])
  })

  it('still delivers the PR when auto-merge is not allowed, with a warning', async () => {
    fake.repo('acme', 'gitops').allowAutoMerge = false
    const result = await deliverPullRequest(gh, repo, request())
    expect(result.operation).toBe('created')
    expect(result.warnings).toEqual([expect.stringMatching(/could not enable auto-merge on #1: .*not allowed/)])
  })

  it('warns instead of failing when a reviewer cannot be requested (the PR author)', async () => {
    const result = await deliverPullRequest(gh, repo, request({ reviewers: ['github-actions[bot]'] }))
    expect(result.operation).toBe('created')
    expect(result.warnings).toEqual([expect.stringMatching(/could not request reviewers github-actions\[bot\] on #1/)])
  })

  it('two concurrent runs of the same group end with one branch and one PR', async () => {
    const results = await Promise.all([
      deliverPullRequest(gh, repo, request()),
      deliverPullRequest(gh, repo, request())
    ])
    expect(results.map((r) => r.operation).sort()).toEqual(expect.arrayContaining(['created']))
    expect(new Set(results.map((r) => r.number))).toEqual(new Set([1]))
    expect(fake.pulls('acme', 'gitops')).toHaveLength(1)
    expect(fake.fileAt('acme', 'gitops', 'imagestream/web', 'apps/web/deployment.yaml')).toBe(NEW)
    // The runs move in lockstep, so each usually loses a race (branch create, PR create) and must absorb it; the
    // only refusals allowed are exactly those.
    const refused = fake.requests.filter(
      (r) => r.status >= 400 && r.operation !== 'GET /repos/{owner}/{repo}/git/ref/{ref}'
    )
    for (const r of refused)
      expect(['POST /repos/{owner}/{repo}/git/refs', 'POST /repos/{owner}/{repo}/pulls']).toContain(r.operation)
  })

  it('rejects bad input before any request, naming the field', async () => {
    await expect(deliverPullRequest(gh, repo, request({ branch: 'main' }))).rejects.toThrow(/branch: .*must differ/)
    await expect(
      deliverPullRequest(gh, repo, request({ files: [{ path: '../etc/passwd', content: 'x' }] }))
    ).rejects.toThrow(/files\[0\]\.path: .*normalized/)
    await expect(deliverPullRequest(gh, repo, request({ branch: 'bad..name' }))).rejects.toThrow(
      /branch: "bad\.\.name" is not a valid branch name/
    )
    expect(fake.requests).toEqual([])
  })

  it('fails clearly when the base branch does not exist, without leaking the token', async () => {
    const err = await deliverPullRequest(gh, repo, request({ baseBranch: 'nope' })).catch((e: Error) => e)
    expect(String(err)).toMatch(/base branch "nope" does not exist in acme\/gitops/)
    expect(JSON.stringify(err)).not.toContain(TOKEN)
  })
})

describe('deliverPullRequest: a pull request that waits for a soak (min-age)', () => {
  const ITEM = `web:stable@sha256:${'2'.repeat(64)}`
  const PROPOSAL = `<!-- imagestream-action:proposal ${ITEM} -->`
  const WAITING = '<!-- imagestream-action:waiting -->'
  const FIRST_SIGHT = 'first-seen: 2026-03-01T01:00:00Z\n'
  const waiting = (over: Partial<DeliveryRequest> = {}) =>
    request({
      files: [{ path: 'apps/web/deployment.yaml', content: OLD + FIRST_SIGHT }],
      title: 'imagestream: waiting for soak until 2026-03-01T03:00:00Z (web:stable → 1.1.0)',
      body: `Waits.\n${WAITING}\n${PROPOSAL}`,
      draft: false,
      waiting: true,
      rebaseWhen: 'never',
      proposal: [ITEM],
      ...over
    })
  const soaked = (over: Partial<DeliveryRequest> = {}) =>
    request({ body: `Bumps **web**.\n${PROPOSAL}`, draft: false, rebaseWhen: 'never', proposal: [ITEM], ...over })

  it('opens a draft; once soaked the same PR gets the move (even with rebase-when never) and is ready for review', async () => {
    const first = await deliverPullRequest(gh, repo, waiting())
    expect(fake.pulls('acme', 'gitops').map((p) => [p.number, p.draft])).toEqual([[first.number, true]])

    fake.clearLog()
    const second = await deliverPullRequest(gh, repo, soaked())
    expect(second).toMatchObject({ operation: 'updated', number: first.number })
    expect(fake.fileAt('acme', 'gitops', 'imagestream/web', 'apps/web/deployment.yaml')).toBe(NEW)
    expect(fake.pulls('acme', 'gitops').map((p) => [p.number, p.draft])).toEqual([[first.number, false]])
    expect(fake.writes().map((r) => r.operation)).toContain('graphql mutation markPullRequestReadyForReview')
  })

  it('leaves a draft alone when the settings ask for drafts, and never readies a draft it did not open to wait', async () => {
    await deliverPullRequest(gh, repo, waiting())
    await deliverPullRequest(gh, repo, soaked({ draft: true }))
    expect(fake.pulls('acme', 'gitops')[0]!.draft).toBe(true)

    // A draft opened as such (draft: true, not waiting) stays one when a later request no longer asks for drafts.
    fake.reset()
    fake.createRepo(repo.owner, repo.repo, { 'apps/web/deployment.yaml': OLD })
    await deliverPullRequest(gh, repo, request({ draft: true }))
    fake.clearLog()
    await deliverPullRequest(
      gh,
      repo,
      request({ draft: false, files: [{ path: 'apps/web/deployment.yaml', content: NEWER }] })
    )
    expect(fake.pulls('acme', 'gitops')[0]!.draft).toBe(true)
    expect(fake.writes().map((r) => r.operation)).not.toContain('graphql mutation markPullRequestReadyForReview')
  })
})
