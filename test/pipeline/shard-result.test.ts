import { describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  combineShardResults,
  parseShardResult,
  shardResultOf,
  type ShardResult
} from '../../src/pipeline/shard-result.js'

const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`

function result(
  shard: string,
  files: Array<[path: string, before: string | null, after: string]>,
  stream = 'web'
): ShardResult {
  const created = new Set(files.filter(([, b]) => b === null).map(([p]) => p))
  return shardResultOf(
    shard,
    [`imagestreams/${stream}.yaml`],
    {
      files: files.map(([path, before, after]) => ({
        path,
        kind: path.startsWith('imagestreams/') ? 'stream' : 'manifest',
        before: before ?? '',
        after
      })),
      changes: [{ stream, tag: 'latest', oldDigest: A, newDigest: B }],
      failures: [],
      held: [],
      diagnostics: []
    },
    created
  )
}

const tree = (files: Record<string, string>) => async (path: string) => files[path] ?? null

describe('shard results: what a sharded run hands to deliver', () => {
  test('the pre-image id is the git blob id, as `git hash-object` computes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shard-'))
    const text = 'image: quay.io/acme/web@sha256:1\nüñî\n'
    writeFileSync(join(dir, 'f'), text)
    const r = result('1/2', [['deploy/web.yaml', text, 'x']])
    expect(r.files[0]!.before).toBe(execFileSync('git', ['hash-object', join(dir, 'f')], { encoding: 'utf8' }).trim())
  })

  test('round trip through JSON', () => {
    const r = result('2/4', [
      ['imagestreams/web.yaml', 'a', 'b'],
      ['deploy/new.yaml', null, 'c']
    ])
    expect(parseShardResult(JSON.stringify(r), 'shard-2.json')).toEqual(r)
    expect(r.files[1]!.before).toBeNull()
  })

  test.each([
    ['not JSON', '{', /invalid JSON/],
    ['another format', JSON.stringify({ format: 'x' }), /"format" is not imagestream-action\/shard-result/],
    [
      'a newer version',
      JSON.stringify({ format: 'imagestream-action/shard-result', version: 2 }),
      /version 2; this tool reads version 1/
    ],
    [
      'a path that leaves the repository',
      JSON.stringify({
        ...result('1/2', [['a', 'x', 'y']]),
        files: [{ path: '../etc/passwd', kind: 'manifest', before: null, after: '' }]
      }),
      /file path "..\/etc\/passwd"/
    ],
    [
      'an absolute path',
      JSON.stringify({
        ...result('1/2', [['a', 'x', 'y']]),
        files: [{ path: '/etc/passwd', kind: 'manifest', before: null, after: '' }]
      }),
      /file path "\/etc\/passwd"/
    ],
    ['a bad shard', JSON.stringify({ ...result('1/2', []), shard: '3/2' }), /i\/N with/]
  ])('%s is refused, naming the file', (_, text, why) => {
    expect(() => parseShardResult(text, 'shard-1.json')).toThrow(why)
    expect(() => parseShardResult(text, 'shard-1.json')).toThrow(/^shard-1.json: not a shard result/)
  })
})

describe('deliver: combining the shards', () => {
  test('disjoint shards combine into one change set, in shard order', async () => {
    const base = { 'imagestreams/web.yaml': 'w0', 'imagestreams/api.yaml': 'a0', 'deploy/web.yaml': 'd0' }
    const combined = await combineShardResults(
      [
        result('2/2', [['imagestreams/api.yaml', 'a0', 'a1']], 'api'),
        result('1/2', [
          ['imagestreams/web.yaml', 'w0', 'w1'],
          ['deploy/web.yaml', 'd0', 'd1']
        ])
      ],
      tree(base)
    )
    expect(combined.files.map((f) => [f.path, f.before, f.after])).toEqual([
      ['imagestreams/web.yaml', 'w0', 'w1'],
      ['deploy/web.yaml', 'd0', 'd1'],
      ['imagestreams/api.yaml', 'a0', 'a1']
    ])
    expect(combined.changes.map((c) => c.stream)).toEqual(['web', 'api'])
    expect(combined.refused).toEqual([])
  })

  test('two shards changing one file are refused as a whole, naming the file and both shards', async () => {
    await expect(
      combineShardResults(
        [result('1/2', [['deploy/shared.yaml', 'x', 'y']]), result('2/2', [['deploy/shared.yaml', 'x', 'z']], 'api')],
        tree({ 'deploy/shared.yaml': 'x' })
      )
    ).rejects.toThrow('deploy/shared.yaml (shards 1/2 and 2/2)')
  })

  test('a stale pre-image refuses that shard only; the other shards still land', async () => {
    const combined = await combineShardResults(
      [
        result('1/2', [
          ['imagestreams/web.yaml', 'w0', 'w1'],
          ['deploy/web.yaml', 'd0', 'd1']
        ]),
        result('2/2', [['imagestreams/api.yaml', 'a0', 'a1']], 'api')
      ],
      tree({ 'imagestreams/web.yaml': 'w0', 'deploy/web.yaml': 'someone edited this', 'imagestreams/api.yaml': 'a0' })
    )
    expect(combined.files.map((f) => f.path)).toEqual(['imagestreams/api.yaml'])
    expect(combined.refused).toEqual([
      {
        shard: '1/2',
        reason: 'deploy/web.yaml changed since the shard read it; run the shard again on the current base'
      }
    ])
    expect(combined.shards).toEqual([
      { shard: '1/2', changes: 0, failures: 0, refused: expect.any(String) },
      { shard: '2/2', changes: 1, failures: 0 }
    ])
  })

  test('a file the shard created must still be absent', async () => {
    const r = result('1/1', [['deploy/new.yaml', null, 'n']])
    expect((await combineShardResults([r], tree({}))).files).toHaveLength(1)
    expect((await combineShardResults([r], tree({ 'deploy/new.yaml': 'x' }))).refused).toHaveLength(1)
  })

  test('results of different plans, or one shard twice, are refused', async () => {
    await expect(combineShardResults([result('1/2', []), result('1/3', [], 'api')], tree({}))).rejects.toThrow(
      /different plans/
    )
    await expect(combineShardResults([result('1/2', []), result('1/2', [], 'api')], tree({}))).rejects.toThrow(
      /given twice/
    )
  })

  test("a sharded sync's promotions travel in its result (read back strictly); a refused shard's are left out", async () => {
    const promotion = (stream: string) => ({
      kind: 'promote' as const,
      tag: 'live',
      digest: B,
      source: {
        namespace: 'dev',
        stream,
        tag: 'latest',
        item: {
          created: '2024-05-01T00:00:00Z',
          dockerImageReference: `quay.io/acme/${stream}@${B}`,
          image: B,
          generation: 1
        }
      },
      upstreams: [],
      stream,
      namespace: 'prod',
      file: `imagestreams/${stream}.yaml`
    })
    const withPromotion = (r: ShardResult, stream: string): ShardResult =>
      parseShardResult(JSON.stringify({ ...r, promotions: [promotion(stream)] }), 'shard.json')
    const web = withPromotion(result('1/2', [['imagestreams/web.yaml', 'w0', 'w1']]), 'web')
    const api = withPromotion(result('2/2', [['imagestreams/api.yaml', 'a0', 'a1']], 'api'), 'api')
    expect(web.promotions).toEqual([promotion('web')])
    const combined = await combineShardResults(
      [web, api],
      tree({ 'imagestreams/web.yaml': 'w0', 'imagestreams/api.yaml': 'edited meanwhile' })
    )
    expect(combined.promotions).toEqual([promotion('web')])
    expect(() => parseShardResult(JSON.stringify({ ...web, promotions: 'web' }), 'shard.json')).toThrow(
      /"promotions" is not a list/
    )
  })
})
