/** Delivery: changed files → a local git commit, a direct GitHub commit (compare-and-swap), or a pull request. */
export * from './types.js'
export { createGitHubClient, GitHubApiError, type GitHubClient, type GitHubClientOptions } from './github-client.js'
export { deliverPullRequest, MAX_BODY, type PullRequestOptions } from './pull-request.js'
export { deliverCommit, DeliveryConflictError, type CommitOptions } from './commit.js'
export { commitLocal, LocalGitError, type LocalCommitResult } from './local-git.js'
export { blobSha, treeSha } from './git-hash.js'
