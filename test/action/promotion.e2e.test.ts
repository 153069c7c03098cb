/**
 * Promotion (docs/promotion.md) through the BUILT action (dist/index.js) as a runner runs it, against real git and the
 * fake GitHub API: staging and prod promoted at the same time into one repository both land without a force push
 * (the compare-and-swap of src/delivery/commit.ts), and a scheduled `sync` proposes each promoted destination tag in a
 * pull request of its own, titled and described as a promotion, while ordinary imports keep their grouping. The
 * registry address in the promoted streams refuses every connection: a promotion copies history, it asks no
 * registry. Build first: `npm run package`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { rmSync } from 'node:fs'
import { parse } from 'yaml'
import { runAction, type ActionRun } from '../support/action-runner.js'
import { FakeGitHub } from '../support/github-fake.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import { deployment, gitRepo, streamFile as importedStream } from './fixtures.js'

const TOKEN = 'ghs_SENTINELpromote0123456789abcdef'
const OWNER = 'acme'
const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`
const C = `sha256:${'c'.repeat(64)}`
/** Nothing listens here: any registry request would fail the run. */
const REPO = '127.0.0.1:1/acme/web'
const HOUR = 3_600_000
const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString().replace(/\.\d{3}Z$/, 'Z')

jest.setTimeout(600_000)

let fake: FakeGitHub
let reg: TestRegistry
const dirs: string[] = []

beforeAll(async () => {
  fake = await FakeGitHub.start({ token: TOKEN })
  reg = await startRegistry({ auth: 'open' })
})
afterAll(async () => {
  await fake?.close()
  await reg?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
afterEach(() => expect(fake.violations).toEqual([]))

/** `web` in `namespace` with one tag and its history (newest first); `annotations` are the tag's own. */
function webStream(namespace: string, tag: string, items: Array<[string, string]>, annotations: string[] = []): string {
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
      annotations:${annotations.length ? `\n${annotations.map((a) => `        ${a}`).join('\n')}` : ' null'}
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

/** A Deployment of `namespace` bound to web:<tag>, pinned at `digest`. */
function pinned(namespace: string, tag: string, digest: string): string {
  return deployment('web', `web:${tag}`, `${REPO}@${digest}`).replace(
    '  name: web\n',
    `  name: web\n  namespace: ${namespace}\n`
  )
}

function repository(name: string, files: Record<string, string>) {
  const dir = gitRepo({ 'README.md': '# environments\n', ...files })
  dirs.push(dir)
  fake.importRepo(OWNER, name, dir)
  const run = (inputs: Record<string, string>): Promise<ActionRun> =>
    runAction({
      workspace: dir,
      repository: `${OWNER}/${name}`,
      apiUrl: fake.url,
      inputs: { 'github-token': TOKEN, ...inputs }
    })
  return { dir, run }
}

const main = (repo: string, path: string) => fake.fileAt(OWNER, repo, 'main', path) ?? ''
const current = (text: string, tag: string) =>
  (parse(text) as { status: { tags: Array<{ tag: string; items: Array<{ image: string }> }> } }).status.tags.find(
    (t) => t.tag === tag
  )?.items[0]?.image

describe('concurrent promotions into one repository', () => {
  it('staging and prod promoted at once both land on main, one after the other, with no force push', async () => {
    const repo = 'promote-race'
    const { run } = repository(repo, {
      'imagestreams/dev.yaml': webStream('dev', 'latest', [
        [B, ago(30)],
        [A, ago(60)]
      ]),
      'imagestreams/staging.yaml': webStream('staging', 'live', [[A, ago(50)]]),
      'imagestreams/prod.yaml': webStream('prod', 'live', [[A, ago(40)]]),
      'deploy/staging.yaml': pinned('staging', 'live', A),
      'deploy/prod.yaml': pinned('prod', 'live', A)
    })
    const base = fake.branchSha(OWNER, repo, 'main')!
    fake.clearLog()
    const commits = () => fake.requests.filter((r) => r.operation === 'POST /repos/{owner}/{repo}/git/commits')
    // The first update of main waits until the other run has built its commit on the same head: that run read main
    // before this write and writes after it, the race the compare-and-swap exists for.
    fake.beforeNextRefUpdate(OWNER, repo, 'heads/main', async () => {
      const deadline = Date.now() + 60_000
      while (commits().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    })

    const [staging, prod] = await Promise.all([
      run({ command: 'tag', args: `dev/web@${B} staging/web:live`, delivery: 'commit' }),
      run({ command: 'tag', args: `dev/web@${B} prod/web:live`, delivery: 'commit' })
    ])
    expect({ code: staging.code, err: staging.stderr }).toEqual({ code: 0, err: '' })
    expect({ code: prod.code, err: prod.stderr }).toEqual({ code: 0, err: '' })

    // The race happened: both commits were built on the same head, and one ref update was refused.
    const updates = fake.requests.filter((r) => r.operation === 'PATCH /repos/{owner}/{repo}/git/refs/{ref}')
    expect(
      commits()
        .slice(0, 2)
        .map((r) => (r.body as { parents: string[] }).parents)
    ).toEqual([[base], [base]])
    expect(updates.map((u) => u.status).sort()).toEqual([200, 200, 422])
    // Nothing forced: no ref update asked for it.
    expect(updates.filter((u) => (u.body as { force?: boolean }).force === true)).toEqual([])

    // Both promotions are on main, with their manifests, as two commits on top of each other.
    expect(current(main(repo, 'imagestreams/staging.yaml'), 'live')).toBe(B)
    expect(current(main(repo, 'imagestreams/prod.yaml'), 'live')).toBe(B)
    expect(main(repo, 'deploy/staging.yaml')).toBe(pinned('staging', 'live', B))
    expect(main(repo, 'deploy/prod.yaml')).toBe(pinned('prod', 'live', B))
    const head = fake.commit(OWNER, repo, fake.branchSha(OWNER, repo, 'main')!)!
    const parent = fake.commit(OWNER, repo, head.parents[0]!)!
    expect(parent.parents).toEqual([base])
    expect([staging.log, prod.log].join('\n')).toMatch(/main moved while committing/)
  })
})

describe('a scheduled sync proposes each promotion as its own pull request', () => {
  const promoteFrom = 'imagestream-action.dev/promote-from: dev/web:latest'

  it('one PR per destination tag (updated in place, declined stays declined); imports still group by stream', async () => {
    const api1 = (await pushImage(reg, 'promote/api', 'latest', { seed: 'promote-api-latest' })).digest
    const api2 = (await pushImage(reg, 'promote/api', 'stable', { seed: 'promote-api-stable' })).digest
    const prodStream = webStream(
      'prod',
      'live',
      [[A, ago(40)]],
      [promoteFrom, 'imagestream-action.dev/promote-after: 2h']
    )
      .replace('  tags:\n', '  tags:\n' + canaryTag())
      .replace(
        '  tags:\n    - tag: live',
        `  tags:\n    - tag: canary\n      items:\n        - created: "${ago(40)}"\n          dockerImageReference: ${REPO}@${A}\n          generation: 2\n          image: ${A}\n    - tag: live`
      )
    const repo = 'promote-sync'
    const { run } = repository(repo, {
      'imagestreams/dev.yaml': webStream('dev', 'latest', [
        [B, ago(3)],
        [A, ago(60)]
      ]),
      'imagestreams/prod.yaml': prodStream,
      'imagestreams/api.yaml': importedStream('api', reg.host, 'promote/api', ['latest', 'stable']),
      'deploy/prod.yaml': pinned('prod', 'live', A)
    })

    const first = await run({})
    expect({ code: first.code, err: first.stderr }).toEqual({ code: 0, err: '' })
    const open = () =>
      fake
        .pulls(OWNER, repo)
        .filter((p) => p.state === 'open')
        .sort((a, b) => a.head.localeCompare(b.head))
    expect(open().map((p) => p.head)).toEqual([
      'imagestream/api',
      'imagestream/prod/web/canary',
      'imagestream/prod/web/live'
    ])
    const [api, canary, live] = open()
    expect(live!.title).toBe(`Promote web ${B.slice(0, 19)} dev → prod`)
    expect(canary!.title).toBe(`Promote web ${B.slice(0, 19)} dev → prod`)
    expect(live!.body).toContain('### Promotion of `prod/web:live`')
    expect(live!.body).toContain(`from \`dev/web:latest\`, the snapshot \`dev/web@${B}\``)
    expect(live!.body).toMatch(
      new RegExp(`Arrived upstream ${ago(3).slice(0, 13)}:\\d\\d:\\d\\dZ; it has run there for 3 hours`)
    )
    expect(live!.body).toContain('No verified signature is recorded upstream.')
    expect(live!.body).toContain('deploy/prod.yaml')
    // The live branch holds prod's live promotion and its manifest, not canary's.
    expect(current(fake.fileAt(OWNER, repo, live!.head, 'imagestreams/prod.yaml')!, 'live')).toBe(B)
    expect(current(fake.fileAt(OWNER, repo, live!.head, 'imagestreams/prod.yaml')!, 'canary')).toBe(A)
    expect(fake.fileAt(OWNER, repo, live!.head, 'deploy/prod.yaml')).toBe(pinned('prod', 'live', B))
    expect(current(fake.fileAt(OWNER, repo, canary!.head, 'imagestreams/prod.yaml')!, 'canary')).toBe(B)
    expect(current(fake.fileAt(OWNER, repo, canary!.head, 'imagestreams/prod.yaml')!, 'live')).toBe(A)
    // Ordinary imports: both tags of api in the one stream PR, as before.
    const apiFile = fake.fileAt(OWNER, repo, api!.head, 'imagestreams/api.yaml')!
    expect([current(apiFile, 'latest'), current(apiFile, 'stable')]).toEqual([api1, api2])

    // A person declines the canary promotion; the next run does not propose B there again.
    fake.setPullState(OWNER, repo, canary!.number, 'closed')
    const second = await run({})
    expect(second.code).toBe(0)
    expect(open().map((p) => p.head)).toEqual(['imagestream/api', 'imagestream/prod/web/live'])
    expect(second.log).toContain(`declined in #${canary!.number}`)

    // A newer dev digest qualifies: the live PR is the same one, updated in place.
    const dev = webStream('dev', 'latest', [
      [C, ago(2.5)],
      [B, ago(3)],
      [A, ago(60)]
    ])
    fake.push(OWNER, repo, 'main', { 'imagestreams/dev.yaml': dev })
    const third = await run({})
    expect(third.code).toBe(0)
    const again = open().find((p) => p.head === 'imagestream/prod/web/live')!
    expect(again.number).toBe(live!.number)
    expect(again.title).toBe(`Promote web ${C.slice(0, 19)} dev → prod`)
    expect(current(fake.fileAt(OWNER, repo, again.head, 'imagestreams/prod.yaml')!, 'live')).toBe(C)
  })

  function canaryTag(): string {
    return [
      '    - name: canary',
      '      annotations:',
      `        ${promoteFrom}`,
      '      from:',
      '        kind: DockerImage',
      `        name: ${REPO}:canary`,
      '      generation: 2',
      '      importPolicy:',
      '        importMode: Legacy',
      '      referencePolicy:',
      '        type: Source',
      ''
    ].join('\n')
  }
})
