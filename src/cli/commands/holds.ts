/**
 * `imagestream rollback NAME:TAG (--to-generation N | --to DIGEST)` and `imagestream resume NAME:TAG`: our own
 * verbs (not OpenShift's). Rollback points the tag at an earlier item of its history and holds it there, so
 * imports record what upstream did without moving it; resume lifts the hold and makes the next import move it.
 * Either is a pipeline command: the manifests bound to the tag follow in the same write.
 */
import type { Command } from 'commander'
import { runCommand } from '../../pipeline/execute.js'
import { InputError } from '../../util/errors.js'
import { cliWorkspace, globals, parseStreamTag, printResultLines } from '../shared/common.js'

export function register(program: Command): void {
  program
    .command('rollback')
    .description('point a tag at an earlier image of its history and hold it there until `resume`')
    .argument('<tag>', 'stream tag [namespace/]NAME:TAG')
    .option('--to-generation <n>', 'the history item of this generation')
    .option('--to <digest>', 'the history item with this digest (sha256:…, or a unique prefix)')
    .action(async (target: string, flags: { toGeneration?: string; to?: string }, command: Command) => {
      if ((flags.toGeneration === undefined) === (flags.to === undefined)) {
        throw new InputError('give exactly one of --to-generation N or --to DIGEST')
      }
      if (flags.toGeneration !== undefined && !/^\d+$/.test(flags.toGeneration)) {
        throw new InputError(`must be a whole number; got "${flags.toGeneration}"`, { field: '--to-generation' })
      }
      const to =
        flags.toGeneration !== undefined ? { toGeneration: Number(flags.toGeneration) } : { toDigest: flags.to! }
      const ref = parseStreamTag(target, 'NAME:TAG', true)
      const result = await runCommand({ verb: 'rollback', target: ref, to }, cliWorkspace(globals(command)))
      const hold = result.held.find(
        (h) => h.stream === ref.name && h.tag === ref.tag && (!ref.namespace || h.namespace === ref.namespace)
      )
      process.stdout.write(
        `Tag ${ref.name}:${ref.tag} rolled back to ${hold?.heldDigest} and held there; ` +
          `imports will not move it until \`imagestream resume ${target}\`.\n`
      )
      printResultLines({ ...result, messages: [] })
    })

  program
    .command('resume')
    .description('lift a rollback hold: the next import (or, for an alias, this command) moves the tag again')
    .argument('<tag>', 'stream tag [namespace/]NAME:TAG')
    .action(async (target: string, _flags: unknown, command: Command) => {
      const ref = parseStreamTag(target, 'NAME:TAG', true)
      const result = await runCommand({ verb: 'resume', target: ref }, cliWorkspace(globals(command)))
      process.stdout.write(
        `Tag ${ref.name}:${ref.tag} resumed; the next \`imagestream import\` moves it to the newest image.\n`
      )
      printResultLines({ ...result, messages: [] })
    })
}
