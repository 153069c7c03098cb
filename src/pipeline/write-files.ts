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
import { open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative } from 'node:path'
import { InputError } from '../util/errors.js'
import { withWriteLock } from './write-lock.js'

export const JOURNAL = '.imagestream-journal.json'

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
  if (rel.startsWith('..') || isAbsolute(rel)) throw new InputError(`refusing to write "${path}" outside the repository`)
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
export async function writeFiles(root: string, files: ReadonlyArray<{ path: string; text: string }>): Promise<string[]> {
  const realRoot = await realpath(root)
  return withWriteLock(realRoot, () => writeLocked(realRoot, files))
}

async function writeLocked(realRoot: string, files: ReadonlyArray<{ path: string; text: string }>): Promise<string[]> {
  await recoverUnlocked(realRoot)

  const pending: Array<JournalEntry & { full: string; fullTemp: string; bytes: Buffer; mode: number }> = []
  for (const f of files) {
    const full = inside(realRoot, f.path)
    const bytes = Buffer.from(f.text, 'utf8')
    let mode = 0o644
    try {
      const info = await stat(full)
      mode = info.mode & 0o7777
      if (info.size === bytes.length && (await readFile(full)).equals(bytes)) continue
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    // Dot-prefixed so that globs like `imagestreams/**/*.yaml` never pick a temp up.
    const temp = join(dirname(f.path), `.${f.path.split('/').pop()}.${randomBytes(6).toString('hex')}.imagestream-tmp`)
    pending.push({ path: f.path, temp, full, fullTemp: inside(realRoot, temp), bytes, mode })
  }
  if (pending.length === 0) return []

  const entries = pending.map(({ path, temp }) => ({ path, temp }))
  await writeJournal(realRoot, { state: 'staging', entries })
  try {
    for (const p of pending) await writeDurable(p.fullTemp, p.bytes, p.mode)
  } catch (err) {
    for (const p of pending) await unlink(p.fullTemp).catch(() => {})
    await unlink(join(realRoot, JOURNAL)).catch(() => {})
    throw err
  }
  await writeJournal(realRoot, { state: 'committing', entries })
  for (const p of pending) await rename(p.fullTemp, p.full)
  for (const dir of new Set(pending.map((p) => dirname(p.full)))) await fsyncDir(dir)
  await unlink(join(realRoot, JOURNAL)).catch(() => {})
  await fsyncDir(realRoot)
  return pending.map((p) => p.path)
}
