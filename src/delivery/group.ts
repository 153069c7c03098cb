/**
 * Changed files → delivery groups (one pull request each). Pure.
 *  - stream: one group per stream; a manifest goes with the stream whose tags it follows. A manifest that follows
 *    tags of several streams is split: each group gets the file with only its own edits applied (edits are
 *    byte ranges of the original, so any subset applies cleanly).
 *  - tag: one group per stream tag; a stream file with several changed tags is split the same way, each group
 *    getting the stream with only its tag's spec/status taken from the result.
 *  - all: one group.
 * Branches are `<prefix><stream>`, `<prefix><stream>/<tag>`, `<prefix>all`.
 */
import type { ChangedFile } from '../pipeline/run.js'
import type { HeldTag, PolicyDecision, TagChange, TagFailure } from '../report/types.js'
import { readFirstSeen, recordFirstSeenInPlace } from '../stream/rules/policy-gate.js'
import { parseStreamFile, renderStreamFile } from '../stream/state-file.js'
import type { ImageStream } from '../stream/types.js'
import { applyEdits } from '../triggers/plan.js'
import type { FileChange, GroupBy } from './types.js'

export interface DeliveryGroup {
  /** `web`, `ns/web`, `web/prod` or `all`. */
  key: string
  branch: string
  files: FileChange[]
  changes: TagChange[]
  failures: TagFailure[]
  held: HeldTag[]
  /** Streams (`[ns/]name`) this group covers. */
  streams: string[]
}

export interface GroupInput {
  files: ChangedFile[]
  changes: TagChange[]
  failures: TagFailure[]
  held: HeldTag[]
  streams: ReadonlyArray<{ file: string; stream: ImageStream }>
  /** Policy decisions: a tag waiting for min-age has its own group under `tag` (its first sight is proposed there). */
  policy?: readonly PolicyDecision[]
}

export function streamKey(s: {
  stream?: string
  namespace?: string
  metadata?: { name: string; namespace?: string }
}): string {
  const name = s.metadata ? s.metadata.name : s.stream!
  const namespace = s.metadata ? s.metadata.namespace : s.namespace
  return namespace ? `${namespace}/${name}` : name
}

/** Git refuses some spellings (`..`, a trailing `.`, `.lock`); tags may contain them, so they are softened. */
export function branchSafe(text: string): string {
  return text
    .replace(/\.\.+/g, '.')
    .replace(/\.lock(?=\/|$)/g, '-lock')
    .replace(/\/\./g, '/_')
    .replace(/[.]+$/, '')
}

export function branchFor(prefix: string, key: string): string {
  return branchSafe(`${prefix}${key}`)
}

/** Whether a tag's change (or policy decision) is delivered by this group. */
export function inGroup(g: { key: string }, mode: GroupBy, c: { stream: string; namespace?: string; tag: string }) {
  return changeKey(mode, c) === g.key
}

function changeKey(mode: GroupBy, c: { stream: string; namespace?: string; tag: string }): string {
  if (mode === 'all') return 'all'
  const s = streamKey(c)
  return mode === 'stream' ? s : `${s}/${c.tag}`
}

/** `[ns/]stream:tag` of an edit → the stream key it belongs to (a binding without namespace matches by name). */
function resolveFrom(
  from: string,
  streams: ReadonlyArray<{ stream: ImageStream }>
): { key: string; tag: string } | undefined {
  const m = /^(?:([^/]*)\/)?([^/:]+):(.+)$/.exec(from)
  if (!m) return undefined
  const [, namespace, name, tag] = m
  const found =
    streams.find((s) => s.stream.metadata.name === name && (s.stream.metadata.namespace ?? '') === (namespace ?? '')) ??
    streams.find((s) => s.stream.metadata.name === name && (!namespace || !s.stream.metadata.namespace))
  return { key: found ? streamKey(found.stream) : namespace ? `${namespace}/${name}` : name!, tag: tag! }
}

export function groupChanges(input: GroupInput, mode: GroupBy, prefix: string): DeliveryGroup[] {
  const groups = new Map<string, DeliveryGroup>()
  const group = (key: string): DeliveryGroup => {
    let g = groups.get(key)
    if (!g) {
      g = { key, branch: branchFor(prefix, key), files: [], changes: [], failures: [], held: [], streams: [] }
      groups.set(key, g)
    }
    return g
  }
  const addStream = (g: DeliveryGroup, s: string): void => {
    if (!g.streams.includes(s)) g.streams.push(s)
  }
  const streamOfFile = new Map(input.streams.map((s) => [s.file, s.stream]))

  for (const c of input.changes) {
    const g = group(changeKey(mode, c))
    g.changes.push(c)
    addStream(g, streamKey(c))
  }

  for (const f of input.files) {
    if (f.kind === 'stream') {
      const stream = streamOfFile.get(f.path)
      const key = stream ? streamKey(stream) : f.path
      if (mode !== 'tag') {
        const g = group(mode === 'all' ? 'all' : key)
        addStream(g, key)
        g.files.push({ path: f.path, content: f.after })
        continue
      }
      const waiting = (input.policy ?? []).filter((d) => d.kind === 'soaking' && streamKey(d) === key)
      const tags = [...new Set([...input.changes.filter((c) => streamKey(c) === key), ...waiting].map((c) => c.tag))]
      if (tags.length <= 1 || !stream) {
        // One changed tag (or none: a condition or spec bookkeeping only) → the whole file goes with it.
        const failed = input.failures.find((x) => streamKey(x) === key)?.tag
        const tag = tags[0] ?? failed ?? '_stream'
        const g = group(`${key}/${tag}`)
        addStream(g, key)
        g.files.push({ path: f.path, content: f.after })
        continue
      }
      for (const tag of tags) {
        const g = group(`${key}/${tag}`)
        addStream(g, key)
        g.files.push({ path: f.path, content: streamWithOnlyTag(f.before, stream, tag, f.path) })
      }
      continue
    }
    // A manifest: split its edits by the group of the tag each one follows.
    const edits = f.edits ?? []
    const byGroup = new Map<string, typeof edits>()
    for (const e of edits) {
      const from = resolveFrom(e.from, input.streams)
      const key = from ? (mode === 'all' ? 'all' : mode === 'stream' ? from.key : `${from.key}/${from.tag}`) : 'all'
      byGroup.set(key, [...(byGroup.get(key) ?? []), e])
    }
    if (byGroup.size === 0) byGroup.set(mode === 'all' ? 'all' : f.path, [])
    for (const [key, own] of byGroup) {
      const g = group(key)
      const content = byGroup.size === 1 ? f.after : applyEdits(f.before, own)
      g.files.push({ path: f.path, content })
      for (const e of own) {
        const from = resolveFrom(e.from, input.streams)
        if (from) addStream(g, from.key)
      }
    }
  }

  for (const x of input.failures) {
    const g = groups.get(changeKey(mode, x)) ?? (mode === 'tag' ? undefined : groups.get(streamKey(x)))
    g?.failures.push(x)
  }
  for (const h of input.held) groups.get(changeKey(mode, h))?.held.push(h)
  return [...groups.values()].filter((g) => g.files.length > 0).sort((a, b) => a.key.localeCompare(b.key))
}

/** The stream as it was, with one tag's spec and status entries (and the stream generation) taken from `after`. */
function streamWithOnlyTag(beforeText: string, after: ImageStream, tag: string, path: string): string {
  // renderStreamFile keeps the original's formatting; `before` is re-read from its own text.
  const mixed = renderInput(beforeText, path)
  const next = structuredClone(mixed.stream)
  const spec = after.spec.tags?.find((t) => t.name === tag)
  if (spec) {
    next.spec.tags ??= []
    const i = next.spec.tags.findIndex((t) => t.name === tag)
    if (i >= 0) next.spec.tags[i] = structuredClone(spec)
    else next.spec.tags.push(structuredClone(spec))
  }
  const status = after.status?.tags?.find((t) => t.tag === tag)
  if (status) {
    next.status ??= { dockerImageRepository: after.status?.dockerImageRepository ?? '' }
    next.status.tags ??= []
    const i = next.status.tags.findIndex((t) => t.tag === tag)
    if (i >= 0) next.status.tags[i] = structuredClone(status)
    else next.status.tags.push(structuredClone(status))
  }
  // The tag's first sight (min-age) goes with it: recorded while it waits, dropped once it lands.
  recordFirstSeenInPlace(next, tag, readFirstSeen(after)[tag])
  if (after.metadata.generation !== undefined)
    next.metadata.generation = Math.max(next.metadata.generation ?? 0, after.metadata.generation)
  return renderStreamFile({ text: beforeText }, next)
}

function renderInput(text: string, path: string): { stream: ImageStream } {
  const parsed = parseStreamFile(text, path)
  if (!parsed.stream) throw new Error(`internal error: ${path} no longer parses`)
  return { stream: parsed.stream }
}
