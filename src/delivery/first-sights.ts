/**
 * Where a waiting move's first sight lives under pull-request delivery. `min-age` measures from the first run that
 * saw a candidate (rules/policy-gate.ts), and that record is written into the stream file. With pull requests, the
 * file on the base branch changes only when a PR is merged, so the record rides on the tag's usual PR branch: a
 * waiting move is proposed as a draft PR whose stream file carries it (pull-requests.ts). The next run must start
 * from that record, not from the base's copy, or every run would see the candidate for the "first" time.
 *
 * This is an input of the computation (read before anything is decided, like the checkout itself): for a tag whose
 * min-age applies, the open PR of ours on the branch that tag's changes go to (group.ts's deterministic branch) is
 * read, and its copy of the stream's first-sight record is handed to the gate. Nothing is written here.
 */
import { isOwnPullRequestBody } from '../report/index.js'
import { parseStreamDocuments } from '../stream/state-documents.js'
import { readFirstSeen, type FirstSight } from '../stream/rules/policy-gate.js'
import type { ImageStream } from '../stream/types.js'
import { GitData } from './git-data.js'
import { RepoApi, type GitHubClient, type PullSummary } from './github-client.js'
import { branchFor, streamKey, tagGroup } from './group.js'
import type { DeliverySettings, RepoRef } from './types.js'

export interface FirstSightQuery {
  /** The stream file, repository-relative. */
  file: string
  stream: ImageStream
  tag: string
}

export type FirstSightReader = (query: FirstSightQuery) => Promise<FirstSight | undefined>

export interface FirstSightSource {
  gh: GitHubClient
  repo: RepoRef
  baseBranch: string
  settings: Pick<DeliverySettings, 'group' | 'branchPrefix'>
}

/** The branch a stream tag's changes are proposed on (the group key of group.ts's changeKey). */
export function branchOfTag(settings: FirstSightSource['settings'], stream: ImageStream, tag: string): string {
  const key = streamKey(stream)
  const group = tagGroup(settings.group, key, tag, undefined)
  return branchFor(settings.branchPrefix, group)
}

/**
 * Reads first sights from our open pull requests' branches. The open PRs are listed once per run, each branch's
 * stream file read once; a tag with no open PR of ours has no record there.
 */
export function firstSightsOnOpenPulls(source: FirstSightSource): FirstSightReader {
  const api = new RepoApi(source.gh, source.repo)
  const git = new GitData(api)
  let open: Promise<Map<string, PullSummary>> | undefined
  const files = new Map<string, Promise<string | null>>()
  const listOpen = async (): Promise<Map<string, PullSummary>> => {
    const pulls = await api.pulls({ state: 'open', base: source.baseBranch, all: true })
    // A fork's pull request may use the same branch name and copy our marker: its records could shorten a soak, so
    // only branches of this repository count (as for closing obsolete PRs, obsolete.ts).
    const full = `${source.repo.owner}/${source.repo.repo}`.toLowerCase()
    const ours = pulls.filter(
      (p) =>
        p.head.ref.startsWith(source.settings.branchPrefix) &&
        p.head.repo?.full_name.toLowerCase() === full &&
        isOwnPullRequestBody(p.body)
    )
    return new Map(ours.map((p) => [p.head.ref, p]))
  }
  const readAt = (sha: string, path: string): Promise<string | null> => {
    const key = `${sha}\n${path}`
    let text = files.get(key)
    if (!text) {
      text = api.commit(sha).then((c) => git.read(c.tree, path))
      files.set(key, text)
    }
    return text
  }
  return async ({ file, stream, tag }) => {
    open ??= listOpen()
    const pull = (await open).get(branchOfTag(source.settings, stream, tag))
    if (!pull) return undefined
    const text = await readAt(pull.head.sha, file)
    if (text === null) return undefined
    const name = stream.metadata.name
    const namespace = stream.metadata.namespace ?? ''
    const there = parseStreamDocuments(text, file).streams.find(
      (s) => s.stream?.metadata.name === name && (s.stream.metadata.namespace ?? '') === namespace
    )?.stream
    return there ? readFirstSeen(there)[tag] : undefined
  }
}
