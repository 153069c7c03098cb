/** Pull request titles and commit messages of a delivery group. */
import { messageVars, renderCommitMessage, renderPullRequestTitle } from '../report/index.js'
import type { TagChange } from '../report/types.js'
import type { DeliverySettings } from './types.js'

export function titleFor(changes: TagChange[], streams: string[], template: string | undefined): string {
  if (changes.length === 0) return `imagestream: record the import status of ${streams.join(', ') || 'the streams'}`
  return renderPullRequestTitle(template, messageVars(changes))
}

/**
 * The commit message: its subject is the PR title's template unless `commit-message` is set (as in
 * create-pull-request), so a semantic prefix (`chore(deps): …`) given once lands in both; `signoff` adds the DCO
 * trailer of the committer (or author).
 */
export function commitMessageFor(changes: TagChange[], streams: string[], settings: DeliverySettings): string {
  const text =
    changes.length === 0
      ? `imagestream: record the import status of ${streams.join(', ') || 'the streams'}\n`
      : renderCommitMessage(settings.commitMessageTemplate ?? settings.titleTemplate, messageVars(changes))
  if (!settings.signoff) return text
  const who = settings.committer ?? settings.author ?? DEFAULT_IDENTITY
  return `${text.trimEnd()}\n\nSigned-off-by: ${who.name} <${who.email}>\n`
}

/** Who signs off when no author or committer is given: the identity GitHub gives GITHUB_TOKEN commits. */
const DEFAULT_IDENTITY = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' }
