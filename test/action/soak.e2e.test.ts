/**
 * Issue "Policies": `min-age` under pull-request delivery (the action's default), end to end. The action's run() in
 * process (the built dist/ is rebuilt only on release) with the run's clock fixed, as IMAGESTREAM_NOW fixes the CLI's;
 * a real git repository imported into the fake GitHub API (every request checked against GitHub's OpenAPI
 * description), and the real loopback registry. A move waiting for its soak is a draft pull request whose stream file
 * carries the first sight; later runs measure from it; once soaked the same pull request gets the move and is ready.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { rmSync } from 'node:fs'
import YAML from 'yaml'
import { runActionInProcess, type InProcessRun } from '../support/action-in-process.js'
import { FakeGitHub } from '../support/github-fake.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import { deployment, gitRepo } from './fixtures.js'

const TOKEN = 'ghs_SENTINELsoakTOKEN0123456789abcdef0123'
const OWNER = 'acme'
const BRANCH = 'imagestream/app'
const FIRST_SEEN = 'imagestream-action.dev/first-seen'

let reg: TestRegistry
let fake: FakeGitHub
const dirs: string[] = []

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  fake = await FakeGitHub.start({ token: TOKEN })
})
afterAll(async () => {
  await fake?.close()
  await reg?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
afterEach(() => expect(fake.violations).toEqual([]))

const T = (hour: number, minute = 0): string =>
  `2026-03-01T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00Z`

/** Stream `app`, tag `stable` following acme/<repo>:1.0.0 under `semver:^1` and `min-age: 2h`, imported at T(0). */
function streamFile(repo: string, digest: string): string {
  return `apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: app
  generation: 1
spec:
  lookupPolicy:
    local: false
  tags:
  - name: stable
    annotations:
      imagestream-action.dev/policy: semver:^1
      imagestream-action.dev/min-age: 2h
    from:
      kind: DockerImage
      name: ${reg.host}/${repo}:1.0.0
    generation: 1
    importPolicy:
      scheduled: true
    referencePolicy:
      type: Source
status:
  dockerImageRepository: ""
  tags:
  - tag: stable
    items:
    - created: "${T(0)}"
      dockerImageReference: ${reg.host}/${repo}@${digest}
      image: ${digest}
      generation: 1
`
}

/** The action's run() on a schedule at `now` (pull-request delivery, the default). */
function action(workspace: string, repo: string, now: string): Promise<InProcessRun> {
  const inputs = { 'github-token': TOKEN }
  return runActionInProcess({ workspace, repository: `${OWNER}/${repo}`, apiUrl: fake.url, now, inputs })
}

function expectClean(r: InProcessRun): void {
  if (r.failed) throw new Error(`the action failed:\n${r.log}`)
}

interface StreamDoc {
  metadata: { annotations?: Record<string, string> }
  spec: { tags: Array<{ from: { name: string } }> }
  status: { tags: Array<{ items: Array<{ image: string }> }> }
}

/** The stream file as the pull request branch has it. */
function onBranch(repo: string): StreamDoc {
  return YAML.parse(fake.fileAt(OWNER, repo, BRANCH, 'imagestreams/app.yaml')!) as StreamDoc
}

function firstSeen(doc: StreamDoc): Record<string, { from: string; digest: string; seen: string }> {
  return JSON.parse(doc.metadata.annotations?.[FIRST_SEEN] ?? '{}') as Record<
    string,
    { from: string; digest: string; seen: string }
  >
}

/** A repository whose app:stable was imported at 1.0.0, with a Deployment that follows app:stable. */
async function setUp(repo: string): Promise<{ dir: string; a: string }> {
  const a = (await pushImage(reg, `acme/${repo}`, '1.0.0', { seed: `${repo}-a` })).digest
  const dir = gitRepo({
    'imagestreams/app.yaml': streamFile(`acme/${repo}`, a),
    'deploy/app.yaml': deployment('app', 'app:stable', `${reg.host}/acme/${repo}@${a}`)
  })
  dirs.push(dir)
  fake.importRepo(OWNER, repo, dir)
  return { dir, a }
}

describe('min-age under pull-request delivery: a waiting move is a draft PR that keeps its first sight', () => {
  const repo = 'soak-pr'
  let dir: string
  let a: string
  let b: string

  beforeAll(async () => {
    ;({ dir, a } = await setUp(repo))
    // A reproducible build: `created` says 1970, which must not count as "old enough".
    b = (await pushImage(reg, `acme/${repo}`, '1.1.0', { seed: `${repo}-b`, created: '1970-01-01T00:00:00Z' })).digest
  })

  it('run 1 (t0): opens a draft PR titled "waiting for soak until t0+2h" whose stream file records the first sight', async () => {
    const r = await action(dir, repo, T(1))
    expectClean(r)
    const pulls = fake.pulls(OWNER, repo)
    expect(pulls).toHaveLength(1)
    const pr = pulls[0]!
    expect([pr.head, pr.state, pr.draft]).toEqual([BRANCH, 'open', true])
    expect(pr.title).toBe(`imagestream: waiting for soak until ${T(3)} (app:stable → 1.1.0)`)
    expect(pr.body).toContain(`first seen ${T(1)}, may land after ${T(3)}`)
    const doc = onBranch(repo)
    expect(firstSeen(doc)).toEqual({ stable: { from: `${reg.host}/acme/${repo}:1.1.0`, digest: b, seen: T(1) } })
    // Nothing moves yet: the spec still follows 1.0.0, the record and the Deployment still say a.
    expect(doc.spec.tags[0]!.from.name).toBe(`${reg.host}/acme/${repo}:1.0.0`)
    expect(doc.status.tags[0]!.items[0]!.image).toBe(a)
    expect(fake.fileAt(OWNER, repo, BRANCH, 'deploy/app.yaml')).toContain(`@${a}`)
    expect(r.summary).toContain('waiting for soak')
    expect(r.summary).toContain(T(3))
  })

  it('run 2 (t0+1h): the same PR, still waiting, the first sight unchanged and nothing written', async () => {
    fake.clearLog()
    const r = await action(dir, repo, T(2))
    expectClean(r)
    expect(fake.writes()).toEqual([])
    const pulls = fake.pulls(OWNER, repo)
    expect(pulls.map((p) => [p.number, p.state, p.draft])).toEqual([[1, 'open', true]])
    expect(firstSeen(onBranch(repo)).stable!.seen).toBe(T(1))
    expect(r.outputs.changed).toBe('false')
  })

  it('run 3 (t0+3h): the same PR carries the move and is ready for review', async () => {
    const r = await action(dir, repo, T(4))
    expectClean(r)
    const pulls = fake.pulls(OWNER, repo)
    expect(pulls.map((p) => [p.number, p.state, p.draft])).toEqual([[1, 'open', false]])
    expect(pulls[0]!.title).not.toContain('waiting')
    expect(pulls[0]!.body).not.toContain('imagestream-action:waiting')
    const doc = onBranch(repo)
    expect(doc.spec.tags[0]!.from.name).toBe(`${reg.host}/acme/${repo}:1.1.0`)
    expect(doc.status.tags[0]!.items[0]!.image).toBe(b)
    expect(doc.metadata.annotations?.[FIRST_SEEN]).toBeUndefined()
    expect(fake.fileAt(OWNER, repo, BRANCH, 'deploy/app.yaml')).toContain(`@${b}`)
    expect(r.outputs.changed).toBe('true')
  })
})

describe('min-age under pull-request delivery: a candidate that moves during the soak restarts the clock', () => {
  const repo = 'soak-restart'
  let dir: string

  beforeAll(async () => {
    ;({ dir } = await setUp(repo))
    await pushImage(reg, `acme/${repo}`, '1.1.0', { seed: `${repo}-b` })
  })

  it('waits for the new candidate from its own first sight, on the same draft PR', async () => {
    expectClean(await action(dir, repo, T(1)))
    const c = (await pushImage(reg, `acme/${repo}`, '1.2.0', { seed: `${repo}-c` })).digest
    expectClean(await action(dir, repo, T(2)))
    let pulls = fake.pulls(OWNER, repo)
    expect(pulls.map((p) => [p.number, p.state, p.draft])).toEqual([[1, 'open', true]])
    expect(pulls[0]!.title).toBe(`imagestream: waiting for soak until ${T(4)} (app:stable → 1.2.0)`)
    expect(firstSeen(onBranch(repo))).toEqual({
      stable: { from: `${reg.host}/acme/${repo}:1.2.0`, digest: c, seen: T(2) }
    })

    // Past the first candidate's soak, not past the new one's: still waiting.
    expectClean(await action(dir, repo, T(3, 30)))
    expect(onBranch(repo).spec.tags[0]!.from.name).toBe(`${reg.host}/acme/${repo}:1.0.0`)
    expect(fake.pulls(OWNER, repo)[0]!.draft).toBe(true)

    expectClean(await action(dir, repo, T(4)))
    pulls = fake.pulls(OWNER, repo)
    expect(pulls.map((p) => [p.number, p.state, p.draft])).toEqual([[1, 'open', false]])
    expect(onBranch(repo).status.tags[0]!.items[0]!.image).toBe(c)
  })
})

describe('min-age under pull-request delivery: closing the waiting PR declines the image', () => {
  const repo = 'soak-declined'
  let dir: string

  beforeAll(async () => {
    ;({ dir } = await setUp(repo))
    await pushImage(reg, `acme/${repo}`, '1.1.0', { seed: `${repo}-b` })
  })

  it('after the close, no run proposes that digest again, soaked or not', async () => {
    expectClean(await action(dir, repo, T(1)))
    fake.setPullState(OWNER, repo, 1, 'closed')
    for (const at of [T(2), T(5)]) {
      const r = await action(dir, repo, at)
      expectClean(r)
      expect(fake.pulls(OWNER, repo).map((p) => [p.number, p.state])).toEqual([[1, 'closed']])
      expect(JSON.parse(r.outputs['pull-requests']!)).toEqual([
        expect.objectContaining({ number: 1, operation: 'declined' })
      ])
    }
  })
})

describe('min-age under pull-request delivery with group: tag: the waiting tag has its own draft', () => {
  const repo = 'soak-by-tag'
  let dir: string
  let soakNew: string
  const byTag = (now: string) =>
    runActionInProcess({
      workspace: dir,
      repository: `${OWNER}/${repo}`,
      apiUrl: fake.url,
      now,
      inputs: { 'github-token': TOKEN, group: 'tag' }
    })
  const onTagBranch = (tag: string) =>
    YAML.parse(fake.fileAt(OWNER, repo, `${BRANCH}/${tag}`, 'imagestreams/app.yaml')!) as StreamDoc

  beforeAll(async () => {
    const a = (await pushImage(reg, `acme/${repo}`, '1.0.0', { seed: `${repo}-a` })).digest
    await pushImage(reg, `acme/${repo}-fast`, '1.0.0', { seed: `${repo}-fast-a` })
    await pushImage(reg, `acme/${repo}-fast`, '1.1.0', { seed: `${repo}-fast-b` })
    soakNew = (await pushImage(reg, `acme/${repo}`, '1.1.0', { seed: `${repo}-b` })).digest
    // A second policy tag without min-age: it moves at once, in its own pull request.
    const fast = [
      '  - name: fast',
      '    annotations:',
      '      imagestream-action.dev/policy: semver:^1',
      '    from:',
      '      kind: DockerImage',
      `      name: ${reg.host}/acme/${repo}-fast:1.0.0`,
      '    generation: 1',
      '    importPolicy:',
      '      scheduled: true',
      '    referencePolicy:',
      '      type: Source',
      ''
    ].join('\n')
    dir = gitRepo({ 'imagestreams/app.yaml': streamFile(`acme/${repo}`, a).replace('status:\n', `${fast}status:\n`) })
    dirs.push(dir)
    fake.importRepo(OWNER, repo, dir)
  })

  it('the moved tag gets a ready PR, the waiting tag a draft that alone carries its first sight, until it soaks', async () => {
    expectClean(await byTag(T(1)))
    const state = () => fake.pulls(OWNER, repo).map((p) => [p.head, p.state, p.draft])
    expect(state()).toEqual([
      [`${BRANCH}/fast`, 'open', false],
      [`${BRANCH}/stable`, 'open', true]
    ])
    expect(firstSeen(onTagBranch('stable'))).toEqual({
      stable: { from: `${reg.host}/acme/${repo}:1.1.0`, digest: soakNew, seen: T(1) }
    })
    expect(firstSeen(onTagBranch('fast'))).toEqual({})

    fake.clearLog()
    expectClean(await byTag(T(2)))
    expect(fake.writes()).toEqual([])
    expect(firstSeen(onTagBranch('stable')).stable!.seen).toBe(T(1))

    expectClean(await byTag(T(3)))
    expect(state()).toEqual([
      [`${BRANCH}/fast`, 'open', false],
      [`${BRANCH}/stable`, 'open', false]
    ])
    const stable = onTagBranch('stable')
    expect(stable.spec.tags[0]!.from.name).toBe(`${reg.host}/acme/${repo}:1.1.0`)
    expect(stable.metadata.annotations?.[FIRST_SEEN]).toBeUndefined()
  })
})
