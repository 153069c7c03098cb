/**
 * `WWW-Authenticate` parsing (RFC 9110 §11.6.1). A header may carry several challenges (`Bearer …, Basic …`), values
 * may be quoted or bare, scheme names arrive in any case, and `service`/`scope` are optional — registries in the wild
 * do all of these, so the parser walks the grammar instead of splitting on commas.
 */
export interface Challenge {
  /** Lowercased: `bearer`, `basic`, … */
  scheme: string
  /** Parameter names lowercased; values unquoted. */
  params: Record<string, string>
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]/

export function parseWwwAuthenticate(header: string | string[] | undefined): Challenge[] {
  if (header === undefined) return []
  if (Array.isArray(header)) return header.flatMap((h) => parseWwwAuthenticate(h))
  const challenges: Challenge[] = []
  const s = header
  let i = 0
  let current: Challenge | undefined
  const skipSpace = (): void => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++
  }
  while (i < s.length) {
    skipSpace()
    if (s[i] === ',') {
      i++
      continue
    }
    const start = i
    while (i < s.length && TOKEN.test(s[i]!)) i++
    if (i === start) {
      i++ // a stray character: skip it rather than loop forever
      continue
    }
    const token = s.slice(start, i)
    const afterToken = i
    skipSpace()
    if (s[i] === '=' && current) {
      // A token68 credential (`Negotiate abc==`) also contains '='; it is only a parameter if a value follows.
      i++
      skipSpace()
      let value = ''
      if (s[i] === '"') {
        i++
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < s.length) i++
          value += s[i]
          i++
        }
        i++ // closing quote
      } else {
        const vstart = i
        while (i < s.length && s[i] !== ',' && s[i] !== ' ' && s[i] !== '\t') i++
        value = s.slice(vstart, i)
      }
      current.params[token.toLowerCase()] = value
    } else {
      i = afterToken
      current = { scheme: token.toLowerCase(), params: {} }
      challenges.push(current)
    }
  }
  return challenges
}

/** Splits a challenge or token scope (`repository:a/b:pull repository:c:pull`) into its space-separated parts. */
export function splitScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(' ').filter((s) => s.length > 0)
}
