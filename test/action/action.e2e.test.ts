/**
 * Acceptance tests of the issue "The GitHub Action": the BUILT dist/index.js runs as a child process the way a
 * runner starts it, against a real registry on loopback (Debian's docker-registry, htpasswd auth with a sentinel
 * password) and the fake GitHub API (every request and response validated against GitHub's OpenAPI description).
 * Build first: `npm run package`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { rmSync } from 'node:fs'
import YAML from 'yaml'
import { runAction, type ActionRun } from '../support/action-runner.js'
import { FakeGitHub } from '../support/github-fake.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import { actionNode, actionNodeMajor, nodeVersion } from '../support/node-runtime.js'
import { deployment, gitRepo, gitStatus, read, streamFile } from './fixtures.js'

const GITHUB_TOKEN = 'ghs_SENTINELgithubTOKEN0123456789abcdef'
const REGISTRY_USER = 'ci-bot'
const REGISTRY_PASSWORD = 'SENTINEL-registry-password-7f3a9c'
const OWNER = 'acme'

let reg: TestRegistry
let fake: FakeGitHub
let registryAuth: string
const dirs: string[] = []

beforeAll(async () => {
  reg = await startRegistry({ auth: 'htpasswd', users: { [REGISTRY_USER]: REGISTRY_PASSWORD } })
  fake = await FakeGitHub.start({ token: GITHUB_TOKEN })
  const auth = Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64')
  registryAuth = JSON.stringify({ auths: { [reg.host]: { auth } } })
})
afterAll(async () => {
  await fake?.close()
  await reg?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
afterEach(() => expect(fake.violations).toEqual([]))

/** A GitOps repo: stream web (latest, stable) and api (latest) on the loopback registry, Deployments following them. */
function sampleRepo(): string {
  const dir = gitRepo({
    'imagestreams/web.yaml': streamFile('web', reg.host, 'acme/web', ['latest', 'stable']),
    'imagestreams/api.yaml': streamFile('api', reg.host, 'acme/api', ['latest']),
    'deploy/web.yaml': deployment('web', 'web:latest', `${reg.host}/acme/web:latest`),
    'deploy/api.yaml': deployment('api', 'api:latest', `${reg.host}/acme/api:latest`),
    'README.md': '# gitops\n'
  })
  dirs.push(dir)
  return dir
}

function inputs(over: Record<string, string> = {}): Record<string, string> {
  return { 'github-token': GITHUB_TOKEN, 'registry-auth': registryAuth, ...over }
}

function statusTags(text: string): Record<string, string[]> {
  const doc = YAML.parse(text) as { status?: { tags?: Array<{ tag: string; items: Array<{ image: string }> | null }> } }
  return Object.fromEntries((doc.status?.tags ?? []).map((t) => [t.tag, (t.items ?? []).map((i) => i.image)]))
}

function expectClean(run: ActionRun): void {
  if (run.code !== 0) throw new Error(`the action failed (${run.code}):\n${run.stdout}\n${run.stderr}`)
}

describe('runtime', () => {
  it('dist/index.js runs on the Node major that action.yml names in runs.using (node24), as a runner starts it', () => {
    expect(actionNodeMajor()).toBe(24)
    expect(nodeVersion(actionNode())).toMatch(/^24\./)
  })
})

describe('pull-request delivery on a schedule', () => {
  let repoDir: string
  let first: ActionRun
  let webDigest: string
  let apiDigest: string
  const repo = 'gitops-pr'

  beforeAll(async () => {
    webDigest = (await pushImage(reg, 'acme/web', 'latest', { seed: 'web-1' })).digest
    await pushImage(reg, 'acme/web', 'stable', { seed: 'web-stable-1' })
    apiDigest = (await pushImage(reg, 'acme/api', 'latest', { seed: 'api-1' })).digest
    repoDir = sampleRepo()
    fake.importRepo(OWNER, repo, repoDir)
    first = await runAction({
      workspace: repoDir,
      repository: `${OWNER}/${repo}`,
      apiUrl: fake.url,
      inputs: inputs({ labels: 'images' })
    })
  })

  it('opens one pull request per stream, with the stream file and the manifest that follows it', () => {
    expectClean(first)
    const pulls = fake.pulls(OWNER, repo)
    expect(pulls.map((p) => [p.head, p.base, p.state])).toEqual([
      ['imagestream/api', 'main', 'open'],
      ['imagestream/web', 'main', 'open']
    ])
    const web = YAML.parse(fake.fileAt(OWNER, repo, 'imagestream/web', 'deploy/web.yaml')!) as {
      spec: { template: { spec: { containers: Array<{ image: string }> } } }
    }
    expect(web.spec.template.spec.containers[0]!.image).toBe(`${reg.host}/acme/web@${webDigest}`)
    expect(statusTags(fake.fileAt(OWNER, repo, 'imagestream/web', 'imagestreams/web.yaml')!).latest).toEqual([
      webDigest
    ])
    // The web PR does not carry api's change, and the reverse.
    expect(fake.fileAt(OWNER, repo, 'imagestream/web', 'deploy/api.yaml')).toBe(read(repoDir, 'deploy/api.yaml'))
    expect(fake.fileAt(OWNER, repo, 'imagestream/api', 'imagestreams/web.yaml')).toBe(
      read(repoDir, 'imagestreams/web.yaml')
    )
    expect(fake.fileAt(OWNER, repo, 'imagestream/api', 'deploy/api.yaml')).toContain(`acme/api@${apiDigest}`)
    expect(pulls.every((p) => p.labels.includes('images'))).toBe(true)
    const webPull = pulls.find((p) => p.head === 'imagestream/web')!
    expect(webPull.body).toContain(webDigest.slice(7, 19))
    expect(webPull.title).toMatch(/^imagestream: update 2 tags in web$/)
  })

  it('writes outputs a workflow can parse', () => {
    expect(first.outputs.changed).toBe('true')
    expect(first.outputs.operation).toBe('created')
    const updates = JSON.parse(first.outputs.updates!) as Array<{
      stream: string
      tag: string
      oldDigest: string | null
      newDigest: string
      files: string[]
    }>
    expect(updates).toContainEqual(
      expect.objectContaining({
        stream: 'web',
        tag: 'latest',
        oldDigest: null,
        newDigest: webDigest,
        files: ['imagestreams/web.yaml', 'deploy/web.yaml']
      })
    )
    expect(updates.map((u) => `${u.stream}:${u.tag}`).sort()).toEqual(['api:latest', 'web:latest', 'web:stable'])
    expect(JSON.parse(first.outputs.failed!)).toEqual([])
    const number = Number(first.outputs['pull-request-number'])
    expect(fake.pulls(OWNER, repo).map((p) => p.number)).toContain(number)
    expect(first.outputs['pull-request-url']).toMatch(new RegExp(`/pull/${number}$`))
    expect(first.outputs['commit-sha']).toMatch(/^[0-9a-f]{40}$/)
    expect(first.summary).toContain('Updated 3 tags')
  })

  it('makes no API write when the same run happens again', async () => {
    // A later second than the first run's, so the stream file this run computes really differs in its timestamps.
    await new Promise((r) => setTimeout(r, 1100))
    fake.clearLog()
    const again = await runAction({
      workspace: repoDir,
      repository: `${OWNER}/${repo}`,
      apiUrl: fake.url,
      inputs: inputs({ labels: 'images' })
    })
    expectClean(again)
    expect(fake.writes()).toEqual([])
    expect(again.outputs.operation).toBe('none')
    // Nothing was written, so nothing changed (the open pull requests already propose every update).
    expect(again.outputs.changed).toBe('false')
    expect(JSON.parse(again.outputs.updates!)).toEqual([])
  })

  it('updates the same pull request in place when the tag moves again', async () => {
    const before = fake.pulls(OWNER, repo).find((p) => p.head === 'imagestream/web')!.number
    const next = (await pushImage(reg, 'acme/web', 'latest', { seed: 'web-2' })).digest
    const run = await runAction({
      workspace: repoDir,
      repository: `${OWNER}/${repo}`,
      apiUrl: fake.url,
      inputs: inputs({ labels: 'images' })
    })
    expectClean(run)
    const pulls = fake.pulls(OWNER, repo).filter((p) => p.head === 'imagestream/web')
    expect(pulls.map((p) => [p.number, p.state])).toEqual([[before, 'open']])
    expect(pulls[0]!.body).toContain(next.slice(7, 19))
    expect(fake.fileAt(OWNER, repo, 'imagestream/web', 'deploy/web.yaml')).toContain(`acme/web@${next}`)
    expect(run.outputs.operation).toBe('updated')
    // The checkout is never touched in pull-request mode.
    expect(gitStatus(repoDir)).toBe('')
  })

  it('closes a pull request whose change is no longer needed, and keeps the others', async () => {
    // Someone lands api's update on main by hand (the same files the PR proposes); the checkout is still the old main.
    const apiPull = fake.pulls(OWNER, repo).find((p) => p.head === 'imagestream/api')!
    const files = Object.fromEntries(
      ['imagestreams/api.yaml', 'deploy/api.yaml'].map((f) => [f, fake.fileAt(OWNER, repo, 'imagestream/api', f)!])
    )
    fake.push(OWNER, repo, 'main', files, 'update api by hand')
    const webBefore = fake.branchSha(OWNER, repo, 'imagestream/web')!
    const run = await runAction({
      workspace: repoDir,
      repository: `${OWNER}/${repo}`,
      apiUrl: fake.url,
      inputs: inputs({ labels: 'images' })
    })
    expectClean(run)
    const pulls = fake.pulls(OWNER, repo)
    expect(pulls.find((p) => p.number === apiPull.number)!.state).toBe('closed')
    expect(fake.branchSha(OWNER, repo, 'imagestream/api')).toBeUndefined()
    expect(
      fake
        .repo(OWNER, repo)
        .comments.filter((c) => c.issue === apiPull.number)
        .map((c) => c.body)
    ).toEqual([expect.stringContaining('no longer needed')])
    const web = pulls.find((p) => p.head === 'imagestream/web')!
    expect(web.state).toBe('open')
    // main's new commit touches none of web's files: the web branch is left as it is (rebase-when: conflicted), and
    // its commit changes web's files only, so merging it cannot revert main's api change.
    expect(fake.branchSha(OWNER, repo, 'imagestream/web')).toBe(webBefore)
    const parent = fake.commit(OWNER, repo, webBefore)!.parents[0]!
    expect(fake.fileAt(OWNER, repo, 'imagestream/web', 'deploy/api.yaml')).toBe(
      fake.fileAt(OWNER, repo, parent, 'deploy/api.yaml')
    )
    expect(JSON.parse(run.outputs.updates!).map((u: { stream: string }) => u.stream)).not.toContain('api')
  })

  it('never lets a secret reach the log, the summary, the outputs or a pull request', () => {
    const secrets = [
      GITHUB_TOKEN,
      REGISTRY_PASSWORD,
      Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64')
    ]
    for (const s of secrets) {
      expect(first.masked).toContain(s)
      expect(first.log).not.toContain(s)
      expect(first.stderr).not.toContain(s)
      expect(first.summary).not.toContain(s)
      expect(JSON.stringify(first.outputs)).not.toContain(s)
      for (const p of fake.pulls(OWNER, repo)) expect(`${p.title}\n${p.body}`).not.toContain(s)
    }
  })
})

describe('commit delivery', () => {
  it('survives the base branch moving mid-run: both the other commit and the update land, nothing is forced', async () => {
    const repo = 'gitops-commit'
    const digest = (await pushImage(reg, 'acme/web', 'latest', { seed: 'web-commit' })).digest
    await pushImage(reg, 'acme/web', 'stable', { seed: 'web-stable-1' })
    await pushImage(reg, 'acme/api', 'latest', { seed: 'api-1' })
    const dir = sampleRepo()
    fake.importRepo(OWNER, repo, dir)
    let concurrent = ''
    // Someone scales web up between the action's read of main and its ref update.
    fake.beforeNextRefUpdate(OWNER, repo, 'main', () => {
      concurrent = fake.push(
        OWNER,
        repo,
        'main',
        { 'deploy/web.yaml': deployment('web', 'web:latest', `${reg.host}/acme/web:latest`, 3) },
        'scale web'
      )
    })
    const run = await runAction({
      workspace: dir,
      repository: `${OWNER}/${repo}`,
      apiUrl: fake.url,
      inputs: inputs({ delivery: 'commit' })
    })
    expectClean(run)

    const manifest = fake.fileAt(OWNER, repo, 'main', 'deploy/web.yaml')!
    expect(manifest).toContain('replicas: 3')
    expect(manifest).toContain(`image: ${reg.host}/acme/web@${digest}`)
    expect(statusTags(fake.fileAt(OWNER, repo, 'main', 'imagestreams/web.yaml')!).latest).toEqual([digest])
    const head = fake.branchSha(OWNER, repo, 'main')!
    expect(fake.commit(OWNER, repo, head)!.parents).toEqual([concurrent])
    expect(run.outputs).toMatchObject({ operation: 'committed', 'commit-sha': head, changed: 'true' })
    const refUpdates = fake.requests.filter(
      (r) =>
        r.operation === 'PATCH /repos/{owner}/{repo}/git/refs/{ref}' &&
        decodeURIComponent(r.path).endsWith('/heads/main')
    )
    expect(refUpdates.map((r) => [r.status, (r.body as { force?: boolean }).force])).toEqual([
      [422, false],
      [200, false]
    ])
    expect(run.summary).toContain('Committed')
  })
})

describe('what an event imports (delivery none: the workspace is written, GitHub is not called)', () => {
  let latest: string
  let stable: string

  beforeAll(async () => {
    latest = (await pushImage(reg, 'acme/web', 'latest', { seed: 'web-events-latest' })).digest
    stable = (await pushImage(reg, 'acme/web', 'stable', { seed: 'web-events-stable' })).digest
  })

  async function runEvent(
    eventName: string,
    payload: unknown,
    over: Record<string, string> = {}
  ): Promise<{ run: ActionRun; dir: string }> {
    const dir = sampleRepo()
    fake.clearLog()
    const run = await runAction({
      workspace: dir,
      eventName,
      payload,
      apiUrl: fake.url,
      inputs: inputs({ delivery: 'none', ...over })
    })
    expect(fake.requests).toEqual([])
    return { run, dir }
  }

  /** Shaped like GitHub's published example (octokit/webhooks registry_package/published.docker), pointed at loopback. */
  function registryPackage(tag: string, digest: string): unknown {
    const version = {
      id: 214_234_152,
      version: digest,
      name: digest,
      description: '',
      summary: '',
      manifest: '',
      html_url: 'https://github.com/orgs/acme/packages/container/web/214234152',
      target_commitish: 'main',
      target_oid: '0b0cdb6f2d6e0a0f4a8ad7bd2a3e6f4b3ad2f4c1',
      created_at: '2024-05-02T09:15:03Z',
      updated_at: '2024-05-02T09:15:03Z',
      metadata: [],
      container_metadata: {
        tag: { name: tag, digest },
        labels: {
          description: '',
          source: 'https://github.com/acme/web',
          revision: '0b0cdb6f',
          image_url: '',
          licenses: '',
          all_labels: {}
        },
        manifest: {
          digest,
          media_type: 'application/vnd.oci.image.manifest.v1+json',
          uri: `repo:acme/web@${digest}`,
          size: 1234,
          config: {},
          layers: []
        }
      },
      package_files: [],
      installation_command: `docker pull ${reg.host}/acme/web:${tag}`,
      package_url: `${reg.host}/acme/web:${tag}`
    }
    return {
      action: 'published',
      registry_package: {
        id: 2_090_815,
        name: 'web',
        namespace: 'acme',
        description: '',
        ecosystem: 'CONTAINER',
        package_type: 'CONTAINER',
        html_url: 'https://github.com/orgs/acme/packages/container/package/web',
        created_at: '2024-05-01T08:00:00Z',
        updated_at: '2024-05-02T09:15:03Z',
        owner: { login: 'acme', id: 1, type: 'Organization' },
        package_version: version,
        registry: {
          about_url: 'https://docs.github.com/packages',
          name: 'GitHub CONTAINER registry',
          type: 'CONTAINER',
          url: `https://${reg.host}`,
          vendor: 'GitHub Inc'
        }
      },
      repository: { id: 1, name: 'web', full_name: 'acme/web', default_branch: 'main' },
      sender: { login: 'acme-bot', id: 2, type: 'Bot' }
    }
  }

  it('registry_package imports the published tag, and only it', async () => {
    const { run, dir } = await runEvent('registry_package', registryPackage('stable', stable))
    expectClean(run)
    expect(statusTags(read(dir, 'imagestreams/web.yaml'))).toEqual({ stable: [stable] })
    expect(statusTags(read(dir, 'imagestreams/api.yaml'))).toEqual({})
    expect(read(dir, 'deploy/api.yaml')).toBe(deployment('api', 'api:latest', `${reg.host}/acme/api:latest`))
    expect(JSON.parse(run.outputs.updates!)).toEqual([
      expect.objectContaining({ stream: 'web', tag: 'stable', newDigest: stable })
    ])
    expect(run.outputs.operation).toBe('none')
  })

  it('an untagged registry_package event (one manifest of a multi-arch push) does nothing and says why', async () => {
    const { run, dir } = await runEvent('registry_package', registryPackage('', stable))
    expectClean(run)
    expect(gitStatus(dir)).toBe('')
    expect(run.outputs.changed).toBe('false')
    expect(JSON.parse(run.outputs.updates!)).toEqual([])
    expect(run.summary).toContain('untagged manifest')
    expect(run.log).toContain('untagged manifest')
  })

  it('repository_dispatch with client_payload.image and digest imports the tags that follow that image', async () => {
    const { run, dir } = await runEvent('repository_dispatch', {
      action: 'image-pushed',
      client_payload: { image: `${reg.host}/acme/web:latest`, digest: latest },
      repository: { default_branch: 'main' }
    })
    expectClean(run)
    expect(statusTags(read(dir, 'imagestreams/web.yaml'))).toEqual({ latest: [latest] })
    expect(read(dir, 'deploy/web.yaml')).toContain(`image: ${reg.host}/acme/web@${latest}`)
    expect(read(dir, 'deploy/api.yaml')).toBe(deployment('api', 'api:latest', `${reg.host}/acme/api:latest`))
  })

  it('the image and digest inputs (a build step in the same job) import that tag only', async () => {
    const { run, dir } = await runEvent('push', {}, { image: `${reg.host}/acme/web:stable`, digest: stable })
    expectClean(run)
    expect(statusTags(read(dir, 'imagestreams/web.yaml'))).toEqual({ stable: [stable] })
    expect(run.summary).toContain('Updated 1 tag')
  })

  it('a digest the registry does not confirm fails the import, and the step', async () => {
    const wrong = `sha256:${'e'.repeat(64)}`
    const { run, dir } = await runEvent('push', {}, { image: `${reg.host}/acme/web:stable`, digest: wrong })
    expect(run.code).toBe(1)
    const failed = JSON.parse(run.outputs.failed!) as Array<{ stream: string; tag: string; reason: string }>
    expect(failed).toEqual([expect.objectContaining({ stream: 'web', tag: 'stable' })])
    expect(run.annotations.some((a) => a.kind === 'error' && a.message.includes('web:stable'))).toBe(true)
    expect(statusTags(read(dir, 'imagestreams/web.yaml')).stable ?? []).not.toContain(wrong)
  })
})

describe('annotations', () => {
  it('a binding that cannot be honoured and a broken stream file are annotated at their file and line', async () => {
    await pushImage(reg, 'acme/web', 'latest', { seed: 'web-annotations' })
    const dir = gitRepo({
      'imagestreams/web.yaml': streamFile('web', reg.host, 'acme/web', ['latest']),
      'imagestreams/broken.yaml':
        'apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: broken\nspec:\n  tags: 7\n',
      'deploy/orphan.yaml': deployment('orphan', 'missing:latest', 'quay.io/acme/orphan:1')
    })
    dirs.push(dir)
    const run = await runAction({ workspace: dir, apiUrl: fake.url, inputs: inputs({ delivery: 'none' }) })
    // web:latest still moved, so the run succeeds and says what it could not do.
    expectClean(run)
    const at = (file: string) => run.annotations.filter((a) => a.properties.file === file)
    expect(at('deploy/orphan.yaml')).toEqual([
      expect.objectContaining({ properties: expect.objectContaining({ line: expect.stringMatching(/^\d+$/) }) })
    ])
    expect(at('deploy/orphan.yaml')[0]!.message).toContain('missing')
    expect(at('imagestreams/broken.yaml')).toEqual([
      expect.objectContaining({ kind: 'error', properties: expect.objectContaining({ line: '6' }) })
    ])
    expect(statusTags(read(dir, 'imagestreams/web.yaml')).latest).toHaveLength(1)
  })

  it('the step fails when a stream file is broken and nothing could be updated', async () => {
    const dir = gitRepo({
      'imagestreams/broken.yaml': 'apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: [\n'
    })
    dirs.push(dir)
    const run = await runAction({ workspace: dir, apiUrl: fake.url, inputs: inputs({ delivery: 'none' }) })
    expect(run.code).toBe(1)
    expect(run.annotations.map((a) => [a.kind, a.properties.file])).toContainEqual([
      'error',
      'imagestreams/broken.yaml'
    ])
    expect(run.annotations.at(-1)!.message).toMatch(/stream file problem/)
    expect(run.outputs.changed).toBe('false')
  })
})

describe('invalid inputs fail the step, naming the input', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['delivery', { delivery: 'carrier-pigeon' }, /input delivery: must be one of pull-request, commit, none/],
    ['history-limit', { 'history-limit': 'ten' }, /input history-limit: must be a whole number/],
    ['streams', { streams: '../other-repo/*.yaml' }, /input streams: must be a path relative to the repository root/],
    ['digest', { image: 'ghcr.io/acme/web:1', digest: 'sha256:nope' }, /input digest: must be a digest/],
    ['title', { title: 'bump {stream} to {digset}' }, /input title: unknown placeholder \{digset\}/],
    ['github-token', { 'github-token': '' }, /input github-token: is required for delivery pull-request/],
    ['args', { command: 'rollback' }, /input args: is required for command rollback/]
  ]
  it.each(cases)('%s', async (_name, over, message) => {
    const dir = sampleRepo()
    const run = await runAction({ workspace: dir, apiUrl: fake.url, inputs: inputs(over) })
    expect(run.code).toBe(1)
    expect(run.annotations.filter((a) => a.kind === 'error').map((a) => a.message)).toEqual([
      expect.stringMatching(message)
    ])
    expect(gitStatus(dir)).toBe('')
  })

  it('a malformed registry-auth is refused without echoing it', async () => {
    const bad = `{"auths": {"${reg.host}": {"auth": "${REGISTRY_PASSWORD}"`
    const run = await runAction({ workspace: sampleRepo(), apiUrl: fake.url, inputs: inputs({ 'registry-auth': bad }) })
    expect(run.code).toBe(1)
    expect(run.annotations.map((a) => a.message)).toEqual([
      expect.stringMatching(/^input registry-auth: .*not valid JSON/)
    ])
    expect(run.log).not.toContain(REGISTRY_PASSWORD)
  })
})
