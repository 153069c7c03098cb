/**
 * The action's side of scale-out (docs/scale-out.md): `command: plan` answers the matrix, a run with `shard: i/N`
 * saves its result for the delivery job instead of delivering, and `command: deliver` fails the step when a shard
 * failed or was left out (the other shards' changes are still delivered).
 */
import * as core from '@actions/core'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CommandResult } from '../pipeline/execute.js'
import { writeShardResult } from '../pipeline/shard-deliver.js'
import { planRepository } from '../pipeline/shard-inputs.js'
import type { Settings } from './settings.js'

/** `command: plan`: the `matrix` output, for `strategy.matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}`. */
export async function answerPlan(settings: Settings, root: string): Promise<void> {
  const { plan, diagnostics } = await planRepository(
    root,
    settings.streamsGlob,
    settings.manifestGlobs,
    settings.shards
  )
  for (const d of diagnostics) core.warning(d.message, { ...(d.file ? { file: d.file } : {}), title: 'Stream file' })
  core.setOutput('matrix', JSON.stringify(plan))
  const tags = plan.include.reduce((n, s) => n + s.tags, 0)
  core.info(`${plan.include.length} shard(s) of at most ${settings.shards}, ${tags} tag(s)`)
  await core.summary
    .addRaw(
      `### Plan\n\n${plan.include.map((s) => `- shard ${s.shard}: ${s.streams.length} stream(s), ${s.tags} tag(s)`).join('\n')}\n`
    )
    .write()
    .catch(() => undefined)
}

/** A sharded run: its result goes to one file (the `shard-result` output) for the delivery job; nothing is delivered. */
export async function saveShardResult(
  settings: Settings,
  result: Parameters<typeof writeShardResult>[2]
): Promise<void> {
  const shard = settings.shard!
  const dir = process.env.RUNNER_TEMP || tmpdir()
  const path = await writeShardResult(
    join(dir, `imagestream-shard-${shard.index}-of-${shard.count}.json`),
    shard.label,
    result
  )
  core.setOutput('shard-result', path)
  core.info(`shard ${shard.label}: ${result.files.length} file(s) to deliver, saved to ${path}`)
}

/** `command: deliver`: a shard that failed or was left out fails the step, after the others were delivered. */
export function judgeShards(result: Pick<CommandResult, 'failures' | 'diagnostics' | 'messages'>): void {
  const leftOut = result.diagnostics.filter((d) => d.message.startsWith('shard ')).length
  if (result.failures.length === 0 && leftOut === 0) return
  core.setFailed(`${result.messages.join('; ')} — the other shards' changes were delivered`)
}
