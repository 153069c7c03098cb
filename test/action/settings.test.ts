import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { readSettings, splitWords, type Settings } from '../../src/action/settings.js'
import { actionOutputs } from '../../src/report/outputs.js'
import { ROOT } from '../support/action-runner.js'

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>
  outputs: Record<string, unknown>
}

/** The inputs as the runner passes them: every action.yml default, then the workflow's `with:`. */
function settings(over: Record<string, string> = {}): Settings {
  const values: Record<string, string> = { 'github-token': 'ghs_token' }
  for (const [name, spec] of Object.entries(action.inputs))
    if (!(spec.default ?? '').includes('${{')) values[name] = spec.default ?? ''
  Object.assign(values, over)
  return readSettings((name) => {
    if (!(name in action.inputs)) throw new Error(`readSettings asked for "${name}", which action.yml does not declare`)
    return values[name] ?? ''
  })
}

function fails(over: Record<string, string>): string {
  try {
    settings(over)
  } catch (err) {
    return (err as Error).message
  }
  throw new Error(`expected ${JSON.stringify(over)} to be refused`)
}

describe('readSettings', () => {
  it('reads the action.yml defaults into a complete settings object', () => {
    expect(settings()).toEqual({
      command: 'sync',
      args: [],
      images: { all: false, tags: [] },
      streamsGlob: 'imagestreams/**/*.{yaml,yml}',
      manifestGlobs: { include: ['**/*.{yaml,yml}'], exclude: [] },
      image: undefined,
      digest: undefined,
      delivery: 'pull-request',
      baseBranch: undefined,
      branchPrefix: 'imagestream/',
      group: 'stream',
      titleTemplate: undefined,
      commitMessageTemplate: undefined,
      labels: [],
      reviewers: [],
      shards: 4,
      shardResults: [],
      teamReviewers: [],
      assignees: [],
      draft: false,
      autoMerge: undefined,
      githubToken: 'ghs_token',
      registryAuth: undefined,
      platform: { os: 'linux', architecture: 'amd64' },
      historyLimit: 10,
      concurrency: 16,
      pinFormat: 'digest',
      allowedRegistries: [],
      rebaseWhen: 'conflicted',
      author: undefined,
      committer: undefined,
      signoff: false,
      deleteBranch: false,
      maintainerCanModify: true
    })
  })

  it("reads the scale-out inputs: plan shards, a run's shard, deliver's shard results", () => {
    expect(settings({ command: 'plan', shards: '16' }).shards).toBe(16)
    expect(settings({ shard: '2/3' }).shard).toEqual({ index: 2, count: 3, label: '2/3' })
    expect(settings({ command: 'deliver', 'shard-results': 'a.json\n shards/*.json \n' }).shardResults).toEqual([
      'a.json',
      'shards/*.json'
    ])
    expect(fails({ shard: '4/3' })).toMatch(/^input shard: a shard is written i\/N/)
    expect(fails({ command: 'tag', args: 'a:1 b:1', shard: '1/2' })).toMatch(/^input shard: applies to sync, import/)
    expect(fails({ command: 'deliver' })).toMatch(/^input shard-results: is required for command deliver/)
    expect(fails({ command: 'plan', shards: '300' })).toMatch(/^input shards:/)
  })

  it("takes create-pull-request's names: token wins over github-token, base is base-branch, branch the prefix", () => {
    const s = settings({ token: 'ghp_pat', base: 'release', branch: 'deps' })
    expect([s.githubToken, s.baseBranch, s.branchPrefix]).toEqual(['ghp_pat', 'release', 'deps/'])
    expect(settings({ branch: 'deps/' }).branchPrefix).toBe('deps/')
  })

  it('reads author, committer, signoff, milestone, delete-branch, maintainer-can-modify, rebase-when and body', () => {
    const s = settings({
      author: 'Image Bot <bot@acme.example>',
      committer: 'CI <ci@acme.example>',
      signoff: 'true',
      milestone: '7',
      'delete-branch': 'true',
      'maintainer-can-modify': 'false',
      'rebase-when': 'behind',
      body: 'Intro\n{changes}'
    })
    expect(s).toMatchObject({
      author: { name: 'Image Bot', email: 'bot@acme.example' },
      committer: { name: 'CI', email: 'ci@acme.example' },
      signoff: true,
      milestone: 7,
      deleteBranch: true,
      maintainerCanModify: false,
      rebaseWhen: 'behind',
      bodyTemplate: 'Intro\n{changes}'
    })
  })

  it.each([
    [{ author: 'bot@acme.example' }, /^input author: must be "Display Name <email@address.com>"/],
    [{ milestone: 'v2' }, /^input milestone: must be a milestone number/],
    [{ 'rebase-when': 'always' }, /^input rebase-when: must be one of conflicted, behind, never/],
    [{ body: 'x', 'body-path': 'b.md' }, /^input body-path: give body or body-path, not both/],
    [{ 'delete-branch': 'yes' }, /^input delete-branch: must be true or false/]
  ])('refuses %j', (over, message) => {
    expect(fails(over as Record<string, string>)).toMatch(message)
  })

  it('reads every input that is set', () => {
    const s = settings({
      command: 'import',
      images: 'web:latest\nshop/api:v1.2',
      streams: 'streams/*.yaml',
      manifests: 'deploy/**/*.yaml\n!deploy/legacy/**',
      delivery: 'commit',
      'base-branch': 'release/1.x',
      'branch-prefix': 'bump/',
      group: 'tag',
      title: 'chore: {stream}:{tag} → {digest}',
      'commit-message': 'chore: bump {count} tags',
      labels: 'images, automated',
      reviewers: 'octocat, acme/platform-team',
      assignees: 'hubot',
      draft: 'TRUE',
      'auto-merge': 'squash',
      'registry-auth': '/run/secrets/config.json',
      platform: 'linux/arm64/v8',
      'history-limit': '25',
      concurrency: '4',
      'pin-format': 'tag-digest',
      'allowed-registries': 'ghcr.io/acme, quay.io'
    })
    expect(s).toMatchObject({
      command: 'import',
      images: { all: false, tags: ['web:latest', 'shop/api:v1.2'] },
      streamsGlob: 'streams/*.yaml',
      manifestGlobs: { include: ['deploy/**/*.yaml'], exclude: ['deploy/legacy/**'] },
      delivery: 'commit',
      baseBranch: 'release/1.x',
      branchPrefix: 'bump/',
      group: 'tag',
      titleTemplate: 'chore: {stream}:{tag} → {digest}',
      commitMessageTemplate: 'chore: bump {count} tags',
      labels: ['images', 'automated'],
      reviewers: ['octocat'],
      teamReviewers: ['acme/platform-team'],
      assignees: ['hubot'],
      draft: true,
      autoMerge: 'squash',
      registryAuth: '/run/secrets/config.json',
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      historyLimit: 25,
      concurrency: 4,
      pinFormat: 'tag-digest',
      allowedRegistries: ['ghcr.io/acme', 'quay.io']
    })
  })

  it('takes images: all, image + digest, and the args words of tag/rollback/resume', () => {
    expect(settings({ images: 'all' }).images).toEqual({ all: true, tags: [] })
    const digest = `sha256:${'a'.repeat(64)}`
    expect(settings({ image: 'ghcr.io/acme/web:main', digest })).toMatchObject({
      image: 'ghcr.io/acme/web:main',
      digest
    })
    expect(settings({ command: 'rollback', args: 'web:prod --to-generation 3' }).args).toEqual([
      'web:prod',
      '--to-generation',
      '3'
    ])
    expect(settings({ delivery: 'none', 'github-token': '' }).githubToken).toBe('')
  })

  const refusals: Array<[string, Record<string, string>, RegExp]> = [
    [
      'command',
      { command: 'deploy' },
      /^input command: must be one of sync, import, apply-triggers, tag, rollback, resume, plan, deliver; got "deploy"$/
    ],
    ['args (missing for tag)', { command: 'tag' }, /^input args: is required for command tag/],
    [
      'images',
      { images: 'web' },
      /^input images: each line must be \[namespace\/\]stream:tag or the word all; got "web"$/
    ],
    ['images (upper case)', { images: 'Web:latest' }, /^input images: /],
    [
      'streams (absolute)',
      { streams: '/etc/*.yaml' },
      /^input streams: must be a path relative to the repository root/
    ],
    ['streams (..)', { streams: 'a/../../b/*.yaml' }, /^input streams: /],
    ['manifests (..)', { manifests: 'deploy/**\n!../x' }, /^input manifests: /],
    [
      'image (spaces)',
      { image: 'ghcr.io/acme/web:1 ; rm -rf /' },
      /^input image: must be one image reference without spaces$/
    ],
    ['image (not a reference)', { image: 'ghcr.io/acme/Web::1' }, /^input image: is not an image reference/],
    ['digest (without image)', { digest: `sha256:${'a'.repeat(64)}` }, /^input digest: needs the input image too/],
    ['digest (malformed)', { image: 'ghcr.io/acme/web:1', digest: 'sha256:xyz' }, /^input digest: must be a digest/],
    ['delivery', { delivery: 'email' }, /^input delivery: must be one of pull-request, commit, none; got "email"$/],
    [
      'github-token (needed for commit)',
      { delivery: 'commit', 'github-token': '' },
      /^input github-token: is required for delivery commit/
    ],
    ['base-branch', { 'base-branch': 'main..evil' }, /^input base-branch: is not a valid branch name/],
    ['branch-prefix', { 'branch-prefix': 'bump me/' }, /^input branch-prefix: must be a branch name prefix/],
    ['group', { group: 'team' }, /^input group: must be one of stream, all, tag; got "team"$/],
    ['title', { title: 'bump {tga}' }, /^input title: unknown placeholder \{tga\}/],
    ['commit-message', { 'commit-message': '{image} moved' }, /^input commit-message: unknown placeholder \{image\}/],
    ['labels', { labels: 'x'.repeat(51) }, /^input labels: label longer than 50 characters/],
    ['reviewers', { reviewers: 'not a user' }, /^input reviewers: is not a GitHub user or org\/team: "not a user"$/],
    ['assignees', { assignees: 'acme/team' }, /^input assignees: is not a GitHub user: "acme\/team"$/],
    ['draft', { draft: 'yes' }, /^input draft: must be true or false; got "yes"$/],
    [
      'auto-merge',
      { 'auto-merge': 'fast-forward' },
      /^input auto-merge: must be one of merge, squash, rebase; got "fast-forward"$/
    ],
    ['platform', { platform: 'amd64' }, /^input platform: must be os\/arch\[\/variant\]/],
    [
      'history-limit (not a number)',
      { 'history-limit': '10 items' },
      /^input history-limit: must be a whole number; got "10 items"$/
    ],
    ['history-limit (range)', { 'history-limit': '0' }, /^input history-limit: must be between 1 and 10000; got 0$/],
    ['concurrency', { concurrency: '1000' }, /^input concurrency: must be between 1 and 256; got 1000$/],
    ['pin-format', { 'pin-format': 'tag' }, /^input pin-format: must be one of digest, tag-digest; got "tag"$/],
    [
      'allowed-registries',
      { 'allowed-registries': 'https://ghcr.io' },
      /^input allowed-registries: each entry must be a host or host\/path prefix/
    ]
  ]
  it.each(refusals)('refuses a bad %s with a message naming the input', (_name, over, message) => {
    expect(fails(over)).toMatch(message)
  })

  it('asks only for inputs action.yml declares, and every declared input is read', () => {
    const asked = new Set<string>()
    readSettings((name) => {
      asked.add(name)
      return name === 'github-token' ? 't' : ''
    })
    expect([...asked].sort()).toEqual(Object.keys(action.inputs).sort())
  })

  it('action.yml declares the outputs the action sets', () => {
    const set = actionOutputs({ mode: 'pull-request', changes: [], failures: [], fileOf: () => undefined })
    // matrix (command plan) and shard-result (a sharded run) are set by those runs only (action/scale-out.ts).
    expect(Object.keys(action.outputs).sort()).toEqual([...Object.keys(set), 'matrix', 'shard-result'].sort())
  })
})

describe('splitWords', () => {
  it('splits like a shell splits plain and quoted words, without running one', () => {
    expect(splitWords(`web:1.4 web:prod --alias`)).toEqual(['web:1.4', 'web:prod', '--alias'])
    expect(splitWords(`'a b' "c \\"d\\"" $(id)`)).toEqual(['a b', 'c "d"', '$(id)'])
    expect(splitWords('  ')).toEqual([])
  })
})
