/**
 * Authentication against real registries: htpasswd (Basic) and token (Bearer, the test token server).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRegistryClient, type RegistryClientOptions } from '../../src/registry/client.js'
import { RegistryError } from '../../src/registry/errors.js'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'
import { pushImage, pushIndex, startRegistry, type TestRegistry } from '../support/registry.js'

/** Runs `fn` with a client and always closes it. */
async function withClient<T>(
  options: RegistryClientOptions,
  fn: (c: ReturnType<typeof createRegistryClient>) => Promise<T>
): Promise<T> {
  const c = createRegistryClient({ sleep: async () => {}, ...options })
  try {
    return await fn(c)
  } finally {
    await c.close()
  }
}

const expectNoSecret = (err: unknown, ...secrets: string[]): void => {
  const text = `${(err as Error).message} ${JSON.stringify(err)}`
  for (const s of secrets) expect(text).not.toContain(s)
}

describe('htpasswd (Basic) registry', () => {
  let reg: TestRegistry
  let digest: string
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'htpasswd', users: { alice: 'wonder-land-pw' } })
    digest = (await pushImage(reg, 'team/app', 'v1')).digest
  })
  afterAll(async () => reg?.stop())

  it('resolves with credentials, and sends Basic up front once the host asked for it', async () => {
    const secrets: string[] = []
    await withClient({ credentials: { [reg.host]: reg.user }, onSecret: (s) => secrets.push(s) }, async (c) => {
      const ref = { domain: reg.host, path: 'team/app', tag: 'v1' }
      expect((await c.resolve(ref)).digest).toBe(digest)
      expect(c.stats().head).toBe(2) // anonymous try → 401 Basic → with credentials
      expect((await c.resolve(ref)).digest).toBe(digest)
      expect(c.stats().head).toBe(3) // pre-emptive: one HEAD
    })
    expect(secrets).toContain('wonder-land-pw')
    expect(secrets).toContain(Buffer.from('alice:wonder-land-pw').toString('base64'))
  })

  it('reads credentials from a docker config.json file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dockercfg-'))
    try {
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({
          auths: { [`http://${reg.host}`]: { auth: Buffer.from('alice:wonder-land-pw').toString('base64') } }
        })
      )
      await withClient({ dockerConfigFile: join(dir, 'config.json') }, async (c) => {
        expect((await c.resolve({ domain: reg.host, path: 'team/app', tag: 'v1' })).digest).toBe(digest)
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('follows a blob redirect to another origin without sending Authorization there', async () => {
    // A "CDN": an open registry holding the same bytes (pushes are deterministic), behind its own proxy.
    const cdn = await startRegistry({ auth: 'open' })
    const front = await startFaultProxy(reg.url)
    const cdnProxy = await startFaultProxy(cdn.url)
    try {
      const pushed = await pushImage(reg, 'team/redirected', 'v1', { seed: 'cdn' })
      await pushImage(cdn, 'team/redirected', 'v1', { seed: 'cdn' })
      front.inject({ match: { method: 'GET', kind: 'blob' }, fault: { type: 'redirect', to: cdnProxy.url } })
      await withClient({ credentials: { [front.host]: reg.user } }, async (c) => {
        const m = await c.metadata({ domain: front.host, path: 'team/redirected', tag: 'v1' })
        expect(m.digest).toBe(pushed.digest)
        expect(m.created).toBe('2024-01-01T00:00:00Z')
      })
      expect(front.requests.filter((r) => r.kind === 'blob')).toEqual([
        expect.objectContaining({ method: 'GET', authorized: true })
      ])
      expect(cdnProxy.requests).toEqual([expect.objectContaining({ method: 'GET', kind: 'blob', authorized: false })])
    } finally {
      await cdnProxy.stop()
      await front.stop()
      await cdn.stop()
    }
  })

  it('reports Unauthorized for a wrong password, without the password in the error', async () => {
    await withClient(
      { credentials: { [reg.host]: { username: 'alice', password: 'not-the-password' } } },
      async (c) => {
        const err = await c.resolve({ domain: reg.host, path: 'team/app', tag: 'v1' }).catch((e: unknown) => e)
        expect(err).toBeInstanceOf(RegistryError)
        expect((err as RegistryError).reason).toBe('Unauthorized')
        expect((err as RegistryError).message).toMatch(/rejected the credentials/)
        expectNoSecret(err, 'not-the-password', Buffer.from('alice:not-the-password').toString('base64'))
      }
    )
  })

  it('reports Unauthorized with a log-in hint when no credentials are configured', async () => {
    await withClient({}, async (c) => {
      await expect(c.resolve({ domain: reg.host, path: 'team/app', tag: 'v1' })).rejects.toMatchObject({
        reason: 'Unauthorized',
        message: expect.stringMatching(/authentication required \(401\); log in to 127\.0\.0\.1:/)
      })
    })
  })
})

describe('token (Bearer) registry', () => {
  let reg: TestRegistry
  let proxy: FaultProxy
  let app: string
  let web: string
  let pub: string
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'token' })
    proxy = await startFaultProxy(reg.url)
    app = (await pushImage(reg, 'private/app', 'v1')).digest
    web = (await pushIndex(reg, 'private/web', 'v1')).children[0]!.digest
    pub = (await pushImage(reg, 'public/hello', 'v1')).digest
  })
  afterAll(async () => {
    await proxy?.stop()
    await reg?.stop()
  })
  beforeEach(() => {
    reg.tokenServer!.resetStats()
    proxy.clear()
    proxy.resetCounts()
  })

  it('fetches one token per repository and reuses it across resolves', async () => {
    await withClient({ credentials: { [reg.host]: reg.user } }, async (c) => {
      for (let i = 0; i < 3; i++)
        expect((await c.resolve({ domain: reg.host, path: 'private/app', tag: 'v1' })).digest).toBe(app)
      expect(reg.tokenServer!.stats.total).toBe(1)
      expect(reg.tokenServer!.stats.basic).toBe(1)
      expect((await c.resolve({ domain: reg.host, path: 'private/web', tag: 'v1' })).digest).toBe(web)
      expect((await c.resolve({ domain: reg.host, path: 'private/web', tag: 'v1' })).digest).toBe(web)
      expect(reg.tokenServer!.stats.byScope).toEqual({
        'repository:private/app:pull': 1,
        'repository:private/web:pull': 1
      })
      // private/app: 401 then 3 × 200; private/web: its token was asked for up front (the realm was known), no 401
      expect(c.stats().head).toBe(4 + 2)
    })
  })

  it('shares one token request between concurrent resolves', async () => {
    await withClient({ credentials: { [reg.host]: reg.user } }, async (c) => {
      const all = await Promise.all(
        Array.from({ length: 8 }, () => c.resolve({ domain: reg.host, path: 'private/app', tag: 'v1' }))
      )
      expect(new Set(all.map((r) => r.digest))).toEqual(new Set([app]))
      expect(reg.tokenServer!.stats.total).toBe(1)
    })
  })

  it('collects one 401 per registry, not one per lookup: concurrent first lookups wait for the first challenge', async () => {
    await withClient({ credentials: { [reg.host]: reg.user } }, async (c) => {
      const all = await Promise.all([
        ...Array.from({ length: 6 }, () => c.resolve({ domain: reg.host, path: 'private/app', tag: 'v1' })),
        ...Array.from({ length: 6 }, () => c.resolve({ domain: reg.host, path: 'public/hello', tag: 'v1' }))
      ])
      expect(new Set(all.map((r) => r.digest))).toEqual(new Set([app, pub]))
      // 12 lookups: one unauthenticated probe learns the realm, then every lookup is sent with a token.
      expect(c.stats().head).toBe(12 + 1)
      expect(reg.tokenServer!.stats.byScope).toEqual({
        'repository:private/app:pull': 1,
        'repository:public/hello:pull': 1
      })
    })
  })

  it('pulls public repositories anonymously', async () => {
    await withClient({}, async (c) => {
      expect((await c.resolve({ domain: reg.host, path: 'public/hello', tag: 'v1' })).digest).toBe(pub)
      expect(reg.tokenServer!.stats.anonymous).toBe(1)
    })
  })

  it('reports Unauthorized for an anonymous pull of a private repository', async () => {
    await withClient({}, async (c) => {
      await expect(c.resolve({ domain: reg.host, path: 'private/app', tag: 'v1' })).rejects.toMatchObject({
        reason: 'Unauthorized',
        message: expect.stringMatching(/authentication required/)
      })
    })
  })

  it('reports Unauthorized when the token service rejects the password, without the password', async () => {
    await withClient({ credentials: { [reg.host]: { username: 'testuser', password: 'wrong-pw-123' } } }, async (c) => {
      const err = await c.resolve({ domain: reg.host, path: 'private/app', tag: 'v1' }).catch((e: unknown) => e)
      expect((err as RegistryError).reason).toBe('Unauthorized')
      expect((err as RegistryError).message).toMatch(/token service .* rejected the credentials for user "testuser"/)
      expectNoSecret(err, 'wrong-pw-123')
    })
  })

  it('exchanges an identity token (docker config identitytoken) with an OAuth2 POST', async () => {
    const refresh = reg.tokenServer!.refreshTokenFor('testuser')
    const secrets: string[] = []
    const config = JSON.stringify({ auths: { [reg.host]: { identitytoken: refresh } } })
    await withClient({ dockerConfigJson: config, onSecret: (s) => secrets.push(s) }, async (c) => {
      expect((await c.resolve({ domain: reg.host, path: 'private/app', tag: 'v1' })).digest).toBe(app)
    })
    expect(reg.tokenServer!.stats.refresh).toBe(1)
    expect(secrets).toContain(refresh)
    expect(secrets.some((s) => s.split('.').length === 3)).toBe(true) // the bearer JWT itself
  })

  it('refetches a token once its expires_in has passed', async () => {
    let now = Date.now()
    await withClient({ credentials: { [reg.host]: reg.user }, clock: { now: () => new Date(now) } }, async (c) => {
      const ref = { domain: reg.host, path: 'private/app', tag: 'v1' }
      await c.resolve(ref)
      now += 200_000 // within the 300 s the token server grants
      await c.resolve(ref)
      expect(reg.tokenServer!.stats.total).toBe(1)
      now += 120_000 // past it
      await c.resolve(ref)
      expect(reg.tokenServer!.stats.total).toBe(2)
    })
  })

  it('retries once with a fresh token when the registry answers invalid_token', async () => {
    await withClient({ credentials: { [proxy.host]: reg.user } }, async (c) => {
      const ref = { domain: proxy.host, path: 'private/app', tag: 'v1' }
      await c.resolve(ref)
      expect(reg.tokenServer!.stats.total).toBe(1)
      proxy.inject({
        match: { method: 'HEAD' },
        fault: {
          type: 'status',
          status: 401,
          headers: {
            'www-authenticate': `Bearer realm="${reg.tokenServer!.realm}",service="test-registry",scope="repository:private/app:pull",error="invalid_token"`
          }
        },
        times: 1
      })
      expect((await c.resolve(ref)).digest).toBe(app)
      expect(reg.tokenServer!.stats.total).toBe(2)
    })
  })

  it('gives up with Unauthorized when even a fresh token is refused (no loop)', async () => {
    proxy.inject({
      match: { method: 'HEAD' },
      fault: {
        type: 'status',
        status: 401,
        headers: {
          'www-authenticate': `Bearer realm="${reg.tokenServer!.realm}",service="test-registry",error="invalid_token"`
        }
      }
    })
    await withClient({ credentials: { [proxy.host]: reg.user } }, async (c) => {
      await expect(c.resolve({ domain: proxy.host, path: 'private/app', tag: 'v1' })).rejects.toMatchObject({
        reason: 'Unauthorized'
      })
      expect(proxy.count('HEAD')).toBeLessThanOrEqual(3)
    })
  })

  it('reports Forbidden for 403', async () => {
    proxy.inject({ match: { method: 'HEAD' }, fault: { type: 'status', status: 403, body: '' } })
    await withClient({ credentials: { [proxy.host]: reg.user } }, async (c) => {
      await expect(c.resolve({ domain: proxy.host, path: 'private/app', tag: 'v1' })).rejects.toMatchObject({
        reason: 'Forbidden'
      })
    })
  })
})

describe('token lifetime defaults', () => {
  let reg: TestRegistry
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'token', tokenOmitExpiry: true })
    await pushImage(reg, 'private/app', 'v1')
  })
  afterAll(async () => reg?.stop())

  it('assumes 60 s when the token response has no expires_in', async () => {
    let now = Date.now()
    await withClient({ credentials: { [reg.host]: reg.user }, clock: { now: () => new Date(now) } }, async (c) => {
      const ref = { domain: reg.host, path: 'private/app', tag: 'v1' }
      await c.resolve(ref)
      now += 30_000
      await c.resolve(ref)
      expect(reg.tokenServer!.stats.total).toBe(1)
      now += 40_000
      await c.resolve(ref)
      expect(reg.tokenServer!.stats.total).toBe(2)
    })
  })
})
