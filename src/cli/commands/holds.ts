/**
 * `imagestream rollback NAME:TAG (--to-generation N | --to DIGEST)` and `imagestream resume NAME:TAG`: our own
 * verbs (not OpenShift's). Rollback points the tag at an earlier item of its history and holds it there, so
 * imports record what upstream did without moving it; resume lifts the hold and makes the next import move it.
 */
import type { Command } from 'commander'
import { holdOf, resume, rollback, type RollbackTarget } from '../../stream/rules/index.js'
import { renderStreamFile } from '../../stream/state-file.js'
import { InputError } from '../../util/errors.js'
import {
  cliClock,
  globals,
  loadRepository,
  nowText,
  parseStreamTag,
  requireStream,
  writeRepositoryFiles
} from '../common.js'

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
      let to: RollbackTarget
      if (flags.toGeneration !== undefined) {
        if (!/^\d+$/.test(flags.toGeneration)) {
          throw new InputError(`must be a whole number; got "${flags.toGeneration}"`, { field: '--to-generation' })
        }
        to = { toGeneration: Number(flags.toGeneration) }
      } else {
        to = { toDigest: flags.to! }
      }
      const ref = parseStreamTag(target, 'NAME:TAG', true)
      const options = globals(command)
      const repo = await loadRepository(options)
      const loaded = requireStream(repo, ref.name, ref.namespace)
      const next = rollback(loaded.stream, ref.tag!, to, nowText(cliClock()))
      await writeRepositoryFiles(options.root, [{ path: loaded.file, text: renderStreamFile(loaded, next) }])
      const hold = holdOf(next, ref.tag!)!
      process.stdout.write(
        `Tag ${ref.name}:${ref.tag} rolled back to ${hold.digest} and held there; ` +
          `imports will not move it until \`imagestream resume ${target}\`.\n`
      )
    })

  program
    .command('resume')
    .description('lift a rollback hold: the next import (or, for an alias, this command) moves the tag again')
    .argument('<tag>', 'stream tag [namespace/]NAME:TAG')
    .action(async (target: string, _flags: unknown, command: Command) => {
      const ref = parseStreamTag(target, 'NAME:TAG', true)
      const options = globals(command)
      const repo = await loadRepository(options)
      const loaded = requireStream(repo, ref.name, ref.namespace)
      const next = resume(loaded.stream, ref.tag!)
      await writeRepositoryFiles(options.root, [{ path: loaded.file, text: renderStreamFile(loaded, next) }])
      process.stdout.write(
        `Tag ${ref.name}:${ref.tag} resumed; the next \`imagestream import\` moves it to the newest image.\n`
      )
    })
}
