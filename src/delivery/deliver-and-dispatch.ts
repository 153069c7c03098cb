/**
 * A run's whole delivery, as the action needs it: the GitHub client (none when the files only go to the workspace),
 * the delivery, then the workflows dispatched once the record of the move was delivered (docs/builds.md). GitHub
 * starts no workflow for commits and pull requests made with GITHUB_TOKEN, so the dispatches are how a rebuild runs.
 */
import { deliver, type Deliverable, type DeliverInput, type DeliveryOutcome } from './deliver.js'
import { dispatchDelivered, type DispatchOutcome, type DispatchSources } from './dispatch.js'
import { createGitHubClient } from './github-client.js'

export interface DeliverAndDispatchInput<C extends Deliverable & DispatchSources> extends Omit<DeliverInput<C>, 'gh'> {
  /** The token of the GitHub calls (unused when the mode is `none`). */
  token: string
  /** REST base URL (GITHUB_API_URL). */
  apiUrl: string
  /** Called with every secret before any request, so the caller can mask it. */
  onSecret: (secret: string) => void
}

export interface DeliveredRun<C extends Deliverable> {
  outcome: DeliveryOutcome<C>
  /** Undefined when nothing could be dispatched: no GitHub client, or a delivery that failed. */
  dispatched?: DispatchOutcome
}

export async function deliverAndDispatch<C extends Deliverable & DispatchSources>(
  input: DeliverAndDispatchInput<C>
): Promise<DeliveredRun<C>> {
  const { token, apiUrl, onSecret, ...rest } = input
  const gh =
    input.mode === 'none' ? undefined : createGitHubClient({ token, baseUrl: apiUrl, onSecret, log: input.log })
  const outcome = await deliver({ ...rest, gh })
  if (!gh || outcome.errors.length > 0) return { outcome }
  const c = outcome.computation
  const dispatched = await dispatchDelivered(gh, input.repo, input.baseBranch, c, outcome.results, input.log)
  return { outcome, dispatched }
}
