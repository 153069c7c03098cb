/**
 * Writes a run's changed files as one unit. Each file is replaced atomically (temp + fsync + rename), and the set is
 * journaled in two phases:
 *   1. the journal is written in state "staging", naming every target and its temp file; then the temps are written;
 *   2. the journal flips to "committing"; then the renames happen; then the journal is removed.
 * A run killed in phase 1 leaves temps that the next run deletes (the tree was never touched); a run killed in phase
 * 2 leaves renames that the next run finishes before it reads anything. So the tree is either as it was or fully
 * updated — never between, once any command has started after the kill — and no temp file is left behind.
 */
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { open, readdir, readFile, realpath, rename, stat, unlink } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative } from 'node:path'
import { InputError } from '../util/errors.js'
import { withWriteLock } from './write-lock.js'
import { encodedLength, encodeText } from '../yaml/bytes.js'

export const JOURNAL = '.imagestream-journal.json'
/** The journal's own temp files (see writeJournal). */
const JOURNAL_TEMP = /^\.imagestream-journal\.json\.[0-9a-f]+\.tmp$/
/**
 * Files checked or staged at once. Each staging waits on the disk (fsync); one after another, 8,000 files cost 8,000
 * waits, while overlapped in libuv's thread pool they share them. 16 keeps the pool's 4 threads and the disk queue busy.
 */
const CONCURRENCY = 16

interface JournalEntry {
  path: string
  temp: string
}

interface Journal {
  state: 'staging' | 'committing'
  entries: JournalEntry[]
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
  if (rel.startsWith('..') || isAbsolute(rel))
    throw new InputError(`refusing to write "${path}" outside the repository`)
  return full
}

/** The journal is itself replaced atomically, so it is always one whole state or the other. */
async function writeJournal(root: string, journal: Journal): Promise<void> {
  const path = join(root, JOURNAL)
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  await writeDurable(tmp, Buffer.from(JSON.stringify(journal)), 0o644)
  await rename(tmp, path)
  await fsyncDir(root)
}

function parseJournal(text: string): Journal | undefined {
  const data = JSON.parse(text) as unknown
  // A journal written before the two phases existed is a list of renames to finish.
  if (Array.isArray(data)) return { state: 'committing', entries: data as JournalEntry[] }
  const j = data as Journal
  if ((j.state === 'staging' || j.state === 'committing') && Array.isArray(j.entries)) return j
  return undefined
}

/**
 * Finishes (or rolls back) a journaled write that a killed process left behind. Returns the paths it completed.
 * Holds the write lock, so it never touches the journal of a run that is still alive.
 */
export async function recoverInterruptedWrite(root: string): Promise<string[]> {
  return withWriteLock(root, () => recoverUnlocked(root))
}

async function recoverUnlocked(root: string): Promise<string[]> {
  // A run killed while it wrote the journal itself leaves that journal's temp file: under the lock, it is nobody's.
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (JOURNAL_TEMP.test(name)) await unlink(join(root, name)).catch(() => {})
  }
  const journalPath = join(root, JOURNAL)
  let journal: Journal | undefined
  try {
    journal = parseJournal(await readFile(journalPath, 'utf8'))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    journal = undefined
  }
  if (!journal) {
    // Unreadable: the atomic journal write means this cannot be a half-written one; drop what cannot be trusted.
    await unlink(journalPath).catch(() => {})
    return []
  }
  const done: string[] = []
  for (const e of journal.entries) {
    const target = inside(root, e.path)
    const temp = inside(root, e.temp)
    if (journal.state === 'staging') {
      await unlink(temp).catch(() => {}) // the tree was never touched: roll back
      continue
    }
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
export async function writeFiles(
  root: string,
  files: ReadonlyArray<{ path: string; text: string }>
): Promise<string[]> {
  const realRoot = await realpath(root)
  return withWriteLock(realRoot, () => writeLocked(realRoot, files))
}

/**
 * Runs `fn` over `items`, at most `limit` at a time. After a failure no further item starts, and the promise rejects
 * (with the first error) only once every started call has settled, so the caller's clean-up sees all they did.
 */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>
): Promise<void> {
  let next = 0
  let failed = false
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++
      try {
        await fn(items[i], i)
      } catch (err) {
        failed = true
        throw err
      }
    }
  }
  const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker))
  const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (rejected) throw rejected.reason
}

async function writeLocked(realRoot: string, files: ReadonlyArray<{ path: string; text: string }>): Promise<string[]> {
  await recoverUnlocked(realRoot)

  // Which files differ (read-only). Their bytes are not kept: they are encoded again when staged, so a large run does
  // not hold a second copy of every file.
  const differs: Array<(JournalEntry & { full: string; fullTemp: string; text: string; mode: number }) | undefined> =
    new Array(files.length)
  await eachLimited(files, CONCURRENCY, async (f, i) => {
    const full = inside(realRoot, f.path)
    let mode = 0o644
    try {
      const info = await stat(full)
      mode = info.mode & 0o7777
      if (info.size === encodedLength(f.text) && (await readFile(full)).equals(encodeText(f.text))) return
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    // Dot-prefixed so that globs like `imagestreams/**/*.yaml` never pick a temp up.
    const temp = join(dirname(f.path), `.${f.path.split('/').pop()}.${randomBytes(6).toString('hex')}.imagestream-tmp`)
    differs[i] = { path: f.path, temp, full, fullTemp: inside(realRoot, temp), text: f.text, mode }
  })
  // In input order, whichever check finished first.
  const pending = differs.filter((p) => p !== undefined)
  if (pending.length === 0) return []

  const entries = pending.map(({ path, temp }) => ({ path, temp }))
  // Phase 1: the journal names every temp before the first one is created.
  await writeJournal(realRoot, { state: 'staging', entries })
  try {
    await eachLimited(pending, CONCURRENCY, (p) => writeDurable(p.fullTemp, encodeText(p.text), p.mode))
  } catch (err) {
    // eachLimited waited for every staging in flight, so no temp appears after this clean-up.
    for (const p of pending) await unlink(p.fullTemp).catch(() => {})
    await unlink(join(realRoot, JOURNAL)).catch(() => {})
    throw err
  }
  // Phase 2: every temp is durable; the journal says so before the first rename.
  await writeJournal(realRoot, { state: 'committing', entries })
  for (const p of pending) await rename(p.fullTemp, p.full)
  await eachLimited([...new Set(pending.map((p) => dirname(p.full)))], CONCURRENCY, fsyncDir)
  await unlink(join(realRoot, JOURNAL)).catch(() => {})
  await fsyncDir(realRoot)
  return pending.map((p) => p.path)
}
