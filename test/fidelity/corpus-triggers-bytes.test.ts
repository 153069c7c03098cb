/**
 * `apply-triggers` over the real manifests (test/fixtures/real/SOURCES.md, "Manifests") in the byte forms a repository
 * may hold them in: as JSON (each file's documents written by JSON.stringify, as `kubectl get -o json` gives them),
 * behind a UTF-8 BOM, and with a Latin-1 byte in a comment. Each is rewritten exactly as its plain YAML form is:
 * JSON stays JSON, the BOM and the foreign byte stay where they were.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { glob } from 'tinyglobby'
import { runCommand, type CommandResult } from '../../src/pipeline/execute.js'
import {
  CORPUS,
  documents,
  expectations,
  kubectl,
  namedByDeploymentConfig,
  parse,
  streamFile,
  triggered,
  type Obj
} from '../support/manifest-corpus.js'

const BOM = Buffer.from([0xef, 0xbb, 0xbf])
const LATIN1 = Buffer.concat([Buffer.from('# maintainer: Jos'), Buffer.from([0xe9]), Buffer.from(' (ops)\n')])

let root: string
/** The corpus files OpenShift's controllers would change, single-document YAML all. */
let files: string[]
let result: CommandResult

const put = (path: string, bytes: Buffer | string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), bytes)
}
const out = (path: string) => readFileSync(join(root, path))
/** A document as OpenShift would leave it: a List's items one by one. */
const expected = (doc: Obj): Obj =>
  typeof doc.kind === 'string' && doc.kind.endsWith('List')
    ? { ...doc, items: doc.items.map(triggered) }
    : triggered(doc)

beforeAll(async () => {
  const all = (await glob('**/*.{yaml,yml}', { cwd: CORPUS })).sort()
  files = all.filter((f) => parse(readFileSync(join(CORPUS, f), 'utf8')).objects.some((o) => expectations(o).length))
  root = mkdtempSync(join(tmpdir(), 'corpus-triggers-bytes-'))
  const tags = new Map<string, Set<string>>()
  for (const f of files) {
    const bytes = readFileSync(join(CORPUS, f))
    const objects = parse(bytes.toString('utf8')).objects
    for (const e of objects.flatMap((o) => [...expectations(o), ...namedByDeploymentConfig(o)]))
      tags.set(e.stream, (tags.get(e.stream) ?? new Set()).add(e.tag))
    put(`plain/${f}`, bytes)
    put(`bom/${f}`, Buffer.concat([BOM, bytes]))
    put(`latin1/${f}`, Buffer.concat([bytes, LATIN1]))
    put(`json/${f}.json`, `${JSON.stringify(documents(bytes.toString('utf8'))[0], null, 2)}\n`)
  }
  for (const [name, set] of tags) put(`imagestreams/${name}.yaml`, streamFile(name, [...set]))
  result = await runCommand(
    { verb: 'apply-triggers' },
    {
      root,
      streamsGlob: 'imagestreams/*.yaml',
      manifests: { include: ['{plain,bom,latin1,json}/**/*.{json,yaml,yml}'] },
      now: new Date('2026-11-30T03:00:00Z'),
      write: true,
      metadata: false
    }
  )
})

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('apply-triggers over the real manifests as JSON, behind a BOM, with a Latin-1 byte', () => {
  it('every form of every file is written, with no error', () => {
    expect(files.length).toBeGreaterThanOrEqual(10)
    for (const f of files) expect(documents(readFileSync(join(CORPUS, f), 'utf8'))).toHaveLength(1)
    expect(result.failures).toEqual([])
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    const forms = files.flatMap((f) => [`plain/${f}`, `bom/${f}`, `latin1/${f}`, `json/${f}.json`])
    expect(new Set(result.written)).toEqual(new Set(forms))
  })

  it('JSON stays JSON: each file parses, and holds what the controllers would write', () => {
    for (const f of files) {
      const text = out(`json/${f}.json`).toString('utf8')
      const doc = documents(readFileSync(join(CORPUS, f), 'utf8'))[0]!
      expect({ f, json: JSON.parse(text) as unknown }).toEqual({ f, json: expected(doc) })
    }
  })

  it('a BOM stays in front, and the rest is byte for byte the plain form written', () => {
    for (const f of files)
      expect({ f, same: out(`bom/${f}`).equals(Buffer.concat([BOM, out(`plain/${f}`)])) }).toEqual({ f, same: true })
  })

  it('a Latin-1 byte in a comment stays as it was, and the rest is byte for byte the plain form written', () => {
    for (const f of files)
      expect({ f, same: out(`latin1/${f}`).equals(Buffer.concat([out(`plain/${f}`), LATIN1])) }).toEqual({
        f,
        same: true
      })
  })

  it('kubectl parses every written JSON file (apply --dry-run=client; with no cluster, it stops at the REST mapping)', () => {
    for (const f of files) {
      const said = kubectl(join(root, `json/${f}.json`))
      expect({ f, said }).toEqual({ f, said: expect.stringContaining('unable to recognize') })
    }
  })
})
