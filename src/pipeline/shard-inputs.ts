/**
 * What `plan` and `--shard` read from the repository: every stream with the registry references its importable tags
 * resolve, and every binding in the manifests. No registry request: a plan is made in seconds, before any shard runs.
 */
import { parseStreamTag } from '../reference/names.js'
import { PROMOTE_FROM_ANNOTATION } from '../stream/rules/promotion.js'
import { tryParseReference, formatCanonical } from '../reference/reference.js'
import { tagImportable } from '../stream/rules/pending.js'
import { loadStreams } from '../stream/state-store.js'
import { findBindings } from '../triggers/find.js'
import { scanManifests } from '../triggers/scan.js'
import type { Diagnostic } from '../util/errors.js'
import {
  checkShardCount,
  planShards,
  shardMembers,
  type PlanBinding,
  type PlanStream,
  type ShardPlan
} from './shard-plan.js'

export interface ShardInputs {
  streams: PlanStream[]
  bindings: PlanBinding[]
  diagnostics: Diagnostic[]
}

export async function readShardInputs(
  root: string,
  streamsGlob: string | string[],
  manifests: { include?: string[]; exclude?: string[] } = {}
): Promise<ShardInputs> {
  const loaded = await loadStreams(root, streamsGlob)
  const streams: PlanStream[] = loaded.streams.map((l) => {
    const tags = l.stream.spec?.tags ?? []
    const references = tags
      .filter((t) => tagImportable(t) && t.from?.kind === 'DockerImage')
      .map((t) => {
        // Spelled differently, the same image is one lookup: compare canonical forms.
        const ref = tryParseReference(t.from!.name)
        return ref ? formatCanonical(ref) : t.from!.name
      })
    const namespace = l.stream.metadata.namespace
    const links = tags.flatMap((t) => {
      const out: Array<{ namespace?: string; stream: string }> = []
      if (t.from && (t.from.kind === 'ImageStreamTag' || t.from.kind === 'ImageStreamImage')) {
        const name = t.from.name.split(/[:@]/)[0]!
        const ns = t.from.namespace || namespace
        if (name) out.push({ stream: name, ...(ns ? { namespace: ns } : {}) })
      }
      // A promotion reads its upstream streams (imagestream-action.dev/promote-from: [ns/]stream:tag, …).
      for (const word of (t.annotations?.[PROMOTE_FROM_ANNOTATION] ?? '').split(',')) {
        // A malformed word is the promotion step's error to report; the plan only needs the names it can read.
        const name = parseStreamTag(word.trim(), true)
        const ns = name?.namespace ?? namespace
        if (name) out.push({ stream: name.name, ...(ns ? { namespace: ns } : {}) })
      }
      return out
    })
    return {
      links,
      file: l.file,
      name: l.stream.metadata.name,
      ...(l.stream.metadata.namespace ? { namespace: l.stream.metadata.namespace } : {}),
      tags: tags.length,
      references
    }
  })
  const scanned = await scanManifests(root, { ...manifests, streamGlob: streamsGlob })
  const bindings: PlanBinding[] = []
  for (const f of scanned.files) {
    for (const b of findBindings(f.path, f.text).bindings) {
      bindings.push({
        file: f.path,
        from: { stream: b.from.stream, ...(b.from.namespace ? { namespace: b.from.namespace } : {}) }
      })
    }
  }
  return { streams, bindings, diagnostics: [...loaded.diagnostics, ...scanned.diagnostics] }
}

/** What shard `index` of `count` owns: its stream files and every file they write (`--shard i/N`). */
export async function shardScope(
  root: string,
  streamsGlob: string | string[],
  manifests: { include?: string[]; exclude?: string[] } | undefined,
  shard: { index: number; count: number }
): Promise<{ streamFiles: Set<string>; files: Set<string> }> {
  const inputs = await readShardInputs(root, streamsGlob, manifests)
  return shardMembers(inputs.streams, inputs.bindings, shard.index, shard.count)
}

/** `plan --shards N`: the matrix of at most N shards, byte-stable across runs; diagnostics say what was unreadable. */
export async function planRepository(
  root: string,
  streamsGlob: string | string[],
  manifests: { include?: string[]; exclude?: string[] } | undefined,
  count: number
): Promise<{ plan: ShardPlan; diagnostics: Diagnostic[] }> {
  checkShardCount(count)
  const inputs = await readShardInputs(root, streamsGlob, manifests)
  return { plan: planShards(inputs.streams, inputs.bindings, count), diagnostics: inputs.diagnostics }
}
