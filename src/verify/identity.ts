/**
 * Who signed: matching a Fulcio certificate against the policy. Pure.
 *  - keyless identities: the OIDC issuer exactly, the SAN exactly or by an anchored regular expression;
 *  - GitHub attestations: the Fulcio extensions GitHub's OIDC token fills in (sigstore/fulcio docs/oid-info.md:
 *    1.3.6.1.4.1.57264.1.9 Build Signer URI, .11 Runner Environment, .12 Source Repository URI, .14 Source Repository
 *    Ref, .16 Source Repository Owner URI), as `gh attestation verify --owner/--repo/--signer-workflow` checks them.
 */
import type { X509Certificate } from '@sigstore/core'
import type { GithubPolicy, KeylessIdentity } from './policy.js'

export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com'

const OID = {
  buildSignerUri: '1.3.6.1.4.1.57264.1.9',
  runnerEnvironment: '1.3.6.1.4.1.57264.1.11',
  sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  sourceRepositoryOwnerUri: '1.3.6.1.4.1.57264.1.16'
}

/** A Fulcio v2 extension: a DER UTF8String inside the extension's OCTET STRING. */
export function fulcioExtension(cert: X509Certificate, oid: string): string | undefined {
  const ext = cert.extension(oid)
  const value = ext?.valueObj.subs?.[0]?.value ?? ext?.valueObj.value
  return value ? value.toString('utf8') : undefined
}

export interface CertIdentity {
  san: string
  issuer: string
}

/** The identity rule that matches, or undefined. */
export function matchKeyless(identities: readonly KeylessIdentity[], who: CertIdentity): KeylessIdentity | undefined {
  return identities.find(
    (i) =>
      i.issuer === who.issuer &&
      (i.subject !== undefined ? i.subject === who.san : Boolean(i.subjectRegExp?.test(who.san)))
  )
}

const sameText = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase()

/** Why a GitHub attestation's certificate does not satisfy the policy, or undefined when it does. */
export function githubMismatch(policy: GithubPolicy, who: CertIdentity, cert: X509Certificate): string | undefined {
  if (who.issuer !== GITHUB_ACTIONS_ISSUER && !who.issuer.startsWith(`${GITHUB_ACTIONS_ISSUER}/`)) {
    return `issuer is ${who.issuer}, not GitHub Actions (${GITHUB_ACTIONS_ISSUER})`
  }
  const repoUri = fulcioExtension(cert, OID.sourceRepositoryUri)
  const ownerUri = fulcioExtension(cert, OID.sourceRepositoryOwnerUri)
  if (policy.repo) {
    if (!sameText(repoUri, `https://github.com/${policy.repo}`)) {
      return `built in ${repoUri ?? 'an unknown repository'}, not https://github.com/${policy.repo}`
    }
  } else if (!sameText(ownerUri, `https://github.com/${policy.owner}`)) {
    return `built by ${ownerUri ?? 'an unknown owner'}, not https://github.com/${policy.owner}`
  }
  if (policy.workflow) {
    // The SAN (= Build Signer URI) is https://github.com/<owner>/<repo>/<workflow path>@<ref>.
    const signer = fulcioExtension(cert, OID.buildSignerUri) ?? who.san
    const path = signer.replace(/^https:\/\/github\.com\/[^/]+\/[^/]+\//, '').replace(/@.*$/, '')
    if (path !== policy.workflow) return `signed by workflow ${path}, not ${policy.workflow}`
  }
  if (policy.ref) {
    const ref = fulcioExtension(cert, OID.sourceRepositoryRef)
    if (ref !== policy.ref) return `built from ${ref ?? 'an unknown ref'}, not ${policy.ref}`
  }
  if (policy.hostedRunnersOnly && fulcioExtension(cert, OID.runnerEnvironment) !== 'github-hosted') {
    return 'not built on a GitHub-hosted runner'
  }
  return undefined
}
