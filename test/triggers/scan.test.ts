/** The loader and writer on a real temporary directory. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { scanManifests } from '../../src/triggers/scan.js'
import { writeFiles } from '../../src/pipeline/write-files.js'
import { InputError } from '../../src/util/errors.js'

describe('scanManifests, and writeFiles on what it read', () => {
  let root: string
  let outside: string
  const put = (path: string, text = 'a: 1\n') => {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'triggers-scan-'))
    outside = mkdtempSync(join(tmpdir(), 'triggers-outside-'))
  })
  afterEach(() => {
    rmSync(root, { recursive: true, force: true })
    rmSync(outside, { recursive: true, force: true })
  })

  it('reads every yaml/yml file except stream files, .git, node_modules and excluded globs', async () => {
    for (const p of [
      'a.yaml',
      'b/c.yml',
      '.github/workflows/ci.yml',
      'imagestreams/web.yaml',
      '.git/x.yaml',
      'node_modules/m/x.yaml',
      'vendor/v.yaml',
      'notes.txt'
    ])
      put(p)
    const r = await scanManifests(root, { streamGlob: 'imagestreams/**/*.{yaml,yml}', exclude: ['vendor/**'] })
    expect(r.files.map((f) => f.path)).toEqual(['.github/workflows/ci.yml', 'a.yaml', 'b/c.yml'])
    expect(r.files[0].text).toBe('a: 1\n')
  })

  it('honours include globs', async () => {
    put('deploy/a.yaml')
    put('other/b.yaml')
    expect((await scanManifests(root, { include: ['deploy/**'] })).files.map((f) => f.path)).toEqual(['deploy/a.yaml'])
  })

  it.each([['../x/*.yaml'], ['/etc/*.yaml'], ['deploy/../../*.yaml'], ['C:/x.yaml']])(
    'refuses the glob %s',
    async (glob) => {
      await expect(scanManifests(root, { include: [glob] })).rejects.toThrow(InputError)
      await expect(scanManifests(root, { exclude: [glob] })).rejects.toThrow('must be relative to the repository root')
    }
  )

  it('never follows symbolic links (the target, if inside, is read under its own name) and skips big files', async () => {
    writeFileSync(join(outside, 'secret.yaml'), 'password: x\n')
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'link.yaml'))
    put('inside.yaml')
    symlinkSync(join(root, 'inside.yaml'), join(root, 'link-in.yaml'))
    put('big.yaml', `a: ${'x'.repeat(100)}\n`)
    const r = await scanManifests(root, { maxBytes: 50 })
    expect(r.files.map((f) => f.path)).toEqual(['inside.yaml'])
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        file: 'big.yaml',
        severity: 'notice',
        message: expect.stringContaining('more than 50')
      })
    ])
  })

  it('writes changed files atomically and reports only real changes', async () => {
    put('a.yaml', 'image: old\n')
    put('b.yaml', 'image: same\n')
    const written = await writeFiles(root, [
      { path: 'a.yaml', text: 'image: new\n' },
      { path: 'b.yaml', text: 'image: same\n' }
    ])
    expect(written).toEqual(['a.yaml'])
    expect(readFileSync(join(root, 'a.yaml'), 'utf8')).toBe('image: new\n')
    await expect(writeFiles(root, [{ path: '../escape.yaml', text: 'x' }])).rejects.toThrow(InputError)
  })
})
