import { describe, expect, it } from '@jest/globals'
import { rollback } from '../../../src/stream/rules/holds.js'
import {
  decidePromotion,
  promotedTags,
  promotionSource,
  PROMOTE_AFTER_ANNOTATION,
  PROMOTE_FROM_ANNOTATION,
  PROMOTE_VERIFIED_ANNOTATION,
  PROMOTE_WHEN_ANNOTATION
} from '../../../src/stream/rules/promotion.js'
import { tagCommand } from '../../../src/stream/rules/tag-command.js'
import type { ImageStream } from '../../../src/stream/types.js'

const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`
const C = `sha256:${'c'.repeat(64)}`
const T0 = '2026-11-01T10:00:00Z'
const at = (hours: number) => new Date(Date.parse(T0) + hours * 3_600_000)

/** An environment's stream: one tag whose history is `items` (newest first). */
function env(
  namespace: string,
  tag: string,
  items: Array<[digest: string, created: string]>,
  annotations?: Record<string, string>
): ImageStream {
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: { name: 'web', namespace, generation: 2 },
    spec: {
      lookupPolicy: { local: false },
      tags: [
        {
          name: tag,
          annotations: annotations ?? null,
          from: { kind: 'DockerImage', name: 'quay.io/acme/web:latest' },
          generation: 2,
          importPolicy: { importMode: 'Legacy' },
          referencePolicy: { type: 'Source' }
        }
      ]
    },
    status: {
      dockerImageRepository: '',
      tags: items.length
        ? [
            {
              tag,
              items: items.map(([d, created]) => ({
                created,
                dockerImageReference: `quay.io/acme/web@${d}`,
                image: d,
                generation: 2
              }))
            }
          ]
        : []
    }
  }
}

function world(...streams: ImageStream[]) {
  return (namespace: string, name: string) =>
    streams.find((s) => s.metadata.name === name && (s.metadata.namespace ?? '') === namespace)
}

describe('automatic promotion: decidePromotion (ours, performed as oc tag dev/web@sha256:… prod/web:live)', () => {
  const prodPolicy = (extra: Record<string, string> = {}) => ({
    [PROMOTE_FROM_ANNOTATION]: 'dev/web:latest',
    [PROMOTE_AFTER_ANNOTATION]: '2h',
    ...extra
  })

  it('promote-after 2h: a new dev digest waits at 1 h (saying until when) and is promoted at 3 h', () => {
    const dev = env('dev', 'latest', [
      [B, T0],
      [A, '2026-10-01T00:00:00Z']
    ])
    const prod = env('prod', 'live', [[A, '2026-10-02T00:00:00Z']], prodPolicy())
    expect(decidePromotion(prod, 'live', world(dev, prod), at(1))).toEqual({
      kind: 'waiting',
      tag: 'live',
      digest: B,
      until: '2026-11-01T12:00:00Z',
      reason: `${B} has run in dev/web:latest since ${T0}`
    })
    const go = decidePromotion(prod, 'live', world(dev, prod), at(3))
    expect(go).toMatchObject({ kind: 'promote', digest: B, source: { namespace: 'dev', stream: 'web', tag: 'latest' } })
    expect(promotionSource(go as Extract<typeof go, { kind: 'promote' }>)).toBe(`dev/web@${B}`)
  })

  it('the snapshot it performs copies the upstream TagEvent (same image and dockerImageReference), with no registry', () => {
    const dev = env('dev', 'latest', [[B, T0]])
    const prod = env('prod', 'live', [[A, '2026-10-02T00:00:00Z']], prodPolicy())
    const decision = decidePromotion(prod, 'live', world(dev, prod), at(3))
    if (decision?.kind !== 'promote') throw new Error('expected a promotion')
    const now = '2026-11-01T13:00:00Z'
    const out = tagCommand(prod, promotionSource(decision), ['prod/web:live'], now, {
      lookup: world(dev, prod),
      keepTagSettings: true // as promote-step performs it
    })
    const spec = out.stream.spec!.tags![0]!
    expect(spec.from).toEqual({ kind: 'ImageStreamImage', namespace: 'dev', name: `web@${B}` })
    const item = out.stream.status!.tags![0]!.items![0]!
    expect(item.image).toBe(B)
    expect(item.dockerImageReference).toBe(`quay.io/acme/web@${B}`)
    // The policy annotations stay on the tag: the next sync can promote again.
    expect(promotedTags(out.stream)).toEqual(['live'])
  })

  it('promote-when all over two upstreams: waits while they differ, promotes once both hold the digest long enough', () => {
    const policy = prodPolicy({
      [PROMOTE_FROM_ANNOTATION]: 'dev/web:latest, staging/web:latest',
      [PROMOTE_WHEN_ANNOTATION]: 'all'
    })
    const prod = env('prod', 'live', [[A, '2026-10-02T00:00:00Z']], policy)
    const dev = env('dev', 'latest', [[B, T0]])
    const stagingOld = env('staging', 'latest', [[A, '2026-10-01T00:00:00Z']])
    expect(decidePromotion(prod, 'live', world(dev, stagingOld, prod), at(5))).toMatchObject({
      kind: 'waiting',
      reason: expect.stringContaining('the upstreams differ')
    })
    const staging = env('staging', 'latest', [[B, '2026-11-01T11:00:00Z']])
    // Both hold B, but staging only since 11:00: ready at 13:00.
    expect(decidePromotion(prod, 'live', world(dev, staging, prod), at(2.5))).toMatchObject({
      kind: 'waiting',
      digest: B,
      until: '2026-11-01T13:00:00Z'
    })
    expect(decidePromotion(prod, 'live', world(dev, staging, prod), at(3.5))).toMatchObject({
      kind: 'promote',
      digest: B,
      source: { namespace: 'staging' }
    })
  })

  it('promote-when any: the newest qualifying upstream digest wins', () => {
    const policy = prodPolicy({
      [PROMOTE_FROM_ANNOTATION]: 'dev/web:latest,staging/web:latest',
      [PROMOTE_AFTER_ANNOTATION]: '1h'
    })
    const prod = env('prod', 'live', [[A, '2026-10-02T00:00:00Z']], policy)
    const dev = env('dev', 'latest', [[C, '2026-11-01T12:00:00Z']])
    const staging = env('staging', 'latest', [[B, T0]])
    expect(decidePromotion(prod, 'live', world(dev, staging, prod), at(2.5))).toMatchObject({
      kind: 'promote',
      digest: B
    })
    expect(decidePromotion(prod, 'live', world(dev, staging, prod), at(3.5))).toMatchObject({
      kind: 'promote',
      digest: C
    })
  })

  it('a rollback hold on the destination blocks automatic promotion', () => {
    const dev = env('dev', 'latest', [[C, T0]])
    const prod = env(
      'prod',
      'live',
      [
        [B, '2026-10-03T00:00:00Z'],
        [A, '2026-10-02T00:00:00Z']
      ],
      prodPolicy()
    )
    const held = rollback(prod, 'live', { toDigest: A }, '2026-10-04T00:00:00Z')
    expect(decidePromotion(held, 'live', world(dev, held), at(10))).toMatchObject({ kind: 'held' })
  })

  it('promote-verified blocks an unverified digest, and lets the verified one through', () => {
    const dev = env('dev', 'latest', [[B, T0]])
    const prod = env(
      'prod',
      'live',
      [[A, '2026-10-02T00:00:00Z']],
      prodPolicy({ [PROMOTE_VERIFIED_ANNOTATION]: 'true' })
    )
    expect(decidePromotion(prod, 'live', world(dev, prod), at(3), () => false)).toMatchObject({
      kind: 'waiting',
      reason: `${B} is not verified in dev/web:latest`
    })
    expect(
      decidePromotion(prod, 'live', world(dev, prod), at(3), (s, d) => s.metadata.namespace === 'dev' && d === B)
    ).toMatchObject({
      kind: 'promote'
    })
  })

  it('nothing to do: the destination already runs the upstream digest, or the upstream has no image yet', () => {
    const prod = env('prod', 'live', [[A, '2026-10-02T00:00:00Z']], prodPolicy())
    expect(decidePromotion(prod, 'live', world(env('dev', 'latest', [[A, T0]]), prod), at(9))).toMatchObject({
      kind: 'current'
    })
    expect(decidePromotion(prod, 'live', world(env('dev', 'latest', []), prod), at(9))).toMatchObject({
      kind: 'current',
      reason: 'dev/web:latest has no image yet'
    })
    expect(decidePromotion(env('prod', 'live', []), 'live', world(), at(9))).toBeUndefined()
  })

  it.each([
    [{ [PROMOTE_FROM_ANNOTATION]: 'dev/web' }, /expected \[namespace\/\]stream:tag/],
    [{ [PROMOTE_FROM_ANNOTATION]: ' , ' }, /names no upstream tag/],
    [{ [PROMOTE_FROM_ANNOTATION]: 'prod/web:live' }, /cannot promote from itself/],
    [{ [PROMOTE_FROM_ANNOTATION]: 'dev/web:latest', [PROMOTE_WHEN_ANNOTATION]: 'most' }, /expected "any" or "all"/],
    [{ [PROMOTE_FROM_ANNOTATION]: 'dev/web:latest', [PROMOTE_AFTER_ANNOTATION]: 'a day' }, /"a day" is not a duration/],
    [
      { [PROMOTE_FROM_ANNOTATION]: 'dev/web:latest', [PROMOTE_VERIFIED_ANNOTATION]: 'yes' },
      /expected "true" or "false"/
    ],
    [{ [PROMOTE_AFTER_ANNOTATION]: '2h' }, /needs imagestream-action.dev\/promote-from/]
  ])('a bad policy %j is refused, naming the tag and the annotation', (annotations, why) => {
    const prod = env('prod', 'live', [], annotations)
    expect(() => decidePromotion(prod, 'live', world(prod), at(0))).toThrow(why)
    expect(() => decidePromotion(prod, 'live', world(prod), at(0))).toThrow(
      /web:live annotation imagestream-action.dev\//
    )
  })
})
