/* The registry client: what later stages import. */
export { createRegistryClient, type InstrumentedRegistryClient, type RegistryClientOptions } from './client.js'
export { RegistryError, isRegistryError } from './errors.js'
export { parseWwwAuthenticate, type Challenge } from './challenge.js'
export { nextLink } from './link.js'
export {
  normalizePlatform,
  parsePlatform,
  formatPlatform,
  platformMatches,
  chooseLegacyChild,
  DEFAULT_PLATFORM
} from './platform.js'
export {
  parseDockerConfig,
  dockerConfigPath,
  normalizeConfigKey,
  DockerConfigError,
  type DockerConfig,
  type RegistryCredential
} from './docker-config.js'
export { apiHost, isLoopbackHost } from './hosts.js'
export type { RequestEvent, RequestStats, RequestKind } from './transport.js'
export * from './types.js'
