/**
 * Issue "Policies", "Done when" 1–6, end to end: the real `imagestream` CLI against the real loopback registry
 * (docker-registry 2.8) behind the counting fault proxy. Each step checks what a person would: the spec tag's
 * source, the recorded digest, the pinned manifest, the words printed, and that every stream file still validates
 * against OpenShift's ImageStream schema (schema/imagestream.schema.json, draft-07, no unknown fields).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'
import { pushImage, pushIndex, pushManifest, startRegistry, type TestRegistry } from '../support/registry.js'
import { sandbox, type Sandbox } from './helpers.js'

let reg: TestRegistry
let proxy: FaultProxy

const ROOT = join(import.meta.dirname, '..', '..')
const validate = (() => {
  const ajv = new Ajv({ allErrors: true, strict: false })
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/)
  return ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema', 'imagestream.schema.json'), 'utf8')) as object)
})()

/** Done when 6: the file as an editor or `oc apply --dry-run` would check it. */
function expectSchemaValid(box: Sandbox, path = 'imagestreams/app.yaml'): void {
  const ok = validate(parse(box.read(path)))
  expect(validate.errors ?? []).toEqual([])
  expect(ok).toBe(true)
}

const T = (hour: number, minute = 0): string =>
  `2026-03-01T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00Z`

function specTag(box: Sandbox, tag: string) {
  return box.stream('imagestreams/app.yaml').spec.tags!.find((t) => t.name === tag)!
}
function current(box: Sandbox, tag: string) {
  return box.stream('imagestreams/app.yaml').status?.tags?.find((t) => t.tag === tag)
}

const deployment = (image: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      containers:
      - name: app
        image: ${image}
`

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  proxy = await startFaultProxy(reg.url)
})

afterAll(async () => {
  await proxy?.stop()
  await reg?.stop()
})

/** A stream `app` whose tag `tag` follows `repo:first`, imported once at T(0). */
async function streamFollowing(box: Sandbox, repo: string, first: string, tag = 'stable'): Promise<void> {
  const r = await box.run(T(0), 'tag', `${proxy.host}/${repo}:${first}`, `app:${tag}`, '--scheduled')
  expect(r).toMatchObject({ code: 0 })
}

describe('Done when 1: semver, prereleases and a filtered numerical order pick the winner', () => {
  const TAGS = ['1.2.0', '1.10.0', '1.9.3', '2.0.0-rc.1', '2.0.0', 'latest', 'v1.11.0', 'main-abc-100', 'main-def-99']
  const digests: Record<string, string> = {}
  let box: Sandbox

  beforeAll(async () => {
    for (const t of TAGS) digests[t] = (await pushImage(reg, 'acme/app', t, { seed: t })).digest
    box = sandbox()
  })
  afterAll(() => box?.cleanup())

  it('points each policy tag at its winner as oc tag would, records the TagEvent and pins the Deployment', async () => {
    await streamFollowing(box, 'acme/app', '1.2.0', 'stable')
    await streamFollowing(box, 'acme/app', '2.0.0-rc.1', 'next')
    await streamFollowing(box, 'acme/app', 'main-def-99', 'main')
    expect((await box.run(T(0), 'import')).code).toBe(0)
    expect(current(box, 'stable')!.items![0]!.image).toBe(digests['1.2.0'])
    box.write('deploy/app.yaml', deployment(`${proxy.host}/acme/app@${digests['1.2.0']}`))
    const set = await box.run(
      T(0),
      'set',
      'triggers',
      'deploy/app',
      '-f',
      'deploy/app.yaml',
      '--from-image',
      'app:stable',
      '-c',
      'app'
    )
    expect(set.code).toBe(0)

    expect((await box.run(T(0), 'set', 'policy', 'app:stable', '--policy', 'semver:^1')).code).toBe(0)
    expect((await box.run(T(0), 'set', 'policy', 'app:next', '--policy', 'semver:>=2.0.0-0')).code).toBe(0)
    const main = await box.run(
      T(0),
      'set',
      'policy',
      'app:main',
      '--policy',
      'numerical:asc',
      '--filter',
      '^main-[a-f0-9]+-(?P<ts>\\d+)$',
      '--extract',
      '$ts'
    )
    expect(main).toMatchObject({ code: 0, stdout: 'app:main policy updated (imagestreams/app.yaml)\n' })
    expectSchemaValid(box)

    const sync = await box.run(T(1), 'sync')
    expect(sync.stderr).toBe('')
    expect(sync.code).toBe(0)
    // node-semver reads v1.11.0 as 1.11.0: it is the newest 1.x (docs/policies.md, "v prefixes").
    expect(specTag(box, 'stable').from!.name).toBe(`${proxy.host}/acme/app:v1.11.0`)
    expect(specTag(box, 'next').from!.name).toBe(`${proxy.host}/acme/app:2.0.0`)
    expect(specTag(box, 'main').from!.name).toBe(`${proxy.host}/acme/app:main-abc-100`)
    expect(current(box, 'stable')!.items!.map((i) => i.image)).toEqual([digests['v1.11.0'], digests['1.2.0']])
    expect(current(box, 'next')!.items![0]!.image).toBe(digests['2.0.0'])
    expect(current(box, 'main')!.items![0]!.image).toBe(digests['main-abc-100'])
    expect(sync.stdout).toContain(`app:stable 1.2.0 → v1.11.0 (${digests['v1.11.0']})`)
    expect(sync.stdout).toContain(`app:main main-def-99 → main-abc-100 (${digests['main-abc-100']})`)
    expect(box.read('deploy/app.yaml')).toContain(`image: ${proxy.host}/acme/app@${digests['v1.11.0']}`)
    expectSchemaValid(box)

    const explain = await box.run(T(1), 'explain', 'app:stable')
    expect(explain.code).toBe(0)
    expect(explain.stdout).toContain('winner: v1.11.0')
    expect(explain.stdout).toContain('2.0.0: 2.0.0 is not in ^1')
    expect(explain.stdout).toContain('latest: is not a semantic version')

    const wide = await box.run(T(1), 'get', 'istag', 'app:stable', '-o', 'wide')
    expect(wide.code).toBe(0)
    expect(wide.stdout.split('\n')[0]).toMatch(/NAME\s+IMAGE REFERENCE\s+UPDATED\s+IMAGE NAME\s+POLICY\s+CANDIDATE/)
    expect(wide.stdout.split('\n')[1]).toMatch(/^app:stable\s.*\ssemver:\^1\s+v1\.11\.0\s*$/)

    const again = await box.run(T(2), 'sync')
    expect(again.stdout).not.toContain('→')
    expect(current(box, 'stable')!.items).toHaveLength(2)
  })
})

describe('Done when 2: 2,500 tags served in pages of 100', () => {
  let box: Sandbox
  let winner: string

  beforeAll(async () => {
    const base = await pushImage(reg, 'acme/many', '1.0.0', { seed: 'many' })
    const manifest = JSON.parse(
      await (
        await fetch(`${reg.url}/v2/acme/many/manifests/${base.digest}`, {
          headers: { accept: base.mediaType }
        })
      ).text()
    ) as Record<string, unknown> & { mediaType: string }
    // One image, tagged 2,498 more times by manifest PUTs (the registry stores the tag links only).
    const names = Array.from({ length: 2498 }, (_, i) => `1.${Math.floor((i + 1) / 100)}.${(i + 1) % 100}`)
    for (let i = 0; i < names.length; i += 64) {
      await Promise.all(names.slice(i, i + 64).map((n) => pushManifest(reg, 'acme/many', n, manifest)))
    }
    winner = (await pushImage(reg, 'acme/many', '1.25.0', { seed: 'winner' })).digest
    box = sandbox()
  }, 300_000) // 2,500 manifest PUTs: about a minute on a busy 2-core machine
  afterAll(() => box?.cleanup())

  it('one policy import makes 25 list requests and one manifest request, and picks the right tag', async () => {
    const listed = await fetch(`${reg.url}/v2/acme/many/tags/list`)
    expect(((await listed.json()) as { tags: string[] }).tags).toHaveLength(2500)
    box.write(
      'imagestreams/app.yaml',
      `apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: app
spec:
  tags:
  - name: stable
    annotations:
      imagestream-action.dev/policy: semver:^1
    from:
      kind: DockerImage
      name: ${proxy.host}/acme/many:1.0.0
    importPolicy:
      scheduled: true
`
    )
    const pages = proxy.inject({ match: { kind: 'tags' }, fault: { type: 'paginate-tags', pageSize: 100 } })
    proxy.resetCounts()
    const r = await box.run(T(0), 'import')
    pages.remove()
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(proxy.count('GET', 'tags')).toBe(25)
    expect(proxy.count(undefined, 'manifest')).toBe(1)
    expect(proxy.count(undefined, 'blob')).toBe(0)
    expect(specTag(box, 'stable').from!.name).toBe(`${proxy.host}/acme/many:1.25.0`)
    expect(current(box, 'stable')!.items![0]!.image).toBe(winner)
    expectSchemaValid(box)
  })
})

describe('Done when 3: min-age soaks a new candidate from first sight, on the pipeline clock', () => {
  let box: Sandbox
  beforeAll(() => {
    box = sandbox()
  })
  afterAll(() => box?.cleanup())

  it('does not propose a new digest at once; with the clock moved past 2 h it does', async () => {
    const a = await pushImage(reg, 'acme/soak', '1.0.0', { seed: 'soak-a' })
    await streamFollowing(box, 'acme/soak', '1.0.0')
    const set = await box.run(T(0), 'set', 'policy', 'app:stable', '--policy', 'semver:^1', '--min-age', '2h')
    expect(set.code).toBe(0)
    expect((await box.run(T(0), 'import-image', 'app:stable')).code).toBe(0)
    expect(current(box, 'stable')!.items![0]!.image).toBe(a.digest)

    const b = await pushImage(reg, 'acme/soak', '1.1.0', { seed: 'soak-b', created: '1970-01-01T00:00:00Z' })
    const first = await box.run(T(1), 'import')
    expect(first.code).toBe(0)
    expect(first.stdout).toContain(
      `app:stable waiting for 1.1.0 (${b.digest}) to soak: first seen ${T(1)}, may land after ${T(3)}`
    )
    expect(specTag(box, 'stable').from!.name).toBe(`${proxy.host}/acme/soak:1.0.0`)
    expect(current(box, 'stable')!.items![0]!.image).toBe(a.digest)
    expectSchemaValid(box)

    const wide = await box.run(T(1), 'get', 'istag', 'app:stable', '-o', 'wide')
    expect(wide.stdout.split('\n')[1]).toMatch(/\ssemver:\^1\s+1\.1\.0 \(soaking\)\s*$/)

    const early = await box.run(T(2, 59), 'import')
    expect(early.stdout).toContain(`first seen ${T(1)}, may land after ${T(3)}`)
    expect(current(box, 'stable')!.items![0]!.image).toBe(a.digest)

    const late = await box.run(T(3), 'import')
    expect(late.code).toBe(0)
    expect(late.stdout).toContain(`app:stable 1.0.0 → 1.1.0 (${b.digest})`)
    expect(specTag(box, 'stable').from!.name).toBe(`${proxy.host}/acme/soak:1.1.0`)
    expect(current(box, 'stable')!.items![0]!.image).toBe(b.digest)
    const annotations = box.stream('imagestreams/app.yaml').metadata.annotations ?? {}
    expect(annotations['imagestream-action.dev/first-seen']).toBeUndefined()
    expectSchemaValid(box)
  })
})

describe('Done when 4: a re-pushed release is drift', () => {
  let box: Sandbox
  beforeAll(() => {
    box = sandbox()
  })
  afterAll(() => box?.cleanup())

  it('is reported and not bumped; after an explicit allow it is', async () => {
    const a = await pushImage(reg, 'acme/drift', '1.4.2', { seed: 'drift-a' })
    await streamFollowing(box, 'acme/drift', '1.4.2')
    expect((await box.run(T(0), 'set', 'policy', 'app:stable', '--policy', 'semver:~1.4')).code).toBe(0)
    expect((await box.run(T(0), 'import')).code).toBe(0)
    expect(current(box, 'stable')!.items![0]!.image).toBe(a.digest)

    const b = await pushImage(reg, 'acme/drift', '1.4.2', { seed: 'drift-b', created: '2026-02-28T12:00:00Z' })
    const drift = await box.run(T(1), 'import', '-o', 'json')
    expect(drift.code).toBe(1)
    const out = JSON.parse(drift.stdout) as { failures: Array<{ tag: string; reason: string; message: string }> }
    expect(out.failures).toEqual([expect.objectContaining({ tag: 'stable', reason: 'ImmutableTagChanged' })])
    expect(out.failures[0]!.message).toContain(`${a.digest} → ${b.digest} (created 2026-02-28T12:00:00Z)`)
    const status = current(box, 'stable')!
    expect(status.items![0]!.image).toBe(a.digest)
    expect(status.conditions).toEqual([
      expect.objectContaining({ type: 'ImportSuccess', status: 'False', reason: 'ImmutableTagChanged' })
    ])
    expectSchemaValid(box)

    // The explicit allow: `import-image` on that tag, a person's decision now.
    const accepted = await box.run(T(2), 'import-image', 'app:stable')
    expect(accepted.code).toBe(0)
    expect(current(box, 'stable')!.items!.map((i) => i.image)).toEqual([b.digest, a.digest])
    expect(current(box, 'stable')!.conditions ?? []).toEqual([])
    expectSchemaValid(box)
  })

  it('the one-off accept-drift annotation accepts exactly the digest it names, then is removed', async () => {
    const c = await pushImage(reg, 'acme/drift', '1.4.2', { seed: 'drift-c' })
    expect((await box.run(T(3), 'import')).code).toBe(1)
    expect((await box.run(T(3), 'set', 'policy', 'app:stable', '--accept-drift', c.digest)).code).toBe(0)
    const r = await box.run(T(4), 'import')
    expect(r.code).toBe(0)
    expect(current(box, 'stable')!.items![0]!.image).toBe(c.digest)
    expect(specTag(box, 'stable').annotations).toEqual({ 'imagestream-action.dev/policy': 'semver:~1.4' })
    expectSchemaValid(box)
  })
})

describe('Done when 5: require-platforms', () => {
  let box: Sandbox
  beforeAll(() => {
    box = sandbox()
  })
  afterAll(() => box?.cleanup())

  it('does not pin an index missing linux/arm64; after arm64 is added, the next run pins it', async () => {
    await pushIndex(reg, 'acme/multi', '1.0.0', [{ os: 'linux', architecture: 'amd64' }])
    await streamFollowing(box, 'acme/multi', '1.0.0')
    const set = await box.run(
      T(0),
      'set',
      'policy',
      'app:stable',
      '--policy',
      'semver:^1',
      '--require-platforms',
      'linux/amd64,linux/arm64'
    )
    expect(set.code).toBe(0)
    const first = await box.run(T(1), 'import')
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('app:stable 1.0.0 (')
    expect(first.stdout).toContain('not pinned yet: the index lacks linux/arm64')
    expect(current(box, 'stable')?.items ?? null).toBeNull()
    expectSchemaValid(box)

    const full = await pushIndex(reg, 'acme/multi', '1.0.0', [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' }
    ])
    const second = await box.run(T(2), 'import')
    expect(second.code).toBe(0)
    const amd64 = full.children.find((ch) => ch.platform.architecture === 'amd64')!.digest
    expect(current(box, 'stable')!.items![0]!.image).toBe(amd64)
    expectSchemaValid(box)
  })

  it('refuses a single-platform image for a multi-platform requirement, with the reason', async () => {
    await pushImage(reg, 'acme/single', '1.0.0', { seed: 'single' })
    const other = sandbox()
    try {
      await streamFollowing(other, 'acme/single', '1.0.0')
      await other.run(T(0), 'set', 'policy', 'app:stable', '--require-platforms', 'linux/amd64,linux/arm64')
      const r = await other.run(T(1), 'import', '-o', 'json')
      expect(r.code).toBe(1)
      const out = JSON.parse(r.stdout) as { failures: Array<{ reason: string; message: string }> }
      expect(out.failures[0]).toMatchObject({ reason: 'PlatformsMissing' })
      expect(out.failures[0]!.message).toContain(
        'is a single-platform image, but require-platforms asks for linux/amd64, linux/arm64'
      )
      expect(current(other, 'stable')?.items ?? null).toBeNull()
      expectSchemaValid(other)
    } finally {
      other.cleanup()
    }
  })
})

describe('bad policy annotations', () => {
  it('set policy refuses an invalid value with the file and field, and writes nothing', async () => {
    const box = sandbox()
    try {
      await streamFollowing(box, 'acme/app', '1.2.0')
      const before = box.read('imagestreams/app.yaml')
      const r = await box.run(T(0), 'set', 'policy', 'app:stable', '--policy', 'semver:^1', '--min-age', 'two hours')
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(
        'imagestreams/app.yaml: spec.tags[0].annotations["imagestream-action.dev/min-age"]: ' +
          '"two hours" is not a duration'
      )
      expect(box.read('imagestreams/app.yaml')).toBe(before)
    } finally {
      box.cleanup()
    }
  })
})
