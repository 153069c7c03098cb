/**
 * Issue "Policies", "Action": the pull request body and the job summary show every policy decision of a run under
 * pull-request delivery — the winner, what waits for its soak and until when, drift with the old and new digest and
 * the image's created time, and an index that lacks a required platform. The action's run() in process (fixed clock),
 * a real git repository in the fake GitHub API, the real loopback registry.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { rmSync } from 'node:fs'
import { runActionInProcess, type InProcessRun } from '../support/action-in-process.js'
import { FakeGitHub } from '../support/github-fake.js'
import { pushImage, pushIndex, startRegistry, type TestRegistry } from '../support/registry.js'
import { gitRepo } from './fixtures.js'

const TOKEN = 'ghs_SENTINELreportTOKEN0123456789abcdef01'
const OWNER = 'acme'
const REPO = 'policy-report'
const NOW = '2026-03-01T10:00:00Z'
const DRIFT_CREATED = '2026-02-28T23:00:00Z'

let reg: TestRegistry
let fake: FakeGitHub
let dir: string
let run: InProcessRun
const d: Record<string, string> = {}

/** One spec tag following `repo:tag` with these policy annotations, and (when given) the digest on record. */
function tag(name: string, repo: string, from: string, annotations: Record<string, string>) {
  return { name, from: `${reg.host}/${repo}:${from}`, annotations }
}

function streamFile(tags: ReturnType<typeof tag>[], recorded: Record<string, string>): string {
  const spec = tags.flatMap((t) => [
    `  - name: ${t.name}`,
    '    annotations:',
    ...Object.entries(t.annotations).map(([k, v]) => `      imagestream-action.dev/${k}: "${v}"`),
    '    from:',
    '      kind: DockerImage',
    `      name: ${t.from}`,
    '    generation: 1',
    '    importPolicy:',
    '      scheduled: true',
    '    referencePolicy:',
    '      type: Source'
  ])
  const status = Object.entries(recorded).flatMap(([name, digest]) => {
    const repo = tags.find((t) => t.name === name)!.from.replace(/:[^:/]+$/, '')
    return [
      `  - tag: ${name}`,
      '    items:',
      '    - created: "2026-03-01T00:00:00Z"',
      `      dockerImageReference: ${repo}@${digest}`,
      `      image: ${digest}`,
      '      generation: 1'
    ]
  })
  const head = ['apiVersion: image.openshift.io/v1', 'kind: ImageStream', 'metadata:', '  name: app']
  const rest = ['  generation: 1', 'spec:', '  lookupPolicy:', '    local: false', '  tags:']
  return [...head, ...rest, ...spec, 'status:', '  dockerImageRepository: ""', '  tags:', ...status, ''].join('\n')
}

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  fake = await FakeGitHub.start({ token: TOKEN })
  // stable: semver ^1 from 1.0.0, 1.1.0 is out → moved. soak: the same with min-age 2h → waiting.
  d.stableOld = (await pushImage(reg, 'acme/stable', '1.0.0', { seed: 'stable-a' })).digest
  d.stableNew = (await pushImage(reg, 'acme/stable', '1.1.0', { seed: 'stable-b' })).digest
  d.soakOld = (await pushImage(reg, 'acme/soak', '1.0.0', { seed: 'soak-a' })).digest
  d.soakNew = (await pushImage(reg, 'acme/soak', '1.1.0', { seed: 'soak-b' })).digest
  // pinned: immutable 1.4.2, re-pushed with other content → drift.
  d.pinnedOld = (await pushImage(reg, 'acme/pinned', '1.4.2', { seed: 'pinned-a' })).digest
  d.pinnedNew = (await pushImage(reg, 'acme/pinned', '1.4.2', { seed: 'pinned-b', created: DRIFT_CREATED })).digest
  // multi: an index with linux/amd64 only, under require-platforms linux/amd64,linux/arm64 → not pinned yet.
  // The decision names the digest the import would record: under the default Legacy import mode, the linux/amd64
  // image of the index (OpenShift's importer picks the one platform image), not the index itself.
  const multi = await pushIndex(reg, 'acme/multi', 'latest', [{ os: 'linux', architecture: 'amd64' }])
  d.multi = multi.children[0]!.digest
  const stream = streamFile(
    [
      tag('stable', 'acme/stable', '1.0.0', { policy: 'semver:^1' }),
      tag('soak', 'acme/soak', '1.0.0', { policy: 'semver:^1', 'min-age': '2h' }),
      tag('pinned', 'acme/pinned', '1.4.2', { immutable: 'true' }),
      tag('multi', 'acme/multi', 'latest', { 'require-platforms': 'linux/amd64,linux/arm64' })
    ],
    { stable: d.stableOld, soak: d.soakOld, pinned: d.pinnedOld }
  )
  dir = gitRepo({ 'imagestreams/app.yaml': stream })
  fake.importRepo(OWNER, REPO, dir)
  run = await runActionInProcess({
    workspace: dir,
    repository: `${OWNER}/${REPO}`,
    apiUrl: fake.url,
    now: NOW,
    inputs: { 'github-token': TOKEN }
  })
})
afterAll(async () => {
  await fake?.close()
  await reg?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})
afterEach(() => expect(fake.violations).toEqual([]))

const short = (digest: string) => digest.slice(7, 19)

/** The "Tag policies" table row of a tag, in a body or summary. */
function policyRow(text: string, name: string): string {
  const row = text
    .split('\n')
    .find((l) => l.startsWith(`| \`app:${name}\``) && /moved|waiting|drift|incomplete/.test(l))
  if (!row) throw new Error(`no policy row for app:${name} in:\n${text}`)
  return row
}

describe('every policy decision is in the pull request body and the job summary', () => {
  it('opens one ready pull request for the stream (the move), not a waiting draft', () => {
    const pulls = fake.pulls(OWNER, REPO)
    expect(pulls.map((p) => [p.head, p.state, p.draft])).toEqual([['imagestream/app', 'open', false]])
    expect(run.outputs.failed).toContain('ImmutableTagChanged')
  })

  for (const where of ['pull request body', 'job summary'] as const) {
    const text = () => (where === 'job summary' ? run.summary : fake.pulls(OWNER, REPO)[0]!.body!)

    it(`${where}: the winner, old tag → new tag with its digest`, () => {
      const row = policyRow(text(), 'stable')
      expect(row).toContain('moved')
      expect(row).toMatch(/`1\.0\.0` → `1\.1\.0`/)
      expect(row).toContain(short(d.stableNew!))
    })

    it(`${where}: waiting for soak, first seen now, until now + 2 h`, () => {
      const row = policyRow(text(), 'soak')
      expect(row).toContain('waiting for soak')
      expect(row).toContain(short(d.soakNew!))
      expect(row).toContain(`first seen ${NOW}, may land after 2026-03-01T12:00:00Z`)
    })

    it(`${where}: drift with the old and new digest and the new image's created time`, () => {
      const row = policyRow(text(), 'pinned')
      expect(row).toContain('drift')
      expect(row).toContain(short(d.pinnedOld!))
      expect(row).toContain(short(d.pinnedNew!))
      expect(row).toContain(`created ${DRIFT_CREATED}`)
    })

    it(`${where}: an index lacking a required platform`, () => {
      const row = policyRow(text(), 'multi')
      expect(row).toContain('incomplete platforms')
      expect(row).toContain(short(d.multi!))
      expect(row).toContain('`linux/arm64`')
    })
  }
})
