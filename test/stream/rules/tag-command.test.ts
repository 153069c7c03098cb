import { describe, expect, it } from '@jest/globals'
import { reconcileSpec } from '../../../src/stream/rules/generation.js'
import { importPending } from '../../../src/stream/rules/pending.js'
import { deleteTags, tagCommand } from '../../../src/stream/rules/tag-command.js'
import type { ImageStream } from '../../../src/stream/types.js'
import { InputError } from '../../../src/util/errors.js'
import { DIGEST_A, DIGEST_B, frozen, NOW, web } from './fixtures.js'

/** web() as committed after a reconcile, so spec edits are measured against the observed fingerprints. */
const committed = () => frozen(structuredClone(reconcileSpec(web()).stream))

describe('oc tag ([oc] pkg/cli/tag/tag.go)', () => {
  it('external image: from DockerImage (exact source), import pending at the new generation, Legacy, Source', () => {
    const { stream, messages } = tagCommand(committed(), 'quay.io/acme/web:1.5', ['web:1.5'], NOW)
    expect(messages).toEqual(['Tag web:1.5 set to quay.io/acme/web:1.5.'])
    expect(stream.metadata.generation).toBe(8)
    expect(stream.spec.tags![2]).toEqual({
      name: '1.5',
      annotations: null,
      from: { kind: 'DockerImage', name: 'quay.io/acme/web:1.5' },
      generation: 8,
      importPolicy: { importMode: 'Legacy' },
      referencePolicy: { type: 'Source' }
    })
    expect(importPending(stream, '1.5')).toBe(true)
  })

  it('--scheduled on a digest ref: a pinned scheduled import, "set to import … periodically"', () => {
    const { stream, messages } = tagCommand(committed(), `quay.io/acme/web@${DIGEST_A}`, ['web:pinned'], NOW, {
      scheduled: true
    })
    expect(messages).toEqual([`Tag web:pinned set to import quay.io/acme/web@${DIGEST_A} periodically.`])
    expect(stream.spec.tags![2].importPolicy).toEqual({ scheduled: true, importMode: 'Legacy' })
  })

  it('istag without --alias is a snapshot: ImageStreamImage web@<digest of 1.4>, status copied at once', () => {
    const { stream, messages } = tagCommand(committed(), 'web:1.4', ['web:stable'], NOW)
    expect(messages).toEqual([`Tag web:stable set to web@${DIGEST_B}.`])
    expect(stream.spec.tags![2].from).toEqual({ kind: 'ImageStreamImage', name: `web@${DIGEST_B}` })
    expect(stream.status!.tags!.find((t) => t.tag === 'stable')!.items).toEqual([
      { created: NOW, dockerImageReference: `quay.io/acme/web@${DIGEST_B}`, image: DIGEST_B, generation: 8 }
    ])
  })

  it("--alias: a tracking tag (ImageStreamTag web:1.4) that already shows 1.4's image", () => {
    const { stream, messages } = tagCommand(committed(), 'web:1.4', ['web:live'], NOW, { alias: true })
    expect(messages).toEqual(['Tag web:live set up to track web:1.4.'])
    expect(stream.spec.tags![2].from).toEqual({ kind: 'ImageStreamTag', name: 'web:1.4' })
    expect(stream.status!.tags!.find((t) => t.tag === 'live')!.items![0].image).toBe(DIGEST_B)
  })

  it('snapshot of a tag in another stream uses the lookup', () => {
    const other: ImageStream = { ...web(), metadata: { name: 'base', namespace: 'shop', generation: 1 } }
    const { stream } = tagCommand(committed(), 'base:1.4', ['web:base'], NOW, {
      lookup: (ns, name) => (ns === 'shop' && name === 'base' ? other : undefined)
    })
    expect(stream.spec.tags![2].from).toEqual({ kind: 'ImageStreamImage', name: `base@${DIGEST_B}` })
    expect(stream.status!.tags!.find((t) => t.tag === 'base')!.items![0].image).toBe(DIGEST_B)
  })

  it('Run: --reference-policy=local and --reference; a re-tag without the flag resets the policy to Source', () => {
    const local = tagCommand(committed(), 'quay.io/acme/web:1.4', ['web:1.4'], NOW, {
      referencePolicy: 'local',
      reference: true
    }).stream
    expect(local.spec.tags![0]).toMatchObject({ reference: true, referencePolicy: { type: 'Local' } })
    // oc tag always sends `type` (--reference-policy defaults to source): the old Local does not survive.
    const again = tagCommand(frozen(local), 'quay.io/acme/web:1.4', ['web:1.4'], NOW).stream
    expect(again.spec.tags![0].referencePolicy).toEqual({ type: 'Source' })
    expect(again.spec.tags![0].reference).toBeUndefined()
  })

  it("imagestreamtag REST.update: tagging onto an existing tag replaces its annotations (the ImageStreamTag's: none)", () => {
    const base = structuredClone(committed()) as ImageStream
    base.spec.tags![0].annotations = { 'importer.image.openshift.io/prefer-arch': 'arm64', description: 'web' }
    const { stream } = tagCommand(frozen(base), 'quay.io/acme/web:1.5', ['web:1.4'], NOW)
    expect(stream.spec.tags![0].annotations).toBeNull()
  })

  it('updateSpecTagGenerationsForUpdate: re-running the same alias or snapshot bumps no generation', () => {
    const alias = tagCommand(committed(), 'web:1.4', ['web:live'], NOW, { alias: true }).stream
    const aliasAgain = tagCommand(frozen(alias), 'web:1.4', ['web:live'], '2024-05-03T00:00:00Z', { alias: true })
    expect(aliasAgain.stream).toEqual(alias)
    const snap = tagCommand(committed(), 'web:1.4', ['web:stable'], NOW).stream
    const snapAgain = tagCommand(frozen(snap), 'web:1.4', ['web:stable'], '2024-05-03T00:00:00Z')
    expect(snapAgain.stream).toEqual(snap)
    expect(snapAgain.stream.metadata.generation).toBe(snap.metadata.generation)
  })

  it('tagRefChanged: an alias re-pointed elsewhere takes the new generation', () => {
    const alias = tagCommand(committed(), 'web:1.4', ['web:live'], NOW, { alias: true }).stream
    const moved = tagCommand(frozen(alias), 'web:prod', ['web:live'], NOW, { alias: true }).stream
    expect(moved.metadata.generation).toBe(alias.metadata.generation! + 1)
    expect(moved.spec.tags!.find((t) => t.name === 'live')!.generation).toBe(moved.metadata.generation)
  })

  it('PrepareForUpdate: resetting only annotations bumps the stream generation, not the tag generation', () => {
    const alias = structuredClone(tagCommand(committed(), 'web:1.4', ['web:live'], NOW, { alias: true }).stream)
    alias.spec.tags!.find((t) => t.name === 'live')!.annotations = { note: 'x' }
    const committedAlias = reconcileSpec(alias).stream
    const again = tagCommand(frozen(committedAlias), 'web:1.4', ['web:live'], NOW, { alias: true }).stream
    const live = again.spec.tags!.find((t) => t.name === 'live')!
    expect(live.annotations).toBeNull()
    expect(again.metadata.generation).toBe(committedAlias.metadata.generation! + 1)
    expect(live.generation).toBe(committedAlias.spec.tags!.find((t) => t.name === 'live')!.generation)
  })

  const errors: [string, () => unknown, string][] = [
    [
      'alias across streams',
      () => tagCommand(committed(), 'other:1.4', ['web:x'], NOW, { alias: true }),
      'cannot set alias across different Image Streams'
    ],
    [
      'alias with --scheduled',
      () => tagCommand(committed(), 'web:1.4', ['web:x'], NOW, { alias: true, scheduled: true }),
      'only container images can have importing flags set'
    ],
    [
      '--insecure on an istag',
      () => tagCommand(committed(), 'web:1.4', ['web:x'], NOW, { insecure: true }),
      'only container images can have importing flags set'
    ],
    [
      'registry with --source=istag',
      () => tagCommand(committed(), 'quay.io/a/b:1', ['web:x'], NOW, { source: 'istag' }),
      'server in SOURCE is only allowed when providing a container image'
    ],
    [
      'bad --source',
      () => tagCommand(committed(), 'web:1.4', ['web:x'], NOW, { source: 'git' }),
      '--source: invalid source "git"; valid values are docker, dockerimage, imagestreamimage, imagestreamtag, isimage, istag'
    ],
    [
      'bad reference policy',
      () => tagCommand(committed(), 'web:1.4', ['web:x'], NOW, { referencePolicy: 'Local' }),
      "--reference-policy: reference policy must be set to 'source' or 'local'"
    ],
    ['tag name', () => tagCommand(committed(), 'quay.io/a/b:1', ['web:-x'], NOW), 'DEST: invalid tag name "-x"'],
    [
      'no tag in DEST',
      () => tagCommand(committed(), 'quay.io/a/b:1', ['web'], NOW),
      'DEST: "web" must be of the form <stream_name>:<tag>'
    ],
    [
      'empty source tag',
      () => tagCommand(committed(), 'web:none', ['web:x'], NOW),
      '"web:none" is not currently pointing to an image, cannot use it as the source of a tag'
    ],
    [
      'alias and delete',
      () => deleteTags(committed(), ['web:prod'], { alias: true }),
      '--alias and --delete may not be both specified'
    ]
  ]
  it.each(errors)("%s → InputError with oc's wording", (_name, run, message) => {
    expect(run).toThrow(InputError)
    expect(run).toThrow(message)
  })
})

describe('oc tag -d ([oc] pkg/cli/tag/tag.go: deleting the ImageStreamTag removes spec and status)', () => {
  it('removes the spec tag and its history; the spec change bumps the generation', () => {
    const { stream, messages } = deleteTags(committed(), ['web:prod'])
    expect(messages).toEqual(['Deleted tag shop/web:prod.'])
    expect(stream.spec.tags!.map((t) => t.name)).toEqual(['1.4'])
    expect(stream.status!.tags!.map((t) => t.tag)).toEqual(['1.4'])
    expect(stream.metadata.generation).toBe(8)
    expect(() => deleteTags(committed(), ['web:nope'])).toThrow(
      'imagestreamtags.image.openshift.io "web:nope" not found'
    )
  })
})
