import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { FakeGitHub } from '../support/github-fake.js'
import { createGitHubClient, type GitHubClient } from '../../src/delivery/github-client.js'
import { deliverCommit, DeliveryConflictError } from '../../src/delivery/commit.js'
import type { BaseSnapshot, DeliveryRequest, FileChange } from '../../src/delivery/types.js'

const TOKEN = 'ghs_commit_test_token_987654321'
const repo = { owner: 'acme', repo: 'gitops' }
const PATH = 'clusters/prod/images.yaml'
const noSleep = async () => {}

let fake: FakeGitHub
let gh: GitHubClient

beforeAll(async () => {
  fake = await FakeGitHub.start({ token: TOKEN })
  gh = createGitHubClient({ token: TOKEN, baseUrl: fake.url, throttle: false, retries: 0 })
})
afterAll(() => fake.close())
beforeEach(() => {
  fake.reset()
  fake.createRepo(repo.owner, repo.repo, { [PATH]: 'web: v1\napi: v1\n', 'README.md': 'hi\n' })
})
afterEach(() => expect(fake.violations).toEqual([]))

/** The caller's rewrite: set one key's value in the simple `name: tag` file, keeping every other line. */
function setImage(text: string, name: string, tag: string): string {
  return text.replace(new RegExp(`^${name}: .*$`, 'm'), `${name}: ${tag}`)
}

function request(files: FileChange[], over: Partial<DeliveryRequest> = {}): DeliveryRequest {
  return {
    files,
    group: 'web',
    title: '',
    body: '',
    commitMessage: 'chore: bump web',
    baseBranch: 'main',
    branch: '',
    ...over
  }
}

describe('deliverCommit', () => {
  it('commits on the base branch with a signed commit whose parent is the old head', async () => {
    const before = fake.branchSha('acme', 'gitops', 'main')!
    const result = await deliverCommit(gh, repo, request([{ path: PATH, content: 'web: v2\napi: v1\n' }]), {
      sleep: noSleep
    })

    expect(result).toMatchObject({ operation: 'committed', branch: 'main', verified: true })
    expect(fake.branchSha('acme', 'gitops', 'main')).toBe(result.sha)
    expect(fake.commit('acme', 'gitops', result.sha!)).toMatchObject({
      parents: [before],
      signed: true,
      message: 'chore: bump web'
    })
    expect(fake.fileAt('acme', 'gitops', 'main', PATH)).toBe('web: v2\napi: v1\n')
    const update = fake.requests.find((r) => r.operation === 'PATCH /repos/{owner}/{repo}/git/refs/{ref}')!
    expect(update.body).toMatchObject({ force: false })
  })

  it('survives the branch moving mid-run: rebuilds on the new head, loses no update, never forces', async () => {
    const start = fake.branchSha('acme', 'gitops', 'main')!
    let concurrent = ''
    // Someone bumps api between our read of the head and our ref update.
    fake.beforeNextRefUpdate('acme', 'gitops', 'main', () => {
      concurrent = fake.push('acme', 'gitops', 'main', { [PATH]: 'web: v1\napi: v7\n' }, 'bump api')
    })
    const seen: BaseSnapshot[] = []
    const rebuild = (base: BaseSnapshot): FileChange[] => {
      seen.push(base)
      return [{ path: PATH, content: setImage(base.files.get(PATH)!, 'web', 'v2') }]
    }
    const result = await deliverCommit(
      gh,
      repo,
      request([{ path: PATH, content: 'web: v2\napi: v1\n' }], { baseSha: start }),
      {
        rebuild,
        sleep: noSleep,
        random: () => 0.5
      }
    )

    expect(result.operation).toBe('committed')
    expect(seen.map((s) => [s.sha, s.files.get(PATH)])).toEqual([[concurrent, 'web: v1\napi: v7\n']])
    expect(fake.fileAt('acme', 'gitops', 'main', PATH)).toBe('web: v2\napi: v7\n')
    expect(fake.commit('acme', 'gitops', result.sha!)!.parents).toEqual([concurrent])
    const updates = fake.requests.filter((r) => r.operation === 'PATCH /repos/{owner}/{repo}/git/refs/{ref}')
    expect(updates.map((u) => [u.status, (u.body as { force: boolean }).force])).toEqual([
      [422, false],
      [200, false]
    ])
  })

  it('rebuilds before the first attempt when the files were computed on an older commit', async () => {
    const old = fake.branchSha('acme', 'gitops', 'main')!
    fake.push('acme', 'gitops', 'main', { [PATH]: 'web: v1\napi: v3\n' })
    const result = await deliverCommit(
      gh,
      repo,
      request([{ path: PATH, content: 'web: v2\napi: v1\n' }], { baseSha: old }),
      {
        rebuild: async (base) => [{ path: PATH, content: setImage((await base.read(PATH))!, 'web', 'v2') }],
        sleep: noSleep
      }
    )
    expect(result.operation).toBe('committed')
    expect(fake.fileAt('acme', 'gitops', 'main', PATH)).toBe('web: v2\napi: v3\n')
    expect(fake.requests.filter((r) => r.status === 422)).toEqual([])
  })

  it('gives up after the attempt limit with a conflict error, leaving the branch as others left it', async () => {
    let last = ''
    const moveAgain = () => {
      last = fake.push('acme', 'gitops', 'main', { 'README.md': `hi ${Math.random()}\n` })
      fake.beforeNextRefUpdate('acme', 'gitops', 'main', moveAgain)
    }
    fake.beforeNextRefUpdate('acme', 'gitops', 'main', moveAgain)
    let rebuilds = 0
    const delays: number[] = []
    const err = await deliverCommit(gh, repo, request([{ path: PATH, content: 'web: v2\napi: v1\n' }]), {
      rebuild: (base) => {
        rebuilds++
        return [{ path: PATH, content: setImage(base.files.get(PATH)!, 'web', 'v2') }]
      },
      maxAttempts: 3,
      sleep: async (ms) => void delays.push(ms),
      random: () => 1
    }).catch((e: unknown) => e)

    expect(err).toBeInstanceOf(DeliveryConflictError)
    expect(String(err)).toMatch(/main of acme\/gitops kept moving; gave up after 3 attempts/)
    expect(rebuilds).toBe(2)
    expect(delays).toHaveLength(2)
    expect(delays[1]).toBeGreaterThan(delays[0]) // backoff grows
    expect(fake.branchSha('acme', 'gitops', 'main')).toBe(last)
    expect(fake.fileAt('acme', 'gitops', 'main', PATH)).toBe('web: v1\napi: v1\n')
  })

  it('refuses to commit over a moved branch when no rebuild is given', async () => {
    fake.beforeNextRefUpdate(
      'acme',
      'gitops',
      'main',
      () => void fake.push('acme', 'gitops', 'main', { 'README.md': 'moved\n' })
    )
    await expect(
      deliverCommit(gh, repo, request([{ path: PATH, content: 'web: v2\napi: v1\n' }]), { sleep: noSleep })
    ).rejects.toThrow(DeliveryConflictError)
    expect(fake.fileAt('acme', 'gitops', 'main', 'README.md')).toBe('moved\n')
  })

  it('makes no write when the branch already has the content', async () => {
    fake.clearLog()
    const result = await deliverCommit(gh, repo, request([{ path: PATH, content: 'web: v1\napi: v1\n' }]))
    expect(result).toMatchObject({ operation: 'none', sha: fake.branchSha('acme', 'gitops', 'main') })
    expect(fake.writes()).toEqual([])
  })
})
