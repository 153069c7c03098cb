import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commitLocal, LocalGitError } from '../../src/delivery/local-git.js'

let dir: string
const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim()
const write = (path: string, text: string) => {
  mkdirSync(join(dir, path, '..'), { recursive: true })
  writeFileSync(join(dir, path), text)
}
/** `git status --porcelain` lines (leading spaces matter: " M" is unstaged, "M " staged). */
const status = () =>
  execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' }).trimEnd().split('\n')
/** Paths changed by HEAD's commit. */
const committedPaths = () => git('show', '--name-only', '--format=', 'HEAD').split('\n').filter(Boolean).sort()

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-git-'))
  git('init', '-q', '-b', 'main')
  git('config', 'user.name', 'Test')
  git('config', 'user.email', 'test@example.com')
  write('apps/web.yaml', 'image: web@sha256:1\n')
  write('apps/api.yaml', 'image: api@sha256:1\n')
  write('notes.txt', 'mine\n')
  git('add', '-A')
  git('commit', '-q', '-m', 'init')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('commitLocal', () => {
  it('commits exactly the given paths, leaving other edits and other staged changes alone', async () => {
    write('apps/web.yaml', 'image: web@sha256:2\n')
    write('apps/new.yaml', 'image: new\n')
    write('notes.txt', 'unrelated edit\n')
    write('staged-by-user.txt', 'wip\n')
    git('add', 'staged-by-user.txt')

    const result = await commitLocal(dir, ['apps/web.yaml', 'apps/new.yaml'], 'chore: bump web')

    expect(result).toEqual({
      committed: true,
      sha: git('rev-parse', 'HEAD'),
      paths: ['apps/web.yaml', 'apps/new.yaml']
    })
    expect(committedPaths()).toEqual(['apps/new.yaml', 'apps/web.yaml'])
    expect(git('log', '-1', '--format=%s')).toBe('chore: bump web')
    // The user's own work is exactly as it was: unstaged edit still unstaged, staged file still staged.
    expect(status()).toEqual([' M notes.txt', 'A  staged-by-user.txt'])
  })

  it('commits a deletion and takes paths with glob characters literally', async () => {
    write('apps/[web].yaml', 'x\n')
    write('apps/w.yaml', 'untouched\n')
    git('add', '-A')
    git('commit', '-q', '-m', 'more')
    unlinkSync(join(dir, 'apps/api.yaml'))
    write('apps/[web].yaml', 'y\n')
    write('apps/w.yaml', 'edited but not ours\n')

    const result = await commitLocal(dir, ['apps/api.yaml', join(dir, 'apps/[web].yaml')], 'chore: sync')

    expect(result.committed).toBe(true)
    expect(committedPaths()).toEqual(['apps/[web].yaml', 'apps/api.yaml'])
    expect(status()).toEqual([' M apps/w.yaml'])
  })

  it('makes no commit when the paths did not change (or do not exist)', async () => {
    const head = git('rev-parse', 'HEAD')
    write('notes.txt', 'changed, but not asked for\n')
    expect(await commitLocal(dir, ['apps/web.yaml', 'apps/never-existed.yaml'], 'nothing')).toEqual({
      committed: false,
      paths: ['apps/web.yaml', 'apps/never-existed.yaml']
    })
    expect(git('rev-parse', 'HEAD')).toBe(head)
  })

  it('makes the first commit of a repository that has none yet', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'local-git-empty-'))
    try {
      execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: empty })
      execFileSync('git', ['config', 'user.name', 'T'], { cwd: empty })
      execFileSync('git', ['config', 'user.email', 't@e'], { cwd: empty })
      writeFileSync(join(empty, 'a.yaml'), 'a\n')
      writeFileSync(join(empty, 'b.yaml'), 'b\n')
      expect((await commitLocal(empty, ['a.yaml'], 'first')).committed).toBe(true)
      expect(execFileSync('git', ['ls-files'], { cwd: empty, encoding: 'utf8' })).toBe('a.yaml\n')
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })

  it('works from a subdirectory root of the repository', async () => {
    write('apps/web.yaml', 'image: web@sha256:9\n')
    const result = await commitLocal(join(dir, 'apps'), ['web.yaml'], 'sub')
    expect(result.committed).toBe(true)
    expect(committedPaths()).toEqual(['apps/web.yaml'])
  })

  it("rejects paths outside the root and reports git's own error outside a repository", async () => {
    await expect(commitLocal(dir, ['../elsewhere.yaml'], 'm')).rejects.toThrow(
      /paths\[0\]: "\.\.\/elsewhere\.yaml" is not inside/
    )
    const bare = mkdtempSync(join(tmpdir(), 'not-a-repo-'))
    try {
      writeFileSync(join(bare, 'f'), 'x')
      const err = await commitLocal(bare, ['f'], 'm').catch((e: unknown) => e)
      expect(err).toBeInstanceOf(LocalGitError)
      expect(String(err)).toMatch(/not a git repository/)
    } finally {
      rmSync(bare, { recursive: true, force: true })
    }
  })
})
