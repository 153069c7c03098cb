/**
 * Every verb both shells offer, run once through the CLI (`imagestream VERB …`, in process) and once through the
 * action (`run()` of src/action/main.ts, in process, `delivery: none` so it writes the workspace), on two copies of
 * the same repository at the same instant: the two trees must be byte for byte the same. The repository is a small
 * GitOps tree against the loopback registry: a stream with history, a Deployment bound to each tag, a second stream.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { runActionInProcess } from '../support/action-in-process.js'
import { runCli } from '../../src/cli/shared/program.js'
import { registrars } from '../../src/cli/registrars.js'
import { deployment, streamFile } from '../action/fixtures.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'

const NOW = '2024-06-01T12:00:00Z'
const dirs: string[] = []
let reg: TestRegistry
let pushed: { v1: string; api: string }

beforeAll(async () => {
  reg = await startRegistry()
  const v1 = (await pushImage(reg, 'acme/web', 'latest', { seed: 'agree-v1' })).digest
  const api = (await pushImage(reg, 'acme/api', '1', { seed: 'agree-api' })).digest
  pushed = { v1, api }
}, 60_000)

afterAll(async () => {
  await reg?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(dir)
  return dir
}

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
}

/** Every file under `root` (relative path → bytes as text). */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name)
      if (statSync(full).isDirectory()) walk(full)
      else out[relative(root, full)] = readFileSync(full, 'utf8')
    }
  }
  walk(root)
  return out
}

async function cli(root: string, dockerConfig: string, argv: string[]): Promise<{ code: number; stderr: string }> {
  const saved = { now: process.env.IMAGESTREAM_NOW, cfg: process.env.DOCKER_CONFIG }
  process.env.IMAGESTREAM_NOW = NOW
  process.env.DOCKER_CONFIG = dockerConfig
  let stderr = ''
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk)
    return true
  })
  try {
    return { code: await runCli(['-C', root, ...argv], registrars), stderr }
  } finally {
    out.mockRestore()
    err.mockRestore()
    for (const [key, value] of [
      ['IMAGESTREAM_NOW', saved.now],
      ['DOCKER_CONFIG', saved.cfg]
    ] as const) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}

/** The action's run() in process, as a runner starts it; its ::error:: lines (none when it agreed). */
async function action(root: string, dockerConfig: string, inputs: Record<string, string>): Promise<string> {
  const run = await runActionInProcess({
    workspace: root,
    repository: 'acme/gitops',
    now: NOW,
    dockerConfig,
    inputs: { delivery: 'none', ...inputs }
  })
  return run.log
    .split('\n')
    .filter((l) => l.startsWith('::error'))
    .join('\n')
}

interface Case {
  name: string
  /** CLI words run on both copies first (to reach the state the verb needs). */
  setup?: string[][]
  cli: string[]
  /** The action's inputs for the same request. */
  inputs: Record<string, string>
  /** Manifests this case adds to the repository. */
  extra?: (host: string) => Record<string, string>
  /** Files the verb must change (so a verb that silently did nothing on both sides cannot pass). */
  changes: string[]
}

const cases: Case[] = [
  {
    name: 'tag (a snapshot; the Deployment bound to the new tag follows)',
    cli: ['tag', 'web:latest', 'web:prod'],
    inputs: { command: 'tag', args: 'web:latest web:prod' },
    extra: (host) => ({ 'deploy/prod.yaml': deployment('prod', 'web:prod', `${host}/acme/web:prod`) }),
    changes: ['imagestreams/web.yaml', 'deploy/prod.yaml']
  },
  {
    name: 'tag onto a stream with no file (it is created)',
    cli: ['tag', '__HOST__/acme/api:1', 'api:1'],
    inputs: { command: 'tag', args: '__HOST__/acme/api:1 api:1' },
    changes: ['imagestreams/api.yaml']
  },
  {
    name: 'rollback (the Deployment bound to the tag follows)',
    cli: ['rollback', 'web:latest', '--to-generation', '1'],
    inputs: { command: 'rollback', args: 'web:latest --to-generation 1' },
    changes: ['imagestreams/web.yaml', 'deploy/web.yaml']
  },
  {
    name: 'resume',
    setup: [['rollback', 'web:latest', '--to-generation', '1']],
    cli: ['resume', 'web:latest'],
    inputs: { command: 'resume', args: 'web:latest' },
    changes: ['imagestreams/web.yaml']
  },
  {
    name: 'import (the scheduler tick)',
    cli: ['import'],
    inputs: { command: 'import' },
    changes: ['imagestreams/web.yaml']
  },
  {
    name: 'apply-triggers',
    cli: ['apply-triggers'],
    inputs: { command: 'apply-triggers' },
    extra: (host) => ({ 'deploy/stale.yaml': deployment('stale', 'web:latest', `${host}/acme/web:latest`) }),
    changes: ['deploy/stale.yaml']
  },
  {
    name: 'sync',
    cli: ['sync'],
    inputs: { command: 'sync' },
    changes: ['imagestreams/web.yaml', 'deploy/web.yaml']
  }
]

/** web:latest has two history items (generations 1 and 2, the newest not yet what the registry serves). */
function fixture(): Record<string, string> {
  const OLD = `sha256:${'0a'.repeat(32)}`
  const stream = streamFile('web', reg.host, 'acme/web', ['latest'])
    .replace('  generation: 1\nspec:', '  generation: 2\nspec:')
    .replace('    generation: 1\n    importPolicy:', '    generation: 2\n    importPolicy:')
  const status = [
    'status:',
    '  dockerImageRepository: ""',
    '  tags:',
    '  - tag: latest',
    '    items:',
    '    - created: "2024-05-02T09:00:00Z"',
    `      dockerImageReference: ${reg.host}/acme/web@${OLD}`,
    `      image: ${OLD}`,
    '      generation: 2',
    '    - created: "2024-05-01T09:00:00Z"',
    `      dockerImageReference: ${reg.host}/acme/web@${pushed.v1}`,
    `      image: ${pushed.v1}`,
    '      generation: 1',
    ''
  ].join('\n')
  return {
    'imagestreams/web.yaml': stream + status,
    'deploy/web.yaml': deployment('web', 'web:latest', `${reg.host}/acme/web@${OLD}`)
  }
}

describe('the CLI and the action write the same bytes for every verb both offer', () => {
  it.each(cases)('$name', async (c) => {
    const host = (words: string[]) => words.map((w) => w.replaceAll('__HOST__', reg.host))
    const dockerConfig = tempDir('agree-docker-')
    const viaCli = tempDir('agree-cli-')
    const viaAction = tempDir('agree-action-')
    const files = { ...fixture(), ...c.extra?.(reg.host) }
    writeTree(viaCli, files)
    for (const words of c.setup ?? []) expect((await cli(viaCli, dockerConfig, host(words))).code).toBe(0)
    cpSync(viaCli, viaAction, { recursive: true })
    const before = tree(viaCli)

    const r = await cli(viaCli, dockerConfig, host(c.cli))
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' })
    const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, host([v])[0]!]))
    expect(await action(viaAction, dockerConfig, inputs)).toBe('')

    const afterCli = tree(viaCli)
    const changed = Object.keys(afterCli)
      .filter((p) => afterCli[p] !== before[p])
      .sort()
    expect(changed).toEqual([...c.changes].sort())
    expect(tree(viaAction)).toEqual(afterCli)
  })
})

/**
 * Promotion across namespaces (docs/promotion.md): `tag dev/web@sha256:… prod/web:live` and the automatic promotion of
 * `sync` (promote-from, promote-after), on streams whose registry is a loopback listener that counts what it is
 * asked and answers 503: a promotion copies the history the repository holds, so it must ask nothing.
 */
describe('the CLI and the action write the same bytes for a cross-namespace promotion', () => {
  const A = `sha256:${'a'.repeat(64)}`
  const B = `sha256:${'b'.repeat(64)}`
  let stopped: Server
  let requests = 0
  let host = ''

  beforeAll(async () => {
    stopped = createServer((_req, res) => {
      requests++
      res.writeHead(503).end()
    })
    await new Promise<void>((resolve) => stopped.listen(0, '127.0.0.1', resolve))
    host = `127.0.0.1:${(stopped.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => stopped.close(() => resolve())))

  function web(namespace: string, tag: string, items: Array<[string, string]>, annotations: string[] = []): string {
    const stream = streamFile('web', host, 'acme/web', [tag])
      .replace('  name: web\n', `  name: web\n  namespace: ${namespace}\n`)
      .replace(
        '    annotations: null',
        annotations.length
          ? `    annotations:\n${annotations.map((a) => `      ${a}`).join('\n')}`
          : '    annotations: null'
      )
      .replace('      scheduled: true\n', '      importMode: Legacy\n')
    const history = items.map(([d, created]) =>
      [
        `    - created: "${created}"`,
        `      dockerImageReference: ${host}/acme/web@${d}`,
        `      image: ${d}`,
        '      generation: 1'
      ].join('\n')
    )
    return `${stream}status:\n  dockerImageRepository: ""\n  tags:\n  - tag: ${tag}\n    items:\n${history.join('\n')}\n`
  }

  function environments(): Record<string, string> {
    const manifest = deployment('web', 'web:live', `${host}/acme/web@${A}`).replace(
      '  name: web\n',
      '  name: web\n  namespace: prod\n'
    )
    return {
      // dev has run B for 3 hours at NOW; prod runs A and promotes from dev after 2 hours.
      'imagestreams/dev.yaml': web('dev', 'latest', [
        [B, '2024-06-01T09:00:00Z'],
        [A, '2024-05-01T09:00:00Z']
      ]),
      'imagestreams/prod.yaml': web(
        'prod',
        'live',
        [[A, '2024-05-02T09:00:00Z']],
        ['imagestream-action.dev/promote-from: dev/web:latest', 'imagestream-action.dev/promote-after: 2h']
      ),
      'deploy/prod.yaml': manifest
    }
  }

  it.each<{ name: string; cli: string[]; inputs: Record<string, string>; changes: string[] }>([
    {
      name: 'manual: tag dev/web@sha256:… prod/web:live',
      cli: ['tag', `dev/web@${B}`, 'prod/web:live'],
      inputs: { command: 'tag', args: `dev/web@${B} prod/web:live` },
      changes: ['deploy/prod.yaml', 'imagestreams/prod.yaml']
    },
    {
      name: 'automatic: sync promotes what has run in dev for 2 hours',
      cli: ['sync'],
      inputs: { command: 'sync' },
      // The first sync also adopts dev's hand-written file (records its observed spec, as the API server would).
      changes: ['deploy/prod.yaml', 'imagestreams/dev.yaml', 'imagestreams/prod.yaml']
    }
  ])('$name (the registry is asked nothing)', async (c) => {
    const dockerConfig = tempDir('agree-docker-')
    const viaCli = tempDir('agree-cli-')
    const viaAction = tempDir('agree-action-')
    writeTree(viaCli, environments())
    cpSync(viaCli, viaAction, { recursive: true })
    const before = tree(viaCli)
    requests = 0

    const r = await cli(viaCli, dockerConfig, c.cli)
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' })
    expect(await action(viaAction, dockerConfig, c.inputs)).toBe('')

    const afterCli = tree(viaCli)
    expect(
      Object.keys(afterCli)
        .filter((p) => afterCli[p] !== before[p])
        .sort()
    ).toEqual(c.changes)
    expect(afterCli['deploy/prod.yaml']).toContain(`${host}/acme/web@${B}`)
    expect(afterCli['imagestreams/prod.yaml']).toContain(`name: web@${B}`)
    expect(tree(viaAction)).toEqual(afterCli)
    expect(requests).toBe(0)
  })
})
