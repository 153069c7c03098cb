/**
 * Builds and pipelines end to end: a base image pushed to a real registry (loopback docker-registry), the pipeline
 * run over a real git repository, and the dispatches sent to the GitHub API fake (every request and response checked
 * against GitHub's OpenAPI description, @octokit/openapi). A BuildConfig with an ImageChange trigger and
 * dockerStrategy.from `base:latest` records the build in status.imageChangeTriggers, pins the last FROM of its
 * Dockerfile, and makes exactly one workflow_dispatch; a rerun makes none; `paused` makes none. A stream tag with
 * imagestream-action.dev/dispatch-event sends one repository_dispatch per move. The written BuildConfig, stream and
 * Dockerfile stay valid: OpenShift's BuildConfig and ImageStream schemas with unknown fields rejected.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { createGitHubClient, type GitHubClient } from '../../src/delivery/github-client.js'
import { dispatchDelivered, planDispatches, sendDispatches } from '../../src/delivery/dispatch.js'
import { runPipeline } from '../../src/pipeline/run.js'
import { createRegistryClient } from '../../src/registry/client.js'
import { imageStreamSchema } from '../../src/stream/state-schema.js'
import { FakeGitHub } from '../support/github-fake.js'
import { pushIndex, pushImage, startRegistry, type TestRegistry } from '../support/registry.js'

let reg: TestRegistry
let fake: FakeGitHub
let gh: GitHubClient
let root: string
const repo = { owner: 'acme', repo: 'app' }
const silent = { debug: () => {}, info: () => {}, warning: () => {} }

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), text)
}
const read = (path: string) => readFileSync(join(root, path), 'utf8')
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' })

function streamFile(annotations: string): string {
  return [
    'apiVersion: image.openshift.io/v1',
    'kind: ImageStream',
    'metadata:',
    '  name: base',
    'spec:',
    '  lookupPolicy:',
    '    local: false',
    '  tags:',
    '  - name: latest',
    `    annotations: ${annotations}`,
    `    from: {kind: DockerImage, name: "${reg.host}/ubi9/python-311:latest"}`,
    '    importPolicy: {importMode: Legacy, insecure: true, scheduled: true}',
    '    referencePolicy: {type: Source}',
    ''
  ].join('\n')
}

const BC = [
  'apiVersion: build.openshift.io/v1',
  'kind: BuildConfig',
  'metadata:',
  '  name: app',
  '  annotations:',
  '    imagestream-action.dev/dispatch-workflow: build.yml',
  'spec:',
  '  output:',
  '    to:',
  '      kind: ImageStreamTag',
  '      name: app:latest',
  '  source:',
  '    type: Git',
  '    git:',
  '      uri: https://github.com/acme/app.git',
  '    contextDir: app',
  '  strategy:',
  '    type: Docker',
  '    dockerStrategy:',
  '      from:',
  '        kind: ImageStreamTag',
  '        name: base:latest',
  '  triggers:',
  '  - type: ImageChange',
  '    imageChange: {}',
  '  - type: ConfigChange',
  ''
].join('\n')
const UBI = 'registry.access.redhat.com/ubi9/python-311:latest'
const DOCKERFILE = `FROM ${UBI} AS build\nRUN pip wheel .\nFROM ${UBI}\nCOPY --from=build /wheels /wheels\n`

/** OpenShift's schema with unknown fields refused everywhere, as `oc apply --validate=strict` does. */
function strictBuildConfigValidator() {
  const file = new URL('../../schema/openshift-buildconfig.openapi.json', import.meta.url)
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { definitions: Record<string, unknown> }
  const close = (s: unknown): unknown => {
    if (Array.isArray(s)) return s.map(close)
    if (!s || typeof s !== 'object') return s
    const each = (v: object) => Object.fromEntries(Object.entries(v).map(([p, x]) => [p, close(x)]))
    const o = Object.fromEntries(
      Object.entries(s).map(([k, v]) => [k, k === 'properties' ? each(v as object) : close(v)])
    )
    if (o.type === 'object' && o.properties && o.additionalProperties === undefined) o.additionalProperties = false
    return o
  }
  const ajv = new Ajv({ strict: false, allErrors: true })
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/)
  ajv.addFormat('int32', true)
  ajv.addFormat('int64', true)
  ajv.addFormat('byte', true)
  const $ref = '#/definitions/com.github.openshift.api.build.v1.BuildConfig'
  return ajv.compile({ definitions: close(doc.definitions), $ref })
}

async function run(now: string) {
  const client = createRegistryClient({ sleep: async () => {}, maxRetries: 1 })
  try {
    const result = await runPipeline({
      root,
      streamsGlob: 'imagestreams/**/*.yaml',
      intent: { kind: 'all' },
      triggers: true,
      registry: client,
      clock: { now: () => new Date(now) },
      write: true,
      metadata: false
    })
    const planned = planDispatches(result.builds, result.changes, result.streams)
    const dispatched = await sendDispatches(gh, repo, 'main', planned, silent)
    expect(dispatched.errors).toEqual([])
    git('add', '-A')
    git('commit', '-qm', `run ${now}`, '--allow-empty')
    return result
  } finally {
    await client.close()
  }
}

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  fake = await FakeGitHub.start({ token: 't0ken' })
  fake.createRepo('acme', 'app', { 'README.md': 'app\n' })
  gh = createGitHubClient({ token: 't0ken', baseUrl: fake.url, throttle: false, retries: 0 })
  root = mkdtempSync(join(tmpdir(), 'builds-e2e-'))
  git('init', '-q', '-b', 'main')
  git('config', 'user.email', 'test@example.com')
  git('config', 'user.name', 'Test')
})
afterAll(async () => {
  await fake?.close()
  await reg?.stop()
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('BuildConfig → workflow_dispatch, stream tag → repository_dispatch', () => {
  it('one workflow_dispatch per new base digest, none on rerun, none while paused; the files stay valid', async () => {
    write('imagestreams/base.yaml', streamFile('null'))
    write('openshift/bc.yaml', BC)
    write('app/Dockerfile', DOCKERFILE)
    git('add', '-A')
    git('commit', '-qm', 'seed')
    const v1 = await pushIndex(reg, 'ubi9/python-311', 'latest', undefined, { seed: 'v1' })
    const amd64 = v1.children.find((c) => c.platform.architecture === 'amd64')!.digest
    const image = `${reg.host}/ubi9/python-311@${amd64}`

    const first = await run('2026-11-29T10:00:00Z')
    expect(first.builds.map((b) => b.object)).toEqual(['BuildConfig/app'])
    const bc = parse(read('openshift/bc.yaml'))
    const triggered = {
      from: { name: 'base:latest' },
      lastTriggerTime: '2026-11-29T10:00:00Z',
      lastTriggeredImageID: image
    }
    expect(bc.status).toEqual({ imageChangeTriggers: [triggered] })
    // The last FROM gets the index (a multi-platform build needs it); the first stage is not the strategy's.
    const pinned = `FROM ${UBI} AS build\nRUN pip wheel .\nFROM ${reg.host}/ubi9/python-311@${v1.digest}\nCOPY --from=build /wheels /wheels\n`
    expect(read('app/Dockerfile')).toBe(pinned)
    expect(fake.repo('acme', 'app').dispatches).toEqual([
      {
        kind: 'workflow_dispatch',
        workflow: 'build.yml',
        ref: 'main',
        inputs: { stream_tag: 'base:latest', old_digest: '', new_digest: amd64, image, build_config: 'app' }
      }
    ])
    expect(fake.violations).toEqual([])
    const validate = strictBuildConfigValidator()
    expect(validate(bc) ? [] : validate.errors).toEqual([])
    const unknownField = { ...bc.status.imageChangeTriggers[0], lastTriggeredImage: 'x' }
    expect(validate({ ...bc, status: { imageChangeTriggers: [unknownField] } })).toBe(false)
    const streamAjv = new Ajv({ strict: false, allErrors: true }).addFormat('date-time', true)
    const validateStream = streamAjv.compile(imageStreamSchema)
    expect(validateStream(parse(read('imagestreams/base.yaml'))) ? [] : validateStream.errors).toEqual([])

    // Nothing moved: no build, no dispatch.
    const again = await run('2026-11-29T11:00:00Z')
    expect(again.builds).toEqual([])
    expect(again.files).toEqual([])
    expect(fake.repo('acme', 'app').dispatches).toHaveLength(1)

    // Paused: the base moves, the stream records it, the BuildConfig and its Dockerfile are left alone.
    write(
      'openshift/bc.yaml',
      read('openshift/bc.yaml').replace(
        '  annotations:\n',
        '  annotations:\n    openshift.io/build-config.paused: "true"\n'
      )
    )
    git('commit', '-qam', 'pause')
    await pushIndex(reg, 'ubi9/python-311', 'latest', undefined, { seed: 'v2' })
    const paused = await run('2026-11-29T12:00:00Z')
    expect(paused.files.map((f) => f.path)).toEqual(['imagestreams/base.yaml'])
    expect(fake.repo('acme', 'app').dispatches).toHaveLength(1)
  })

  it('a stream tag with dispatch-event sends one repository_dispatch per move, with the digest', async () => {
    rmSync(join(root, 'openshift'), { recursive: true })
    write(
      'imagestreams/base.yaml',
      read('imagestreams/base.yaml').replace(
        'annotations: null',
        'annotations: {imagestream-action.dev/dispatch-event: base-moved}'
      )
    )
    git('add', '-A')
    git('commit', '-qm', 'event')
    const before = fake.repo('acme', 'app').dispatches.length
    const v3 = await pushImage(reg, 'ubi9/python-311', 'latest', { seed: 'v3' })
    const moved = await run('2026-11-29T13:00:00Z')
    const old = moved.changes[0].oldDigest!
    expect(old).toMatch(/^sha256:/) // the tag had an image before: the v2 index's platform image
    await run('2026-11-29T14:00:00Z') // nothing moved
    const sent = fake.repo('acme', 'app').dispatches.slice(before)
    expect(sent).toEqual([
      {
        kind: 'repository_dispatch',
        eventType: 'base-moved',
        clientPayload: {
          stream_tag: 'base:latest',
          old_digest: old,
          new_digest: v3.digest,
          image: `${reg.host}/ubi9/python-311@${v3.digest}`
        }
      }
    ])
    expect(fake.violations).toEqual([])
  })

  it('dispatchDelivered: sends only when the delivery wrote the move; a failed dispatch is reported, not thrown', async () => {
    const build = {
      file: 'bc.yaml',
      object: 'BuildConfig/app',
      from: 'base:latest',
      oldImage: '',
      newImage: 'r/base@sha256:' + 'a'.repeat(64),
      workflow: 'build.yml'
    }
    const before = fake.repo('acme', 'app').dispatches.length
    const run = { builds: [build], changes: [], streams: [] }
    expect(await dispatchDelivered(gh, repo, 'main', run, [{ operation: 'none' }], silent)).toEqual({
      sent: [],
      errors: []
    })
    expect(fake.repo('acme', 'app').dispatches.length).toBe(before)
    const sent = await dispatchDelivered(
      gh,
      repo,
      'main',
      run,
      [{ operation: 'none' }, { operation: 'updated' }],
      silent
    )
    expect(sent.sent).toEqual(['workflow_dispatch build.yml on main'])
    expect(fake.repo('acme', 'app').dispatches.length).toBe(before + 1)
    // repository_dispatch to a repository the token cannot see: GitHub's documented 404, reported per dispatch.
    const eventRun = { builds: [{ ...build, workflow: undefined, event: 'base-moved' }], changes: [], streams: [] }
    const failed = await dispatchDelivered(
      gh,
      { owner: 'acme', repo: 'gone' },
      'main',
      eventRun,
      [{ operation: 'created' }],
      silent
    )
    expect(failed.sent).toEqual([])
    expect(failed.errors.join('\n')).toContain('HTTP 404')
    expect(fake.violations).toEqual([])
  })
})
