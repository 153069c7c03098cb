/**
 * Escaping for text that reaches GitHub-rendered markdown from registries and payloads (labels, tag names, error
 * messages). GitHub renders GFM and then post-processes the HTML's text nodes: it links @mentions, issue references
 * (`#12`, `owner/repo#12`, which also notify the target issue) and bare URLs. Escaping markdown syntax alone does not
 * stop those, so they are broken with an invisible U+2060 WORD JOINER, which no mention/reference/autolink pattern
 * matches across.
 */

const JOINER = '\u2060'

// Line breaks become spaces: every escaped value is inline text, and a line break would let it start a heading,
// a list, a code fence, a table row or an HTML block.
const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g
// Other controls, and bidi overrides that could make text read differently from what it is, become U+FFFD.
const INVISIBLE_CONTROLS =
  /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/** Collapses line breaks and tabs to spaces and replaces control and bidi characters with U+FFFD. */
export function singleLine(text: string): string {
  return String(text).replace(LINE_BREAKS, ' ').replace(/\t/g, ' ').replace(INVISIBLE_CONTROLS, '\ufffd')
}

/** Breaks @mentions, issue references and autolinks with a word joiner (see the module comment). */
function defuseGitHubReferences(text: string): string {
  return text
    .replace(/@(?=[A-Za-z0-9_])/g, `@${JOINER}`)
    .replace(/#(?=[0-9])/g, `#${JOINER}`)
    .replace(/\b(GH)-(?=[0-9])/gi, `$1${JOINER}-`)
    .replace(/:(?=\/\/)/g, `:${JOINER}`)
    .replace(/\b(www)\./gi, `$1${JOINER}.`)
}

/** Shortens to at most `max` code points (never splitting a surrogate pair), ending with '…' when cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text)
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`
}

/**
 * Inline markdown text that renders as exactly `text`: no links, images, emphasis, headings, code, HTML, table
 * cell breaks, math, mentions or issue references. Safe in a paragraph, a heading, a list item and a table cell.
 */
export function escapeMarkdown(text: string): string {
  return defuseGitHubReferences(singleLine(text))
    .replace(/[\\`*_{}[\]()#+\-.!|~$=]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // Markdown punctuation as entities too: GitHub parses markdown inside inline HTML, and an entity is never syntax.
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '!': '&#33;',
  '|': '&#124;',
  '~': '&#126;',
  $: '&#36;',
  '\\': '&#92;',
  '#': '&#35;'
}

/** Text for an HTML element or attribute value inside GitHub markdown (e.g. a `<summary>`), on one line. */
export function escapeHtml(text: string): string {
  return defuseGitHubReferences(singleLine(text)).replace(/[&<>"'`*_[\]()!|~$\\#]/g, (c) => HTML_ENTITIES[c] ?? c)
}

/**
 * A code span showing `text` literally. Backticks inside get a longer fence. In a table cell (`inTable`), '|' is
 * written `\|`: GFM splits cells before it parses code spans, and removes the backslash again.
 */
export function inlineCode(text: string, inTable = false): string {
  let body = singleLine(text)
  if (inTable) {
    // GFM's cell scanner pairs a backslash with the next character, so `\` + our `\|` would end the cell there.
    if (body.includes('\\|')) return escapeMarkdown(text)
    body = body.replace(/\|/g, '\\|')
  }
  if (body === '') return '` `'
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ')) ? ' ' : ''
  return `${fence}${pad}${body}${pad}${fence}`
}
