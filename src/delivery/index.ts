/** Delivery: changed files → a local git commit, a direct GitHub commit (compare-and-swap), or a pull request. */
export * from './types.js'
export { createGitHubClient, GitHubApiError, type GitHubClient, type GitHubClientOptions } from './github-client.js'
export { deliverPullRequest, MAX_BODY, type PullRequestOptions } from './pull-request.js'
export { deliverCommit, DeliveryConflictError, type CommitOptions } from './commit.js'
export { commitLocal, LocalGitError, type LocalCommitResult } from './local-git.js'
export { blobSha, treeSha } from './git-hash.js'

import type { GitHubClient } from './github-client.js'
import { deliverCommit, type CommitOptions } from './commit.js'
import { deliverPullRequest } from './pull-request.js'
import type { DeliveryRequest, DeliveryResult, RepoRef } from './types.js'

export type DeliveryMode = 'pull-request' | 'commit'

/** One entry point for the action: the mode picks pull-request or direct-commit delivery. */
export function deliver(
  gh: GitHubClient,
  repo: RepoRef,
  mode: DeliveryMode,
  req: DeliveryRequest,
  options: CommitOptions & { closeComment?: string } = {}
): Promise<DeliveryResult> {
  return mode === 'commit' ? deliverCommit(gh, repo, req, options) : deliverPullRequest(gh, repo, req, options)
}
