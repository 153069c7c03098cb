/**
 * PROTOTYPE for the benchmark (`npm run bench -- --prototype parallel-writes`): a copy of src/pipeline/write-files.ts
 * that stages files concurrently (marked below). Not used by the product.
 */
/**
 * Writes a run's changed files as one unit. Each file is replaced atomically (temp + fsync + rename), and the
 * set is journaled: the new contents are staged next to their targets first, a journal listing them is written,
 * then the renames happen. A run killed in the middle leaves the journal behind, and the next run (any command)
 * finishes the renames before it reads anything — so the tree is either as it was or fully updated, never between.
 */
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative } from 'node:path'
import { InputError } from '../../src/util/errors.js'

export const JOURNAL = '.imagestream-journal.json'
/** Files staged at once (libuv's pool has 4 threads; more in flight keeps them and the disk queue busy). */
const WRITE_CONCURRENCY = 16

interface JournalEntry {
  path: string
  temp: string
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, constants.O_RDONLY)
    try {
      await h.sync()
    } finally {
      await h.close()
    }
  } catch {
    // Some file systems cannot fsync a directory; the rename is still atomic.
  }
}

async function writeDurable(file: string, bytes: Buffer, mode: number): Promise<void> {
  const h = await open(file, constants.O_CREAT | constants.O_TRUNC | constants.O_WRONLY, mode)
  try {
    await h.writeFile(bytes)
    await h.chmod(mode)
    await h.sync()
  } finally {
    await h.close()
  }
}

function inside(root: string, path: string): string {
  if (isAbsolute(path) || path.split(/[\\/]/).includes('..')) {
    throw new InputError(`refusing to write "${path}": paths must stay inside the repository`)
  }
  const full = join(root, path)
  const rel = relative(root, full)
  if (rel.startsWith('..') || isAbsolute(rel)) throw new InputError(`refusing to write "${path}" outside the repository`)
  return full
}

/** Finishes a journaled write that a killed process left behind. Returns the paths it completed. */
export async function recoverInterruptedWrite(root: string): Promise<string[]> {
  const journalPath = join(root, JOURNAL)
  let entries: JournalEntry[]
  try {
    entries = JSON.parse(await readFile(journalPath, 'utf8')) as JournalEntry[]
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    // A journal that is itself half-written means the renames never started: drop it and its staged files.
    await unlink(journalPath).catch(() => {})
    return []
  }
  const done: string[] = []
  for (const e of entries) {
    const target = inside(root, e.path)
    const temp = inside(root, e.temp)
    try {
      await rename(temp, target)
      done.push(e.path)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err // already renamed before the kill
    }
  }
  await unlink(journalPath).catch(() => {})
  await fsyncDir(root)
  return done
}

/** Writes every file whose bytes differ; returns the paths written. */
export async function writeFiles(root: string, files: ReadonlyArray<{ path: string; text: string }>): Promise<string[]> {
  const realRoot = await realpath(root)
  await recoverInterruptedWrite(realRoot)
  const staged: Array<JournalEntry & { full: string; fullTemp: string }> = []
  try {
    // PROTOTYPE (the change from src/pipeline/write-files.ts): stage files WRITE_CONCURRENCY at a time instead of one
    // after another. Each staging is stat + compare + open/write/fsync/close, and fsync waits on the disk: in series,
    // 8 000 files cost 8 000 disk waits; overlapped in libuv's thread pool they share them. The journal, the order of
    // renames and the all-or-nothing guarantee are unchanged (staged is sorted back into input order).
    const order = new Map(files.map((f, i) => [f.path, i]))
    let next = 0
    const stageOne = async (f: { path: string; text: string }): Promise<void> => {
      const full = inside(realRoot, f.path)
      const bytes = Buffer.from(f.text, 'utf8')
      let mode = 0o644
      try {
        const info = await stat(full)
        mode = info.mode & 0o7777
        if (info.size === bytes.length && (await readFile(full)).equals(bytes)) return
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      }
      const temp = join(dirname(f.path), `.${f.path.split('/').pop()}.${randomBytes(6).toString('hex')}.imagestream-tmp`)
      const fullTemp = inside(realRoot, temp)
      staged.push({ path: f.path, temp, full, fullTemp })
      await writeDurable(fullTemp, bytes, mode)
    }
    const worker = async (): Promise<void> => {
      while (next < files.length) await stageOne(files[next++]!)

    }
    // allSettled: on a failure, wait for the other workers before the cleanup below unlinks what they staged.
    const settled = await Promise.allSettled(Array.from({ length: Math.min(WRITE_CONCURRENCY, files.length) }, worker))
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed) throw failed.reason
    staged.sort((a, b) => order.get(a.path)! - order.get(b.path)!)
    if (staged.length === 0) return []
    if (staged.length > 1) {
      // The journal makes several renames one unit; a single rename is atomic on its own.
      const journal = inside(realRoot, JOURNAL)
      const tmpJournal = `${journal}.${randomBytes(6).toString('hex')}.tmp`
      await writeDurable(tmpJournal, Buffer.from(JSON.stringify(staged.map(({ path, temp }) => ({ path, temp })))), 0o644)
      await rename(tmpJournal, journal)
      await fsyncDir(realRoot)
    }
  } catch (err) {
    for (const s of staged) await unlink(s.fullTemp).catch(() => {})
    throw err
  }
  for (const s of staged) await rename(s.fullTemp, s.full)
  const dirs = [...new Set(staged.map((s) => dirname(s.full)))]
  for (let i = 0; i < dirs.length; i += WRITE_CONCURRENCY) await Promise.all(dirs.slice(i, i + WRITE_CONCURRENCY).map(fsyncDir))
  if (staged.length > 1) await unlink(join(realRoot, JOURNAL)).catch(() => {})
  return staged.map((s) => s.path)
}
