/** The verification policy annotations: tag overrides stream, and each malformed value is named at its field. */
import { describe, expect, it } from '@jest/globals'
import type { ImageStream } from '../../src/stream/types.js'
import { isSignatureArtifactTag } from '../../src/verify/legacy.js'
import { policyFor } from '../../src/verify/policy.js'

function stream(
  annotations: Record<string, string>,
  tagAnnotations: Record<string, string> | null = null
): ImageStream {
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: { name: 'web', annotations },
    spec: {
      tags: [{ name: 'latest', annotations: tagAnnotations, from: { kind: 'DockerImage', name: 'quay.io/acme/web' } }]
    }
  }
}

const P = 'imagestream-action.dev/'

describe('policyFor', () => {
  it('defaults to off', () => {
    expect(policyFor(stream({}), 'latest').mode).toBe('off')
  })

  it('lets a tag annotation override the stream, key by key', () => {
    const s = stream({ [`${P}verify`]: 'warn', [`${P}verify-keys`]: 'keys/a.pub' }, { [`${P}verify`]: 'require' })
    expect(policyFor(s, 'latest')).toMatchObject({ mode: 'require', keys: ['keys/a.pub'] })
  })

  it('parses identities and GitHub policies', () => {
    const s = stream({
      [`${P}verify`]: 'require',
      [`${P}verify-identity`]:
        'issuer=https://token.actions.githubusercontent.com,subject=https://github.com/acme/web/.github/workflows/r.yml@refs/heads/main;' +
        ' issuer=https://accounts.google.com,subject-regexp=.*@acme\\.com',
      [`${P}verify-github`]:
        'repo=acme/web,workflow=.github/workflows/release.yml,ref=refs/heads/main,hosted-runners-only'
    })
    const p = policyFor(s, 'latest')
    expect(p.identities).toHaveLength(2)
    expect(p.identities[1]!.subjectRegExp!.test('dev@acme.com')).toBe(true)
    expect(p.identities[1]!.subjectRegExp!.test('dev@acme.com.evil.org')).toBe(false)
    expect(p.github).toEqual({
      owner: 'acme',
      repo: 'acme/web',
      workflow: '.github/workflows/release.yml',
      ref: 'refs/heads/main',
      hostedRunnersOnly: true
    })
  })

  it.each([
    [
      { [`${P}verify`]: 'yes' },
      /metadata\.annotations\["imagestream-action\.dev\/verify"\]: "yes" is not a verification mode/
    ],
    [{ [`${P}verify`]: 'require' }, /no signer is trusted/],
    [{ [`${P}verify`]: 'require', [`${P}verify-keys`]: '../secret.pub' }, /verify-keys"\]: .*repository-relative/],
    [{ [`${P}verify`]: 'require', [`${P}verify-identity`]: 'subject=x' }, /needs issuer=/],
    [
      { [`${P}verify`]: 'require', [`${P}verify-identity`]: 'issuer=https://x,subject=a,subject-regexp=b' },
      /exactly one of subject/
    ],
    [
      { [`${P}verify`]: 'require', [`${P}verify-identity`]: 'issuer=https://x,subject-regexp=(' },
      /not a valid regular expression/
    ],
    [{ [`${P}verify`]: 'require', [`${P}verify-github`]: 'owner=acme,repo=acme/web' }, /exactly one of owner/],
    [{ [`${P}verify`]: 'require', [`${P}verify-github`]: 'repo=acme' }, /repo=acme is not <owner>\/<name>/],
    [{ [`${P}verify`]: 'require', [`${P}verify-github`]: 'owner=acme,branch=main' }, /"branch" is not understood/]
  ])('rejects %j with a message at the field', (annotations, message) => {
    expect(() => policyFor(stream(annotations), 'latest')).toThrow(message)
  })

  it('names the tag annotation when that is the one at fault', () => {
    expect(() => policyFor(stream({}, { [`${P}verify`]: 'maybe' }), 'latest')).toThrow(
      /spec\.tags\[0\]\.annotations\["imagestream-action\.dev\/verify"\]/
    )
  })
})

describe('isSignatureArtifactTag', () => {
  const hex = 'a'.repeat(64)
  it.each([`sha256-${hex}.sig`, `sha256-${hex}.att`, `sha256-${hex}.sbom`, `sha256-${hex}`, 'v1.sig', 'build.att'])(
    '%s is an artifact',
    (t) => {
      expect(isSignatureArtifactTag(t)).toBe(true)
    }
  )
  it.each(['latest', 'v1.2.3', 'sha256', 'signature', 'v1-sig'])('%s is an image tag', (t) => {
    expect(isSignatureArtifactTag(t)).toBe(false)
  })
})
