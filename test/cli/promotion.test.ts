/**
 * Promotion (docs/promotion.md), end to end through the real `imagestream` CLI on a real git repository, with the
 * registry unreachable (127.0.0.1:1 refuses every connection): a promotion copies history the repository already
 * holds and never asks a registry. Each step checks what a reviewer would: the destination's spec and history, the
 * pinned manifest, what was printed, and that every stream file still validates against OpenShift's schema.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { sandbox, type Sandbox } from './helpers.js'

const ROOT = join(import.meta.dirname, '..', '..')
const validate = (() => {
  const ajv = new Ajv({ allErrors: true, strict: false })
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/)
  return ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema', 'imagestream.schema.json'), 'utf8')) as object)
})()

const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`
const C = `sha256:${'c'.repeat(64)}`
const REPO = '127.0.0.1:1/acme/web'
const T0 = '2026-11-01T10:00:00Z'
const at = (hours: number) => new Date(Date.parse(T0) + hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z')

function streamFile(namespace: string, tag: string, items: Array<[string, string]>, annotations = ''): string {
  return `apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: web
  namespace: ${namespace}
  generation: 2
spec:
  lookupPolicy:
    local: false
  tags:
    - name: ${tag}
      annotations:${annotations ? `\n${annotations}` : ' null'}
      from:
        kind: DockerImage
        name: ${REPO}:${tag}
      generation: 2
      importPolicy:
        importMode: Legacy
      referencePolicy:
        type: Source
status:
  dockerImageRepository: ""
  tags:
    - tag: ${tag}
      items:
${items.map(([d, created]) => `        - created: "${created}"\n          dockerImageReference: ${REPO}@${d}\n          generation: 2\n          image: ${d}`).join('\n')}
`
}

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
  annotations:
    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"web:live"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"web\\")].image"}]'
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ${REPO}@${A}  # the production pin
`

let box: Sandbox
const schemaValid = (path: string) => {
  const ok = validate(parse(box.read(path)))
  expect(validate.errors ?? []).toEqual([])
  expect(ok).toBe(true)
}
const tree = () =>
  ['imagestreams/dev.yaml', 'imagestreams/prod.yaml', 'deploy/prod.yaml'].map((p) => box.read(p)).join('\0')

beforeEach(() => {
  box = sandbox({ git: true })
  box.write(
    'imagestreams/dev.yaml',
    streamFile('dev', 'latest', [
      [B, T0],
      [A, '2026-10-01T00:00:00Z']
    ])
  )
  box.write(
    'imagestreams/prod.yaml',
    streamFile(
      'prod',
      'live',
      [[A, '2026-10-02T00:00:00Z']],
      [
        '        imagestream-action.dev/promote-from: dev/web:latest',
        '        imagestream-action.dev/promote-after: 2h'
      ].join('\n')
    )
  )
  box.write('deploy/prod.yaml', MANIFEST)
})
afterEach(() => box.cleanup())

/** The first sync adopts hand-written files (records the observed spec, as the API server would); then commit. */
async function adopt(): Promise<void> {
  expect((await box.run(at(0), 'sync')).code).toBe(0)
  box.git('add', '-A')
  box.git('commit', '-qm', 'environments')
}

describe('automatic promotion in sync (promote-from, promote-after)', () => {
  it('a new dev digest is not promoted after 1 h, and is after 3 h: prod and its manifest move, nothing else', async () => {
    await adopt()
    const before = tree()
    const early = await box.run(at(1), 'sync')
    expect(early.stderr).toBe('')
    expect(early.code).toBe(0)
    expect(early.stdout).toContain(
      `prod/web:live waiting: ${B} has run in dev/web:latest since ${T0}; ready at ${at(2)}`
    )
    expect(tree()).toBe(before)

    const late = await box.run(at(3), 'sync')
    expect(late.code).toBe(0)
    expect(late.stdout).toContain(`prod/web:live promoted ${B} from dev/web:latest`)
    const prod = parse(box.read('imagestreams/prod.yaml'))
    expect(prod.spec.tags[0].from).toEqual({ kind: 'ImageStreamImage', namespace: 'dev', name: `web@${B}` })
    expect(prod.spec.tags[0].annotations['imagestream-action.dev/promote-from']).toBe('dev/web:latest')
    expect(prod.status.tags[0].items[0]).toMatchObject({ image: B, dockerImageReference: `${REPO}@${B}` })
    expect(box.read('deploy/prod.yaml')).toBe(MANIFEST.replace(`${REPO}@${A}`, `${REPO}@${B}`))
    expect(box.read('imagestreams/dev.yaml')).toBe(before.split('\0')[0])
    schemaValid('imagestreams/prod.yaml')

    // A rerun promotes nothing more and writes nothing.
    const after = tree()
    const again = await box.run(at(4), 'sync')
    expect(again.code).toBe(0)
    expect(tree()).toBe(after)
  })

  it('a rollback hold on the destination blocks automatic promotion until a person promotes it', async () => {
    box.write(
      'imagestreams/prod.yaml',
      streamFile(
        'prod',
        'live',
        [
          [C, '2026-10-03T00:00:00Z'],
          [A, '2026-10-02T00:00:00Z']
        ],
        ['        imagestream-action.dev/promote-from: dev/web:latest'].join('\n')
      )
    )
    await adopt()
    expect((await box.run(at(5), 'rollback', 'prod/web:live', '--to', A)).code).toBe(0)
    const held = tree()
    const run = await box.run(at(10), 'sync')
    expect(run.stdout).toContain('prod/web:live not promoted: rolled back to')
    expect(tree()).toBe(held)

    const manual = await box.run(at(11), 'tag', `dev/web@${B}`, 'prod/web:live')
    expect(manual.code).toBe(0)
    expect(parse(box.read('imagestreams/prod.yaml')).status.tags[0].items[0].image).toBe(B)
    expect(box.read('deploy/prod.yaml')).toContain(`${REPO}@${B}`)
  })
})

describe('manual promotion (oc tag dev/web@sha256:… prod/web:live)', () => {
  it('copies an exact dev history item into prod and moves the bound manifest, with the registry unreachable', async () => {
    await adopt()
    const run = await box.run(at(0.5), 'tag', `dev/web@${A}`, 'prod/web:live')
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    // prod already ran A: the spec becomes the snapshot, the history item is the one dev holds.
    const prod = parse(box.read('imagestreams/prod.yaml'))
    expect(prod.spec.tags[0].from).toEqual({ kind: 'ImageStreamImage', namespace: 'dev', name: `web@${A}` })
    const promoted = await box.run(at(0.6), 'tag', `dev/web@${B}`, 'prod/web:live')
    expect(promoted.code).toBe(0)
    expect(parse(box.read('imagestreams/prod.yaml')).status.tags[0].items[0]).toMatchObject({
      image: B,
      dockerImageReference: `${REPO}@${B}`
    })
    expect(box.read('deploy/prod.yaml')).toBe(MANIFEST.replace(`${REPO}@${A}`, `${REPO}@${B}`))
    schemaValid('imagestreams/prod.yaml')
  })

  it("a digest that is not in the source stream's history is refused, and nothing is written", async () => {
    await adopt()
    const before = tree()
    const run = await box.run(at(0.5), 'tag', `dev/web@${C}`, 'prod/web:live')
    expect(run.code).not.toBe(0)
    expect(run.stderr).toMatch(/web@sha256:c{64}|not found|does not exist/)
    expect(tree()).toBe(before)
  })
})
