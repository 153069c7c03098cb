import { describe, expect, it } from '@jest/globals'
import { applyImportResult, applyImportResults, recordReferenceTags } from '../../../src/stream/rules/import.js'
import { importPending } from '../../../src/stream/rules/pending.js'
import { DOCKER_REPOSITORY_CHECK_ANNOTATION, HOLDS_ANNOTATION, UPSTREAM_ANNOTATION } from '../../../src/stream/types.js'
import { ANSIBLE_DIGEST, ansibleRunner, DIGEST_A, DIGEST_B, DIGEST_C, frozen, NOW, web } from './fixtures.js'

const WEB_REPO = 'quay.io/acme/web'
const ok = (digest: string, repository = WEB_REPO) => ({ ok: true as const, digest, repository })

describe('applyImportResult ([oas] registry/imagestreamimport/rest.go Create/importSuccessful/checkImportFailure)', () => {
  it('new digest: generation 7 → 8, event prepended at nextGeneration, alias follows, dockerRepositoryCheck = now', () => {
    const stream = frozen(web())
    const { stream: out, changed, event, outcome } = applyImportResult(stream, '1.4', ok(DIGEST_C), NOW)
    expect(changed).toBe(true)
    expect(event).toBe('updated')
    expect(outcome.tracking).toEqual(['prod'])
    expect(out.metadata.generation).toBe(8)
    expect(out.metadata.annotations![DOCKER_REPOSITORY_CHECK_ANNOTATION]).toBe(NOW)
    expect(out.spec.tags![0]).toEqual({ ...stream.spec.tags![0], generation: 8 })
    const expected = {
      created: NOW,
      dockerImageReference: `quay.io/acme/web@${DIGEST_C}`,
      image: DIGEST_C,
      generation: 8
    }
    expect(out.status!.tags![0].items!.map((i) => i.image)).toEqual([DIGEST_C, DIGEST_B, DIGEST_A])
    expect(out.status!.tags![0].items![0]).toEqual(expected)
    expect(out.status!.tags![1].items![0]).toEqual(expected)
    expect(importPending(out, '1.4')).toBe(false)
  })

  it('same digest again: "stream did not change" — no write at all, not even dockerRepositoryCheck', () => {
    const stream = frozen(web())
    const result = applyImportResult(stream, '1.4', ok(DIGEST_B), NOW)
    expect(result).toMatchObject({ changed: false, event: 'unchanged' })
    expect(result.stream).toBe(stream)
  })

  it('same digest after a failure: conditions cleared, only items[0].generation moves (no new history)', () => {
    const stream = frozen(ansibleRunner())
    const {
      stream: out,
      changed,
      event
    } = applyImportResult(stream, 'latest', ok(ANSIBLE_DIGEST, 'docker.io/ansible/ansible-runner'), NOW)
    expect(changed).toBe(true)
    expect(event).toBe('unchanged')
    expect(out.metadata.generation).toBe(3367)
    expect(out.spec.tags![0].generation).toBe(3367)
    expect(out.spec.tags![0].referencePolicy).toEqual({ type: 'Local' }) // ensureSpecTag keeps an explicit policy
    expect(out.status!.tags![0]).toEqual({
      tag: 'latest',
      items: [{ ...stream.status!.tags![0].items![0], generation: 3367 }]
    })
  })

  it('an identical repeated failure writes nothing (event failed)', () => {
    const stream = frozen(ansibleRunner())
    const c = stream.status!.tags![0].conditions![0]
    const result = applyImportResult(stream, 'latest', { ok: false, reason: c.reason!, message: c.message }, NOW)
    expect(result).toMatchObject({ changed: false, event: 'failed' })
    expect(result.stream).toBe(stream)
  })

  it('a new failure: one condition at nextGeneration, spec generation reset to it, last good item kept, not pending', () => {
    const stream = frozen(web())
    const {
      stream: out,
      changed,
      event
    } = applyImportResult(stream, '1.4', { ok: false, reason: 'Unauthorized', message: 'you may not have access' }, NOW)
    expect(changed).toBe(true)
    expect(event).toBe('failed')
    expect(out.metadata.generation).toBe(8)
    expect(out.spec.tags![0].generation).toBe(8)
    expect(out.status!.tags![0].items).toEqual(stream.status!.tags![0].items)
    expect(out.status!.tags![0].conditions).toEqual([
      {
        type: 'ImportSuccess',
        status: 'False',
        lastTransitionTime: NOW,
        reason: 'Unauthorized',
        message: 'you may not have access',
        generation: 8
      }
    ])
    expect(out.status!.tags![1]).toEqual(stream.status!.tags![1]) // the alias is untouched by a failure
    expect(importPending(out, '1.4')).toBe(false)
  })

  it('one run shares one nextGeneration across tags (one ImageStreamImport)', () => {
    const stream = web()
    stream.spec.tags!.push({
      name: '1.5',
      annotations: null,
      from: { kind: 'DockerImage', name: 'quay.io/acme/web:1.5' },
      generation: 7
    })
    const { stream: out, outcomes } = applyImportResults(
      frozen(stream),
      [
        { tag: '1.4', result: ok(DIGEST_C) },
        { tag: '1.5', result: ok(DIGEST_A) }
      ],
      NOW
    )
    expect(out.metadata.generation).toBe(8)
    expect(out.spec.tags!.map((t) => [t.name, t.generation])).toEqual([
      ['1.4', 8],
      ['prod', 3],
      ['1.5', 8]
    ])
    expect(outcomes.map((o) => o.event)).toEqual(['updated', 'updated'])
  })

  it('a working-copy generation 0 never reaches the file', () => {
    const stream = web()
    stream.spec.tags![1].generation = 0
    const out = applyImportResult(frozen(stream), '1.4', ok(DIGEST_C), NOW).stream
    expect(out.spec.tags!.map((t) => t.generation)).toEqual([8, 8])
  })

  it('a repository-import tag not yet in spec gets a spec tag from: DockerImage <repo>:<tag>', () => {
    const out = applyImportResult(frozen(web()), '2.0', ok(DIGEST_C), NOW, { from: 'quay.io/acme/web:2.0' }).stream
    expect(out.spec.tags![2]).toEqual({
      name: '2.0',
      annotations: null,
      from: { kind: 'DockerImage', name: 'quay.io/acme/web:2.0' },
      generation: 8,
      importPolicy: { importMode: 'Legacy' },
      referencePolicy: { type: 'Source' }
    })
  })

  it('ensureSpecTag + SetDefaults_TagImportPolicy: a moved tag never gains importMode: Legacy, whatever its policy says', () => {
    // Before: a tag without importPolicy gained {importMode: Legacy}, one with {scheduled: true} did not.
    for (const policy of [undefined, { scheduled: true }, { importMode: 'Legacy' as const }]) {
      const stream = web()
      if (policy) stream.spec.tags![0].importPolicy = policy
      else delete stream.spec.tags![0].importPolicy
      const out = applyImportResult(frozen(stream), '1.4', ok(DIGEST_C), NOW).stream
      expect(out.status!.tags![0].items![0].image).toBe(DIGEST_C)
      expect(out.spec.tags![0].importPolicy).toEqual(policy)
      expect(out.spec.tags![0].referencePolicy).toEqual(stream.spec.tags![0].referencePolicy)
    }
    // A reference policy the file leaves out stays out: the server's copy always has one, so it is never set.
    const bare = web()
    delete bare.spec.tags![0].referencePolicy
    expect(
      applyImportResult(frozen(bare), '1.4', ok(DIGEST_C), NOW).stream.spec.tags![0].referencePolicy
    ).toBeUndefined()
  })

  it('a stream never imported (no dockerRepositoryCheck) is written even when nothing else changed', () => {
    const stream = web()
    delete stream.metadata.annotations
    const result = applyImportResult(frozen(stream), '1.4', ok(DIGEST_B), NOW)
    expect(result.changed).toBe(true)
    expect(result.stream.metadata.annotations).toEqual({ [DOCKER_REPOSITORY_CHECK_ANNOTATION]: NOW })
  })
})

describe('applyImportResult on a held tag (ours: holds.ts)', () => {
  function held() {
    const stream = web()
    stream.metadata.annotations![HOLDS_ANNOTATION] = JSON.stringify({
      '1.4': { digest: DIGEST_B, since: '2024-05-02T12:00:00Z' }
    })
    return frozen(stream)
  }

  it('does not move the tag; records the newer upstream digest; event held', () => {
    const stream = held()
    const { stream: out, changed, event } = applyImportResult(stream, '1.4', ok(DIGEST_C), NOW)
    expect(event).toBe('held')
    expect(changed).toBe(true)
    expect(out.status).toEqual(stream.status)
    expect(out.spec).toEqual(stream.spec)
    expect(JSON.parse(out.metadata.annotations![UPSTREAM_ANNOTATION])).toEqual({ '1.4': DIGEST_C })
  })

  it('the same upstream digest seen again changes no byte', () => {
    const once = applyImportResult(held(), '1.4', ok(DIGEST_C), NOW).stream
    const twice = applyImportResult(frozen(once), '1.4', ok(DIGEST_C), NOW)
    expect(twice.changed).toBe(false)
    expect(twice.stream).toBe(once)
  })
})

describe('recordReferenceTags ([oas] registry/imagestream/strategy.go tagReferenceToTagEvent)', () => {
  it('records the DockerImage ref verbatim with an empty image, once', () => {
    const stream = web()
    stream.spec.tags!.push({
      name: 'edge',
      annotations: null,
      from: { kind: 'DockerImage', name: 'quay.io/acme/web:edge' },
      reference: true,
      generation: 7
    })
    const first = recordReferenceTags(frozen(stream), NOW)
    expect(first.tags).toEqual(['edge'])
    expect(first.stream.status!.tags![2]).toEqual({
      tag: 'edge',
      items: [{ created: NOW, dockerImageReference: 'quay.io/acme/web:edge', image: '', generation: 7 }]
    })
    expect(first.stream.metadata.generation).toBe(7)
    expect(recordReferenceTags(frozen(first.stream), NOW).changed).toBe(false)
  })
})
