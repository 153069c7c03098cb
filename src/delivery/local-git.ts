/**
 * Local delivery for the CLI (`sync --commit`): commit exactly the given paths with the real git binary.
 * `git commit --only -- <paths>` leaves anything else the user has staged untouched, and `--literal-pathspecs`
 * (git-runner.ts) makes a path like `k8s/[web].yaml` mean that file, not a glob. No shell is involved.
 */
import { existsSync } from 'node:fs'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { InputError } from '../util/errors.js'
import { runGit as git } from './git-runner.js'

export { LocalGitError } from './git-runner.js'

export interface LocalCommitResult {
  committed: boolean
  /** The new HEAD when committed. */
  sha?: string
  /** The repository-relative paths (relative to `root`) that were part of the commit check. */
  paths: string[]
}

function normalize(root: string, paths: string[]): string[] {
  const out = new Set<string>()
  paths.forEach((p, i) => {
    const abs = resolve(root, p)
    const rel = relative(root, abs)
    if (!rel || rel.startsWith('..') || isAbsolute(rel)) {
      throw new InputError(`"${p}" is not inside ${root}`, { field: `paths[${i}]` })
    }
    out.add(rel.split(sep).join('/'))
  })
  return [...out]
}

/** Stages and commits exactly `paths` (relative to `root`, or absolute inside it). No commit when none changed. */
export async function commitLocal(root: string, paths: string[], message: string): Promise<LocalCommitResult> {
  if (!message.trim()) throw new InputError('a commit message is required', { field: 'message' })
  const rels = normalize(resolve(root), paths)
  if (rels.length === 0) return { committed: false, paths: [] }
  await git(root, ['rev-parse', '--show-toplevel'])
  // A path neither on disk nor tracked has nothing to commit, and `git add` would reject it.
  const tracked = new Set(
    (await git(root, ['ls-files', '-z', '--full-name', '--', ...rels])).stdout.split('\0').filter(Boolean)
  )
  const prefix = (await git(root, ['rev-parse', '--show-prefix'])).stdout.trim()
  const present = rels.filter((p) => existsSync(resolve(root, p)) || tracked.has(prefix + p))
  if (present.length === 0) return { committed: false, paths: rels }
  await git(root, ['add', '-A', '--', ...present])
  const diff = await git(root, ['diff', '--cached', '--quiet', '--', ...present], [0, 1])
  if (diff.code === 0) return { committed: false, paths: rels }
  await git(root, ['commit', '--quiet', '--only', '-m', message, '--', ...present])
  const sha = (await git(root, ['rev-parse', 'HEAD'])).stdout.trim()
  return { committed: true, sha, paths: rels }
}
