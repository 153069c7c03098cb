import { describe, expect, it } from '@jest/globals'
import { clearConditions, setFailureCondition } from '../../../src/stream/rules/conditions.js'
import { ansibleRunner, frozen, NOW, web } from './fixtures.js'

describe('setFailureCondition ([oas] registry/imagestreamimport/rest.go checkImportFailure, hasTagCondition)', () => {
  it('writes one ImportSuccess=False condition with reason, message, generation and lastTransitionTime', () => {
    const stream = frozen(web())
    const { stream: out, changed } = setFailureCondition(
      stream,
      '1.4',
      { reason: 'NotFound', message: 'manifest unknown' },
      8,
      NOW
    )
    expect(changed).toBe(true)
    const list = out.status!.tags![0]
    expect(list.conditions).toEqual([
      {
        type: 'ImportSuccess',
        status: 'False',
        lastTransitionTime: NOW,
        reason: 'NotFound',
        message: 'manifest unknown',
        generation: 8
      }
    ])
    expect(list.items).toEqual(stream.status!.tags![0].items) // last known good kept
  })

  it('an empty message becomes "unknown error prevented import"', () => {
    const out = setFailureCondition(web(), '1.4', { reason: 'InternalError' }, 8, NOW).stream
    expect(out.status!.tags![0].conditions![0].message).toBe('unknown error prevented import')
  })

  it('an identical repeated failure changes no byte, not even lastTransitionTime', () => {
    const stream = frozen(ansibleRunner())
    const existing = stream.status!.tags![0].conditions![0]
    const result = setFailureCondition(
      stream,
      'latest',
      { reason: existing.reason!, message: existing.message },
      3367,
      NOW
    )
    expect(result.changed).toBe(false)
    expect(result.stream).toBe(stream)
  })

  it('a different message replaces the earlier condition (one condition, new time)', () => {
    const stream = frozen(ansibleRunner())
    const out = setFailureCondition(stream, 'latest', { reason: 'InternalError', message: 'other' }, 3367, NOW).stream
    expect(out.status!.tags![0].conditions).toEqual([
      {
        type: 'ImportSuccess',
        status: 'False',
        lastTransitionTime: NOW,
        reason: 'InternalError',
        message: 'other',
        generation: 3367
      }
    ])
  })

  it('a first import that fails leaves `items: null`, as the server serializes a nil list', () => {
    const out = setFailureCondition(web(), 'canary', { reason: 'NotFound', message: 'x' }, 8, NOW).stream
    expect(out.status!.tags!.find((t) => t.tag === 'canary')!.items).toBeNull()
  })
})

describe('setTagConditions on success ([oas] rest.go importSuccessful)', () => {
  it('clears the conditions and never writes ImportSuccess=True', () => {
    const out = clearConditions(frozen(ansibleRunner()), 'latest').stream
    expect(out.status!.tags![0].conditions).toBeUndefined()
    expect(JSON.stringify(out)).not.toContain('"True"')
  })

  it('nothing to clear → unchanged', () => {
    const stream = frozen(web())
    expect(clearConditions(stream, '1.4')).toEqual({ stream, changed: false })
  })
})
