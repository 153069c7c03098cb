/** The contract between the pipeline (action / CLI) and delivery: what to write, where, and what happened. */

/** A file's wanted content on the target branch; `content: null` deletes it. Paths are repository-relative, `/`-separated. */
export interface FileChange {
  path: string
  content: string | null
}

export interface RepoRef {
  owner: string
  repo: string
}

export type MergeMethod = 'merge' | 'squash' | 'rebase'

export interface DeliveryRequest {
  /** The complete wanted state of every file this group touches (not a diff against anything). */
  files: FileChange[]
  /** The group's key (e.g. `web`), for logs and results; the branch is its identity on GitHub. */
  group: string
  /** PR title and body (pull-request mode). */
  title: string
  body: string
  commitMessage: string
  labels?: string[]
  /** Users (`octocat`) or teams (`org/team-slug`). */
  reviewers?: string[]
  assignees?: string[]
  /** Let maintainers of the base repository push to the head (only meaningful for a fork's branch). */
  maintainerCanModify?: boolean
  /** Open the PR as a draft (only when creating it: a PR someone marked ready stays ready). */
  draft?: boolean
  /**
   * The PR only waits for a soak (min-age): nothing moves yet, it carries the first sight. Opened as a draft; a later
   * request without it (the soak is over) rebuilds the branch and marks the PR ready unless `draft` is set.
   */
  waiting?: boolean
  /** Enable GitHub auto-merge with this method (needs "Allow auto-merge" on the repository). */
  autoMerge?: MergeMethod
  /** Milestone number to set on the PR. */
  milestone?: number
  /** When an open PR's branch is rebuilt although its content is still right (default conflicted). */
  rebaseWhen?: RebaseWhen
  /** `[ns/]stream:tag@digest` items the PR proposes (recorded in its body; what a decline is about). */
  proposal?: string[]
  /** Commit identity; without them GitHub signs the commit as the token's identity. */
  author?: Identity
  committer?: Identity
  /** The branch the change lands on (commit mode) or the PR targets (pull-request mode). */
  baseBranch: string
  /** The PR head branch, deterministic per group (e.g. `imagestream/web`). Unused in commit mode. */
  branch: string
  /**
   * The base commit `files` were computed from (e.g. the checked-out sha). In commit mode, when the branch head is
   * elsewhere, `rebuild` is called before the first attempt so a stale computation is never committed.
   */
  baseSha?: string
}

export type DeliveryOperation = 'created' | 'updated' | 'closed' | 'committed' | 'none' | 'held'

/**
 * conflicted: rebuild an open PR's branch on the base only when the base changed a file the PR changes;
 * behind: whenever the base moved; never: only when the proposed tags move (or someone asks in the PR).
 */
export type RebaseWhen = 'conflicted' | 'behind' | 'never'

export interface Identity {
  name: string
  email: string
}

export interface DeliveryResult {
  operation: DeliveryOperation
  group: string
  /** PR number and URL (pull-request mode, when a PR exists or was closed). */
  number?: number
  url?: string
  /** The commit now at the head of the written branch (PR branch, or base branch in commit mode). */
  sha?: string
  branch?: string
  /** GitHub's signature verification of the commit delivery created (undefined when no commit was made). */
  verified?: boolean
  /** Non-fatal problems (auto-merge not allowed, reviewer not requestable, draft unsupported, body truncated). */
  warnings: string[]
}

/** The base branch as it is now, handed to `rebuild` so the caller can re-apply its change on top of it. */
export interface BaseSnapshot {
  /** The head commit sha the change will be committed on. */
  sha: string
  /** Current content of the paths of the previous attempt (null = absent). */
  files: ReadonlyMap<string, string | null>
  /** Reads any other file at this commit (null = absent). */
  read(path: string): Promise<string | null>
}

export type Rebuild = (base: BaseSnapshot) => FileChange[] | Promise<FileChange[]>

export interface DeliveryLogger {
  debug(message: string): void
  info(message: string): void
  warning(message: string): void
}

export const silentLogger: DeliveryLogger = { debug() {}, info() {}, warning() {} }

/** One pull request per stream (default), per stream tag, or one for everything. */
export type GroupBy = 'stream' | 'all' | 'tag'

/** What the user chose about pull requests and commits (the action's inputs, already validated). */
export interface DeliverySettings {
  group: GroupBy
  branchPrefix: string
  titleTemplate?: string
  commitMessageTemplate?: string
  labels: string[]
  /** Users (`octocat`). */
  reviewers: string[]
  /** Teams as `org/team-slug`. */
  teamReviewers: string[]
  assignees: string[]
  draft: boolean
  autoMerge?: MergeMethod
  rebaseWhen?: RebaseWhen
  /** create-pull-request's habits: a template around the generated body (`{changes}` marks where it goes). */
  bodyTemplate?: string
  author?: Identity
  committer?: Identity
  signoff?: boolean
  milestone?: number
  deleteBranch?: boolean
  maintainerCanModify?: boolean
}
