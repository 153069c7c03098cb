/**
 * The two ends of a sharded run (docs/scale-out.md): a shard writes its result to one file and delivers nothing; the
 * one delivery job reads every shard's file, combines them (refusing overlaps and stale pre-images, shard by shard)
 * and hands the combined change to the usual delivery, so GitHub's write budget is spent in one place.
 */
import { readFile, stat, writeFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { glob } from 'tinyglobby'
import { parseStreamFile } from '../stream/state-file.js'
import { loadStreams } from '../stream/state-store.js'
import { InputError } from '../util/errors.js'
import { decodeText } from '../yaml/bytes.js'
import type { CommandResult } from './execute.js'
import { combineShardResults, MAX_SHARD_RESULT_BYTES, parseShardResult, shardResultOf } from './shard-result.js'

/** Writes a shard's result where the workflow uploads it from; returns the path written. */
export async function writeShardResult(
  path: string,
  shard: string,
  result: Pick<CommandResult, 'files' | 'streams' | 'changes' | 'failures' | 'held' | 'diagnostics'> &
    Partial<Pick<CommandResult, 'promotions'>>
): Promise<string> {
  const created = new Set(result.files.filter((f) => f.before === '').map((f) => f.path))
  const owned = result.streams.map((s) => s.file)
  await writeFile(path, JSON.stringify(shardResultOf(shard, owned, result, created)))
  return path
}

/** The shard result files a delivery job names: paths or globs, relative to the repository root or absolute. */
async function resultFiles(root: string, patterns: readonly string[]): Promise<string[]> {
  const out: string[] = []
  for (const p of patterns) {
    if (/[*?[{]/.test(p)) out.push(...(await glob(p, { cwd: root, absolute: true, onlyFiles: true })).sort())
    else out.push(isAbsolute(p) ? p : join(root, p))
  }
  if (out.length === 0)
    throw new InputError(`no shard result matches ${patterns.join(', ')}`, { field: 'shard-results' })
  return [...new Set(out)]
}

/** Every shard's result combined on the checkout, as one command result that delivery takes like any other. */
export async function combineShards(
  root: string,
  streamsGlob: string,
  patterns: readonly string[]
): Promise<CommandResult> {
  const results = []
  for (const file of await resultFiles(root, patterns)) {
    const size = await stat(file).then(
      (s) => s.size,
      () => -1
    )
    if (size < 0)
      throw new InputError(`${file} does not exist; download the shard artifacts first`, { field: 'shard-results' })
    if (size > MAX_SHARD_RESULT_BYTES)
      throw new InputError(`${file} is larger than a shard result can be`, { field: 'shard-results' })
    results.push(parseShardResult(await readFile(file, 'utf8'), file))
  }
  const read = (path: string) => readFile(join(root, path)).then(decodeText, () => null)
  const combined = await combineShardResults(results, read)
  const loaded = await loadStreams(root, streamsGlob)
  const changed = new Map(combined.files.filter((f) => f.kind === 'stream').map((f) => [f.path, f.after]))
  const streams = loaded.streams.map((l) => {
    const after = changed.get(l.file)
    const parsed = after === undefined ? undefined : parseStreamFile(after, l.file).stream
    return { file: l.file, stream: parsed ?? l.stream }
  })
  const refused = combined.refused.map((r) => ({
    severity: 'error' as const,
    message: `shard ${r.shard} left out: ${r.reason}`
  }))
  return {
    files: combined.files,
    builds: [],
    changes: combined.changes,
    failures: combined.failures,
    held: combined.held,
    policy: [],
    promotions: combined.promotions,
    diagnostics: [...loaded.diagnostics, ...combined.diagnostics, ...refused],
    streams,
    edits: [],
    lookups: 0,
    requested: 0,
    ...(combined.files.length === 0 ? { idleReason: 'no shard changed a file' } : {}),
    written: [],
    messages: combined.shards.map(
      (s) =>
        `shard ${s.shard}: ${s.refused ? `left out (${s.refused})` : `${s.changes} change(s)`}, ${s.failures} failure(s)`
    ),
    edited: []
  }
}
