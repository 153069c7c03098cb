import { describe, expect, it } from '@jest/globals'
import { readObserved, reconcileSpec } from '../../../src/stream/rules/generation.js'
import { OBSERVED_ANNOTATION } from '../../../src/stream/types.js'
import type { ImageStream } from '../../../src/stream/types.js'
import { DIGEST_B, frozen, NOW, web } from './fixtures.js'

/** web() as it sits in Git after a first reconcile (the observed annotation recorded). */
function observedWeb(): ImageStream {
  return structuredClone(reconcileSpec(web()).stream)
}

describe('reconcileSpec ([oas] registry/imagestream/strategy.go PrepareForCreate/prepareForUpdate, tagRefChanged)', () => {
  it('a stream without the annotation is adopted: generations trusted, only fingerprints recorded', () => {
    const stream = frozen(web())
    const result = reconcileSpec(stream)
    expect(result.generation).toEqual({ before: 7, after: 7 })
    expect(result.changedTags).toEqual([])
    expect(result.stream.spec).toEqual(stream.spec)
    const observed = readObserved(result.stream)!
    expect(Object.keys(observed).sort()).toEqual(['', '1.4', 'prod'])
    expect(observed['1.4']).toMatch(/^[0-9a-f]{8}$/)
  })

  it('is deterministic and idempotent: a second run changes nothing', () => {
    const once = observedWeb()
    const again = reconcileSpec(frozen(once))
    expect(again.changed).toBe(false)
    expect(again.stream).toBe(once)
    expect(once.metadata.annotations![OBSERVED_ANNOTATION]).toBe(
      reconcileSpec(web()).stream.metadata.annotations![OBSERVED_ANNOTATION]
    )
  })

  it('create: no metadata.generation → generation 1 and every spec tag generation 1', () => {
    const stream = web()
    delete stream.metadata.generation
    for (const t of stream.spec.tags!) delete t.generation
    const out = reconcileSpec(frozen(stream)).stream
    expect(out.metadata.generation).toBe(1)
    expect(out.spec.tags!.map((t) => t.generation)).toEqual([1, 1])
  })

  it('from.name changed → metadata.generation + 1 and that tag at the new generation (import pending)', () => {
    const stream = observedWeb()
    stream.spec.tags![0].from!.name = 'quay.io/acme/web:1.5'
    const result = reconcileSpec(frozen(stream))
    expect(result.generation).toEqual({ before: 7, after: 8 })
    expect(result.changedTags).toEqual(['1.4'])
    expect(result.stream.spec.tags!.map((t) => t.generation)).toEqual([8, 3])
  })

  it('importMode changed counts as a ref change (re-import)', () => {
    const stream = observedWeb()
    stream.spec.tags![0].importPolicy!.importMode = 'PreserveOriginal'
    expect(reconcileSpec(stream).changedTags).toEqual(['1.4'])
  })

  it('a person sets generation: 0 (or removes it) → import requested', () => {
    const zero = observedWeb()
    zero.spec.tags![1].generation = 0
    expect(reconcileSpec(zero).stream.spec.tags!.map((t) => t.generation)).toEqual([7, 8])
    const removed = observedWeb()
    removed.spec.tags![0].generation = null
    expect(reconcileSpec(removed).stream.spec.tags!.map((t) => t.generation)).toEqual([8, 3])
  })

  it('a spec change that is not a ref change (scheduled) bumps only metadata.generation', () => {
    const stream = observedWeb()
    stream.spec.tags![1].importPolicy = { importMode: 'Legacy', scheduled: false, insecure: true }
    const result = reconcileSpec(stream)
    expect(result.generation.after).toBe(8)
    expect(result.changedTags).toEqual([])
    expect(result.stream.spec.tags!.map((t) => t.generation)).toEqual([7, 3])
  })

  it('a new tag gets the new generation; with `now`, a reference tag is recorded verbatim with no image', () => {
    const stream = observedWeb()
    stream.spec.tags!.push({
      name: 'upstream',
      from: { kind: 'DockerImage', name: 'quay.io/acme/web:edge' },
      reference: true
    })
    const out = reconcileSpec(stream, NOW).stream
    expect(out.spec.tags![2].generation).toBe(8)
    expect(out.status!.tags!.find((t) => t.tag === 'upstream')!.items).toEqual([
      { created: NOW, dockerImageReference: 'quay.io/acme/web:edge', image: '', generation: 8 }
    ])
  })

  it('a new same-stream ImageStreamTag ref copies the source items[0] into status (tagReferenceToTagEvent)', () => {
    const stream = observedWeb()
    stream.spec.tags!.push({ name: 'stable', annotations: null, from: { kind: 'ImageStreamTag', name: 'web:1.4' } })
    const out = reconcileSpec(stream, NOW).stream
    expect(out.status!.tags!.find((t) => t.tag === 'stable')!.items).toEqual([
      {
        created: '2024-05-02T09:15:03Z',
        dockerImageReference: `quay.io/acme/web@${DIGEST_B}`,
        image: DIGEST_B,
        generation: 8
      }
    ])
  })

  it('an ImageStreamImage ref resolves a digest prefix (ResolveImageID) and an ambiguous or unknown one is an error', () => {
    const stream = observedWeb()
    stream.spec.tags!.push({ name: 'pinned', from: { kind: 'ImageStreamImage', name: 'web@sha256:bbbb' } })
    const out = reconcileSpec(stream, NOW).stream
    expect(out.status!.tags!.find((t) => t.tag === 'pinned')!.items![0]).toMatchObject({
      image: DIGEST_B,
      created: NOW
    })
    const unknown = observedWeb()
    unknown.spec.tags!.push({ name: 'pinned', from: { kind: 'ImageStreamImage', name: 'web@sha256:ffff' } })
    expect(() => reconcileSpec(unknown, NOW)).toThrow(
      'spec.tags[2].from.name: imagestreamimages.image.openshift.io "sha256:ffff" not found'
    )
  })

  it('a broken observed annotation is a located error, not a silent reset', () => {
    const stream = observedWeb()
    stream.metadata.annotations![OBSERVED_ANNOTATION] = '{oops'
    expect(() => reconcileSpec(stream)).toThrow(
      /metadata\.annotations\["imagestream-action\.dev\/observed"\]: not valid JSON/
    )
  })
})
