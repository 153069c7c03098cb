import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DOCKER_HUB_DOMAIN } from './hosts.js'

/**
 * Docker's `config.json` credentials (registry.md §7): `auths` entries (`auth`, `username`/`password`,
 * `identitytoken`, `registrytoken`), `credHelpers` per host and a default `credsStore`, both run as
 * `docker-credential-<name> get` with the server on stdin. Lookup order is the docker CLI's: credHelpers[host], then
 * credsStore, then auths.
 */
export interface RegistryCredential {
  username?: string
  password?: string
  /** An OAuth2 refresh token: exchanged at the token realm with `grant_type=refresh_token`. */
  identityToken?: string
  /** A bearer token sent to the registry as-is. */
  registryToken?: string
}

export interface DockerConfig {
  auths: Map<string, RegistryCredential>
  credHelpers: Map<string, string>
  credsStore?: string
}

export class DockerConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DockerConfigError'
  }
}

/**
 * docker's ConvertToHostname: strip the scheme and any path, so `https://index.docker.io/v1/` and `ghcr.io/` both
 * become keys; every Docker Hub spelling maps to `docker.io`, the domain references carry.
 */
export function normalizeConfigKey(key: string): string {
  let host = key.trim()
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
  host = host.split('/')[0]!.toLowerCase()
  if (host === 'index.docker.io' || host === 'registry-1.docker.io' || host === 'registry.hub.docker.com') {
    return DOCKER_HUB_DOMAIN
  }
  return host
}

/** Parses config.json text. `source` names the file (or input) in error messages; values never appear in them. */
export function parseDockerConfig(text: string, source = 'docker config'): DockerConfig {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new DockerConfigError(`${source}: not valid JSON (${(err as Error).message.replace(/"[^"]*"/g, '…')})`)
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new DockerConfigError(`${source}: expected a JSON object with "auths", "credHelpers" or "credsStore"`)
  }
  const obj = raw as Record<string, unknown>
  const config: DockerConfig = { auths: new Map(), credHelpers: new Map() }
  const auths = obj.auths
  if (auths !== undefined && auths !== null) {
    if (typeof auths !== 'object' || Array.isArray(auths))
      throw new DockerConfigError(`${source}: "auths" must be an object`)
    for (const [key, value] of Object.entries(auths as Record<string, unknown>)) {
      if (typeof value !== 'object' || value === null) {
        throw new DockerConfigError(`${source}: auths["${key}"] must be an object`)
      }
      config.auths.set(
        normalizeConfigKey(key),
        parseAuthEntry(value as Record<string, unknown>, `${source}: auths["${key}"]`)
      )
    }
  }
  const helpers = obj.credHelpers
  if (helpers !== undefined && helpers !== null) {
    if (typeof helpers !== 'object' || Array.isArray(helpers)) {
      throw new DockerConfigError(`${source}: "credHelpers" must be an object of host → helper name`)
    }
    for (const [key, value] of Object.entries(helpers as Record<string, unknown>)) {
      if (typeof value !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(value)) {
        throw new DockerConfigError(`${source}: credHelpers["${key}"] must be a helper name such as "ecr-login"`)
      }
      config.credHelpers.set(normalizeConfigKey(key), value)
    }
  }
  if (obj.credsStore !== undefined && obj.credsStore !== '') {
    if (typeof obj.credsStore !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(obj.credsStore)) {
      throw new DockerConfigError(`${source}: "credsStore" must be a helper name such as "desktop"`)
    }
    config.credsStore = obj.credsStore
  }
  return config
}

function parseAuthEntry(entry: Record<string, unknown>, where: string): RegistryCredential {
  const str = (name: string): string | undefined => {
    const v = entry[name]
    if (v === undefined || v === null || v === '') return undefined
    if (typeof v !== 'string') throw new DockerConfigError(`${where}.${name} must be a string`)
    return v
  }
  const cred: RegistryCredential = {}
  const auth = str('auth')
  if (auth !== undefined) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) throw new DockerConfigError(`${where}.auth must be base64 of "username:password"`)
    cred.username = decoded.slice(0, colon)
    // docker and containers/image trim NULs that some tools leave at the end of the password.
    cred.password = decoded.slice(colon + 1).replace(/\0+$/, '')
  } else {
    cred.username = str('username')
    cred.password = str('password')
  }
  const identityToken = str('identitytoken')
  if (identityToken !== undefined) cred.identityToken = identityToken
  const registryToken = str('registrytoken')
  if (registryToken !== undefined) cred.registryToken = registryToken
  return cred
}

/** Every secret in a credential (and the base64 `user:pass` form derived from it), for masking. */
export function secretsOf(cred: RegistryCredential): string[] {
  const out: string[] = []
  if (cred.password) {
    out.push(cred.password)
    out.push(Buffer.from(`${cred.username ?? ''}:${cred.password}`).toString('base64'))
  }
  if (cred.identityToken) out.push(cred.identityToken)
  if (cred.registryToken) out.push(cred.registryToken)
  return out
}

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. The caller passes its environment (no globals here). */
export function dockerConfigPath(env: { DOCKER_CONFIG?: string }, homeDir: string): string {
  return env.DOCKER_CONFIG ? join(env.DOCKER_CONFIG, 'config.json') : join(homeDir, '.docker', 'config.json')
}

/** Reads a config.json file; a missing file is an empty config (docker behaves the same). */
export async function readDockerConfigFile(path: string): Promise<DockerConfig> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { auths: new Map(), credHelpers: new Map() }
    throw new DockerConfigError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  return parseDockerConfig(text, path)
}

export interface HelperOptions {
  /** Environment for the helper process (PATH decides which docker-credential-* runs). Default: inherited. */
  env?: NodeJS.ProcessEnv
  timeoutMs?: number
}

/**
 * Runs `docker-credential-<helper> get` with the server on stdin. Returns undefined when the helper has no entry
 * ("credentials not found in native keychain"), throws DockerConfigError for a missing or failing helper.
 */
export async function runCredentialHelper(
  helper: string,
  serverHost: string,
  options: HelperOptions = {}
): Promise<RegistryCredential | undefined> {
  const program = `docker-credential-${helper}`
  const timeoutMs = options.timeoutMs ?? 30_000
  const { code, stdout, stderr, spawnError } = await new Promise<{
    code: number | null
    stdout: string
    stderr: string
    spawnError?: NodeJS.ErrnoException
  }>((resolve) => {
    const child = spawn(program, ['get'], { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let errText = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')))
    child.stderr.on('data', (d: Buffer) => (errText += d.toString('utf8')))
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      resolve({ code: null, stdout: out, stderr: errText, spawnError: e })
    })
    child.on('close', (c) => {
      clearTimeout(timer)
      resolve({ code: c, stdout: out, stderr: errText })
    })
    child.stdin.on('error', () => {}) // a helper that exits before reading stdin must not crash us
    child.stdin.end(serverHost)
  })
  if (spawnError) {
    throw new DockerConfigError(
      spawnError.code === 'ENOENT'
        ? `credential helper ${program} is not on PATH; install it or remove it from docker config.json`
        : `credential helper ${program} could not start (${spawnError.code ?? 'error'})`
    )
  }
  if (code !== 0) {
    if (/credentials not found/i.test(stdout + stderr)) return undefined
    // The helper's output may echo secrets, so only its exit code is reported.
    throw new DockerConfigError(`credential helper ${program} failed for ${serverHost} (exit ${code ?? 'signal'})`)
  }
  let parsed: { Username?: unknown; Secret?: unknown }
  try {
    parsed = JSON.parse(stdout) as typeof parsed
  } catch {
    throw new DockerConfigError(`credential helper ${program} printed something that is not JSON for ${serverHost}`)
  }
  const username = typeof parsed.Username === 'string' ? parsed.Username : ''
  const secret = typeof parsed.Secret === 'string' ? parsed.Secret : ''
  if (!secret) return undefined
  // docker's convention: the username "<token>" means the secret is an identity (refresh) token.
  if (username === '<token>') return { identityToken: secret }
  return { username, password: secret }
}

/** The helper to run for a domain: credHelpers[domain] wins over credsStore (docker CLI order). */
export function helperFor(config: DockerConfig, domain: string): string | undefined {
  return config.credHelpers.get(normalizeConfigKey(domain)) ?? config.credsStore
}

/** Server name a helper is asked about: Docker Hub's entry is stored under its legacy URL. */
export function helperServerName(domain: string): string {
  return normalizeConfigKey(domain) === DOCKER_HUB_DOMAIN ? 'https://index.docker.io/v1/' : domain
}
