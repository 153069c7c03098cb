/**
 * The action's inputs → one validated settings object (as actions/checkout's input-helper does).
 * Pure: the caller passes a `getInput` (core.getInput in the action, a map in tests). Every problem is an
 * InputError that names the input, so the step fails with a message a person can act on.
 */
import {
  DEFAULT_BRANCH_PREFIX,
  DEFAULT_CONCURRENCY,
  DEFAULT_HISTORY_LIMIT,
  DEFAULT_MANIFEST_GLOB,
  DEFAULT_STREAM_GLOB
} from '../defaults.js'
import { isDigest, isValidBranchName, parseStreamTag } from '../reference/names.js'
import { parseReference } from '../reference/reference.js'
import { templateProblems } from '../report/messages.js'
import type { DeliverySettings, MergeMethod as AutoMerge } from '../delivery/index.js'
import { InputError } from '../util/errors.js'
import { parseShardSpec } from '../pipeline/shard-plan.js'
import { relativeGlobProblem } from '../util/glob.js'
import { readPullRequestSettings, withAliases, type PullRequestSettings } from './pull-request-settings.js'

export type Command = 'sync' | 'import' | 'apply-triggers' | 'tag' | 'rollback' | 'resume' | 'plan' | 'deliver'
export type DeliveryMode = 'pull-request' | 'commit' | 'none'
export type PinFormat = 'digest' | 'tag-digest'

/** The pull request choices delivery takes as they are (delivery/types.ts says what each means). */
type DeliveryChoices = Pick<
  DeliverySettings,
  | 'group'
  | 'branchPrefix'
  | 'titleTemplate'
  | 'commitMessageTemplate'
  | 'labels'
  | 'reviewers'
  | 'teamReviewers'
  | 'assignees'
  | 'draft'
  | 'autoMerge'
>

export interface Settings extends PullRequestSettings, DeliveryChoices {
  command: Command
  args: string[]
  /** `stream:tag` list to import now; `all` → every importable tag; empty → nothing forced. */
  images: { all: boolean; tags: string[] }
  streamsGlob: string
  manifestGlobs: { include: string[]; exclude: string[] }
  image?: string
  digest?: string
  delivery: DeliveryMode
  baseBranch?: string
  githubToken: string
  registryAuth?: string
  platform: { os: string; architecture: string; variant?: string }
  historyLimit: number
  concurrency: number
  pinFormat: PinFormat
  allowedRegistries: string[]
  /** command plan: how many shards at most. */
  shards: number
  /** A sharded run (`shard: i/N`): its result goes to a file, nothing is delivered. */
  shard?: { index: number; count: number; label: string }
  /** command deliver: the shard result files (paths or globs). */
  shardResults: string[]
}

export type GetInput = (name: string) => string

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[], fallback: T): T {
  if (value === '') return fallback
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new InputError(`must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`, { field: `input ${name}` })
}

function integer(name: string, value: string, fallback: number, min: number, max: number): number {
  if (value === '') return fallback
  if (!/^-?\d+$/.test(value))
    throw new InputError(`must be a whole number; got ${JSON.stringify(value)}`, { field: `input ${name}` })
  const n = Number(value)
  if (n < min || n > max)
    throw new InputError(`must be between ${min} and ${max}; got ${n}`, { field: `input ${name}` })
  return n
}

function boolean(name: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback
  if (/^true$/i.test(value)) return true
  if (/^false$/i.test(value)) return false
  throw new InputError(`must be true or false; got ${JSON.stringify(value)}`, { field: `input ${name}` })
}

/** Comma- or newline-separated list, trimmed, empties dropped. */
export function list(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

/** A relative glob that cannot reach outside the repository root. */
export function safeGlob(name: string, glob: string): string {
  const lines = glob.split(/\r?\n/).filter((l) => l.trim() !== '')
  const problem = lines.length === 0 ? relativeGlobProblem(glob) : lines.map(relativeGlobProblem).find(Boolean)
  if (problem) {
    throw new InputError(
      `must be a path relative to the repository root without '..' (it ${problem}); got ${JSON.stringify(glob)}`,
      {
        field: `input ${name}`
      }
    )
  }
  return glob
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/
const TEAM = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/

export function parsePlatform(name: string, value: string): Settings['platform'] {
  const parts = (value || 'linux/amd64').split('/')
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/.test(p))) {
    throw new InputError(`must be os/arch[/variant], e.g. linux/arm64/v8; got ${JSON.stringify(value)}`, {
      field: `input ${name}`
    })
  }
  return { os: parts[0], architecture: parts[1], ...(parts[2] ? { variant: parts[2] } : {}) }
}

export function readSettings(rawGetInput: GetInput): Settings {
  const getInput = withAliases(rawGetInput)
  const command = oneOf('command', getInput('command'), COMMANDS, 'sync')
  const args = splitWords(getInput('args'))
  if (['tag', 'rollback', 'resume'].includes(command) && args.length === 0) {
    throw new InputError(`is required for command ${command} (e.g. "web:prod --to-generation 3")`, {
      field: 'input args'
    })
  }
  const delivery = oneOf('delivery', getInput('delivery'), ['pull-request', 'commit', 'none'], 'pull-request')
  const githubToken = getInput('github-token')
  if (delivery !== 'none' && githubToken.trim() === '') {
    throw new InputError(
      `is required for delivery ${delivery} (the default \${{ github.token }} works when the job may write contents and pull requests)`,
      {
        field: 'input github-token'
      }
    )
  }
  const autoMergeRaw = getInput('auto-merge')
  return {
    command,
    args,
    images: readImages(getInput),
    streamsGlob: safeGlob('streams', getInput('streams') || DEFAULT_STREAM_GLOB),
    manifestGlobs: readManifestGlobs(getInput),
    ...readImageAndDigest(getInput),
    delivery,
    ...readBranches(getInput),
    group: oneOf('group', getInput('group'), ['stream', 'all', 'tag'], 'stream'),
    titleTemplate: template('title', getInput('title')),
    commitMessageTemplate: template('commit-message', getInput('commit-message')),
    ...readPeople(getInput),
    draft: boolean('draft', getInput('draft'), false),
    autoMerge:
      autoMergeRaw === ''
        ? undefined
        : oneOf<AutoMerge>('auto-merge', autoMergeRaw, ['merge', 'squash', 'rebase'], 'merge'),
    githubToken,
    registryAuth: getInput('registry-auth') || undefined,
    platform: parsePlatform('platform', getInput('platform')),
    historyLimit: integer('history-limit', getInput('history-limit'), DEFAULT_HISTORY_LIMIT, 1, 10000),
    concurrency: integer('concurrency', getInput('concurrency'), DEFAULT_CONCURRENCY, 1, 256),
    pinFormat: oneOf('pin-format', getInput('pin-format'), ['digest', 'tag-digest'], 'digest'),
    allowedRegistries: readAllowedRegistries(getInput),
    ...readScaleOut(getInput, command),
    ...readPullRequestSettings(getInput)
  }
}

const COMMANDS: readonly Command[] = [
  'sync',
  'import',
  'apply-triggers',
  'tag',
  'rollback',
  'resume',
  'plan',
  'deliver'
]

/** Scale-out (docs/scale-out.md): `plan`'s shard count, a run's `shard` (i/N), `deliver`'s shard result files. */
function readScaleOut(getInput: GetInput, command: Command): Pick<Settings, 'shards' | 'shard' | 'shardResults'> {
  const shardText = getInput('shard').trim()
  let shard: Settings['shard']
  if (shardText) {
    if (!['sync', 'import', 'apply-triggers'].includes(command)) {
      throw new InputError(`applies to sync, import and apply-triggers, not ${command}`, { field: 'input shard' })
    }
    try {
      shard = { ...parseShardSpec(shardText), label: shardText }
    } catch (err) {
      throw new InputError((err as Error).message, { field: 'input shard' })
    }
  }
  const shardResults = getInput('shard-results')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  if (command === 'deliver' && shardResults.length === 0) {
    throw new InputError('is required for command deliver: the shard result files (or a glob)', {
      field: 'input shard-results'
    })
  }
  return { shards: integer('shards', getInput('shards'), 4, 1, 256), ...(shard ? { shard } : {}), shardResults }
}

/** `images`: `[namespace/]stream:tag` lines, or the word `all`. */
function readImages(getInput: GetInput): Settings['images'] {
  const raw = list(getInput('images'))
  const all = raw.length === 1 && raw[0] === 'all'
  const tags = all ? [] : raw
  for (const t of tags) {
    if (!parseStreamTag(t, true)) {
      throw new InputError(`each line must be [namespace/]stream:tag or the word all; got ${JSON.stringify(t)}`, {
        field: 'input images'
      })
    }
  }
  return { all, tags }
}

/** `manifests`: one glob a line; a leading `!` excludes. */
function readManifestGlobs(getInput: GetInput): Settings['manifestGlobs'] {
  const lines = getInput('manifests')
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)
  const include: string[] = []
  const exclude: string[] = []
  for (const line of lines.length ? lines : [DEFAULT_MANIFEST_GLOB]) {
    if (line.startsWith('!')) exclude.push(safeGlob('manifests', line.slice(1)))
    else include.push(safeGlob('manifests', line))
  }
  return { include, exclude }
}

/** `image` and `digest`: what a build step pushed. */
function readImageAndDigest(getInput: GetInput): { image?: string; digest?: string } {
  const image = getInput('image') || undefined
  const digest = getInput('digest') || undefined
  if (digest && !image)
    throw new InputError('needs the input image too (which reference the digest belongs to)', { field: 'input digest' })
  if (digest && !isDigest(digest)) {
    throw new InputError(`must be a digest such as sha256:<64 hex>; got ${JSON.stringify(digest)}`, {
      field: 'input digest'
    })
  }
  if (image && /[\s\0]/.test(image))
    throw new InputError('must be one image reference without spaces', { field: 'input image' })
  if (image) {
    try {
      parseReference(image)
    } catch (err) {
      throw new InputError(`is not an image reference (e.g. ghcr.io/acme/web:main): ${(err as Error).message}`, {
        field: 'input image'
      })
    }
  }
  return { image, digest }
}

function readBranches(getInput: GetInput): { branchPrefix: string; baseBranch?: string } {
  const branchPrefix = getInput('branch-prefix') || DEFAULT_BRANCH_PREFIX
  if (!isValidBranchName(branchPrefix, { prefix: true, max: 100 })) {
    throw new InputError(
      `must be a branch name prefix (letters, digits, . _ - /); got ${JSON.stringify(branchPrefix)}`,
      {
        field: 'input branch-prefix'
      }
    )
  }
  const baseBranch = getInput('base-branch') || undefined
  if (baseBranch && !isValidBranchName(baseBranch)) {
    throw new InputError(`is not a valid branch name: ${JSON.stringify(baseBranch)}`, { field: 'input base-branch' })
  }
  return { branchPrefix, baseBranch }
}

/** Reviewers (users and org/team), assignees and labels. */
function readPeople(getInput: GetInput): Pick<Settings, 'reviewers' | 'teamReviewers' | 'assignees' | 'labels'> {
  const reviewers: string[] = []
  const teamReviewers: string[] = []
  for (const r of list(getInput('reviewers'))) {
    if (TEAM.test(r)) teamReviewers.push(r)
    else if (LOGIN.test(r)) reviewers.push(r)
    else throw new InputError(`is not a GitHub user or org/team: ${JSON.stringify(r)}`, { field: 'input reviewers' })
  }
  const assignees = list(getInput('assignees'))
  for (const a of assignees) {
    if (!LOGIN.test(a)) throw new InputError(`is not a GitHub user: ${JSON.stringify(a)}`, { field: 'input assignees' })
  }
  const labels = list(getInput('labels'))
  for (const l of labels) {
    if (l.length > 50)
      throw new InputError(`label longer than 50 characters: ${JSON.stringify(l)}`, { field: 'input labels' })
  }
  return { reviewers, teamReviewers, assignees, labels }
}

function readAllowedRegistries(getInput: GetInput): string[] {
  const allowedRegistries = list(getInput('allowed-registries'))
  for (const r of allowedRegistries) {
    if (!/^[a-z0-9.-]+(?::\d+)?(?:\/[a-z0-9._/-]+)?$/i.test(r) && !/^\[[0-9a-f:]+\](?::\d+)?/i.test(r)) {
      throw new InputError(`each entry must be a host or host/path prefix; got ${JSON.stringify(r)}`, {
        field: 'input allowed-registries'
      })
    }
  }
  return allowedRegistries
}

/** A title or commit message template: unknown placeholders are refused rather than shipped literally. */
function template(name: string, value: string): string | undefined {
  if (value.trim() === '') return undefined
  const problems = templateProblems(value)
  if (problems.length) throw new InputError(problems.join('; '), { field: `input ${name}` })
  return value
}

/** Splits the `args` input like a shell would split plain words and simple quotes (never runs a shell). */
export function splitWords(text: string): string[] {
  const words: string[] = []
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]))
  return words
}
