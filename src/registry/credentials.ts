import {
  helperFor,
  helperServerName,
  normalizeConfigKey,
  parseDockerConfig,
  readDockerConfigFile,
  runCredentialHelper,
  secretsOf,
  type DockerConfig,
  type RegistryCredential
} from './docker-config.js'

export interface CredentialSourceOptions {
  /** Per-domain credentials given explicitly (highest priority). Keys are reference domains (`ghcr.io`, `docker.io`). */
  credentials?: Record<string, RegistryCredential>
  /** A docker config.json given as text (an action input or secret). Consulted before the file. */
  dockerConfigJson?: string
  /** Path of a docker config.json to read (see `dockerConfigPath()`); missing file = no credentials. */
  dockerConfigFile?: string
  /** A GitHub token used for ghcr.io when nothing else has credentials for it. */
  githubToken?: string
  /** Username sent with the GitHub token (GHCR accepts any; default `x-access-token`). */
  githubUser?: string
  /** Environment for docker-credential-* helpers (PATH decides which one runs). */
  helperEnv?: NodeJS.ProcessEnv
  onSecret?: (value: string) => void
}

/**
 * Where credentials for a registry come from, in order: explicit credentials, the explicit config JSON, the
 * config.json file, the GitHub token for ghcr.io, else anonymous. Each domain is looked up once (helpers are slow);
 * every secret found is reported through `onSecret` before it is used.
 */
export class CredentialStore {
  private readonly explicit = new Map<string, RegistryCredential>()
  private readonly inline?: DockerConfig
  private file?: Promise<DockerConfig>
  private readonly cache = new Map<string, Promise<RegistryCredential | undefined>>()

  constructor(private readonly options: CredentialSourceOptions = {}) {
    for (const [domain, cred] of Object.entries(options.credentials ?? {})) {
      this.explicit.set(normalizeConfigKey(domain), cred)
      this.reveal(cred)
    }
    // Parsed now so a malformed input fails at start-up with its own message, not in the middle of an import.
    if (options.dockerConfigJson?.trim()) {
      this.inline = parseDockerConfig(options.dockerConfigJson, 'docker config JSON input')
      for (const cred of this.inline.auths.values()) this.reveal(cred)
    }
    if (options.githubToken) options.onSecret?.(options.githubToken)
  }

  get(domain: string): Promise<RegistryCredential | undefined> {
    const key = normalizeConfigKey(domain)
    let hit = this.cache.get(key)
    if (!hit) {
      hit = this.lookup(key)
      this.cache.set(key, hit)
    }
    return hit
  }

  private async lookup(domain: string): Promise<RegistryCredential | undefined> {
    const explicit = this.explicit.get(domain)
    if (explicit) return explicit
    if (this.inline) {
      const found = await this.fromConfig(this.inline, domain)
      if (found) return found
    }
    if (this.options.dockerConfigFile) {
      this.file ??= readDockerConfigFile(this.options.dockerConfigFile)
      const config = await this.file
      const found = await this.fromConfig(config, domain)
      if (found) return found
    }
    if (domain === 'ghcr.io' && this.options.githubToken) {
      return { username: this.options.githubUser ?? 'x-access-token', password: this.options.githubToken }
    }
    return undefined
  }

  private async fromConfig(config: DockerConfig, domain: string): Promise<RegistryCredential | undefined> {
    const helper = helperFor(config, domain)
    if (helper) {
      const found = await runCredentialHelper(helper, helperServerName(domain), { env: this.options.helperEnv })
      if (found) {
        this.reveal(found)
        return found
      }
    }
    const entry = config.auths.get(domain)
    if (entry && (entry.password || entry.identityToken || entry.registryToken)) {
      this.reveal(entry)
      return entry
    }
    return undefined
  }

  private reveal(cred: RegistryCredential): void {
    for (const secret of secretsOf(cred)) this.options.onSecret?.(secret)
  }
}

/** A stable, secret-free identity for a credential, for token cache keys. */
export function identityOf(cred: RegistryCredential | undefined): string {
  if (!cred) return 'anonymous'
  if (cred.identityToken) return `identity-token:${cred.username ?? ''}`
  if (cred.registryToken) return 'registry-token'
  return `user:${cred.username ?? ''}`
}
