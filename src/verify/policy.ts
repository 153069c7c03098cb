/**
 * The verification policy of a tag, read from annotations (a tag's own annotation overrides the stream's
 * `metadata.annotations`, key by key). Pure: parsing only; the keys' files are read by the caller.
 *
 *   imagestream-action.dev/verify           off (default) | warn | require
 *   imagestream-action.dev/verify-keys      comma-separated repository-relative paths of PEM public keys
 *   imagestream-action.dev/verify-identity  `;`-separated `issuer=<URL>,subject=<SAN>` or `…,subject-regexp=<re>`
 *   imagestream-action.dev/verify-github    `owner=<org>` or `repo=<org/name>`, optionally `,workflow=<path>`,
 *                                            `,ref=<git ref>`, `,hosted-runners-only`
 */
import { ANNOTATION_PREFIX, type ImageStream } from '../stream/types.js'
import { InputError } from '../util/errors.js'

export const VERIFY_ANNOTATION = `${ANNOTATION_PREFIX}verify`
export const VERIFY_KEYS_ANNOTATION = `${ANNOTATION_PREFIX}verify-keys`
export const VERIFY_IDENTITY_ANNOTATION = `${ANNOTATION_PREFIX}verify-identity`
export const VERIFY_GITHUB_ANNOTATION = `${ANNOTATION_PREFIX}verify-github`

export type VerifyMode = 'off' | 'warn' | 'require'

/** A keyless signer: the OIDC issuer (exact) and the certificate's SAN, exact or a whole-string regular expression. */
export interface KeylessIdentity {
  issuer: string
  subject?: string
  subjectRegExp?: RegExp
  /** As written, for messages. */
  text: string
}

/** GitHub artifact attestations: who built it (the repository or its owner), and optionally how. */
export interface GithubPolicy {
  owner: string
  /** `org/name` when `repo=` was given. */
  repo?: string
  workflow?: string
  ref?: string
  hostedRunnersOnly: boolean
}

export interface VerifyPolicy {
  mode: VerifyMode
  keys: string[]
  identities: KeylessIdentity[]
  github?: GithubPolicy
}

type Annotations = Record<string, string> | null | undefined

/** The tag's policy; an InputError names the annotation (and the tag) when a value is malformed. */
export function policyFor(stream: ImageStream, tag: string): VerifyPolicy {
  const tagIndex = (stream.spec.tags ?? []).findIndex((t) => t.name === tag)
  const tagAnnotations: Annotations = tagIndex >= 0 ? stream.spec.tags![tagIndex]!.annotations : undefined
  const pick = (key: string): { value?: string; field: string } => {
    const own = tagAnnotations?.[key]
    if (typeof own === 'string') return { value: own, field: `spec.tags[${tagIndex}].annotations["${key}"]` }
    return { value: stream.metadata.annotations?.[key], field: `metadata.annotations["${key}"]` }
  }
  const mode = pick(VERIFY_ANNOTATION)
  const keys = pick(VERIFY_KEYS_ANNOTATION)
  const identity = pick(VERIFY_IDENTITY_ANNOTATION)
  const github = pick(VERIFY_GITHUB_ANNOTATION)
  const policy: VerifyPolicy = {
    mode: parseMode(mode.value, mode.field),
    keys: parseKeys(keys.value, keys.field),
    identities: parseIdentities(identity.value, identity.field)
  }
  if (github.value !== undefined && github.value.trim() !== '') policy.github = parseGithub(github.value, github.field)
  if (policy.mode !== 'off' && !policy.keys.length && !policy.identities.length && !policy.github) {
    throw new InputError(
      `verification is "${policy.mode}" but no signer is trusted; add ${VERIFY_KEYS_ANNOTATION}, ` +
        `${VERIFY_IDENTITY_ANNOTATION} or ${VERIFY_GITHUB_ANNOTATION}`,
      { field: mode.field }
    )
  }
  return policy
}

function parseMode(value: string | undefined, field: string): VerifyMode {
  const v = (value ?? 'off').trim()
  if (v === 'off' || v === 'warn' || v === 'require') return v
  throw new InputError(`"${value}" is not a verification mode; use off, warn or require`, { field })
}

function parseKeys(value: string | undefined, field: string): string[] {
  if (!value?.trim()) return []
  return value.split(',').map((raw) => {
    const path = raw.trim()
    if (!path || path.startsWith('/') || /^[a-z]+:/i.test(path) || path.split(/[\\/]/).includes('..')) {
      throw new InputError(
        `"${raw.trim()}" is not a repository-relative path of a PEM public key (no absolute paths, URLs or "..")`,
        { field }
      )
    }
    return path
  })
}

/** `key=value` pairs separated by commas; a bare word is a flag. */
function pairs(text: string, allowed: readonly string[], field: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of text.split(',')) {
    const item = part.trim()
    if (!item) continue
    const eq = item.indexOf('=')
    const key = (eq < 0 ? item : item.slice(0, eq)).trim()
    if (!allowed.includes(key)) {
      throw new InputError(`"${key}" is not understood in "${text.trim()}"; use ${allowed.join(', ')}`, { field })
    }
    if (out.has(key)) throw new InputError(`"${key}" is given twice in "${text.trim()}"`, { field })
    out.set(key, eq < 0 ? '' : item.slice(eq + 1).trim())
  }
  return out
}

function parseIdentities(value: string | undefined, field: string): KeylessIdentity[] {
  if (!value?.trim()) return []
  return value
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((text) => {
      const p = pairs(text, ['issuer', 'subject', 'subject-regexp'], field)
      const issuer = p.get('issuer')
      if (!issuer || !/^https:\/\/\S+$/.test(issuer)) {
        throw new InputError(`"${text}" needs issuer=<https URL> (e.g. https://token.actions.githubusercontent.com)`, {
          field
        })
      }
      const subject = p.get('subject')
      const re = p.get('subject-regexp')
      if ((subject === undefined) === (re === undefined) || subject === '' || re === '') {
        throw new InputError(`"${text}" needs exactly one of subject=<exact SAN> or subject-regexp=<regex>`, { field })
      }
      const identity: KeylessIdentity = { issuer, text }
      if (subject !== undefined) identity.subject = subject
      if (re !== undefined) identity.subjectRegExp = anchored(re, text, field)
      return identity
    })
}

/** Always the whole string: `acme/web` must not match `acme/web-evil`, whatever anchors the author wrote. */
function anchored(source: string, text: string, field: string): RegExp {
  try {
    return new RegExp(`^(?:${source})$`, 'u')
  } catch (err) {
    throw new InputError(`subject-regexp in "${text}" is not a valid regular expression: ${(err as Error).message}`, {
      field
    })
  }
}

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?$/

function parseGithub(value: string, field: string): GithubPolicy {
  const p = pairs(value, ['owner', 'repo', 'workflow', 'ref', 'hosted-runners-only'], field)
  const owner = p.get('owner')
  const repo = p.get('repo')
  if ((owner === undefined) === (repo === undefined)) {
    throw new InputError(`"${value.trim()}" needs exactly one of owner=<org> or repo=<org/name>`, { field })
  }
  let policy: GithubPolicy
  if (repo !== undefined) {
    const [o, n, extra] = repo.split('/')
    if (!o || !n || extra !== undefined || !NAME.test(o) || !NAME.test(n)) {
      throw new InputError(`repo=${repo} is not <owner>/<name>`, { field })
    }
    policy = { owner: o, repo, hostedRunnersOnly: false }
  } else {
    if (!NAME.test(owner!)) throw new InputError(`owner=${owner} is not a GitHub owner name`, { field })
    policy = { owner: owner!, hostedRunnersOnly: false }
  }
  const workflow = p.get('workflow')
  if (workflow !== undefined) {
    if (!workflow) throw new InputError('workflow= needs a path such as .github/workflows/release.yml', { field })
    policy.workflow = workflow
  }
  const ref = p.get('ref')
  if (ref !== undefined) {
    if (!ref.startsWith('refs/')) {
      throw new InputError(`ref=${ref} must be a full git ref such as refs/heads/main`, { field })
    }
    policy.ref = ref
  }
  if (p.has('hosted-runners-only')) {
    if (p.get('hosted-runners-only')) throw new InputError('hosted-runners-only takes no value', { field })
    policy.hostedRunnersOnly = true
  }
  return policy
}
