/**
 * Sigstore conformance vectors (sigstore/sigstore-conformance test/assets/bundle-verify/*, data only, see the
 * README next to them): each directory's bundle verified with the gate's trust handling (src/verify/trust.ts: the
 * trusted root, thresholds "as the root requires", keys) and identity matching (src/verify/identity.ts), exactly as
 * the suite's test_bundle.py::test_verify does it — a directory named `*_fail` must fail, every other must pass.
 * Defaults, as test/client.py has them: the production trusted root (ours, src/verify/trusted-roots/sigstore-public-good.json), the
 * artifact `a.txt`, identity = the conformance beacon workflow, issuer = GitHub Actions.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { bundleFromJSON } from '@sigstore/bundle'
import { Verifier, toSignedEntity } from '@sigstore/verify'
import { leafCertificate } from '../../src/verify/bundle.js'
import { matchKeyless } from '../../src/verify/identity.js'
import { loadRoots, rootsForLeaf, shippedTrustedRoots, trustMaterialFor } from '../../src/verify/trust.js'

const DIR = join(process.cwd(), 'test/fixtures/sigstore-conformance/bundle-verify')
const IDENTITY =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main'
const ISSUER = 'https://token.actions.githubusercontent.com'

const read = (dir: string, name: string): Buffer | undefined =>
  existsSync(join(DIR, dir, name)) ? readFileSync(join(DIR, dir, name)) : undefined

/** Throws when the vector does not verify. */
function verifyVector(dir: string): void {
  const json = JSON.parse(readFileSync(join(DIR, dir, 'bundle.sigstore.json'), 'utf8')) as unknown
  const bundle = bundleFromJSON(json)
  const artifact = read(dir, 'artifact') ?? readFileSync(join(DIR, 'a.txt'))
  const ownRoot = read(dir, 'trusted_root.json')
  // As the gate does (bundle.ts verifyKeyless): the root whose certificate authority issued the leaf.
  const [root] = rootsForLeaf(
    loadRoots(ownRoot ? [{ name: dir, json: JSON.parse(ownRoot.toString('utf8')) }] : shippedTrustedRoots()),
    leafCertificate(bundle)
  )
  const keyPem = read(dir, 'key.pub')
  const key = keyPem ? (createPublicKeyDer(keyPem.toString('utf8')) as Buffer) : undefined
  const thresholds = key ? { ...root!.thresholds, ctlogThreshold: 0 } : root!.thresholds
  let entity
  if (bundle.content.$case === 'dsseEnvelope') {
    // A DSSE bundle signs an in-toto statement; the artifact is one of its subjects (as an image digest is for us).
    const statement = JSON.parse(bundle.content.dsseEnvelope.payload.toString('utf8')) as {
      subject?: Array<{ digest?: Record<string, string> }>
    }
    const want = createHash('sha256').update(artifact).digest('hex')
    if (!(statement.subject ?? []).some((s) => s.digest?.sha256 === want)) throw new Error('artifact is not a subject')
    entity = toSignedEntity(bundle)
  } else {
    entity = toSignedEntity(bundle, artifact)
  }
  const signer = new Verifier(trustMaterialFor(root!.root, key), thresholds).verify(entity)
  if (key) return
  const who = {
    san: signer.identity?.subjectAlternativeName ?? '',
    issuer: signer.identity?.extensions?.issuer ?? ''
  }
  const identity = read(dir, 'identity')?.toString('utf8').trim() ?? IDENTITY
  const issuer = read(dir, 'issuer')?.toString('utf8').trim() ?? ISSUER
  if (!matchKeyless([{ issuer, subject: identity, text: '' }], who))
    throw new Error(`identity ${who.san} does not match`)
}

import { createPublicKey } from 'node:crypto'
function createPublicKeyDer(pem: string): Buffer {
  return createPublicKey(pem).export({ format: 'der', type: 'spki' })
}

const vectors = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()

describe('sigstore-conformance bundle-verify vectors', () => {
  it('has at least 20 vectors, passing and failing ones', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(20)
    expect(vectors.filter((v) => v.endsWith('_fail')).length).toBeGreaterThan(5)
    expect(vectors.filter((v) => !v.endsWith('_fail')).length).toBeGreaterThan(5)
  })

  it.each(vectors)('%s gives its labelled result', (dir) => {
    if (dir.endsWith('_fail')) expect(() => verifyVector(dir)).toThrow()
    else expect(() => verifyVector(dir)).not.toThrow()
  })
})
