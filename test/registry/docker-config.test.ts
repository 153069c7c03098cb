import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CredentialStore } from '../../src/registry/credentials.js'
import {
  DockerConfigError,
  dockerConfigPath,
  normalizeConfigKey,
  parseDockerConfig,
  readDockerConfigFile,
  runCredentialHelper
} from '../../src/registry/docker-config.js'

const b64 = (s: string): string => Buffer.from(s).toString('base64')

describe('docker config.json parsing (registry.md §7)', () => {
  it('reads auth, username/password, identitytoken and registrytoken entries', () => {
    const config = parseDockerConfig(
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth: b64('hubuser:hub:pass') },
          'ghcr.io': { username: 'octo', password: 'ghp_x' },
          'registry.example.com:5000': { identitytoken: 'refresh-1' },
          'https://other.example/v2/': { registrytoken: 'bearer-1' }
        }
      })
    )
    // split on the first ':' only — passwords may contain colons
    expect(config.auths.get('docker.io')).toEqual({ username: 'hubuser', password: 'hub:pass' })
    expect(config.auths.get('ghcr.io')).toEqual({ username: 'octo', password: 'ghp_x' })
    expect(config.auths.get('registry.example.com:5000')).toEqual({ identityToken: 'refresh-1' })
    expect(config.auths.get('other.example')).toEqual({ registryToken: 'bearer-1' })
  })

  it('lets a non-empty auth override username/password and trims trailing NULs from the password', () => {
    const config = parseDockerConfig(
      JSON.stringify({ auths: { 'q.io': { auth: b64('u:p\0\0'), username: 'x', password: 'y' } } })
    )
    expect(config.auths.get('q.io')).toEqual({ username: 'u', password: 'p' })
  })

  it('normalizes keys like docker ConvertToHostname, every Hub spelling to docker.io', () => {
    expect(normalizeConfigKey('https://index.docker.io/v1/')).toBe('docker.io')
    expect(normalizeConfigKey('registry-1.docker.io')).toBe('docker.io')
    expect(normalizeConfigKey('http://Quay.IO/some/path')).toBe('quay.io')
    expect(normalizeConfigKey('127.0.0.1:5000')).toBe('127.0.0.1:5000')
  })

  it('reads credHelpers and credsStore', () => {
    const config = parseDockerConfig(
      JSON.stringify({ credsStore: 'desktop', credHelpers: { '1.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' } })
    )
    expect(config.credsStore).toBe('desktop')
    expect(config.credHelpers.get('1.dkr.ecr.us-east-1.amazonaws.com')).toBe('ecr-login')
  })

  it('rejects malformed input with a message naming the place and never the secret', () => {
    expect(() => parseDockerConfig('{"auths": {"x": {"auth": "bm9jb2xvbg=="}}}', 'cfg.json')).toThrow(
      /cfg\.json: auths\["x"\]\.auth must be base64 of "username:password"/
    )
    expect(() => parseDockerConfig('{"auths": []}', 'cfg.json')).toThrow(/"auths" must be an object/)
    expect(() => parseDockerConfig('[1]', 'cfg.json')).toThrow(DockerConfigError)
    expect(() => parseDockerConfig('{"credHelpers": {"a": "../../bin/sh"}}')).toThrow(/helper name/)
    let message = ''
    try {
      parseDockerConfig('{"auths": {"x": {"password": "s3cret-value", "username": 5}}}', 'cfg.json')
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toMatch(/username must be a string/)
    expect(message).not.toContain('s3cret-value')
    let jsonMessage = ''
    try {
      parseDockerConfig('{"auths": {"x": {"password": "s3cret-value" ', 'cfg.json')
    } catch (err) {
      jsonMessage = (err as Error).message
    }
    expect(jsonMessage).toMatch(/cfg\.json: not valid JSON/)
    expect(jsonMessage).not.toContain('s3cret-value')
  })

  it('finds the file from $DOCKER_CONFIG or the home directory; a missing file is empty', async () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/etc/dc' }, '/home/u')).toBe('/etc/dc/config.json')
    expect(dockerConfigPath({}, '/home/u')).toBe('/home/u/.docker/config.json')
    const empty = await readDockerConfigFile('/nonexistent/dir/config.json')
    expect(empty.auths.size).toBe(0)
  })
})

describe('credential helpers and the lookup order', () => {
  let dir: string
  let env: NodeJS.ProcessEnv
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'credhelper-'))
    // A real docker-credential-* program on PATH: reads the server from stdin like docker's helpers do.
    const helper = join(dir, 'docker-credential-fake')
    writeFileSync(
      helper,
      `#!/bin/sh
read server
case "$server" in
  helped.example) echo '{"ServerURL":"helped.example","Username":"helperuser","Secret":"helper-secret"}' ;;
  token.example) echo '{"ServerURL":"token.example","Username":"<token>","Secret":"refresh-from-helper"}' ;;
  https://index.docker.io/v1/) echo '{"ServerURL":"hub","Username":"hubby","Secret":"hub-secret"}' ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
`
    )
    chmodSync(helper, 0o755)
    const broken = join(dir, 'docker-credential-broken')
    writeFileSync(broken, '#!/bin/sh\necho "oops leaked-secret" >&2\nexit 3\n')
    chmodSync(broken, 0o755)
    env = { PATH: `${dir}:/usr/bin:/bin` }
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('runs docker-credential-<name> get with the server on stdin', async () => {
    expect(await runCredentialHelper('fake', 'helped.example', { env })).toEqual({
      username: 'helperuser',
      password: 'helper-secret'
    })
    expect(await runCredentialHelper('fake', 'token.example', { env })).toEqual({
      identityToken: 'refresh-from-helper'
    })
    expect(await runCredentialHelper('fake', 'unknown.example', { env })).toBeUndefined()
  })

  it('explains a missing or failing helper without echoing its output', async () => {
    await expect(runCredentialHelper('absent', 'x', { env })).rejects.toThrow(/docker-credential-absent is not on PATH/)
    const err = await runCredentialHelper('broken', 'x', { env }).catch((e: Error) => e)
    expect((err as Error).message).toMatch(/docker-credential-broken failed for x \(exit 3\)/)
    expect((err as Error).message).not.toContain('leaked-secret')
  })

  it('looks up explicit credentials, then the config JSON input (credHelpers, credsStore, auths), then the file, then GHCR', async () => {
    const file = join(dir, 'config.json')
    writeFileSync(
      file,
      JSON.stringify({ auths: { 'file.example': { auth: b64('fileuser:filepass') }, 'ghcr.io': {} } })
    )
    const secrets: string[] = []
    const store = new CredentialStore({
      credentials: { 'explicit.example': { username: 'e', password: 'explicit-pass' } },
      dockerConfigJson: JSON.stringify({
        credsStore: 'fake',
        credHelpers: { 'token.example': 'fake' },
        auths: { 'inline.example': { username: 'i', password: 'inline-pass' }, 'file.example': {} }
      }),
      dockerConfigFile: file,
      githubToken: 'ghs_token',
      helperEnv: env,
      onSecret: (s) => secrets.push(s)
    })
    expect(await store.get('explicit.example')).toEqual({ username: 'e', password: 'explicit-pass' })
    expect(await store.get('helped.example')).toEqual({ username: 'helperuser', password: 'helper-secret' })
    expect(await store.get('token.example')).toEqual({ identityToken: 'refresh-from-helper' })
    expect(await store.get('docker.io')).toEqual({ username: 'hubby', password: 'hub-secret' })
    expect(await store.get('inline.example')).toEqual({ username: 'i', password: 'inline-pass' })
    expect(await store.get('file.example')).toEqual({ username: 'fileuser', password: 'filepass' })
    expect(await store.get('ghcr.io')).toEqual({ username: 'x-access-token', password: 'ghs_token' })
    expect(await store.get('anon.example')).toBeUndefined()
    // every secret and the derived base64 user:pass were offered for masking
    for (const s of [
      'explicit-pass',
      'inline-pass',
      'helper-secret',
      'refresh-from-helper',
      'hub-secret',
      'filepass',
      'ghs_token',
      b64('fileuser:filepass')
    ]) {
      expect(secrets).toContain(s)
    }
  })

  it('fails at construction on a malformed config JSON input', () => {
    expect(() => new CredentialStore({ dockerConfigJson: '{not json' })).toThrow(
      /docker config JSON input: not valid JSON/
    )
  })
})
