/**
 * Streams wherever `oc apply -f` takes them (kubectl's resource.Builder reads every document of a file, and a List's
 * items): several ImageStreams in one file, a stream next to its Deployment, a `v1 List`. Other documents are skipped.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { renderStreamFile } from '../../src/stream/state-file.js'
import { loadStreams } from '../../src/stream/state-store.js'
import type { ImageStream } from '../../src/stream/types.js'

const is = (name: string, tag: string) =>
  [
    'apiVersion: image.openshift.io/v1',
    'kind: ImageStream',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  tags:',
    `  - name: "${tag}"`,
    `    from: {kind: DockerImage, name: "quay.io/acme/${name}:${tag}"}`,
    ''
  ].join('\n')

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web # the app\nspec:\n  replicas: 1\n'

function withGeneration(s: ImageStream, generation: number): ImageStream {
  const next = structuredClone(s)
  next.metadata.generation = generation
  return next
}

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'isa-docs-'))
  await mkdir(join(root, 'imagestreams'), { recursive: true })
})
afterEach(async () => rm(root, { recursive: true, force: true }))

describe('several documents in one file', () => {
  it('reads every ImageStream, skips the Deployment and says so, and writes each stream in place', async () => {
    const text = `# samples\n${is('ruby', '3.3')}---\n${DEPLOYMENT}--- # second stream\n${is('web', '1.4')}`
    await writeFile(join(root, 'imagestreams/all.yaml'), text)
    const loaded = await loadStreams(root, 'imagestreams/*.yaml')
    expect(loaded.diagnostics).toEqual([])
    expect(loaded.streams.map((s) => s.stream.metadata.name)).toEqual(['ruby', 'web'])
    expect(loaded.skipped).toEqual(['imagestreams/all.yaml:11: skipped: a Deployment, not an ImageStream'])

    const [ruby, web] = loaded.streams
    renderStreamFile(ruby, withGeneration(ruby.stream, 2))
    const after = renderStreamFile(web, withGeneration(web.stream, 5))
    expect(after).toBe(
      text
        .replace('  name: ruby\n', '  name: ruby\n  generation: 2\n')
        .replace('  name: web\nspec:\n  tags', '  name: web\n  generation: 5\nspec:\n  tags')
    )
  })

  it('an unchanged stream leaves the whole file byte for byte', async () => {
    const text = `${is('ruby', '3.3')}---\n${is('web', '1.4')}`
    await writeFile(join(root, 'imagestreams/all.yaml'), text)
    const { streams } = await loadStreams(root, 'imagestreams/*.yaml')
    expect(renderStreamFile(streams[1], streams[1].stream)).toBe(text)
  })

  it('reports a bad stream in the second document at its line in the file', async () => {
    const text = `${is('ruby', '3.3')}---\n${is('web', '1.4').replace('DockerImage', 'Docker')}`
    await writeFile(join(root, 'imagestreams/all.yaml'), text)
    const { streams, diagnostics } = await loadStreams(root, 'imagestreams/*.yaml')
    expect(streams.map((s) => s.stream.metadata.name)).toEqual(['ruby'])
    expect(diagnostics).toEqual([
      expect.objectContaining({ file: 'imagestreams/all.yaml', line: 17, field: 'spec.tags[0].from.kind' })
    ])
  })

  it('a kustomization.yaml next to the streams is skipped, not an error', async () => {
    await writeFile(join(root, 'imagestreams/ruby.yaml'), is('ruby', '3.3'))
    await writeFile(
      join(root, 'imagestreams/kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ruby.yaml\n'
    )
    const loaded = await loadStreams(root, 'imagestreams/*.yaml')
    expect(loaded.diagnostics).toEqual([])
    expect(loaded.skipped).toEqual(['imagestreams/kustomization.yaml:1: skipped: a Kustomization, not an ImageStream'])
    // And a `!` pattern excludes files from the streams glob.
    expect((await loadStreams(root, ['imagestreams/*.yaml', '!imagestreams/kustomization.yaml'])).skipped).toEqual([])
  })
})

describe('a v1 List of ImageStreams', () => {
  it('reads every item (JSON and YAML) and refuses to write into the List with a clear message', async () => {
    const items = [is('ruby', '3.3'), is('web', '1.4')].map((t) =>
      t
        .split('\n')
        .map((l) => (l ? `  ${l}` : l))
        .join('\n')
        .replace(/^ {2}a/, '- a')
    )
    await writeFile(
      join(root, 'imagestreams/list.yaml'),
      `apiVersion: v1\nkind: List\nitems:\n${items.map((i) => i.replace(/^ {2}apiVersion/, '- apiVersion')).join('')}`
    )
    const { streams, diagnostics } = await loadStreams(root, 'imagestreams/*.yaml')
    expect(diagnostics).toEqual([])
    expect(streams.map((s) => s.stream.metadata.name)).toEqual(['ruby', 'web'])
    expect(() => renderStreamFile(streams[0], withGeneration(streams[0].stream, 2))).toThrow(/an item of a List/)
  })
})
