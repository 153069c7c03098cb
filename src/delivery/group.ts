/**
 * Changed files → delivery groups (one pull request each). Pure.
 *  - stream: one group per stream; a manifest goes with the stream whose tags it follows. A manifest that follows
 *    tags of several streams is split: each group gets the file with only its own edits applied (edits are
 *    byte ranges of the original, so any subset applies cleanly).
 *  - tag: one group per stream tag; a stream file with several changed tags is split the same way, each group
 *    getting the stream with only its tag's spec/status taken from the result.
 *  - all: one group.
 * A promotion (docs/promotion.md) is reviewed per destination: under `stream` and `tag` each promoted tag is a group
 * of its own (`<prefix><stream>/<tag>`), so the branch is updated in place when a newer digest qualifies and a
 * declined promotion stays declined without holding back the stream's ordinary imports.
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
  /** `[ns/]stream:tag` of the tags a promotion moved this run. */
  promoted?: ReadonlySet<string>
  /** Policy decisions: a tag waiting for min-age is grouped as its change would be (its first sight is proposed there). */
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

/** The group of one tag of the stream `key` (`[ns/]name`). */
export function tagGroup(mode: GroupBy, key: string, tag: string, promoted: ReadonlySet<string> | undefined): string {
  if (mode === 'all') return 'all'
  return mode === 'tag' || promoted?.has(`${key}:${tag}`) ? `${key}/${tag}` : key
}

/** Whether a tag's change (or policy decision) is delivered by this group. */
export function inGroup(
  g: { key: string },
  mode: GroupBy,
  c: { stream: string; namespace?: string; tag: string },
  promoted?: ReadonlySet<string>
): boolean {
  return changeKey(mode, c, promoted) === g.key
}

function changeKey(
  mode: GroupBy,
  c: { stream: string; namespace?: string; tag: string },
  promoted?: ReadonlySet<string>
): string {
  return tagGroup(mode, streamKey(c), c.tag, promoted)
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

  const promoted = input.promoted
  for (const c of input.changes) {
    const g = group(changeKey(mode, c, promoted))
    g.changes.push(c)
    addStream(g, streamKey(c))
  }

  for (const f of input.files) {
    if (f.kind === 'stream') {
      const stream = streamOfFile.get(f.path)
      const key = stream ? streamKey(stream) : f.path
      const byGroup = new Map<string, string[]>()
      const waiting = (input.policy ?? []).filter((d) => d.kind === 'soaking' && streamKey(d) === key)
      for (const c of [...input.changes.filter((x) => streamKey(x) === key), ...waiting]) {
        const k = tagGroup(mode, key, c.tag, promoted)
        if (!byGroup.get(k)?.includes(c.tag)) byGroup.set(k, [...(byGroup.get(k) ?? []), c.tag])
      }
      if (byGroup.size <= 1 || !stream) {
        // The changed tags share one group (or none changed: a condition or spec bookkeeping only) → the whole file.
        const failed = input.failures.find((x) => streamKey(x) === key)?.tag
        const fallback = mode === 'all' ? 'all' : mode === 'stream' ? key : `${key}/${failed ?? '_stream'}`
        const g = group([...byGroup.keys()][0] ?? fallback)
        addStream(g, key)
        g.files.push({ path: f.path, content: f.after })
        continue
      }
      for (const [k, tags] of byGroup) {
        const g = group(k)
        addStream(g, key)
        g.files.push({ path: f.path, content: streamWithOnlyTags(f.before, stream, tags, f.path) })
      }
      continue
    }
    // A manifest: split its edits by the group of the tag each one follows.
    const edits = f.edits ?? []
    const byGroup = new Map<string, typeof edits>()
    for (const e of edits) {
      const from = resolveFrom(e.from, input.streams)
      const key = from ? tagGroup(mode, from.key, from.tag, promoted) : 'all'
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
    const g = groups.get(changeKey(mode, x, promoted)) ?? (mode === 'tag' ? undefined : groups.get(streamKey(x)))
    g?.failures.push(x)
  }
  for (const h of input.held) groups.get(changeKey(mode, h, promoted))?.held.push(h)
  return [...groups.values()].filter((g) => g.files.length > 0).sort((a, b) => a.key.localeCompare(b.key))
}

/** The stream as it was, with some tags' spec and status entries (and the stream generation) taken from `after`. */
function streamWithOnlyTags(beforeText: string, after: ImageStream, tags: string[], path: string): string {
  // renderStreamFile keeps the original's formatting; `before` is re-read from its own text.
  const next = structuredClone(renderInput(beforeText, path).stream)
  for (const tag of tags) takeTag(next, after, tag)
  if (after.metadata.generation !== undefined)
    next.metadata.generation = Math.max(next.metadata.generation ?? 0, after.metadata.generation)
  return renderStreamFile({ text: beforeText }, next)
}

/** Copies one tag's spec and status entries from `after` into `next`. */
function takeTag(next: ImageStream, after: ImageStream, tag: string): void {
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
}

function renderInput(text: string, path: string): { stream: ImageStream } {
  const parsed = parseStreamFile(text, path)
  if (!parsed.stream) throw new Error(`internal error: ${path} no longer parses`)
  return { stream: parsed.stream }
}
