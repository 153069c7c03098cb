/** Building blocks of the markdown reports: a size-bounded writer, table rows, digests, GitHub links. */
import { clip, escapeMarkdown, inlineCode } from './escape.js'
import type { HeldTag, ImageProvenance } from './types.js'

/** Hex digits shown of a digest in tables and titles (docker's short image ID length). */
export const SHORT_DIGEST_HEX = 12
/** Longest cell text (in code points) before it is clipped: keeps one hostile value from eating the budget. */
export const MAX_CELL = 160

const DIGEST = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-f0-9]{32,})$/

/** `sha256:0123456789ab` for a well-formed digest; anything else is clipped as-is (callers escape it). */
export function shortDigest(digest: string, hex = SHORT_DIGEST_HEX): string {
  const m = DIGEST.exec(digest)
  return m ? `${m[1]}:${m[2]!.slice(0, hex)}` : clip(digest, hex + 8)
}

/** A digest as a code span in a table (short form). */
export function digestCell(digest: string | undefined): string {
  return digest ? inlineCode(shortDigest(digest), true) : '*none*'
}

/** An untrusted value as a clipped code span in a table. */
export function codeCell(text: string | undefined, max = MAX_CELL): string {
  return text === undefined || text === '' ? '' : inlineCode(clip(text, max), true)
}

/** Untrusted prose (a message, a reason) as clipped, escaped text in a table. */
export function textCell(text: string | undefined, max = MAX_CELL): string {
  return text === undefined ? '' : escapeMarkdown(clip(text, max))
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/

/** A timestamp as given when it is RFC 3339, else escaped text. */
export function timeCell(time: string | undefined): string {
  if (!time) return ''
  return RFC3339.test(time) ? time : textCell(time, 40)
}

/** One GFM table row. Cells must already be escaped for a table (no raw '|', no line breaks). */
export function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |\n`
}

export function headerRows(headers: string[]): string {
  return row(headers) + row(headers.map(() => '---'))
}

export function tagLabel(item: { stream: string; namespace?: string; tag: string }): string {
  return `${item.namespace ? `${item.namespace}/` : ''}${item.stream}:${item.tag}`
}

/**
 * GitHub owner (1–39 letters, digits and single inner hyphens) and repository (letters, digits, '.', '_', '-',
 * not '.' or '..') from an `org.opencontainers.image.source` label. Only https://github.com and git@github.com
 * forms are recognised; anything else gets no link.
 */
const GITHUB_PREFIX = String.raw`(?:https://(?:www\.)?github\.com/|git@github\.com:|git\+https://github\.com/)`
const GITHUB_OWNER = String.raw`([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})`
const GITHUB_REPO = String.raw`([A-Za-z0-9._-]{1,100})`
const GITHUB_SOURCE = new RegExp(`^${GITHUB_PREFIX}${GITHUB_OWNER}/${GITHUB_REPO}/?$`)
const REVISION = /^[0-9a-f]{7,64}$/

export interface GitHubRepo {
  owner: string
  repo: string
}

export function parseGitHubSource(source: string | undefined): GitHubRepo | undefined {
  if (!source) return undefined
  const m = GITHUB_SOURCE.exec(source.trim())
  if (!m) return undefined
  const owner = m[1]!
  const repo = m[2]!.replace(/\.git$/, '')
  if (repo === '' || repo === '.' || repo === '..') return undefined
  return { owner, repo }
}

export function isRevision(text: string | undefined): text is string {
  return text !== undefined && REVISION.test(text)
}

/**
 * `https://github.com/OWNER/REPO/compare/OLD...NEW` when both images name the same github.com repository and
 * both carry a hex revision that differ; undefined otherwise. Every part is validated before it enters a URL.
 */
export function compareUrl(oldProv?: ImageProvenance, newProv?: ImageProvenance): string | undefined {
  const a = parseGitHubSource(oldProv?.source)
  const b = parseGitHubSource(newProv?.source)
  if (!a || !b) return undefined
  if (a.owner.toLowerCase() !== b.owner.toLowerCase() || a.repo.toLowerCase() !== b.repo.toLowerCase()) return undefined
  const from = oldProv?.revision
  const to = newProv?.revision
  if (!isRevision(from) || !isRevision(to) || from === to) return undefined
  return `https://github.com/${b.owner}/${b.repo}/compare/${from}...${to}`
}

/** `https://github.com/OWNER/REPO/commit/REV` for one image, when its labels allow it. */
export function commitUrl(prov?: ImageProvenance): string | undefined {
  const repo = parseGitHubSource(prov?.source)
  if (!repo || !isRevision(prov?.revision)) return undefined
  return `https://github.com/${repo.owner}/${repo.repo}/commit/${prov!.revision}`
}

/** The source cell: a compare link, else a commit link, else the source as code, else nothing. */
export function sourceCell(oldProv?: ImageProvenance, newProv?: ImageProvenance): string {
  const compare = compareUrl(oldProv, newProv)
  const repo = parseGitHubSource(newProv?.source)
  if (compare && repo) {
    const range = `${oldProv!.revision!.slice(0, 7)}...${newProv!.revision!.slice(0, 7)}`
    return `[${escapeMarkdown(`${repo.owner}/${repo.repo}`)} ${inlineCode(range)}](${compare})`
  }
  const commit = commitUrl(newProv)
  if (commit && repo) {
    return `[${escapeMarkdown(`${repo.owner}/${repo.repo}`)} ${inlineCode(newProv!.revision!.slice(0, 7))}](${commit})`
  }
  if (newProv?.source) {
    const rev = newProv.revision ? `@${newProv.revision}` : ''
    return codeCell(`${newProv.source}${rev}`, 100)
  }
  return ''
}

/** A URL we may link to: https, no spaces, quotes, angle brackets or parentheses that could end the link early. */
export function isSafeLinkUrl(url: string | undefined): url is string {
  return (
    url !== undefined &&
    /^https:\/\/[A-Za-z0-9.-]+(?::\d+)?(?:\/[A-Za-z0-9\-._~%!$&'*+,;=:@/?#]*)?$/.test(url) &&
    !/[()'"<>\s]/.test(url)
  )
}

/**
 * Appends whole pieces of text until a limit: a piece that does not fit is dropped together with everything after
 * it, so a table row, an escape sequence or a link is never cut in half. Room is kept for the closing tags of
 * blocks still open (`</details>`) and for a truncation note.
 */
export class BoundedText {
  private readonly parts: string[] = []
  private used = 0
  private readonly closers: string[] = []
  private closersSize = 0
  /** Set once a piece did not fit; nothing is appended after that. */
  full = false

  constructor(
    readonly limit: number,
    /** Room kept for the truncation note. */
    readonly reserve: number,
    readonly measure: (text: string) => number = (text) => text.length
  ) {}

  get size(): number {
    return this.used
  }

  add(text: string): boolean {
    return this.fits(this.measure(text)) && this.push(text)
  }

  /** Appends an opening piece and remembers its closer, which `close()` or `finish()` will append. */
  open(text: string, closer: string): boolean {
    const closerSize = this.measure(closer)
    if (!this.fits(this.measure(text) + closerSize)) return false
    this.push(text)
    this.closers.push(closer)
    this.closersSize += closerSize
    return true
  }

  close(): void {
    const closer = this.closers.pop()
    if (closer === undefined) return
    this.closersSize -= this.measure(closer)
    this.parts.push(closer)
    this.used += this.measure(closer)
  }

  /** Closes what is open and, when something was dropped, appends `note` (it must fit in `reserve`). */
  finish(note: () => string): string {
    while (this.closers.length > 0) this.close()
    if (this.full) this.parts.push(note())
    return this.parts.join('')
  }

  private fits(size: number): boolean {
    if (this.full) return false
    if (this.used + size + this.closersSize + this.reserve > this.limit) {
      this.full = true
      return false
    }
    return true
  }

  private push(text: string): true {
    this.parts.push(text)
    this.used += this.measure(text)
    return true
  }
}

/** UTF-8 length, for limits GitHub counts in bytes (the step summary). */
export function utf8Length(text: string): number {
  let bytes = 0
  for (const ch of text) {
    const cp = ch.codePointAt(0)!
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4
  }
  return bytes
}

/** Rows of the held-tags table. */
export function heldRows(held: HeldTag[]): string[][] {
  return held.map((h) => [
    codeCell(tagLabel(h)),
    digestCell(h.heldDigest),
    h.upstreamDigest ? digestCell(h.upstreamDigest) : ''
  ])
}

/** Writes a table piece by piece: the header goes with the first row, so a table is never left without rows. */
export function addTable(out: BoundedText, headers: string[], rows: string[][]): number {
  if (rows.length === 0) return 0
  if (!out.add(headerRows(headers) + row(rows[0]!))) return 0
  let written = 1
  for (const cells of rows.slice(1)) {
    if (!out.add(row(cells))) break
    written++
  }
  out.add('\n')
  return written
}
