/** Pull request titles and commit messages from small `{placeholder}` templates. */
import { clip, singleLine } from './escape.js'
import { shortDigest, tagLabel } from './markdown.js'
import type { MessageVars, TagChange } from './types.js'

export const PLACEHOLDERS = ['stream', 'tag', 'digest', 'count', 'streams'] as const
export type Placeholder = (typeof PLACEHOLDERS)[number]

/** Used when no template is configured and one tag changed. */
export const DEFAULT_SINGLE_TEMPLATE = 'imagestream: update {stream}:{tag} to {digest}'
/** Used when no template is configured and several tags changed. */
export const DEFAULT_MULTI_TEMPLATE = 'imagestream: update {count} tags in {streams}'
/** GitHub's limit for a pull request title. */
export const TITLE_LIMIT = 256

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g

/** Problems with a user's template, for input validation ("unknown placeholder {tga}; known: …"). */
export function templateProblems(template: string): string[] {
  const problems: string[] = []
  if (template.trim() === '') problems.push('the template is empty')
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1]!)) {
      problems.push(`unknown placeholder {${m[1]}}; use ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`)
    }
  }
  return problems
}

function listStreams(streams: string[]): string {
  const shown = streams.slice(0, 3)
  const more = streams.length - shown.length
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ')
}

/** The placeholder values for a set of changes. */
export function messageVars(changes: TagChange[]): MessageVars {
  const streams: string[] = []
  for (const c of changes) {
    const name = c.namespace ? `${c.namespace}/${c.stream}` : c.stream
    if (!streams.includes(name)) streams.push(name)
  }
  const first = changes[0]
  return {
    stream: streams.length === 1 ? streams[0]! : (first?.stream ?? ''),
    tag: first?.tag ?? '',
    digest: first?.newDigest ?? '',
    count: changes.length,
    streams,
    changes
  }
}

function substitute(template: string, vars: MessageVars): string {
  const values: Record<Placeholder, string> = {
    // Values are untrusted (they come from files and registries): always one line.
    stream: singleLine(vars.stream),
    tag: singleLine(vars.tag),
    digest: singleLine(vars.digest ? shortDigest(vars.digest) : ''),
    count: String(vars.count),
    streams: singleLine(listStreams(vars.streams))
  }
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name as Placeholder] : whole
  )
}

function chooseTemplate(template: string | undefined, vars: MessageVars): string {
  if (template !== undefined && template.trim() !== '') return template
  return vars.count === 1 ? DEFAULT_SINGLE_TEMPLATE : DEFAULT_MULTI_TEMPLATE
}

/** One line, at most 256 characters. Unknown placeholders are left as written (see `templateProblems`). */
export function renderPullRequestTitle(template: string | undefined, vars: MessageVars): string {
  const title = singleLine(substitute(chooseTemplate(template, vars), vars))
    .replace(/\s+/g, ' ')
    .trim()
  return clip(title, TITLE_LIMIT)
}

/**
 * Subject from the template (its own line breaks kept; placeholder values never add any), then a body listing every
 * change like `oc describe is`:
 *
 *     * web:latest sha256:0123456789ab → sha256:abcdef012345
 *       quay.io/acme/web@sha256:abcdef0123456789…
 */
export function renderCommitMessage(template: string | undefined, vars: MessageVars): string {
  const head = substitute(chooseTemplate(template, vars), vars)
    .split(/\r\n|\n|\r/)
    .map((line) => singleLine(line).trimEnd())
    .join('\n')
    .trim()
  const changes = vars.changes ?? []
  if (changes.length === 0) return `${head}\n`
  const body = changes.map((c) => {
    const old = c.oldDigest ? shortDigest(c.oldDigest) : '(none)'
    const line = `* ${singleLine(tagLabel(c))} ${singleLine(old)} → ${singleLine(shortDigest(c.newDigest))}`
    const ref = c.repository ? `${c.repository}@${c.newDigest}` : c.newDigest
    return `${line}\n  ${singleLine(ref)}`
  })
  return `${head}\n\n${body.join('\n')}\n`
}
