/** Closing our open pull requests that a complete run found no longer needed (their streams are current). */
import { isOwnPullRequestBody } from '../report/index.js'
import type { RepoApi } from './github-client.js'
import { streamKey } from './group.js'
import type { Deliverable, DeliverInput } from './outcome.js'
import { deliverPullRequest } from './pull-request.js'
import type { DeliveryResult } from './types.js'

/** Our open PRs (marker in the body, branch with our prefix) this run did not produce, whose streams are current. */
export async function closeObsolete<C extends Deliverable>(
  api: RepoApi,
  input: DeliverInput<C>,
  computation: C,
  produced: Set<string>
): Promise<DeliveryResult[]> {
  const settings = input.settings
  const prefix = settings.branchPrefix
  const full = `${input.repo.owner}/${input.repo.repo}`.toLowerCase()
  const pulls = await api.pulls({ state: 'open', base: input.baseBranch, all: true })
  const known = new Set(computation.streams.map((s) => streamKey(s.stream)))
  const failedStreams = new Set(computation.failures.map((f) => streamKey(f)))
  const failedTags = new Set(computation.failures.map((f) => `${streamKey(f)}/${f.tag}`))
  const brokenFiles = new Set(
    computation.diagnostics.filter((d) => d.severity === 'error' && d.file).map((d) => d.file!)
  )
  const streamFileBroken = computation.streams.some((s) => brokenFiles.has(s.file))

  const current = (branch: string): boolean => {
    const rest = branch.slice(prefix.length)
    if (settings.group === 'all') return rest === 'all' && computation.failures.length === 0 && !streamFileBroken
    if (settings.group === 'stream') return known.has(rest) && !failedStreams.has(rest)
    const slash = rest.lastIndexOf('/')
    if (slash <= 0) return false
    return known.has(rest.slice(0, slash)) && !failedTags.has(rest)
  }

  const out: DeliveryResult[] = []
  for (const p of pulls) {
    const branch = p.head.ref
    if (!branch.startsWith(prefix) || produced.has(branch) || !isOwnPullRequestBody(p.body)) continue
    if (p.head.repo?.full_name.toLowerCase() !== full) continue // a fork's branch of the same name is not ours
    if (!current(branch)) continue
    input.log.info(`#${p.number} (${branch}): its streams are current on ${input.baseBranch}; closing it`)
    out.push(
      await deliverPullRequest(
        api.gh,
        input.repo,
        {
          files: [],
          group: branch.slice(prefix.length),
          title: 'close',
          body: '',
          commitMessage: 'close',
          baseBranch: input.baseBranch,
          branch
        },
        {
          log: input.log,
          closeComment:
            `Closing: the registry reports the digests \`${input.baseBranch}\` already records for these tags, ` +
            'so this update is no longer needed.'
        }
      )
    )
  }
  return out
}
