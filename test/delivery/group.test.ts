/**
 * Delivery groups (src/delivery/group.ts): a promoted tag is a pull request of its own under the default `stream`
 * grouping, while the stream's ordinary imports stay together; `all` still puts everything in one.
 */
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { groupChanges } from '../../src/delivery/group.js'
import { parseStreamFile } from '../../src/stream/state-file.js'

const OLD = `sha256:${'0'.repeat(64)}`
const digest = (c: string) => `sha256:${c.repeat(64)}`

function stream(images: Record<string, string>): string {
  const tags = Object.keys(images)
  return [
    'apiVersion: image.openshift.io/v1',
    'kind: ImageStream',
    'metadata:',
    '  name: web',
    '  namespace: prod',
    'spec:',
    '  tags:',
    ...tags.flatMap((t) => [
      `  - name: ${t}`,
      '    from:',
      '      kind: DockerImage',
      `      name: quay.io/acme/web:${t}`
    ]),
    'status:',
    '  dockerImageRepository: ""',
    '  tags:',
    ...tags.flatMap((t) => [
      `  - tag: ${t}`,
      '    items:',
      '    - created: "2024-05-01T00:00:00Z"',
      `      dockerImageReference: quay.io/acme/web@${images[t]}`,
      `      image: ${images[t]}`,
      '      generation: 1'
    ]),
    ''
  ].join('\n')
}

const current = (text: string) =>
  Object.fromEntries(
    (parse(text) as { status: { tags: Array<{ tag: string; items: Array<{ image: string }> }> } }).status.tags.map(
      (t) => [t.tag, t.items[0]!.image]
    )
  )

function input() {
  const before = stream({ latest: OLD, stable: OLD, live: OLD })
  const after = stream({ latest: digest('1'), stable: digest('2'), live: digest('3') })
  const parsed = parseStreamFile(after, 'imagestreams/web.yaml').stream!
  const change = (tag: string, d: string) => ({ stream: 'web', namespace: 'prod', tag, oldDigest: OLD, newDigest: d })
  return {
    files: [{ path: 'imagestreams/web.yaml', before, after, kind: 'stream' as const }],
    changes: [change('latest', digest('1')), change('stable', digest('2')), change('live', digest('3'))],
    failures: [],
    held: [],
    streams: [{ file: 'imagestreams/web.yaml', stream: parsed }],
    promoted: new Set(['prod/web:live'])
  }
}

describe('groupChanges with a promotion', () => {
  it('group stream: the promoted tag is its own group and branch; the imported tags stay in the stream group', () => {
    const groups = groupChanges(input(), 'stream', 'imagestream/')
    expect(groups.map((g) => [g.key, g.branch, g.changes.map((c) => c.tag)])).toEqual([
      ['prod/web', 'imagestream/prod/web', ['latest', 'stable']],
      ['prod/web/live', 'imagestream/prod/web/live', ['live']]
    ])
    // Each branch's stream file holds only its own tags' moves.
    expect(current(groups[0]!.files[0]!.content!)).toEqual({ latest: digest('1'), stable: digest('2'), live: OLD })
    expect(current(groups[1]!.files[0]!.content!)).toEqual({ latest: OLD, stable: OLD, live: digest('3') })
  })

  it('group all: one group holds everything, the promotion included', () => {
    const groups = groupChanges(input(), 'all', 'imagestream/')
    expect(groups.map((g) => [g.key, g.changes.length])).toEqual([['all', 3]])
    expect(groups[0]!.files[0]!.content).toBe(input().files[0]!.after)
  })

  it('without a promotion, group stream keeps the whole file in one group as before', () => {
    const groups = groupChanges({ ...input(), promoted: new Set<string>() }, 'stream', 'imagestream/')
    expect(groups.map((g) => g.key)).toEqual(['prod/web'])
    expect(groups[0]!.files[0]!.content).toBe(input().files[0]!.after)
  })
})
