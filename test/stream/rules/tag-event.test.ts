import { describe, expect, it } from '@jest/globals'
import {
  addTagEventToImageStream,
  hasTagChanged,
  newTagEvent,
  stripTagAndDigest
} from '../../../src/stream/rules/tag-event.js'
import { DIGEST_A, DIGEST_B, DIGEST_C, frozen, NOW, web } from './fixtures.js'

const IMPORTSUCCESS_FAILED = {
  type: 'ImportSuccess' as const,
  status: 'False' as const,
  reason: 'NotFound',
  message: 'gone',
  generation: 8,
  lastTransitionTime: NOW
}

describe('newTagEvent ([oas] registry/imagestreamimport/rest.go importSuccessful, mostAccuratePullSpec)', () => {
  it('records repo@digest, never the tag form, with created = now and generation = nextGeneration', () => {
    expect(newTagEvent({ repository: 'quay.io/acme/web:1.4', digest: DIGEST_C, generation: 8, now: NOW })).toEqual({
      created: NOW,
      dockerImageReference: `quay.io/acme/web@${DIGEST_C}`,
      image: DIGEST_C,
      generation: 8
    })
  })

  it('keeps a registry port and drops an old digest', () => {
    expect(stripTagAndDigest(`127.0.0.1:5000/acme/web:1.4@${DIGEST_A}`)).toBe('127.0.0.1:5000/acme/web')
    expect(stripTagAndDigest('127.0.0.1:5000/acme/web')).toBe('127.0.0.1:5000/acme/web')
  })
})

describe('AddTagEventToImageStream ([oas] internal/imageutil/helpers.go)', () => {
  it('same ref, image and generation → no-op, the very same object comes back', () => {
    const stream = frozen(web())
    const same = { ...stream.status!.tags![0].items![0] }
    const result = addTagEventToImageStream(stream, '1.4', same)
    expect(result.changed).toBe(false)
    expect(result.stream).toBe(stream)
  })

  it('same digest, different generation → only items[0].generation changes (no new history)', () => {
    const stream = frozen(web())
    const next = { created: NOW, dockerImageReference: `quay.io/acme/web@${DIGEST_B}`, image: DIGEST_B, generation: 8 }
    const { stream: out, changed } = addTagEventToImageStream(stream, '1.4', next)
    expect(changed).toBe(true)
    const items = out.status!.tags![0].items!
    expect(items).toHaveLength(2)
    expect(items[0]).toEqual({ ...stream.status!.tags![0].items![0], generation: 8 }) // created untouched
    expect(stream.status!.tags![0].items![0].generation).toBe(7) // input not mutated
  })

  it('only the image changed → items[0].image updated in place', () => {
    const stream = frozen(web())
    const next = { created: NOW, dockerImageReference: `quay.io/acme/web@${DIGEST_B}`, image: DIGEST_C, generation: 8 }
    const items = addTagEventToImageStream(stream, '1.4', next).stream.status!.tags![0].items!
    expect(items).toHaveLength(2)
    expect(items[0]).toMatchObject({
      image: DIGEST_C,
      dockerImageReference: `quay.io/acme/web@${DIGEST_B}`,
      generation: 8
    })
  })

  it('only the reference changed → items[0].dockerImageReference updated in place', () => {
    const stream = frozen(web())
    const next = {
      created: NOW,
      dockerImageReference: `mirror.example/acme/web@${DIGEST_B}`,
      image: DIGEST_B,
      generation: 8
    }
    const items = addTagEventToImageStream(stream, '1.4', next).stream.status!.tags![0].items!
    expect(items).toHaveLength(2)
    expect(items[0].dockerImageReference).toBe(`mirror.example/acme/web@${DIGEST_B}`)
  })

  it('new digest → the event is prepended (newest first) and the conditions are cleared', () => {
    const base = web()
    base.status!.tags![0].conditions = [IMPORTSUCCESS_FAILED]
    const stream = frozen(base)
    const next = { created: NOW, dockerImageReference: `quay.io/acme/web@${DIGEST_C}`, image: DIGEST_C, generation: 8 }
    const list = addTagEventToImageStream(stream, '1.4', next).stream.status!.tags![0]
    expect(list.items!.map((i) => i.image)).toEqual([DIGEST_C, DIGEST_B, DIGEST_A])
    expect(list.conditions).toBeUndefined()
  })

  it('a tag without status gets a new entry with the single event', () => {
    const stream = frozen(web())
    const next = { created: NOW, dockerImageReference: `quay.io/acme/web@${DIGEST_C}`, image: DIGEST_C, generation: 8 }
    const out = addTagEventToImageStream(stream, 'canary', next).stream
    expect(out.status!.tags!.find((t) => t.tag === 'canary')).toEqual({ tag: 'canary', items: [next] })
  })
})

describe('hasTagChanged ([oas] rest.go differentTagEvent || differentTagGeneration)', () => {
  it('same digest and spec generation not newer → "stream did not change"', () => {
    const stream = web()
    const event = newTagEvent({ repository: 'quay.io/acme/web', digest: DIGEST_B, generation: 8, now: NOW })
    expect(hasTagChanged(stream, '1.4', event)).toBe(false)
  })

  it('a new digest, a newer spec generation, or a missing spec tag is a change', () => {
    const stream = web()
    expect(
      hasTagChanged(
        stream,
        '1.4',
        newTagEvent({ repository: 'quay.io/acme/web', digest: DIGEST_C, generation: 8, now: NOW })
      )
    ).toBe(true)
    stream.spec.tags![0].generation = 8
    expect(
      hasTagChanged(
        stream,
        '1.4',
        newTagEvent({ repository: 'quay.io/acme/web', digest: DIGEST_B, generation: 9, now: NOW })
      )
    ).toBe(true)
    expect(
      hasTagChanged(
        stream,
        'nope',
        newTagEvent({ repository: 'quay.io/acme/web', digest: DIGEST_B, generation: 9, now: NOW })
      )
    ).toBe(true)
  })
})
