import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { FakeGitHub } from '../support/github-fake.js'
import { createGitHubClient } from '../../src/delivery/github-client.js'
import { InputError } from '../../src/util/errors.js'

const TOKEN = 'ghs_client_test_secret_value'
let fake: FakeGitHub

beforeAll(async () => {
  fake = await FakeGitHub.start({ token: TOKEN })
  fake.createRepo('acme', 'r', { 'f.txt': 'x\n' })
})
afterAll(() => fake.close())

describe('createGitHubClient', () => {
  it('registers the token as a secret before use and talks to the given base URL with it (default plugins on)', async () => {
    const secrets: string[] = []
    const gh = createGitHubClient({ token: `  ${TOKEN}\n`, baseUrl: `${fake.url}/`, onSecret: (s) => secrets.push(s) })
    expect(secrets).toEqual([TOKEN])
    const { data } = await gh.rest.git.getRef({ owner: 'acme', repo: 'r', ref: 'heads/main' })
    expect(data.object.sha).toBe(fake.branchSha('acme', 'r', 'main'))
    expect(fake.violations).toEqual([])
  })

  it('rejects a missing token and a malformed API URL as input errors naming the setting', () => {
    expect(() => createGitHubClient({ token: ' ' })).toThrow(InputError)
    expect(() => createGitHubClient({ token: ' ' })).toThrow(/^token: a GitHub token is required/)
    expect(() => createGitHubClient({ token: TOKEN, baseUrl: 'api.github.com' })).toThrow(
      /^github-api-url: "api\.github\.com" is not a URL/
    )
  })

  it('keeps the token out of API error messages', async () => {
    const gh = createGitHubClient({ token: TOKEN, baseUrl: fake.url, throttle: false, retries: 0 })
    const err = await gh.rest.git.getRef({ owner: 'acme', repo: 'missing', ref: 'heads/main' }).catch((e: Error) => e)
    expect(err).toMatchObject({ status: 404 })
    expect(String((err as Error).message)).not.toContain(TOKEN)
    expect(JSON.stringify((err as { request?: unknown }).request)).not.toContain(TOKEN)
  })

  it("waits out GitHub's secondary rate limit (403 with Retry-After) and retries the write once", async () => {
    const gh = createGitHubClient({ token: TOKEN, baseUrl: fake.url })
    fake.clearLog()
    fake.secondaryLimitNext(1)
    const { data } = await gh.rest.git.createBlob({ owner: 'acme', repo: 'r', content: 'limited\n', encoding: 'utf-8' })
    expect(data.sha).toMatch(/^[0-9a-f]{40}$/)
    const [refused, retried] = fake.writes()
    expect([refused?.status, retried?.status]).toEqual([403, 201])
    expect(retried!.at - refused!.at).toBeGreaterThanOrEqual(1000)
    expect(fake.violations).toEqual([])
  })

  it('gives up after a second secondary-limit answer in a row, with the error', async () => {
    const gh = createGitHubClient({ token: TOKEN, baseUrl: fake.url, retries: 0 })
    fake.clearLog()
    fake.secondaryLimitNext(1, 2)
    const err = await gh.rest.git
      .createBlob({ owner: 'acme', repo: 'r', content: 'limited twice\n', encoding: 'utf-8' })
      .catch((e: Error) => e)
    expect(err).toMatchObject({ status: 403 })
    expect(String((err as Error).message)).toMatch(/secondary rate limit/)
    expect(fake.writes().map((w) => w.status)).toEqual([403, 403])
  })
})
