import { describe, expect, it } from '@jest/globals'
import {
  importPending,
  latestObservedTagGeneration,
  needsImport,
  tagImportable,
  tagNeedsImport
} from '../../../src/stream/rules/pending.js'
import { planImports } from '../../../src/stream/rules/schedule.js'
import { DOCKER_REPOSITORY_CHECK_ANNOTATION } from '../../../src/stream/types.js'
import { ansibleRunner, DIGEST_A, NOW, web } from './fixtures.js'

describe('tagImportable / tagNeedsImport / latestObservedTagGeneration ([ocm] imagestream_controller.go, [oc] describe/helpers.go)', () => {
  it('importable = DockerImage and not reference', () => {
    const [docker, alias] = web().spec.tags!
    expect(tagImportable(docker)).toBe(true)
    expect(tagImportable(alias)).toBe(false)
    expect(tagImportable({ ...docker, reference: true })).toBe(false)
  })

  it('observed generation = max(items[0].generation, ImportSuccess condition generation)', () => {
    expect(latestObservedTagGeneration(ansibleRunner(), 'latest')).toBe(3365) // condition 3365 > item 3364
    expect(latestObservedTagGeneration(web(), '1.4')).toBe(7)
    expect(latestObservedTagGeneration(web(), 'none')).toBe(0)
  })

  it('the failed ansible-runner tag is not pending (spec 3365 = condition 3365); a newer spec generation is', () => {
    const stream = ansibleRunner()
    expect(tagNeedsImport(stream, stream.spec.tags![0])).toBe(false)
    stream.spec.tags![0].generation = 3366
    expect(tagNeedsImport(stream, stream.spec.tags![0])).toBe(true)
    expect(importPending(stream, 'latest')).toBe(true)
  })

  it('needsImport: no dockerRepositoryCheck annotation → a full (not partial) import', () => {
    const stream = web()
    expect(needsImport(stream)).toEqual({ ok: false, partial: false })
    delete stream.metadata.annotations![DOCKER_REPOSITORY_CHECK_ANNOTATION]
    expect(needsImport(stream)).toEqual({ ok: true, partial: false })
  })
})

describe('planImports ([ocm] scheduled_image_controller.go resetScheduledTags; [oc] importimage.go importTag)', () => {
  it("'scheduled': the scheduled tag with its ImageImportSpec; the alias is never imported", () => {
    const stream = web()
    stream.spec.tags![0].annotations = { 'importer.image.openshift.io/prefer-arch': 'arm64' }
    expect(planImports(stream, 'scheduled').tags).toEqual([
      {
        stream: 'web',
        namespace: 'shop',
        tag: '1.4',
        from: 'quay.io/acme/web:1.4',
        importMode: 'Legacy',
        insecure: false,
        scheduled: true,
        preferArch: 'arm64',
        referencePolicy: 'Source',
        reason: 'scheduled'
      }
    ])
  })

  it("'scheduled': a digest-pinned scheduled tag stops once imported, but not while it is failing", () => {
    const stream = web()
    stream.spec.tags![0].from!.name = `quay.io/acme/web@${DIGEST_A}`
    expect(planImports(stream, 'scheduled').tags).toEqual([])
    stream.status!.tags![0].conditions = [
      { type: 'ImportSuccess', status: 'False', reason: 'NotFound', generation: 7, lastTransitionTime: NOW }
    ]
    expect(planImports(stream, 'scheduled').tags.map((r) => r.tag)).toEqual(['1.4'])
  })

  it("'scheduled': an unscheduled tag is imported only when pending", () => {
    const stream = ansibleRunner()
    expect(planImports(stream, 'scheduled').tags).toEqual([])
    stream.spec.tags![0].generation = 3366
    expect(planImports(stream, 'scheduled').tags.map((r) => [r.tag, r.reason])).toEqual([['latest', 'pending']])
  })

  it("'all' imports every importable tag; spec.dockerImageRepository adds a repository import", () => {
    const stream = ansibleRunner()
    stream.spec.dockerImageRepository = 'docker.io/ansible/ansible-runner'
    const plan = planImports(stream, 'all')
    expect(plan.tags.map((r) => r.tag)).toEqual(['latest'])
    expect(plan.repository).toEqual({
      stream: 'ansible-runner',
      namespace: 'openshift',
      from: 'docker.io/ansible/ansible-runner',
      insecure: false,
      referencePolicy: 'Source'
    })
  })

  it('explicit tags follow aliases to the final tag (oc import-image web:prod imports 1.4) and dedupe', () => {
    expect(planImports(web(), { tags: ['prod', '1.4'] }).tags.map((r) => [r.tag, r.from, r.reason])).toEqual([
      ['1.4', 'quay.io/acme/web:1.4', 'requested']
    ])
  })

  it("explicit tags: oc's errors for a missing tag and for a non-DockerImage source", () => {
    expect(() => planImports(web(), { tags: ['nope'] })).toThrow(
      `the tag "nope" does not exist on the image stream - choose an existing tag to import or use the 'tag' command to create a new tag`
    )
    const stream = web()
    stream.spec.tags![1].from = { kind: 'ImageStreamImage', name: `web@${DIGEST_A}` }
    expect(() => planImports(stream, { tags: ['prod'] })).toThrow(
      `tag "prod" points to existing ImageStreamImage "web@${DIGEST_A}", it cannot be re-imported`
    )
  })
})
