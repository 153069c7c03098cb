import { describe, expect, it } from '@jest/globals'
import { followTagReference, TagReferenceError, updateTrackingTags } from '../../../src/stream/rules/tracking.js'
import type { ImageStream } from '../../../src/stream/types.js'
import { DIGEST_C, frozen, NOW, web } from './fixtures.js'

const EVENT_C = { created: NOW, dockerImageReference: `quay.io/acme/web@${DIGEST_C}`, image: DIGEST_C, generation: 8 }

function withTags(
  stream: ImageStream,
  ...tags: { name: string; from: { kind: string; name: string; namespace?: string } }[]
) {
  for (const t of tags) stream.spec.tags!.push({ name: t.name, annotations: null, from: t.from, generation: 7 })
  return stream
}

describe('UpdateTrackingTags ([oas] internal/imageutil/helpers.go, registry/imagestream/strategy.go updateChangedTrackingTags)', () => {
  it('copies the new event to a tag tracking `<stream>:<tag>` (web:prod follows web:1.4)', () => {
    const { stream, updated } = updateTrackingTags(frozen(web()), '1.4', EVENT_C)
    expect(updated).toEqual(['prod'])
    expect(stream.status!.tags![1].items![0]).toEqual(EVENT_C)
    expect(stream.status!.tags![1].items).toHaveLength(3)
  })

  it('also follows the bare `<tag>` form, and chains transitively (a → prod → 1.4)', () => {
    const base = withTags(web(), { name: 'a', from: { kind: 'ImageStreamTag', name: 'prod' } })
    const { stream, updated } = updateTrackingTags(frozen(base), '1.4', EVENT_C)
    expect(updated).toEqual(['prod', 'a'])
    expect(stream.status!.tags!.find((t) => t.tag === 'a')!.items).toEqual([EVENT_C])
  })

  it('ignores other streams, other namespaces and non-ImageStreamTag kinds', () => {
    const base = withTags(
      web(),
      { name: 'x', from: { kind: 'ImageStreamTag', name: 'other:1.4' } },
      { name: 'y', from: { kind: 'ImageStreamTag', name: '1.4', namespace: 'elsewhere' } },
      { name: 'z', from: { kind: 'DockerImage', name: '1.4' } }
    )
    expect(updateTrackingTags(frozen(base), '1.4', EVENT_C).updated).toEqual(['prod'])
  })

  it('a cycle of aliases terminates', () => {
    const base = withTags(
      web(),
      { name: 'p', from: { kind: 'ImageStreamTag', name: 'q' } },
      { name: 'q', from: { kind: 'ImageStreamTag', name: 'p' } }
    )
    expect(updateTrackingTags(frozen(base), 'p', EVENT_C).updated).toEqual(['q'])
  })
})

describe('FollowTagReference ([oc] pkg/helpers/image/helpers.go)', () => {
  it('prod → 1.4: final tag, its ref, multiple = true', () => {
    const followed = followTagReference(web(), 'prod')
    expect(followed.finalTag).toBe('1.4')
    expect(followed.ref.from).toEqual({ kind: 'DockerImage', name: 'quay.io/acme/web:1.4' })
    expect(followed.multiple).toBe(true)
    expect(followTagReference(web(), '1.4').multiple).toBe(false)
  })

  const cases: [string, ImageStream, string, string][] = [
    [
      'ErrCircularReference',
      withTags(web(), { name: 'p', from: { kind: 'ImageStreamTag', name: 'p' } }),
      'p',
      'reference tag is circular'
    ],
    ['ErrNotFoundReference', web(), 'missing', 'reference tag is not found'],
    [
      'ErrCrossImageStreamReference',
      withTags(web(), { name: 'p', from: { kind: 'ImageStreamTag', name: 'other:1.4' } }),
      'p',
      'reference tag points to another imagestream'
    ],
    [
      'ErrCrossImageStreamReference',
      withTags(web(), { name: 'p', from: { kind: 'ImageStreamTag', name: '1.4', namespace: 'elsewhere' } }),
      'p',
      'reference tag points to another imagestream'
    ]
  ]
  it.each(cases)('%s', (code, stream, tag, message) => {
    let caught: unknown
    try {
      followTagReference(stream, tag)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(TagReferenceError)
    expect((caught as TagReferenceError).code).toBe(code)
    expect((caught as TagReferenceError).message).toBe(message)
  })
})
