/**
 * The pull-request inputs that follow peter-evans/create-pull-request's names and meanings (token, base, branch,
 * body/body-path, author/committer, milestone, signoff, delete-branch, maintainer-can-modify), plus rebase-when.
 * Pure, like settings.ts, except `loadBodyTemplate`, which reads `body-path` from the workspace.
 */
import { readFile } from 'node:fs/promises'
import { isAbsolute, join, relative } from 'node:path'
import type { Identity, RebaseWhen } from '../delivery/index.js'
import { InputError } from '../util/errors.js'

export interface PullRequestSettings {
  rebaseWhen: RebaseWhen
  bodyTemplate?: string
  bodyPath?: string
  author?: Identity
  committer?: Identity
  signoff: boolean
  milestone?: number
  deleteBranch: boolean
  maintainerCanModify: boolean
}

type GetInput = (name: string) => string

/**
 * create-pull-request's names for inputs ours spell differently: `token` (our `github-token`, whose default is the
 * workflow token, so a `token` given wins), `base` (`base-branch`), `branch` (our `branch-prefix`: the PR branches
 * are `<branch>/<stream>`, one per group).
 */
export function withAliases(getInput: GetInput): GetInput {
  return (name) => {
    if (name === 'github-token') return getInput('token') || getInput('github-token')
    if (name === 'base-branch') return getInput('base') || getInput('base-branch')
    if (name === 'branch-prefix') {
      const branch = getInput('branch').trim()
      if (branch) return branch.endsWith('/') ? branch : `${branch}/`
    }
    return getInput(name)
  }
}

function flag(getInput: GetInput, name: string, fallback: boolean): boolean {
  const v = getInput(name).trim()
  if (v === '') return fallback
  if (/^true$/i.test(v)) return true
  if (/^false$/i.test(v)) return false
  throw new InputError(`must be true or false; got ${JSON.stringify(v)}`, { field: `input ${name}` })
}

/** `Display Name <email@address.com>`, the form create-pull-request takes. */
export function parseIdentity(name: string, value: string): Identity | undefined {
  const v = value.trim()
  if (!v) return undefined
  const m = /^([^<>\n]+?)\s*<([^<>\s@]+@[^<>\s@]+)>$/.exec(v)
  if (!m) {
    throw new InputError(`must be "Display Name <email@address.com>"; got ${JSON.stringify(v)}`, {
      field: `input ${name}`
    })
  }
  return { name: m[1]!, email: m[2]! }
}

export function readPullRequestSettings(getInput: GetInput): PullRequestSettings {
  const rebase = getInput('rebase-when').trim() || 'conflicted'
  if (!['conflicted', 'behind', 'never'].includes(rebase)) {
    const got = JSON.stringify(rebase)
    throw new InputError(`must be one of conflicted, behind, never; got ${got}`, { field: 'input rebase-when' })
  }
  const body = getInput('body')
  const bodyPath = getInput('body-path').trim()
  if (body.trim() && bodyPath) throw new InputError('give body or body-path, not both', { field: 'input body-path' })
  const milestoneText = getInput('milestone').trim()
  if (milestoneText && !/^[1-9]\d{0,9}$/.test(milestoneText)) {
    const got = JSON.stringify(milestoneText)
    throw new InputError(`must be a milestone number, e.g. 3; got ${got}`, { field: 'input milestone' })
  }
  return {
    rebaseWhen: rebase as RebaseWhen,
    ...(body.trim() ? { bodyTemplate: body } : {}),
    ...(bodyPath ? { bodyPath } : {}),
    author: parseIdentity('author', getInput('author')),
    committer: parseIdentity('committer', getInput('committer')),
    signoff: flag(getInput, 'signoff', false),
    ...(milestoneText ? { milestone: Number(milestoneText) } : {}),
    deleteBranch: flag(getInput, 'delete-branch', false),
    maintainerCanModify: flag(getInput, 'maintainer-can-modify', true)
  }
}

/** Reads `body-path` (relative to the workspace, inside it) into the body template. */
export async function loadBodyTemplate<S extends PullRequestSettings>(settings: S, workspace: string): Promise<S> {
  if (!settings.bodyPath) return settings
  const full = isAbsolute(settings.bodyPath) ? settings.bodyPath : join(workspace, settings.bodyPath)
  if (relative(workspace, full).startsWith('..')) {
    throw new InputError('must be a file inside the workspace', { field: 'input body-path' })
  }
  const text = await readFile(full, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read ${settings.bodyPath} (${err.code ?? err.message})`, { field: 'input body-path' })
  })
  return { ...settings, bodyTemplate: text }
}
