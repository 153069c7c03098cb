/**
 * Acceptance tests of "the review loop": pull requests that behave like a good teammate over several runs. The BUILT
 * dist/index.js runs as a runner starts it, against a real registry on loopback and the fake GitHub API backed by
 * real git objects (every request and response checked against GitHub's OpenAPI description).
 * Build first: `npm run package`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { rmSync } from 'node:fs'
import { runAction, type ActionRun } from '../support/action-runner.js'
import { FakeGitHub } from '../support/github-fake.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import { deployment, gitRepo, streamFile } from './fixtures.js'

const TOKEN = 'ghs_SENTINELreviewLOOP0123456789abcdef'
const OWNER = 'acme'
const CREATE_PULL = 'POST /repos/{owner}/{repo}/pulls'

// Each test runs the built action several times (a child process each); a loaded machine needs minutes.
jest.setTimeout(600_000)

let reg: TestRegistry
let fake: FakeGitHub
const dirs: string[] = []

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  fake = await FakeGitHub.start({ token: TOKEN })
})
afterAll(async () => {
  await fake?.close()
  await reg?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
afterEach(() => expect(fake.violations).toEqual([]))

/** Streams web (latest, stable) and api (latest) on the loopback registry; Deployments follow them. */
async function setup(
  repo: string,
  seed: string
): Promise<{ dir: string; run: (over?: Record<string, string>, env?: Record<string, string>) => Promise<ActionRun> }> {
  await pushImage(reg, `${seed}/web`, 'latest', { seed: `${seed}-web-1` })
  await pushImage(reg, `${seed}/web`, 'stable', { seed: `${seed}-stable-1` })
  await pushImage(reg, `${seed}/api`, 'latest', { seed: `${seed}-api-1` })
  const dir = gitRepo({
    'imagestreams/web.yaml': streamFile('web', reg.host, `${seed}/web`, ['latest', 'stable']),
    'imagestreams/api.yaml': streamFile('api', reg.host, `${seed}/api`, ['latest']),
    'deploy/web.yaml': deployment('web', 'web:latest', `${reg.host}/${seed}/web:latest`),
    'deploy/api.yaml': deployment('api', 'api:latest', `${reg.host}/${seed}/api:latest`),
    'README.md': '# gitops\n'
  })
  dirs.push(dir)
  fake.importRepo(OWNER, repo, dir)
  const run = async (over: Record<string, string> = {}, env: Record<string, string> = {}) => {
    const r = await runAction({
      workspace: dir,
      repository: `${OWNER}/${repo}`,
      apiUrl: fake.url,
      inputs: { 'github-token': TOKEN, ...over },
      env
    })
    if (r.code !== 0) throw new Error(`the action failed (${r.code}):\n${r.stdout}\n${r.stderr}`)
    // A run that succeeded has nothing to warn about (expected 404s of branches not created yet included).
    expect(r.annotations.filter((a) => a.kind !== 'notice')).toEqual([])
    return r
  }
  return { dir, run }
}

interface PullOutput {
  number: number
  url: string
  branch: string
  operation: string
  tags: string[]
}
const pullsOf = (r: ActionRun) => JSON.parse(r.outputs['pull-requests']!) as PullOutput[]
const pullOn = (repo: string, branch: string) =>
  fake
    .pulls(OWNER, repo)
    .filter((p) => p.head === branch)
    .at(-1)!
/** The summary as a reader sees it (Markdown escapes removed). */
const summaryText = (r: ActionRun) => r.summary.replace(/\\/g, '')
const creates = () => fake.requests.filter((r) => r.operation === CREATE_PULL).length

describe('closed means no', () => {
  it('a PR closed without merging is not reopened by the next two runs; reopening lifts it; a newer digest opens a new PR that links it', async () => {
    const repo = 'loop-decline'
    const { run } = await setup(repo, 'decline')
    await run()
    const declined = pullOn(repo, 'imagestream/web')
    fake.setPullState(OWNER, repo, declined.number, 'closed')

    fake.clearLog()
    const second = await run()
    expect(fake.writes()).toEqual([])
    expect(second.log).toMatch(new RegExp(`web: declined in #${declined.number}`))
    expect(summaryText(second)).toMatch(/declined \(closed without merging/)
    expect(pullsOf(second)).toContainEqual(
      expect.objectContaining({ number: declined.number, operation: 'declined', tags: ['web:latest', 'web:stable'] })
    )
    expect(second.outputs.changed).toBe('false')

    // Reopened: the decline is lifted, the PR is ours again (and already right: nothing to write).
    fake.setPullState(OWNER, repo, declined.number, 'open')
    fake.clearLog()
    const reopened = await run()
    expect(pullsOf(reopened)).toContainEqual(
      expect.objectContaining({ number: declined.number, operation: 'unchanged' })
    )
    expect(summaryText(reopened)).not.toMatch(/declined/)

    // Closed again, and its branch deleted: the record lives in the closed PR, so it survives.
    fake.setPullState(OWNER, repo, declined.number, 'closed')
    fake.repo(OWNER, repo).refs.delete('refs/heads/imagestream/web')
    fake.clearLog()
    const third = await run()
    expect(creates()).toBe(0)
    expect(pullsOf(third)).toContainEqual(expect.objectContaining({ number: declined.number, operation: 'declined' }))

    const newer = (await pushImage(reg, 'decline/web', 'latest', { seed: 'decline-web-2' })).digest
    fake.clearLog()
    const fourth = await run()
    expect(creates()).toBe(1)
    const fresh = pullOn(repo, 'imagestream/web')
    expect(fresh.number).not.toBe(declined.number)
    expect(fresh.state).toBe('open')
    expect(fresh.body).toContain(`Supersedes #${declined.number}`)
    expect(fake.fileAt(OWNER, repo, 'imagestream/web', 'deploy/web.yaml')).toContain(newer)
    expect(pullsOf(fourth)).toContainEqual(expect.objectContaining({ number: fresh.number, operation: 'opened' }))
  })
})

describe('hands off a branch someone else touched', () => {
  it('a foreign commit survives a moved digest, one comment says why, and ticking Rebuild hands the branch back', async () => {
    const repo = 'loop-hands-off'
    const { run } = await setup(repo, 'hands')
    await run()
    const pr = pullOn(repo, 'imagestream/web')
    const theirs = fake.fileAt(OWNER, repo, 'imagestream/web', 'deploy/web.yaml')!.replace('replicas: 1', 'replicas: 2')
    const foreign = fake.push(OWNER, repo, 'imagestream/web', { 'deploy/web.yaml': theirs }, 'web needs two replicas')
    const newer = (await pushImage(reg, 'hands/web', 'latest', { seed: 'hands-web-2' })).digest

    const held = await run()
    expect(fake.branchSha(OWNER, repo, 'imagestream/web')).toBe(foreign)
    const comments = () => fake.repo(OWNER, repo).comments.filter((c) => c.issue === pr.number)
    expect(comments()).toHaveLength(1)
    expect(comments()[0]!.body).toMatch(/never force-pushes over a commit it did not make/)
    expect(comments()[0]!.body).toMatch(/Rebuild this branch/)
    expect(summaryText(held)).toMatch(/held \(someone else pushed/)
    expect(pullsOf(held)).toContainEqual(expect.objectContaining({ number: pr.number, operation: 'held' }))

    await run()
    expect(fake.branchSha(OWNER, repo, 'imagestream/web')).toBe(foreign)
    expect(comments()).toHaveLength(1)

    // Handing back: the reviewer ticks the box in the description.
    const live = fake.pulls(OWNER, repo).find((p) => p.number === pr.number)!
    expect(live.body).toContain('- [ ] <!-- imagestream-action:rebase -->')
    live.body = live.body!.replace(
      '- [ ] <!-- imagestream-action:rebase -->',
      '- [x] <!-- imagestream-action:rebase -->'
    )
    const back = await run()
    expect(fake.branchSha(OWNER, repo, 'imagestream/web')).not.toBe(foreign)
    expect(fake.fileAt(OWNER, repo, 'imagestream/web', 'deploy/web.yaml')).toContain(newer)
    expect(live.body).toContain('- [ ] <!-- imagestream-action:rebase -->')
    expect(pullsOf(back)).toContainEqual(expect.objectContaining({ number: pr.number, operation: 'updated' }))
  })
})

describe('rebase only when needed', () => {
  it('an unrelated base commit makes no write; one that changes a file the PR updates rebuilds it', async () => {
    const repo = 'loop-rebase'
    const { run } = await setup(repo, 'rebase')
    await run()
    const api = fake.branchSha(OWNER, repo, 'imagestream/api')
    const web = fake.branchSha(OWNER, repo, 'imagestream/web')

    fake.push(OWNER, repo, 'main', { 'README.md': '# gitops\n\nUnrelated.\n' }, 'docs')
    fake.clearLog()
    const quiet = await run()
    expect(fake.writes()).toEqual([])
    expect(quiet.outputs.changed).toBe('false')
    expect(fake.branchSha(OWNER, repo, 'imagestream/web')).toBe(web)

    const scaled = fake.push(
      OWNER,
      repo,
      'main',
      { 'deploy/web.yaml': deployment('web', 'web:latest', `${reg.host}/rebase/web:latest`, 3) },
      'scale'
    )
    const rebuilt = await run()
    const head = fake.branchSha(OWNER, repo, 'imagestream/web')!
    expect(head).not.toBe(web)
    expect(fake.commit(OWNER, repo, head)!.parents).toEqual([scaled])
    expect(fake.fileAt(OWNER, repo, 'imagestream/web', 'deploy/web.yaml')).toMatch(
      /replicas: 3[\s\S]*rebase\/web@sha256:/
    )
    expect(fake.branchSha(OWNER, repo, 'imagestream/api')).toBe(api)
    expect(
      pullsOf(rebuilt)
        .map((p) => [p.branch, p.operation])
        .sort()
    ).toEqual([
      ['imagestream/api', 'unchanged'],
      ['imagestream/web', 'updated']
    ])
  })
})

describe('outputs that tell the truth', () => {
  it('a repeat run with an open PR and nothing moved: changed=false, no update, no write (another run id included)', async () => {
    const repo = 'loop-repeat'
    const { run } = await setup(repo, 'repeat')
    const first = await run({}, { GITHUB_RUN_ID: '101' })
    expect(first.outputs.changed).toBe('true')
    expect(pullOn(repo, 'imagestream/web').body).toContain('/actions/runs/101')
    fake.clearLog()
    const again = await run({}, { GITHUB_RUN_ID: '102' })
    expect(fake.writes()).toEqual([])
    expect(again.outputs.changed).toBe('false')
    expect(JSON.parse(again.outputs.updates!)).toEqual([])
    expect(again.outputs.operation).toBe('none')
    expect(summaryText(again)).toMatch(/unchanged \(open\)/)
    expect(summaryText(again)).not.toMatch(/Updated \d+ tag/)
    const pulls = pullsOf(again)
    expect(pulls.map((p) => p.operation)).toEqual(['unchanged', 'unchanged'])
    expect(again.outputs['pull-request-number']).toBe(String(pulls[0]!.number))
    expect(again.outputs['pull-request-branch']).toBe(pulls[0]!.branch)
  })

  it('group: tag with two moved tags lists both pull requests', async () => {
    const repo = 'loop-group-tag'
    const { run } = await setup(repo, 'grouptag')
    const r = await run({ group: 'tag' })
    const pulls = pullsOf(r).filter((p) => p.branch.startsWith('imagestream/web/'))
    expect(pulls.map((p) => [p.branch, p.operation, p.tags])).toEqual([
      ['imagestream/web/latest', 'opened', ['web:latest']],
      ['imagestream/web/stable', 'opened', ['web:stable']]
    ])
    for (const p of pulls) expect(fake.pulls(OWNER, repo).find((x) => x.number === p.number)!.head).toBe(p.branch)
    expect(summaryText(r)).toMatch(/opened/)
  })
})

describe("create-pull-request's habits", () => {
  it('token, base and branch aliases, a body template, a semantic title in the commit, signoff, author, milestone', async () => {
    const repo = 'loop-cpr'
    const { run } = await setup(repo, 'cpr')
    await run({
      'github-token': '',
      token: TOKEN,
      base: 'main',
      branch: 'bump',
      title: 'chore(deps): update {streams}',
      body: 'Reviewed by the platform team.\n\n{changes}',
      author: 'Image Bot <image-bot@example.com>',
      signoff: 'true',
      milestone: '3'
    })
    const pr = pullOn(repo, 'bump/web')
    expect(pr.title).toBe('chore(deps): update web')
    expect(pr.body).toMatch(/^<!-- imagestream-action:pull-request -->\nReviewed by the platform team\./)
    expect(pr.body).toMatch(/\*\*Decline\*\*: close it without merging/)
    expect(pr.milestone).toBe(3)
    const commit = fake.commit(OWNER, repo, fake.branchSha(OWNER, repo, 'bump/web')!)!
    expect(commit.message).toMatch(/^chore\(deps\): update web\n/)
    expect(commit.message).toMatch(/\nSigned-off-by: Image Bot <image-bot@example.com>\n$/)
    expect(commit.author.email).toBe('image-bot@example.com')
    const create = fake.requests.find((r) => r.operation === CREATE_PULL)!
    expect((create.body as { maintainer_can_modify?: boolean }).maintainer_can_modify).toBe(true)
  })

  it('delete-branch removes our branch once its pull request is merged', async () => {
    const repo = 'loop-delete'
    const { run } = await setup(repo, 'delete')
    await run({ 'delete-branch': 'true' })
    fake.setPullState(OWNER, repo, pullOn(repo, 'imagestream/web').number, 'merged')
    await run({ 'delete-branch': 'true' })
    expect(fake.branchSha(OWNER, repo, 'imagestream/web')).toBeUndefined()
    expect(fake.branchSha(OWNER, repo, 'imagestream/api')).toBeDefined()
  })
})

describe('quiet, useful logs', () => {
  it('says which glob matched no ImageStream file', async () => {
    const dir = gitRepo({ 'README.md': '# gitops\n' })
    dirs.push(dir)
    const r = await runAction({
      workspace: dir,
      apiUrl: fake.url,
      inputs: { 'github-token': TOKEN, delivery: 'none', streams: 'streams/*.yaml' }
    })
    expect(r.code).toBe(0)
    expect(r.log).toContain('no ImageStream files match streams/*.yaml')
    expect(summaryText(r)).toContain('no ImageStream files match streams/*.yaml')
    expect(r.annotations).toEqual([])
  })
})

describe('rebase-when: behind', () => {
  it('rebuilds an open PR on any base commit', async () => {
    const repo = 'loop-behind'
    const { run } = await setup(repo, 'behind')
    await run({ 'rebase-when': 'behind' })
    const web = fake.branchSha(OWNER, repo, 'imagestream/web')
    const docs = fake.push(OWNER, repo, 'main', { 'README.md': '# gitops\n\nUnrelated.\n' }, 'docs')
    const r = await run({ 'rebase-when': 'behind' })
    const head = fake.branchSha(OWNER, repo, 'imagestream/web')!
    expect(head).not.toBe(web)
    expect(fake.commit(OWNER, repo, head)!.parents).toEqual([docs])
    expect(r.outputs.changed).toBe('true')
  })
})
