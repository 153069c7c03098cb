/**
 * The `rel="next"` target of an RFC 8288 `Link` header, resolved against the URL of the request that returned it
 * (distribution sends relative links such as `</v2/x/tags/list?last=a&n=100>; rel="next"`).
 */
export function nextLink(header: string | string[] | undefined, requestUrl: string): string | undefined {
  if (header === undefined) return undefined
  const values = Array.isArray(header) ? header : [header]
  for (const value of values) {
    for (const match of value.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
      const params = match[2] ?? ''
      const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params)
      const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/)
      if (rels.includes('next')) {
        try {
          return new URL(match[1]!, requestUrl).toString()
        } catch {
          return undefined
        }
      }
    }
  }
  return undefined
}
