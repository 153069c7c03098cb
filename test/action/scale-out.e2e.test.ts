/**
 * Scale-out (docs/scale-out.md), "Done when" 3, as a runner runs it: the BUILT dist/index.js runs `command: plan`,
 * then one run per shard of the matrix (`shard: i/N`), then `command: deliver` with the shards' result files, against
 * the loopback registry and the fake GitHub API backed by real git. The same repository run unsharded, side by side,
 * must end with the same pull requests holding the same files. Build first: `npm run package`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { runAction, type ActionRun } from '../support/action-runner.js'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'
import { FakeGitHub, type RecordedRequest } from '../support/github-fake.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import { deployment, gitRepo, streamFile } from './fixtures.js'

const TOKEN = 'ghs_SENTINELscaleOUT0123456789abcdef'
const OWNER = 'acme'
const STREAMS = ['web', 'api', 'db', 'cache', 'queue']

jest.setTimeout(600_000)

let reg: TestRegistry
let fake: FakeGitHub
const dirs: string[] = []

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  fake = await FakeGitHub.start({ token: TOKEN })
  for (const s of STREAMS) await pushImage(reg, `scale/${s}`, 'latest', { seed: `scale-${s}-1` })
})
afterAll(async () => {
  await fake?.close()
  await reg?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
afterEach(() => expect(fake.violations).toEqual([]))

/** Where a shard job's result waits for actions/upload-artifact (the job's RUNNER_TEMP outlives the step). */
function artifacts(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imagestream-artifacts-'))
  dirs.push(dir)
  return dir
}

function repository(
  name: string,
  host = reg.host
): {
  dir: string
  run: (inputs?: Record<string, string>, env?: Record<string, string>) => Promise<ActionRun>
} {
  const files: Record<string, string> = { 'README.md': '# gitops\n' }
  for (const s of STREAMS) {
    files[`imagestreams/${s}.yaml`] = streamFile(s, host, `scale/${s}`, ['latest'])
    files[`deploy/${s}.yaml`] = deployment(s, `${s}:latest`, `${host}/scale/${s}:latest`)
  }
  const dir = gitRepo(files)
  dirs.push(dir)
  fake.importRepo(OWNER, name, dir)
  return {
    dir,
    run: async (inputs = {}, env = {}) => {
      const r = await runAction({
        workspace: dir,
        repository: `${OWNER}/${name}`,
        apiUrl: fake.url,
        inputs: { 'github-token': TOKEN, ...inputs },
        env
      })
      if (r.code !== 0) throw new Error(`the action failed (${r.code}):\n${r.stdout}\n${r.stderr}`)
      return r
    }
  }
}

/** Each open PR as a reviewer compares them: its branch, title and the content of every file it changes. */
function pullRequests(repo: string) {
  return fake
    .pulls(OWNER, repo)
    .filter((p) => p.state === 'open')
    .map((p) => ({
      branch: p.head,
      title: p.title,
      // The two repositories are synced a few seconds apart: only the timestamps may differ.
      files: Object.fromEntries(
        STREAMS.flatMap((s) => [`imagestreams/${s}.yaml`, `deploy/${s}.yaml`]).map((f) => [
          f,
          fake.fileAt(OWNER, repo, p.head, f)?.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '<time>')
        ])
      )
    }))
    .sort((a, b) => a.branch.localeCompare(b.branch))
}

/**
 * GitHub's secondary limits allow 80 content-creating requests a minute per token
 * (docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits): the most
 * writes any 60-second window of the log holds.
 */
function busiest(writes: readonly RecordedRequest[], windowMs = 60_000): number {
  let most = 0
  for (const w of writes) most = Math.max(most, writes.filter((x) => x.at >= w.at && x.at < w.at + windowMs).length)
  return most
}

describe('plan → sharded runs → one delivery', () => {
  it('opens the same pull requests as one unsharded run, and the shards write nothing to GitHub', async () => {
    const whole = repository('scale-whole')
    await whole.run()
    const expected = pullRequests('scale-whole')
    expect(expected).toHaveLength(STREAMS.length)

    const sharded = repository('scale-sharded')
    const plan = await sharded.run({ command: 'plan', shards: '3' })
    const matrix = JSON.parse(plan.outputs.matrix!) as { include: Array<{ shard: string; streams: string[] }> }
    expect(matrix.include.flatMap((e) => e.streams).sort()).toEqual(STREAMS.map((s) => `imagestreams/${s}.yaml`).sort())

    const results: string[] = []
    fake.clearLog()
    for (const entry of matrix.include) {
      const r = await sharded.run({ shard: entry.shard }, { RUNNER_TEMP: artifacts() })
      expect(existsSync(r.outputs['shard-result']!)).toBe(true)
      results.push(r.outputs['shard-result']!)
    }
    expect(fake.writes()).toEqual([])

    // GitHub answers the delivery's first write with its secondary limit: the client waits Retry-After, then retries.
    fake.secondaryLimitNext(2)
    const delivered = await sharded.run({ command: 'deliver', 'shard-results': results.join('\n') })
    expect(delivered.outputs.changed).toBe('true')
    const got = pullRequests('scale-sharded')
    expect(got.map(({ branch, title, files }) => ({ branch, title, files }))).toEqual(expected)

    const writes = fake.writes()
    // 0 rejected pushes: every branch creation and update was accepted.
    expect(writes.filter((w) => w.operation.includes('/git/refs') && w.status >= 400)).toEqual([])
    const limited = writes.findIndex((w) => w.status === 403)
    expect(limited).toBeGreaterThanOrEqual(0)
    const same = (w: RecordedRequest) =>
      w.operation === writes[limited]!.operation && JSON.stringify(w.body) === JSON.stringify(writes[limited]!.body)
    const retried = writes.slice(limited + 1).find(same)!
    expect(retried.status).toBeLessThan(300)
    expect(retried.at - writes[limited]!.at).toBeGreaterThanOrEqual(2000)
    // Within the secondary limit: no minute holds more than 80 writes, and none of its 10-second stretches more than
    // its share (80 × 10/60): this delivery's writes, sent as fast as they come, would all fall in one of them.
    expect(writes.length).toBeGreaterThan(STREAMS.length * 3)
    expect(busiest(writes)).toBeLessThanOrEqual(80)
    expect(busiest(writes, 10_000)).toBeLessThanOrEqual(Math.floor((80 * 10) / 60))
  })

  it("one shard's registry is down: the other shards' changes land, its streams get failure conditions, the step fails", async () => {
    const proxy: FaultProxy = await startFaultProxy(reg.url)
    try {
      const repo = repository('scale-down', proxy.host)
      const plan = JSON.parse((await repo.run({ command: 'plan', shards: '4' })).outputs.matrix!) as {
        include: Array<{ shard: string; streams: string[] }>
      }
      expect(plan.include.length).toBe(4)
      const down = plan.include[0]!
      const results: string[] = []
      for (const entry of plan.include) {
        // During this shard's job its registry answers nothing but 503.
        const outage = entry === down ? proxy.inject({ fault: { type: 'status', status: 503 } }) : undefined
        const r = await runAction({
          workspace: repo.dir,
          repository: `${OWNER}/scale-down`,
          apiUrl: fake.url,
          inputs: { 'github-token': TOKEN, shard: entry.shard },
          env: { RUNNER_TEMP: artifacts() }
        })
        outage?.remove()
        if (entry === down) expect(outage!.hits).toBeGreaterThan(0)
        else expect(r.code).toBe(0)
        results.push(r.outputs['shard-result']!)
      }

      const r = await runAction({
        workspace: repo.dir,
        repository: `${OWNER}/scale-down`,
        apiUrl: fake.url,
        inputs: { 'github-token': TOKEN, command: 'deliver', delivery: 'commit', 'shard-results': results.join('\n') }
      })
      expect(r.code).not.toBe(0)
      // The step's failure names every shard with what it did.
      const failure = r.annotations
        .filter((a) => a.kind === 'error')
        .map((a) => a.message)
        .join('\n')
      for (const entry of plan.include) expect(failure).toMatch(new RegExp(`shard ${entry.shard}: \\d+ change\\(s\\)`))
      expect(failure).toContain(`shard ${down.shard}: 0 change(s), ${down.streams.length} failure(s)`)

      type Status = { status?: { tags?: Array<{ items?: unknown[]; conditions?: Array<Record<string, string>> }> } }
      const onMain = (path: string) => parse(fake.fileAt(OWNER, 'scale-down', 'main', path)!) as Status
      for (const entry of plan.include) {
        for (const file of entry.streams) {
          const tag = onMain(file).status?.tags?.[0]
          if (entry === down) {
            expect(tag?.items ?? []).toEqual([])
            expect(tag?.conditions?.[0]).toMatchObject({ type: 'ImportSuccess', status: 'False' })
          } else {
            expect(tag?.items?.length).toBe(1)
            const name = file.replace(/^imagestreams\/|\.yaml$/g, '')
            expect(fake.fileAt(OWNER, 'scale-down', 'main', `deploy/${name}.yaml`)).toMatch(/@sha256:[0-9a-f]{64}/)
          }
        }
      }
    } finally {
      await proxy.stop()
    }
  })

  it('a shard result computed on an older tree is left out, said, and the step fails; the other shards land', async () => {
    const repo = repository('scale-stale')
    const plan = JSON.parse((await repo.run({ command: 'plan', shards: '2' })).outputs.matrix!) as {
      include: Array<{ shard: string; streams: string[] }>
    }
    expect(plan.include.length).toBe(2)
    const results = []
    for (const entry of plan.include) {
      results.push((await repo.run({ shard: entry.shard }, { RUNNER_TEMP: artifacts() })).outputs['shard-result']!)
    }
    // Someone edits a stream of shard 1 in the checkout the delivery job uses.
    const { appendFileSync } = await import('node:fs')
    appendFileSync(`${repo.dir}/${plan.include[0]!.streams[0]}`, '# edited\n')
    const r = await runAction({
      workspace: repo.dir,
      repository: `${OWNER}/scale-stale`,
      apiUrl: fake.url,
      inputs: { 'github-token': TOKEN, command: 'deliver', 'shard-results': results.join('\n') }
    })
    expect(r.code).not.toBe(0)
    expect(r.log).toContain(`shard ${plan.include[0]!.shard}: left out`)
    const open = fake.pulls(OWNER, 'scale-stale').filter((p) => p.state === 'open')
    expect(open.length).toBe(plan.include[1]!.streams.length)
  })
})
