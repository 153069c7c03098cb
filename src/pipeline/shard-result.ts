/**
 * What a sharded run hands to the one delivery job: the files it would change (each with the git blob id of the
 * pre-image it was computed from), the tag changes, failures, holds and promotions. A sharded run writes this one file (an
 * artifact) and makes no GitHub write and no push; `deliver` combines every shard's file and delivers once, so
 * GitHub's write budget is spent in one place.
 *
 * Combining refuses what would lose or corrupt work: two shards changing one file (the plan never does that; a
 * hand-made matrix might), a file that changed since the shard read it (a stale pre-image), shards of different
 * plans. A refused shard's changes are left out whole (never half of a shard's files), and said.
 */
import { blobSha } from '../util/git-hash.js'
import type { HeldTag, TagChange, TagFailure } from '../report/types.js'
import type { Edit } from '../triggers/types.js'
import type { Diagnostic } from '../util/errors.js'
import type { PromotionReport } from './promote-step.js'
import { parseShardSpec } from './shard-plan.js'

export const SHARD_RESULT_FORMAT = 'imagestream-action/shard-result'
export const SHARD_RESULT_VERSION = 1
/** An artifact larger than this is refused before it is parsed. */
export const MAX_SHARD_RESULT_BYTES = 256 * 1024 * 1024

export interface ShardFile {
  path: string
  kind: 'stream' | 'manifest'
  /** Blob id of the file the shard read (`git hash-object`); null: the shard created the file. */
  before: string | null
  after: string
  /** The manifest edits made in this file (delivery groups a shared manifest's edits by stream tag). */
  edits?: Edit[]
}

export interface ShardResult {
  format: typeof SHARD_RESULT_FORMAT
  version: typeof SHARD_RESULT_VERSION
  /** `i/N`. */
  shard: string
  /** The stream files the shard owned (from the plan). */
  streams: string[]
  files: ShardFile[]
  changes: TagChange[]
  failures: TagFailure[]
  held: HeldTag[]
  diagnostics: Diagnostic[]
  /** The automatic promotions of a sharded `sync` (delivery proposes each promoted tag on its own); absent: none. */
  promotions?: PromotionReport[]
}

/** The result of one sharded run, from the pipeline's result (nothing written). */
export function shardResultOf(
  shard: string,
  streams: readonly string[],
  run: {
    files: ReadonlyArray<{ path: string; kind: 'stream' | 'manifest'; before: string; after: string; edits?: Edit[] }>
    changes: TagChange[]
    failures: TagFailure[]
    held: HeldTag[]
    diagnostics: Diagnostic[]
    promotions?: PromotionReport[]
  },
  created: ReadonlySet<string> = new Set()
): ShardResult {
  parseShardSpec(shard)
  return {
    format: SHARD_RESULT_FORMAT,
    version: SHARD_RESULT_VERSION,
    shard,
    streams: [...streams].sort(),
    files: run.files.map((f) => ({
      path: f.path,
      kind: f.kind,
      before: created.has(f.path) ? null : blobSha(f.before),
      after: f.after,
      ...(f.edits ? { edits: f.edits } : {})
    })),
    changes: run.changes,
    failures: run.failures,
    held: run.held,
    diagnostics: run.diagnostics,
    ...(run.promotions?.length ? { promotions: run.promotions } : {})
  }
}

function isSafePath(path: string): boolean {
  return (
    path.length > 0 &&
    path.length <= 4096 &&
    !path.startsWith('/') &&
    !/[\0\\]/.test(path) &&
    path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..')
  )
}

/** Reads a shard result, strictly: anything that is not what `shardResultOf` writes is refused with the reason. */
export function parseShardResult(text: string, source: string): ShardResult {
  const fail = (why: string): never => {
    throw new Error(`${source}: not a shard result (${why}); give deliver the files the sharded runs wrote`)
  }
  if (Buffer.byteLength(text, 'utf8') > MAX_SHARD_RESULT_BYTES) fail(`larger than ${MAX_SHARD_RESULT_BYTES} bytes`)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    return fail(`invalid JSON: ${(err as Error).message}`)
  }
  const r = value as Partial<ShardResult>
  if (!r || typeof r !== 'object' || r.format !== SHARD_RESULT_FORMAT) fail(`"format" is not ${SHARD_RESULT_FORMAT}`)
  if (r.version !== SHARD_RESULT_VERSION)
    fail(`version ${String(r.version)}; this tool reads version ${SHARD_RESULT_VERSION}`)
  if (typeof r.shard !== 'string') fail('"shard" is missing')
  try {
    parseShardSpec(r.shard!)
  } catch (err) {
    fail((err as Error).message)
  }
  for (const key of ['streams', 'files', 'changes', 'failures', 'held', 'diagnostics'] as const) {
    if (!Array.isArray(r[key])) fail(`"${key}" is not a list`)
  }
  if (r.promotions !== undefined && !Array.isArray(r.promotions)) fail('"promotions" is not a list')
  for (const s of r.streams!) if (typeof s !== 'string' || !isSafePath(s)) fail(`stream path ${JSON.stringify(s)}`)
  for (const f of r.files!) {
    if (!f || typeof f.path !== 'string' || !isSafePath(f.path)) fail(`file path ${JSON.stringify(f?.path)}`)
    if (f.kind !== 'stream' && f.kind !== 'manifest') fail(`${f.path}: kind ${JSON.stringify(f.kind)}`)
    if (f.before !== null && !(typeof f.before === 'string' && /^[0-9a-f]{40}$/.test(f.before)))
      fail(`${f.path}: pre-image id`)
    if (typeof f.after !== 'string') fail(`${f.path}: content`)
    if (f.edits !== undefined && !Array.isArray(f.edits)) fail(`${f.path}: edits`)
  }
  return r as ShardResult
}

export interface RefusedShard {
  shard: string
  reason: string
}

export interface CombinedResult {
  files: Array<{ path: string; kind: 'stream' | 'manifest'; before: string; after: string; edits?: Edit[] }>
  changes: TagChange[]
  failures: TagFailure[]
  held: HeldTag[]
  diagnostics: Diagnostic[]
  /** The promotions of the shards that were not refused. */
  promotions: PromotionReport[]
  /** Shards whose changes were left out, and why. */
  refused: RefusedShard[]
  /** Per shard, for the summary. */
  shards: Array<{ shard: string; changes: number; failures: number; refused?: string }>
}

/**
 * Every shard's changes on one tree. `read` gives a file's current text (null: absent) on the base the delivery
 * will commit on; a shard whose pre-image differs from it is refused (computed on an older tree).
 */
export async function combineShardResults(
  results: readonly ShardResult[],
  read: (path: string) => Promise<string | null>
): Promise<CombinedResult> {
  const counts = new Set(results.map((r) => parseShardSpec(r.shard).count))
  if (counts.size > 1)
    throw new Error(`the shard results come from different plans (${[...counts].map((n) => `N=${n}`).join(', ')})`)
  const seen = new Map<string, string>()
  for (const r of results) {
    if (seen.has(r.shard)) throw new Error(`shard ${r.shard} is given twice`)
    seen.set(r.shard, r.shard)
  }
  const owner = new Map<string, string>()
  const conflicts: string[] = []
  for (const r of results) {
    for (const path of new Set([...r.streams, ...r.files.map((f) => f.path)])) {
      const other = owner.get(path)
      if (other && other !== r.shard) conflicts.push(`${path} (shards ${other} and ${r.shard})`)
      owner.set(path, r.shard)
    }
  }
  if (conflicts.length) {
    throw new Error(
      `shards overlap, so their changes cannot be combined safely: ${conflicts.slice(0, 10).join('; ')}; plan the shards with imagestream plan`
    )
  }

  const out: CombinedResult = {
    files: [],
    changes: [],
    failures: [],
    held: [],
    diagnostics: [],
    promotions: [],
    refused: [],
    shards: []
  }
  for (const r of [...results].sort((a, b) => parseShardSpec(a.shard).index - parseShardSpec(b.shard).index)) {
    const files: CombinedResult['files'] = []
    let stale: string | undefined
    for (const f of r.files) {
      const current = await read(f.path)
      const id = current === null ? null : blobSha(current)
      if (id !== f.before) {
        stale = `${f.path} changed since the shard read it; run the shard again on the current base`
        break
      }
      files.push({
        path: f.path,
        kind: f.kind,
        before: current ?? '',
        after: f.after,
        ...(f.edits ? { edits: f.edits } : {})
      })
    }
    // Failures and holds are facts of the run either way; a refused shard's changes are not delivered.
    out.failures.push(...r.failures)
    out.held.push(...r.held)
    out.diagnostics.push(...r.diagnostics)
    if (stale) {
      out.refused.push({ shard: r.shard, reason: stale })
      out.shards.push({ shard: r.shard, changes: 0, failures: r.failures.length, refused: stale })
      continue
    }
    out.files.push(...files)
    out.changes.push(...r.changes)
    out.promotions.push(...(r.promotions ?? []))
    out.shards.push({ shard: r.shard, changes: r.changes.length, failures: r.failures.length })
  }
  return out
}
