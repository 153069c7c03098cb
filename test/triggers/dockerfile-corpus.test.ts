/**
 * Dockerfile / Containerfile markers over a corpus modelled on Renovate's Dockerfile extractor tests
 * (renovatebot/renovate lib/modules/manager/dockerfile/extract.spec.ts and its __fixtures__/1-4.Dockerfile): every
 * bound reference is found, and `git diff --word-diff` between the file before and after shows only reference bytes
 * changing (on the ARG line for `FROM ${ARG}`); stage names and scratch are never touched.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { INDEX_DIGESTS_ANNOTATION } from '../../src/stream/rules/index-digests.js'
import { createCatalog } from '../../src/triggers/catalog.js'
import { findBindings } from '../../src/triggers/find.js'
import { rewriteManifests } from '../../src/triggers/rewrite.js'
import { digest, stream } from './helpers.js'

// base:latest was imported in Legacy mode from an index: the TagEvents hold linux/amd64 images (p1 now, p0 before),
// the annotation the importer writes says which index each came from.
const base = stream('base', undefined, { latest: { items: [digest('p1'), digest('p0')] } })
base.metadata.annotations = {
  [INDEX_DIGESTS_ANNOTATION]: JSON.stringify({ [digest('p0')]: digest('i0'), [digest('p1')]: digest('i1') })
}
const tools = stream('tools', undefined, { v1: { from: 'quay.io/acme/tools:1.2', items: [digest('t1')] } })
const catalog = createCatalog([base, tools])

const BASE = `quay.io/acme/base@${digest('i1')}` // the index: what a multi-platform build needs
const TOOLS = `quay.io/acme/tools@${digest('t1')}`
const M = (st = 'base:latest') => `# {"$imagestream": "${st}"}`
const OLD = digest('eb')

interface Case {
  name: string
  file?: string
  text: string
  /** The [old, new] reference words, in file order; empty when the file must stay as it is. */
  changes: Array<[string, string]>
  error?: string
}

const cases: Case[] = [
  { name: 'handles naked dep', text: `${M()}\nFROM node\n`, changes: [['node', BASE]] },
  { name: 'is case insensitive', text: `${M()}\nFrom node\n`, changes: [['node', BASE]] },
  { name: 'handles tag', text: `${M()}\nFROM node:8.9.0-alpine\n`, changes: [['node:8.9.0-alpine', BASE]] },
  { name: 'handles digest', text: `${M()}\nFROM node@${OLD}\n`, changes: [[`node@${OLD}`, BASE]] },
  { name: 'handles tag and digest', text: `${M()}\nFROM node:8.9.0@${OLD}\n`, changes: [[`node:8.9.0@${OLD}`, BASE]] },
  { name: 'handles from as', text: `${M()}\nFROM node:8.9.0-alpine as base\n`, changes: [['node:8.9.0-alpine', BASE]] },
  {
    name: 'handles FROM … AS (upper case)',
    text: `${M()}\nFROM node:8 AS build\nRUN make\n`,
    changes: [['node:8', BASE]]
  },
  { name: 'handles FROM … As (mixed case)', text: `${M()}\nFROM node:8 As build\n`, changes: [['node:8', BASE]] },
  { name: 'handles comments', text: `# some comment\n# another\n\n${M()}\nFROM node\n`, changes: [['node', BASE]] },
  {
    name: 'handles custom hosts with port',
    text: `${M()}\nFROM registry2.something.info:5005/node:8\n`,
    changes: [['registry2.something.info:5005/node:8', BASE]]
  },
  {
    name: 'handles quay hosts with port',
    text: `${M()}\nFROM quay.io:1234/node\n`,
    changes: [['quay.io:1234/node', BASE]]
  },
  {
    name: 'handles namespaced images',
    text: `${M()}\nFROM mynamespace/node:8\n`,
    changes: [['mynamespace/node:8', BASE]]
  },
  {
    name: 'handles abnormal spacing',
    text: `${M()}\nFROM    registry.allmine.info:5005/node:8.7.0\n\n`,
    changes: [['registry.allmine.info:5005/node:8.7.0', BASE]]
  },
  {
    name: 'extracts multiple FROM tags (only the marked one changes)',
    text: `FROM node:6.12.3 as frontend\n\n# comment\nENV foo=bar\n${M()}\nFROM python:3.6-slim\n`,
    changes: [['python:3.6-slim', BASE]]
  },
  { name: 'skips scratches', text: `${M()}\nFROM scratch\nADD foo /\n`, changes: [], error: 'names no image' },
  { name: 'skips scratch in any case', text: `${M()}\nFROM Scratch\n`, changes: [], error: 'names no image' },
  {
    name: 'skips named multistage FROM tags',
    text: `FROM node:6.12.3 as frontend\n\n# comment\nENV foo=bar\n${M()}\nFROM frontend\n`,
    changes: [],
    error: 'names no image'
  },
  {
    name: 'skips stage names case-insensitively',
    text: `FROM node:6.12.3 AS FrontEnd\n${M()}\nFROM frontend\n`,
    changes: [],
    error: 'names no image'
  },
  {
    name: 'handles COPY --from',
    text: `FROM scratch\n${M('tools:v1')}\nCOPY --from=gcr.io/k8s-skaffold/skaffold:v0.11.0 /usr/bin/skaffold /usr/bin/skaffold\n`,
    changes: [['gcr.io/k8s-skaffold/skaffold:v0.11.0', TOOLS]]
  },
  {
    name: 'handles COPY --chown … --from',
    text: `FROM scratch\n${M('tools:v1')}\nCOPY --chown=1001:0 --from=quay.io/acme/tools:1.1 /bin/t /bin/t\n`,
    changes: [['quay.io/acme/tools:1.1', TOOLS]]
  },
  {
    name: 'skips named multistage COPY --from tags',
    text: `FROM node:6.12.3 as frontend\n\n# comment\nENV foo=bar\n${M()}\nCOPY --from=frontend /usr/bin/node /usr/bin/node\n`,
    changes: [],
    error: 'names no image'
  },
  {
    name: 'skips index reference COPY --from tags',
    text: `FROM node:6.12.3 as frontend\n${M()}\nCOPY --from=0 /usr/bin/node /usr/bin/node\n`,
    changes: [],
    error: 'names no image'
  },
  {
    name: 'detects stage and final deps of a multi-stage build',
    text:
      `FROM node:8.15.1-alpine as skippedfrom\n${M('tools:v1')}\nFROM golang:1.7.3 as builder\n\n# comment\nWORKDIR /go/src/app/\n` +
      `RUN go get -d -v golang.org/x/net/html  \nCOPY app.go    .\n\n${M()}\nFROM alpine:latest  \nCOPY --from=builder /go/src/app/app .\nCMD ["./app"]\n`,
    changes: [
      ['golang:1.7.3', TOOLS],
      ['alpine:latest', BASE]
    ]
  },
  {
    name: 'extracts images on adjacent lines (1.Dockerfile)',
    text: `${M('tools:v1')}\nFROM node:8.11.3-alpine@${OLD} AS node\n${M()}\nFROM buildkite/puppeteer:1.1.1 AS browser\n`,
    changes: [
      [`node:8.11.3-alpine@${OLD}`, TOOLS],
      ['buildkite/puppeteer:1.1.1', BASE]
    ]
  },
  {
    name: 'handles a FROM continued over lines (2.Dockerfile)',
    text: `${M()}\nFROM \\\n  image1\n`,
    changes: [['image1', BASE]]
  },
  {
    name: 'handles multi-line FROM with space after escape character',
    text: `${M()}\nFROM \\ \nnginx:1.20\n`,
    changes: [['nginx:1.20', BASE]]
  },
  {
    name: 'handles a continued FROM with a comment line inside (2.Dockerfile)',
    text: `${M()}\nFROM \\\n# a comment inside\n  image4:1.0 \\\n  AS stage4\n`,
    changes: [['image4:1.0', BASE]]
  },
  {
    name: 'handles --platform=$BUILDPLATFORM',
    text: `${M()}\nFROM --platform=$BUILDPLATFORM golang:1.22 AS build\n`,
    changes: [['golang:1.22', BASE]]
  },
  {
    name: 'handles --platform on its own continued line',
    text: `${M()}\nFROM \\\n  --platform=linux/amd64 \\\n  golang:1.22 \\\n  AS build\n`,
    changes: [['golang:1.22', BASE]]
  },
  {
    name: 'lands ${ARG} on the ARG line',
    text: `ARG BASE=node:20\n${M()}\nFROM \${BASE} AS build\n`,
    changes: [['node:20', BASE]]
  },
  { name: 'lands $ARG on the ARG line', text: `ARG BASE=node:20\n${M()}\nFROM $BASE\n`, changes: [['node:20', BASE]] },
  {
    name: 'keeps the quotes of a quoted ARG value',
    text: `ARG BASE="node:20"\n${M()}\nFROM \${BASE}\n`,
    changes: [['node:20', BASE]]
  },
  {
    name: 'handles FROM with version in ARG value (tab separated)',
    text: `ARG\tIMAGE="rust:1.60.0-bullseye"\n${M()}\nFROM\t\${IMAGE}\n`,
    changes: [['rust:1.60.0-bullseye', BASE]]
  },
  {
    name: 'handles FROM with overwritten ARG value: a FROM sees only ARGs before the first FROM',
    text: `ARG base=nginx:1.19\n${M()}\nFROM $base as stage1\nARG base=nginx:1.20\n${M()}\nFROM --platform=amd64 $base as stage2\n`,
    changes: [['nginx:1.19', BASE]]
  },
  {
    name: 'handles FROM without ARG default value',
    text: `ARG img_base\n${M()}\nFROM $img_base\n`,
    changes: [],
    error: 'has no default value'
  },
  {
    name: 'refuses a reference that mixes text and ARGs',
    text: `ARG TAG=1.20\n${M()}\nFROM nginx:\${TAG}\n`,
    changes: [],
    error: 'mixes text and ARGs'
  },
  {
    name: 'refuses an ARG default-value expression',
    text: `ARG IMAGE_VERSION=\${IMAGE_VERSION:-ubuntu:xenial}\n${M()}\nfrom \${IMAGE_VERSION} as base\n`,
    changes: [],
    error: 'holds a variable'
  },
  {
    name: 'writes the upstream tag on a :tag marked ARG line',
    text: `${M('tools:v1:tag')}\nARG TAG=1.1\nFROM quay.io/acme/tools:\${TAG}\n`,
    changes: [['1.1', '1.2']]
  },
  {
    name: 'handles FROM with digest in ARG default value (:digest on the ARG line)',
    text: `${M('tools:v1:digest')}\nARG sha_digest=${OLD}\n      FROM gcr.io/distroless/java17@$sha_digest\n`,
    changes: [[OLD, digest('t1')]]
  },
  {
    name: 'extracts images from multi-line ARG statements (3.Dockerfile)',
    text: ` ARG \\\n\t# multi-line arg\n   ALPINE_VERSION=alpine:3.15.4\n\n${M()}\nFROM \${ALPINE_VERSION} as stage1\n`,
    changes: [['alpine:3.15.4', BASE]]
  },
  {
    name: 'ignores parser directives in wrong order',
    text: `# dummy\n# escape = \`\n\n${M()}\nFROM\\\nnginx:1.20\n`,
    changes: [['nginx:1.20', BASE]]
  },
  {
    name: 'handles an alternative escape character (4.Dockerfile)',
    text: `# escape=\`\n\n${M()}\nFROM \`\n  mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY C:\\app\\ C:\\app\\\n`,
    changes: [['mcr.microsoft.com/windows/servercore:ltsc2022', BASE]]
  },
  {
    name: 'handles a # syntax= directive',
    text: `# syntax=docker/dockerfile:1.7\n${M()}\nFROM node:20\n`,
    changes: [['node:20', BASE]]
  },
  {
    name: 'handles CRLF line ends',
    text: `ARG BASE=node:20\r\n${M()}\r\nFROM \${BASE}\r\n${M('tools:v1')}\r\nCOPY --from=tools:1 /t /t\r\n`,
    changes: [
      ['node:20', BASE],
      ['tools:1', TOOLS]
    ]
  },
  {
    name: 'handles a byte-order mark before the marker',
    text: `\ufeff${M()}\nFROM node:20\n`,
    changes: [['node:20', BASE]]
  },
  {
    name: 'handles RUN --mount=…,from= (an image)',
    text: `FROM alpine\n${M('tools:v1')}\nRUN --mount=type=bind,from=quay.io/acme/tools:1.1,source=/bin,target=/t /t/run\n`,
    changes: [['quay.io/acme/tools:1.1', TOOLS]]
  },
  {
    name: 'skips RUN --mount from a stage',
    text: `FROM alpine AS tools\n${M()}\nRUN --mount=from=tools,target=/t ls\n`,
    changes: [],
    error: 'names no image'
  },
  {
    name: 'refuses a marker above a RUN without an image',
    text: `FROM alpine\n${M()}\nRUN --mount=type=cache,target=/root/.cache make\n`,
    changes: [],
    error: 'names no image'
  },
  {
    name: 'refuses a marker with a blank line below it',
    text: `${M()}\n\nFROM node:20\n`,
    changes: [],
    error: 'no instruction directly below'
  },
  {
    name: 'binds FROM, COPY --from and RUN --mount in one file',
    text:
      `${M()}\nFROM node:20 AS build\n${M('tools:v1')}\nCOPY --from=quay.io/acme/tools:1.0 /t /t\n` +
      `${M('tools:v1')}\nRUN --mount=type=bind,from=quay.io/acme/tools:1.0,target=/x true\nFROM build\n`,
    changes: [
      ['node:20', BASE],
      ['quay.io/acme/tools:1.0', TOOLS],
      ['quay.io/acme/tools:1.0', TOOLS]
    ]
  },
  {
    name: 'reads Containerfile',
    file: 'Containerfile',
    text: `${M()}\nFROM registry.access.redhat.com/ubi9/ubi:9.4\n`,
    changes: [['registry.access.redhat.com/ubi9/ubi:9.4', BASE]]
  },
  {
    name: 'reads app.Dockerfile',
    file: 'build/app.Dockerfile',
    text: `${M()}\nFROM python:3.12\n`,
    changes: [['python:3.12', BASE]]
  },
  {
    name: 'reads Dockerfile.prod',
    file: 'Dockerfile.prod',
    text: `${M()}\nFROM python:3.12\n`,
    changes: [['python:3.12', BASE]]
  },
  { name: 'leaves a file without markers alone', text: 'FROM node:20\nRUN npm ci\n', changes: [] },
  { name: 'writes nothing when already pinned to the index', text: `${M()}\nFROM ${BASE}\n`, changes: [] }
]

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockerfile-corpus-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The words `git diff --word-diff=porcelain` reports removed and added, words being runs without blanks, `=`, `,`, `"`. */
function wordDiff(before: string, after: string): { removed: string[]; added: string[] } {
  const a = join(dir, 'a')
  const b = join(dir, 'b')
  writeFileSync(a, before)
  writeFileSync(b, after)
  let out = ''
  try {
    execFileSync(
      'git',
      [
        '-c',
        'core.safecrlf=false',
        'diff',
        '--no-index',
        '--word-diff=porcelain',
        '--word-diff-regex=[^[:space:]=,"]+',
        a,
        b
      ],
      { encoding: 'utf8' }
    )
  } catch (err) {
    out = (err as { stdout: string }).stdout // exit status 1: the files differ
  }
  const lines = out.split('\n').filter((l) => !l.startsWith('---') && !l.startsWith('+++'))
  return {
    removed: lines.filter((l) => l.startsWith('-')).map((l) => l.slice(1)),
    added: lines.filter((l) => l.startsWith('+')).map((l) => l.slice(1))
  }
}

describe('Dockerfile markers (corpus after renovatebot/renovate lib/modules/manager/dockerfile/extract.spec.ts)', () => {
  it('has at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40))

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const file = c.file ?? 'Dockerfile'
    const found = findBindings(file, c.text)
    const errors = found.diagnostics.filter((d) => d.severity === 'error')
    if (c.error) expect(errors.map((e) => e.message).join('\n')).toContain(c.error)
    else expect(errors).toEqual([])
    // Every marked reference is found; its current value is the old word.
    const distinct = [...new Map(c.changes.map(([o], i) => [`${o}#${i}`, o])).values()]
    if (c.name !== 'writes nothing when already pinned to the index') {
      expect(found.bindings.map((b) => b.target.value).filter((v, i, all) => all.indexOf(v) === i)).toEqual(
        distinct.filter((v, i, all) => all.indexOf(v) === i)
      )
    }
    const result = rewriteManifests([{ path: file, text: c.text }], catalog)
    const after = result.changed[0]?.text ?? c.text
    if (c.changes.length === 0) {
      expect(after).toBe(c.text)
      return
    }
    const diff = wordDiff(c.text, after)
    expect(diff.removed).toEqual(c.changes.map(([o]) => o))
    expect(diff.added).toEqual(c.changes.map(([, n]) => n))
    // Line ends and the byte-order mark are kept.
    expect(after.split('\r\n').length).toBe(c.text.split('\r\n').length)
    expect(after.charCodeAt(0) === 0xfeff).toBe(c.text.charCodeAt(0) === 0xfeff)
  })
})
