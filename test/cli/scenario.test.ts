/**
 * Issue "ImageStreams in Git", "Done when": the whole life of a scheduled tag through the CLI, on the real loopback
 * registry (distribution 2.8): create → tag → import → push → import → idle import → tag deleted upstream →
 * alias → rollback (held while upstream moves) → resume.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { deleteTag, pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import { history, sandbox, type Sandbox } from './helpers.js'

let reg: TestRegistry
let box: Sandbox

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  box = sandbox()
})

afterAll(async () => {
  box?.cleanup()
  await reg?.stop()
})

const T = (minute: number): string => `2024-05-02T10:${String(minute).padStart(2, '0')}:00Z`

describe('a scheduled tag, from create to resume', () => {
  // The steps depend on each other (one repository, one registry), so they run as one story.
  it('follows OpenShift step by step', async () => {
    const upstream = `${reg.host}/acme/web`
    const v1 = await pushImage(reg, 'acme/web', 'latest', { seed: 'one' })

    let r = await box.run(T(0), 'create', 'web')
    expect(r).toMatchObject({ code: 0, stderr: '' })
    expect(r.stdout).toBe('imagestream.image.openshift.io/web created (imagestreams/web.yaml)\n')
    expect(box.stream().metadata.generation).toBe(1)

    r = await box.run(T(1), 'tag', `${upstream}:latest`, 'web:latest', '--scheduled')
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`Tag web:latest set to import ${upstream}:latest periodically.\n`)
    // Pending, not imported: no history yet.
    expect(history(box.stream(), 'latest')).toEqual([])
    expect(box.stream().spec.tags?.[0]).toMatchObject({
      name: 'latest',
      generation: 2,
      importPolicy: { scheduled: true }
    })

    // First import: one item, the registry's digest. The import writes the stream at generation + 1 (the server's
    // nextGeneration), and the tag is reset to that generation (ensureSpecTag), as OpenShift writes it.
    r = await box.run(T(2), 'import')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`${upstream}@${v1.digest}`)
    let stream = box.stream()
    expect(history(stream, 'latest')).toEqual([[3, v1.digest]])
    expect(stream.metadata.generation).toBe(3)
    expect(stream.status?.tags?.[0]?.items?.[0]).toEqual({
      created: T(2),
      dockerImageReference: `${upstream}@${v1.digest}`,
      image: v1.digest,
      generation: 3
    })

    // A new image under the same tag: a second item in front, at the next generation (the scheduler's tick
    // raises the tag to generation+1, the import writes that generation, as OpenShift's controller does).
    const v2 = await pushImage(reg, 'acme/web', 'latest', { seed: 'two' })
    r = await box.run(T(3), 'import')
    expect(r.code).toBe(0)
    stream = box.stream()
    expect(history(stream, 'latest')).toEqual([
      [4, v2.digest],
      [3, v1.digest]
    ])
    expect(stream.metadata.generation).toBe(4)
    expect(stream.spec.tags?.[0]?.generation).toBe(4)

    // Nothing changed upstream: the file is byte-for-byte the same, even at a later time.
    const before = box.read('imagestreams/web.yaml')
    r = await box.run(T(4), 'import')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('nothing to change')
    expect(box.read('imagestreams/web.yaml')).toBe(before)

    // The tag is gone upstream: ImportSuccess=False (NotFound), exit 1, and the last good image stays current.
    await deleteTag(reg, 'acme/web', 'latest')
    r = await box.run(T(5), 'import')
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/web:latest: import failed \(NotFound\)/)
    stream = box.stream()
    expect(history(stream, 'latest')).toEqual([
      [4, v2.digest],
      [3, v1.digest]
    ])
    expect(stream.status?.tags?.[0]?.conditions).toEqual([
      expect.objectContaining({ type: 'ImportSuccess', status: 'False', reason: 'NotFound', lastTransitionTime: T(5) })
    ])
    r = await box.run(T(5), 'describe', 'web')
    expect(r.stdout).toContain('! error: Import failed (NotFound)')

    // An alias follows its source, now and on later imports.
    r = await box.run(T(6), 'tag', 'web:latest', 'web:stable', '--alias')
    expect(r).toMatchObject({ code: 0, stdout: 'Tag web:stable set up to track web:latest.\n' })
    expect(history(box.stream(), 'stable')[0]).toEqual([expect.any(Number), v2.digest])

    const v3 = await pushImage(reg, 'acme/web', 'latest', { seed: 'three' })
    r = await box.run(T(7), 'import')
    expect(r.code).toBe(0)
    stream = box.stream()
    expect(history(stream, 'latest')[0]?.[1]).toBe(v3.digest)
    expect(history(stream, 'stable')[0]?.[1]).toBe(v3.digest)
    // A successful import clears the failure.
    expect(stream.status?.tags?.find((t) => t.tag === 'latest')?.conditions ?? []).toEqual([])

    // Rollback to v2's generation: the tag points at v2 and is held there.
    const v2Generation = history(stream, 'latest').find(([, digest]) => digest === v2.digest)![0]
    r = await box.run(T(8), 'rollback', 'web:latest', '--to-generation', String(v2Generation))
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`rolled back to ${v2.digest}`)
    expect(history(box.stream(), 'latest')[0]?.[1]).toBe(v2.digest)

    // Upstream moves on; the held tag stays, and the newer digest is reported.
    const v4 = await pushImage(reg, 'acme/web', 'latest', { seed: 'four' })
    r = await box.run(T(9), 'import')
    expect(r.code).toBe(0)
    expect(history(box.stream(), 'latest')[0]?.[1]).toBe(v2.digest)
    expect(r.stdout).toContain(`web:latest is held at ${v2.digest}; upstream is at ${v4.digest}`)
    r = await box.run(T(9), 'history', 'web:latest')
    expect(r.stdout).toContain(`held at ${v2.digest} since ${T(8)}; newer upstream ${v4.digest}`)

    // Resume: the next import moves the tag to the newest image.
    r = await box.run(T(10), 'resume', 'web:latest')
    expect(r.code).toBe(0)
    expect(history(box.stream(), 'latest')[0]?.[1]).toBe(v2.digest)
    r = await box.run(T(11), 'import')
    expect(r.code).toBe(0)
    stream = box.stream()
    expect(history(stream, 'latest')[0]?.[1]).toBe(v4.digest)
    expect(stream.metadata.annotations?.['imagestream-action.dev/holds'] ?? '{}').not.toContain('latest')

    // What a reader sees: get istag resolves the current image.
    r = await box.run(T(11), 'get', 'istag', 'web:latest', '-o', 'json')
    expect(JSON.parse(r.stdout)).toMatchObject({
      kind: 'ImageStreamTag',
      metadata: { name: 'web:latest' },
      image: { metadata: { name: v4.digest }, dockerImageReference: `${upstream}@${v4.digest}` }
    })
  })
})

describe('imagestream import-image', () => {
  it('creates a stream with --confirm and prints the imported digest', async () => {
    const img = await pushImage(reg, 'acme/api', '2.0', { seed: 'api' })
    const r = await box.run(T(20), 'import-image', 'api:2.0', '--from', `${reg.host}/acme/api:2.0`, '--confirm')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^imagestream\.image\.openshift\.io\/api imported\n/)
    expect(r.stdout).toContain(`* ${reg.host}/acme/api@${img.digest}`)
    const stream = box.stream('imagestreams/api.yaml')
    // rest.go Create: the ImageStreamImport's new stream starts at Generation 0, so nextGeneration is 1 and the
    // stream, its tag and its event are all at 1 (what `oc import-image --confirm` leaves on a cluster).
    expect(history(stream, '2.0')).toEqual([[1, img.digest]])
    expect(stream.metadata.generation).toBe(1)
    // Never a committed generation 0.
    expect(stream.spec.tags?.[0]?.generation).toBe(1)
  })

  it('REST.Create / hasTagChanged: import-image on a digest that did not move writes nothing', async () => {
    await pushImage(reg, 'acme/same', '1.0', { seed: 'same' })
    let r = await box.run(T(18), 'import-image', 'same:1.0', '--from', `${reg.host}/acme/same:1.0`, '--confirm')
    expect(r.code).toBe(0)
    const before = box.read('imagestreams/same.yaml')
    r = await box.run(T(19), 'import-image', 'same:1.0')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    // No generation bump, no items[0].generation rewrite, no new dockerRepositoryCheck: the file is byte-identical.
    expect(box.read('imagestreams/same.yaml')).toBe(before)
  })

  it('refuses a missing stream without --confirm (exit 2, says what to do)', async () => {
    const r = await box.run(T(21), 'import-image', 'nosuch:1', '--from', `${reg.host}/acme/api:2.0`)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('no image stream named "nosuch" exists, pass --confirm to create and import')
  })

  it('exits 1 with "imported completed with errors" when the image is not there, and keeps the history', async () => {
    const digests = () => history(box.stream('imagestreams/api.yaml'), '2.0').map(([, d]) => d)
    const before = digests()
    const r = await box.run(T(22), 'import-image', 'api:2.0')
    // A forced re-import of the same digest adds no history (only items[0].generation moves, as on the server).
    expect(r.code).toBe(0)
    expect(digests()).toEqual(before)

    const missing = await box.run(T(23), 'import-image', 'api:9.9', '--from', `${reg.host}/acme/api:9.9`)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('error: imported completed with errors')
    expect(missing.stderr).toMatch(/tag 9\.9 failed: Import failed \(NotFound\)/)
    expect(digests()).toEqual(before)
  })

  it('--dry-run asks the registry but writes nothing', async () => {
    await pushImage(reg, 'acme/api', '2.0', { seed: 'api-new' })
    const before = box.read('imagestreams/api.yaml')
    const r = await box.run(T(24), 'import-image', 'api:2.0', '--dry-run')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('(dry run, nothing written)')
    expect(box.read('imagestreams/api.yaml')).toBe(before)
  })
})
