import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { checkRealm } from '../../src/registry/auth.js'
import { parseWwwAuthenticate } from '../../src/registry/challenge.js'
import { RegistryError } from '../../src/registry/errors.js'
import { apiHost, isLoopbackHost, isPrivateOrLoopbackHost, schemeFor } from '../../src/registry/hosts.js'
import { nextLink } from '../../src/registry/link.js'
import { chooseLegacyChild, normalizePlatform, parsePlatform, platformMatches } from '../../src/registry/platform.js'
import { backoffDelay, parseRetryAfter } from '../../src/registry/retry.js'

describe('WWW-Authenticate parsing', () => {
  it('reads a Bearer challenge with quoted realm, service and scope (distribution)', () => {
    expect(
      parseWwwAuthenticate(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"'
      )
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/nginx:pull'
        }
      }
    ])
  })

  it('reads unquoted values, uppercase schemes and parameter names, and spaces around commas', () => {
    expect(parseWwwAuthenticate('BEARER Realm=https://gcr.io/v2/token , Service=gcr.io')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://gcr.io/v2/token', service: 'gcr.io' } }
    ])
  })

  it('treats service and scope as optional (realm-only challenge)', () => {
    expect(parseWwwAuthenticate('Bearer realm="https://r.example/v2/token"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://r.example/v2/token' } }
    ])
  })

  it('splits several challenges in one header (Codeberg: Bearer then Basic) and several header lines', () => {
    const parsed = parseWwwAuthenticate(
      'Bearer realm="https://codeberg.org/v2/token",service="container_registry",scope="*", Basic realm="Gitea"'
    )
    expect(parsed.map((c) => c.scheme)).toEqual(['bearer', 'basic'])
    expect(parsed[1]!.params).toEqual({ realm: 'Gitea' })
    expect(parseWwwAuthenticate(['Basic realm="a"', 'Bearer realm="https://b/t"']).map((c) => c.scheme)).toEqual([
      'basic',
      'bearer'
    ])
  })

  it('keeps commas and escaped quotes inside quoted values, and multi-scope values whole', () => {
    const [c] = parseWwwAuthenticate(
      'Bearer realm="https://x/t",scope="repository:a/b:pull,push repository:c:pull",error="insufficient_scope",msg="say \\"hi\\""'
    )
    expect(c!.params.scope).toBe('repository:a/b:pull,push repository:c:pull')
    expect(c!.params.error).toBe('insufficient_scope')
    expect(c!.params.msg).toBe('say "hi"')
  })

  it('reads an ECR-style Basic challenge and returns nothing for an empty or missing header', () => {
    expect(
      parseWwwAuthenticate('Basic realm="https://1.dkr.ecr.us-east-1.amazonaws.com/",service="ecr.amazonaws.com"')[0]
    ).toEqual({
      scheme: 'basic',
      params: { realm: 'https://1.dkr.ecr.us-east-1.amazonaws.com/', service: 'ecr.amazonaws.com' }
    })
    expect(parseWwwAuthenticate('')).toEqual([])
    expect(parseWwwAuthenticate(undefined)).toEqual([])
  })

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(Array.isArray(parseWwwAuthenticate(s))).toBe(true)
      }),
      { numRuns: 2000 }
    )
  })
})

describe('Link pagination header', () => {
  const req = 'https://r.example/v2/acme/web/tags/list?n=100'
  it('resolves a relative next link against the request URL (distribution)', () => {
    expect(nextLink('</v2/acme/web/tags/list?last=v9&n=100>; rel="next"', req)).toBe(
      'https://r.example/v2/acme/web/tags/list?last=v9&n=100'
    )
  })
  it('accepts absolute links, unquoted rel, and picks next among several links', () => {
    expect(nextLink('<https://r.example/a?x=1>; rel=next', req)).toBe('https://r.example/a?x=1')
    expect(nextLink('<https://r.example/p>; rel="prev", <https://r.example/n>; rel="next"', req)).toBe(
      'https://r.example/n'
    )
  })
  it('returns undefined when there is no next page', () => {
    expect(nextLink(undefined, req)).toBeUndefined()
    expect(nextLink('<https://r.example/p>; rel="prev"', req)).toBeUndefined()
  })
})

describe('platform normalization (registry.md §9)', () => {
  it.each([
    [
      { os: 'linux', architecture: 'x86_64' },
      { os: 'linux', architecture: 'amd64' }
    ],
    [
      { os: 'linux', architecture: 'x86-64' },
      { os: 'linux', architecture: 'amd64' }
    ],
    [
      { os: 'linux', architecture: 'amd64', variant: 'v1' },
      { os: 'linux', architecture: 'amd64' }
    ],
    [
      { os: 'linux', architecture: 'aarch64' },
      { os: 'linux', architecture: 'arm64' }
    ],
    [
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: 'arm64' }
    ],
    [
      { os: 'linux', architecture: 'arm64', variant: '8' },
      { os: 'linux', architecture: 'arm64' }
    ],
    [
      { os: 'linux', architecture: 'armhf' },
      { os: 'linux', architecture: 'arm', variant: 'v7' }
    ],
    [
      { os: 'linux', architecture: 'armel' },
      { os: 'linux', architecture: 'arm', variant: 'v6' }
    ],
    [
      { os: 'linux', architecture: 'arm' },
      { os: 'linux', architecture: 'arm', variant: 'v7' }
    ],
    [
      { os: 'linux', architecture: 'arm', variant: '7' },
      { os: 'linux', architecture: 'arm', variant: 'v7' }
    ],
    [
      { os: 'linux', architecture: 'i386' },
      { os: 'linux', architecture: '386' }
    ],
    [
      { os: 'MacOS', architecture: 'arm64' },
      { os: 'darwin', architecture: 'arm64' }
    ]
  ])('%j → %j', (input, expected) => {
    expect(normalizePlatform(input)).toEqual(expected)
  })

  it('is idempotent', () => {
    const word = fc.constantFrom(
      'linux',
      'windows',
      'macos',
      'amd64',
      'x86_64',
      'aarch64',
      'arm',
      'armhf',
      'armel',
      'i386',
      'v1',
      'v7',
      '8',
      ''
    )
    fc.assert(
      fc.property(word, word, word, (os, architecture, variant) => {
        const once = normalizePlatform({ os, architecture, variant })
        expect(normalizePlatform(once)).toEqual(once)
      })
    )
  })

  it('parses --platform values and explains a bad one', () => {
    expect(parsePlatform('linux/arm/v7')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' })
    expect(parsePlatform('linux/x86_64')).toEqual({ os: 'linux', architecture: 'amd64' })
    expect(() => parsePlatform('amd64')).toThrow(/expected os\/arch/)
    expect(() => parsePlatform('linux/arm/v7/x')).toThrow(/expected os\/arch/)
  })

  it('matches a variant only when the wanted platform names one', () => {
    expect(
      platformMatches({ os: 'linux', architecture: 'arm', variant: 'v6' }, { os: 'linux', architecture: 'arm' })
    ).toBe(true)
    expect(
      platformMatches(
        { os: 'linux', architecture: 'arm', variant: 'v6' },
        { os: 'linux', architecture: 'arm', variant: 'v7' }
      )
    ).toBe(false)
    expect(
      platformMatches({ os: 'linux', architecture: 'aarch64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' })
    ).toBe(true)
  })
})

describe('OpenShift Legacy platform choice (oas importer.go manifestFromManifestList)', () => {
  const list = [
    { platform: { os: 'linux', architecture: 'ppc64le' } },
    { platform: { os: 'linux', architecture: 'arm64' } },
    { platform: { os: 'linux', architecture: 'amd64' } },
    { platform: { os: 'windows', architecture: 'amd64' } }
  ]
  it('prefers the prefer-arch / prefer-os annotations first', () => {
    expect(chooseLegacyChild(list, { preferArch: 'arm64' })).toBe(1)
    expect(chooseLegacyChild(list, { preferArch: 'aarch64' })).toBe(1)
    expect(chooseLegacyChild(list, { preferOs: 'windows' })).toBe(3)
    expect(chooseLegacyChild(list, { preferArch: 'amd64', preferOs: 'windows' })).toBe(3)
  })
  it('then the configured platform, then linux/amd64, then the first entry', () => {
    expect(chooseLegacyChild(list, { platform: { os: 'linux', architecture: 'ppc64le' } })).toBe(0)
    expect(chooseLegacyChild(list, { preferArch: 's390x' })).toBe(2)
    expect(chooseLegacyChild(list, { platform: { os: 'linux', architecture: 's390x' } })).toBe(2)
    expect(chooseLegacyChild(list.slice(0, 2), { platform: { os: 'linux', architecture: 's390x' } })).toBe(0)
    expect(chooseLegacyChild([], {})).toBe(-1)
  })
  it('manifestFromManifestList: a missing prefer-os/prefer-arch comes from the platform, both must match, no variants', () => {
    const winFirst = [
      { platform: { os: 'windows', architecture: 'arm64' } },
      { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }
    ]
    expect(chooseLegacyChild(winFirst, { preferArch: 'arm64' })).toBe(1)
    // The configured platform is GOOS/GOARCH: prefer-arch replaces only its architecture (linux/s390x here).
    const s390 = { os: 'linux', architecture: 's390x' }
    expect(chooseLegacyChild(list, { platform: s390, preferArch: 'ppc64le' })).toBe(0)
    expect(chooseLegacyChild(list, { platform: s390, preferOs: 'windows' })).toBe(2)
    // Variants are never compared: linux/arm/v7 asked, linux/arm/v6 listed, it is taken.
    const arm = [
      { platform: { os: 'linux', architecture: 'amd64' } },
      { platform: { os: 'linux', architecture: 'arm', variant: 'v6' } }
    ]
    expect(chooseLegacyChild(arm, { platform: { os: 'linux', architecture: 'arm', variant: 'v7' } })).toBe(1)
  })
})

describe('Retry-After and backoff', () => {
  const now = new Date('2026-01-01T00:00:00Z')
  it('reads delta-seconds and HTTP-dates, and ignores garbage', () => {
    expect(parseRetryAfter('7', now)).toBe(7)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30)
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('-3', now)).toBeUndefined()
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
  })
  it('backs off exponentially within [ceiling/2, ceiling], capped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (attempt, r) => {
          const ceiling = Math.min(10_000, 500 * 2 ** attempt)
          const d = backoffDelay(attempt, { baseMs: 500, maxMs: 10_000, random: () => r })
          expect(d).toBeGreaterThanOrEqual(Math.floor(ceiling / 2))
          expect(d).toBeLessThanOrEqual(ceiling)
        }
      )
    )
  })
})

describe('hosts and the token realm guard', () => {
  it('maps Docker Hub to its API host and leaves others alone', () => {
    expect(apiHost('docker.io')).toBe('registry-1.docker.io')
    expect(apiHost('index.docker.io')).toBe('registry-1.docker.io')
    expect(apiHost('ghcr.io')).toBe('ghcr.io')
    expect(apiHost('127.0.0.1:5000')).toBe('127.0.0.1:5000')
  })
  it('uses plain http only for loopback, https (unverified first) for insecure, verified https otherwise', () => {
    expect(isLoopbackHost('127.0.0.1:5000')).toBe(true)
    expect(isLoopbackHost('127.8.9.10')).toBe(true)
    expect(isLoopbackHost('[::1]:5000')).toBe(true)
    expect(isLoopbackHost('localhost:5000')).toBe(true)
    expect(isLoopbackHost('10.0.0.1:5000')).toBe(false)
    expect(schemeFor('localhost:5000', false)).toBe('http')
    expect(schemeFor('registry.internal:5000', false)).toBe('https')
    expect(schemeFor('registry.internal:5000', true)).toBe('https-insecure')
    expect(isPrivateOrLoopbackHost('169.254.169.254')).toBe(true)
    expect(isPrivateOrLoopbackHost('192.168.1.2:80')).toBe(true)
    expect(isPrivateOrLoopbackHost('quay.io')).toBe(false)
  })
  it('refuses a public registry whose realm points at loopback, private or plain-http addresses', () => {
    const hub = new URL('https://registry-1.docker.io')
    expect(() => checkRealm('https://169.254.169.254/token', hub, false)).toThrow(RegistryError)
    expect(() => checkRealm('https://127.0.0.1:9999/token', hub, false)).toThrow(/private or loopback/)
    expect(() => checkRealm('http://auth.docker.io/token', hub, false)).toThrow(/not https/)
    expect(checkRealm('https://auth.docker.io/token', hub, false).host).toBe('auth.docker.io')
  })
  it('allows a loopback realm when the registry is on loopback too (the test token server)', () => {
    expect(checkRealm('http://127.0.0.1:4000/token', new URL('http://127.0.0.1:5000'), false).port).toBe('4000')
  })
})
