/**
 * Issue "Triggers", "Done when": `imagestream sync --commit` on the real loopback registry moves a Deployment
 * (annotation trigger, written by `set triggers`) to a newly pushed digest, in a real git repository; the commit
 * holds exactly the stream file and the manifest; a second sync makes no commit. Plus apply-triggers' dry run.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import { history, sandbox, type Sandbox } from './helpers.js'

let reg: TestRegistry
let box: Sandbox

const T = (minute: number): string => `2024-06-01T08:${String(minute).padStart(2, '0')}:00Z`

const deployment = (image: string): string => `# the web front end
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        image: ${image}   # pinned by imagestream
      - name: sidecar
        image: docker.io/envoyproxy/envoy:v1.30.1
`

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  box = sandbox({ git: true })
})

afterAll(async () => {
  box?.cleanup()
  await reg?.stop()
})

describe('sync --commit', () => {
  it('moves the Deployment to the new digest and commits exactly the two files; a second sync commits nothing', async () => {
    const v1 = await pushImage(reg, 'acme/web', '1.4', { seed: 'v1' })
    expect((await box.run(T(0), 'tag', `${reg.host}/acme/web:1.4`, 'web:1.4', '--scheduled')).code).toBe(0)
    expect((await box.run(T(1), 'import')).code).toBe(0)
    box.write('deploy/web.yaml', deployment(`${reg.host}/acme/web@${v1.digest}`))

    // `set triggers` writes oc's annotation, byte for byte, and nothing else.
    const set = await box.run(
      T(1),
      'set',
      'triggers',
      'deploy/web',
      '-f',
      'deploy/web.yaml',
      '--from-image',
      'web:1.4',
      '-c',
      'web'
    )
    expect(set).toMatchObject({ code: 0, stderr: '' })
    const annotated = box.read('deploy/web.yaml')
    expect(annotated).toContain(
      `    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"web:1.4"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"web\\")].image"}]'\n`
    )
    expect(annotated.replace(/^ {2}annotations:\n.*\n/m, '')).toBe(deployment(`${reg.host}/acme/web@${v1.digest}`))

    box.git('add', '-A')
    box.git('commit', '-q', '-m', 'initial')
    // Something the person staged on their own must stay out of our commit.
    box.write('notes.txt', 'mine\n')
    box.git('add', 'notes.txt')
    const base = box.git('rev-parse', 'HEAD').trim()

    const v2 = await pushImage(reg, 'acme/web', '1.4', { seed: 'v2' })
    const r = await box.run(T(2), 'sync', '--commit')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/committed [0-9a-f]{12}: imagestream: update web:1\.4 to sha256:[0-9a-f]{12}/)

    expect(box.read('deploy/web.yaml')).toContain(`image: ${reg.host}/acme/web@${v2.digest}   # pinned by imagestream`)
    expect(history(box.stream(), '1.4').map(([, d]) => d)).toEqual([v2.digest, v1.digest])

    const head = box.git('rev-parse', 'HEAD').trim()
    expect(box.git('rev-parse', 'HEAD~1').trim()).toBe(base)
    expect(box.git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual([
      'deploy/web.yaml',
      'imagestreams/web.yaml'
    ])
    const message = box.git('log', '-1', '--format=%B')
    expect(message).toContain(`* web:1.4 ${v1.digest.slice(0, 19)} → ${v2.digest.slice(0, 19)}`)
    // The tree is clean apart from the person's own staged file.
    expect(box.git('status', '--porcelain').trim()).toBe('A  notes.txt')

    const again = await box.run(T(3), 'sync', '--commit')
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('nothing to commit')
    expect(box.git('rev-parse', 'HEAD').trim()).toBe(head)
  })

  it('refuses --commit with --dry-run (exit 2)', async () => {
    const r = await box.run(T(4), 'sync', '--commit', '--dry-run')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--commit and --dry-run cannot be used together')
  })
})

describe('apply-triggers', () => {
  it('--dry-run prints each edit as file:line old → new and writes nothing; without it the file is pinned', async () => {
    const current = history(box.stream(), '1.4')[0]![1]
    const stale = `${reg.host}/acme/web@sha256:${'0'.repeat(64)}`
    box.write(
      'deploy/web.yaml',
      box.read('deploy/web.yaml').replace(/image: \S+@sha256:[0-9a-f]{64}/, `image: ${stale}`)
    )
    const before = box.read('deploy/web.yaml')
    const line = before.split('\n').findIndex((l) => l.includes(stale)) + 1

    const dry = await box.run(T(5), 'apply-triggers', '--dry-run')
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain(`deploy/web.yaml:${line}: ${stale} → ${reg.host}/acme/web@${current} (web:1.4)`)
    expect(dry.stdout).toContain('dry run: would write deploy/web.yaml')
    expect(box.read('deploy/web.yaml')).toBe(before)

    const json = await box.run(T(5), 'apply-triggers', '--dry-run', '-o', 'json')
    expect(JSON.parse(json.stdout)).toMatchObject({
      dryRun: true,
      written: [],
      edits: [{ file: 'deploy/web.yaml', line, oldValue: stale, newValue: `${reg.host}/acme/web@${current}` }]
    })

    const real = await box.run(T(6), 'apply-triggers')
    expect(real.code).toBe(0)
    expect(box.read('deploy/web.yaml')).toBe(before.replace(stale, `${reg.host}/acme/web@${current}`))
  })

  it('warns about a binding it cannot honour and still exits 0', async () => {
    box.write(
      'deploy/worker.yaml',
      deployment('quay.io/acme/worker:1').replace(
        'name: web\nspec',
        `name: worker\n  annotations:\n    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"worker:1"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"web\\")].image"}]'\nspec`
      )
    )
    const r = await box.run(T(7), 'apply-triggers')
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^deploy\/worker\.yaml:\d+:\d+: .*warning: .*worker:1/m)
    expect(box.read('deploy/worker.yaml')).toContain('image: quay.io/acme/worker:1')
  })

  it('exits 1 after printing an error (a trigger naming no container), and still writes the other manifests', async () => {
    const stale = `${reg.host}/acme/web@sha256:${'1'.repeat(64)}`
    box.write(
      'deploy/web.yaml',
      box.read('deploy/web.yaml').replace(/image: \S+@sha256:[0-9a-f]{64}/, `image: ${stale}`)
    )
    const broken = deployment('quay.io/acme/api:1').replace(
      'name: web\nspec',
      `name: api\n  annotations:\n    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"web:1.4"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"nope\\")].image"}]'\nspec`
    )
    box.write('deploy/api.yaml', broken)
    const r = await box.run(T(8), 'apply-triggers')
    expect(r.stderr).toMatch(/^deploy\/api\.yaml:7:\d+: .*error: .*no such container/m)
    expect(r.code).toBe(1)
    expect(box.read('deploy/api.yaml')).toBe(broken)
    expect(box.read('deploy/web.yaml')).not.toContain(stale)
    rmSync(join(box.root, 'deploy/api.yaml'))
  })

  it('says which glob matched no file, instead of "nothing to change" alone', async () => {
    const r = await box.run(T(9), 'apply-triggers', '--manifests', 'k8s/**/*.yaml')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('nothing to change: no manifest file matches k8s/**/*.yaml')
  })

  it('says that every trigger sat in an OpenShift Template, which oc process fills in first', async () => {
    const template = [
      'apiVersion: template.openshift.io/v1',
      'kind: Template',
      'metadata:',
      '  name: web-template',
      'objects:',
      ...deployment('${IMAGE}')
        .replace(
          'name: web\nspec',
          `name: web\n  annotations:\n    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"web:1.4"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"web\\")].image"}]'\nspec`
        )
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)),
      'parameters:',
      '- name: IMAGE',
      ''
    ].join('\n')
    box.write('templates/web.yaml', template)
    const r = await box.run(T(10), 'apply-triggers', '--manifests', 'templates/*.yaml')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(
      'nothing to change: every image trigger in the 1 manifest file sits in an OpenShift Template (1)'
    )
    expect(r.stderr).toMatch(
      /^templates\/web\.yaml:1:1: .*Template\/web-template: 1 image trigger in its objects is not followed/m
    )
    expect(box.read('templates/web.yaml')).toBe(template)
  })
})
