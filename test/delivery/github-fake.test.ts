/** Self-tests of the fake GitHub API: its git is real git's, and its contract check catches what it should. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FakeGitHub } from '../support/github-fake.js'
import { createGitHubClient, type GitHubClient } from '../../src/delivery/github-client.js'
import { deliverPullRequest } from '../../src/delivery/pull-request.js'

const TOKEN = 'ghs_fake_selftest_token'
let fake: FakeGitHub
let gh: GitHubClient
let dir: string

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim()

beforeAll(async () => {
  fake = await FakeGitHub.start({ token: TOKEN })
  gh = createGitHubClient({ token: TOKEN, baseUrl: fake.url, throttle: false, retries: 0 })
  dir = mkdtempSync(join(tmpdir(), 'gh-fake-'))
  git(dir, 'init', '-q', '-b', 'main')
  git(dir, 'config', 'user.name', 'Test')
  git(dir, 'config', 'user.email', 'test@example.com')
  // Names chosen to exercise git's tree order (a directory sorts as "a/", after "a.b" and "a-b").
  for (const [path, content] of Object.entries({
    'a.b': '1\n',
    'a-b': '2\n',
    'a/x.yaml': 'x: 1\n',
    'a/b/c.txt': 'deep\n',
    'deploy.sh': '#!/bin/sh\n'
  })) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  chmodSync(join(dir, 'deploy.sh'), 0o755)
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', 'first')
  writeFileSync(join(dir, 'a.b'), '1 changed\n')
  git(dir, 'commit', '-q', '-am', 'second')
})
afterAll(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => fake.reset())

describe('fake GitHub: git objects', () => {
  it('imports a real repository with the same commit and tree ids real git has', () => {
    fake.importRepo('acme', 'real', dir)
    const head = git(dir, 'rev-parse', 'HEAD')
    expect(fake.branchSha('acme', 'real', 'main')).toBe(head)
    expect(fake.commit('acme', 'real', head)!.tree).toBe(git(dir, 'rev-parse', 'HEAD^{tree}'))
    expect(fake.fileAt('acme', 'real', 'main', 'a/b/c.txt')).toBe('deep\n')
    expect(fake.violations).toEqual([])
  })

  it('builds, through the API, the very tree real git builds for the same change (mode bits kept)', async () => {
    fake.importRepo('acme', 'real', dir)
    const files = [
      { path: 'deploy.sh', content: '#!/bin/sh\necho v2\n' },
      { path: 'a/b/c.txt', content: null },
      { path: 'a/new/file.yaml', content: 'n: 1\n' }
    ]
    const result = await deliverPullRequest(
      gh,
      { owner: 'acme', repo: 'real' },
      {
        files,
        group: 'g',
        title: 't',
        body: '',
        commitMessage: 'm',
        baseBranch: 'main',
        branch: 'imagestream/g'
      }
    )
    // The same change in a real clone, committed by real git.
    const clone = mkdtempSync(join(tmpdir(), 'gh-fake-clone-'))
    try {
      git(clone, 'clone', '-q', dir, '.')
      writeFileSync(join(clone, 'deploy.sh'), '#!/bin/sh\necho v2\n')
      rmSync(join(clone, 'a/b/c.txt'))
      mkdirSync(join(clone, 'a/new'), { recursive: true })
      writeFileSync(join(clone, 'a/new/file.yaml'), 'n: 1\n')
      git(clone, 'add', '-A')
      git(clone, '-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'm')
      expect(fake.commit('acme', 'real', result.sha!)!.tree).toBe(git(clone, 'rev-parse', 'HEAD^{tree}'))
      const tree = fake.commit('acme', 'real', result.sha!)!.tree
      expect(fake.repo('acme', 'real').store.flatten(tree).get('deploy.sh')?.mode).toBe('100755')
    } finally {
      rmSync(clone, { recursive: true, force: true })
    }
    expect(fake.violations).toEqual([])
  })
})

describe('fake GitHub: OpenAPI contract', () => {
  beforeEach(() => void fake.createRepo('acme', 'r', { 'f.txt': 'x\n' }))

  it("records a response that does not match GitHub's schema (self-test with a deliberately broken body)", async () => {
    fake.tamperNextResponse('GET /repos/{owner}/{repo}/git/ref/{ref}', (body) => {
      const b = body as { object: Record<string, unknown> }
      delete b.object.sha
      return b
    })
    await gh.rest.git.getRef({ owner: 'acme', repo: 'r', ref: 'heads/main' })
    expect(fake.violations).toEqual([
      {
        where: 'response',
        operation: 'GET /repos/{owner}/{repo}/git/ref/{ref}',
        status: 200,
        errors: [expect.stringMatching(/^\/object must have required property 'sha'/)]
      }
    ])
  })

  it("records a wrong type deep in a large schema (a pull request's number as a string)", async () => {
    await gh.rest.git.createRef({
      owner: 'acme',
      repo: 'r',
      ref: 'refs/heads/b',
      sha: fake.branchSha('acme', 'r', 'main')!
    })
    fake.push('acme', 'r', 'b', { 'f.txt': 'y\n' })
    fake.tamperNextResponse('POST /repos/{owner}/{repo}/pulls', (body) => ({ ...(body as object), number: '1' }))
    await gh.rest.pulls.create({ owner: 'acme', repo: 'r', head: 'b', base: 'main', title: 't' })
    expect(fake.violations.map((v) => v.errors)).toEqual([[expect.stringMatching(/^\/number must be integer/)]])
  })

  it('records a request body GitHub would not accept', async () => {
    // Octokit's types would refuse this mode at compile time; the cast stands in for an untyped caller.
    const tree = [{ path: 'x', mode: '644', type: 'blob', content: 'x' }] as unknown as Array<{
      path: string
      mode: '100644'
    }>
    await gh.request('POST /repos/{owner}/{repo}/git/trees', { owner: 'acme', repo: 'r', tree })
    expect(fake.violations).toEqual([
      expect.objectContaining({
        where: 'request',
        errors: [expect.stringMatching(/^\/tree\/0\/mode must be equal to one of the allowed values/)]
      })
    ])
  })

  it('records calls to endpoints it does not implement, and refuses a wrong token', async () => {
    await expect(gh.request('GET /repos/{owner}/{repo}/branches', { owner: 'acme', repo: 'r' })).rejects.toMatchObject({
      status: 404
    })
    expect(fake.violations).toEqual([
      expect.objectContaining({ where: 'route', operation: 'GET /repos/acme/r/branches' })
    ])
    fake.violations.length = 0
    const wrong = createGitHubClient({ token: 'ghs_wrong', baseUrl: fake.url, throttle: false, retries: 0 })
    await expect(wrong.rest.git.getRef({ owner: 'acme', repo: 'r', ref: 'heads/main' })).rejects.toMatchObject({
      status: 401
    })
  })

  it('behaves like GitHub on a non-fast-forward ref update and on a duplicate PR', async () => {
    const main = fake.branchSha('acme', 'r', 'main')!
    const other = fake.push('acme', 'r', 'main', { 'f.txt': 'z\n' })
    const sibling = fake
      .repo('acme', 'r')
      .store.putCommit({ ...fake.commit('acme', 'r', other)!, parents: [main], message: 'sibling' })
    await expect(
      gh.rest.git.updateRef({ owner: 'acme', repo: 'r', ref: 'heads/main', sha: sibling, force: false })
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('Update is not a fast forward')
    })
    expect(fake.branchSha('acme', 'r', 'main')).toBe(other)
    await gh.rest.git.createRef({ owner: 'acme', repo: 'r', ref: 'refs/heads/b', sha: sibling })
    await gh.rest.pulls.create({ owner: 'acme', repo: 'r', head: 'b', base: 'main', title: 'one' })
    await expect(
      gh.rest.pulls.create({ owner: 'acme', repo: 'r', head: 'b', base: 'main', title: 'two' })
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('A pull request already exists for acme:b')
    })
    expect(fake.violations).toEqual([])
  })
})
