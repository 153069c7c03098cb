/**
 * Property tests: the grammar of distribution/reference (registry.md §6) generated independently of the parser,
 * so the parser is checked against the grammar rather than against itself.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  InvalidReferenceError,
  formatCanonical,
  formatFamiliar,
  parseReference,
  type ImageReference
} from '../../src/reference/reference.js'

const RUNS = { numRuns: 10_000 }

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n })
const alnum = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
  minLength: 1,
  maxLength: 6
})
const separator = fc.constantFrom('.', '_', '__', '-', '--', '---')

/** path-component := alpha-numeric [separator alpha-numeric]* */
const pathComponent = fc
  .tuple(alnum, fc.array(fc.tuple(separator, alnum), { maxLength: 3 }))
  .map(([head, rest]) => head + rest.map(([sep, an]) => sep + an).join(''))

const path = fc
  .array(pathComponent, { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join('/'))
  .filter((p) => p.length <= 255)

const tag = fc.stringMatching(/^[\w][\w.-]{0,127}$/)

const digest = fc.oneof(
  hex(64).map((h) => `sha256:${h}`),
  hex(96).map((h) => `sha384:${h}`),
  hex(128).map((h) => `sha512:${h}`)
)

const label = fc
  .tuple(
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
    fc.string({
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-'),
      maxLength: 8
    }),
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789')
  )
  .map(([a, mid, z]) => (mid === '' ? a : a + mid + z))
const port = fc.integer({ min: 1, max: 65535 }).map((p) => `:${p}`)
const ipv6 = fc.ipV6().filter((ip) => /^[0-9a-fA-F:]+$/.test(ip)) // no embedded IPv4 (not in the grammar)

/** Hosts that the familiar-name heuristic treats as a registry (a '.', a ':', localhost, or uppercase). */
const domain = fc
  .oneof(
    fc
      .tuple(fc.array(label, { minLength: 2, maxLength: 4 }), fc.option(port, { nil: '' }))
      .map(([l, p]) => l.join('.') + p),
    fc.tuple(label, port).map(([l, p]) => l + p),
    fc.ipV4().chain((ip) => fc.option(port, { nil: '' }).map((p) => ip + p)),
    fc.tuple(ipv6, fc.option(port, { nil: '' })).map(([ip, p]) => `[${ip}]${p}`),
    fc.option(port, { nil: '' }).map((p) => `localhost${p}`),
    fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,7}$/)
  )
  .filter((d) => d !== 'docker.io' && d !== 'index.docker.io')

/** A reference in the normalized form parseReference produces. */
const structured: fc.Arbitrary<ImageReference> = fc
  .record(
    {
      domain: fc.oneof({ weight: 3, arbitrary: domain }, { weight: 1, arbitrary: fc.constant('docker.io') }),
      path,
      tag,
      digest
    },
    { requiredKeys: ['domain', 'path'] }
  )
  .map((r) => (r.domain === 'docker.io' && !r.path.includes('/') ? { ...r, path: `library/${r.path}` } : r))
  // library-go reference.Parse: at most 255 characters of name as written, registry included.
  .filter((r) => `${r.domain}/${r.path}`.length <= 255)

const suffix = fc
  .record({ tag, digest }, { requiredKeys: [] })
  .map((s) => `${s.tag !== undefined ? `:${s.tag}` : ''}${s.digest !== undefined ? `@${s.digest}` : ''}`)

/** Canonical strings built by hand from the grammar (not by our formatter). */
const canonicalText = fc
  .tuple(fc.oneof(domain, fc.constant('docker.io')), path, suffix)
  .filter(([d, p]) => (d !== 'docker.io' || p.includes('/')) && `${d}/${p}`.length <= 255)
  .map(([d, p, s]) => `${d}/${p}${s}`)

/** Familiar strings: Docker Hub names without docker.io/ (and library/ for a single component), or other hosts. */
const familiarText = fc
  .oneof(
    // A lone name with a '.' or a localhost prefix is a registry to library-go's reference.Parse, not a repository.
    fc
      .tuple(pathComponent, suffix)
      .filter(([name]) => !name.includes('.') && !name.startsWith('localhost'))
      .map(([name, s]) => name + s),
    fc
      .tuple(pathComponent, fc.array(pathComponent, { minLength: 1, maxLength: 3 }), suffix)
      .filter(
        ([first, rest]) => !/[.]/.test(first) && first !== 'localhost' && !(first === 'library' && rest.length === 1)
      )
      .map(([first, rest, s]) => [first, ...rest].join('/') + s),
    fc.tuple(domain, path, suffix).map(([d, p, s]) => `${d}/${p}${s}`)
  )
  .filter((t) => !/^[a-f0-9]{64}(?:$|[:@])/.test(t))

function rejects(text: string): boolean {
  try {
    parseReference(text)
    return false
  } catch (err) {
    if (!(err instanceof InvalidReferenceError)) throw err
    // The message may quote the input, but never with a raw control or line-separator character.
    if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(err.message))
      throw new Error(`raw control char in ${err.message}`)
    return true
  }
}

describe('reference properties', () => {
  it('formatCanonical(parseReference(x)) === x for generated canonical references', () => {
    fc.assert(
      fc.property(canonicalText, (text) => {
        expect(formatCanonical(parseReference(text))).toBe(text)
      }),
      RUNS
    )
  })

  it('formatFamiliar(parseReference(x)) === x for generated familiar references', () => {
    fc.assert(
      fc.property(familiarText, (text) => {
        expect(formatFamiliar(parseReference(text))).toBe(text)
      }),
      RUNS
    )
  })

  it('parseReference(format(r)) equals r, canonical and familiar, for generated structured references', () => {
    fc.assert(
      fc.property(structured, (ref) => {
        expect(parseReference(formatCanonical(ref))).toEqual(ref)
        expect(parseReference(formatFamiliar(ref))).toEqual(ref)
      }),
      RUNS
    )
  })

  it('rejects uppercase in the repository path', () => {
    const withUpper = fc
      .tuple(fc.oneof(domain, fc.constant('docker.io')), path, fc.nat(), suffix)
      .map(([d, p, i, s]) => {
        const letters = [...p].map((c, j) => (/[a-z]/.test(c) ? j : -1)).filter((j) => j >= 0)
        if (letters.length === 0) return `${d}/${p}X${s}`
        const at = letters[i % letters.length]!
        return `${d}/${p.slice(0, at)}${p[at]!.toUpperCase()}${p.slice(at + 1)}${s}`
      })
    fc.assert(
      fc.property(withUpper, (text) => {
        expect(() => parseReference(text)).toThrow(/repository name must be lowercase|is not valid/)
      }),
      RUNS
    )
  })

  it('rejects malformed digests', () => {
    const badDigest = fc.oneof(
      fc
        .tuple(fc.constantFrom('sha256', 'sha384', 'sha512'), fc.integer({ min: 0, max: 200 }))
        .filter(([alg, n]) => n !== { sha256: 64, sha384: 96, sha512: 128 }[alg])
        .chain(([alg, n]) => hex(n).map((h) => `${alg}:${h}`)),
      hex(64).chain((h) =>
        fc.nat({ max: 63 }).map((i) => `sha256:${h.slice(0, i)}${'ABCDEFG'[i % 7]}${h.slice(i + 1)}`)
      ),
      fc
        .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), hex(64))
        .filter(([a]) => !['sha256', 'sha384', 'sha512'].includes(a))
        .map(([a, h]) => `${a}:${h}`),
      hex(64).map((h) => `SHA256:${h}`),
      hex(64).map((h) => `sha256${h}`)
    )
    fc.assert(
      fc.property(canonicalText, badDigest, (text, bad) => {
        const name = text.split('@')[0]
        expect(rejects(`${name}@${bad}`)).toBe(true)
      }),
      RUNS
    )
  })

  it('rejects overlong paths and tags', () => {
    const overlong = fc.oneof(
      fc
        .tuple(fc.oneof(domain, fc.constant('docker.io')), fc.array(pathComponent, { minLength: 40, maxLength: 80 }))
        .map(([d, parts]) => `${d}/${parts.join('/')}`)
        .filter((t) => t.slice(t.indexOf('/') + 1).length > 255),
      fc
        .tuple(canonicalText, fc.stringMatching(/^[\w][\w.-]{128,200}$/))
        .map(([t, long]) => `${t.split(/[@]/)[0]!.replace(/:[\w.-]+$/, '')}:${long}`)
    )
    fc.assert(
      fc.property(overlong, (text) => expect(rejects(text)).toBe(true)),
      RUNS
    )
  })

  it('rejects bad separators in the path', () => {
    const badSeparator = fc
      .tuple(
        fc.oneof(domain, fc.constant('quay.io')),
        alnum,
        fc.constantFrom('..', '._', '_.', '-.', '.-', '___', '_-', '-_', '//'),
        alnum
      )
      .map(([d, a, sep, b]) => `${d}/${a}${sep}${b}`)
    const badEdge = fc
      .tuple(fc.oneof(domain, fc.constant('quay.io')), alnum, fc.constantFrom('.', '_', '-', '/'), fc.boolean())
      .map(([d, a, sep, leading]) => (leading ? `${d}/${sep}${a}` : `${d}/${a}${sep}`))
    fc.assert(
      fc.property(fc.oneof(badSeparator, badEdge), (text) => expect(rejects(text)).toBe(true)),
      RUNS
    )
  })

  it('rejects injected whitespace, newlines and shell metacharacters anywhere', () => {
    const hostile = fc.constantFrom(
      ' ',
      '\t',
      '\n',
      '\r',
      '\r\n',
      '\u0000',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u00a0',
      '\u2028',
      '\u2029',
      '\u202e',
      '\ufeff',
      ';',
      '$',
      '$(',
      '`',
      '|',
      '&',
      '&&',
      '>',
      '<',
      '(',
      ')',
      '{',
      '}',
      "'",
      '"',
      '\\',
      '*',
      '?',
      '!',
      '#',
      '~',
      '%',
      '^',
      '=',
      ',',
      '+'
    )
    fc.assert(
      fc.property(fc.oneof(canonicalText, familiarText), hostile, fc.nat(), (text, bad, i) => {
        const at = i % (text.length + 1)
        expect(rejects(text.slice(0, at) + bad + text.slice(at))).toBe(true)
      }),
      RUNS
    )
  })
})
