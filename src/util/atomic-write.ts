/**
 * Replaces a file so that a reader (or a crash) only ever sees the old bytes or the new ones: the new text goes
 * to a temporary file in the same directory (rename is only atomic within one file system), is fsync'ed, and is
 * renamed over the target; the directory is fsync'ed so the rename itself survives a power loss.
 */
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { open, readFile, rename, stat, unlink } from 'node:fs/promises'
import { encodeText } from '../yaml/bytes.js'
import { basename, dirname, join } from 'node:path'

export interface AtomicWriteOptions {
  /** Mode for a file that does not exist yet (default 0o644, minus the umask as usual). Existing files keep theirs. */
  mode?: number
}

/**
 * Writes `data` to `file` atomically. Returns false, touching nothing, when the file already holds exactly these
 * bytes (so an unchanged state file keeps its mtime and never shows up in `git status`).
 */
export async function atomicWriteFile(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {}
): Promise<boolean> {
  const bytes = typeof data === 'string' ? encodeText(data) : Buffer.from(data)
  let mode = options.mode ?? 0o644
  let exists = false
  try {
    const info = await stat(file)
    if (!info.isFile()) throw new Error(`${file} is not a regular file`)
    exists = true
    mode = info.mode & 0o7777
    if (info.size === bytes.length && (await readFile(file)).equals(bytes)) return false
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }

  const dir = dirname(file)
  // Dot-prefixed so globs like `imagestreams/**/*.yaml` never pick up a leftover from a killed process.
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, mode)
  let renamed = false
  try {
    await handle.writeFile(bytes)
    // open() applies the umask; an existing file's mode must survive exactly (e.g. group-writable checkouts).
    if (exists) await handle.chmod(mode)
    await handle.sync()
    await handle.close()
    await rename(temp, file)
    renamed = true
  } finally {
    if (!renamed) {
      await handle.close().catch(() => {})
      await unlink(temp).catch(() => {})
    }
  }
  await syncDirectory(dir)
  return true
}

async function syncDirectory(dir: string): Promise<void> {
  let handle
  try {
    handle = await open(dir, constants.O_RDONLY)
    await handle.sync()
  } catch {
    // Some platforms (Windows) and file systems cannot fsync a directory; the rename is still atomic there.
  } finally {
    await handle?.close().catch(() => {})
  }
}
