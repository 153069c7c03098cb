/**
 * One writer at a time per repository. Two runs over the same working tree (two terminals, a hook and a cron job,
 * two pipelines in one process) would otherwise interleave their journals: one run's recovery would roll back or
 * finish the other's write half-way. The lock is a file created exclusively in the root, holding the owner's pid;
 * a lock whose process is gone (a killed run) is taken over, so a SIGKILL never wedges the repository.
 */
import { constants } from 'node:fs'
import { open, readFile, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { InputError } from '../util/errors.js'

export const LOCK = '.imagestream-lock'

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** How long a lock file may stay empty before its creator counts as dead. */
const EMPTY_LOCK_GRACE_MS = 5_000

async function olderThan(path: string, ms: number): Promise<boolean> {
  const info = await stat(path).catch(() => undefined)
  return info !== undefined && Date.now() - info.mtimeMs > ms
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' // exists, owned by someone else
  }
}

async function tryAcquire(path: string): Promise<boolean> {
  try {
    const h = await open(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644)
    try {
      await h.writeFile(String(process.pid))
    } finally {
      await h.close()
    }
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
}

/** Runs `work` holding the repository's write lock; waits (bounded) while another live run holds it. */
export async function withWriteLock<T>(root: string, work: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const path = join(root, LOCK)
  const started = Date.now()
  for (let attempt = 0; ; attempt++) {
    if (await tryAcquire(path)) break
    const text = (await readFile(path, 'utf8').catch(() => '')).trim()
    const holder = Number(text)
    // An empty lock file is a holder between creating it and writing its pid — alive, unless that moment is long
    // past (it died there). Taking over at once let two writers of one process both proceed.
    const dead = text === '' ? await olderThan(path, EMPTY_LOCK_GRACE_MS) : !alive(holder)
    if (dead) {
      await unlink(path).catch(() => {})
      continue
    }
    if (Date.now() - started > timeoutMs) {
      throw new InputError(
        `another imagestream run (pid ${holder}) is writing this repository (${LOCK}); wait for it to finish, or ` +
          'remove the file if no run is active'
      )
    }
    await sleep(Math.min(200, 10 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random()))
  }
  try {
    return await work()
  } finally {
    await unlink(path).catch(() => {})
  }
}
