import { Lexer } from 'yaml'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'streams')

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8')
}

/** Lines only in `a` and lines only in `b`, by a longest-common-subsequence line diff (what `git diff` shows). */
export function lineDiff(a: string, b: string): { removed: string[]; added: string[] } {
  const x = a.split('\n')
  const y = b.split('\n')
  const lcs = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0))
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--)
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
  }
  const removed: string[] = []
  const added: string[] = []
  let i = 0
  let j = 0
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      i++
      j++
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) removed.push(x[i++])
    else added.push(y[j++])
  }
  removed.push(...x.slice(i))
  added.push(...y.slice(j))
  return { removed, added }
}

/** Every comment in a YAML text, in order, as the YAML lexer sees them (so `#` inside quotes is not one). */
export function comments(text: string): string[] {
  return [...new Lexer().lex(text)].filter((token) => token.startsWith('#'))
}

export const DIGEST_A = `sha256:${'a'.repeat(64)}`
export const DIGEST_C = `sha256:${'c'.repeat(64)}`
