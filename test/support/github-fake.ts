/**
 * A stateful fake of the GitHub REST + GraphQL API on 127.0.0.1, for delivery tests.
 *
 * - State: repositories with a real git object store (blobs, trees, commits hashed as git does, see github-git.ts),
 *   refs, pull requests, labels, requested reviewers, assignees, issue comments, auto-merge.
 * - Contract: each route names the operation of GitHub's OpenAPI description it implements; every request body and
 *   every response body is validated against that operation (github-openapi.ts). Problems are recorded in
 *   `violations` (tests assert it is empty), never silently accepted.
 * - Observation: every request is recorded (`requests`, `writes()`), so a test can assert "no write happened".
 * - Limits: `secondaryLimitNext` answers the next content-creating requests as GitHub's secondary rate limit does
 *   (403, "You have exceeded a secondary rate limit", `retry-after`), on operations whose description documents a 403.
 *   Every request carries the time it arrived (`at`), so a test can measure a client's write rate.
 * - Races: `beforeNextRefUpdate` runs a hook (e.g. someone else pushing) just before the next ref update is applied.
 * - Behaviour mirrors GitHub where the delivery code depends on it: `PATCH git/refs` without `force` refuses a
 *   non-fast-forward with 422 "Update is not a fast forward"; creating a second open PR for the same head fails
 *   with 422 "A pull request already exists for …"; commits created without author/committer are signed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { GitObjectStore, typeOfMode, type PathChange, type Signature, type TreeMode } from './github-git.js'
import snappy from 'snappyjs'
import { openApiValidator, type OperationRef } from './github-openapi.js'

type Json = Record<string, unknown>

export interface RecordedRequest {
  method: string
  /** Path without the query string, as sent (percent-encoding kept). */
  path: string
  query: Record<string, string>
  body: unknown
  status: number
  /** `METHOD /spec/path` of the operation served, or `graphql <mutation|query> <field>`. */
  operation: string
  /** When it arrived (ms since the epoch). */
  at: number
}

export interface Violation {
  where: 'request' | 'response' | 'route' | 'graphql'
  operation: string
  status?: number
  errors: string[]
}

export interface FakePull {
  number: number
  id: number
  nodeId: string
  title: string
  body: string | null
  state: 'open' | 'closed'
  draft: boolean
  head: string
  base: string
  /** The head commit: follows the branch while open, frozen when closed or the branch is deleted. */
  headSha: string
  labels: string[]
  requestedReviewers: string[]
  requestedTeams: string[]
  assignees: string[]
  autoMerge: { mergeMethod: 'MERGE' | 'SQUASH' | 'REBASE' } | null
  createdAt: string
  updatedAt: string
  closedAt: string | null
  /** Set by `merge` (a test merging the PR as GitHub would). */
  mergedAt?: string | null
  milestone?: number | null
}

export interface FakeComment {
  id: number
  issue: number
  body: string
  createdAt: string
}

export interface FakeRepo {
  owner: string
  name: string
  id: number
  defaultBranch: string
  allowAutoMerge: boolean
  store: GitObjectStore
  /** Full ref name (`refs/heads/main`) → commit sha. */
  refs: Map<string, string>
  pulls: FakePull[]
  comments: FakeComment[]
  labels: Map<string, { id: number; color: string }>
  /** workflow_dispatch and repository_dispatch calls received, in order. */
  dispatches: FakeDispatch[]
}

export type FakeDispatch =
  | { kind: 'workflow_dispatch'; workflow: string; ref: string; inputs: Record<string, unknown> }
  | { kind: 'repository_dispatch'; eventType: string; clientPayload: Record<string, unknown> }
/** An artifact attestation as `GET /repos/{owner}/{repo}/attestations/{subject_digest}` lists it. */
interface FakeAttestation {
  digest: string
  bundle?: unknown
  /** The newer form: no inline bundle, a signed URL serving the bundle snappy-compressed. */
  bundleUrl?: string
}

export interface FakeGitHubOptions {
  /** When set, requests must carry it (`Authorization: token …` or `Bearer …`); others get 401. */
  token?: string
  /** Login of the token's user: authors PRs and signs commits. */
  login?: string
}

interface Route {
  method: string
  spec: string
  regex: RegExp
  params: string[]
  handle: (ctx: Ctx) => Reply
}

interface Ctx {
  repo: FakeRepo
  params: Record<string, string>
  query: Record<string, string>
  body: Json
}

interface Reply {
  status: number
  body?: unknown
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

const DOCS = 'https://docs.github.com/rest'
const SHA = /^[0-9a-f]{40}$/

export class FakeGitHub {
  readonly requests: RecordedRequest[] = []
  readonly violations: Violation[] = []
  private readonly repos = new Map<string, FakeRepo>()
  private readonly routes: Route[] = []
  private readonly refHooks: Array<{ key: string; hook: () => void | Promise<void> }> = []
  private readonly tamperers: Array<{ operation: string; fn: (body: unknown) => unknown }> = []
  private readonly secondaryLimits: number[] = []
  private readonly attestations = new Map<string, FakeAttestation[]>()
  private readonly attestationBlobs = new Map<string, Buffer>()
  /** Requests for attestation bundle URLs, and whether they carried an Authorization header (they must not). */
  readonly bundleUrlRequests: Array<{ path: string; authorization: boolean }> = []
  private server!: Server
  private nextId = 1000
  private clock = Date.UTC(2024, 4, 2, 9, 0, 0)
  readonly login: string
  url = ''

  private constructor(private readonly options: FakeGitHubOptions) {
    this.login = options.login ?? 'github-actions[bot]'
    this.defineRoutes()
  }

  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options)
    fake.server = createServer((req, res) => {
      fake.serve(req, res).catch((err: unknown) => {
        // A bug in the fake must fail the test loudly, not hang the client.
        fake.violations.push({
          where: 'route',
          operation: `${req.method} ${req.url}`,
          errors: [String((err as Error)?.stack ?? err)]
        })
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ message: 'fake GitHub crashed', documentation_url: DOCS }))
      })
    })
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve))
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`
    return fake
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  // ---------------------------------------------------------------- test-facing state

  /** Requests that change state: every non-GET, and GraphQL mutations. */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET' && !r.operation.startsWith('graphql query'))
  }

  clearLog(): void {
    this.requests.length = 0
  }

  /** Forgets requests, violations and every repository (between tests sharing one server). */
  reset(): void {
    this.requests.length = 0
    this.violations.length = 0
    this.repos.clear()
    this.refHooks.length = 0
    this.tamperers.length = 0
    this.secondaryLimits.length = 0
  }

  repo(owner: string, name: string): FakeRepo {
    const repo = this.repos.get(`${owner}/${name}`.toLowerCase())
    if (!repo) throw new Error(`fake has no repository ${owner}/${name}`)
    return repo
  }

  /**
   * Attests `bundle` for `digest` in owner/name: inline, or (`viaUrl`) behind a bundle_url serving it
   * snappy-compressed, as GitHub does since 2025 (`bundle: null`; the fake omits the key, because the OpenAPI
   * description in @octokit/openapi types `bundle` as a non-nullable object).
   */
  addAttestation(
    owner: string,
    name: string,
    digest: string,
    bundle: unknown,
    options: { viaUrl?: boolean } = {}
  ): void {
    const key = `${owner}/${name}`.toLowerCase()
    const list = this.attestations.get(key) ?? []
    if (options.viaUrl) {
      const id = String(this.nextId++)
      this.attestationBlobs.set(id, Buffer.from(snappy.compress(Buffer.from(JSON.stringify(bundle)))))
      list.push({ digest, bundleUrl: `${this.url}/_attestation-blobs/${id}?sig=signed-url` })
    } else list.push({ digest, bundle })
    this.attestations.set(key, list)
  }

  /** A repository whose default branch holds one commit with these files. */
  createRepo(owner: string, name: string, files: Record<string, string>, branch = 'main'): FakeRepo {
    const repo = this.newRepo(owner, name, branch)
    const tree = repo.store.applyChanges(
      undefined,
      Object.entries(files).map(([path, content]) => ({
        path,
        mode: '100644' as const,
        type: 'blob' as const,
        sha: repo.store.putBlob(content)
      }))
    )
    repo.refs.set(
      `refs/heads/${branch}`,
      this.writeCommit(repo, tree, [], 'Initial commit', { name: 'Seed', email: 'seed@example.com' })
    )
    return repo
  }

  /** A repository holding every object and branch of a real local git repository. */
  importRepo(owner: string, name: string, dir: string, defaultBranch = 'main'): FakeRepo {
    const repo = this.newRepo(owner, name, defaultBranch)
    for (const [ref, sha] of repo.store.importFromGit(dir)) repo.refs.set(ref, sha)
    return repo
  }

  branchSha(owner: string, name: string, branch: string): string | undefined {
    return this.repo(owner, name).refs.get(`refs/heads/${branch}`)
  }

  /** A file's text at a branch or commit, or undefined when absent. */
  fileAt(owner: string, name: string, branchOrSha: string, path: string): string | undefined {
    const repo = this.repo(owner, name)
    const commit = repo.store.commit(
      SHA.test(branchOrSha) ? branchOrSha : (repo.refs.get(`refs/heads/${branchOrSha}`) ?? '')
    )
    if (!commit) throw new Error(`no commit for ${branchOrSha}`)
    const entry = repo.store.flatten(commit.tree).get(path)
    return entry?.type === 'blob' ? repo.store.blob(entry.sha)!.toString('utf8') : undefined
  }

  commit(owner: string, name: string, sha: string) {
    return this.repo(owner, name).store.commit(sha)
  }

  /** Someone else pushes a commit (files: content, or null to delete) onto a branch. Returns the new sha. */
  push(
    owner: string,
    name: string,
    branch: string,
    files: Record<string, string | null>,
    message = 'Concurrent change'
  ): string {
    const repo = this.repo(owner, name)
    const ref = `refs/heads/${branch}`
    const parent = repo.refs.get(ref)
    if (!parent) throw new Error(`no branch ${branch}`)
    const tree = repo.store.applyChanges(
      repo.store.commit(parent)!.tree,
      Object.entries(files).map(([path, content]) => ({
        path,
        mode: '100644' as const,
        type: 'blob' as const,
        sha: content === null ? null : repo.store.putBlob(content)
      }))
    )
    const sha = this.writeCommit(repo, tree, [parent], message, { name: 'Someone Else', email: 'else@example.com' })
    repo.refs.set(ref, sha)
    return sha
  }

  /** Runs `hook` once, right before the next `PATCH git/refs/heads/<branch>` of that repository is applied. */
  beforeNextRefUpdate(owner: string, name: string, branch: string, hook: () => void | Promise<void>): void {
    this.refHooks.push({ key: `${owner}/${name}/heads/${branch}`.toLowerCase(), hook })
  }

  /**
   * The next `count` content-creating requests (REST POST/PATCH/PUT/DELETE on an operation that documents a 403) are
   * refused as GitHub refuses work over its secondary rate limit: 403, its message, `retry-after: <seconds>`
   * (docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit).
   */
  secondaryLimitNext(retryAfterSeconds: number, count = 1): void {
    for (let i = 0; i < count; i++) this.secondaryLimits.push(retryAfterSeconds)
  }

  /** Self-test aid: rewrites the next response body of an operation (`'GET /repos/{owner}/{repo}/git/ref/{ref}'`). */
  tamperNextResponse(operation: string, fn: (body: unknown) => unknown): void {
    this.tamperers.push({ operation, fn })
  }

  pulls(owner: string, name: string): FakePull[] {
    return this.repo(owner, name).pulls
  }

  /** A person closes (state closed) or reopens (open) a pull request, or merges it (its head lands on the base). */
  setPullState(owner: string, name: string, n: number, state: 'open' | 'closed' | 'merged'): void {
    const repo = this.repo(owner, name)
    const p = repo.pulls.find((x) => x.number === n)
    if (!p) throw new Error(`no pull request #${n}`)
    this.livePull(repo, p)
    if (state === 'merged') {
      repo.refs.set(`refs/heads/${p.base}`, p.headSha)
      p.mergedAt = this.now()
    }
    p.state = state === 'open' ? 'open' : 'closed'
    p.closedAt = state === 'open' ? null : this.now()
    p.updatedAt = this.now()
  }

  // ---------------------------------------------------------------- HTTP plumbing

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://fake')
    const method = req.method ?? 'GET'
    const query = Object.fromEntries(url.searchParams)
    const at = Date.now()
    let body: unknown
    const send = (status: number, payload: unknown, operation: string, headers: Record<string, string> = {}): void => {
      this.requests.push({ method, path: url.pathname, query, body, status, operation, at })
      const text = payload === undefined ? '' : JSON.stringify(payload)
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        'x-github-request-id': `FAKE:${this.requests.length}`,
        ...headers
      })
      res.end(text)
    }
    try {
      body = raw ? JSON.parse(raw) : undefined
    } catch {
      send(400, { message: 'Problems parsing JSON', documentation_url: DOCS }, `${method} ${url.pathname}`)
      return
    }
    const blob = /^\/_attestation-blobs\/(\d+)$/.exec(url.pathname)
    if (blob && method === 'GET') {
      // A signed storage URL: not the API, no token wanted (GitHub's blob storage ignores or rejects one).
      this.bundleUrlRequests.push({ path: url.pathname, authorization: req.headers.authorization !== undefined })
      const bytes = this.attestationBlobs.get(blob[1]!)
      res.writeHead(bytes ? 200 : 404, { 'content-type': 'application/octet-stream' })
      res.end(bytes ?? '')
      return
    }
    if (this.options.token) {
      const auth = req.headers.authorization ?? ''
      if (auth !== `token ${this.options.token}` && auth !== `Bearer ${this.options.token}`) {
        send(401, { message: 'Bad credentials', documentation_url: DOCS }, `${method} ${url.pathname}`)
        return
      }
    }
    if (method === 'POST' && url.pathname === '/graphql') {
      const { status, payload, operation } = this.graphql(body as Json)
      send(status, payload, operation)
      return
    }
    for (const route of this.routes) {
      if (route.method !== method) continue
      const m = route.regex.exec(url.pathname)
      if (!m) continue
      const params: Record<string, string> = {}
      route.params.forEach((p, i) => (params[p] = decodeURIComponent(m[i + 1])))
      const op: OperationRef = { method, path: route.spec }
      const operation = `${method} ${route.spec}`
      const reqErrors = openApiValidator().validateRequest(op, body)
      if (reqErrors.length) this.violations.push({ where: 'request', operation, errors: reqErrors })
      if (this.secondaryLimits.length > 0 && method !== 'GET' && this.documents(op, 403)) {
        const retryAfter = this.secondaryLimits.shift()!
        const limited = {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
            'If you reach out to GitHub Support for help, please include the request ID FAKE.',
          documentation_url: `${DOCS}/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
          status: '403'
        }
        const resErrors = openApiValidator().validateResponse(op, 403, limited)
        if (resErrors.length) this.violations.push({ where: 'response', operation, status: 403, errors: resErrors })
        send(403, limited, operation, { 'retry-after': String(retryAfter) })
        return
      }
      let reply: Reply
      try {
        reply = await this.dispatch(route, params, query, body)
      } catch (err) {
        if (!(err instanceof HttpError)) throw err
        reply = {
          status: err.status,
          body:
            err.status === 422
              ? { message: err.message, documentation_url: DOCS, status: '422' }
              : { message: err.message, documentation_url: DOCS, status: String(err.status) }
        }
      }
      const t = this.tamperers.findIndex((x) => x.operation === operation)
      if (t >= 0) reply.body = this.tamperers.splice(t, 1)[0].fn(reply.body)
      const resErrors = openApiValidator().validateResponse(op, reply.status, reply.body)
      if (resErrors.length)
        this.violations.push({ where: 'response', operation, status: reply.status, errors: resErrors })
      send(reply.status, reply.body, operation)
      return
    }
    this.violations.push({
      where: 'route',
      operation: `${method} ${url.pathname}`,
      errors: ['the fake does not implement this endpoint']
    })
    send(404, { message: 'Not Found', documentation_url: DOCS }, `${method} ${url.pathname}`)
  }

  private async dispatch(
    route: Route,
    params: Record<string, string>,
    query: Record<string, string>,
    body: unknown
  ): Promise<Reply> {
    const repo = this.repos.get(`${params.owner}/${params.repo}`.toLowerCase())
    if (!repo) throw new HttpError(404, 'Not Found')
    if (route.method === 'PATCH' && route.spec.endsWith('/git/refs/{ref}')) {
      const i = this.refHooks.findIndex((h) => h.key === `${params.owner}/${params.repo}/${params.ref}`.toLowerCase())
      if (i >= 0) await this.refHooks.splice(i, 1)[0].hook()
    }
    return route.handle({ repo, params, query, body: (body ?? {}) as Json })
  }

  /** Whether GitHub's description of the operation lists `status` among its responses. */
  private documents(op: OperationRef, status: number): boolean {
    const responses = (openApiValidator().operation(op).responses ?? {}) as Record<string, unknown>
    return Object.hasOwn(responses, String(status))
  }

  private route(method: string, spec: string, handle: (ctx: Ctx) => Reply): void {
    openApiValidator().operation({ method, path: spec }) // a route GitHub does not document is a bug in the fake
    const params: string[] = []
    // `{ref}` spans slashes (heads/feature/x); other parameters are one segment.
    const pattern = spec.replace(/\{(\w+)\}/g, (_, name: string) => {
      params.push(name)
      return name === 'ref' ? '(.+)' : '([^/]+)'
    })
    this.routes.push({ method, spec, regex: new RegExp(`^${pattern}$`), params, handle })
  }

  // ---------------------------------------------------------------- object builders (shapes from the spec)

  private now(): string {
    this.clock += 1000
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z')
  }

  private newRepo(owner: string, name: string, defaultBranch: string): FakeRepo {
    const repo: FakeRepo = {
      owner,
      name,
      id: this.nextId++,
      defaultBranch,
      allowAutoMerge: true,
      store: new GitObjectStore(),
      refs: new Map(),
      pulls: [],
      comments: [],
      labels: new Map(),
      dispatches: []
    }
    this.repos.set(`${owner}/${name}`.toLowerCase(), repo)
    return repo
  }

  private writeCommit(
    repo: FakeRepo,
    tree: string,
    parents: string[],
    message: string,
    author?: { name: string; email: string }
  ): string {
    const time = Math.floor(this.clock / 1000)
    this.clock += 1000
    const sig = (who: { name: string; email: string }): Signature => ({ ...who, time, tz: '+0000' })
    const bot = { name: this.login, email: `41898282+${this.login}@users.noreply.github.com` }
    return repo.store.putCommit({
      tree,
      parents,
      author: sig(author ?? bot),
      committer: sig(author ?? { name: 'GitHub', email: 'noreply@github.com' }),
      message,
      // GitHub signs commits made through the API without custom author/committer information.
      gpgsig: author ? undefined : '-----BEGIN PGP SIGNATURE-----\n\nfake-signature\n-----END PGP SIGNATURE-----'
    })
  }

  private api(repo: FakeRepo, rest: string): string {
    return `${this.url}/repos/${repo.owner}/${repo.name}${rest}`
  }

  private html(repo: FakeRepo, rest: string): string {
    return `${this.url}/${repo.owner}/${repo.name}${rest}`
  }

  private user(login: string, type = login.endsWith('[bot]') ? 'Bot' : 'User'): Json {
    const u = `${this.url}/users/${encodeURIComponent(login)}`
    return {
      login,
      id: [...login].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1e9, 7),
      node_id: `U_${Buffer.from(login).toString('base64url')}`,
      avatar_url: `${this.url}/avatars/${encodeURIComponent(login)}`,
      gravatar_id: '',
      url: u,
      html_url: `${this.url}/${encodeURIComponent(login)}`,
      followers_url: `${u}/followers`,
      following_url: `${u}/following{/other_user}`,
      gists_url: `${u}/gists{/gist_id}`,
      starred_url: `${u}/starred{/owner}{/repo}`,
      subscriptions_url: `${u}/subscriptions`,
      organizations_url: `${u}/orgs`,
      repos_url: `${u}/repos`,
      events_url: `${u}/events{/privacy}`,
      received_events_url: `${u}/received_events`,
      type,
      site_admin: false
    }
  }

  private team(org: string, slug: string): Json {
    const u = `${this.url}/orgs/${org}/teams/${slug}`
    return {
      id: [...slug].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1e9, 11),
      node_id: `T_${slug}`,
      url: u,
      members_url: `${u}/members{/member}`,
      name: slug,
      slug,
      description: null,
      permission: 'pull',
      privacy: 'closed',
      html_url: `${this.url}/orgs/${org}/teams/${slug}`,
      repositories_url: `${u}/repos`,
      parent: null,
      type: 'organization'
    }
  }

  private repository(repo: FakeRepo): Json {
    const a = this.api(repo, '')
    const when = new Date(Date.UTC(2024, 0, 1)).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const tmpl = (name: string, suffix: string) => [`${name}_url`, `${a}/${suffix}`] as const
    return {
      id: repo.id,
      node_id: `R_${repo.id}`,
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      owner: this.user(repo.owner, 'Organization'),
      private: false,
      html_url: this.html(repo, ''),
      description: null,
      fork: false,
      url: a,
      ...Object.fromEntries([
        tmpl('archive', '{archive_format}{/ref}'),
        tmpl('assignees', 'assignees{/user}'),
        tmpl('blobs', 'git/blobs{/sha}'),
        tmpl('branches', 'branches{/branch}'),
        tmpl('collaborators', 'collaborators{/collaborator}'),
        tmpl('comments', 'comments{/number}'),
        tmpl('commits', 'commits{/sha}'),
        tmpl('compare', 'compare/{base}...{head}'),
        tmpl('contents', 'contents/{+path}'),
        tmpl('contributors', 'contributors'),
        tmpl('deployments', 'deployments'),
        tmpl('downloads', 'downloads'),
        tmpl('events', 'events'),
        tmpl('forks', 'forks'),
        tmpl('git_commits', 'git/commits{/sha}'),
        tmpl('git_refs', 'git/refs{/sha}'),
        tmpl('git_tags', 'git/tags{/sha}'),
        tmpl('hooks', 'hooks'),
        tmpl('issue_comment', 'issues/comments{/number}'),
        tmpl('issue_events', 'issues/events{/number}'),
        tmpl('issues', 'issues{/number}'),
        tmpl('keys', 'keys{/key_id}'),
        tmpl('labels', 'labels{/name}'),
        tmpl('languages', 'languages'),
        tmpl('merges', 'merges'),
        tmpl('milestones', 'milestones{/number}'),
        tmpl('notifications', 'notifications{?since,all,participating}'),
        tmpl('pulls', 'pulls{/number}'),
        tmpl('releases', 'releases{/id}'),
        tmpl('stargazers', 'stargazers'),
        tmpl('statuses', 'statuses/{sha}'),
        tmpl('subscribers', 'subscribers'),
        tmpl('subscription', 'subscription'),
        tmpl('tags', 'tags'),
        tmpl('teams', 'teams'),
        tmpl('trees', 'git/trees{/sha}')
      ]),
      git_url: `git://127.0.0.1/${repo.owner}/${repo.name}.git`,
      ssh_url: `git@127.0.0.1:${repo.owner}/${repo.name}.git`,
      clone_url: `${this.html(repo, '')}.git`,
      svn_url: this.html(repo, ''),
      mirror_url: null,
      homepage: null,
      language: null,
      forks: 0,
      forks_count: 0,
      stargazers_count: 0,
      watchers_count: 0,
      watchers: 0,
      size: 1,
      default_branch: repo.defaultBranch,
      open_issues: repo.pulls.filter((p) => p.state === 'open').length,
      open_issues_count: repo.pulls.filter((p) => p.state === 'open').length,
      is_template: false,
      topics: [],
      has_issues: true,
      has_projects: false,
      has_wiki: false,
      has_pages: false,
      has_downloads: true,
      archived: false,
      disabled: false,
      visibility: 'public',
      pushed_at: when,
      created_at: when,
      updated_at: when,
      allow_auto_merge: repo.allowAutoMerge,
      license: null
    }
  }

  private label(repo: FakeRepo, name: string): Json {
    let l = repo.labels.get(name)
    if (!l) {
      l = { id: this.nextId++, color: 'ededed' }
      repo.labels.set(name, l)
    }
    return {
      id: l.id,
      node_id: `LA_${l.id}`,
      url: this.api(repo, `/labels/${encodeURIComponent(name)}`),
      name,
      // pull-request-simple declares a non-null string here (label allows null): '' satisfies both.
      description: '',
      color: l.color,
      default: false
    }
  }

  private livePull(repo: FakeRepo, p: FakePull): FakePull {
    if (p.state === 'open') p.headSha = repo.refs.get(`refs/heads/${p.head}`) ?? p.headSha
    return p
  }

  private pull(repo: FakeRepo, raw: FakePull, full: boolean): Json {
    const p = this.livePull(repo, raw)
    const self = this.api(repo, `/pulls/${p.number}`)
    const issue = this.api(repo, `/issues/${p.number}`)
    const html = this.html(repo, `/pull/${p.number}`)
    const branch = (ref: string, sha: string) => ({
      label: `${repo.owner}:${ref}`,
      ref,
      sha,
      repo: this.repository(repo),
      user: this.user(repo.owner, 'Organization')
    })
    const out: Json = {
      url: self,
      id: p.id,
      node_id: p.nodeId,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issue,
      commits_url: `${self}/commits`,
      review_comments_url: `${self}/comments`,
      review_comment_url: this.api(repo, '/pulls/comments{/number}'),
      comments_url: `${issue}/comments`,
      statuses_url: this.api(repo, `/statuses/${p.headSha}`),
      number: p.number,
      state: p.state,
      locked: false,
      title: p.title,
      user: this.user(this.login),
      body: p.body,
      labels: p.labels.map((l) => this.label(repo, l)),
      milestone: p.milestone ? this.milestone(repo, p.milestone) : null,
      active_lock_reason: null,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
      closed_at: p.closedAt,
      merged_at: p.mergedAt ?? null,
      merge_commit_sha: null,
      assignee: p.assignees.length ? this.user(p.assignees[0]) : null,
      assignees: p.assignees.map((a) => this.user(a)),
      requested_reviewers: p.requestedReviewers.map((r) => this.user(r)),
      requested_teams: p.requestedTeams.map((t) => this.team(repo.owner, t)),
      head: branch(p.head, p.headSha),
      base: branch(p.base, repo.refs.get(`refs/heads/${p.base}`) ?? p.headSha),
      _links: {
        self: { href: self },
        html: { href: html },
        issue: { href: issue },
        comments: { href: `${issue}/comments` },
        review_comments: { href: `${self}/comments` },
        review_comment: { href: this.api(repo, '/pulls/comments{/number}') },
        commits: { href: `${self}/commits` },
        statuses: { href: this.api(repo, `/statuses/${p.headSha}`) }
      },
      author_association: 'CONTRIBUTOR',
      auto_merge: p.autoMerge
        ? {
            enabled_by: this.user(this.login),
            merge_method: p.autoMerge.mergeMethod.toLowerCase(),
            commit_title: p.title,
            commit_message: ''
          }
        : null,
      draft: p.draft
    }
    if (full) {
      Object.assign(out, {
        merged: false,
        mergeable: true,
        rebaseable: true,
        mergeable_state: 'clean',
        merged_by: null,
        comments: repo.comments.filter((c) => c.issue === p.number).length,
        review_comments: 0,
        maintainer_can_modify: false,
        commits: 1,
        additions: 1,
        deletions: 1,
        changed_files: 1
      })
    }
    return out
  }

  private issue(repo: FakeRepo, p: FakePull): Json {
    const self = this.api(repo, `/issues/${p.number}`)
    return {
      id: p.id,
      node_id: p.nodeId,
      url: self,
      repository_url: this.api(repo, ''),
      labels_url: `${self}/labels{/name}`,
      comments_url: `${self}/comments`,
      events_url: `${self}/events`,
      html_url: this.html(repo, `/pull/${p.number}`),
      number: p.number,
      state: p.state,
      title: p.title,
      body: p.body,
      user: this.user(this.login),
      labels: p.labels.map((l) => this.label(repo, l)),
      assignee: p.assignees.length ? this.user(p.assignees[0]) : null,
      assignees: p.assignees.map((a) => this.user(a)),
      milestone: null,
      locked: false,
      comments: repo.comments.filter((c) => c.issue === p.number).length,
      pull_request: {
        url: this.api(repo, `/pulls/${p.number}`),
        html_url: this.html(repo, `/pull/${p.number}`),
        diff_url: null,
        patch_url: null
      },
      closed_at: p.closedAt,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
      author_association: 'CONTRIBUTOR'
    }
  }

  private milestone(repo: FakeRepo, n: number): Json {
    const when = new Date(Date.UTC(2024, 0, 1)).toISOString().replace(/\.\d{3}Z$/, 'Z')
    return {
      url: this.api(repo, `/milestones/${n}`),
      html_url: this.html(repo, `/milestone/${n}`),
      labels_url: this.api(repo, `/milestones/${n}/labels`),
      id: 5000 + n,
      node_id: `MI_${n}`,
      number: n,
      state: 'open',
      title: `Milestone ${n}`,
      description: null,
      creator: this.user(repo.owner, 'Organization'),
      open_issues: 1,
      closed_issues: 0,
      created_at: when,
      updated_at: when,
      closed_at: null,
      due_on: null
    }
  }

  private gitRef(repo: FakeRepo, ref: string): Json {
    const sha = repo.refs.get(ref)!
    return {
      ref,
      node_id: `REF_${Buffer.from(ref).toString('base64url')}`,
      url: this.api(repo, `/git/${ref}`),
      object: { type: 'commit', sha, url: this.api(repo, `/git/commits/${sha}`) }
    }
  }

  private gitCommit(repo: FakeRepo, sha: string): Json {
    const c = repo.store.commit(sha)!
    const person = (s: Signature) => ({
      name: s.name,
      email: s.email,
      date: new Date(s.time * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    })
    return {
      sha,
      node_id: `C_${sha}`,
      url: this.api(repo, `/git/commits/${sha}`),
      html_url: this.html(repo, `/commit/${sha}`),
      author: person(c.author),
      committer: person(c.committer),
      message: c.message,
      tree: { sha: c.tree, url: this.api(repo, `/git/trees/${c.tree}`) },
      parents: c.parents.map((p) => ({
        sha: p,
        url: this.api(repo, `/git/commits/${p}`),
        html_url: this.html(repo, `/commit/${p}`)
      })),
      verification: c.signed
        ? {
            verified: true,
            reason: 'valid',
            signature: 'fake-signature',
            payload: 'fake-payload',
            verified_at: this.now()
          }
        : { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null }
    }
  }

  private gitTree(repo: FakeRepo, sha: string, recursive: boolean): Json {
    const entries = recursive
      ? [...repo.store.flatten(sha)].map(([path, e]) => ({ path, ...e }))
      : repo.store.tree(sha)!.map((e) => ({ path: e.name, mode: e.mode, type: typeOfMode(e.mode), sha: e.sha }))
    return {
      sha,
      url: this.api(repo, `/git/trees/${sha}`),
      truncated: false,
      tree: entries.map((e) => ({
        path: e.path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(e.type === 'blob'
          ? { size: repo.store.blob(e.sha)!.length, url: this.api(repo, `/git/blobs/${e.sha}`) }
          : {}),
        ...(e.type === 'tree' ? { url: this.api(repo, `/git/trees/${e.sha}`) } : {})
      }))
    }
  }

  private comment(repo: FakeRepo, c: FakeComment): Json {
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: this.api(repo, `/issues/comments/${c.id}`),
      html_url: `${this.html(repo, `/pull/${c.issue}`)}#issuecomment-${c.id}`,
      issue_url: this.api(repo, `/issues/${c.issue}`),
      body: c.body,
      user: this.user(this.login),
      created_at: c.createdAt,
      updated_at: c.createdAt,
      author_association: 'CONTRIBUTOR'
    }
  }

  private findPull(repo: FakeRepo, n: string): FakePull {
    const p = repo.pulls.find((x) => x.number === Number(n))
    if (!p) throw new HttpError(404, 'Not Found')
    return p
  }

  // ---------------------------------------------------------------- REST routes

  private defineRoutes(): void {
    const R = '/repos/{owner}/{repo}'

    this.route('GET', `${R}/attestations/{subject_digest}`, ({ repo, params }) => {
      const list = (this.attestations.get(`${repo.owner}/${repo.name}`.toLowerCase()) ?? []).filter(
        (a) => a.digest === params.subject_digest
      )
      // No attestations: the OpenAPI description documents only 200 here, so an empty list (the client also takes a
      // 404, which GitHub has answered for unknown digests).
      return {
        status: 200,
        body: {
          attestations: list.map((a) => ({
            ...(a.bundle ? { bundle: a.bundle } : {}),
            ...(a.bundleUrl ? { bundle_url: a.bundleUrl } : {}),
            repository_id: repo.id
          }))
        }
      }
    })

    this.route('GET', `${R}/git/ref/{ref}`, ({ repo, params }) => {
      const ref = `refs/${params.ref}`
      if (!repo.refs.has(ref)) throw new HttpError(404, 'Not Found')
      return { status: 200, body: this.gitRef(repo, ref) }
    })

    this.route('POST', `${R}/git/refs`, ({ repo, body }) => {
      const ref = String(body.ref)
      const sha = String(body.sha)
      if (!/^refs\/.+/.test(ref) || ref.split('/').length < 3)
        throw new HttpError(422, `${ref} is not a valid ref name.`)
      if (!repo.store.has(sha, 'commit')) throw new HttpError(422, 'Object does not exist')
      if (repo.refs.has(ref)) throw new HttpError(422, 'Reference already exists')
      repo.refs.set(ref, sha)
      return { status: 201, body: this.gitRef(repo, ref) }
    })

    this.route('PATCH', `${R}/git/refs/{ref}`, ({ repo, params, body }) => {
      const ref = `refs/${params.ref}`
      const current = repo.refs.get(ref)
      const sha = String(body.sha)
      if (!current) throw new HttpError(422, 'Reference does not exist')
      if (!repo.store.has(sha, 'commit')) throw new HttpError(422, 'Object does not exist')
      if (body.force !== true && !repo.store.isAncestor(current, sha))
        throw new HttpError(422, 'Update is not a fast forward')
      repo.refs.set(ref, sha)
      return { status: 200, body: this.gitRef(repo, ref) }
    })

    this.route('DELETE', `${R}/git/refs/{ref}`, ({ repo, params }) => {
      const ref = `refs/${params.ref}`
      if (!repo.refs.has(ref)) throw new HttpError(422, 'Reference does not exist')
      for (const p of repo.pulls) this.livePull(repo, p) // freeze head shas before the branch goes
      repo.refs.delete(ref)
      for (const p of repo.pulls) {
        if (p.state === 'open' && `refs/heads/${p.head}` === ref) {
          // GitHub closes a PR whose head branch is deleted.
          p.state = 'closed'
          p.closedAt = p.updatedAt = this.now()
        }
      }
      return { status: 204 }
    })

    this.route('GET', `${R}/git/commits/{commit_sha}`, ({ repo, params }) => {
      if (!repo.store.has(params.commit_sha, 'commit')) throw new HttpError(404, 'Not Found')
      return { status: 200, body: this.gitCommit(repo, params.commit_sha) }
    })

    this.route('POST', `${R}/git/commits`, ({ repo, body }) => {
      const tree = String(body.tree)
      const parents = (body.parents as string[] | undefined) ?? []
      if (!repo.store.has(tree, 'tree')) throw new HttpError(422, 'Tree SHA does not exist')
      for (const p of parents)
        if (!repo.store.has(p, 'commit'))
          throw new HttpError(422, 'Parent SHA does not exist or is not a commit object')
      const author = body.author as { name: string; email: string } | undefined
      const sha = this.writeCommit(
        repo,
        tree,
        parents,
        String(body.message),
        author ?? (body.committer as typeof author)
      )
      return { status: 201, body: this.gitCommit(repo, sha) }
    })

    this.route('GET', `${R}/git/trees/{tree_sha}`, ({ repo, params, query }) => {
      let sha = params.tree_sha
      // GitHub accepts a commit sha or a branch name here and answers with its tree.
      const viaRef = repo.refs.get(`refs/heads/${sha}`)
      if (viaRef) sha = viaRef
      if (repo.store.has(sha, 'commit')) sha = repo.store.commit(sha)!.tree
      if (!repo.store.has(sha, 'tree')) throw new HttpError(404, 'Not Found')
      const recursive = query.recursive !== undefined && query.recursive !== '0' && query.recursive !== 'false'
      return { status: 200, body: this.gitTree(repo, sha, recursive) }
    })

    this.route('POST', `${R}/git/trees`, ({ repo, body }) => {
      const base = body.base_tree as string | undefined
      if (base !== undefined && !repo.store.has(base, 'tree')) throw new HttpError(404, 'Not Found')
      const changes: PathChange[] = []
      for (const e of (body.tree as Array<Json>) ?? []) {
        const path = String(e.path)
        if (
          !path ||
          path.startsWith('/') ||
          path.endsWith('/') ||
          path.split('/').some((s) => s === '' || s === '.' || s === '..')
        ) {
          throw new HttpError(422, `tree.path contains a malformed path component`)
        }
        if (e.content !== undefined && e.sha !== undefined)
          throw new HttpError(422, 'Only one of tree.sha or tree.content may be given')
        let sha: string | null
        if (e.content !== undefined) sha = repo.store.putBlob(String(e.content))
        else if (e.sha === null) sha = null
        else {
          sha = String(e.sha)
          if (typeOfMode(e.mode as TreeMode) !== 'commit' && !repo.store.has(sha))
            throw new HttpError(422, `tree.sha ${sha} is not a valid ${e.type}`)
        }
        changes.push({ path, mode: e.mode as TreeMode, type: e.type as PathChange['type'], sha })
      }
      const sha = repo.store.applyChanges(base, changes)
      return { status: 201, body: this.gitTree(repo, sha, false) }
    })

    this.route('GET', `${R}/git/blobs/{file_sha}`, ({ repo, params }) => {
      const content = repo.store.blob(params.file_sha)
      if (!content) throw new HttpError(404, 'Not Found')
      return {
        status: 200,
        body: {
          sha: params.file_sha,
          node_id: `B_${params.file_sha}`,
          url: this.api(repo, `/git/blobs/${params.file_sha}`),
          size: content.length,
          // GitHub wraps base64 at 60 columns; clients must cope.
          content: (content.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n',
          encoding: 'base64'
        }
      }
    })

    this.route('POST', `${R}/git/blobs`, ({ repo, body }) => {
      const encoding = (body.encoding as string | undefined) ?? 'utf-8'
      if (encoding !== 'utf-8' && encoding !== 'base64') throw new HttpError(422, `encoding must be utf-8 or base64`)
      const content =
        encoding === 'base64' ? Buffer.from(String(body.content), 'base64') : Buffer.from(String(body.content), 'utf8')
      const sha = repo.store.putBlob(content)
      return { status: 201, body: { url: this.api(repo, `/git/blobs/${sha}`), sha } }
    })

    this.route('GET', `${R}/pulls`, ({ repo, query }) => {
      const state = query.state ?? 'open'
      let list = repo.pulls.filter((p) => state === 'all' || p.state === state)
      if (query.head) {
        const [owner, branch] = query.head.includes(':') ? query.head.split(/:(.*)/s) : [repo.owner, query.head]
        list = list.filter((p) => owner.toLowerCase() === repo.owner.toLowerCase() && p.head === branch)
      }
      if (query.base) list = list.filter((p) => p.base === query.base)
      list = [...list].sort((a, b) => b.number - a.number)
      const perPage = Number(query.per_page ?? 30)
      const page = Number(query.page ?? 1)
      return {
        status: 200,
        body: list.slice((page - 1) * perPage, page * perPage).map((p) => this.pull(repo, p, false))
      }
    })

    this.route('POST', `${R}/pulls`, ({ repo, body }) => {
      const head = String(body.head).includes(':') ? String(body.head).split(':')[1] : String(body.head)
      const base = String(body.base)
      const headSha = repo.refs.get(`refs/heads/${head}`)
      const baseSha = repo.refs.get(`refs/heads/${base}`)
      if (!headSha || !baseSha) throw new HttpError(422, 'Validation Failed: head or base is not a branch')
      if (repo.pulls.some((p) => p.state === 'open' && p.head === head && p.base === base)) {
        throw new HttpError(422, `Validation Failed: A pull request already exists for ${repo.owner}:${head}.`)
      }
      if (repo.store.isAncestor(headSha, baseSha))
        throw new HttpError(422, `Validation Failed: No commits between ${base} and ${head}`)
      const now = this.now()
      const id = this.nextId++
      const p: FakePull = {
        number: repo.pulls.length + 1,
        id,
        nodeId: `PR_${id}`,
        title: String(body.title),
        body: (body.body as string | undefined) ?? null,
        state: 'open',
        draft: body.draft === true,
        head,
        base,
        headSha,
        labels: [],
        requestedReviewers: [],
        requestedTeams: [],
        assignees: [],
        autoMerge: null,
        createdAt: now,
        updatedAt: now,
        closedAt: null
      }
      repo.pulls.push(p)
      return { status: 201, body: this.pull(repo, p, true) }
    })

    this.route('GET', `${R}/pulls/{pull_number}`, ({ repo, params }) => ({
      status: 200,
      body: this.pull(repo, this.findPull(repo, params.pull_number), true)
    }))

    this.route('PATCH', `${R}/pulls/{pull_number}`, ({ repo, params, body }) => {
      const p = this.findPull(repo, params.pull_number)
      if (typeof body.title === 'string') p.title = body.title
      if (typeof body.body === 'string') p.body = body.body
      if (typeof body.base === 'string') p.base = body.base
      if (body.state === 'closed' && p.state === 'open') {
        this.livePull(repo, p)
        p.state = 'closed'
        p.closedAt = this.now()
      } else if (body.state === 'open' && p.state === 'closed') {
        if (!repo.refs.has(`refs/heads/${p.head}`))
          throw new HttpError(422, 'Validation Failed: head branch was deleted')
        p.state = 'open'
        p.closedAt = null
      }
      p.updatedAt = this.now()
      return { status: 200, body: this.pull(repo, p, true) }
    })

    this.route('GET', `${R}/pulls/{pull_number}/reviews`, ({ repo, params }) => {
      this.findPull(repo, params.pull_number)
      return { status: 200, body: [] }
    })

    this.route('POST', `${R}/pulls/{pull_number}/requested_reviewers`, ({ repo, params, body }) => {
      const p = this.findPull(repo, params.pull_number)
      const users = (body.reviewers as string[] | undefined) ?? []
      const teams = (body.team_reviewers as string[] | undefined) ?? []
      if (users.some((u) => u.toLowerCase() === this.login.toLowerCase())) {
        throw new HttpError(422, 'Review cannot be requested from pull request author.')
      }
      for (const u of users) if (!p.requestedReviewers.includes(u)) p.requestedReviewers.push(u)
      for (const t of teams) if (!p.requestedTeams.includes(t)) p.requestedTeams.push(t)
      p.updatedAt = this.now()
      return { status: 201, body: this.pull(repo, p, false) }
    })

    this.route('POST', `${R}/issues/{issue_number}/labels`, ({ repo, params, body }) => {
      const p = this.findPull(repo, params.issue_number)
      const labels = Array.isArray(body) ? body : ((body.labels as unknown[] | undefined) ?? [])
      for (const l of labels) {
        const name = typeof l === 'string' ? l : String((l as Json).name)
        if (!p.labels.includes(name)) p.labels.push(name)
      }
      p.updatedAt = this.now()
      return { status: 200, body: p.labels.map((l) => this.label(repo, l)) }
    })

    this.route('POST', `${R}/issues/{issue_number}/assignees`, ({ repo, params, body }) => {
      const p = this.findPull(repo, params.issue_number)
      for (const a of (body.assignees as string[] | undefined) ?? []) if (!p.assignees.includes(a)) p.assignees.push(a)
      p.updatedAt = this.now()
      return { status: 201, body: this.issue(repo, p) }
    })

    this.route('GET', `${R}/issues/{issue_number}/comments`, ({ repo, params }) => {
      const p = this.findPull(repo, params.issue_number)
      return { status: 200, body: repo.comments.filter((c) => c.issue === p.number).map((c) => this.comment(repo, c)) }
    })

    this.route('PATCH', `${R}/issues/{issue_number}`, ({ repo, params, body }) => {
      const p = this.findPull(repo, params.issue_number)
      if (body.milestone !== undefined) p.milestone = body.milestone === null ? null : Number(body.milestone)
      p.updatedAt = this.now()
      return { status: 200, body: this.issue(repo, p) }
    })

    // Workflows are not run: a dispatch is recorded, after the checks GitHub makes (the ref must exist; inputs are
    // strings or booleans/numbers; a repository_dispatch needs an event_type of 1-100 characters).
    this.route('POST', `${R}/actions/workflows/{workflow_id}/dispatches`, ({ repo, params, body }) => {
      const ref = String(body.ref ?? '')
      const full = ref.startsWith('refs/') ? ref : `refs/heads/${ref}`
      if (!repo.refs.has(full) && !repo.refs.has(`refs/tags/${ref}`))
        throw new HttpError(422, `No ref found for: ${ref}`)
      const inputs = (body.inputs ?? {}) as Record<string, unknown>
      if (Object.values(inputs).some((v) => typeof v === 'object'))
        throw new HttpError(422, 'Invalid input: inputs must be strings')
      repo.dispatches.push({ kind: 'workflow_dispatch', workflow: params.workflow_id, ref, inputs })
      return { status: 204 }
    })

    this.route('POST', `${R}/dispatches`, ({ repo, body }) => {
      repo.dispatches.push({
        kind: 'repository_dispatch',
        eventType: String(body.event_type),
        clientPayload: (body.client_payload ?? {}) as Record<string, unknown>
      })
      return { status: 204 }
    })

    this.route('POST', `${R}/issues/{issue_number}/comments`, ({ repo, params, body }) => {
      const p = this.findPull(repo, params.issue_number)
      const c: FakeComment = { id: this.nextId++, issue: p.number, body: String(body.body), createdAt: this.now() }
      repo.comments.push(c)
      return { status: 201, body: this.comment(repo, c) }
    })
  }

  // ---------------------------------------------------------------- GraphQL (only what delivery uses)

  private graphql(body: Json | undefined): { status: number; payload: unknown; operation: string } {
    const query = String(body?.query ?? '')
    const variables = (body?.variables ?? {}) as Json
    const kind = /^\s*mutation\b/.test(query) ? 'mutation' : 'query'
    const field = /\{\s*(\w+)/.exec(query)?.[1] ?? '?'
    const operation = `graphql ${kind} ${field}`
    const fail = (message: string, type = 'UNPROCESSABLE') => ({
      status: 200,
      payload: { data: null, errors: [{ type, message }] },
      operation
    })
    if (kind === 'mutation' && field === 'markPullRequestReadyForReview') {
      // GitHub's schema: MarkPullRequestReadyForReviewInput { pullRequestId: ID!, clientMutationId }; a pull request
      // that is not a draft is left as it is (no error), a closed one cannot be changed.
      const input = (variables.input ?? variables) as Json
      const id = String(input.pullRequestId)
      for (const repo of this.repos.values()) {
        const p = repo.pulls.find((x) => x.nodeId === id)
        if (!p) continue
        if (p.state !== 'open') return fail('Pull request is closed')
        p.draft = false
        const pullRequest = { number: p.number, isDraft: false }
        return { status: 200, payload: { data: { markPullRequestReadyForReview: { pullRequest } } }, operation }
      }
      return fail(`Could not resolve to a node with the global id of '${id}'`, 'NOT_FOUND')
    }
    if (kind === 'mutation' && field === 'enablePullRequestAutoMerge') {
      const input = (variables.input ?? variables) as Json
      const id = String(input.pullRequestId)
      const method = String(input.mergeMethod ?? 'MERGE')
      if (!['MERGE', 'SQUASH', 'REBASE'].includes(method)) return fail(`Invalid mergeMethod ${method}`)
      for (const repo of this.repos.values()) {
        const p = repo.pulls.find((x) => x.nodeId === id)
        if (!p) continue
        if (!repo.allowAutoMerge) return fail('Pull request Auto merge is not allowed for this repository')
        if (p.state !== 'open') return fail('Pull request is not in the correct state to enable auto-merge')
        p.autoMerge = { mergeMethod: method as 'MERGE' | 'SQUASH' | 'REBASE' }
        return {
          status: 200,
          payload: {
            data: {
              enablePullRequestAutoMerge: {
                pullRequest: { number: p.number, autoMergeRequest: { mergeMethod: method } }
              }
            }
          },
          operation
        }
      }
      return fail(`Could not resolve to a node with the global id of '${id}'`, 'NOT_FOUND')
    }
    this.violations.push({ where: 'graphql', operation, errors: [`the fake does not implement ${operation}`] })
    return fail(`the fake does not implement ${operation}`)
  }
}
