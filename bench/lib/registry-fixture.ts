/**
 * The import benchmark's world: a real loopback docker-registry (test/support's harness) filled with
 * `repos × tagsPerRepo` distinct single-platform OCI images, the fault proxy in front of it adding latency to every
 * request, and a temp git repository with one stream file per repository whose tags follow those images.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { OCI_MANIFEST, pushBlob, pushManifest } from '../../test/support/push.js'
import type { TestRegistry } from '../../test/support/registry.js'

export const TAGS_PER_REPO = 10

export const repoName = (i: number): string => `bench/r${String(i).padStart(4, '0')}`
export const streamName = (i: number): string => `r${String(i).padStart(4, '0')}`
export const tagName = (j: number): string => `v${j}`

/** Runs `fn` over `items` with at most `limit` in flight (pushing 15 000 requests one by one would take minutes). */
export async function inBatches<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!
      await fn(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/**
 * Pushes `repos × TAGS_PER_REPO` images straight to the registry (not through the proxy): per repository one layer and
 * one config blob, then one manifest per tag that differs only in an annotation, so every tag has its own digest.
 * Repositories already pushed (index < `from`) are skipped, so a bigger size extends a smaller one.
 */
export async function pushRepositories(reg: TestRegistry, repos: number, from = 0): Promise<void> {
  const indexes = Array.from({ length: Math.max(0, repos - from) }, (_, k) => from + k)
  await inBatches(indexes, 8, async (i) => {
    const repo = repoName(i)
    const layer = await pushBlob(reg, repo, Buffer.from(`bench layer ${repo}`))
    const config = await pushBlob(
      reg,
      repo,
      Buffer.from(
        JSON.stringify({
          architecture: 'amd64',
          os: 'linux',
          created: '2024-01-01T00:00:00Z',
          config: { Labels: { 'org.opencontainers.image.source': `https://example.invalid/${repo}` } },
          rootfs: { type: 'layers', diff_ids: [layer.digest] }
        })
      )
    )
    for (let j = 0; j < TAGS_PER_REPO; j++) {
      await pushManifest(reg, repo, tagName(j), {
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
        annotations: { 'bench.tag': `${repo}:${tagName(j)}` }
      })
    }
  })
}

/** A stream file as a person would write it before the first import: spec only, every tag scheduled. */
export function streamFileText(i: number, host: string): string {
  const lines = [
    'apiVersion: image.openshift.io/v1',
    'kind: ImageStream',
    'metadata:',
    `  name: ${streamName(i)}`,
    'spec:',
    '  lookupPolicy:',
    '    local: false',
    '  tags:'
  ]
  for (let j = 0; j < TAGS_PER_REPO; j++) {
    lines.push(
      `  - name: ${tagName(j)}`,
      '    from:',
      '      kind: DockerImage',
      `      name: ${host}/${repoName(i)}:${tagName(j)}`,
      '    importPolicy:',
      '      scheduled: true',
      '    referencePolicy:',
      '      type: Source'
    )
  }
  return lines.join('\n') + '\n'
}

export interface StreamRepo {
  root: string
  /** Rewrites every stream file to its before-the-first-import text (untimed, between runs). */
  reset(): void
  remove(): void
}

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null'
}

/** A temp git repository (real git, one commit) with `repos` stream files under imagestreams/. */
export function createStreamRepo(repos: number, host: string): StreamRepo {
  const root = mkdtempSync(join(tmpdir(), 'imagestream-bench-streams-'))
  const write = (): void => {
    mkdirSync(join(root, 'imagestreams'), { recursive: true })
    for (let i = 0; i < repos; i++)
      writeFileSync(join(root, 'imagestreams', `${streamName(i)}.yaml`), streamFileText(i, host))
  }
  write()
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root, env: GIT_ENV })
  execFileSync('git', ['add', '-A'], { cwd: root, env: GIT_ENV })
  execFileSync('git', ['commit', '-q', '-m', 'streams before the first import'], { cwd: root, env: GIT_ENV })
  return { root, reset: write, remove: () => rmSync(root, { recursive: true, force: true }) }
}

export interface TreeSnapshot {
  /** sha256 over every path and its bytes (outside .git), in path order. */
  hash: string
  files: number
  /** path → mtime in ns: a file rewritten with identical bytes still counts as a write. */
  mtimes: Map<string, bigint>
}

export function snapshotTree(root: string): TreeSnapshot {
  const hash = createHash('sha256')
  const mtimes = new Map<string, bigint>()
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name === '.git') continue
      const full = join(dir, name)
      const st = statSync(full, { bigint: true })
      if (st.isDirectory()) walk(full)
      else {
        const rel = relative(root, full)
        hash.update(rel).update('\0').update(readFileSync(full)).update('\0')
        mtimes.set(rel, st.mtimeNs)
      }
    }
  }
  walk(root)
  return { hash: hash.digest('hex'), files: mtimes.size, mtimes }
}

/** Files added, removed or touched between two snapshots. */
export function writesBetween(before: TreeSnapshot, after: TreeSnapshot): string[] {
  const out: string[] = []
  for (const [path, mtime] of after.mtimes) if (before.mtimes.get(path) !== mtime) out.push(path)
  for (const path of before.mtimes.keys()) if (!after.mtimes.has(path)) out.push(path)
  return out.sort()
}

/** `git status --porcelain` of the temp repository: a second, independent view of what changed. */
export function gitDirty(root: string): string[] {
  return execFileSync('git', ['status', '--porcelain'], { cwd: root, env: GIT_ENV, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
}
