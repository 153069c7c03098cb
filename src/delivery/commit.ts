/**
 * Direct-commit delivery with compare-and-swap on the base branch. The REST ref update with `force: false` only
 * succeeds as a fast-forward from the head our commit was built on; if anyone pushed meanwhile GitHub answers 422
 * "Update is not a fast forward", and we re-read the new head, let the caller re-apply its change to the new
 * content (`rebuild`), and try again — a bounded number of times, with jittered backoff. Never a force push, so no
 * one else's commit is ever lost.
 */
import { InputError } from '../util/errors.js'
import { GitData, type Head } from './git-data.js'
import { GitHubApiError, RepoApi, type GitHubClient } from './github-client.js'
import { validateRequest } from './pull-request.js'
import {
  silentLogger,
  type BaseSnapshot,
  type DeliveryLogger,
  type DeliveryRequest,
  type DeliveryResult,
  type FileChange,
  type Rebuild,
  type RepoRef
} from './types.js'

export interface CommitOptions {
  /** Re-applies the change on a newer head. Without it, a moved branch ends the delivery with a conflict error. */
  rebuild?: Rebuild
  /** Attempts in all (default 5). */
  maxAttempts?: number
  log?: DeliveryLogger
  /** Injected for tests; the real one waits. */
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

/** The branch kept moving (or moved with no way to rebuild): nothing was written. */
export class DeliveryConflictError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DeliveryConflictError'
  }
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

function isNotFastForward(err: unknown): boolean {
  // 422 "Update is not a fast forward" is GitHub's answer; 409 covers a ref that changed under a concurrent update.
  return (
    err instanceof GitHubApiError && (err.status === 409 || (err.status === 422 && /fast.forward/i.test(err.message)))
  )
}

export async function deliverCommit(
  gh: GitHubClient,
  repo: RepoRef,
  req: DeliveryRequest,
  options: CommitOptions = {}
): Promise<DeliveryResult> {
  validateRequest(req, 'commit')
  const log = options.log ?? silentLogger
  const sleep = options.sleep ?? realSleep
  const random = options.random ?? Math.random
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5)
  const git = new GitData(new RepoApi(gh, repo))
  const where = `${repo.owner}/${repo.repo}`
  const warnings: string[] = []
  let files: FileChange[] = req.files
  let stale = req.baseSha

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const head = await git.head(req.baseBranch)
    if (!head) throw new InputError(`branch "${req.baseBranch}" does not exist in ${where}`, { field: 'baseBranch' })
    if (stale !== undefined && stale !== head.sha) {
      if (!options.rebuild) {
        throw new DeliveryConflictError(
          `${req.baseBranch} moved from ${stale} to ${head.sha} and no rebuild was given; nothing was committed`
        )
      }
      log.info(`${req.group}: ${req.baseBranch} is at ${head.sha}; re-applying the change there`)
      files = await options.rebuild(await snapshot(git, head, files))
      validateRequest({ ...req, files }, 'commit')
    }
    const changes = await git.effectiveChanges(head.tree, files)
    if (changes.length === 0) {
      log.info(`${req.group}: ${req.baseBranch} already has the wanted content`)
      return { operation: 'none', group: req.group, branch: req.baseBranch, sha: head.sha, warnings }
    }
    const commit = await git.commit(head, changes, req.commitMessage, { author: req.author, committer: req.committer })
    try {
      await git.moveBranch(req.baseBranch, commit.sha, false)
      log.info(`${req.group}: committed ${commit.sha} on ${req.baseBranch} (${changes.length} file(s))`)
      return {
        operation: 'committed',
        group: req.group,
        branch: req.baseBranch,
        sha: commit.sha,
        verified: commit.verified,
        warnings
      }
    } catch (err) {
      if (!isNotFastForward(err)) throw err
      stale = head.sha
      if (attempt === maxAttempts) break
      // Full jitter: concurrent writers retrying in lockstep would collide again.
      const delay = Math.round(random() * Math.min(8000, 250 * 2 ** attempt))
      log.info(
        `${req.group}: ${req.baseBranch} moved while committing (attempt ${attempt}/${maxAttempts}); retrying in ${delay} ms`
      )
      await sleep(delay)
    }
  }
  throw new DeliveryConflictError(
    `${req.baseBranch} of ${where} kept moving; gave up after ${maxAttempts} attempts without committing`
  )
}

async function snapshot(git: GitData, head: Head, previous: FileChange[]): Promise<BaseSnapshot> {
  const files = new Map<string, string | null>()
  for (const f of previous) files.set(f.path, await git.read(head.tree, f.path))
  return { sha: head.sha, files, read: (path) => git.read(head.tree, path) }
}
