/**
 * Cases mirror distribution/reference's normalize_test.go and reference_test.go (@0965666), translated to our
 * normalized form (ParseNormalizedNamed: docker.io + library/ defaults; name:tag@digest keeps both).
 */
import { describe, expect, it } from '@jest/globals'
import {
  InvalidReferenceError,
  familiarName,
  formatCanonical,
  formatDigestReference,
  formatFamiliar,
  isDigest,
  isValidTagName,
  parseDigest,
  parseReference,
  quoteForMessage,
  repositoryOf,
  splitImageStreamTag,
  tryParseReference,
  withDigest,
  withTag,
  withoutTagOrDigest
} from '../../src/reference/reference.js'

const SHA = 'sha256:' + 'f'.repeat(64)
const REDIS = 'sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c'

function rejection(text: string): InvalidReferenceError {
  try {
    parseReference(text)
  } catch (err) {
    if (err instanceof InvalidReferenceError) return err
    throw err
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`)
}

describe('parseReference: normalization (normalize_test.go TestParseRepositoryInfo / TestNormalizedSplitHostname)', () => {
  // [input, domain, path, familiar name, canonical name]
  const cases: Array<[string, string, string, string, string]> = [
    ['fooo/bar', 'docker.io', 'fooo/bar', 'fooo/bar', 'docker.io/fooo/bar'],
    ['index.docker.io/fooo/bar', 'docker.io', 'fooo/bar', 'fooo/bar', 'docker.io/fooo/bar'],
    ['library/ubuntu', 'docker.io', 'library/ubuntu', 'ubuntu', 'docker.io/library/ubuntu'],
    ['ubuntu', 'docker.io', 'library/ubuntu', 'ubuntu', 'docker.io/library/ubuntu'],
    ['nonlibrary/ubuntu', 'docker.io', 'nonlibrary/ubuntu', 'nonlibrary/ubuntu', 'docker.io/nonlibrary/ubuntu'],
    ['other/library', 'docker.io', 'other/library', 'other/library', 'docker.io/other/library'],
    [
      '127.0.0.1:8000/private/moonbase',
      '127.0.0.1:8000',
      'private/moonbase',
      '127.0.0.1:8000/private/moonbase',
      '127.0.0.1:8000/private/moonbase'
    ],
    [
      '127.0.0.1:8000/privatebase',
      '127.0.0.1:8000',
      'privatebase',
      '127.0.0.1:8000/privatebase',
      '127.0.0.1:8000/privatebase'
    ],
    [
      'example.com/private/moonbase',
      'example.com',
      'private/moonbase',
      'example.com/private/moonbase',
      'example.com/private/moonbase'
    ],
    [
      'example.com:8000/privatebasee',
      'example.com:8000',
      'privatebasee',
      'example.com:8000/privatebasee',
      'example.com:8000/privatebasee'
    ],
    [
      'index.docker.io/library/ubuntu-12.04-base',
      'docker.io',
      'library/ubuntu-12.04-base',
      'library/ubuntu-12.04-base', // alone, ubuntu-12.04-base would read as a registry (library-go reference.Parse)
      'docker.io/library/ubuntu-12.04-base'
    ],
    ['docker.io/foo', 'docker.io', 'library/foo', 'foo', 'docker.io/library/foo'],
    ['index.docker.io/debian', 'docker.io', 'library/debian', 'debian', 'docker.io/library/debian'],
    ['library/foo/bar', 'docker.io', 'library/foo/bar', 'library/foo/bar', 'docker.io/library/foo/bar'],
    ['store/foo/bar', 'docker.io', 'store/foo/bar', 'store/foo/bar', 'docker.io/store/foo/bar'],
    ['Foo/bar', 'Foo', 'bar', 'Foo/bar', 'Foo/bar'],
    ['FOO/bar', 'FOO', 'bar', 'FOO/bar', 'FOO/bar'],
    ['test.com/foo', 'test.com', 'foo', 'test.com/foo', 'test.com/foo'],
    ['test_com/foo', 'docker.io', 'test_com/foo', 'test_com/foo', 'docker.io/test_com/foo'],
    ['docker/migrator', 'docker.io', 'docker/migrator', 'docker/migrator', 'docker.io/docker/migrator'],
    ['test-com:8080/foo', 'test-com:8080', 'foo', 'test-com:8080/foo', 'test-com:8080/foo'],
    ['xn--n3h.com:18080/foo', 'xn--n3h.com:18080', 'foo', 'xn--n3h.com:18080/foo', 'xn--n3h.com:18080/foo'],
    ['localhost/foo', 'localhost', 'foo', 'localhost/foo', 'localhost/foo'],
    ['localhost:5000/a/b', 'localhost:5000', 'a/b', 'localhost:5000/a/b', 'localhost:5000/a/b'],
    ['[fc00::1]:5000/docker', '[fc00::1]:5000', 'docker', '[fc00::1]:5000/docker', '[fc00::1]:5000/docker'],
    [
      '[fc00:1:2:3:4:5:6:7]:5000/library/debian',
      '[fc00:1:2:3:4:5:6:7]:5000',
      'library/debian',
      '[fc00:1:2:3:4:5:6:7]:5000/library/debian',
      '[fc00:1:2:3:4:5:6:7]:5000/library/debian'
    ],
    [
      'docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
      'docker.io',
      'library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
      'library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
      'docker.io/library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a'
    ],
    [
      'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
      'docker.io',
      'library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
      'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
      'docker.io/library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev'
    ],
    // Not in distribution: its FamiliarName would print `foo.bar/x`, which parses back with host foo.bar.
    ['docker.io/foo.bar/x', 'docker.io', 'foo.bar/x', 'docker.io/foo.bar/x', 'docker.io/foo.bar/x'],
    ['docker.io/localhost/x', 'docker.io', 'localhost/x', 'docker.io/localhost/x', 'docker.io/localhost/x']
  ]
  it.each(cases)('%s', (input, domain, path, familiar, canonical) => {
    const ref = parseReference(input)
    expect(ref).toEqual({ domain, path })
    expect(familiarName(ref)).toBe(familiar)
    expect(repositoryOf(ref)).toBe(canonical)
    expect(parseReference(familiar)).toEqual(ref)
    expect(parseReference(canonical)).toEqual(ref)
  })
})

describe('parseReference: tags and digests (reference_test.go TestReferenceParse)', () => {
  // [input, domain, path, tag, digest]
  const cases: Array<[string, string, string, string | undefined, string | undefined]> = [
    ['test_com', 'docker.io', 'library/test_com', undefined, undefined],
    ['test.com/repo:tag', 'test.com', 'repo', 'tag', undefined],
    ['test:5000/repo', 'test:5000', 'repo', undefined, undefined],
    ['test:5000/repo:tag', 'test:5000', 'repo', 'tag', undefined],
    [`test:5000/repo@${SHA}`, 'test:5000', 'repo', undefined, SHA],
    [`test:5000/repo:tag@${SHA}`, 'test:5000', 'repo', 'tag', SHA],
    ['lowercase:Uppercase', 'docker.io', 'library/lowercase', 'Uppercase', undefined],
    ['sub-dom1.foo.com/bar/baz/quux:some-long-tag', 'sub-dom1.foo.com', 'bar/baz/quux', 'some-long-tag', undefined],
    [
      'b.gcr.io/test.example.com/my-app:test.example.com',
      'b.gcr.io',
      'test.example.com/my-app',
      'test.example.com',
      undefined
    ],
    ['xn--n3h.com/myimage:xn--n3h.com', 'xn--n3h.com', 'myimage', 'xn--n3h.com', undefined],
    [
      `xn--7o8h.com/myimage:xn--7o8h.com@sha512:${'f'.repeat(128)}`,
      'xn--7o8h.com',
      'myimage',
      'xn--7o8h.com',
      `sha512:${'f'.repeat(128)}`
    ],
    [`repo@sha384:${'a'.repeat(96)}`, 'docker.io', 'library/repo', undefined, `sha384:${'a'.repeat(96)}`],
    ['foo/foo_bar.com:8080', 'docker.io', 'foo/foo_bar.com', '8080', undefined],
    ['192.168.1.1:5000/repo:5050', '192.168.1.1:5000', 'repo', '5050', undefined],
    ['192.168.1.1/repo', '192.168.1.1', 'repo', undefined, undefined],
    ['[2001:db8::1]/repo', '[2001:db8::1]', 'repo', undefined, undefined],
    ['[2001:db8:1:2:3:4:5:6]/repo:tag', '[2001:db8:1:2:3:4:5:6]', 'repo', 'tag', undefined],
    [`[2001:db8::1]:5000/repo:tag@${SHA}`, '[2001:db8::1]:5000', 'repo', 'tag', SHA],
    ['[2001:db8::]:5000/repo', '[2001:db8::]:5000', 'repo', undefined, undefined],
    ['[::1]:5000/repo', '[::1]:5000', 'repo', undefined, undefined],
    [`redis@${REDIS}`, 'docker.io', 'library/redis', undefined, REDIS],
    [
      `busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa`,
      'docker.io',
      'library/busybox',
      'latest',
      'sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa'
    ],
    ['dbcc1', 'docker.io', 'library/dbcc1', undefined, undefined],
    [
      `${'a/'.repeat(127)}a:tag-puts-this-over-max`,
      'docker.io',
      `${'a/'.repeat(127)}a`,
      'tag-puts-this-over-max',
      undefined
    ],
    [`x:${'t'.repeat(128)}`, 'docker.io', 'library/x', 't'.repeat(128), undefined]
  ]
  it.each(cases)('%s', (input, domain, path, tag, digest) => {
    const expected: Record<string, string> = { domain, path }
    if (tag !== undefined) expected.tag = tag
    if (digest !== undefined) expected.digest = digest
    expect(parseReference(input)).toEqual(expected)
  })

  it('keeps both tag and digest and formats both (TestParseReferenceWithTagAndDigest)', () => {
    const short = 'busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa'
    const ref = parseReference(short)
    expect(formatCanonical(ref)).toBe(`docker.io/library/${short}`)
    expect(formatFamiliar(ref)).toBe(short)
  })
})

describe('parseReference: rejections say which part is wrong', () => {
  // [input, part, fragment of the reason]
  const cases: Array<[string, string, string | RegExp]> = [
    ['', 'name', 'at least one component'],
    [':justtag', 'name', 'repository name is missing'],
    [`@${SHA}`, 'name', 'repository name is missing'],
    ['repo@sha256:ffffffffffffffffffffffffffffffffff', 'digest', 'has 64 hex digits'],
    [`validname@invaliddigest:${'f'.repeat(64)}`, 'digest', 'is not supported'],
    [`repo@SHA256:${'f'.repeat(64)}`, 'digest', 'is not valid'],
    [`repo@sha256:${'F'.repeat(64)}`, 'digest', 'lowercase hex'],
    [`repo@sha512:${'f'.repeat(64)}`, 'digest', 'has 128 hex digits'],
    ['repo@', 'digest', 'algorithm:hex'],
    [`repo@${SHA}@${SHA}`, 'reference', "at most one '@'"],
    ['Uppercase:tag', 'path', 'must be lowercase'],
    ['test:5000/Uppercase/lowercase:tag', 'path', 'must be lowercase'],
    ['docker/Docker', 'path', 'must be lowercase'],
    ['docker.io/docker/Docker', 'path', 'must be lowercase'],
    [`${'a/'.repeat(128)}a:tag`, 'name', 'not be more than 255 characters'],
    // Where distribution and library-go's reference.Parse differ, OpenShift's reading wins: a lone name that looks
    // like a host is a registry (openshift/library-go pkg/image/reference/reference_test.go: quay.io, localhost:5000),
    // and the 255 characters count the name as written, registry included (`docker.io/` + 246 characters).
    ['192.168.0.1', 'name', 'names a registry, not a repository'],
    ['test.com:tag', 'name', 'names a registry, not a repository'],
    ['test.com:5000', 'name', 'names a registry, not a repository'],
    ['foo_bar.com:8080', 'name', 'names a registry, not a repository'],
    ['quay.io', 'name', '"quay.io" names a registry'],
    ['localhost:5000', 'name', '"localhost:5000" names a registry'],
    [`docker.io/${'b'.repeat(246)}:tag`, 'name', 'not be more than 255 characters (this one has 256)'],
    [`${'a'.repeat(250)}`, 'path', 'not be more than 255 characters'], // library/ counts
    ['aa/asdf$$^/aa', 'path', /contains "\$"/],
    ['https://github.com/docker/docker', 'reference', 'no URL scheme'],
    ['-docker', 'path', 'path component "-docker"'],
    ['-docker/docker', 'path', 'path component "-docker"'],
    ['-docker.io/docker/docker', 'domain', 'registry host "-docker.io" is not valid'],
    ['docker-/docker', 'path', 'is not valid'],
    ['docker///docker', 'path', 'empty component'],
    ['docker.io/docker///docker', 'path', 'empty component'],
    ['docker/', 'path', "must not end with '/'"],
    ['localhost/', 'path', 'missing after the registry host'],
    ['____/____', 'path', 'is not valid'],
    ['_docker/_docker', 'path', 'is not valid'],
    ['dock..er/docker', 'domain', 'is not valid'], // '.' makes it a host
    ['dock_.er/docker', 'domain', 'is not valid'], // '.' makes it a host
    ['dock-.er/docker', 'domain', 'is not valid'], // '.' makes it a host
    ['dock___er/docker', 'path', 'is not valid'],
    ['ns/dock..er', 'path', 'path component "dock..er" is not valid'],
    ['ns/dock_.er', 'path', 'is not valid'],
    ['quay.io/ns/dock-.er', 'path', 'is not valid'],
    ['[fc00::1]', 'name', 'followed by /repository'],
    ['[fc00::1]:5000', 'name', 'followed by /repository'],
    ['[2001:db8::1]:tag', 'name', 'followed by /repository'],
    ['fc00::1:5000/debian', 'domain', 'must be in brackets'],
    ['[fe80::1%eth0]:5000/debian', 'domain', 'zone'],
    ['[fe80::1%@invalidzone]:5000/repo', 'digest', 'is not valid'],
    ['[2001:db8:3:4::192.0.2.33]:5000/debian', 'domain', 'no embedded IPv4'],
    ['1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a', 'name', '64-character hexadecimal'],
    ['nginx:', 'tag', 'is empty'],
    ['nginx:-x', 'tag', 'tag "-x" is not valid'],
    ['nginx:.x', 'tag', 'is not valid'],
    [`nginx:${'t'.repeat(129)}`, 'tag', 'is 129 characters long'],
    ['nginx:1.25:x', 'tag', 'is not valid'],
    ['nginx latest', 'reference', 'U+0020'],
    ['nginx\n', 'reference', 'U+000A'],
    ['nginx:1\u202e', 'reference', 'U+202E'],
    ['ngïnx', 'path', 'contains "ï"']
  ]
  it.each(cases)('%j', (input, part, reason) => {
    const err = rejection(input)
    expect(err.part).toBe(part)
    expect(err.input).toBe(input)
    expect(err.message).toMatch(reason)
    expect(err.message.startsWith('invalid image reference ')).toBe(true)
  })

  it('never echoes control characters raw, and shortens very long input', () => {
    const err = rejection('evil\n::set-output name=x::y\r\u0007\u2028\u009b[31m')
    expect(err.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/)
    expect(err.message).toContain('\\n::set-output')
    const long = rejection('x'.repeat(5000) + ' ')
    expect(long.message.length).toBeLessThan(400)
    expect(long.message).toContain('(5001 characters)')
  })

  it('tryParseReference returns undefined for invalid input only', () => {
    expect(tryParseReference('nginx')).toEqual({ domain: 'docker.io', path: 'library/nginx' })
    expect(tryParseReference('Nginx')).toBeUndefined()
  })
})

describe('digests, tags, builders', () => {
  it('parseDigest / isDigest follow go-digest', () => {
    expect(parseDigest(SHA)).toBe(SHA)
    expect(isDigest(`sha384:${'0'.repeat(96)}`)).toBe(true)
    expect(isDigest(`sha512:${'0'.repeat(128)}`)).toBe(true)
    expect(isDigest(`sha256:${'0'.repeat(63)}`)).toBe(false)
    expect(isDigest(`sha256+b64:${'0'.repeat(64)}`)).toBe(false)
    expect(isDigest(`constructor:${'0'.repeat(64)}`)).toBe(false)
    expect(isDigest('sha256')).toBe(false)
    expect(isDigest(42)).toBe(false)
    expect(() => parseDigest(`md5:${'0'.repeat(32)}`)).toThrow(
      /"md5" is not supported \(use sha256, sha384 or sha512\)/
    )
    expect(() => parseDigest(`sha_:${'0'.repeat(32)}`)).toThrow(/algorithm "sha_" is not valid/)
  })

  it('isValidTagName is [\\w][\\w.-]{0,127}', () => {
    for (const ok of ['latest', '1.25', 'A_b-c.d', '_x', '0', 'x'.repeat(128)]) expect(isValidTagName(ok)).toBe(true)
    for (const bad of ['', '.x', '-x', 'a b', 'a:b', 'a/b', 'ä', 'x'.repeat(129), 'a\n']) {
      expect(isValidTagName(bad)).toBe(false)
    }
  })

  it('withTag / withDigest keep the other part (TestWithTag, TestWithDigest)', () => {
    const base = parseReference('test.com:8000/foo')
    const tagged = withTag(withDigest(base, SHA), 'TAG5')
    expect(formatCanonical(tagged)).toBe(`test.com:8000/foo:TAG5@${SHA}`)
    expect(formatCanonical(withDigest(parseReference('foo:tag'), SHA))).toBe(`docker.io/library/foo:tag@${SHA}`)
    expect(withoutTagOrDigest(tagged)).toEqual({ domain: 'test.com:8000', path: 'foo' })
    expect(formatDigestReference(tagged, REDIS)).toBe(`test.com:8000/foo@${REDIS}`)
    expect(() => withTag(base, '-foo')).toThrow(InvalidReferenceError)
    expect(() => withDigest(base, 'foo')).toThrow(InvalidReferenceError)
    expect(Object.isFrozen(tagged)).toBe(true)
  })

  it('splitImageStreamTag is ParseImageStreamTagName', () => {
    expect(splitImageStreamTag('web:latest')).toEqual({ stream: 'web', tag: 'latest' })
    expect(() => splitImageStreamTag('web')).toThrow(/exactly one ':' \(found 0\)/)
    expect(() => splitImageStreamTag('a:b:c')).toThrow(/exactly one ':' \(found 2\)/)
    expect(() => splitImageStreamTag(`web@${SHA}`)).toThrow(/image stream image/)
    expect(() => splitImageStreamTag(':latest')).toThrow(/must have a stream name and a tag/)
    expect(() => splitImageStreamTag('web:')).toThrow(/must have a stream name and a tag/)
    expect(() => splitImageStreamTag('web:-x')).toThrow(/tag "-x" is not valid/)
    expect(() => splitImageStreamTag('web:a\nb')).toThrow(/no spaces, newlines or control characters/)
  })

  it('quoteForMessage escapes invisible and separator characters', () => {
    expect(quoteForMessage('a\u2028b\u202ec\u0085')).toBe('"a\\u2028b\\u202ec\\u0085"')
  })
})
