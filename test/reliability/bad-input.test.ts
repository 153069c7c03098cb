/**
 * Bad input: a table-driven corpus of malformed and hostile inputs — state files, manifests, image references,
 * event payloads and action inputs. Each must be refused with a message that says where (file:line[:column], or the
 * field / input name), a non-zero exit where it is fatal (the CLI's exit 2 for a state file or a usage error), and
 * nothing written: the tree's hash is the same before and after. The CLI runs in-process (runCli with the real verb
 * registrars), its stdout and stderr captured.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { importIntentFor } from '../../src/action/events.js'
import { readSettings, type Settings } from '../../src/action/settings.js'
import { InputError } from '../../src/util/errors.js'
import { bomb, cli, D1, D2, repo, roots, STATE, tag, withTags } from '../support/reliability-corpus.js'
import { removeRepo, treeHash } from '../support/reliability-repo.js'

let home: string
const savedEnv = { ...process.env }
let tried = 0

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'imagestream-badinput-home-'))
  // The CLI reads $DOCKER_CONFIG and the clock from the environment: keep both hermetic.
  process.env.DOCKER_CONFIG = home
  process.env.IMAGESTREAM_NOW = '2026-05-01T12:00:00Z'
  delete process.env.GITHUB_TOKEN
})
afterAll(() => {
  process.env = savedEnv
  for (const r of [...roots, home]) removeRepo(r)
  process.stdout.write(`reliability bad-input: ${tried} bad inputs tried, all refused cleanly\n`)
})

describe('state files: exit 2, located message, nothing written', () => {
  it.each(STATE)('%s', async (_name, text, where) => {
    tried++
    const root = repo({
      'imagestreams/web.yaml': text,
      'deploy/plain.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n'
    })
    const before = treeHash(root)
    const { code, err } = await cli(['-C', root, 'sync', '--all'])
    expect({ code, err: err.slice(0, 2000) }).toEqual({ code: 2, err: expect.stringMatching(where ?? /web\.yaml/) })
    expect(err).not.toMatch(/at .*\.ts:\d+|TypeError|RangeError|internal error/)
    expect(treeHash(root)).toBe(before)
  })
})

// ── Manifests: the binding is refused with file:line; the manifest (and everything else) stays as it was.
const STREAM_WITH_HISTORY = `${withTags(tag('1', '127.0.0.1:9/acme/web:1'))}status:\n  dockerImageRepository: ""\n  tags:\n  - tag: "1"\n    items:\n    - created: "2024-01-01T00:00:00Z"\n      dockerImageReference: 127.0.0.1:9/acme/web@${D2}\n      image: ${D2}\n      generation: 1\n`
const deployment = (annotation: string, image = `127.0.0.1:9/acme/web@${D1}`, extra = ''): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    image.openshift.io/triggers: '${annotation}'\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: ${image}\n${extra}`
const trig = (name: string, fieldPath: string, kind = 'ImageStreamTag'): string =>
  JSON.stringify({ from: { kind, name }, fieldPath })
const FIELD = 'spec.template.spec.containers[?(@.name=="web")].image'
const MANIFESTS: Array<[string, string]> = [
  ['annotation is not JSON', deployment('[{"from": ')],
  ['annotation is an object, not a list', deployment(trig('web:1', FIELD))],
  [
    'trigger without from.name',
    deployment(`[{"from":{"kind":"ImageStreamTag"},"fieldPath":${JSON.stringify(FIELD)}}]`)
  ],
  ['trigger from a DockerImage', deployment(`[${trig('127.0.0.1:9/acme/web:1', FIELD, 'DockerImage')}]`)],
  ['fieldPath that does not parse', deployment(`[${trig('web:1', 'spec.template.spec.containers[?(@.name==')}]`)],
  [
    'fieldPath to a container that does not exist',
    deployment(`[${trig('web:1', 'spec.template.spec.containers[?(@.name=="nope")].image')}]`)
  ],
  ['fieldPath to a field that is not an image', deployment(`[${trig('web:1', 'metadata.name')}]`)],
  ['duplicate triggers for one field', deployment(`[${trig('web:1', FIELD)},${trig('web:1', FIELD)}]`)],
  ['two triggers, two streams, one field', deployment(`[${trig('web:1', FIELD)},${trig('other:1', FIELD)}]`)],
  ['trigger from a stream that does not exist', deployment(`[${trig('nope:1', FIELD)}]`)],
  ['trigger name with an injected newline', deployment(`[${trig('web:1\\nrm -rf /', FIELD)}]`)],
  ['YAML syntax error in a manifest', `${deployment(`[${trig('web:1', FIELD)}]`)}  broken: [\n`]
]

describe('manifests: located diagnostic, manifest unchanged', () => {
  it.each(MANIFESTS)('%s', async (_name, text) => {
    tried++
    const root = repo({ 'imagestreams/web.yaml': STREAM_WITH_HISTORY, 'deploy/web.yaml': text })
    const before = treeHash(root)
    const { err } = await cli(['-C', root, 'apply-triggers'])
    expect(err).toMatch(/deploy\/web\.yaml:\d+/)
    expect(err).not.toMatch(/at .*\.ts:\d+|TypeError|RangeError|internal error/)
    expect(treeHash(root)).toBe(before)
  })

  it('a YAML alias bomb in a manifest is never expanded: the binding is rewritten, the bomb kept byte for byte', async () => {
    const text = `${deployment(`[${trig('web:1', FIELD)}]`)}bomb:\n${bomb(9)}`
    const root = repo({ 'imagestreams/web.yaml': STREAM_WITH_HISTORY, 'deploy/web.yaml': text })
    const { code } = await cli(['-C', root, 'apply-triggers'])
    expect(code).toBe(0)
    expect(readFileSync(join(root, 'deploy/web.yaml'), 'utf8')).toBe(text.replace(D1, D2))
  })
})

// ── References on the command line: exit 2, the message names REF, no registry is contacted.
const REFERENCES: string[] = [
  '',
  `quay.io/acme/${'a'.repeat(256)}:1`,
  'quay.io/ACME/web:1',
  'quay.io/acme/web@sha256:123',
  'quay.io/acme/web@md5:d41d8cd98f00b204e9800998ecf8427e',
  'quay.io/acme/web:1\nrm -rf /',
  'quay.io/acme/web:1;id',
  'quay.io/acme/web:$(id)',
  'quay.io/acme/web:`id`',
  'quay.io/acme/../../etc/passwd',
  'quay.io/acme/web:tag with spaces',
  `quay.io/acme/web:${'t'.repeat(129)}`,
  'http://quay.io/acme/web:1',
  'quay.io/acme/web:1@@sha256:' + 'a'.repeat(64),
  'quay.io/acme/wéb:1'
]

describe('references: exit 2 naming REF', () => {
  it.each(REFERENCES.map((r) => [JSON.stringify(r).slice(0, 60), r]))('%s', async (_label, ref) => {
    tried++
    const { code, err } = await cli(['resolve', ref])
    expect({ code, err }).toEqual({ code: 2, err: expect.stringMatching(/REF/) })
    expect(err).not.toMatch(/at .*\.ts:\d+|TypeError/)
  })
})

// ── Event payloads: an InputError naming the payload field.
// The inputs every run needs; each case changes one.
const BASE: Record<string, string> = { 'github-token': 'ghs_test_token_for_validation_only' }
const settings = (over: Partial<Settings> = {}): Settings => ({ ...readSettings((n) => BASE[n] ?? ''), ...over })
const pkg = (version: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  action: 'published',
  registry_package: { package_type: 'CONTAINER', name: 'web', namespace: 'acme', package_version: version, ...extra }
})
const EVENTS: Array<[string, string, unknown, RegExp]> = [
  ['payload is null', 'registry_package', null, /payload/],
  ['registry_package missing', 'registry_package', { action: 'published' }, /registry_package/],
  ['package_version is a string', 'registry_package', pkg('v1' as never), /package_version/],
  ['tag name is a number', 'registry_package', pkg({ container_metadata: { tag: { name: 7 } } }), /tag\.name/],
  [
    'tag name with a newline',
    'registry_package',
    pkg({ container_metadata: { tag: { name: 'v1\nrm' } } }),
    /tag\.name/
  ],
  [
    'tag name with shell characters',
    'registry_package',
    pkg({ container_metadata: { tag: { name: 'v1;id' } } }),
    /tag\.name/
  ],
  [
    'digest malformed',
    'registry_package',
    pkg({ container_metadata: { tag: { name: 'v1', digest: 'sha256:nope' } } }),
    /tag\.digest/
  ],
  [
    'package_url oversize',
    'registry_package',
    pkg({ package_url: `ghcr.io/${'a'.repeat(5000)}`, container_metadata: { tag: { name: 'v1' } } }),
    /package_url/
  ],
  [
    'package_url not a repository',
    'registry_package',
    pkg({ package_url: 'ghcr.io/acme/$(id)', container_metadata: { tag: { name: 'v1' } } }),
    /package_url/
  ],
  ['client_payload is a list', 'repository_dispatch', { client_payload: [1] }, /client_payload/],
  [
    'client_payload.image with spaces',
    'repository_dispatch',
    { client_payload: { image: 'a b' } },
    /client_payload\.image/
  ],
  [
    'client_payload.image oversize',
    'repository_dispatch',
    { client_payload: { image: 'x'.repeat(600) } },
    /client_payload\.image/
  ],
  [
    'client_payload.images holds a number',
    'repository_dispatch',
    { client_payload: { images: ['web:1', 2] } },
    /client_payload\.images\[1\]/
  ],
  [
    'client_payload.digest malformed',
    'repository_dispatch',
    { client_payload: { image: 'ghcr.io/a/b:1', digest: 'sha1:abc' } },
    /client_payload\.digest/
  ]
]

describe('event payloads: InputError naming the field', () => {
  it.each(EVENTS)('%s', (_name, event, payload, field) => {
    tried++
    let thrown: unknown
    try {
      importIntentFor(event, payload, settings())
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(InputError)
    expect((thrown as InputError).message).toMatch(field)
  })
})

// ── Action inputs: an InputError naming the input.
const INPUTS: Array<[string, Record<string, string>, string]> = [
  ['command unknown', { command: 'deploy' }, 'command'],
  ['history-limit not a number', { 'history-limit': 'ten' }, 'history-limit'],
  ['history-limit zero', { 'history-limit': '0' }, 'history-limit'],
  ['concurrency too high', { concurrency: '100000' }, 'concurrency'],
  ['platform without an architecture', { platform: 'linux' }, 'platform'],
  ['manifests glob leaving the root', { manifests: '../../etc/*.yaml' }, 'manifests'],
  ['streams glob absolute', { streams: '/etc/**/*.yaml' }, 'streams'],
  ['digest without image', { digest: D1 }, 'digest'],
  ['digest malformed', { image: 'ghcr.io/a/b:1', digest: 'sha256:12' }, 'digest'],
  ['image with a newline', { image: 'ghcr.io/a/b:1\nid' }, 'image'],
  ['images line not stream:tag', { images: 'Web:1' }, 'images'],
  ['reviewers with a space', { reviewers: 'octo cat' }, 'reviewers'],
  ['branch-prefix with ..', { 'branch-prefix': 'a/../b' }, 'branch-prefix'],
  ['allowed-registries with a scheme', { 'allowed-registries': 'https://ghcr.io' }, 'allowed-registries'],
  ['draft not a boolean', { draft: 'maybe' }, 'draft'],
  ['tag command without args', { command: 'tag' }, 'args']
]

describe('action inputs: InputError naming the input', () => {
  it.each(INPUTS)('%s', (_name, inputs, input) => {
    tried++
    let thrown: unknown
    try {
      readSettings((name) => inputs[name] ?? BASE[name] ?? '')
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(InputError)
    expect((thrown as InputError).message).toContain(`input ${input}`)
  })
})

it('the corpus is at least 50 cases', () => {
  expect(STATE.length + MANIFESTS.length + REFERENCES.length + EVENTS.length + INPUTS.length).toBeGreaterThanOrEqual(50)
})
