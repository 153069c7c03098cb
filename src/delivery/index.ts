/**
 * Delivery: changed files → the workspace, a local git commit, a direct GitHub commit (compare-and-swap), or pull
 * requests (grouped, idempotent, obsolete ones closed). `deliver` is the action's one entry point.
 */
export * from './types.js'
export { createGitHubClient, GitHubApiError, type GitHubClient, type GitHubClientOptions } from './github-client.js'
export { deliverPullRequest, MAX_BODY, type PullRequestOptions } from './pull-request.js'
export { deliverCommit, DeliveryConflictError, type CommitOptions } from './commit.js'
export { commitLocal, LocalGitError, type LocalCommitResult } from './local-git.js'
export { isGitWorkTree, revParseHead } from './git-runner.js'
export { blobSha, treeSha } from '../util/git-hash.js'
export { dispatchDelivered, type DispatchOutcome } from './dispatch.js'
export { firstSightsOnOpenPulls, type FirstSightReader } from './first-sights.js'
export {
  deliver,
  type BaseReader,
  type Deliverable,
  type DeliverInput,
  type DeliveryOutcome,
  type Operation
} from './deliver.js'
export {
  connectGitHub,
  deliverAndDispatch,
  waitingFirstSights,
  type DeliverAndDispatchInput,
  type DeliveredRun
} from './deliver-and-dispatch.js'
