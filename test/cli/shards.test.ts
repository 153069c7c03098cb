/**
 * Scale-out (docs/scale-out.md), "Done when" 2, through the real CLI on the real loopback registry: `sync --shard i/3`
 * in three copies of one repository, combined, gives exactly the tree one `sync` gives, and no file is changed by
 * two shards. Plus the plan itself: JSON a matrix can use, stable across runs, N > 256 refused.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import { sandbox, type Sandbox } from './helpers.js'

let reg: TestRegistry
const boxes: Sandbox[] = []
const T = (minute: number): string => `2024-06-01T08:${String(minute).padStart(2, '0')}:00Z`
const STREAMS = 6

const deployment = (name: string, bindings: Array<[stream: string, container: string, image: string]>): string => {
  const triggers = bindings.map(
    ([s, c]) =>
      `{"from":{"kind":"ImageStreamTag","name":"${s}:1.0"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"${c}\\")].image"}`
  )
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations:
    image.openshift.io/triggers: '[${triggers.join(',')}]'
spec:
  template:
    spec:
      containers:
${bindings.map(([, c, image]) => `      - name: ${c}\n        image: ${image}`).join('\n')}
`
}

/** Every file below root but .git, path → text. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === '.git') continue
      const full = join(dir, name)
      if (statSync(full).isDirectory()) walk(full)
      else out.set(relative(root, full), readFileSync(full, 'utf8'))
    }
  }
  walk(root)
  return out
}

let base: Sandbox

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  base = sandbox({ git: true })
  boxes.push(base)
  const v1: string[] = []
  for (let i = 0; i < STREAMS; i++) {
    v1.push((await pushImage(reg, `acme/s${i}`, '1.0', { seed: `s${i}-v1` })).digest)
    expect((await base.run(T(0), 'tag', `${reg.host}/acme/s${i}:1.0`, `s${i}:1.0`, '--scheduled')).code).toBe(0)
  }
  expect((await base.run(T(1), 'import')).code).toBe(0)
  // s0 and s1 share one manifest (an app and its sidecar): they must land in one shard.
  base.write(
    'deploy/m0.yaml',
    deployment('m0', [
      ['s0', 'app', `${reg.host}/acme/s0@${v1[0]}`],
      ['s1', 'proxy', `${reg.host}/acme/s1@${v1[1]}`]
    ])
  )
  for (let i = 1; i < STREAMS; i++)
    base.write(`deploy/m${i}.yaml`, deployment(`m${i}`, [[`s${i}`, 'app', `${reg.host}/acme/s${i}@${v1[i]}`]]))
  base.git('add', '-A')
  base.git('commit', '-qm', 'streams and manifests')
  for (let i = 0; i < STREAMS; i++) await pushImage(reg, `acme/s${i}`, '1.0', { seed: `s${i}-v2` })
}, 120_000)

afterAll(async () => {
  for (const b of boxes) b.cleanup()
  await reg?.stop()
})

function copyOf(source: Sandbox): Sandbox {
  const b = sandbox()
  boxes.push(b)
  cpSync(source.root, b.root, { recursive: true })
  return b
}

describe('plan --shards', () => {
  it('prints the matrix JSON, the same on a rerun, with every stream in exactly one shard', async () => {
    const first = await base.run(T(2), 'plan', '--shards', '3')
    expect(first.code).toBe(0)
    const plan = JSON.parse(first.stdout) as { include: Array<{ shard: string; streams: string[]; tags: number }> }
    expect(Object.keys(plan)).toEqual(['include'])
    const streams = plan.include.flatMap((e) => e.streams).sort()
    expect(streams).toEqual(Array.from({ length: STREAMS }, (_, i) => `imagestreams/s${i}.yaml`).sort())
    for (const e of plan.include) expect(e.shard).toMatch(/^[1-3]\/3$/)
    const together = plan.include.find((e) => e.streams.includes('imagestreams/s0.yaml'))!
    expect(together.streams).toContain('imagestreams/s1.yaml')
    expect((await base.run(T(3), 'plan', '--shards', '3')).stdout).toBe(first.stdout)
  })

  it('refuses more shards than a matrix can run', async () => {
    const r = await base.run(T(2), 'plan', '--shards', '300')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('at most 256 jobs')
  })
})

describe('sync --shard i/3', () => {
  it('three shards, combined, give exactly the tree one sync gives; no file is changed by two shards', async () => {
    const before = snapshot(base.root)
    const whole = copyOf(base)
    expect((await whole.run(T(5), 'sync')).code).toBe(0)
    const expected = snapshot(whole.root)
    const changedByOne = [...expected].filter(([p, t]) => before.get(p) !== t).map(([p]) => p)
    expect(changedByOne.sort()).toEqual([
      ...Array.from({ length: STREAMS }, (_, i) => `deploy/m${i}.yaml`),
      ...Array.from({ length: STREAMS }, (_, i) => `imagestreams/s${i}.yaml`)
    ])

    const combined = new Map(before)
    const owner = new Map<string, number>()
    for (let i = 1; i <= 3; i++) {
      const shard = copyOf(base)
      const r = await shard.run(T(5), 'sync', '--shard', `${i}/3`)
      expect(r.code).toBe(0)
      for (const [path, text] of snapshot(shard.root)) {
        if (before.get(path) === text) continue
        expect(owner.get(path)).toBeUndefined()
        owner.set(path, i)
        combined.set(path, text)
      }
    }
    expect(new Set(owner.values()).size).toBeGreaterThan(1)
    expect(combined).toEqual(expected)
  }, 120_000)

  it('a bad shard is refused before anything is read', async () => {
    const r = await base.run(T(6), 'sync', '--shard', '4/3')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--shard')
  })
})
