/**
 * Shared pieces of the reliability suites (test/reliability/): a generated repository of ImageStreams and the
 * Deployments bound to them, readers that check what a run left on disk, and a seeded random source so every soak
 * run can be replayed from its seed.
 *
 * Layout of a generated repository (S streams × T tags):
 *   imagestreams/s0.yaml …   one ImageStream per stream, tag tJ follows HOST/acme/sI:tJ
 *   deploy/s0.yaml …         one Deployment per stream, container tJ bound to sI:tJ by the trigger annotation
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { parseAllDocuments, parse as parseYaml } from 'yaml'
import { parseStreamFile } from '../../src/stream/state-file.js'
import type { ImageStream } from '../../src/stream/types.js'

/** mulberry32: tiny, fast, and good enough to pick faults; the same seed replays the same run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!

export interface RepoLayout {
  /** Reference domain the tags import from (the registry, or a fault proxy in front of it). */
  host: string
  streams: number
  tags: number
  /** Repository path prefix in the registry (default `acme`). */
  prefix?: string
}

export const streamName = (i: number): string => `s${i}`
export const tagName = (j: number): string => `t${j}`
export const repoPath = (layout: RepoLayout, i: number): string => `${layout.prefix ?? 'acme'}/${streamName(i)}`

export function streamYaml(layout: RepoLayout, i: number): string {
  const tags = Array.from({ length: layout.tags }, (_, j) =>
    [
      `  - name: ${tagName(j)}`,
      '    from:',
      '      kind: DockerImage',
      `      name: ${layout.host}/${repoPath(layout, i)}:${tagName(j)}`,
      '    importPolicy:',
      '      scheduled: true'
    ].join('\n')
  )
  return `apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: ${streamName(i)}\nspec:\n  tags:\n${tags.join('\n')}\n`
}

export function deploymentYaml(layout: RepoLayout, i: number): string {
  const triggers = Array.from({ length: layout.tags }, (_, j) => ({
    from: { kind: 'ImageStreamTag', name: `${streamName(i)}:${tagName(j)}` },
    fieldPath: `spec.template.spec.containers[?(@.name=="${tagName(j)}")].image`
  }))
  const containers = Array.from(
    { length: layout.tags },
    (_, j) =>
      `      - name: ${tagName(j)}\n        image: ${layout.host}/${repoPath(layout, i)}:${tagName(j)}   # bumped by the trigger`
  )
  return [
    `# Deployment of ${streamName(i)}: comments must survive every rewrite.`,
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${streamName(i)}`,
    '  annotations:',
    `    image.openshift.io/triggers: '${JSON.stringify(triggers)}'`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    ...containers,
    ''
  ].join('\n')
}

/** A fresh temp repository with the layout's streams and deployments (nothing imported yet). */
export function makeRepo(layout: RepoLayout, dir?: string): string {
  const root = dir ?? mkdtempSync(join(tmpdir(), 'imagestream-reliability-'))
  mkdirSync(join(root, 'imagestreams'), { recursive: true })
  mkdirSync(join(root, 'deploy'), { recursive: true })
  for (let i = 0; i < layout.streams; i++) {
    writeFileSync(join(root, 'imagestreams', `${streamName(i)}.yaml`), streamYaml(layout, i))
    writeFileSync(join(root, 'deploy', `${streamName(i)}.yaml`), deploymentYaml(layout, i))
  }
  return root
}

/** Every file under root (dot files included, `.git` skipped): relative path → bytes. */
export function readTree(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === '.git') continue
      const full = join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else out.set(relative(root, full).split('\\').join('/'), readFileSync(full))
    }
  }
  walk(root)
  return out
}

/** One hash over every path and its bytes: "nothing was written" is "the hash did not change". */
export function treeHash(root: string): string {
  const h = createHash('sha256')
  for (const [path, bytes] of [...readTree(root)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    h.update(path).update('\0').update(bytes).update('\0')
  }
  return h.digest('hex')
}

/** Replaces the contents of `root` with `tree` (files not in it are removed). */
export function restoreTree(root: string, tree: Map<string, Buffer>): void {
  for (const entry of readdirSync(root))
    if (entry !== '.git') rmSync(join(root, entry), { recursive: true, force: true })
  for (const [path, bytes] of tree) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), bytes)
  }
}

/** Files a writer leaves behind only when it dies mid-write: temp files and the journal. */
export function leftovers(root: string): string[] {
  return [...readTree(root).keys()].filter(
    (p) =>
      /(^|\/)\.[^/]*(\.tmp|\.imagestream-tmp)$/.test(p) ||
      p.endsWith('.imagestream-journal.json') ||
      p.endsWith('.imagestream-lock')
  )
}

export interface TagState {
  /** items[0].image, the tag's current digest ('' when never imported). */
  digest: string
  /** Every digest in the tag's history. */
  history: string[]
  condition?: { status: string; reason?: string; message?: string }
}

/**
 * Reads every stream file strictly (the same parser the tool uses) and every manifest as YAML. Problems are
 * returned as text: an unparseable or half-written file is a problem, whatever the run reported.
 */
export function inspectRepo(
  root: string,
  layout: RepoLayout
): {
  problems: string[]
  tags: Map<string, TagState>
  pins: Map<string, string>
} {
  const problems: string[] = []
  const tags = new Map<string, TagState>()
  const pins = new Map<string, string>()
  for (let i = 0; i < layout.streams; i++) {
    const file = `imagestreams/${streamName(i)}.yaml`
    const text = readFileSync(join(root, file), 'utf8')
    const parsed = parseStreamFile(text, file)
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error')
    if (!parsed.stream || errors.length) {
      problems.push(`${file} does not parse: ${errors.map((d) => d.message).join('; ')}`)
      continue
    }
    const stream: ImageStream = parsed.stream
    for (const t of stream.status?.tags ?? []) {
      const cond = t.conditions?.find((c) => c.type === 'ImportSuccess')
      tags.set(`${streamName(i)}:${t.tag}`, {
        digest: t.items?.[0]?.image ?? '',
        history: (t.items ?? []).map((x) => x.image),
        ...(cond ? { condition: { status: cond.status, reason: cond.reason, message: cond.message } } : {})
      })
    }
    const mfile = `deploy/${streamName(i)}.yaml`
    const mtext = readFileSync(join(root, mfile), 'utf8')
    const docs = parseAllDocuments(mtext)
    const docErrors = (Array.isArray(docs) ? docs : [docs]).flatMap((d) => d.errors)
    if (docErrors.length) {
      problems.push(`${mfile} does not parse: ${docErrors.map((e) => e.message).join('; ')}`)
      continue
    }
    const deployment = parseYaml(mtext) as {
      spec: { template: { spec: { containers: Array<{ name: string; image: string }> } } }
    }
    for (const c of deployment.spec.template.spec.containers) {
      const m = /@(sha256:[a-f0-9]{64})$/.exec(c.image)
      pins.set(`${streamName(i)}:${c.name}`, m ? m[1]! : '')
    }
    if (!mtext.startsWith(`# Deployment of ${streamName(i)}`) || !mtext.includes('# bumped by the trigger')) {
      problems.push(`${mfile} lost its comments`)
    }
  }
  for (const p of leftovers(root)) problems.push(`left behind: ${p}`)
  return { problems, tags, pins }
}

export function removeRepo(root: string): void {
  rmSync(root, { recursive: true, force: true })
}

export function fileSize(path: string): number {
  return statSync(path).size
}
