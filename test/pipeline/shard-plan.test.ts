import { describe, expect, test } from '@jest/globals'
import {
  assign,
  checkShardCount,
  components,
  parseShardSpec,
  planShards,
  shardMembers,
  type PlanBinding,
  type PlanStream
} from '../../src/pipeline/shard-plan.js'

/** A deterministic generator, so the fixture is the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A platform team's repository: streams in teams of 1–8, each team's manifests bound to its own streams, a fifth of
 * the manifests bound to two streams of the team (an app and its sidecar), tags importing 1–6 references.
 */
function fixture(streamCount: number, manifestCount: number, seed = 7) {
  const rnd = prng(seed)
  const streams: PlanStream[] = []
  const teams: PlanStream[][] = []
  while (streams.length < streamCount) {
    const team: PlanStream[] = []
    const size = Math.min(1 + Math.floor(rnd() * 8), streamCount - streams.length)
    for (let k = 0; k < size; k++) {
      const n = streams.length
      const refs = Array.from(
        { length: 1 + Math.floor(rnd() * 6) },
        (_, r) => `registry.example/t${teams.length}/s${n}:${r}`
      )
      const s: PlanStream = {
        file: `imagestreams/s${String(n).padStart(5, '0')}.yaml`,
        name: `s${n}`,
        tags: refs.length + 1,
        references: refs
      }
      team.push(s)
      streams.push(s)
    }
    teams.push(team)
  }
  const bindings: PlanBinding[] = []
  for (let m = 0; m < manifestCount; m++) {
    const team = teams[Math.floor(rnd() * teams.length)]!
    const file = `deploy/m${String(m).padStart(5, '0')}.yaml`
    const a = team[Math.floor(rnd() * team.length)]!
    bindings.push({ file, from: { stream: a.name } })
    if (rnd() < 0.2) bindings.push({ file, from: { stream: team[Math.floor(rnd() * team.length)]!.name } })
  }
  return { streams, bindings }
}

describe('plan --shards: a generated repository of 2,000 streams and 5,000 manifests, 16 shards', () => {
  const { streams, bindings } = fixture(2000, 5000)
  const plan = planShards(streams, bindings, 16)

  test('every stream is in exactly one shard', () => {
    const seen = plan.include.flatMap((s) => s.streams)
    expect(seen.length).toBe(streams.length)
    expect(new Set(seen)).toEqual(new Set(streams.map((s) => s.file)))
  })

  test('no file is written by two shards', () => {
    const owner = new Map<string, string>()
    for (const entry of plan.include) {
      const [i, n] = entry.shard.split('/').map(Number)
      const members = shardMembers(streams, bindings, i!, n!)
      expect([...members.streamFiles].sort()).toEqual(entry.streams)
      for (const f of members.files) {
        expect(owner.get(f)).toBeUndefined()
        owner.set(f, entry.shard)
      }
    }
    // Every bound manifest has an owner, and its streams are in the owner's shard.
    const shardOfStream = new Map(plan.include.flatMap((e) => e.streams.map((s) => [s, e.shard] as const)))
    const fileOfStream = new Map(streams.map((s) => [s.name, s.file]))
    for (const b of bindings) expect(shardOfStream.get(fileOfStream.get(b.from.stream)!)).toBe(owner.get(b.file))
  })

  test('the largest shard carries at most 1.25× the mean work', () => {
    const comps = components(streams, bindings)
    const where = assign(comps, 16)
    const load = new Array(16).fill(0)
    comps.forEach((c, k) => (load[where[k]!] += c.work))
    const mean = load.reduce((a, b) => a + b, 0) / 16
    expect(Math.max(...load)).toBeLessThanOrEqual(1.25 * mean)
    expect(plan.include).toHaveLength(16)
  })

  test('a rerun prints byte-identical JSON, whatever the order the files were found in', () => {
    const again = planShards([...streams].reverse(), [...bindings].reverse(), 16)
    expect(JSON.stringify(again)).toBe(JSON.stringify(plan))
  })

  test('a new stream moves only its own component', () => {
    const added: PlanStream = {
      file: 'imagestreams/zz-new.yaml',
      name: 'zz-new',
      tags: 2,
      references: ['registry.example/new:1']
    }
    const next = planShards(
      [...streams, added],
      [...bindings, { file: 'deploy/zz-new.yaml', from: { stream: 'zz-new' } }],
      16
    )
    const before = new Map(plan.include.flatMap((e) => e.streams.map((s) => [s, e.shard] as const)))
    const moved = next.include.flatMap((e) => e.streams.filter((s) => before.has(s) && before.get(s) !== e.shard))
    expect(moved).toEqual([])
  })
})

describe('plan --shards: components', () => {
  const s = (name: string, namespace?: string): PlanStream => ({
    file: `imagestreams/${namespace ? `${namespace}-` : ''}${name}.yaml`,
    name,
    ...(namespace ? { namespace } : {}),
    tags: 1,
    references: [`quay.io/acme/${name}:latest`]
  })

  test('a manifest bound to two streams keeps both streams and the manifest in one shard', () => {
    const streams = [s('web'), s('proxy'), s('db')]
    const comps = components(streams, [
      { file: 'deploy/web.yaml', from: { stream: 'web' } },
      { file: 'deploy/web.yaml', from: { stream: 'proxy' } },
      { file: 'deploy/db.yaml', from: { stream: 'db' } }
    ])
    expect(comps.map((c) => [c.streamFiles, c.files])).toEqual([
      [['imagestreams/db.yaml'], ['deploy/db.yaml']],
      [['imagestreams/proxy.yaml', 'imagestreams/web.yaml'], ['deploy/web.yaml']]
    ])
    const plan = planShards(streams, [], 2)
    expect(plan.include.flatMap((e) => e.streams).sort()).toEqual(streams.map((x) => x.file).sort())
  })

  test('a binding without a namespace joins every stream of that name; with one, only that namespace', () => {
    const streams = [s('web', 'dev'), s('web', 'prod')]
    const loose = components(streams, [{ file: 'deploy/web.yaml', from: { stream: 'web' } }])
    expect(loose).toHaveLength(1)
    const strict = components(streams, [{ file: 'deploy/web.yaml', from: { namespace: 'prod', stream: 'web' } }])
    expect(strict.map((c) => c.files)).toEqual([[], ['deploy/web.yaml']])
  })

  test('a stream sharing its file with its Deployment (one multi-document file) is one unit', () => {
    const web = s('web')
    const comps = components([web], [{ file: web.file, from: { stream: 'web' } }])
    expect(comps).toEqual([{ key: web.file, streamFiles: [web.file], files: [], work: 1, tags: 1 }])
  })

  test('work counts unique registry references, so shared references cost once', () => {
    const a = { ...s('a'), references: ['r/x:1', 'r/x:2'] }
    const b = { ...s('b'), references: ['r/x:1'] }
    const [c] = components(
      [a, b],
      [
        { file: 'm.yaml', from: { stream: 'a' } },
        { file: 'm.yaml', from: { stream: 'b' } }
      ]
    )
    expect(c!.work).toBe(2)
  })

  test('fewer components than shards: empty shards are left out but keep their numbers', () => {
    const plan = planShards([s('only')], [], 8)
    expect(plan.include).toHaveLength(1)
    expect(plan.include[0]!.shard).toMatch(/^[1-8]\/8$/)
  })
})

describe('shard counts and specs', () => {
  test('more than 256 shards is refused with the reason', () => {
    expect(() => checkShardCount(257)).toThrow(/at most 256 jobs/)
    expect(() => checkShardCount(0)).toThrow(/whole number from 1 to 256/)
    expect(() => planShards([], [], 300)).toThrow(/at most 256 jobs/)
  })

  test.each([
    ['1/1', { index: 1, count: 1 }],
    ['3/16', { index: 3, count: 16 }],
    ['256/256', { index: 256, count: 256 }]
  ])('--shard %s', (text, want) => expect(parseShardSpec(text)).toEqual(want))

  test.each(['0/4', '5/4', '1/0', '1/257', 'a/b', '1-4', '01/4', ''])('--shard %j is refused', (text) =>
    expect(() => parseShardSpec(text)).toThrow(/i\/N with 1 ≤ i ≤ N ≤ 256/)
  )
})

describe('plan --shards: streams that read other streams', () => {
  test("a tag that follows or promotes from another stream stays in that stream's shard", () => {
    const mk = (name: string, links: PlanStream['links'] = []): PlanStream => ({
      file: `imagestreams/${name}.yaml`,
      name,
      tags: 1,
      references: [`r/${name}:1`],
      links
    })
    const comps = components(
      [mk('base'), mk('app', [{ stream: 'base' }]), mk('prod', [{ stream: 'app' }]), mk('other')],
      []
    )
    expect(comps.map((c) => c.streamFiles)).toEqual([
      ['imagestreams/app.yaml', 'imagestreams/base.yaml', 'imagestreams/prod.yaml'],
      ['imagestreams/other.yaml']
    ])
  })
})
