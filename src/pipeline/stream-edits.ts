/**
 * The "command's stream rules" step of the orchestrator: what create, tag, rollback, resume and import-image do to
 * the loaded streams, before anything is imported or any manifest is touched. Pure apart from `exists` (whether a
 * path is already taken), which the orchestrator answers from the file system.
 */
import type { Document } from 'yaml'
import type { ImportIntent } from '../importer/intent.js'
import { formatStreamTag, parseStreamTag, streamTagProblem } from '../reference/names.js'
import { deleteTags, importImage, reconcileSpec, resume, rollback, tagCommand } from '../stream/rules/index.js'
import { setTagPolicy } from '../stream/rules/policy-set.js'
import { newStreamFile, parseStreamFile } from '../stream/state-file.js'
import type { LoadedStream } from '../stream/state-store.js'
import type { ImageStream } from '../stream/types.js'
import { InputError } from '../util/errors.js'
import type { Command, CreateCommand, ImportImageCommand, TagCommand } from './commands.js'
import { findStream, newStreamPath, notFound, streamLabel } from './find-stream.js'

/** A stream the command changed or created. */
export interface EditedStream {
  file: string
  /** What renderStreamFile builds on: the file as read, the new-file template, or nothing (a fresh render). */
  original?: { text: string; document?: Document }
  /** The file's bytes before the command ('' for a new file). */
  before: string
  /** The stream before the command (undefined for a new one), for the list of moved tags. */
  previous?: ImageStream
  stream: ImageStream
  created: boolean
}

export interface EditOutcome {
  edited: EditedStream[]
  /** What oc prints ("Tag web:prod set to …"). */
  messages: string[]
  /** import-image: what to import right away, only in the edited streams. */
  intent?: ImportIntent
  /** The edited streams hold a forced import (generation 0): only the import's result may be written. */
  forced?: boolean
}

export interface EditContext {
  loaded: readonly LoadedStream[]
  now: string
  streamsGlob: string
  /** Whether a file already exists at this repository path. */
  exists: (path: string) => boolean
}

export type StreamCommand = Extract<
  Command,
  { verb: 'create' | 'tag' | 'rollback' | 'resume' | 'import-image' | 'set-policy' }
>

export function isStreamCommand(command: Command): command is StreamCommand {
  return ['create', 'tag', 'rollback', 'resume', 'import-image', 'set-policy'].includes(command.verb)
}

export function applyStreamCommand(command: StreamCommand, context: EditContext): EditOutcome {
  switch (command.verb) {
    case 'create':
      return create(command, context)
    case 'tag':
      return tag(command, context)
    case 'import-image':
      return importNow(command, context)
    case 'set-policy': {
      const { target } = command
      const found = findStream(context.loaded, target.name, target.namespace)
      if (!found) throw notFound(target.name, target.namespace)
      const stream = setTagPolicy(found.stream, target.tag, command.policy, found.file)
      return {
        edited: [fromLoaded(found, stream)],
        messages: [`${found.stream.metadata.name}:${target.tag} policy set`]
      }
    }
    case 'rollback':
    case 'resume': {
      const { target } = command
      const found = findStream(context.loaded, target.name, target.namespace)
      if (!found) throw notFound(target.name, target.namespace)
      const stream =
        command.verb === 'rollback'
          ? rollback(found.stream, target.tag, command.to, context.now)
          : resume(found.stream, target.tag)
      const label = `${found.stream.metadata.name}:${target.tag}`
      return {
        edited: [fromLoaded(found, stream)],
        messages: [command.verb === 'rollback' ? `Tag ${label} rolled back and held.` : `Tag ${label} resumed.`]
      }
    }
  }
}

function fromLoaded(loaded: LoadedStream, stream: ImageStream): EditedStream {
  return { file: loaded.file, original: loaded, before: loaded.text, previous: loaded.stream, stream, created: false }
}

/** A new stream file from the `oc create imagestream` template, at the path its name gives. */
function newStream(name: string, namespace: string | undefined, context: EditContext): EditedStream {
  const text = newStreamFile(name, namespace)
  const file = newStreamPath(context.streamsGlob, name, namespace)
  if (context.exists(file)) {
    throw new InputError(`${file} already exists but holds no readable stream "${name}"; fix or remove it`)
  }
  const parsed = parseStreamFile(text, file)
  return { file, original: { text, document: parsed.document }, before: '', stream: parsed.stream!, created: true }
}

function create(command: CreateCommand, context: EditContext): EditOutcome {
  const existing = findStream(context.loaded, command.name, command.namespace ?? '')
  if (existing) {
    throw new InputError(
      `imagestreams.image.openshift.io "${streamLabel(existing.stream)}" already exists in ${existing.file}`
    )
  }
  const fresh = newStream(command.name, command.namespace, context)
  // Created objects get generation 1 on the server; a file made here says the same from the start.
  fresh.stream = reconcileSpec(fresh.stream, context.now).stream
  return { edited: [fresh], messages: [`imagestream.image.openshift.io/${command.name} created (${fresh.file})`] }
}

/** The stream part of a DEST, for grouping; tagCommand validates the tag. */
function destinationStream(dest: string): { namespace?: string; name: string } {
  if (!dest.includes(':')) {
    throw new InputError(`"${dest}" must be of the form <stream_name>:<tag>`, { field: 'DEST' })
  }
  const parsed = parseStreamTag(dest.slice(0, dest.lastIndexOf(':')))
  if (!parsed) {
    const problem = streamTagProblem(dest.slice(0, dest.lastIndexOf(':')))
    throw new InputError(`"${dest}" does not name an image stream: ${problem}`, { field: 'DEST' })
  }
  return { ...(parsed.namespace ? { namespace: parsed.namespace } : {}), name: parsed.name }
}

function tag(command: TagCommand, context: EditContext): EditOutcome {
  if (!command.delete && (!command.source || command.destinations.length === 0)) {
    throw new InputError('you must specify a source and at least one destination or one or more tags to delete')
  }
  // oc tag accepts destinations in several streams: each stream gets its own rule call.
  const groups = new Map<string, { namespace?: string; name: string; dests: string[] }>()
  for (const dest of command.destinations) {
    const s = destinationStream(dest)
    const key = formatStreamTag(s)
    const group = groups.get(key) ?? { ...s, dests: [] }
    group.dests.push(dest)
    groups.set(key, group)
  }
  const lookup = (namespace: string, name: string): ImageStream | undefined =>
    context.loaded.find((s) => s.stream.metadata.name === name && (s.stream.metadata.namespace ?? '') === namespace)
      ?.stream
  const edited: EditedStream[] = []
  const messages: string[] = []
  const { flags } = command
  for (const group of groups.values()) {
    const loaded = findStream(context.loaded, group.name, group.namespace)
    if (command.delete) {
      if (!loaded) throw notFound(group.name, group.namespace)
      const options = {
        sourceKind: flags.source,
        alias: flags.alias,
        scheduled: flags.scheduled,
        insecure: flags.insecure
      }
      const result = deleteTags(loaded.stream, group.dests, options)
      edited.push(fromLoaded(loaded, result.stream))
      messages.push(...result.messages)
      continue
    }
    const target = loaded ? fromLoaded(loaded, loaded.stream) : newStream(group.name, group.namespace, context)
    if (!loaded && edited.some((e) => e.file === target.file)) {
      throw new InputError(`two new streams would both be written to ${target.file}`)
    }
    const result = tagCommand(target.stream, command.source!, group.dests, context.now, { ...flags, lookup })
    target.stream = result.stream
    edited.push(target)
    messages.push(...result.messages)
    if (target.created) messages.push(`Created ${target.file} for the new image stream.`)
  }
  return { edited, messages }
}

/** The stream name in IMAGESTREAM[:TAG] (which may be a whole pull spec when creating); importImage validates it. */
function targetName(target: string): string {
  const path = target.split('@')[0]!
  const slash = path.lastIndexOf('/')
  const colon = path.lastIndexOf(':')
  return (colon > slash ? path.slice(0, colon) : path).slice(slash + 1)
}

function importNow(command: ImportImageCommand, context: EditContext): EditOutcome {
  const name = targetName(command.target)
  const existing = /^[a-z0-9]/.test(name) ? findStream(context.loaded, name, command.namespace) : undefined
  const { verb: _verb, target, ...options } = command
  const result = importImage(existing?.stream, target, options)
  const stream = result.stream
  let edited: EditedStream
  if (existing) {
    edited = fromLoaded(existing, stream)
  } else {
    const file = newStreamPath(context.streamsGlob, stream.metadata.name, command.namespace)
    if (context.exists(file)) {
      throw new InputError(
        `${file} already exists but holds no readable stream "${stream.metadata.name}"; fix or remove it`
      )
    }
    edited = { file, before: '', stream, created: true }
  }
  const intent: ImportIntent = result.plan.repository
    ? { kind: 'all' }
    : { kind: 'tags', tags: result.plan.tags.map((t) => formatStreamTag({ ...nameOf(stream), tag: t.tag })) }
  return { edited: [edited], messages: [], intent, forced: true }
}

function nameOf(stream: ImageStream): { namespace?: string; name: string } {
  return { ...(stream.metadata.namespace ? { namespace: stream.metadata.namespace } : {}), name: stream.metadata.name }
}
