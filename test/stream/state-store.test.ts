import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkGlob, loadStreams, type LoadedStream } from '../../src/stream/state-store.js'
import type { ImageStream } from '../../src/stream/types.js'
import { newStreamFile, renderStreamFile } from '../../src/stream/state-file.js'
import { writeFiles } from '../../src/pipeline/write-files.js'
import { InputError } from '../../src/util/errors.js'
import { DIGEST_C, fixture } from './state-support.js'

let root: string

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'state-store-'))
  await mkdir(join(root, 'imagestreams', 'team'), { recursive: true })
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

async function put(file: string, text: string) {
  await writeFile(join(root, file), text)
}

describe('loadStreams', () => {
  it('loads every *.yaml/*.yml under imagestreams/, sorted, and reports bad files without stopping', async () => {
    await put('imagestreams/web.yaml', fixture('web.yaml'))
    await put('imagestreams/team/runner.yml', fixture('reference-import-error.yaml'))
    await put(
      'imagestreams/broken.yaml',
      fixture('web.yaml').replace('name: "1.4"', 'name: 1.4').replace('name: web', 'name: broken')
    )
    await put('imagestreams/notes.txt', 'not a stream')
    await put('other.yaml', fixture('reference-history.yaml'))

    const { streams, diagnostics } = await loadStreams(root)
    expect(streams.map((s) => [s.file, s.stream.metadata.name])).toEqual([
      ['imagestreams/team/runner.yml', 'ansible-runner'],
      ['imagestreams/web.yaml', 'web']
    ])
    expect(diagnostics).toEqual([
      expect.objectContaining({
        file: 'imagestreams/broken.yaml',
        line: 17,
        column: 11,
        field: 'spec.tags[0].name',
        severity: 'error'
      })
    ])
    expect(streams[1].text).toBe(fixture('web.yaml'))
  })

  it('takes a glob relative to the root, and refuses ones that leave it', async () => {
    await put('other.yaml', fixture('reference-history.yaml'))
    expect((await loadStreams(root, 'other.yaml')).streams.map((s) => s.file)).toEqual(['other.yaml'])
    for (const bad of ['/etc/*.yaml', '../*.yaml', 'imagestreams/../../x.yaml', '!../x', 'C:\\streams\\*.yaml', '']) {
      await expect(loadStreams(root, bad)).rejects.toThrow(InputError)
    }
    expect(() => checkGlob('imagestreams/**/*.{yaml,yml}')).not.toThrow()
  })

  it('leaves out what a `!` line of the glob excludes (a kustomization next to its stream)', async () => {
    await mkdir(join(root, 'imagestreams', 'web'), { recursive: true })
    await put('imagestreams/web/web.yaml', fixture('web.yaml'))
    await put(
      'imagestreams/web/kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- web.yaml\n'
    )
    const all = await loadStreams(root, 'imagestreams/**/*.yaml')
    expect(all.streams.map((s) => s.file)).toEqual(['imagestreams/web/web.yaml'])
    expect(all.skipped.join()).toContain('imagestreams/web/kustomization.yaml')
    const excluded = await loadStreams(root, 'imagestreams/**/*.yaml\n!**/kustomization.yaml\n')
    expect(excluded.streams.map((s) => s.file)).toEqual(['imagestreams/web/web.yaml'])
    expect(excluded.skipped).toEqual([])
    expect(excluded.diagnostics).toEqual([])
    await expect(loadStreams(root, 'imagestreams/**/*.yaml\n!../x')).rejects.toThrow(InputError)
  })

  it('reports a second file for the same stream, and links that leave the repository', async () => {
    await put('imagestreams/a.yaml', fixture('web.yaml'))
    await put('imagestreams/b.yaml', fixture('web.yaml'))
    const outside = await mkdtemp(join(tmpdir(), 'state-outside-'))
    try {
      await writeFile(join(outside, 'secret.yaml'), fixture('reference-history.yaml'))
      await symlink(join(outside, 'secret.yaml'), join(root, 'imagestreams', 'link.yaml'))
      const { streams, diagnostics } = await loadStreams(root)
      expect(streams.map((s) => s.file)).toEqual(['imagestreams/a.yaml'])
      expect(diagnostics).toEqual([
        expect.objectContaining({
          file: 'imagestreams/b.yaml',
          line: 6,
          column: 9,
          field: 'metadata.name',
          message: expect.stringContaining('"shop/web" is already defined in imagestreams/a.yaml')
        }),
        expect.objectContaining({
          file: 'imagestreams/link.yaml',
          message: expect.stringContaining('outside the repository')
        })
      ])
    } finally {
      await rm(outside, { recursive: true, force: true })
    }
  })

  it('reports oversize and non-UTF-8 files without reading them as streams', async () => {
    await put('imagestreams/big.yaml', `${newStreamFile('big')}#${'x'.repeat(5 * 1024 * 1024)}\n`)
    await writeFile(
      join(root, 'imagestreams', 'latin1.yaml'),
      Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a])
    )
    const { streams, diagnostics } = await loadStreams(root)
    expect(streams).toEqual([])
    expect(diagnostics.map((d) => [d.file, d.message])).toEqual([
      ['imagestreams/big.yaml', expect.stringContaining('over the 5242880-byte limit')],
      ['imagestreams/latin1.yaml', expect.stringContaining('file is not valid UTF-8 here')]
    ])
    // Where: line:column for an editor, the byte and its offset for a hex editor (`name: ` is 6 bytes).
    expect(diagnostics[1]).toMatchObject({ line: 1, column: 7 })
    expect(diagnostics[1].message).toContain('byte 0xE9 at byte offset 6')
  })
})

describe('a loaded stream rendered and written (renderStreamFile then writeFiles, as the pipeline writes)', () => {
  const save = async (loaded: LoadedStream, next: ImageStream) =>
    writeFiles(root, [{ path: loaded.file, text: renderStreamFile(loaded, next) }])

  it('writes only what changed, keeps the file mode, and skips unchanged streams', async () => {
    await put('imagestreams/web.yaml', fixture('web.yaml'))
    const path = join(root, 'imagestreams', 'web.yaml')
    await chmod(path, 0o640)
    const { streams } = await loadStreams(root)
    const [loaded] = streams

    expect(await save(loaded, structuredClone(loaded.stream))).toEqual([])
    const before = await stat(path)

    const next = structuredClone(loaded.stream)
    next.status!.tags![0].items!.unshift({
      created: '2024-06-01T08:00:00Z',
      dockerImageReference: `quay.io/acme/web@${DIGEST_C}`,
      image: DIGEST_C,
      generation: 8
    })
    expect(await save(loaded, next)).toEqual(['imagestreams/web.yaml'])
    const written = await readFile(path, 'utf8')
    expect(written).toContain(
      `    - created: "2024-06-01T08:00:00Z"\n      dockerImageReference: quay.io/acme/web@${DIGEST_C}\n`
    )
    expect(written.length).toBeGreaterThan(fixture('web.yaml').length)
    expect((await stat(path)).mode & 0o777).toBe(0o640)
    expect((await stat(path)).ino).not.toBe(before.ino) // replaced by rename, never rewritten in place
    // Read again, the written file holds `next`: saving the same state again is a no-op.
    const [reloaded] = (await loadStreams(root)).streams
    expect(reloaded.stream).toEqual(next)
    expect(await save(reloaded, next)).toEqual([])
    expect((await readdir(join(root, 'imagestreams'))).sort()).toEqual(['team', 'web.yaml'])
  })
})
