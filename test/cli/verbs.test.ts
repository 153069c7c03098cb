/**
 * Each verb on its own, no registry: outputs of get/describe/history against a fixed clock (golden), the files
 * create/tag/set triggers write, and the usage errors (exit 2, a message that says what to do).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { cliClock } from '../../src/cli/shared/common.js'
import { history, sandbox, type Sandbox } from './helpers.js'

const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`
const NOW = '2024-05-02T12:15:03Z'

const WEB = `apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: web
  namespace: shop
  generation: 7
spec:
  lookupPolicy:
    local: false
  tags:
  - name: "1.4"
    annotations: null
    from: {kind: DockerImage, name: quay.io/acme/web:1.4}
    generation: 7
    importPolicy: {scheduled: true, importMode: Legacy}
    referencePolicy: {type: Source}
  - name: prod
    annotations: null
    from: {kind: ImageStreamTag, name: "web:1.4"}
    generation: 3
    importPolicy: {importMode: Legacy}
    referencePolicy: {type: Source}
status:
  dockerImageRepository: image-registry.openshift-image-registry.svc:5000/shop/web
  tags:
  - tag: "1.4"
    items:
    - {created: "2024-05-02T09:15:03Z", dockerImageReference: "quay.io/acme/web@${B}", image: "${B}", generation: 7}
    - {created: "2024-04-20T11:00:41Z", dockerImageReference: "quay.io/acme/web@${A}", image: "${A}", generation: 3}
  - tag: prod
    items:
    - {created: "2024-05-02T09:15:03Z", dockerImageReference: "quay.io/acme/web@${B}", image: "${B}", generation: 7}
    - {created: "2024-04-20T11:00:41Z", dockerImageReference: "quay.io/acme/web@${A}", image: "${A}", generation: 3}
`

let box: Sandbox
beforeEach(() => {
  box = sandbox()
  box.write('imagestreams/web.yaml', WEB)
})
afterEach(() => box.cleanup())

describe('get', () => {
  it('get is lists streams by namespace, then name, as the API returns them, whatever the file order', async () => {
    const bare = (name: string, namespace: string) =>
      `apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec: {}\n`
    box.write('imagestreams/a.yaml', bare('zeta', 'shop'))
    box.write('imagestreams/b.yaml', bare('alpha', 'shop'))
    box.write('imagestreams/c.yaml', bare('alpha', 'ops'))
    const r = await box.run(NOW, 'get', 'is', '--no-headers')
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n').map((line) => line.split(/\s+/).slice(0, 2).join('/'))).toEqual([
      'ops/alpha',
      'shop/alpha',
      'shop/web',
      'shop/zeta',
      ''
    ])
  })

  it("get is prints oc's columns", async () => {
    const r = await box.run(NOW, 'get', 'is')
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'NAMESPACE   NAME   IMAGE REPOSITORY                                            TAGS       UPDATED\n' +
        'shop        web    image-registry.openshift-image-registry.svc:5000/shop/web   1.4,prod   3 hours ago\n'
    })
  })

  it("get istag prints each tag's image under its reference policy", async () => {
    const r = await box.run(NOW, 'get', 'istag')
    expect(r.stdout).toBe(
      'NAME       IMAGE REFERENCE                                                                            UPDATED\n' +
        `web:1.4    quay.io/acme/web@${B}   3 hours ago\n` +
        `web:prod   quay.io/acme/web@${B}   3 hours ago\n`
    )
  })

  it('-o yaml prints the stream itself; a list is a v1 List', async () => {
    const one = parse((await box.run(NOW, 'get', 'is', 'shop/web', '-o', 'yaml')).stdout)
    expect(one).toEqual(parse(WEB))
    const list = JSON.parse((await box.run(NOW, 'get', 'imagestreams', '-o', 'json')).stdout)
    expect(list).toMatchObject({ kind: 'List', items: [{ metadata: { name: 'web', namespace: 'shop' } }] })
  })

  it('get istag NAME:TAG -o json is the ImageStreamTag', async () => {
    const r = await box.run(NOW, 'get', 'istag', 'web:1.4', '-o', 'json')
    expect(JSON.parse(r.stdout)).toMatchObject({
      kind: 'ImageStreamTag',
      metadata: { name: 'web:1.4', namespace: 'shop' },
      generation: 7,
      image: { metadata: { name: B }, dockerImageReference: `quay.io/acme/web@${B}` }
    })
  })

  it("an unknown name is oc's NotFound (exit 1); an unknown type is a usage error (exit 2)", async () => {
    expect(await box.run(NOW, 'get', 'is', 'nope')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): imagestreams.image.openshift.io "nope" not found\n'
    })
    expect(await box.run(NOW, 'get', 'istag', 'web:9')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): imagestreamtags.image.openshift.io "web:9" not found\n'
    })
    const r = await box.run(NOW, 'get', 'pods')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('"pods"; use is or istag')
  })
})

describe('describe', () => {
  it('prints oc describe is, tab-padded as tabbedString does, aliases grouped, ages from the fixed clock', async () => {
    const r = await box.run(NOW, 'describe', 'is', 'web')
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(
      [
        'Name:\t\t\tweb',
        'Namespace:\t\tshop',
        'Labels:\t\t\t<none>',
        'Annotations:\t\t<none>',
        'Image Repository:\timage-registry.openshift-image-registry.svc:5000/shop/web',
        'Image Lookup:\t\tlocal=false',
        'Unique Images:\t\t2',
        'Tags:\t\t\t2',
        '',
        '1.4 (prod)',
        '  updates automatically from registry quay.io/acme/web:1.4',
        '',
        `  * quay.io/acme/web@${B}`,
        '      3 hours ago',
        `    quay.io/acme/web@${A}`,
        '      12 days ago',
        ''
      ].join('\n')
    )
  })

  it("a stream that is not there is oc's NotFound: exit 1, not a usage error (DescribeImageStream's Get error)", async () => {
    expect(await box.run(NOW, 'describe', 'is', 'nope')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): imagestreams.image.openshift.io "nope" not found\n'
    })
    expect(await box.run(NOW, 'describe', 'other/web')).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): imagestreams.image.openshift.io "other/web" not found\n'
    })
    // A name that is no stream name at all is still a usage error.
    expect((await box.run(NOW, 'describe', 'web:1.4')).code).toBe(2)
  })
})

describe('history', () => {
  it('lists items newest first with the current one marked', async () => {
    const r = await box.run(NOW, 'history', 'web:1.4')
    expect(r.stdout).toBe(
      'shop/web:1.4 from DockerImage quay.io/acme/web:1.4\n\n' +
        'CURRENT   GENERATION   IMAGE                                                                     CREATED                AGE   REFERENCE\n' +
        `*         7            ${B}   2024-05-02T09:15:03Z   3h    quay.io/acme/web@${B}\n` +
        `          3            ${A}   2024-04-20T11:00:41Z   12d   quay.io/acme/web@${A}\n`
    )
  })

  it('needs NAME:TAG', async () => {
    const r = await box.run(NOW, 'history', 'web')
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('error: NAME:TAG: "web" names no tag; use [namespace/]name:tag\n')
  })
})

describe('rollback and resume', () => {
  it('rollback holds the tag at an older item; resume makes it pending again', async () => {
    let r = await box.run(NOW, 'rollback', 'shop/web:1.4', '--to', A.slice(0, 15))
    expect(r.code).toBe(0)
    let stream = box.stream()
    expect(history(stream, '1.4')[0]).toEqual([7, A])
    expect(JSON.parse(stream.metadata.annotations!['imagestream-action.dev/holds']!)).toEqual({
      '1.4': { digest: A, since: NOW }
    })

    r = await box.run(NOW, 'describe', 'web')
    expect(r.stdout).toContain(`  held at ${A} since ${NOW}\n`)

    r = await box.run(NOW, 'resume', 'web:1.4')
    expect(r.code).toBe(0)
    stream = box.stream()
    expect(stream.metadata.annotations?.['imagestream-action.dev/holds']).toBeUndefined()
    // The tag is pending: its generation is the stream's new one.
    expect(stream.spec.tags?.[0]?.generation).toBe(stream.metadata.generation)
  })

  it('usage errors exit 2', async () => {
    expect((await box.run(NOW, 'rollback', 'web:1.4')).stderr).toBe(
      'error: give exactly one of --to-generation N or --to DIGEST\n'
    )
    expect((await box.run(NOW, 'rollback', 'web:1.4', '--to-generation', 'x')).code).toBe(2)
    const none = await box.run(NOW, 'rollback', 'web:1.4', '--to-generation', '5')
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('has no history item of generation 5')
    expect((await box.run(NOW, 'resume', 'web:1.4')).stderr).toContain('tag "1.4" is not held')
  })
})

describe('create', () => {
  it('writes a new stream file, refuses an existing one', async () => {
    let r = await box.run(NOW, 'create', 'api')
    expect(r).toMatchObject({ code: 0, stdout: 'imagestream.image.openshift.io/api created (imagestreams/api.yaml)\n' })
    const text = box.read('imagestreams/api.yaml')
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=/)
    expect(parse(text)).toMatchObject({
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStream',
      metadata: { name: 'api', generation: 1 }
    })

    r = await box.run(NOW, 'create', 'api')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('"api" already exists in imagestreams/api.yaml')

    r = await box.run(NOW, 'create', 'Not_A_Name')
    expect(r.code).toBe(2)
  })
})

describe('tag', () => {
  it('creates the stream file of a new DEST and leaves the tag pending', async () => {
    const r = await box.run(NOW, 'tag', 'quay.io/acme/api:2', 'api:2', 'api:stable', '--reference-policy', 'local')
    expect(r.stdout).toBe(
      'Tag api:2 set to quay.io/acme/api:2.\nTag api:stable set to quay.io/acme/api:2.\nCreated imagestreams/api.yaml for the new image stream.\n'
    )
    const stream = box.stream('imagestreams/api.yaml')
    expect(stream.spec.tags?.map((t) => [t.name, t.from, t.referencePolicy?.type])).toEqual([
      ['2', { kind: 'DockerImage', name: 'quay.io/acme/api:2' }, 'Local'],
      ['stable', { kind: 'DockerImage', name: 'quay.io/acme/api:2' }, 'Local']
    ])
    expect(stream.status?.tags ?? []).toEqual([])
    expect((await box.run(NOW, 'describe', 'api')).stdout).toContain('~ importing latest image ...')
  })

  it('a snapshot of another tag, and -d deletes spec and history', async () => {
    let r = await box.run(NOW, 'tag', 'web:1.4', 'shop/web:snap')
    expect(r.stdout).toBe(`Tag web:snap set to web@${B}.\n`)
    expect(history(box.stream(), 'snap')[0]?.[1]).toBe(B)

    r = await box.run(NOW, 'tag', '-d', 'web:snap')
    expect(r).toMatchObject({ code: 0, stdout: 'Deleted tag shop/web:snap.\n' })
    expect(box.stream().spec.tags?.map((t) => t.name)).toEqual(['1.4', 'prod'])
    expect(box.stream().status?.tags?.map((t) => t.tag)).toEqual(['1.4', 'prod'])
  })

  it("resolveImageID: an image SOURCE the stream does not hold is the SOURCE's error; one in the file has its line", async () => {
    const before = box.read('imagestreams/web.yaml')
    const C = `sha256:${'c'.repeat(64)}`
    const r = await box.run(NOW, 'tag', `web@${C}`, 'web:x')
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`error: SOURCE: imagestreamimages.image.openshift.io "${C}" not found\n`)
    expect(box.read('imagestreams/web.yaml')).toBe(before)

    // Written into the file by hand, the same error points at the line of from.name.
    // (The DockerImage source points at a closed loopback port: nothing here may reach outside the machine.)
    const edited = before
      .replace('name: quay.io/acme/web:1.4}', 'name: 127.0.0.1:9/acme/web:1.4}')
      .replace(
        '  - name: prod\n',
        `  - name: snap\n    from: {kind: ImageStreamImage, name: "web@${C}"}\n  - name: prod\n`
      )
    box.write('imagestreams/web.yaml', edited)
    const line = edited.split('\n').findIndex((l) => l.includes(`web@${C}`)) + 1
    const imported = await box.run(NOW, 'import')
    expect(imported.stderr).toContain(`imagestreams/web.yaml:${line}:`)
    expect(imported.stderr).toContain('spec.tags[1].from.name')
    expect(imported.stderr).toContain(`imagestreamimages.image.openshift.io "${C}" not found`)
    expect(box.read('imagestreams/web.yaml')).toBe(edited)
  })

  it('usage errors exit 2 and write nothing', async () => {
    const cases: Array<[string[], string]> = [
      [['tag', 'quay.io/x/y:1'], 'you must specify a source and at least one destination'],
      [['tag', 'quay.io/x/y:1', 'web'], '"web" must be of the form <stream_name>:<tag>'],
      [['tag', 'web:1.4', 'other:x', '--alias'], 'cannot set alias across different Image Streams'],
      [['tag', 'web:1.4', 'web:x', '--scheduled'], 'only container images can have importing flags set'],
      [['tag', 'quay.io/x/y:1', 'web:x', '--source', 'git'], 'invalid source "git"'],
      [['tag', '-d', 'web:nope'], 'imagestreamtags.image.openshift.io "web:nope" not found'],
      [['tag', 'quay.io/x/y:1', 'web:x', '--import-mode', 'Fast'], "argument 'Fast' is invalid"]
    ]
    for (const [argv, message] of cases) {
      const r = await box.run(NOW, ...argv)
      expect({ argv, code: r.code, message: r.stderr.includes(message) ? message : r.stderr }).toEqual({
        argv,
        code: 2,
        message
      })
    }
    expect(box.read('imagestreams/web.yaml')).toBe(WEB)
    expect(existsSync(join(box.root, 'imagestreams/other.yaml'))).toBe(false)
  })
})

describe('set triggers', () => {
  const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        image: quay.io/acme/web:1.4
`
  it("adds oc's annotation, then --remove takes it out again", async () => {
    box.write('k8s/web.yaml', DEPLOY)
    let r = await box.run(
      NOW,
      'set',
      'triggers',
      'deployment/web',
      '-f',
      'k8s/web.yaml',
      '--from-image',
      'web:1.4',
      '-c',
      'web',
      '--manual'
    )
    expect(r).toMatchObject({ code: 0, stdout: 'deployment/web triggers updated (k8s/web.yaml)\n' })
    const annotation = parse(box.read('k8s/web.yaml')).metadata.annotations['image.openshift.io/triggers']
    expect(annotation).toBe(
      '[{"from":{"kind":"ImageStreamTag","name":"web:1.4"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"web\\")].image","paused":true}]'
    )
    r = await box.run(
      NOW,
      'set',
      'triggers',
      'deployment/web',
      '-f',
      'k8s/web.yaml',
      '--from-image',
      'web:1.4',
      '--remove'
    )
    expect(r.code).toBe(0)
    // oc marshals the emptied list (Go: a nil slice, `null`); either way no trigger is left.
    const left = parse(box.read('k8s/web.yaml')).metadata.annotations?.['image.openshift.io/triggers']
    expect(JSON.parse(left ?? '[]') ?? []).toEqual([])
  })

  it('usage errors exit 2 with the file named', async () => {
    box.write('k8s/web.yaml', DEPLOY)
    const cases: Array<[string[], string]> = [
      [
        ['set', 'triggers', 'web', '-f', 'k8s/web.yaml', '--from-image', 'web:1.4', '-c', 'web'],
        '"web" must be KIND/NAME'
      ],
      [
        ['set', 'triggers', 'deploy/web', '--from-image', 'web:1.4', '-c', 'web'],
        "required option '-f, --filename <file>' not specified"
      ],
      [
        ['set', 'triggers', 'deploy/web', '-f', 'k8s/nope.yaml', '--from-image', 'web:1.4', '-c', 'web'],
        'cannot read k8s/nope.yaml: ENOENT'
      ],
      [
        ['set', 'triggers', 'deploy/api', '-f', 'k8s/web.yaml', '--from-image', 'web:1.4', '-c', 'web'],
        'k8s/web.yaml: no Deployment named "api"'
      ],
      [
        ['set', 'triggers', 'deploy/web', '-f', 'k8s/web.yaml', '--from-image', 'web', '-c', 'web'],
        'must include the tag'
      ],
      [
        ['set', 'triggers', 'deploy/web', '-f', 'k8s/web.yaml', '--from-image', 'web:1.4'],
        'you must specify --containers'
      ]
    ]
    for (const [argv, message] of cases) {
      const r = await box.run(NOW, ...argv)
      expect({ argv, code: r.code, message: r.stderr.includes(message) ? message : r.stderr }).toEqual({
        argv,
        code: 2,
        message
      })
    }
    expect(box.read('k8s/web.yaml')).toBe(DEPLOY)
  })
})

describe('bad input', () => {
  it('a broken state file is reported with file:line:column and the others still work', async () => {
    box.write(
      'imagestreams/bad.yaml',
      'apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: bad\nspec:\n  tags:\n  - name: x\n    from: {kind: Nonsense, name: y}\n'
    )
    const r = await box.run(NOW, 'get', 'is')
    // oc get prints what it could read and exits 1 for what it could not.
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^imagestreams\/bad\.yaml:8:\d+: spec\.tags\[0\]\.from\.kind: error: /m)
    expect(r.stdout).toContain('web')
    // describe of the readable stream still succeeds; of the broken one, it is NotFound.
    expect((await box.run(NOW, 'describe', 'web')).code).toBe(0)
    expect(await box.run(NOW, 'describe', 'bad')).toMatchObject({ code: 1, stdout: '' })
  })

  it('import exits 2 when a state file is broken', async () => {
    box.write('imagestreams/bad.yaml', 'kind: [\n')
    // Nothing due in the good stream: this test never reaches a registry.
    box.write(
      'imagestreams/web.yaml',
      'apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: web\nspec: {}\n'
    )
    const r = await box.run(NOW, 'import')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^imagestreams\/bad\.yaml:\d+:\d+: kind: error: YAML/m)
  })

  it('IMAGESTREAM_NOW must be RFC 3339', async () => {
    const r = await box.run('yesterday', 'describe', 'web')
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('error: IMAGESTREAM_NOW: "yesterday" is not an RFC 3339 time such as 2024-05-02T09:15:03Z\n')
    expect(cliClock({ IMAGESTREAM_NOW: '2024-05-02T09:15:03+02:00' }).now().toISOString()).toBe(
      '2024-05-02T07:15:03.000Z'
    )
  })

  it('-C must exist; unknown options and verbs exit 2', async () => {
    expect((await box.run(NOW, 'get', 'is', '--bogus')).code).toBe(2)
    expect((await box.run(NOW, 'frobnicate')).code).toBe(2)
    expect((await box.run(NOW, '-C', join(box.root, 'missing'), 'get', 'is')).stderr).toContain('does not exist')
  })

  it('sync --commit outside a git repository exits 2 and changes nothing', async () => {
    box.write(
      'imagestreams/web.yaml',
      'apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: web\nspec: {}\n'
    )
    const r = await box.run(NOW, 'sync', '--commit')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--commit needs a git repository')
  })

  it('registry flags are validated before anything runs', async () => {
    for (const argv of [
      ['import', '--history-limit', '0'],
      ['import', '--concurrency', 'many'],
      ['import', '--platform', 'linux'],
      ['sync', '--message', 'bump {tga}']
    ]) {
      const r = await box.run(NOW, ...argv)
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 })
    }
    expect(box.read('imagestreams/web.yaml')).toBe(WEB)
  })
})
