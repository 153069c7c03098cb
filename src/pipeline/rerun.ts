/**
 * Running a command again on another base (a branch that moved while this run worked): the stream files and the
 * files the first run changed are read from that base, everything else comes from the checkout, so both the other
 * change and ours survive. Registry answers should be replayed from the first pass (replayRegistry), so the second
 * computation sees what the first one saw.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { ImageReference } from '../reference/types.js'
import type { RegistryClient, ResolveOptions } from '../registry/types.js'
import { scanManifests } from '../triggers/scan.js'
import type { Command } from './commands.js'
import { runCommand, type CommandResult, type Workspace } from './execute.js'

/** Reads a file of the other base (null = absent there). */
export type BaseReader = (path: string) => Promise<string | null>

export async function rerunOnBase(
  command: Command,
  workspace: Workspace,
  previous: Pick<CommandResult, 'streams' | 'files'>,
  read: BaseReader
): Promise<CommandResult> {
  const dir = await mkdtemp(join(tmpdir(), 'imagestream-rebase-'))
  try {
    const put = async (path: string, text: string | null): Promise<void> => {
      const full = join(dir, path)
      if (text === null) {
        await rm(full, { force: true })
        return
      }
      await mkdir(dirname(full), { recursive: true })
      await writeFile(full, text)
    }
    // The checkout's manifests and stream files first (paths come from our own scans, never from a payload) …
    const scanned = await scanManifests(workspace.root, { ...workspace.manifests, streamGlob: workspace.streamsGlob })
    for (const f of scanned.files) await put(f.path, f.text)
    const streamFiles = new Set([...previous.streams.map((s) => s.file), ...previous.files.map((f) => f.path)])
    for (const path of streamFiles)
      await put(path, await readFile(join(workspace.root, path), 'utf8').catch(() => null))
    // … then every stream file and every file this run changed, as the other base has them.
    for (const path of streamFiles) await put(path, await read(path))
    return await runCommand(command, { ...workspace, root: dir, write: false })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Replays identical registry questions from memory: a recomputation sees the answers the first pass saw. */
export function replayRegistry(inner: RegistryClient): RegistryClient {
  const cache = new Map<string, Promise<unknown>>()
  const memo = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    let hit = cache.get(key) as Promise<T> | undefined
    if (!hit) {
      hit = fn()
      cache.set(key, hit)
      // A failure is replayed too (the same run must not see a tag both missing and present), but not kept forever.
      hit.catch(() => {})
    }
    return hit
  }
  const k = (op: string, ref: ImageReference, options: unknown) => JSON.stringify([op, ref, options ?? null])
  return {
    resolve: (ref: ImageReference, options?: ResolveOptions) =>
      memo(k('resolve', ref, options), () => inner.resolve(ref, options)),
    listTags: (ref: ImageReference, options?: { insecure?: boolean }) =>
      memo(k('tags', ref, options), () => inner.listTags(ref, options)),
    metadata: (ref: ImageReference, options?: ResolveOptions) =>
      memo(k('metadata', ref, options), () => inner.metadata(ref, options)),
    close: () => inner.close()
  }
}
