/**
 * reference/names.ts: the one home of `[namespace/]stream:tag`, stream and namespace names, and branch names.
 * Stream names follow OpenShift's ValidateImageStreamName (openshift-apiserver
 * pkg/image/apis/image/validation/validation.go; the same function in openshift/origin's copy of that file):
 * path.ValidatePathSegmentName, then RepositoryNameComponentAnchoredRegexp `^[a-z0-9]+(?:[._-][a-z0-9]+)*$`.
 */
import { describe, expect, it } from '@jest/globals'
import {
  formatStreamTag,
  isValidBranchName,
  isValidNamespace,
  isValidStreamName,
  parseStreamTag,
  sameStreamTag,
  streamTagProblem
} from '../../src/reference/names.js'

describe('ValidateImageStreamName (isValidStreamName)', () => {
  it.each(['web', 'my_app', 'web.v2', 'a-b', 'r-studio', '0day', 'a'])('accepts %s', (name) => {
    expect(isValidStreamName(name)).toBe(true)
  })
  // '..' and '.' fail ValidatePathSegmentName; the others fail the repository component rule.
  it.each(['r--studio', 'a__b', '-web', 'web-', 'Web', 'a/b', 'a%b', '.', '..', '', 'web:1', 'a..b'])(
    'refuses %j',
    (name) => {
      expect(isValidStreamName(name)).toBe(false)
    }
  )
})

describe('namespaces are DNS-1123 labels (ValidateNamespaceName)', () => {
  it('accepts a label and refuses dots, upper case and 64 characters', () => {
    expect(isValidNamespace('shop-1')).toBe(true)
    expect(isValidNamespace('a.b')).toBe(false)
    expect(isValidNamespace('Shop')).toBe(false)
    expect(isValidNamespace('a'.repeat(64))).toBe(false)
  })
})

describe('[namespace/]stream:tag', () => {
  it('parses and formats back', () => {
    for (const text of ['web', 'web:1.4', 'shop/web:prod', 'shop/my_app:v2-rc.1']) {
      const parsed = parseStreamTag(text)
      expect(parsed).toBeDefined()
      expect(formatStreamTag(parsed!)).toBe(text)
    }
    expect(parseStreamTag('shop/web:prod')).toEqual({ namespace: 'shop', name: 'web', tag: 'prod' })
  })

  it('says what is wrong', () => {
    expect(streamTagProblem('web', true)).toBe('names no tag; use [namespace/]stream:tag')
    expect(streamTagProblem('r--studio:1')).toMatch(/^stream name "r--studio" is not valid/)
    expect(streamTagProblem('Shop/web:1')).toMatch(/^namespace "Shop" is not a DNS label/)
    expect(streamTagProblem('web:-x')).toMatch(/^tag "-x" is not valid/)
    expect(parseStreamTag('a/b/c:1')).toBeUndefined()
  })

  it('matches an edit source to a change, a missing namespace matching any', () => {
    const change = { namespace: 'shop', stream: 'web', tag: 'prod' }
    expect(sameStreamTag('web:prod', change)).toBe(true)
    expect(sameStreamTag('shop/web:prod', change)).toBe(true)
    expect(sameStreamTag('other/web:prod', change)).toBe(false)
    expect(sameStreamTag('web:1.4', change)).toBe(false)
  })
})

describe('branch names', () => {
  it.each(['main', 'release/1.x', 'imagestream/web', 'feature_a'])('accepts %s', (name) => {
    expect(isValidBranchName(name)).toBe(true)
  })
  it.each(['', 'a..b', '/main', '-x', 'main/', 'a//b', 'x.lock', 'a/.hidden', 'has space', 'a~b'])(
    'refuses %j',
    (name) => {
      expect(isValidBranchName(name)).toBe(false)
    }
  )
  it('a prefix may end with /', () => {
    expect(isValidBranchName('imagestream/', { prefix: true })).toBe(true)
  })
})
