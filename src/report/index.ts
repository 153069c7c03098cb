/** Pure rendering of run results: PR body and title, commit message, job summary, CLI tables. No I/O. */
export type * from './types.js'
export { clip, escapeHtml, escapeMarkdown, inlineCode, singleLine } from './escape.js'
export { SHORT_DIGEST_HEX, compareUrl, commitUrl, parseGitHubSource, shortDigest } from './markdown.js'
export {
  DEFAULT_MULTI_TEMPLATE,
  DEFAULT_SINGLE_TEMPLATE,
  PLACEHOLDERS,
  TITLE_LIMIT,
  messageVars,
  renderCommitMessage,
  renderPullRequestTitle,
  templateProblems
} from './messages.js'
export {
  HISTORY_SHOWN,
  PULL_REQUEST_BODY_LIMIT,
  PULL_REQUEST_MARKER,
  isOwnPullRequestBody,
  renderPullRequestBody
} from './pull-request.js'
export { JOB_SUMMARY_LIMIT, renderJobSummary } from './summary.js'
export { actionOutputs, deliveredChanges, runSummaryOf, undeliveredReason, type OutputsInput } from './outputs.js'
export { formatAge, renderTable } from './table.js'
export { addPolicySection, policyDetail, policyLine } from './policy.js'
export {
  ANNOTATIONS_PER_KIND,
  annotationsOf,
  deliveryLink,
  dispatchSection,
  intentLine,
  progressLines,
  stepVerdict,
  type Annotation,
  type StepInput
} from './step.js'
