/**
 * The one orchestrator: both shells hand it a command value and a workspace, and get a result value back.
 *   load → the command's stream rules → import what is due → triggers → one journaled, locked write → result
 * Which steps a verb runs is decided here, once: every verb that can move a tag's current image (tag, rollback,
 * resume, import-image, sync, apply-triggers) lets the manifests bound to it follow in the same change, as
 * OpenShift's trigger controller would; `import` alone records the streams and leaves the manifests to a later
 * `apply-triggers`; `set-triggers` edits one manifest's trigger annotation; `create` writes an empty stream.
 */
import { decodeText } from '../yaml/bytes.js'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { setTriggers } from '../triggers/set-triggers.js'
import { InputError } from '../util/errors.js'
import type { Command, SetTriggersCommand } from './commands.js'
import { combineShards } from './shard-deliver.js'
import { shardScope } from './shard-inputs.js'
import { runPipeline, type RunOptions, type RunResult } from './run.js'
import { applyStreamCommand, isStreamCommand } from './stream-edits.js'
import { recoverInterruptedWrite, writeFiles } from './write-files.js'

/**
 * Where and how a command runs: the repository and the settings both shells share — the engine's options a shell may
 * set (run.ts documents each), with one instant instead of a clock and the shard instead of its file sets.
 */
export interface Workspace extends Pick<
  RunOptions,
  | 'root'
  | 'manifests'
  | 'registry'
  | 'platform'
  | 'historyLimit'
  | 'allowedRegistries'
  | 'pinFormat'
  | 'ignoreLocalPolicy'
  | 'write'
  | 'metadata'
  | 'progress'
  | 'verify'
  | 'pendingFirstSight'
> {
  streamsGlob: string
  /** One instant for the whole run: a recomputation writes the same timestamps. */
  now: Date
  /** `--shard i/N`: import, sync and apply-triggers work on this shard's streams and files only (plan --shards). */
  shard?: { index: number; count: number }
}

export type CommandResult = RunResult

export async function runCommand(command: Command, workspace: Workspace): Promise<CommandResult> {
  if (command.verb === 'set-triggers') return setTriggersCommand(command, workspace)
  if (command.verb === 'combine-shards') return combineShards(workspace.root, workspace.streamsGlob, command.results)
  const clock = { now: () => workspace.now }
  const base: Omit<RunOptions, 'triggers'> = {
    root: workspace.root,
    streamsGlob: workspace.streamsGlob,
    manifests: workspace.manifests,
    registry: workspace.registry,
    clock,
    platform: workspace.platform,
    historyLimit: workspace.historyLimit,
    allowedRegistries: workspace.allowedRegistries,
    pinFormat: workspace.pinFormat,
    ignoreLocalPolicy: workspace.ignoreLocalPolicy,
    write: workspace.write,
    metadata: workspace.metadata,
    progress: workspace.progress,
    verify: workspace.verify,
    pendingFirstSight: workspace.pendingFirstSight
  }
  if (isStreamCommand(command)) {
    const exists = (path: string): boolean => existsSync(join(workspace.root, path))
    return runPipeline({
      ...base,
      triggers: command.verb !== 'create',
      edit: (loaded, now) => applyStreamCommand(command, { loaded, now, streamsGlob: workspace.streamsGlob, exists })
    })
  }
  if (workspace.shard) {
    base.only = await shardScope(workspace.root, workspace.streamsGlob, workspace.manifests, workspace.shard)
  }
  switch (command.verb) {
    case 'import':
      return runPipeline({ ...base, intent: command.intent, triggers: false })
    case 'sync':
      return runPipeline({ ...base, intent: command.intent, triggers: true, promote: true })
    case 'apply-triggers':
      return runPipeline({ ...base, triggers: true })
  }
}

/** `oc set triggers` on one manifest, written through the same journal and lock as every other command. */
async function setTriggersCommand(command: SetTriggersCommand, workspace: Workspace): Promise<CommandResult> {
  const full = resolve(workspace.root, command.file)
  const path = relative(workspace.root, full).split('\\').join('/')
  if (path.startsWith('..')) {
    throw new InputError(`${command.file} is outside the repository ${workspace.root}`, { field: '-f' })
  }
  if (workspace.write) await recoverInterruptedWrite(workspace.root)
  let text: string
  try {
    text = decodeText(await readFile(full))
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message
    throw new InputError(`cannot read ${command.file}: ${why}`, { field: '-f' })
  }
  const { verb: _verb, file: _file, ...request } = command
  const result = setTriggers(text, request, path)
  const files = result.changed ? [{ path, before: text, after: result.text, kind: 'manifest' as const }] : []
  const written = workspace.write && files.length ? await writeFiles(workspace.root, [{ path, text: result.text }]) : []
  return {
    files,
    changes: [],
    failures: [],
    held: [],
    policy: [],
    promotions: [],
    builds: [],
    diagnostics: [],
    streams: [],
    edits: [],
    lookups: 0,
    requested: 0,
    ...(files.length === 0 ? { idleReason: 'the triggers were already so' } : {}),
    written,
    messages: [],
    edited: []
  }
}
