import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { clip, escapeHtml, escapeMarkdown, inlineCode, singleLine } from '../../src/report/escape.js'
import { HOSTILE } from './fixtures.js'
import { checkTables, renderInline } from './gfm.js'

const JOINER = '\u2060'
/** What GitHub would link or turn into syntax in the text a reader sees. */
const LINKABLE = [/@[A-Za-z0-9_]/, /#[0-9]/, /:\/\//, /www\./i, /GH-[0-9]/i]
const MARKDOWN_PUNCT = /[\\`*_{}[\]()#+\-.!|~$=]/

function unescapedPunctuation(escaped: string): string[] {
  const bad: string[] = []
  for (let i = 0; i < escaped.length; i++) {
    const c = escaped[i]!
    if (c === '\\') {
      i++ // an escape pair
    } else if (MARKDOWN_PUNCT.test(c) || c === '<' || c === '>') {
      bad.push(c)
    }
  }
  return bad
}

describe('escapeMarkdown', () => {
  it.each(HOSTILE)('neutralizes %j', (hostile) => {
    const out = escapeMarkdown(hostile)
    expect(out).not.toMatch(/[\r\n\u2028\u2029\u0085\u0000\u202e]/)
    expect(unescapedPunctuation(out)).toEqual([])
    const seen = renderInline(out)
    for (const pattern of LINKABLE) expect(seen).not.toMatch(pattern)
    // Nothing is lost: what renders is the input on one line, plus invisible joiners.
    expect(seen.replaceAll(JOINER, '')).toBe(singleLine(hostile))
  })

  it('examples', () => {
    expect(escapeMarkdown('[x](y)')).toBe('\\[x\\]\\(y\\)')
    expect(escapeMarkdown('<b>a & b</b>')).toBe('&lt;b&gt;a &amp; b&lt;/b&gt;')
    expect(escapeMarkdown('ping @octocat')).toBe(`ping @${JOINER}octocat`)
    expect(escapeMarkdown('a|b')).toBe('a\\|b')
    expect(escapeMarkdown('1. x')).toBe('1\\. x')
    expect(escapeMarkdown('plain text')).toBe('plain text')
  })

  it('renders back to the input for any string, with nothing linkable or unescaped (property)', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.oneof(
            fc.constantFrom(...'@#:/w.|`*_[]()<>&\\\n\r!~$=-+GH'),
            fc
              .integer({ min: 0, max: 0x10ffff })
              .filter((cp) => cp < 0xd800 || cp > 0xdfff)
              .map((cp) => String.fromCodePoint(cp))
          ),
          maxLength: 60
        }),
        (text) => {
          fc.pre(!text.includes(JOINER))
          const out = escapeMarkdown(text)
          expect(out).not.toMatch(/[\r\n\u2028\u2029]/)
          expect(unescapedPunctuation(out)).toEqual([])
          const seen = renderInline(out)
          expect(seen.replaceAll(JOINER, '')).toBe(singleLine(text))
          for (const pattern of LINKABLE) expect(seen).not.toMatch(pattern)
        }
      ),
      { numRuns: 10_000 }
    )
  })
})

describe('escapeHtml', () => {
  it.each(HOSTILE)('neutralizes %j', (hostile) => {
    const out = escapeHtml(hostile)
    expect(out.replace(/&(?:amp|lt|gt|quot|#\d+);/g, '')).not.toMatch(/[<>"'`*_[\]()!|~$\\#\r\n]/)
    expect(out).not.toMatch(/&(?!(?:amp|lt|gt|quot|#\d+);)/)
    const decoded = out
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
      .replace(/&(amp|lt|gt|quot);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"' })[e as 'amp']!)
    for (const pattern of LINKABLE) expect(decoded).not.toMatch(pattern)
    expect(decoded.replaceAll(JOINER, '')).toBe(singleLine(hostile))
  })

  it('examples', () => {
    expect(escapeHtml(`<a href="x">'@me'</a>`)).toBe(`&lt;a href=&quot;x&quot;&gt;&#39;@${JOINER}me&#39;&lt;/a&gt;`)
  })
})

describe('inlineCode', () => {
  it('chooses a fence longer than any backtick run and pads edge backticks', () => {
    expect(inlineCode('a')).toBe('`a`')
    expect(inlineCode('a`b')).toBe('``a`b``')
    expect(inlineCode('`x`')).toBe('`` `x` ``')
    expect(inlineCode('a``b```c')).toBe('````a``b```c````')
    expect(inlineCode('')).toBe('` `')
  })

  it('escapes pipes only in tables, and keeps every row intact whatever the text (property)', () => {
    expect(inlineCode('a|b')).toBe('`a|b`')
    expect(inlineCode('a|b', true)).toBe('`a\\|b`')
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom(...'`|\\ a\n'), maxLength: 12 }), { minLength: 1, maxLength: 4 }),
        (cells) => {
          const row = `| ${cells.map((c) => inlineCode(c, true)).join(' | ')} |`
          const table = `| ${cells.map(() => 'h').join(' | ')} |\n| ${cells.map(() => '---').join(' | ')} |\n${row}\n`
          expect(checkTables(table).problems).toEqual([])
        }
      ),
      { numRuns: 10_000 }
    )
  })
})

describe('singleLine / clip', () => {
  it('turns every line break into a space and controls into U+FFFD', () => {
    expect(singleLine('a\r\nb\nc\rd\u2028e\u2029f\u0085g\th')).toBe('a b c d e f g h')
    expect(singleLine('x\u0000\u001b[31m\u202e')).toBe('x\ufffd\ufffd[31m\ufffd')
  })

  it('clips on code points, never inside a surrogate pair', () => {
    expect(clip('abcdef', 4)).toBe('abc…')
    expect(clip('😀😀😀', 2)).toBe('😀…')
    expect(clip('abc', 3)).toBe('abc')
  })
})
