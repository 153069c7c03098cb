/**
 * Behind a corporate proxy: the BUILT action (dist/index.js) and the BUILT CLI (dist/cli.js), on the Node action.yml
 * names, reach the registry and GitHub only through a real forward proxy (Debian's tinyproxy on loopback) when
 * HTTPS_PROXY / HTTP_PROXY are set and NO_PROXY is empty, and never tell the proxy any credential.
 *
 * How "only through the proxy" is shown: tinyproxy's outgoing connections come from 127.0.0.2 (`Bind`); the registry
 * and the fake GitHub sit behind TCP taps that record each connection's peer, so a direct connection (peer 127.0.0.1)
 * cannot hide. A tap in front of tinyproxy records what the clients told the proxy itself. The loopback targets are
 * plain http, so the tunnelled bytes are readable by the taps: that is how every request's Authorization is checked.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, runAction } from '../support/action-runner.js'
import { FakeGitHub } from '../support/github-fake.js'
import { actionNode } from '../support/node-runtime.js'
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js'
import { requestHeads, startTcpTap, type TcpTap } from '../support/tcp-tap.js'
import { PROXY_OUTGOING_ADDRESS, startTinyProxy, type TinyProxy } from '../support/tinyproxy.js'
import { deployment, gitRepo, read, streamFile } from './fixtures.js'

const GITHUB_TOKEN = 'ghs_SENTINELproxyTOKEN0123456789abcdef'
const USER = 'proxy-bot'
const PASSWORD = 'SENTINEL-proxy-registry-pw-41c2'
const OWNER = 'acme'
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`

let reg: TestRegistry
let fake: FakeGitHub
let proxy: TinyProxy
let regTap: TcpTap
let ghTap: TcpTap
let proxyTap: TcpTap
const dirs: string[] = []

beforeAll(async () => {
  reg = await startRegistry({ auth: 'htpasswd', users: { [USER]: PASSWORD } })
  fake = await FakeGitHub.start({ token: GITHUB_TOKEN })
  proxy = await startTinyProxy()
  regTap = await startTcpTap({ host: '127.0.0.1', port: reg.port })
  ghTap = await startTcpTap({ host: '127.0.0.1', port: Number(new URL(fake.url).port) })
  proxyTap = await startTcpTap({ host: '127.0.0.1', port: proxy.port })
  await pushImage(reg, 'acme/web', 'latest', { seed: 'proxy-web-1' })
})
afterAll(async () => {
  for (const t of [regTap, ghTap, proxyTap]) await t?.close()
  await proxy?.stop()
  await fake?.close()
  await reg?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function repo(): string {
  const dir = gitRepo({
    'imagestreams/web.yaml': streamFile('web', regTap.host, 'acme/web', ['latest']),
    'deploy/web.yaml': deployment('web', 'web:latest', `${regTap.host}/acme/web:latest`)
  })
  dirs.push(dir)
  return dir
}

/** The proxy variables a runner behind a proxy has; `lower` uses the lower-case names (curl's, undici's first). */
function proxyEnv(lower = false): Record<string, string> {
  const url = `http://127.0.0.1:${proxyTap.port}`
  return lower
    ? { https_proxy: url, http_proxy: url, no_proxy: '' }
    : { HTTPS_PROXY: url, HTTP_PROXY: url, NO_PROXY: '' }
}

/** The built CLI as a child process; asynchronous, because the taps forwarding its traffic live in this process. */
async function runCli(root: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const dockerConfig = mkdtempSync(join(tmpdir(), 'imagestream-proxy-docker-'))
  dirs.push(dockerConfig)
  writeFileSync(
    join(dockerConfig, 'config.json'),
    JSON.stringify({ auths: { [regTap.host]: { auth: BASIC.slice(6) } } })
  )
  const child = spawn(actionNode(), [join(ROOT, 'dist', 'cli.js'), '-C', root, 'sync', '--all'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dockerConfig, DOCKER_CONFIG: dockerConfig, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')))
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, out }
}

function header(head: string, name: string): string | undefined {
  return new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1]?.trim()
}

/** Connections and request heads a tap saw since `from` (an index into its connections). */
function since(tap: TcpTap, from: number): { peers: string[]; heads: string[] } {
  const conns = tap.connections.slice(from)
  return { peers: conns.map((c) => c.peer), heads: requestHeads(conns) }
}

/** What each client connection told the proxy itself: its first request head (after it, the tunnel's bytes). */
function toldTheProxy(from: number): string[] {
  return proxyTap.connections.slice(from).map((c) => requestHeads([c])[0] ?? c.sent.toString('latin1'))
}

describe('through a forward proxy (tinyproxy), NO_PROXY empty', () => {
  it('the CLI (sync) sends every registry request through the proxy, tunnelled, and tells the proxy no credential', async () => {
    const marks = { reg: regTap.connections.length, proxy: proxyTap.connections.length }
    const root = repo()
    const run = await runCli(root, proxyEnv())
    expect(run).toMatchObject({ code: 0 })
    expect(read(root, 'imagestreams/web.yaml')).toContain('sha256:')

    const registry = since(regTap, marks.reg)
    expect(registry.heads.length).toBeGreaterThan(0)
    expect(new Set(registry.peers)).toEqual(new Set([PROXY_OUTGOING_ADDRESS]))
    for (const head of registry.heads) {
      expect(head).not.toContain(GITHUB_TOKEN)
      const auth = header(head, 'authorization')
      if (auth !== undefined) expect(auth).toBe(BASIC)
    }
    expect(registry.heads.some((h) => header(h, 'authorization') === BASIC)).toBe(true)

    const told = toldTheProxy(marks.proxy)
    expect(told.length).toBe(registry.peers.length)
    for (const head of told) {
      expect(head).toMatch(new RegExp(`^CONNECT ${regTap.host} HTTP/1\\.1\\r\\n`))
      expect(head.toLowerCase()).not.toContain('authorization')
      expect(head).not.toContain(BASIC.slice(6))
    }
    expect(proxy.connects()).toContain(regTap.host)
  })

  it('the CLI honours the lower-case https_proxy / http_proxy too', async () => {
    const mark = regTap.connections.length
    const run = await runCli(repo(), proxyEnv(true))
    expect(run).toMatchObject({ code: 0 })
    const peers = since(regTap, mark).peers
    expect(peers.length).toBeGreaterThan(0)
    expect(new Set(peers)).toEqual(new Set([PROXY_OUTGOING_ADDRESS]))
  })

  it('the action sends every registry and GitHub request through the proxy; each host gets only its own credential', async () => {
    const marks = { reg: regTap.connections.length, gh: ghTap.connections.length, proxy: proxyTap.connections.length }
    const fakeBefore = fake.requests.length
    const root = repo()
    fake.importRepo(OWNER, 'gitops-proxy', root)
    const registryAuth = JSON.stringify({ auths: { [regTap.host]: { auth: BASIC.slice(6) } } })
    const run = await runAction({
      workspace: root,
      repository: `${OWNER}/gitops-proxy`,
      apiUrl: `http://${ghTap.host}`,
      inputs: { 'github-token': GITHUB_TOKEN, 'registry-auth': registryAuth },
      env: proxyEnv()
    })
    if (run.code !== 0) throw new Error(`the action failed (${run.code}):\n${run.stdout}\n${run.stderr}`)
    expect(fake.pulls(OWNER, 'gitops-proxy').length).toBe(1)

    const github = since(ghTap, marks.gh)
    expect(github.heads.length).toBe(fake.requests.length - fakeBefore)
    expect(new Set(github.peers)).toEqual(new Set([PROXY_OUTGOING_ADDRESS]))
    for (const head of github.heads) {
      expect(header(head, 'authorization')).toBe(`token ${GITHUB_TOKEN}`)
      expect(head).not.toContain(BASIC.slice(6))
    }
    const registry = since(regTap, marks.reg)
    expect(registry.heads.length).toBeGreaterThan(0)
    expect(new Set(registry.peers)).toEqual(new Set([PROXY_OUTGOING_ADDRESS]))
    for (const head of registry.heads) expect(head).not.toContain(GITHUB_TOKEN)

    const told = toldTheProxy(marks.proxy)
    expect(told.length).toBe(github.peers.length + registry.peers.length)
    for (const head of told) {
      expect(head).toMatch(new RegExp(`^CONNECT (${regTap.host}|${ghTap.host}) HTTP/1\\.1\\r\\n`))
      expect(head.toLowerCase()).not.toContain('authorization')
      expect(head).not.toContain(GITHUB_TOKEN)
    }
  })
})

describe('NO_PROXY', () => {
  it('a host NO_PROXY names is reached directly: no proxy connection, the peer is the client itself', async () => {
    const marks = { reg: regTap.connections.length, proxy: proxyTap.connections.length }
    const run = await runCli(repo(), { ...proxyEnv(), NO_PROXY: '127.0.0.1' })
    expect(run).toMatchObject({ code: 0 })
    const peers = since(regTap, marks.reg).peers
    expect(peers.length).toBeGreaterThan(0)
    expect(new Set(peers)).toEqual(new Set(['127.0.0.1']))
    expect(proxyTap.connections.length).toBe(marks.proxy)
  })
})
