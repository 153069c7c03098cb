/**
 * The action's computation: its settings and the event become one pipeline command, run with nothing written
 * (delivery writes). `recompute` runs the same command again on another base (a branch that moved while this run
 * worked; see pipeline/rerun.ts).
 */
import type { Command, ImportIntent } from '../pipeline/commands.js'
import type { PolicyDecision } from '../pipeline/result.js'
import { runCommand, type CommandResult, type Workspace } from '../pipeline/execute.js'
import type { PendingFirstSight } from '../pipeline/run.js'
import { rerunOnBase, replayRegistry, type BaseReader } from '../pipeline/rerun.js'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { createRegistryClient, dockerConfigPath, DockerConfigError, type RegistryClient } from '../registry/index.js'
import { InputError } from '../util/errors.js'
import { commandFromSettings } from './command.js'
import type { GithubAttestationSource } from '../verify/github.js'
import type { Settings } from './settings.js'

export type { BaseReader }

/** The pipeline's result (nothing written yet), plus what the action needs to deliver it. */
export interface Computation extends Pick<
  CommandResult,
  'files' | 'changes' | 'failures' | 'held' | 'diagnostics' | 'streams' | 'idleReason'
> {
  /** What a stream command did, in oc's words ("Tag web:prod set to …"). */
  messages: string[]
  /** BuildConfig builds this run starts (the pipeline's RunResult.builds). */
  builds?: CommandResult['builds']
  /** Tag policy decisions of the import (docs/policies.md). */
  policy?: PolicyDecision[]
  /** Automatic promotion decisions of sync (docs/promotion.md). */
  promotions?: CommandResult['promotions']
  /** Whether this run looked at every importable tag of every stream (so an open PR without a change is obsolete). */
  complete: boolean
}

export interface ComputeInput {
  root: string
  settings: Settings
  intent: ImportIntent
  registry: RegistryClient
  /** One instant for the whole run: a recomputation writes the same timestamps. */
  now: Date
  /** Progress lines of a long import. */
  progress?: (message: string) => void
  /** GitHub artifact attestations for streams whose policy names `verify-github` (src/verify). */
  attestations?: GithubAttestationSource
  /** First sights of waiting moves on open pull requests' branches (src/delivery/first-sights.ts). */
  pendingFirstSight?: PendingFirstSight
}

function workspaceOf(input: ComputeInput): Workspace {
  const { settings } = input
  return {
    root: input.root,
    streamsGlob: settings.streamsGlob,
    manifests: settings.manifestGlobs,
    registry: input.registry,
    now: input.now,
    platform: settings.platform,
    historyLimit: settings.historyLimit,
    allowedRegistries: settings.allowedRegistries,
    pinFormat: settings.pinFormat,
    progress: input.progress,
    verify: { github: input.attestations },
    pendingFirstSight: input.pendingFirstSight,
    ...(settings.shard ? { shard: { index: settings.shard.index, count: settings.shard.count } } : {}),
    write: false
  }
}

function computation(input: ComputeInput, command: Command, result: CommandResult): Computation {
  const kind = input.intent.kind
  return {
    files: result.files,
    changes: result.changes,
    failures: result.failures,
    held: result.held,
    policy: result.policy,
    promotions: result.promotions,
    builds: result.builds,
    diagnostics: result.diagnostics,
    streams: result.streams,
    idleReason: result.idleReason,
    messages: result.messages,
    complete: command.verb === 'sync' && (kind === 'scheduled' || kind === 'all')
  }
}

export async function compute(input: ComputeInput): Promise<Computation> {
  const command = commandFromSettings(input.settings, input.intent)
  return computation(input, command, await runCommand(command, workspaceOf(input)))
}

export async function recompute(input: ComputeInput, previous: Computation, read: BaseReader): Promise<Computation> {
  const command = commandFromSettings(input.settings, input.intent)
  return computation(input, command, await rerunOnBase(command, workspaceOf(input), previous, read))
}

/** Replays identical registry questions from memory (pipeline/rerun.ts). */
export const memoizedRegistry = replayRegistry

/** A run with nothing to import (e.g. the per-manifest event of a multi-arch push): nothing computed, and why. */
export function idleComputation(reason: string): Computation {
  return {
    files: [],
    changes: [],
    failures: [],
    held: [],
    diagnostics: [],
    streams: [],
    idleReason: reason,
    messages: [],
    complete: false
  }
}

/**
 * The registry client of the input `registry-auth`: an inline docker config (JSON), a config file (relative to the
 * workspace), or else the runner's own docker config. Every credential it finds goes to `onSecret` first.
 */
export function registryFor(
  settings: Settings,
  workspace: string,
  hooks: { onSecret: (s: string) => void; onWarning: (m: string) => void }
): RegistryClient {
  const inline = settings.registryAuth?.trim().startsWith('{') ? settings.registryAuth : undefined
  let file: string | undefined
  if (settings.registryAuth && !inline) {
    file = isAbsolute(settings.registryAuth) ? settings.registryAuth : join(workspace, settings.registryAuth)
  } else if (!inline) {
    file = dockerConfigPath(process.env, homedir())
  }
  try {
    return createRegistryClient({
      concurrency: settings.concurrency,
      platform: settings.platform,
      dockerConfigJson: inline,
      dockerConfigFile: file,
      githubToken: settings.githubToken || undefined,
      helperEnv: process.env,
      userAgent: 'imagestream-action',
      ...hooks
    })
  } catch (err) {
    if (err instanceof DockerConfigError) throw new InputError(err.message, { field: 'input registry-auth' })
    throw err
  }
}
