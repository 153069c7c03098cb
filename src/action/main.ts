/**
 * The action: inputs → one validated settings object → the event's request → the computation (nothing written) →
 * delivery (pull requests, a commit, or the workspace) → outputs, job summary and annotations (publish.ts; when the
 * step fails is report/step.ts's rule). On invalid input the step fails with a message naming the input.
 */
import * as core from '@actions/core'
import { connectGitHub, deliverAndDispatch, waitingFirstSights, type DeliveryLogger } from '../delivery/index.js'
import { DockerConfigError, type RegistryClient } from '../registry/index.js'
import { intentLine } from '../report/index.js'
import { InputError } from '../util/errors.js'
import { githubAttestationsApi } from '../verify/github.js'
import { compute, idleComputation, memoizedRegistry, recompute, registryFor } from './compute.js'
import { readContext } from './context.js'
import { eventRequest } from './events.js'
import { publish } from './publish.js'
import { loadBodyTemplate } from './pull-request-settings.js'
import { answerPlan, judgeShards, saveShardResult } from './scale-out.js'
import { maskInputSecrets } from './secrets.js'
import { readSettings } from './settings.js'

const log: DeliveryLogger = { debug: (m) => core.debug(m), info: (m) => core.info(m), warning: (m) => core.warning(m) }
const onSecret = (s: string) => core.setSecret(s)

/** `now` is the run's one instant (tests fix it, as IMAGESTREAM_NOW fixes the CLI's). */
export async function run(now: () => Date = () => new Date()): Promise<void> {
  maskInputSecrets((name) => core.getInput(name))
  let registry: RegistryClient | undefined
  try {
    const context = readContext(process.env)
    const settings = await loadBodyTemplate(
      readSettings((name) => core.getInput(name)),
      context.workspace
    )
    const { intent, baseBranch } = await eventRequest(context, settings)
    core.info(intentLine(intent, settings.command, settings.delivery))
    if (settings.command === 'plan') return await answerPlan(settings, context.workspace)
    if (intent.kind === 'none' && (settings.command === 'sync' || settings.command === 'import')) {
      core.info(`Nothing to do: ${intent.reason}.`)
      return await publish(settings, context, idleComputation(intent.reason))
    }

    registry = memoizedRegistry(registryFor(settings, context.workspace, { onSecret, onWarning: core.warning }))
    const attestations = githubAttestationsApi({ apiUrl: context.apiUrl, token: settings.githubToken || undefined })
    const progress = (m: string) => core.info(m)
    const repo = { owner: context.owner, repo: context.repo }
    const gh = connectGitHub(settings.delivery, { token: settings.githubToken, apiUrl: context.apiUrl, onSecret, log })
    const pendingFirstSight = waitingFirstSights(gh, settings, repo, baseBranch)
    const input = {
      root: context.workspace,
      settings,
      intent,
      registry,
      now: now(),
      progress,
      attestations,
      pendingFirstSight
    }
    const computation = await core.group('Computing the update', () => compute(input))
    for (const m of computation.messages) core.info(m)
    if (settings.shard) {
      await saveShardResult(settings, computation)
      return await publish(settings, context, computation)
    }

    const { outcome, dispatched } = await core.group(`Delivering (${settings.delivery})`, () =>
      deliverAndDispatch({
        mode: settings.delivery,
        root: context.workspace,
        now: input.now,
        settings,
        computation,
        recompute: (previous, read) => recompute(input, previous, read),
        gh,
        repo,
        baseBranch,
        log,
        command: settings.command,
        runUrl: context.runUrl
      })
    )
    await publish(settings, context, outcome.computation, outcome, dispatched)
    if (settings.command === 'deliver') judgeShards(outcome.computation)
  } catch (err) {
    core.setFailed(failureMessage(err))
  } finally {
    await registry?.close().catch(() => {})
  }
}

function failureMessage(err: unknown): string {
  if (err instanceof InputError) return err.message
  if (err instanceof DockerConfigError) return `input registry-auth: ${err.message}`
  return `imagestream-action failed: ${err instanceof Error ? err.message : String(err)}`
}
