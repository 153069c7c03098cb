/**
 * The journaled multi-file write and its lock, on a real temp directory: concurrent writers in one process are
 * serialized, a lock left by a dead process is taken over, a live one is waited for and then reported clearly.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { JOURNAL, recoverInterruptedWrite, writeFiles } from '../../src/pipeline/write-files.js'
import { LOCK, withWriteLock } from '../../src/pipeline/write-lock.js'

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'imagestream-write-'))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const leftovers = () => readdirSync(root).filter((f) => f.startsWith('.'))

describe('writeFiles', () => {
  it('writes only files whose bytes differ, and leaves no journal, lock or temp file behind', async () => {
    writeFileSync(join(root, 'same.yaml'), 'a: 1\n')
    const written = await writeFiles(root, [
      { path: 'same.yaml', text: 'a: 1\n' },
      { path: 'new.yaml', text: 'b: 2\n' }
    ])
    expect(written).toEqual(['new.yaml'])
    expect(readFileSync(join(root, 'new.yaml'), 'utf8')).toBe('b: 2\n')
    expect(leftovers()).toEqual([])
  })

  it('serializes concurrent writers on one repository: every write lands whole, none is lost', async () => {
    const runs = Array.from({ length: 6 }, (_, i) =>
      writeFiles(root, [
        { path: `f${i}.yaml`, text: `run: ${i}\n` },
        { path: 'shared.yaml', text: `last: ${i}\n` }
      ])
    )
    await Promise.all(runs)
    for (let i = 0; i < 6; i++) expect(readFileSync(join(root, `f${i}.yaml`), 'utf8')).toBe(`run: ${i}\n`)
    expect(readFileSync(join(root, 'shared.yaml'), 'utf8')).toMatch(/^last: [0-5]\n$/)
    expect(leftovers()).toEqual([])
  })

  it('takes over a lock left by a process that no longer exists (a killed run)', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString()
    writeFileSync(join(root, LOCK), dead)
    expect(await writeFiles(root, [{ path: 'x.yaml', text: 'x: 1\n' }])).toEqual(['x.yaml'])
    expect(leftovers()).toEqual([])
  })

  it('waits for a live holder, and names it when it does not let go in time', async () => {
    await withWriteLock(root, async () => {
      await expect(withWriteLock(root, async () => 'never', 300)).rejects.toThrow(
        new RegExp(`another imagestream run \\(pid ${process.pid}\\) is writing this repository`)
      )
    })
    expect(await withWriteLock(root, async () => 'after', 300)).toBe('after')
  })

  it('recovery rolls a "staging" journal back and finishes a "committing" one', async () => {
    writeFileSync(join(root, 'a.yaml'), 'old\n')
    writeFileSync(join(root, '.a.tmp1.imagestream-tmp'), 'staged\n')
    writeFileSync(
      join(root, JOURNAL),
      JSON.stringify({ state: 'staging', entries: [{ path: 'a.yaml', temp: '.a.tmp1.imagestream-tmp' }] })
    )
    expect(await recoverInterruptedWrite(root)).toEqual([])
    expect(readFileSync(join(root, 'a.yaml'), 'utf8')).toBe('old\n')
    expect(leftovers()).toEqual([])

    writeFileSync(join(root, '.a.tmp2.imagestream-tmp'), 'new\n')
    writeFileSync(
      join(root, JOURNAL),
      JSON.stringify({ state: 'committing', entries: [{ path: 'a.yaml', temp: '.a.tmp2.imagestream-tmp' }] })
    )
    expect(await recoverInterruptedWrite(root)).toEqual(['a.yaml'])
    expect(readFileSync(join(root, 'a.yaml'), 'utf8')).toBe('new\n')
    expect(leftovers()).toEqual([])
  })

  it('recovery removes the temp file of a journal whose writer was killed while writing it', async () => {
    writeFileSync(join(root, `${JOURNAL}.0123456789ab.tmp`), '{"state":"stag')
    await recoverInterruptedWrite(root)
    expect(leftovers()).toEqual([])
  })

  it('refuses paths that leave the repository', async () => {
    await expect(writeFiles(root, [{ path: '../escape.yaml', text: 'x' }])).rejects.toThrow(/inside the repository/)
    expect(leftovers()).toEqual([])
  })
})
