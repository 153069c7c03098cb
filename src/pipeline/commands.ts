/**
 * Every verb as data. The CLI turns flags into one of these, the action turns its inputs and the event into one;
 * `runCommand` (execute.ts) runs each the same way, so the two shells cannot disagree about what a verb writes.
 * Names arrive as the person typed them (`[namespace/]stream:tag`); the orchestrator checks them with
 * reference/names.ts and the stream rules check the rest, so both shells get the same errors.
 */
import type { ImportIntent } from '../importer/intent.js'
import type { ImportImageOptions } from '../stream/rules/import-image.js'
import type { RollbackTarget } from '../stream/rules/holds.js'
import type { StreamTagName } from '../reference/names.js'
import type { SetPolicyFlags } from '../stream/rules/policy-set.js'

export type { ImportIntent, SetPolicyFlags }
export type { PinFormat } from '../triggers/types.js'

/** `oc create imagestream NAME`. */
export interface CreateCommand {
  verb: 'create'
  name: string
  namespace?: string
}

/** The flags of `oc tag`. */
export interface TagFlags {
  alias?: boolean
  scheduled?: boolean
  reference?: boolean
  referencePolicy?: string
  importMode?: string
  insecure?: boolean
  /** Source kind: docker, istag or isimage. */
  source?: string
}

/**
 * `oc tag SOURCE DEST...` / `oc tag -d DEST...`. A DEST whose stream has no file creates it (as `oc tag` creates the
 * destination stream); the manifests bound to a moved tag follow in the same write.
 */
export interface TagCommand {
  verb: 'tag'
  source?: string
  destinations: string[]
  delete: boolean
  flags: TagFlags
}

/** Our own verb: point a tag at an earlier history item and hold it; the bound manifests follow. */
export interface RollbackCommand {
  verb: 'rollback'
  target: StreamTagName & { tag: string }
  to: RollbackTarget
}

/** Lift a rollback hold; an alias moves right away (and its manifests with it), other tags at the next import. */
export interface ResumeCommand {
  verb: 'resume'
  target: StreamTagName & { tag: string }
}

/** `oc import-image IMAGESTREAM[:TAG]`: import now, creating the stream with `confirm`. */
export interface ImportImageCommand extends Pick<
  ImportImageOptions,
  'namespace' | 'from' | 'confirm' | 'all' | 'scheduled' | 'insecure' | 'referencePolicy' | 'importMode'
> {
  verb: 'import-image'
  target: string
}

/** The scheduler tick: import what is due (`intent`), no manifests. */
export interface ImportCommand {
  verb: 'import'
  intent: ImportIntent
}

/** Pin every bound manifest to its stream tag's current image; no registry. */
export interface ApplyTriggersCommand {
  verb: 'apply-triggers'
}

/** Import, then pin the manifests, in one write. */
export interface SyncCommand {
  verb: 'sync'
  intent: ImportIntent
}

/** `oc set triggers KIND/NAME --from-image …` on one manifest file. */
export interface SetTriggersCommand {
  verb: 'set-triggers'
  /** The manifest, relative to the repository root. */
  file: string
  kind: string
  name: string
  namespace?: string
  fromImage: string
  containers?: string[]
  mode: 'auto' | 'manual'
  remove?: boolean
}

/** Our own verb: set or remove the policy annotations of one spec tag (docs/policies.md); nothing is imported. */
export interface SetPolicyCommand {
  verb: 'set-policy'
  target: StreamTagName & { tag: string }
  policy: SetPolicyFlags
}

/** The delivery job of a sharded run: every shard's result file, combined (docs/scale-out.md). */
export interface CombineShardsCommand {
  verb: 'combine-shards'
  /** Paths or globs of the shard result files, relative to the repository root or absolute. */
  results: string[]
}

export type Command =
  | CombineShardsCommand
  | SetPolicyCommand
  | CreateCommand
  | TagCommand
  | RollbackCommand
  | ResumeCommand
  | ImportImageCommand
  | ImportCommand
  | ApplyTriggersCommand
  | SyncCommand
  | SetTriggersCommand

export type Verb = Command['verb']

/** Whether the verb asks a registry (the shell then supplies a client). */
export function needsRegistry(command: Command): boolean {
  if (command.verb === 'import-image') return true
  if (command.verb === 'import' || command.verb === 'sync') return command.intent.kind !== 'none'
  return false
}
