/**
 * library-go `reference.Parse`, to the letter. The vectors are openshift/library-go
 * pkg/image/reference/reference_test.go `TestParse` (every case, in its order); the expectations of
 * `Exact`/`MostSpecific` come from pkg/image/reference/reference.go and openshift-apiserver
 * pkg/image/apiserver/importer/importer.go `importImages` (`ref.MostSpecific().Exact()`).
 */
import { describe, expect, it } from '@jest/globals'
import {
  dockerClientDefaults,
  exactPullSpec,
  exactRepository,
  exactString,
  isRegistryOnly,
  parseDockerImageReference,
  repositoryKey
} from '../../src/reference/docker-image-reference.js'
import { InvalidReferenceError, parseReference } from '../../src/reference/reference.js'

const ID = 'sha256:3c87c572822935df60f0f5d3665bd376841a7fcfeb806b5f212de6a00e9a7b25'
const a = (n: number) => 'a'.repeat(n)
const b = (n: number) => 'b'.repeat(n)

interface Vector {
  from: string
  registry?: string
  namespace?: string
  name?: string
  tag?: string
  id?: string
  err?: true
}

// openshift/library-go pkg/image/reference/reference_test.go TestParse.
const vectors: Vector[] = [
  { from: 'foo', name: 'foo' },
  { from: 'foo:tag', name: 'foo', tag: 'tag' },
  { from: ID, name: 'sha256', tag: ID.slice('sha256:'.length) },
  { from: `foo@${ID}`, name: 'foo', id: ID },
  { from: 'bar/foo', namespace: 'bar', name: 'foo' },
  { from: 'bar/foo:tag', namespace: 'bar', name: 'foo', tag: 'tag' },
  { from: `bar/foo@${ID}`, namespace: 'bar', name: 'foo', id: ID },
  { from: 'bar/foo/baz', namespace: 'bar', name: 'foo/baz' },
  { from: 'bar/library/baz', namespace: 'bar', name: 'library/baz' },
  { from: 'bar/foo/baz:tag', namespace: 'bar', name: 'foo/baz', tag: 'tag' },
  { from: `bar/foo/baz@${ID}`, namespace: 'bar', name: 'foo/baz', id: ID },
  { from: 'bar:5000/foo/baz', registry: 'bar:5000', namespace: 'foo', name: 'baz' },
  { from: 'bar:5000/library/baz', registry: 'bar:5000', namespace: 'library', name: 'baz' },
  { from: 'bar:5000/baz', registry: 'bar:5000', name: 'baz' },
  { from: 'bar:5000/foo/baz:tag', registry: 'bar:5000', namespace: 'foo', name: 'baz', tag: 'tag' },
  { from: `bar:5000/foo/baz@${ID}`, registry: 'bar:5000', namespace: 'foo', name: 'baz', id: ID },
  { from: 'myregistry.io/foo', registry: 'myregistry.io', name: 'foo' },
  { from: 'localhost/bar', registry: 'localhost', name: 'bar' },
  { from: 'docker.io/library/myapp', registry: 'docker.io', namespace: 'library', name: 'myapp' },
  { from: 'docker.io/myapp', registry: 'docker.io', name: 'myapp' },
  { from: 'docker.io/user/myapp', registry: 'docker.io', namespace: 'user', name: 'myapp' },
  { from: 'docker.io/user/project/myapp', registry: 'docker.io', namespace: 'user', name: 'project/myapp' },
  { from: 'index.docker.io/bar', registry: 'index.docker.io', name: 'bar' },
  // registry/namespace/name == 255 chars
  { from: `bar:5000/${a(63)}/${b(182)}:tag`, registry: 'bar:5000', namespace: a(63), name: b(182), tag: 'tag' },
  // docker.io/namespace/name == 255 chars with explicit namespace
  { from: `docker.io/library/${b(231)}:tag`, registry: 'docker.io', namespace: 'library', name: b(231), tag: 'tag' },
  // docker.io/namespace/name == 255 chars with implicit namespace
  { from: `docker.io/${b(231)}:tag`, registry: 'docker.io', name: b(231), tag: 'tag' },
  { from: 'quay.io', registry: 'quay.io' },
  { from: 'quay.io/org', registry: 'quay.io', name: 'org' },
  { from: 'localhost:5000', registry: 'localhost:5000' },
  { from: 'localhost:5000/org', registry: 'localhost:5000', name: 'org' },
  // registry/namespace/name > 255 chars
  { from: `bar:5000/${a(63)}/${b(183)}:tag`, err: true },
  // docker.io/name > 255 chars with implicit namespace
  { from: `docker.io/${b(246)}:tag`, err: true },
  { from: 'registry.io/foo/bar/:Tag', err: true },
  { from: 'https://bar:5000/foo/baz', err: true },
  { from: `http://bar:5000/foo/baz@${ID}`, err: true },
  { from: 'registry:3000/integration/imageStream:success', err: true },
  { from: 'registry:5000/integration/test-image-stream@sha256:00000000000000000000000000000001', err: true },
  { from: 'abc@badid', err: true },
  { from: 'index.docker.io/mysql@sha256:bad', err: true },
  { from: `@${ID}`, err: true },
  { from: ':tag', err: true },
  { from: 'bar/foo/baz/biz', namespace: 'bar', name: 'foo/baz/biz' },
  { from: 'bar/foo/baz////biz', err: true },
  { from: '//foo/baz/biz', err: true },
  { from: 'ftp://baz/baz/biz', err: true },
  { from: '', err: true }
]

describe('library-go reference.Parse (pkg/image/reference/reference_test.go TestParse)', () => {
  it.each(vectors.map((v) => [v.from.length > 60 ? `${v.from.slice(0, 57)}…` : v.from, v] as const))(
    'Parse(%s)',
    (_label, v) => {
      if (v.err) {
        expect(() => parseDockerImageReference(v.from)).toThrow(InvalidReferenceError)
        return
      }
      expect(parseDockerImageReference(v.from)).toEqual({
        registry: v.registry ?? '',
        namespace: v.namespace ?? '',
        name: v.name ?? '',
        tag: v.tag ?? '',
        id: v.id ?? ''
      })
    }
  )

  it('Parse refuses a name over NameTotalLengthMax and says how long it is', () => {
    expect(() => parseDockerImageReference(`docker.io/${b(246)}:tag`)).toThrow(
      /must not be more than 255 characters \(it has 256\)/
    )
  })

  it('Parse refuses with the reason of the part that is wrong, never a bare "invalid"', () => {
    expect(() => parseDockerImageReference('registry:3000/integration/imageStream:success')).toThrow(/lowercase/)
    expect(() => parseDockerImageReference('index.docker.io/mysql@sha256:bad')).toThrow(/digest/)
    expect(() => parseDockerImageReference('https://bar:5000/foo/baz')).toThrow(/URL scheme/)
  })

  it('a bare registry is a registry (isRegistryOnly), not a Docker Hub repository', () => {
    expect(isRegistryOnly(parseDockerImageReference('quay.io'))).toBe(true)
    expect(isRegistryOnly(parseDockerImageReference('localhost:5000'))).toBe(true)
    expect(isRegistryOnly(parseDockerImageReference('nginx'))).toBe(false)
  })
})

describe('library-go Exact / MostSpecific: what OpenShift records (importer.go importImages)', () => {
  const D = 'sha256:' + 'e'.repeat(64)
  it.each([
    ['nginx:1.25', `nginx@${D}`],
    ['nginx', `nginx@${D}`],
    ['library/nginx:1.25', `library/nginx@${D}`],
    ['docker.io/library/nginx:1.25', `docker.io/library/nginx@${D}`],
    ['index.docker.io/bar:1', `index.docker.io/bar@${D}`],
    ['quay.io/acme/web:2', `quay.io/acme/web@${D}`],
    [`quay.io/acme/web:2@${ID}`, `quay.io/acme/web@${D}`],
    ['localhost:5000/org/app:v1', `localhost:5000/org/app@${D}`]
  ])('exactPullSpec(%s) is %s', (spec, expected) => {
    expect(exactPullSpec(spec, D)).toBe(expected)
  })

  it('exactRepository drops tag and digest and nothing else', () => {
    expect(exactRepository(`nginx:1.25@${ID}`)).toBe('nginx')
    expect(exactRepository('index.docker.io/bar:1')).toBe('index.docker.io/bar')
  })

  it('Exact of a registry alone ends with "/" (reference.go Exact)', () => {
    expect(exactString(parseDockerImageReference('quay.io'))).toBe('quay.io/')
  })

  it('DockerClientDefaults: docker.io, library/ on Docker Hub hosts only, latest', () => {
    expect(exactString(dockerClientDefaults(parseDockerImageReference('nginx')))).toBe('docker.io/library/nginx:latest')
    expect(exactString(dockerClientDefaults(parseDockerImageReference('index.docker.io/bar')))).toBe(
      'index.docker.io/library/bar:latest'
    )
    expect(exactString(dockerClientDefaults(parseDockerImageReference('quay.io/org')))).toBe('quay.io/org:latest')
  })

  it('repositoryKey groups nginx, docker.io/library/nginx and index.docker.io/library/nginx as one repository', () => {
    const keys = ['nginx:1', 'docker.io/library/nginx:2', 'index.docker.io/library/nginx', 'index.docker.io/nginx'].map(
      (s) => repositoryKey(parseDockerImageReference(s))
    )
    expect(new Set(keys)).toEqual(new Set(['registry-1.docker.io/library/nginx']))
    expect(repositoryKey(parseDockerImageReference('quay.io/nginx'))).toBe('quay.io/nginx')
  })

  it('the connection still uses the canonical host: parseReference folds what Exact keeps', () => {
    expect(parseReference('index.docker.io/bar:1')).toEqual({ domain: 'docker.io', path: 'library/bar', tag: '1' })
    expect(exactPullSpec('index.docker.io/bar:1', ID)).toBe(`index.docker.io/bar@${ID}`)
  })
})
