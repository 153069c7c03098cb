/**
 * `imagestream resolve` against a real loopback registry: the digest it prints is the one the registry reports.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { register } from '../../src/cli/commands/resolve.js'
import { runCli } from '../../src/cli/shared/program.js'
import { DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST, type PushedImage, type PushedIndex } from '../support/push.js'
import { pushImage, pushIndex, startRegistry, type TestRegistry } from '../support/registry.js'

let reg: TestRegistry
let oci: PushedImage
let docker: PushedImage
let index: PushedIndex
let configDir: string
let stdout: string
let stderr: string
const savedDockerConfig = process.env.DOCKER_CONFIG

beforeAll(async () => {
  reg = await startRegistry({ auth: 'open' })
  oci = await pushImage(reg, 'acme/web', 'v1')
  docker = await pushImage(reg, 'acme/web', 'v1-docker', { mediaType: 'docker', seed: 'docker' })
  index = await pushIndex(
    reg,
    'acme/multi',
    'v1',
    [
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: 'amd64' }
    ],
    { attestation: true }
  )
  // Never read the developer's own ~/.docker/config.json in tests.
  configDir = mkdtempSync(join(tmpdir(), 'cli-dockercfg-'))
  process.env.DOCKER_CONFIG = configDir
})

afterAll(async () => {
  if (savedDockerConfig === undefined) delete process.env.DOCKER_CONFIG
  else process.env.DOCKER_CONFIG = savedDockerConfig
  rmSync(configDir, { recursive: true, force: true })
  await reg?.stop()
})

beforeEach(() => {
  stdout = ''
  stderr = ''
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk)
    return true
  })
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk)
    return true
  })
})

afterEach(() => {
  jest.restoreAllMocks()
})

const run = (...argv: string[]): Promise<number> => runCli(['resolve', ...argv], [register])

describe('imagestream resolve', () => {
  it('prints the registry digest of an OCI image as JSON', async () => {
    expect(await run(`${reg.host}/acme/web:v1`, '-o', 'json')).toBe(0)
    expect(JSON.parse(stdout)).toEqual({
      reference: `${reg.host}/acme/web:v1`,
      digest: oci.digest,
      mediaType: OCI_MANIFEST
    })
  })

  it('prints the registry digest of a Docker v2 image', async () => {
    expect(await run(`${reg.host}/acme/web:v1-docker`, '-o', 'json')).toBe(0)
    expect(JSON.parse(stdout)).toMatchObject({ digest: docker.digest, mediaType: DOCKER_MANIFEST })
  })

  it('Legacy (default): an index resolves to its linux/amd64 child, with every child listed', async () => {
    expect(await run(`${reg.host}/acme/multi:v1`, '-o', 'json')).toBe(0)
    const out = JSON.parse(stdout) as Record<string, unknown>
    expect(out).toMatchObject({
      digest: index.children[1]!.digest,
      mediaType: OCI_MANIFEST,
      platform: { os: 'linux', architecture: 'amd64' },
      indexDigest: index.digest,
      indexMediaType: OCI_INDEX
    })
    expect(out.manifests).toEqual([
      {
        digest: index.children[0]!.digest,
        mediaType: OCI_MANIFEST,
        size: expect.any(Number),
        platform: { os: 'linux', architecture: 'arm64' }
      },
      {
        digest: index.children[1]!.digest,
        mediaType: OCI_MANIFEST,
        size: expect.any(Number),
        platform: { os: 'linux', architecture: 'amd64' }
      }
    ])
  })

  it('PreserveOriginal: an index resolves to the index digest', async () => {
    expect(await run(`${reg.host}/acme/multi:v1`, '--import-mode', 'PreserveOriginal', '-o', 'json')).toBe(0)
    const out = JSON.parse(stdout) as { digest: string; mediaType: string; manifests: unknown[] }
    expect(out.digest).toBe(index.digest)
    expect(out.mediaType).toBe(OCI_INDEX)
    expect(out.manifests).toHaveLength(2)
  })

  it('--platform picks another child; yaml and table outputs carry the same digest', async () => {
    expect(await run(`${reg.host}/acme/multi:v1`, '--platform', 'linux/arm64', '-o', 'yaml')).toBe(0)
    expect(stdout).toContain(`digest: ${index.children[0]!.digest}`)
    stdout = ''
    expect(await run(`${reg.host}/acme/multi:v1`)).toBe(0)
    expect(stdout).toMatch(new RegExp(`DIGEST\\s+${index.children[1]!.digest}`))
    expect(stdout).toMatch(new RegExp(`linux/arm64\\s+${index.children[0]!.digest}`))
  })

  it('resolves by digest', async () => {
    expect(await run(`${reg.host}/acme/web@${oci.digest}`, '-o', 'json')).toBe(0)
    expect(JSON.parse(stdout).digest).toBe(oci.digest)
  })

  it('exits 1 with the reason and message on stderr for a registry error', async () => {
    expect(await run(`${reg.host}/acme/web:missing`, '-o', 'json')).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^error: NotFound: 127\.0\.0\.1:\d+\/acme\/web:missing: no such tag or repository/)
  })

  it('exits 2 for an invalid reference, platform or option', async () => {
    expect(await run('Not A Reference!', '-o', 'json')).toBe(2)
    expect(stderr).toMatch(/invalid image reference/)
    stderr = ''
    expect(await run(`${reg.host}/acme/web:v1`, '--platform', 'amd64')).toBe(2)
    expect(stderr).toMatch(/--platform: invalid platform "amd64"/)
    expect(await run(`${reg.host}/acme/web:v1`, '--import-mode', 'Sometimes')).toBe(2)
    expect(await run(`${reg.host}/acme/web:v1`, '-o', 'xml')).toBe(2)
  })
})
