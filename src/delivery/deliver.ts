/**
 * The action's three deliveries of one computation:
 *  - pull-request: one PR per group (group.ts), each idempotent (deliverPullRequest); open PRs of ours whose
 *    streams this run found current are closed. Before anything is written the base head is compared with the
 *    checkout, and the computation is redone on the base when it moved, so a PR never reverts someone's commit.
 *  - commit: one commit on the base branch (deliverCommit, compare-and-swap), redone on the new head when the
 *    branch moves mid-run.
 *  - none: the files are written into the workspace (a dry run as far as GitHub is concerned).
 */
import { writeFiles } from '../pipeline/write-files.js'
import { deliverCommit } from './commit.js'
import { revParseHead } from './git-runner.js'
import { streamKey } from './group.js'
import { commitMessageFor } from './messages.js'
import type { Deliverable, DeliverInput, DeliveryOutcome } from './outcome.js'
import { deliverAsPullRequests } from './pull-requests.js'
import type { FileChange } from './types.js'

export type * from './outcome.js'

/** The action's one delivery entry point: the mode picks the workspace, a commit, or pull requests. */
export async function deliver<C extends Deliverable>(input: DeliverInput<C>): Promise<DeliveryOutcome<C>> {
  switch (input.mode) {
    case 'none':
      return deliverToWorkspace(input)
    case 'commit':
      return deliverAsCommit(input)
    case 'pull-request':
      return deliverAsPullRequests(input)
    default:
      throw new Error(`unknown delivery mode ${String(input.mode)}`)
  }
}

async function deliverToWorkspace<C extends Deliverable>(input: DeliverInput<C>): Promise<DeliveryOutcome<C>> {
  const { computation } = input
  const written = await writeFiles(
    input.root,
    computation.files.map((f) => ({ path: f.path, text: f.after }))
  )
  for (const path of written) input.log.info(`wrote ${path}`)
  const wrote = written.length > 0
  return { operation: 'none', wrote, pullRequests: [], computation, results: [], warnings: [], errors: [] }
}

function fileChanges(c: Deliverable): FileChange[] {
  return c.files.map((f) => ({ path: f.path, content: f.after }))
}

async function deliverAsCommit<C extends Deliverable>(input: DeliverInput<C>): Promise<DeliveryOutcome<C>> {
  const gh = input.gh!
  let computation = input.computation
  if (computation.files.length === 0) {
    return { operation: 'none', wrote: false, pullRequests: [], computation, results: [], warnings: [], errors: [] }
  }
  const settings = input.settings
  const streams = [...new Set(computation.changes.map((c) => streamKey(c)))]
  // Unknown checkout commit → a sha no branch has, so the computation is always redone on the real head first.
  const baseSha = (await revParseHead(input.root)) ?? '0'.repeat(40)
  const result = await deliverCommit(
    gh,
    input.repo,
    {
      files: fileChanges(computation),
      group: 'all',
      title: '',
      body: '',
      commitMessage: commitMessageFor(computation.changes, streams, settings),
      author: settings.author,
      committer: settings.committer,
      baseBranch: input.baseBranch,
      branch: '',
      baseSha
    },
    {
      log: input.log,
      rebuild: async (base) => {
        input.log.info(`${input.baseBranch} is at ${base.sha}: computing the change again on top of it`)
        const read = (path: string) => (base.files.has(path) ? Promise.resolve(base.files.get(path)!) : base.read(path))
        computation = await input.recompute(computation, read)
        return fileChanges(computation)
      }
    }
  )
  return {
    operation: result.operation === 'committed' ? 'committed' : 'none',
    wrote: result.operation === 'committed',
    pullRequests: [],
    computation,
    results: [result],
    commitSha: result.operation === 'committed' ? result.sha : undefined,
    warnings: result.warnings,
    errors: []
  }
}

export { equivalentStamp } from './pull-requests.js'
