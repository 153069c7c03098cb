import { isIP } from 'node:net'

/** The reference domain Docker Hub images carry, and the host that actually serves its v2 API. */
export const DOCKER_HUB_DOMAIN = 'docker.io'
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io'

/** `docker.io` (and its aliases) → `registry-1.docker.io`; every other domain is its own API host. */
export function apiHost(domain: string): string {
  const d = domain.toLowerCase()
  if (d === 'docker.io' || d === 'index.docker.io' || d === 'registry-1.docker.io') return DOCKER_HUB_API_HOST
  return domain
}

/** Host name without port and IPv6 brackets: `[::1]:5000` → `::1`, `127.0.0.1:80` → `127.0.0.1`. */
export function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'))
  const colon = host.lastIndexOf(':')
  return (colon >= 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host).toLowerCase()
}

/** 127.0.0.0/8, ::1, localhost (and *.localhost, which resolvers must map to loopback, RFC 6761). */
export function isLoopbackHost(host: string): boolean {
  const name = hostnameOf(host)
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  if (isIP(name) === 4) return name.startsWith('127.')
  if (isIP(name) === 6) return name === '::1' || name === '0:0:0:0:0:0:0:1' || /^::ffff:127\./i.test(name)
  return false
}

/**
 * Literal addresses a token realm must not point at unless the registry is there too: loopback, RFC 1918, link-local
 * (cloud metadata lives at 169.254.169.254), CGNAT, unspecified, and IPv6 ULA/link-local. Names are not resolved
 * here; a name is only refused when it is `localhost`.
 */
export function isPrivateOrLoopbackHost(host: string): boolean {
  if (isLoopbackHost(host)) return true
  const name = hostnameOf(host)
  if (isIP(name) === 4) {
    const [a, b] = name.split('.').map(Number) as [number, number]
    return (
      a === 0 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    )
  }
  if (isIP(name) === 6) {
    const n = name.toLowerCase()
    return n === '::' || n.startsWith('fc') || n.startsWith('fd') || n.startsWith('fe80') || n.startsWith('::ffff:')
  }
  return false
}

/**
 * How to reach a registry. Loopback registries are plain http (what docker and go-containerregistry do). A registry
 * the caller marked insecure (OpenShift's `importPolicy.insecure`) gets https without certificate checks first and
 * plain http only when TLS fails — docker's behaviour for insecure registries. Everything else is verified https.
 */
export type Scheme = 'http' | 'https' | 'https-insecure'

export function schemeFor(host: string, insecure: boolean): Scheme {
  if (isLoopbackHost(host)) return 'http'
  return insecure ? 'https-insecure' : 'https'
}
