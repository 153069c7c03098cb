/**
 * What the runner tells the action through its environment (GITHUB_*), read once and validated. Values that end
 * up in API calls (repository, branch) are checked against strict patterns, so an odd environment fails with a
 * message naming the variable instead of sending something unexpected to GitHub.
 */
import { open } from 'node:fs/promises'
import { isAbsolute } from 'node:path'
import { InputError } from '../util/errors.js'

export interface ActionContext {
  eventName: string
  /** The repository root: the checkout the workflow made (GITHUB_WORKSPACE). */
  workspace: string
  owner: string
  repo: string
  apiUrl: string
  serverUrl: string
  /** The branch the workflow runs on, when it runs on a branch (not a tag or a pull request merge ref). */
  refBranch?: string
  sha?: string
  eventPath?: string
  /** This workflow run's page (GITHUB_RUN_ID), named in pull request bodies. */
  runUrl?: string
}

const OWNER_REPO = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/
export const BRANCH = /^(?!\/|-|.*(?:\/\.|\/\/|\.\.|@\{|\\))[A-Za-z0-9._/+-]{1,200}(?<![/.]|\.lock)$/

export function readContext(env: NodeJS.ProcessEnv): ActionContext {
  const workspace = env.GITHUB_WORKSPACE || process.cwd()
  if (!isAbsolute(workspace))
    throw new InputError(`must be an absolute path; got ${JSON.stringify(workspace)}`, { field: 'GITHUB_WORKSPACE' })
  const repository = env.GITHUB_REPOSITORY ?? ''
  const m = OWNER_REPO.exec(repository)
  if (!m) throw new InputError(`must be OWNER/REPO; got ${JSON.stringify(repository)}`, { field: 'GITHUB_REPOSITORY' })
  // GITHUB_REF_NAME is what runners set; a runner environment with only GITHUB_REF (refs/heads/main; act, older
  // GHES runners, @actions/github's Context reads only GITHUB_REF) still runs on a branch.
  const fromRef = /^refs\/heads\/(.+)$/.exec(env.GITHUB_REF ?? '')?.[1]
  const refName = env.GITHUB_REF_NAME || fromRef
  // GITHUB_REF_TYPE is "branch" or "tag"; a pull request's ref (`123/merge`) is neither a branch to write to.
  const onBranch = env.GITHUB_REF_TYPE
    ? env.GITHUB_REF_TYPE === 'branch'
    : (env.GITHUB_REF ?? '').startsWith('refs/heads/')
  const sha = env.GITHUB_SHA && /^[0-9a-f]{40}$/.test(env.GITHUB_SHA) ? env.GITHUB_SHA : undefined
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  const runId = /^\d+$/.test(env.GITHUB_RUN_ID ?? '') ? env.GITHUB_RUN_ID : undefined
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    workspace,
    owner: m[1]!,
    repo: m[2]!,
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    serverUrl,
    refBranch: onBranch && refName && BRANCH.test(refName) ? refName : undefined,
    sha,
    eventPath: env.GITHUB_EVENT_PATH || undefined,
    ...(runId ? { runUrl: `${serverUrl}/${m[1]}/${m[2]}/actions/runs/${runId}` } : {})
  }
}

/** GitHub caps repository_dispatch payloads at 64 KiB and registry_package events are small; 1 MiB is generous. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024

/** The event payload, read with a size bound (the file is the runner's, its content is the sender's). */
export async function readPayload(path: string | undefined, maxBytes = MAX_PAYLOAD_BYTES): Promise<unknown> {
  if (!path) return {}
  const handle = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read the event payload (${err.code ?? err.message})`, { field: 'GITHUB_EVENT_PATH' })
  })
  try {
    const buffer = Buffer.alloc(maxBytes + 1)
    let length = 0
    while (length <= maxBytes) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length > maxBytes)
      throw new InputError(`the event payload is larger than ${maxBytes} bytes`, { field: 'GITHUB_EVENT_PATH' })
    try {
      return JSON.parse(buffer.subarray(0, length).toString('utf8')) as unknown
    } catch (err) {
      throw new InputError(`the event payload is not JSON (${(err as Error).message})`, { field: 'GITHUB_EVENT_PATH' })
    }
  } finally {
    await handle.close()
  }
}

/** Only these events carry what the action reads from a payload; others are not read at all (push payloads are big). */
export function payloadNeeded(eventName: string): boolean {
  return eventName === 'registry_package' || eventName === 'repository_dispatch'
}

/** The base branch: the input, else the branch the run is on, else the payload's repository default branch. */
export function baseBranchOf(input: string | undefined, context: ActionContext, payload: unknown): string {
  if (input) return input
  if (context.refBranch) return context.refBranch
  const repo = (payload as { repository?: { default_branch?: unknown } } | null)?.repository
  const fromPayload = repo && typeof repo.default_branch === 'string' ? repo.default_branch : undefined
  if (fromPayload && BRANCH.test(fromPayload)) return fromPayload
  throw new InputError(
    'is needed: this run is not on a branch and the event names no default branch; set base-branch: main (or your branch)',
    {
      field: 'input base-branch'
    }
  )
}
