import { describe, expect, it } from '@jest/globals'
import { reconcileSpec } from '../../../src/stream/rules/generation.js'
import { importImage } from '../../../src/stream/rules/import-image.js'
import { INSECURE_REPOSITORY_ANNOTATION } from '../../../src/stream/types.js'
import { ansibleRunner, frozen, web } from './fixtures.js'

describe('oc import-image ([oc] pkg/cli/importimage/importimage.go)', () => {
  it('importTag: an existing tag keeps its generation (only the ImageStreamImport is sent); Local policy kept', () => {
    const original = ansibleRunner()
    const { stream, plan, created } = importImage(frozen(original), 'ansible-runner')
    expect(created).toBe(false)
    expect(stream.spec.tags![0]).toMatchObject({
      generation: original.spec.tags![0].generation,
      importPolicy: { importMode: 'Legacy' },
      referencePolicy: { type: 'Local' }
    })
    expect(plan.tags.map((r) => [r.tag, r.from, r.reason])).toEqual([
      ['latest', 'docker.io/ansible/ansible-runner:latest', 'requested']
    ])
    // Nothing of the stream changed: the explicit request, not a spec edit, makes the import happen.
    expect(stream).toEqual(original)
  })

  it('newImageStreamImportTags: an alias is followed to its DockerImage tag (web:prod imports web:1.4); --scheduled is OR-ed', () => {
    const { stream, plan } = importImage(frozen(web()), 'web:prod', { scheduled: false })
    expect(plan.tags.map((r) => r.tag)).toEqual(['1.4'])
    expect(stream.spec.tags![0].importPolicy).toEqual({ scheduled: true, importMode: 'Legacy' })
    expect(stream.spec.tags![0].generation).toBe(web().spec.tags![0].generation)
    expect(stream.spec.tags![1].generation).toBe(3)
  })

  it('importSuccessful: an import policy that only spells out a default is not written (SetDefaults_TagImportPolicy)', () => {
    const base = web()
    delete base.spec.tags![0].importPolicy
    expect(importImage(frozen(base), 'web:1.4').stream).toEqual(base)
    // --scheduled is a real change: the ImageStreamImport's policy lands on the tag.
    expect(importImage(frozen(base), 'web:1.4', { scheduled: true }).stream.spec.tags![0].importPolicy).toEqual({
      scheduled: true,
      importMode: 'Legacy'
    })
  })

  it('--insecure overrides the stream annotation; without the flag the annotation applies', () => {
    const base = web()
    base.metadata.annotations![INSECURE_REPOSITORY_ANNOTATION] = 'true'
    expect(importImage(frozen(base), 'web:1.4').stream.spec.tags![0].importPolicy!.insecure).toBe(true)
    expect(
      importImage(frozen(base), 'web:1.4', { insecure: false }).stream.spec.tags![0].importPolicy!.insecure
    ).toBeUndefined()
  })

  it('a missing stream needs --confirm; with it, a new stream whose tag defaults to latest', () => {
    expect(() => importImage(undefined, 'web', { from: 'quay.io/acme/web:2' })).toThrow(
      'IMAGESTREAM: no image stream named "web" exists, pass --confirm to create and import'
    )
    const { stream, plan, created } = importImage(undefined, 'web', {
      from: 'quay.io/acme/web:2',
      confirm: true,
      namespace: 'shop'
    })
    expect(created).toBe(true)
    expect(stream).toEqual({
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStream',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        tags: [
          {
            name: 'latest',
            annotations: null,
            from: { kind: 'DockerImage', name: 'quay.io/acme/web:2' },
            generation: 0,
            importPolicy: { importMode: 'Legacy' },
            referencePolicy: { type: 'Source' }
          }
        ]
      }
    })
    expect(plan.tags[0].tag).toBe('latest')
    expect(reconcileSpec(stream).stream.spec.tags![0].generation).toBe(1) // create: generation 1
  })

  it('--all with --from sets spec.dockerImageRepository (needs --confirm to change it) and plans a repository import', () => {
    expect(() => importImage(web(), 'web', { all: true, from: 'quay.io/acme/web' })).toThrow(
      'the image stream does not currently import an entire Docker repository, pass --confirm to update'
    )
    const { stream, plan } = importImage(frozen(web()), 'web', { all: true, from: 'quay.io/acme/web', confirm: true })
    expect(stream.spec.dockerImageRepository).toBe('quay.io/acme/web')
    expect(plan.repository).toEqual({
      stream: 'web',
      namespace: 'shop',
      from: 'quay.io/acme/web',
      insecure: false,
      referencePolicy: 'Source'
    })
  })

  it('--all without --from re-imports every DockerImage spec tag', () => {
    const { stream, plan } = importImage(frozen(web()), 'web', { all: true })
    expect(plan.tags.map((r) => r.tag)).toEqual(['1.4'])
    expect(stream.spec.tags!.map((t) => t.generation)).toEqual(web().spec.tags!.map((t) => t.generation))
  })

  const errors: [string, () => unknown, string][] = [
    ['by ID', () => importImage(web(), 'web@sha256:abc'), "to import images by ID, use the 'tag' command"],
    [
      'tag with --all',
      () => importImage(web(), 'web:1.4', { all: true }),
      'cannot specify a tag "web:1.4" as well as --all'
    ],
    [
      'different --from',
      () => importImage(web(), 'web:1.4', { from: 'quay.io/x/y:1' }),
      `the tag "1.4" points to "quay.io/acme/web:1.4" - use the 'tag' command if you want to change the source to "quay.io/x/y:1"`
    ],
    [
      'different --from through an alias',
      () => importImage(web(), 'web:prod', { from: 'quay.io/x/y:1' }),
      `the tag "prod" points to the tag "1.4" which points to "quay.io/acme/web:1.4" - use the 'tag' command`
    ],
    [
      'unknown tag',
      () => importImage(web(), 'web:9'),
      `the tag "9" does not exist on the image stream - choose an existing tag to import or use the 'tag' command to create a new tag`
    ],
    [
      'bad import mode',
      () => importImage(web(), 'web:1.4', { importMode: 'legacy' }),
      `--import-mode: invalid import mode "legacy": valid values are 'Legacy', 'PreserveOriginal'`
    ]
  ]
  it.each(errors)("%s → oc's error", (_name, run, message) => {
    expect(run).toThrow(message)
  })
})
