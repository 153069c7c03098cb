/**
 * A run's whole delivery, as the action needs it: the GitHub client (none when the files only go to the workspace),
 * what the computation reads from it first (first sights on waiting PRs, first-sights.ts), the delivery, then the
 * workflows dispatched once the record of the move was delivered (docs/builds.md). GitHub starts no workflow for commits and pull requests made with GITHUB_TOKEN, so the dispatches are how a rebuild runs.
 */
import { deliver, type Deliverable, type DeliverInput, type DeliveryOutcome } from './deliver.js'
import { dispatchDelivered, type DispatchOutcome, type DispatchSources } from './dispatch.js'
import { firstSightsOnOpenPulls, type FirstSightReader } from './first-sights.js'
import { createGitHubClient, type GitHubClient } from './github-client.js'
import type { DeliveryLogger, DeliverySettings, RepoRef } from './types.js'

type DeliveryMode = DeliverInput<Deliverable>['mode']

export interface GitHubConnection {
  /** The token of the GitHub calls (unused when the mode is `none`). */
  token: string
  /** REST base URL (GITHUB_API_URL). */
  apiUrl: string
  /** Called with every secret before any request, so the caller can mask it. */
  onSecret: (secret: string) => void
  log: DeliveryLogger
}

/** The run's one GitHub client; none when the files only go to the workspace. */
export function connectGitHub(mode: DeliveryMode, c: GitHubConnection): GitHubClient | undefined {
  return mode === 'none'
    ? undefined
    : createGitHubClient({ token: c.token, baseUrl: c.apiUrl, onSecret: c.onSecret, log: c.log })
}

/** min-age under pull requests: a waiting move's first sight is on its open PR's branch (docs/policies.md). */
export function waitingFirstSights(
  gh: GitHubClient | undefined,
  settings: Pick<DeliverySettings, 'group' | 'branchPrefix'> & { delivery: DeliveryMode },
  repo: RepoRef,
  baseBranch: string
): FirstSightReader | undefined {
  if (!gh || settings.delivery !== 'pull-request') return undefined
  return firstSightsOnOpenPulls({ gh, repo, baseBranch, settings })
}

export type DeliverAndDispatchInput<C extends Deliverable & DispatchSources> = DeliverInput<C>

export interface DeliveredRun<C extends Deliverable> {
  outcome: DeliveryOutcome<C>
  /** Undefined when nothing could be dispatched: no GitHub client, or a delivery that failed. */
  dispatched?: DispatchOutcome
}

export async function deliverAndDispatch<C extends Deliverable & DispatchSources>(
  input: DeliverAndDispatchInput<C>
): Promise<DeliveredRun<C>> {
  const gh = input.gh
  const outcome = await deliver(input)
  if (!gh || outcome.errors.length > 0) return { outcome }
  const c = outcome.computation
  const dispatched = await dispatchDelivered(gh, input.repo, input.baseBranch, c, outcome.results, input.log)
  return { outcome, dispatched }
}
