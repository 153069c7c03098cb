/**
 * The one place an Octokit is made: REST + GraphQL with retries (transient 5xx, network) and GitHub's rate-limit
 * etiquette (throttling: writes serialized and spaced, primary/secondary limits waited out a bounded number of times).
 * Settings come in as arguments (the action passes GITHUB_API_URL); the token is handed to `onSecret` first so the
 * shell can mask it before anything could print it.
 */
import { decodeText, encodeText } from '../yaml/bytes.js'
import { Octokit } from '@octokit/rest'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici'
import { InputError } from '../util/errors.js'
import { silentLogger, type DeliveryLogger, type Identity, type RepoRef } from './types.js'

const DeliveryOctokit = Octokit.plugin(retry, throttling)
export type GitHubClient = InstanceType<typeof DeliveryOctokit>

export interface GitHubClientOptions {
  token: string
  /** REST base URL: `https://api.github.com`, or `https://ghe.example.com/api/v3` for GitHub Enterprise Server. */
  baseUrl?: string
  /** Called with the token before any request, so the caller can register it as a secret (core.setSecret). */
  onSecret?: (secret: string) => void
  userAgent?: string
  log?: DeliveryLogger
  /** A fetch implementation (tests); otherwise undici's fetch through HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  fetch?: typeof globalThis.fetch
  /** GitHub asks integrations to space writes ~1 s apart; tests against a local fake turn throttling off. */
  throttle?: boolean
  /** Retries of transient failures (default 3). */
  retries?: number
}

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const token = options.token.trim()
  if (!token) throw new InputError('a GitHub token is required to deliver changes', { field: 'token' })
  options.onSecret?.(token)
  const log = options.log ?? silentLogger
  let baseUrl = options.baseUrl?.trim() || 'https://api.github.com'
  try {
    baseUrl = new URL(baseUrl).toString().replace(/\/+$/, '')
  } catch {
    throw new InputError(`"${baseUrl}" is not a URL; expected e.g. https://api.github.com`, { field: 'github-api-url' })
  }
  return new DeliveryOctokit({
    auth: token,
    baseUrl,
    userAgent: options.userAgent ?? 'imagestream-action',
    request: { fetch: options.fetch ?? proxyAwareFetch() },
    // Octokit's request log reports every expected 404 (a branch not created yet) and every retried attempt as an
    // error; the final failure reaches the caller as a GitHubApiError, so the log itself is debug only.
    log: {
      debug: (m: string) => log.debug(m),
      info: (m: string) => log.debug(m),
      warn: (m: string) => log.debug(m),
      error: (m: string) => log.debug(m)
    },
    retry: { retries: options.retries ?? 3 },
    throttle: {
      enabled: options.throttle ?? true,
      onRateLimit: (retryAfter: number, req: { method: string; url: string }, _o: unknown, retryCount: number) => {
        // Waiting out a limit is routine; only giving up is worth a warning.
        if (retryCount < 2) log.info(`GitHub rate limit hit by ${req.method} ${req.url}; retrying in ${retryAfter}s`)
        else log.warning(`GitHub rate limit hit by ${req.method} ${req.url}; giving up`)
        return retryCount < 2
      },
      onSecondaryRateLimit: (
        retryAfter: number,
        req: { method: string; url: string },
        _o: unknown,
        retryCount: number
      ) => {
        const what = `GitHub secondary rate limit hit by ${req.method} ${req.url}`
        if (retryCount < 1) log.info(`${what}; retrying in ${retryAfter}s`)
        else log.warning(`${what}; giving up`)
        return retryCount < 1
      }
    }
  })
}

/**
 * Node's global fetch ignores proxy variables; undici's EnvHttpProxyAgent honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY
 * (and lower-case), tunnelling with CONNECT so the proxy never sees the token.
 */
function proxyAwareFetch(): typeof globalThis.fetch {
  const dispatcher = new EnvHttpProxyAgent()
  return ((input: string | URL, init?: Record<string, unknown>) =>
    undiciFetch(input, { ...init, dispatcher })) as unknown as typeof globalThis.fetch
}

interface OctokitErrorLike {
  status?: number
  message?: string
  response?: { data?: unknown }
  request?: { method?: string; url?: string }
}

export function httpStatus(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null ? (err as OctokitErrorLike).status : undefined
}

/** GitHub's own message for a failed call (`Update is not a fast forward`), or the error's text. */
export function apiMessage(err: unknown): string {
  const e = err as OctokitErrorLike
  const data = e?.response?.data as { message?: string; errors?: Array<{ message?: string } | string> } | undefined
  const details = (data?.errors ?? []).map((x) => (typeof x === 'string' ? x : x.message)).filter(Boolean)
  const base = data?.message ?? e?.message ?? String(err)
  return details.length ? `${base} (${details.join('; ')})` : base
}

/** An error that says which call failed and why, without request headers (no token can leak through it). */
export class GitHubApiError extends Error {
  constructor(
    readonly action: string,
    readonly status: number | undefined,
    detail: string
  ) {
    super(`${action} failed${status ? ` (HTTP ${status})` : ''}: ${detail}`)
    this.name = 'GitHubApiError'
  }
}

/** Runs one API call, turning failures into a GitHubApiError naming what was being done. */
export async function call<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    throw new GitHubApiError(action, httpStatus(err), apiMessage(err))
  }
}

// ------------------------------------------------------------------------------------------ the calls delivery makes

/** A pull request as delivery reads it (the fields of GitHub's pull-request-simple it uses). */
export interface PullSummary {
  number: number
  node_id: string
  html_url: string
  state: string
  title: string
  body: string | null
  merged_at?: string | null
  closed_at?: string | null
  labels: Array<{ name?: string } | string>
  assignees?: Array<{ login: string }> | null
  requested_reviewers?: Array<{ login: string }> | null
  requested_teams?: Array<{ slug: string }> | null
  milestone?: { number: number } | null
  auto_merge: { merge_method: string } | null
  draft?: boolean
  head: { ref: string; sha: string; repo: { full_name: string } | null }
}

export interface PullQuery {
  state: 'open' | 'closed'
  base: string
  head?: string
  limit?: number
  all?: boolean
}

export interface PullFields {
  title?: string
  body?: string
  state?: 'open' | 'closed'
}

export interface CommitSummary {
  sha: string
  tree: string
  parents: string[]
  message: string
  author: { name: string; email: string }
  committer: { name: string; email: string }
  verified: boolean
}

export interface CommentSummary {
  id: number
  body: string
}

/**
 * Every GitHub call delivery makes, for one repository: each names what it was doing when it fails
 * (GitHubApiError), and an absent branch is `undefined`, not an error.
 */
export class RepoApi {
  constructor(
    readonly gh: GitHubClient,
    readonly repo: RepoRef
  ) {}

  get where(): string {
    return `${this.repo.owner}/${this.repo.repo}`
  }

  /** The commit a branch points at, or undefined when there is no such branch. */
  async branchSha(branch: string): Promise<string | undefined> {
    try {
      return (await this.gh.rest.git.getRef({ ...this.repo, ref: `heads/${branch}` })).data.object.sha
    } catch (err) {
      if (httpStatus(err) === 404) return undefined
      return call(`reading branch ${branch} of ${this.where}`, () => Promise.reject(err))
    }
  }

  async commit(sha: string): Promise<CommitSummary> {
    const { data } = await call(`reading commit ${sha} of ${this.where}`, () =>
      this.gh.rest.git.getCommit({ ...this.repo, commit_sha: sha })
    )
    return {
      sha,
      tree: data.tree.sha,
      parents: data.parents.map((p) => p.sha),
      message: data.message,
      author: { name: data.author.name, email: data.author.email },
      committer: { name: data.committer.name, email: data.committer.email },
      verified: data.verification?.verified ?? false
    }
  }

  async tree(
    sha: string
  ): Promise<{ truncated: boolean; entries: Array<{ path: string; mode: string; sha: string }> }> {
    const { data } = await call(`reading tree ${sha} of ${this.where}`, () =>
      this.gh.rest.git.getTree({ ...this.repo, tree_sha: sha })
    )
    return { truncated: data.truncated, entries: data.tree.map((e) => ({ path: e.path!, mode: e.mode!, sha: e.sha! })) }
  }

  async blob(sha: string, path: string): Promise<string> {
    const { data } = await call(`reading ${path} of ${this.where}`, () =>
      this.gh.rest.git.getBlob({ ...this.repo, file_sha: sha })
    )
    const encoding = (data.encoding as BufferEncoding) === 'utf-8' ? 'utf8' : 'base64'
    // Bytes that are not UTF-8 (a Latin-1 comment) survive the round trip: decoded and encoded the same way as files.
    return decodeText(Buffer.from(data.content.replace(/\s+/g, ''), encoding))
  }

  async createBlob(text: string, path: string): Promise<string> {
    const content = encodeText(text).toString('base64')
    const { data } = await call(`uploading ${path} to ${this.where}`, () =>
      this.gh.rest.git.createBlob({ ...this.repo, content, encoding: 'base64' })
    )
    return data.sha
  }

  async createTree(base: string, entries: Array<{ path: string; mode: string; sha: string | null }>): Promise<string> {
    const tree = entries.map((e) => ({ ...e, type: 'blob' as const })) as Array<{
      path: string
      mode: '100644'
      type: 'blob'
      sha: string
    }>
    const { data } = await call(`creating a tree in ${this.where}`, () =>
      this.gh.rest.git.createTree({ ...this.repo, base_tree: base, tree })
    )
    return data.sha
  }

  async createCommit(input: {
    message: string
    tree: string
    parents: string[]
    author?: Identity
    committer?: Identity
  }): Promise<{ sha: string; verified: boolean }> {
    const { data } = await call(`creating a commit in ${this.where}`, () =>
      this.gh.rest.git.createCommit({ ...this.repo, ...input })
    )
    return { sha: data.sha, verified: data.verification?.verified ?? false }
  }

  async createBranch(branch: string, sha: string): Promise<void> {
    await call(`creating branch ${branch} in ${this.where}`, () =>
      this.gh.rest.git.createRef({ ...this.repo, ref: `refs/heads/${branch}`, sha })
    )
  }

  /** Moves a branch; with force false GitHub refuses anything but a fast-forward (the compare-and-swap). */
  async moveBranch(branch: string, sha: string, force: boolean): Promise<void> {
    await call(`moving branch ${branch} of ${this.where}`, () =>
      this.gh.rest.git.updateRef({ ...this.repo, ref: `heads/${branch}`, sha, force })
    )
  }

  async deleteBranch(branch: string): Promise<void> {
    await call(`deleting branch ${branch} of ${this.where}`, () =>
      this.gh.rest.git.deleteRef({ ...this.repo, ref: `heads/${branch}` })
    )
  }

  /** Pull requests against `base` (one page of `limit` newest first, or every page when `all`). */
  async pulls(query: PullQuery): Promise<PullSummary[]> {
    const params = {
      ...this.repo,
      state: query.state,
      base: query.base,
      ...(query.head ? { head: `${this.repo.owner}:${query.head}` } : {}),
      per_page: Math.min(100, query.limit ?? 100)
    }
    const what = `listing ${query.state} pull requests of ${this.where}`
    if (query.all) return call(what, () => this.gh.paginate(this.gh.rest.pulls.list, params)) as Promise<PullSummary[]>
    const sorted = query.state === 'closed' ? { sort: 'updated' as const, direction: 'desc' as const } : {}
    return (await call(what, () => this.gh.rest.pulls.list({ ...params, ...sorted }))).data as PullSummary[]
  }

  async createPull(input: {
    head: string
    base: string
    title: string
    body: string
    draft: boolean
    maintainerCanModify: boolean
  }): Promise<PullSummary> {
    const { maintainerCanModify, ...rest } = input
    const params = { ...this.repo, ...rest, maintainer_can_modify: maintainerCanModify }
    const { data } = await this.gh.rest.pulls.create(params)
    return data as PullSummary
  }

  async updatePull(n: number, fields: PullFields): Promise<PullSummary> {
    const what = fields.state === 'closed' ? `closing #${n}` : `updating #${n}`
    const { data } = await call(what, () => this.gh.rest.pulls.update({ ...this.repo, pull_number: n, ...fields }))
    return data as PullSummary
  }

  async reviewers(n: number): Promise<string[]> {
    const { data } = await call(`reading reviews of #${n}`, () =>
      this.gh.rest.pulls.listReviews({ ...this.repo, pull_number: n, per_page: 100 })
    )
    return data.map((r) => r.user?.login.toLowerCase() ?? '')
  }

  /** Throws the raw Octokit error: a reviewer who cannot be asked (422) is the caller's decision. */
  async requestReviewers(n: number, reviewers: string[], teams: string[]): Promise<void> {
    await this.gh.rest.pulls.requestReviewers({ ...this.repo, pull_number: n, reviewers, team_reviewers: teams })
  }

  async comment(n: number, body: string): Promise<void> {
    await call(`commenting on #${n}`, () => this.gh.rest.issues.createComment({ ...this.repo, issue_number: n, body }))
  }

  async comments(n: number): Promise<CommentSummary[]> {
    const { data } = await call(`reading the comments of #${n}`, () =>
      this.gh.rest.issues.listComments({ ...this.repo, issue_number: n, per_page: 100 })
    )
    return data.map((c) => ({ id: c.id, body: c.body ?? '' }))
  }

  async addLabels(n: number, labels: string[]): Promise<void> {
    await call(`labelling #${n}`, () => this.gh.rest.issues.addLabels({ ...this.repo, issue_number: n, labels }))
  }

  async addAssignees(n: number, assignees: string[]): Promise<void> {
    await call(`assigning #${n}`, () => this.gh.rest.issues.addAssignees({ ...this.repo, issue_number: n, assignees }))
  }

  async setMilestone(n: number, milestone: number): Promise<void> {
    await call(`setting the milestone of #${n}`, () =>
      this.gh.rest.issues.update({ ...this.repo, issue_number: n, milestone })
    )
  }

  /** Takes a pull request out of draft (GraphQL only: REST cannot change `draft`). */
  async markReadyForReview(n: number, nodeId: string): Promise<void> {
    await call(`marking #${n} ready for review`, () =>
      this.gh.graphql(MARK_READY, { input: { pullRequestId: nodeId } })
    )
  }

  /** GitHub's auto-merge (GraphQL only). Resolves to GitHub's error text when it refused, undefined when enabled. */
  async enableAutoMerge(nodeId: string, method: string): Promise<string | undefined> {
    try {
      await this.gh.graphql(ENABLE_AUTO_MERGE, { input: { pullRequestId: nodeId, mergeMethod: method.toUpperCase() } })
      return undefined
    } catch (err) {
      const errors = (err as { errors?: Array<{ message: string }> }).errors
      return errors?.map((e) => e.message).join('; ') ?? apiMessage(err)
    }
  }
}

const MARK_READY = `mutation markPullRequestReadyForReview($input: MarkPullRequestReadyForReviewInput!) {
  markPullRequestReadyForReview(input: $input) { pullRequest { number isDraft } }
}`

const ENABLE_AUTO_MERGE = `mutation enablePullRequestAutoMerge($input: EnablePullRequestAutoMergeInput!) {
  enablePullRequestAutoMerge(input: $input) { pullRequest { number autoMergeRequest { mergeMethod } } }
}`
