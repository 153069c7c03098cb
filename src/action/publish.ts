/**
 * The run's result, handed to the runner: annotations, the step's outputs, log lines, the job summary and the
 * step's verdict (the texts and the rules are report/step.ts's; this module only calls @actions/core).
 */
import * as core from '@actions/core'
import { globMatcher } from '../util/glob.js'
import type { DeliveryOutcome, DispatchOutcome } from '../delivery/index.js'
import {
  actionOutputs,
  annotationsOf,
  deliveryLink,
  dispatchSection,
  progressLines,
  renderJobSummary,
  runSummaryOf,
  stepVerdict,
  type StepInput
} from '../report/index.js'
import { formatDiagnostic } from '../util/errors.js'
import type { Computation } from './compute.js'
import type { ActionContext } from './context.js'
import type { Settings } from './settings.js'

export async function publish(
  settings: Settings,
  context: ActionContext,
  c: Computation,
  outcome?: DeliveryOutcome<Computation>,
  dispatched?: DispatchOutcome
): Promise<void> {
  const streamFile = new Map(
    c.streams.map((s) => [`${s.stream.metadata.namespace ?? ''}/${s.stream.metadata.name}`, s.file])
  )
  const fileOf = (x: { stream: string; namespace?: string }) => streamFile.get(`${x.namespace ?? ''}/${x.stream}`)
  const step: StepInput = { ...c, isStreamFile: globMatcher(settings.streamsGlob, { dot: true }), fileOf }

  const { annotations, overflow } = annotationsOf(step)
  for (const { level, text, ...properties } of annotations) core[level](text, properties)
  for (const d of overflow) core.info(formatDiagnostic(d))
  for (const w of outcome?.warnings ?? []) core.warning(w)

  const outputInput = { ...c, mode: settings.delivery, fileOf, outcome }
  for (const [name, value] of Object.entries(actionOutputs(outputInput))) core.setOutput(name, value)
  for (const line of progressLines(c.changes, [])) core.info(line)
  if (c.files.length === 0 && c.idleReason) core.info(`Nothing changed: ${c.idleReason}.`)
  for (const line of progressLines([], outcome?.pullRequests ?? [])) core.info(line)

  const summary = runSummaryOf(outputInput, c.held, c.idleReason)
  summary.delivery = deliveryLink(outcome, `${context.serverUrl}/${context.owner}/${context.repo}`)
  for (const e of dispatched?.errors ?? []) core.warning(e, { title: 'Dispatch failed' })
  const dispatches = dispatchSection(dispatched?.sent ?? [], outcome?.pullRequest !== undefined)
  try {
    await core.summary.addRaw(renderJobSummary(summary) + dispatches).write()
  } catch (err) {
    core.warning(`could not write the job summary: ${(err as Error).message}`)
  }

  const verdict = stepVerdict(step, outcome?.errors ?? [])
  if (verdict.failed) core.setFailed(verdict.failed)
  else if (verdict.warning) core.warning(verdict.warning)
}
