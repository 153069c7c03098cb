/** A small GitOps repository for the action's end-to-end tests: streams pointing at a loopback registry, a Deployment. */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export function streamFile(name: string, host: string, repo: string, tags: string[]): string {
  return [
    'apiVersion: image.openshift.io/v1',
    'kind: ImageStream',
    'metadata:',
    `  name: ${name}`,
    '  generation: 1',
    'spec:',
    '  lookupPolicy:',
    '    local: false',
    '  tags:',
    ...tags.flatMap((t) => [
      `  - name: ${t}`,
      '    annotations: null',
      '    from:',
      '      kind: DockerImage',
      `      name: ${host}/${repo}:${t}`,
      '    generation: 1',
      '    importPolicy:',
      '      scheduled: true',
      '    referencePolicy:',
      '      type: Source'
    ]),
    ''
  ].join('\n')
}

export function deployment(name: string, streamTag: string, image: string, replicas = 1): string {
  const trigger = JSON.stringify([
    {
      from: { kind: 'ImageStreamTag', name: streamTag },
      fieldPath: `spec.template.spec.containers[?(@.name=="${name}")].image`
    }
  ])
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  annotations:',
    `    image.openshift.io/triggers: '${trigger}'`,
    'spec:',
    `  replicas: ${replicas}`,
    '  template:',
    '    spec:',
    '      containers:',
    `      - name: ${name}`,
    `        image: ${image}`,
    ''
  ].join('\n')
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
      GIT_AUTHOR_DATE: '2024-05-01T00:00:00Z',
      GIT_COMMITTER_DATE: '2024-05-01T00:00:00Z'
    }
  }).trim()
}

/** A git repository (branch main, one commit) holding `files`; returns its path. */
export function gitRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'imagestream-gitops-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  git(dir, 'init', '-q', '-b', 'main')
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', 'Initial commit')
  return dir
}

export function headSha(dir: string): string {
  return git(dir, 'rev-parse', 'HEAD')
}

export function read(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8')
}

export function gitStatus(dir: string): string {
  return git(dir, 'status', '--porcelain')
}
