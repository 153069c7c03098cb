/**
 * What the action's step says besides its outputs, as data the shell hands to the runner: the log lines, the
 * annotations (GitHub shows at most 10 of each kind per step), the summary's delivery link and dispatch section, and
 * the step's verdict. Pure: the shell applies them with @actions/core.
 *
 * When does the step fail? When a delivery failed, and when something failed (an import, a stream file) and no tag
 * moved at all (recording the failure's ImportSuccess=False condition in the stream file does not count as an
 * update). An import failure next to updates that were delivered only warns: the other tags' updates are worth
 * having, the failure is in `failed`, the summary and the PR body, and its condition is in the stream file.
 */
import type { ImportIntent } from '../pipeline/commands.js'
import type { Diagnostic } from '../util/errors.js'
import type { PullRequestReport, RunSummary, TagChange, TagFailure } from './types.js'

/** GitHub shows at most 10 annotations of each kind per step; the rest go to the log (and the summary). */
export const ANNOTATIONS_PER_KIND = 10

export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  text: string
  title: string
  file?: string
  startLine?: number
  startColumn?: number
}

export interface StepInput {
  diagnostics: readonly Diagnostic[]
  failures: readonly TagFailure[]
  changes: readonly TagChange[]
  /** Whether a diagnostic's file is a stream file (else it is a manifest's). */
  isStreamFile: (file: string) => boolean
  /** The stream file of a change or failure. */
  fileOf: (x: { stream: string; namespace?: string }) => string | undefined
}

/** The annotations to make, and the diagnostics past the per-kind limit, which go to the log instead. */
export function annotationsOf(input: StepInput): { annotations: Annotation[]; overflow: Diagnostic[] } {
  const counts = { error: 0, warning: 0, notice: 0 }
  const annotations: Annotation[] = []
  const overflow: Diagnostic[] = []
  for (const d of input.diagnostics) {
    if (counts[d.severity]++ >= ANNOTATIONS_PER_KIND) {
      overflow.push(d)
      continue
    }
    annotations.push({
      level: d.severity,
      text: d.field ? `${d.field}: ${d.message}` : d.message,
      title: d.file && input.isStreamFile(d.file) ? 'Stream file' : 'Manifest binding',
      ...(d.file ? { file: d.file } : {}),
      ...(d.line ? { startLine: d.line } : {}),
      ...(d.column ? { startColumn: d.column } : {})
    })
  }
  for (const f of input.failures.slice(0, ANNOTATIONS_PER_KIND)) {
    const file = input.fileOf(f)
    const text = `${f.stream}:${f.tag} was not imported (${f.reason}): ${f.message}`
    annotations.push({ level: 'error', text, title: 'Import failed', ...(file ? { file } : {}) })
  }
  return { annotations, overflow }
}

/** The step's verdict: a failure message, a warning, or nothing. */
export function stepVerdict(
  input: StepInput,
  deliveryErrors: readonly string[]
): { failed?: string; warning?: string } {
  if (deliveryErrors.length > 0) {
    return { failed: `delivery failed for ${deliveryErrors.length} group(s): ${deliveryErrors.join('; ')}` }
  }
  const streamErrors = input.diagnostics.filter((d) => d.severity === 'error' && d.file && input.isStreamFile(d.file))
  const problems = input.failures.length + streamErrors.length
  if (problems === 0) return {}
  if (input.changes.length > 0) {
    return {
      warning: `${problems} problem(s) (see the failed output and the summary); the other updates were delivered`
    }
  }
  const parts = []
  if (input.failures.length) parts.push(`${input.failures.length} import(s) failed`)
  if (streamErrors.length) parts.push(`${streamErrors.length} stream file problem(s)`)
  return { failed: `${parts.join(' and ')}, and nothing could be updated (see the annotations and the job summary)` }
}

/** The log's line per moved tag and per pull request. */
export function progressLines(changes: readonly TagChange[], pullRequests: readonly PullRequestReport[]): string[] {
  const moved = changes.map(
    (ch) =>
      `${ch.namespace ? `${ch.namespace}/` : ''}${ch.stream}:${ch.tag} ${ch.oldDigest ?? '(new)'} → ${ch.newDigest}`
  )
  const prs = pullRequests.map(
    (p) => `${p.number !== undefined ? `#${p.number}` : p.branch}: ${p.state}${p.detail ? ` (${p.detail})` : ''}`
  )
  return [...moved, ...prs]
}

/** The summary's link to what was delivered: the commit, or the pull request. */
export function deliveryLink(
  outcome: { operation: string; commitSha?: string; pullRequest?: { number: number; url: string } } | undefined,
  repositoryUrl: string
): RunSummary['delivery'] {
  const operation = outcome?.operation
  if (!outcome || operation === 'none' || operation === 'closed') return undefined
  if (operation === 'committed' && outcome.commitSha) {
    return { operation, url: `${repositoryUrl}/commit/${outcome.commitSha}`, label: outcome.commitSha.slice(0, 12) }
  }
  if (!outcome.pullRequest) return undefined
  const op = operation as 'created' | 'updated' | 'committed'
  return { operation: op, url: outcome.pullRequest.url, label: `#${outcome.pullRequest.number}` }
}

/**
 * The summary's dispatch section. GitHub starts no workflow for commits and pull requests made with GITHUB_TOKEN
 * (only workflow_dispatch and repository_dispatch): with pull request delivery, the dispatches are how the rebuild runs.
 */
export function dispatchSection(sent: readonly string[], pullRequest: boolean): string {
  if (sent.length === 0) return ''
  const note = pullRequest
    ? '\n\nWith the default GITHUB_TOKEN, the pull request above starts no workflow run; the rebuild runs through these dispatches.'
    : ''
  return `\n\n### Dispatched\n\n${sent.map((s) => `- ${s}`).join('\n')}${note}\n`
}

/** The run's first log line: the command, what it imports, where it delivers. */
export function intentLine(intent: ImportIntent, command: string, delivery: string): string {
  return `command ${command}; imports ${importedBy(intent)}; delivery ${delivery}`
}

function importedBy(intent: ImportIntent): string {
  switch (intent.kind) {
    case 'pushed': {
      const digest = intent.digest ? ` (digest ${intent.digest}, to be confirmed)` : ''
      return `the tags that follow ${intent.image}${digest}, from ${intent.source}`
    }
    case 'tags':
      return `the tags ${intent.tags.join(', ')}`
    case 'all':
      return 'every importable tag'
    case 'pending':
      return 'the tags whose spec changed'
    case 'scheduled':
      return 'the scheduled and pending tags'
    default:
      return `nothing (${intent.reason})`
  }
}
