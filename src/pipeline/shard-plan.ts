/**
 * Splitting a repository's streams into shards for a GitHub Actions matrix (`imagestream plan --shards N`).
 *
 * Whoever writes a file owns it: a stream and every file its tags write (manifests, BuildConfigs, Dockerfiles) form
 * one unit, and units that share a file are one connected component. Components are never split, so no file is
 * written by two shards and the shards' changes combine without conflicts.
 *
 * Placement is rendezvous (highest-random-weight) hashing of the component's key with a load bound: every component
 * goes to its first-choice shard unless that shard would pass 1.25× the mean work, in which case it takes its next
 * choice. Hashing makes the plan stable across runs: a new stream lands where its own hash sends it and leaves every
 * other component where it was (unless a shard hits the bound, which moves only the overflowing component). The work
 * of a component is the number of unique registry references its tags import: that is what a shard spends its time on.
 */
import { createHash } from 'node:crypto'

/** The most jobs a GitHub Actions matrix may have. */
export const MAX_SHARDS = 256
/** A shard may carry at most this multiple of the mean work (or the largest component, if that is larger). */
export const LOAD_BOUND = 1.25

export interface PlanStream {
  /** Repository-relative path of the file that defines the stream. */
  file: string
  namespace?: string
  name: string
  /** Spec tags of the stream. */
  tags: number
  /** The registry references its importable tags resolve (deduplicated by the planner). */
  references: readonly string[]
  /**
   * Other streams this one reads when it runs: the source of an ImageStreamTag/ImageStreamImage `from`, the upstream
   * of a promotion. A stream and what it reads move together, so a shard never reads a stream another shard changes.
   */
  links?: ReadonlyArray<{ namespace?: string; stream: string }>
}

export interface PlanBinding {
  /** The file the binding writes. */
  file: string
  /** `namespace` undefined: the binding does not name one, so every stream of that name may be meant. */
  from: { namespace?: string; stream: string }
}

export interface ShardEntry {
  /** `i/N`, 1-based, N as asked (empty shards are left out of the matrix but keep their numbers). */
  shard: string
  streams: string[]
  tags: number
}

export interface ShardPlan {
  include: ShardEntry[]
}

export interface Component {
  /** The component's smallest stream file path: its stable name. */
  key: string
  streamFiles: string[]
  /** Every file the component writes that is not a stream file. */
  files: string[]
  work: number
  tags: number
}

/** `i/N` as given to `--shard`: i in 1..N, N in 1..256. */
export function parseShardSpec(text: string): { index: number; count: number } {
  const m = /^([1-9]\d{0,2})\/([1-9]\d{0,2})$/.exec(text.trim())
  const index = m ? Number(m[1]) : NaN
  const count = m ? Number(m[2]) : NaN
  if (!m || index > count || count > MAX_SHARDS) {
    throw new RangeError(`a shard is written i/N with 1 ≤ i ≤ N ≤ ${MAX_SHARDS}, e.g. 2/8; got ${JSON.stringify(text)}`)
  }
  return { index, count }
}

/** Checks a shard count before planning: GitHub refuses a matrix of more than 256 jobs. */
export function checkShardCount(count: number): void {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`--shards takes a whole number from 1 to ${MAX_SHARDS}; got ${count}`)
  if (count > MAX_SHARDS) {
    throw new RangeError(`--shards ${count} is more than a GitHub Actions matrix can run (at most ${MAX_SHARDS} jobs)`)
  }
}

/** The connected components of streams and the files they write. */
export function components(streams: readonly PlanStream[], bindings: readonly PlanBinding[]): Component[] {
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    let root = x
    while (parent.get(root) !== root) root = parent.get(root) ?? root
    // Path compression keeps the later finds flat.
    let node = x
    while (node !== root) {
      const next = parent.get(node)!
      parent.set(node, root)
      node = next
    }
    return root
  }
  const add = (x: string): void => {
    if (!parent.has(x)) parent.set(x, x)
  }
  const union = (a: string, b: string): void => {
    const ra = find(a)
    const rb = find(b)
    // The smaller path becomes the root, so a component's root does not depend on the order of the unions.
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb)
  }

  const byName = new Map<string, PlanStream[]>()
  for (const s of streams) {
    add(s.file)
    byName.set(s.name, [...(byName.get(s.name) ?? []), s])
  }
  const named = (from: { namespace?: string; stream: string }) =>
    (byName.get(from.stream) ?? []).filter(
      (s) => from.namespace === undefined || (s.namespace ?? '') === from.namespace
    )
  for (const b of bindings) {
    const candidates = named(b.from)
    if (candidates.length === 0) continue
    add(b.file)
    for (const s of candidates) union(b.file, s.file)
  }
  for (const s of streams) for (const link of s.links ?? []) for (const t of named(link)) union(s.file, t.file)

  const streamFiles = new Set(streams.map((s) => s.file))
  const groups = new Map<string, { streams: PlanStream[]; files: Set<string> }>()
  const group = (root: string) => {
    let g = groups.get(root)
    if (!g) groups.set(root, (g = { streams: [], files: new Set() }))
    return g
  }
  for (const s of streams) group(find(s.file)).streams.push(s)
  for (const node of parent.keys()) if (!streamFiles.has(node)) group(find(node)).files.add(node)

  return [...groups.values()]
    .map((g) => {
      const files = [...new Set(g.streams.map((s) => s.file))].sort()
      return {
        key: files[0]!,
        streamFiles: files,
        files: [...g.files].sort(),
        work: Math.max(1, new Set(g.streams.flatMap((s) => s.references)).size),
        tags: g.streams.reduce((n, s) => n + s.tags, 0)
      }
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

/** Rendezvous score of a component for a shard: the same on every machine and every run. */
function score(key: string, shard: number): bigint {
  return createHash('sha256').update(`${key}\0${shard}`).digest().readBigUInt64BE(0)
}

/** Which shard (0-based) each component goes to, in the order of `comps`. */
export function assign(comps: readonly Component[], count: number): number[] {
  checkShardCount(count)
  const total = comps.reduce((n, c) => n + c.work, 0)
  const largest = comps.reduce((n, c) => Math.max(n, c.work), 0)
  const bound = Math.max(largest, (LOAD_BOUND * total) / count)
  const load = new Array<number>(count).fill(0)
  return comps.map((c) => {
    const choices = Array.from({ length: count }, (_, i) => ({ i, s: score(c.key, i) })).sort((a, b) =>
      a.s > b.s ? -1 : a.s < b.s ? 1 : a.i - b.i
    )
    const fit =
      choices.find((x) => load[x.i]! + c.work <= bound) ?? choices.reduce((m, x) => (load[x.i]! < load[m.i]! ? x : m))
    load[fit.i]! += c.work
    return fit.i
  })
}

/** The matrix `plan --shards N` prints: non-empty shards only, streams sorted, byte-stable. */
export function planShards(streams: readonly PlanStream[], bindings: readonly PlanBinding[], count: number): ShardPlan {
  const comps = components(streams, bindings)
  const where = assign(comps, count)
  const shards = Array.from({ length: count }, () => ({ streams: [] as string[], tags: 0 }))
  comps.forEach((c, k) => {
    const s = shards[where[k]!]!
    s.streams.push(...c.streamFiles)
    s.tags += c.tags
  })
  return {
    include: shards
      .map((s, i) => ({ shard: `${i + 1}/${count}`, streams: s.streams.sort(), tags: s.tags }))
      .filter((s) => s.streams.length > 0)
  }
}

/** The stream files and written files that belong to shard `index` of `count` (what `--shard i/N` works on). */
export function shardMembers(
  streams: readonly PlanStream[],
  bindings: readonly PlanBinding[],
  index: number,
  count: number
): { streamFiles: Set<string>; files: Set<string> } {
  const comps = components(streams, bindings)
  const where = assign(comps, count)
  const streamFiles = new Set<string>()
  const files = new Set<string>()
  comps.forEach((c, k) => {
    if (where[k] !== index - 1) return
    for (const f of c.streamFiles) streamFiles.add(f)
    for (const f of c.files) files.add(f)
  })
  return { streamFiles, files }
}
