/**
 * The action: inputs → one validated settings object → the event's import request → the computation (nothing
 * written) → delivery (pull requests, a commit, or the workspace) → outputs, job summary and annotations.
 *
 * When does the step fail? On invalid input (the message names the input), when a delivery failed, and when
 * something failed (an import, a stream file) and no tag moved at all (recording the failure's ImportSuccess=False
 * condition in the stream file does not count as an update). An import failure next to updates that were
 * delivered only warns: the other tags' updates are worth having, the failure is in `failed`,
 * the summary and the PR body, and its ImportSuccess=False condition is in the stream file.
 */
import * as core from '@actions/core'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import picomatch from 'picomatch'
import {
  createGitHubClient,
  deliver,
  dispatchDelivered,
  firstSightsOnOpenPulls,
  type DeliveryLogger,
  type GitHubClient,
  type DispatchOutcome,
  type DeliveryOutcome
} from '../delivery/index.js'
import type { ImportIntent } from '../pipeline/commands.js'
import { createRegistryClient, dockerConfigPath, DockerConfigError, type RegistryClient } from '../registry/index.js'
import { actionOutputs, renderJobSummary, runSummaryOf } from '../report/index.js'
import type { RunSummary } from '../report/types.js'
import { githubAttestationsApi } from '../verify/github.js'
import { formatDiagnostic, InputError, type Diagnostic } from '../util/errors.js'
import { compute, memoizedRegistry, recompute, type Computation } from './compute.js'
import { baseBranchOf, payloadNeeded, readContext, readPayload, type ActionContext } from './context.js'
import { importIntentFor } from './events.js'
import { loadBodyTemplate } from './pull-request-settings.js'
import { answerPlan, judgeShards, saveShardResult } from './scale-out.js'
import { readSettings, type Settings } from './settings.js'

/** GitHub shows at most 10 annotations of each kind per step; the rest go to the log (and the summary). */
const ANNOTATIONS_PER_KIND = 10

const log: DeliveryLogger = {
  debug: (m) => core.debug(m),
  info: (m) => core.info(m),
  warning: (m) => core.warning(m)
}

/** `now` is the run's one instant (tests fix it, as IMAGESTREAM_NOW fixes the CLI's). */
export async function run(now: () => Date = () => new Date()): Promise<void> {
  // Masked before anything else can print them: a failing validation below may quote other inputs.
  for (const name of ['github-token', 'token']) {
    const token = core.getInput(name)
    if (token) core.setSecret(token)
  }
  const auth = core.getInput('registry-auth')
  if (auth.trim().startsWith('{')) maskJsonSecrets(auth)

  let registry: RegistryClient | undefined
  try {
    const context = readContext(process.env)
    const settings = await loadBodyTemplate(
      readSettings((name) => core.getInput(name)),
      context.workspace
    )
    const payload = payloadNeeded(context.eventName) ? await readPayload(context.eventPath) : {}
    const intent = importIntentFor(context.eventName, payload, settings)
    const baseBranch =
      settings.delivery === 'none'
        ? (settings.baseBranch ?? context.refBranch ?? '')
        : baseBranchOf(settings.baseBranch, context, payload)
    describeIntent(intent, settings)
    if (settings.command === 'plan') return await answerPlan(settings, context.workspace)

    if (intent.kind === 'none' && (settings.command === 'sync' || settings.command === 'import')) {
      // Nothing moved (e.g. the per-manifest event of a multi-arch push): say why and leave everything alone.
      core.info(`Nothing to do: ${intent.reason}.`)
      await finish(settings, context, emptyComputation(intent.reason), undefined)
      return
    }

    registry = memoizedRegistry(registryClient(settings, context))
    const attestations = githubAttestationsApi({ apiUrl: context.apiUrl, token: settings.githubToken || undefined })
    const progress = (m: string) => core.info(m)
    const gh = gitHubClient(settings, context)
    const inputs = { root: context.workspace, settings, intent, registry, now: now(), progress, attestations }
    const computeInput = { ...inputs, pendingFirstSight: waitingMoves(gh, settings, context, baseBranch) }
    const computation = await core.group('Computing the update', () => compute(computeInput))
    for (const m of computation.messages) core.info(m)
    if (settings.shard) {
      await saveShardResult(settings, computation)
      return await finish(settings, context, computation, undefined)
    }

    const outcome = await core.group(`Delivering (${settings.delivery})`, () =>
      deliver({
        mode: settings.delivery,
        root: context.workspace,
        now: computeInput.now,
        settings,
        computation,
        recompute: (previous, read) => recompute(computeInput, previous, read),
        gh,
        repo: { owner: context.owner, repo: context.repo },
        baseBranch,
        log,
        command: settings.command,
        runUrl: /^\d+$/.test(process.env.GITHUB_RUN_ID ?? '')
          ? `${context.serverUrl}/${context.owner}/${context.repo}/actions/runs/${process.env.GITHUB_RUN_ID}`
          : undefined
      })
    )
    // Builds and pipelines (docs/builds.md): workflows dispatched once the record of the move was delivered.
    const c = outcome.computation
    const dispatched =
      gh && outcome.errors.length === 0
        ? await dispatchDelivered(gh, { owner: context.owner, repo: context.repo }, baseBranch, c, outcome.results, log)
        : undefined
    await finish(settings, context, c, outcome, dispatched)
    if (settings.command === 'deliver') judgeShards(c)
  } catch (err) {
    core.setFailed(failureMessage(err))
  } finally {
    await registry?.close().catch(() => {})
  }
}

function gitHubClient(settings: Settings, context: ActionContext): GitHubClient | undefined {
  if (settings.delivery === 'none') return undefined
  return createGitHubClient({
    token: settings.githubToken,
    baseUrl: context.apiUrl,
    onSecret: (s) => core.setSecret(s),
    log
  })
}

/** min-age under pull requests: a waiting move's first sight is on its open PR's branch (docs/policies.md). */
function waitingMoves(gh: GitHubClient | undefined, settings: Settings, context: ActionContext, baseBranch: string) {
  if (!gh || settings.delivery !== 'pull-request') return undefined
  return firstSightsOnOpenPulls({ gh, repo: { owner: context.owner, repo: context.repo }, baseBranch, settings })
}

function failureMessage(err: unknown): string {
  if (err instanceof InputError) return err.message
  if (err instanceof DockerConfigError) return `input registry-auth: ${err.message}`
  return `imagestream-action failed: ${err instanceof Error ? err.message : String(err)}`
}

/** An inline docker config: every auth, password and token in it is a secret, before the parser ever sees it. */
function maskJsonSecrets(text: string): void {
  core.setSecret(text.trim())
  try {
    const walk = (v: unknown, key = ''): void => {
      if (typeof v === 'string') {
        if (/^(auth|password|identitytoken|registrytoken)$/i.test(key) && v) {
          core.setSecret(v)
          if (key.toLowerCase() === 'auth') {
            const decoded = Buffer.from(v, 'base64').toString('utf8')
            const colon = decoded.indexOf(':')
            if (colon >= 0 && decoded.length > colon + 1) core.setSecret(decoded.slice(colon + 1))
          }
        }
      } else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) walk(x, k)
      }
    }
    walk(JSON.parse(text))
  } catch {
    // Not JSON after all: the whole value is masked above, and the parser's error says what is wrong.
  }
}

function registryClient(settings: Settings, context: ActionContext): RegistryClient {
  const inline = settings.registryAuth?.trim().startsWith('{') ? settings.registryAuth : undefined
  let file: string | undefined
  if (settings.registryAuth && !inline) {
    file = isAbsolute(settings.registryAuth) ? settings.registryAuth : join(context.workspace, settings.registryAuth)
  } else if (!inline) {
    file = dockerConfigPath(process.env, homedir())
  }
  try {
    return createRegistryClient({
      concurrency: settings.concurrency,
      platform: settings.platform,
      dockerConfigJson: inline,
      dockerConfigFile: file,
      githubToken: settings.githubToken || undefined,
      helperEnv: process.env,
      userAgent: 'imagestream-action',
      onSecret: (s) => core.setSecret(s),
      onWarning: (m) => core.warning(m)
    })
  } catch (err) {
    if (err instanceof DockerConfigError) throw new InputError(err.message, { field: 'input registry-auth' })
    throw err
  }
}

function describeIntent(intent: ImportIntent, settings: Settings): void {
  const what =
    intent.kind === 'pushed'
      ? `the tags that follow ${intent.image}${intent.digest ? ` (digest ${intent.digest}, to be confirmed)` : ''}, from ${intent.source}`
      : intent.kind === 'tags'
        ? `the tags ${intent.tags.join(', ')}`
        : intent.kind === 'all'
          ? 'every importable tag'
          : intent.kind === 'pending'
            ? 'the tags whose spec changed'
            : intent.kind === 'scheduled'
              ? 'the scheduled and pending tags'
              : `nothing (${intent.reason})`
  core.info(`command ${settings.command}; imports ${what}; delivery ${settings.delivery}`)
}

function emptyComputation(reason: string): Computation {
  return {
    files: [],
    changes: [],
    failures: [],
    held: [],
    diagnostics: [],
    streams: [],
    idleReason: reason,
    messages: [],
    complete: false
  }
}

/** Outputs, annotations, the job summary, and the step's verdict. */
async function finish(
  settings: Settings,
  context: ActionContext,
  c: Computation,
  outcome: DeliveryOutcome<Computation> | undefined,
  dispatched?: DispatchOutcome
): Promise<void> {
  const streamFile = new Map(
    c.streams.map((s) => [`${s.stream.metadata.namespace ?? ''}/${s.stream.metadata.name}`, s.file])
  )
  const fileOf = (x: { stream: string; namespace?: string }) => streamFile.get(`${x.namespace ?? ''}/${x.stream}`)

  annotate(settings, c)
  for (const f of c.failures.slice(0, ANNOTATIONS_PER_KIND)) {
    const file = fileOf(f)
    core.error(`${f.stream}:${f.tag} was not imported (${f.reason}): ${f.message}`, {
      title: 'Import failed',
      ...(file ? { file } : {})
    })
  }
  for (const w of outcome?.warnings ?? []) core.warning(w)

  const mode = settings.delivery
  const outputInput = {
    mode,
    changes: c.changes,
    failures: c.failures,
    policy: c.policy,
    promotions: c.promotions,
    fileOf,
    outcome
  }
  for (const [name, value] of Object.entries(actionOutputs(outputInput))) core.setOutput(name, value)
  const operation = outcome?.operation ?? 'none'

  for (const ch of c.changes)
    core.info(
      `${ch.namespace ? `${ch.namespace}/` : ''}${ch.stream}:${ch.tag} ${ch.oldDigest ?? '(new)'} → ${ch.newDigest}`
    )
  if (c.files.length === 0 && c.idleReason) core.info(`Nothing changed: ${c.idleReason}.`)

  for (const p of outcome?.pullRequests ?? []) {
    core.info(`${p.number !== undefined ? `#${p.number}` : p.branch}: ${p.state}${p.detail ? ` (${p.detail})` : ''}`)
  }
  const summary: RunSummary = runSummaryOf(outputInput, c.held, c.idleReason)
  if (outcome && operation !== 'none' && operation !== 'closed') {
    if (operation === 'committed' && outcome.commitSha) {
      summary.delivery = {
        operation,
        url: `${context.serverUrl}/${context.owner}/${context.repo}/commit/${outcome.commitSha}`,
        label: outcome.commitSha.slice(0, 12)
      }
    } else if (outcome.pullRequest) {
      summary.delivery = { operation, url: outcome.pullRequest.url, label: `#${outcome.pullRequest.number}` }
    }
  }
  for (const e of dispatched?.errors ?? []) core.warning(e, { title: 'Dispatch failed' })
  try {
    await core.summary
      .addRaw(renderJobSummary(summary) + dispatchSummary(dispatched, outcome?.pullRequest !== undefined))
      .write()
  } catch (err) {
    core.warning(`could not write the job summary: ${(err as Error).message}`)
  }

  const streamErrors = c.diagnostics.filter((d) => d.severity === 'error' && isStreamFile(settings, d))
  const problems = c.failures.length + streamErrors.length
  if (outcome && outcome.errors.length > 0) {
    core.setFailed(`delivery failed for ${outcome.errors.length} group(s): ${outcome.errors.join('; ')}`)
  } else if (problems > 0 && c.changes.length === 0) {
    // Files may still change (the ImportSuccess=False condition is recorded), but no tag moved: that is a failure.
    const parts = []
    if (c.failures.length) parts.push(`${c.failures.length} import(s) failed`)
    if (streamErrors.length) parts.push(`${streamErrors.length} stream file problem(s)`)
    core.setFailed(`${parts.join(' and ')}, and nothing could be updated (see the annotations and the job summary)`)
  } else if (problems > 0) {
    core.warning(`${problems} problem(s) (see the failed output and the summary); the other updates were delivered`)
  }
}

/**
 * GitHub starts no workflow for commits and pull requests made with GITHUB_TOKEN (only workflow_dispatch and
 * repository_dispatch): with pull request delivery, the dispatches are how the rebuild runs.
 */
function dispatchSummary(d: DispatchOutcome | undefined, pullRequest: boolean): string {
  if (!d || d.sent.length === 0) return ''
  const note = pullRequest
    ? '\n\nWith the default GITHUB_TOKEN, the pull request above starts no workflow run; the rebuild runs through these dispatches.'
    : ''
  return `\n\n### Dispatched\n\n${d.sent.map((s) => `- ${s}`).join('\n')}${note}\n`
}

function isStreamFile(settings: Settings, d: Diagnostic): boolean {
  return d.file !== undefined && picomatch(settings.streamsGlob, { dot: true })(d.file)
}

function annotate(settings: Settings, c: Computation): void {
  const counts = { error: 0, warning: 0, notice: 0 }
  for (const d of c.diagnostics) {
    const props: core.AnnotationProperties = {
      title: isStreamFile(settings, d) ? 'Stream file' : 'Manifest binding',
      ...(d.file ? { file: d.file } : {}),
      ...(d.line ? { startLine: d.line } : {}),
      ...(d.column ? { startColumn: d.column } : {})
    }
    const text = d.field ? `${d.field}: ${d.message}` : d.message
    if (counts[d.severity]++ < ANNOTATIONS_PER_KIND) {
      if (d.severity === 'error') core.error(text, props)
      else if (d.severity === 'warning') core.warning(text, props)
      else core.notice(text, props)
    } else {
      core.info(formatDiagnostic(d))
    }
  }
}
