/**
 * The action's computation and grouping, in-process: the stream commands (tag / rollback / resume on the `args`
 * words), how changed files split into pull requests, the recomputation on a moved base, and the "same change,
 * other timestamp" rule that keeps a re-run from rewriting an open pull request.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { rmSync } from 'node:fs'
import YAML from 'yaml'
import { compute, memoizedRegistry, recompute, type ComputeInput } from '../../src/action/compute.js'
import { equivalentStamp } from '../../src/delivery/deliver.js'
import { branchFor, groupChanges } from '../../src/delivery/group.js'
import { readSettings, type Settings } from '../../src/action/settings.js'
import { createRegistryClient } from '../../src/registry/index.js'
import type { RegistryClient } from '../../src/registry/types.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import { deployment, gitRepo, read, streamFile } from './fixtures.js'

const A = `sha256:${'a1'.repeat(32)}`
const B = `sha256:${'b2'.repeat(32)}`
const NOW = new Date('2024-06-01T12:00:00Z')
const dirs: string[] = []

function settings(over: Record<string, string> = {}): Settings {
  return readSettings((name) => over[name] ?? (name === 'github-token' ? 't' : ''))
}

const noRegistry: RegistryClient = {
  resolve: () => Promise.reject(new Error('no registry in this test')),
  listTags: () => Promise.reject(new Error('no registry in this test')),
  metadata: () => Promise.reject(new Error('no registry in this test')),
  close: async () => {}
}

/** web:latest imported twice (A then B); the Deployment runs B. */
function historyRepo(): string {
  const stream = `apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: web
  generation: 2
spec:
  lookupPolicy:
    local: false
  tags:
  - name: latest
    annotations: null
    from:
      kind: DockerImage
      name: quay.io/acme/web:latest
    generation: 2
    importPolicy:
      scheduled: true
    referencePolicy:
      type: Source
status:
  dockerImageRepository: ""
  tags:
  - tag: latest
    items:
    - created: "2024-05-02T09:00:00Z"
      dockerImageReference: quay.io/acme/web@${B}
      image: ${B}
      generation: 2
    - created: "2024-05-01T09:00:00Z"
      dockerImageReference: quay.io/acme/web@${A}
      image: ${A}
      generation: 1
`
  const dir = gitRepo({
    'imagestreams/web.yaml': stream,
    'deploy/web.yaml': deployment('web', 'web:latest', `quay.io/acme/web@${B}`)
  })
  dirs.push(dir)
  return dir
}

function input(root: string, over: Record<string, string>, registry: RegistryClient = noRegistry): ComputeInput {
  return { root, settings: settings(over), intent: { kind: 'scheduled' }, registry, now: NOW }
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('stream commands on the args words', () => {
  it('rollback points the tag at the older item, holds it, and the Deployment follows', async () => {
    const root = historyRepo()
    const c = await compute(input(root, { command: 'rollback', args: 'web:latest --to-generation 1' }))
    expect(c.files.map((f) => f.path)).toEqual(['imagestreams/web.yaml', 'deploy/web.yaml'])
    const after = YAML.parse(c.files[0]!.after) as {
      metadata: { annotations: Record<string, string> }
      status: { tags: Array<{ items: Array<{ image: string }> }> }
    }
    expect(after.status.tags[0]!.items[0]!.image).toBe(A)
    expect(JSON.parse(after.metadata.annotations['imagestream-action.dev/holds']!)).toEqual({
      latest: { digest: A, since: '2024-06-01T12:00:00Z' }
    })
    expect(c.files[1]!.after).toContain(`image: quay.io/acme/web@${A}`)
    expect(c.changes).toEqual([
      expect.objectContaining({
        stream: 'web',
        tag: 'latest',
        oldDigest: B,
        newDigest: A,
        files: [expect.objectContaining({ file: 'deploy/web.yaml' })]
      })
    ])
    expect(c.held).toEqual([expect.objectContaining({ tag: 'latest', heldDigest: A })])
    // Nothing is written: the action decides where the files go.
    expect(read(root, 'deploy/web.yaml')).toContain(`@${B}`)
  })

  it('resume lifts the hold and makes the tag pending', async () => {
    const root = historyRepo()
    const held = await compute(input(root, { command: 'rollback', args: 'web:latest --to sha256:a1a1a1' }))
    const { writeFileSync } = await import('node:fs')
    writeFileSync(`${root}/imagestreams/web.yaml`, held.files[0]!.after)
    const resumed = await compute(input(root, { command: 'resume', args: 'web:latest' }))
    const after = YAML.parse(resumed.files[0]!.after) as {
      metadata: { generation: number; annotations?: Record<string, string> }
      spec: { tags: Array<{ generation: number }> }
    }
    expect(after.metadata.annotations?.['imagestream-action.dev/holds'] ?? '{}').toBe('{}')
    expect(after.spec.tags[0]!.generation).toBe(after.metadata.generation)
    expect(after.metadata.generation).toBe(3)
    expect(resumed.messages).toEqual(['Tag web:latest resumed.'])
  })

  it('tag sets a new tag as oc tag does', async () => {
    const root = historyRepo()
    const c = await compute(input(root, { command: 'tag', args: 'quay.io/acme/web:v2 web:next --scheduled' }))
    expect(c.messages).toEqual(['Tag web:next set to import quay.io/acme/web:v2 periodically.'])
    expect(c.files[0]!.after).toMatch(/- name: next\n[\s\S]*name: quay\.io\/acme\/web:v2/)
  })

  const bad: Array<[Record<string, string>, RegExp]> = [
    [
      { command: 'rollback', args: 'web:latest' },
      /^input args: rollback needs exactly one of --to-generation N or --to DIGEST$/
    ],
    [
      { command: 'rollback', args: 'web:latest --to-generation 1 --to sha256:a1' },
      /^input args: rollback needs exactly one/
    ],
    [
      { command: 'rollback', args: 'web:latest --to-generation one' },
      /^input args: --to-generation must be a whole number/
    ],
    // The action and the CLI share one orchestrator, so an unknown stream reads as oc's NotFound in both.
    [
      { command: 'rollback', args: 'nope:latest --to-generation 1' },
      /^imagestreams\.image\.openshift\.io "nope" not found$/
    ],
    [
      { command: 'rollback', args: 'web:latest --to-generation 9' },
      /web:latest: tag "latest" has no history item of generation 9/
    ],
    [{ command: 'resume', args: 'web:latest' }, /web:latest: tag "latest" is not held$/],
    [{ command: 'tag', args: 'web:latest --bogus' }, /^input args: Unknown option '--bogus' \(for command tag\)$/],
    [{ command: 'tag', args: 'quay.io/acme/web:v2' }, /^input args: tag takes SOURCE DEST/]
  ]
  it('tag onto a stream with no file creates it, as oc tag creates the destination stream', async () => {
    const root = historyRepo()
    const c = await compute(input(root, { command: 'tag', args: 'quay.io/acme/api:2 api:2' }))
    expect(c.messages).toEqual([
      'Tag api:2 set to quay.io/acme/api:2.',
      'Created imagestreams/api.yaml for the new image stream.'
    ])
    expect(c.files.map((f) => [f.path, f.before])).toEqual([['imagestreams/api.yaml', '']])
    expect(YAML.parse(c.files[0]!.after)).toMatchObject({ metadata: { name: 'api' }, spec: { tags: [{ name: '2' }] } })
  })

  it.each(bad)('refuses %j with a clear message', async (over, message) => {
    await expect(compute(input(historyRepo(), over))).rejects.toThrow(message)
  })
})

describe('with a registry', () => {
  let reg: TestRegistry
  let registry: RegistryClient
  let latest: string
  let stable: string
  let api: string
  beforeAll(async () => {
    reg = await startRegistry()
    latest = (await pushImage(reg, 'acme/web', 'latest', { seed: 'c-latest' })).digest
    stable = (await pushImage(reg, 'acme/web', 'stable', { seed: 'c-stable' })).digest
    api = (await pushImage(reg, 'acme/api', 'latest', { seed: 'c-api' })).digest
    registry = memoizedRegistry(createRegistryClient({}))
  })
  afterAll(async () => {
    await registry?.close()
    await reg?.stop()
  })

  function repo(): string {
    // One manifest runs containers of both streams: its edits belong to two pull requests.
    const both = `${deployment('web', 'web:latest', `${reg.host}/acme/web:latest`).trimEnd()}\n---\n${deployment('api', 'api:latest', `${reg.host}/acme/api:latest`)}`
    const dir = gitRepo({
      'imagestreams/web.yaml': streamFile('web', reg.host, 'acme/web', ['latest', 'stable']),
      'imagestreams/api.yaml': streamFile('api', reg.host, 'acme/api', ['latest']),
      'deploy/all.yaml': both
    })
    dirs.push(dir)
    return dir
  }

  it('group stream: one group per stream, a shared manifest split by the edits each stream owns', async () => {
    const root = repo()
    const c = await compute(input(root, {}, registry))
    const groups = groupChanges(c, 'stream', 'imagestream/')
    expect(groups.map((g) => [g.key, g.branch, g.files.map((f) => f.path).sort()])).toEqual([
      ['api', 'imagestream/api', ['deploy/all.yaml', 'imagestreams/api.yaml']],
      ['web', 'imagestream/web', ['deploy/all.yaml', 'imagestreams/web.yaml']]
    ])
    const manifest = (key: string) =>
      groups.find((g) => g.key === key)!.files.find((f) => f.path === 'deploy/all.yaml')!.content!
    expect(manifest('web')).toContain(`acme/web@${latest}`)
    expect(manifest('web')).toContain(`image: ${reg.host}/acme/api:latest`)
    expect(manifest('api')).toContain(`acme/api@${api}`)
    expect(manifest('api')).toContain(`image: ${reg.host}/acme/web:latest`)
    expect(
      groups
        .find((g) => g.key === 'web')!
        .changes.map((x) => x.tag)
        .sort()
    ).toEqual(['latest', 'stable'])
  })

  it('group tag: a stream file with two moved tags is split so each pull request moves only its tag', async () => {
    const c = await compute(input(repo(), {}, registry))
    const groups = groupChanges(c, 'tag', 'bump/')
    expect(groups.map((g) => g.branch)).toEqual(['bump/api/latest', 'bump/web/latest', 'bump/web/stable'])
    const tags = (key: string) => {
      const text = groups.find((g) => g.key === key)!.files.find((f) => f.path === 'imagestreams/web.yaml')!.content!
      const doc = YAML.parse(text) as { status?: { tags?: Array<{ tag: string; items: Array<{ image: string }> }> } }
      return Object.fromEntries((doc.status?.tags ?? []).map((t) => [t.tag, t.items.map((i) => i.image)]))
    }
    expect(tags('web/latest')).toEqual({ latest: [latest] })
    expect(tags('web/stable')).toEqual({ stable: [stable] })
    expect(groups.find((g) => g.key === 'web/stable')!.files.map((f) => f.path)).toEqual(['imagestreams/web.yaml'])
  })

  it('group all: one group with every file', async () => {
    const c = await compute(input(repo(), {}, registry))
    const groups = groupChanges(c, 'all', 'imagestream/')
    expect(groups.map((g) => [g.branch, g.files.length, g.changes.length])).toEqual([['imagestream/all', 3, 3]])
  })

  it('recompute keeps a change someone made to the same file on the other base', async () => {
    const root = repo()
    const first = await compute(input(root, {}, registry))
    const theirs = read(root, 'deploy/all.yaml').replace('replicas: 1', 'replicas: 5')
    const again = await recompute(input(root, {}, registry), first, async (path) =>
      path === 'deploy/all.yaml' ? theirs : read(root, path)
    )
    const manifest = again.files.find((f) => f.path === 'deploy/all.yaml')!.after
    expect(manifest).toContain('replicas: 5')
    expect(manifest).toContain(`acme/web@${latest}`)
    expect(again.changes.map((x) => x.newDigest).sort()).toEqual(first.changes.map((x) => x.newDigest).sort())
  })
})

describe('equivalentStamp', () => {
  const before = 'items: []\n'
  it('finds the open branch differing only by the time this run stamps', () => {
    const ours = 'created: "2024-06-01T12:00:00Z"\nimage: x\n'
    expect(equivalentStamp(ours, ours, '2024-06-01T12:00:00Z', before)).toBe('2024-06-01T12:00:00Z')
    expect(equivalentStamp(ours, 'created: "2024-05-30T08:00:00Z"\nimage: x\n', '2024-06-01T12:00:00Z', before)).toBe(
      '2024-05-30T08:00:00Z'
    )
  })
  it('refuses a branch that differs in anything else', () => {
    const ours = 'created: "2024-06-01T12:00:00Z"\nimage: x\n'
    expect(
      equivalentStamp(ours, 'created: "2024-05-30T08:00:00Z"\nimage: y\n', '2024-06-01T12:00:00Z', before)
    ).toBeUndefined()
    // A time the base already had is not "the other run's time".
    expect(
      equivalentStamp(
        ours,
        'created: "2024-05-30T08:00:00Z"\nimage: x\n',
        '2024-06-01T12:00:00Z',
        'created: "2024-05-30T08:00:00Z"'
      )
    ).toBeUndefined()
  })
})

describe('branch names', () => {
  it('keeps stream/tag branches valid for git', () => {
    expect(branchFor('imagestream/', 'web')).toBe('imagestream/web')
    expect(branchFor('imagestream/', 'shop/web/v1..2')).toBe('imagestream/shop/web/v1.2')
    expect(branchFor('imagestream/', 'web/x.lock')).toBe('imagestream/web/x-lock')
    expect(branchFor('imagestream/', 'web/1.0.')).toBe('imagestream/web/1.0')
  })
})
