/**
 * GitHub artifact attestations from the GitHub API: `GET /repos/{owner}/{repo}/attestations/{subject_digest}` (or
 * `/orgs/{org}/…`, `/users/{username}/…` for an owner policy). Each attestation carries its Sigstore bundle inline,
 * or (the newer form) `bundle: null` plus a short-lived signed `bundle_url` whose body is the bundle JSON,
 * snappy-compressed (raw snappy block format, as `gh attestation` reads it). The bundle URL is fetched WITHOUT the
 * GitHub token: it is signed on its own and points at storage outside the API host.
 */
import snappy from 'snappyjs'
import type { GithubPolicy } from './policy.js'

export interface GithubAttestationSource {
  /** The bundles (JSON) attested for `digest` in the policy's repository or owner; [] when there are none. */
  bundles(policy: GithubPolicy, digest: string): Promise<unknown[]>
}

export interface GithubApiOptions {
  /** https://api.github.com, or GHES's /api/v3 (GITHUB_API_URL). */
  apiUrl: string
  token?: string
  fetch?: typeof fetch
  /** Attestations read per digest (default 10). */
  limit?: number
}

interface AttestationsPage {
  attestations?: Array<{ bundle?: unknown; bundle_url?: string | null }>
}

export function githubAttestationsApi(options: GithubApiOptions): GithubAttestationSource {
  const doFetch = options.fetch ?? fetch
  const base = options.apiUrl.replace(/\/+$/, '')
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': 'imagestream-action'
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`

  async function page(path: string): Promise<AttestationsPage | undefined> {
    const res = await doFetch(`${base}${path}?per_page=${options.limit ?? 10}`, { headers })
    if (res.status === 404) return undefined
    if (!res.ok) throw new Error(`GitHub API ${path}: ${res.status} ${res.statusText}`)
    return (await res.json()) as AttestationsPage
  }

  return {
    async bundles(policy, digest) {
      const d = encodeURIComponent(digest)
      const found = policy.repo
        ? await page(`/repos/${policy.repo}/attestations/${d}`)
        : ((await page(`/orgs/${encodeURIComponent(policy.owner)}/attestations/${d}`)) ??
          (await page(`/users/${encodeURIComponent(policy.owner)}/attestations/${d}`)))
      const out: unknown[] = []
      for (const a of found?.attestations ?? []) {
        if (a.bundle) out.push(a.bundle)
        else if (a.bundle_url) out.push(await fetchBundle(doFetch, a.bundle_url))
      }
      return out
    }
  }
}

/** The snappy-compressed bundle behind `bundle_url`, fetched with no credentials. */
async function fetchBundle(doFetch: typeof fetch, url: string): Promise<unknown> {
  if (!/^https?:\/\//.test(url)) throw new Error('an attestation bundle_url is not an http(s) URL')
  const res = await doFetch(url, { headers: { 'user-agent': 'imagestream-action' } })
  if (!res.ok) throw new Error(`fetching an attestation bundle failed with ${res.status}`)
  const compressed = new Uint8Array(await res.arrayBuffer())
  const raw = snappy.uncompress(compressed) as Uint8Array
  return JSON.parse(Buffer.from(raw).toString('utf8')) as unknown
}
