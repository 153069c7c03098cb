/**
 * `npm run try-builds` — the builds loop of docs/builds.md, offline (run with tsx): a loopback registry (Debian's
 * docker-registry, the tests' harness), a sample GitOps repository (git, in a temp dir) and the GitHub API fake.
 *   1. a multi-arch base image is pushed; the pipeline imports it, records the BuildConfig's build and pins the last
 *      FROM of its Dockerfile (the index digest); the build workflow is dispatched (workflow_dispatch, to the fake);
 *   2. the "build" — this script, standing in for the dispatched workflow — pushes the application image;
 *   3. the pipeline imports it and bumps the Deployment that follows app:latest.
 * Everything is removed at the end.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createGitHubClient } from '../src/delivery/github-client.js'
import { planDispatches, sendDispatches } from '../src/delivery/dispatch.js'
import { runPipeline } from '../src/pipeline/run.js'
import { createRegistryClient } from '../src/registry/client.js'
import { FakeGitHub } from '../test/support/github-fake.js'
import { pushImage, pushIndex, startRegistry } from '../test/support/registry.js'

const banner = (s: string) => process.stdout.write(`\n\x1b[1m== ${s}\x1b[0m\n`)

function stream(name: string, from: string): string {
  return `apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: ${name}
spec:
  lookupPolicy:
    local: false
  tags:
  - name: latest
    annotations: null
    from: {kind: DockerImage, name: "${from}"}
    importPolicy: {importMode: Legacy, insecure: true, scheduled: true}
    referencePolicy: {type: Source}
`
}

const BUILD_CONFIG = `apiVersion: build.openshift.io/v1
kind: BuildConfig
metadata:
  name: app
  annotations:
    imagestream-action.dev/dispatch-workflow: build.yml
spec:
  output:
    to: {kind: ImageStreamTag, name: "app:latest"}
  source:
    git: {uri: "https://github.com/acme/app.git"}
    contextDir: app
  strategy:
    dockerStrategy:
      from: {kind: ImageStreamTag, name: "base:latest"}
  triggers:
  - type: ImageChange
    imageChange: {}
`

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  annotations:
    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"app:latest"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"app\\")].image"}]'
spec:
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
      - name: app
        image: app:unset
`

async function main(): Promise<void> {
  const reg = await startRegistry({ auth: 'open' })
  const fake = await FakeGitHub.start({ token: 'demo' })
  const root = mkdtempSync(join(tmpdir(), 'imagestream-try-builds-'))
  const registry = createRegistryClient({ maxRetries: 1 })
  try {
    fake.createRepo('acme', 'app', { 'README.md': 'app\n' })
    const gh = createGitHubClient({ token: 'demo', baseUrl: fake.url, throttle: false })
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' })
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true })
      writeFileSync(join(root, path), text)
    }
    write('imagestreams/base.yaml', stream('base', `${reg.host}/ubi9/python-311:latest`))
    write('imagestreams/app.yaml', stream('app', `${reg.host}/acme/app:latest`))
    write('openshift/bc.yaml', BUILD_CONFIG)
    write('openshift/deployment.yaml', DEPLOYMENT)
    write('app/Dockerfile', 'FROM registry.access.redhat.com/ubi9/python-311:latest\nCOPY . /app\n')
    git('init', '-q', '-b', 'main')
    git('-c', 'user.name=Demo', '-c', 'user.email=demo@example.com', 'add', '-A')
    git('-c', 'user.name=Demo', '-c', 'user.email=demo@example.com', 'commit', '-qm', 'seed')
    const sync = async (label: string) => {
      const result = await runPipeline({
        root,
        streamsGlob: 'imagestreams/**/*.yaml',
        intent: { kind: 'all' },
        triggers: true,
        registry,
        clock: { now: () => new Date() },
        write: true,
        metadata: false
      })
      const log = {
        debug: () => {},
        info: (m: string) => process.stdout.write(`dispatched: ${m}\n`),
        warning: (m: string) => process.stdout.write(`warning: ${m}\n`)
      }
      const dispatches = planDispatches(result.builds, result.changes, result.streams)
      const sent = await sendDispatches(gh, { owner: 'acme', repo: 'app' }, 'main', dispatches, log)
      for (const e of sent.errors) process.stdout.write(`dispatch failed: ${e}\n`)
      process.stdout.write(git('-c', 'color.ui=always', 'diff', '--stat'))
      process.stdout.write(git('-c', 'color.ui=always', 'diff', '--word-diff', '--', 'app', 'openshift'))
      git('-c', 'user.name=Demo', '-c', 'user.email=demo@example.com', 'commit', '-qam', label)
    }

    banner('1. The base image is pushed (two platforms); the pipeline runs')
    const base = await pushIndex(reg, 'ubi9/python-311', 'latest', undefined, { seed: 'base-security-fix' })
    process.stdout.write(`base index ${base.digest}\n`)
    await sync('base moved')
    const dispatched = fake.repo('acme', 'app').dispatches
    process.stdout.write(`the fake GitHub received: ${JSON.stringify(dispatched, null, 2)}\n`)

    banner('2. The dispatched build pushes the application image (this script stands in for it)')
    const app = await pushImage(reg, 'acme/app', 'latest', { seed: `app built on ${base.digest}` })
    process.stdout.write(`app image ${app.digest}\n`)

    banner('3. The pipeline runs again: the Deployment follows app:latest')
    await sync('app moved')
    const total = fake.repo('acme', 'app').dispatches.length
    process.stdout.write(`\nworkflow dispatches in total: ${total} (one per new base digest)\n`)
  } finally {
    await registry.close()
    await fake.close()
    await reg.stop()
    rmSync(root, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`try-builds: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
