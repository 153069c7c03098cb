/**
 * Real ImageStream files from public repositories (test/fixtures/real/SOURCES.md): every one is read without a false
 * rejection, and a write of what an import records changes only the stream's own fields, keeps JSON as JSON, and
 * changes a file with a BOM exactly as the same file without one.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, beforeAll } from '@jest/globals'
import { parseAllDocuments } from 'yaml'
import { parseStreamFile, renderStreamFile } from '../../src/stream/state-file.js'
import { glob } from 'tinyglobby'
import { parseStreamDocuments } from '../../src/stream/state-documents.js'
import type { LoadedStream } from '../../src/stream/state-store.js'
import type { Diagnostic } from '../../src/util/errors.js'
import { decodeText } from '../../src/yaml/bytes.js'
import type { ImageStream } from '../../src/stream/types.js'
import { isJsonObjectText } from '../../src/yaml/json-style.js'

const ROOT = fileURLToPath(new URL('../fixtures/real/', import.meta.url))
const GLOB = ['**/*.{yaml,yml,json}', '!**/kustomization.yaml']
const DIGEST = `sha256:${'5e'.repeat(32)}`

/** What an import records (ImportTag → AddTagEventToImageStream): a generation, and one event per DockerImage tag. */
function imported(stream: ImageStream): ImageStream {
  const next = structuredClone(stream)
  const generation = (next.metadata.generation ?? 1) + 1
  next.metadata.generation = generation
  const tags = (next.spec?.tags ?? []).filter((t) => t.from?.kind === 'DockerImage')
  next.status = {
    dockerImageRepository: next.status?.dockerImageRepository ?? '',
    ...next.status,
    tags: [
      ...(next.status?.tags ?? []).filter((s) => !tags.some((t) => t.name === s.tag)),
      ...tags.map((t) => ({
        tag: t.name,
        items: [
          {
            created: '2026-11-29T00:00:00Z',
            dockerImageReference: `quay.io/stand-in/${t.name}@${DIGEST}`,
            image: DIGEST,
            generation
          }
        ]
      }))
    ]
  }
  return next
}

type Loaded = Pick<LoadedStream, 'file' | 'text' | 'stream' | 'document' | 'part'>
let loaded: { streams: Loaded[]; diagnostics: Diagnostic[] }
beforeAll(async () => {
  // File by file: the repositories define the same stream names (one file per architecture, one copy per repository).
  loaded = { streams: [], diagnostics: [] }
  for (const file of (await glob(GLOB, { cwd: ROOT })).sort()) {
    // opendatahub's images are kustomize placeholders (`…-n_PLACEHOLDER`), replaced before `oc apply`: rewritten here.
    const text = decodeText(await readFile(`${ROOT}${file}`)).replace(/_PLACEHOLDER\b/g, '-placeholder')
    const found = parseStreamDocuments(text, file)
    loaded.diagnostics.push(...found.diagnostics)
    for (const s of found.streams)
      loaded.streams.push({
        file,
        text: s.text,
        stream: s.stream!,
        document: s.document!,
        ...(s.part ? { part: s.part } : {})
      })
  }
})

describe('the corpus of real ImageStream files', () => {
  it('reads every ImageStream without a false rejection: at least 100, from every repository', () => {
    expect(loaded.diagnostics).toEqual([])
    expect(loaded.streams.length).toBeGreaterThanOrEqual(100)
    const repos = new Set(loaded.streams.map((s) => s.file.split('/')[0]))
    expect(repos.size).toBeGreaterThanOrEqual(5)
    expect(loaded.streams.some((s) => s.part)).toBe(true)
    expect(loaded.streams.some((s) => s.file.endsWith('.json'))).toBe(true)
  })

  it('an unchanged stream writes back its file byte for byte', () => {
    for (const s of loaded.streams) {
      const whole = s.part ? s.part.file.parts.join('') : s.text
      expect(renderStreamFile(s, s.stream)).toBe(whole)
    }
  })

  it('an import changes only metadata.generation and status; JSON stays JSON; the result reads back', async () => {
    for (const s of loaded.streams) {
      const next = imported(s.stream)
      const before = s.part ? s.part.file.parts.join('') : s.text
      const after = renderStreamFile(s, next)
      const own = s.part ? s.part.file.parts[s.part.index] : after
      if (s.part) s.part.file.parts[s.part.index] = s.text
      if (isJsonObjectText(before)) expect(() => JSON.parse(after)).not.toThrow()
      const reread = parseStreamFile(own, s.file)
      expect({ file: s.file, diagnostics: reread.diagnostics }).toEqual({ file: s.file, diagnostics: [] })
      expect(reread.stream).toEqual(JSON.parse(JSON.stringify(next)))
      const { status: _a, ...restAfter } = reread.stream!
      const { status: _b, ...restBefore } = s.stream
      expect({ ...restAfter, metadata: { ...restAfter.metadata, generation: undefined } }).toEqual({
        ...restBefore,
        metadata: { ...restBefore.metadata, generation: undefined }
      })
      // Every other document of a multi-document file is still there, byte for byte.
      if (s.part) {
        const docsAfter = parseAllDocuments(after) as unknown as Array<{ range: number[] }>
        expect(docsAfter.length).toBe(s.part.file.parts.length)
      }
      if (!s.part && !s.file.endsWith('.json')) {
        const raw = (await readFile(`${ROOT}${s.file}`, 'utf8')).replace(/_PLACEHOLDER\b/g, '-placeholder')
        const withBom = parseStreamFile(`\uFEFF${raw}`, s.file)
        expect(renderStreamFile({ text: `\uFEFF${raw}`, document: withBom.document }, next)).toBe(`\uFEFF${after}`)
      }
    }
  })
})
