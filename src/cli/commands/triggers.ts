/**
 * `imagestream set triggers KIND/NAME -f FILE --from-image STREAM:TAG -c CONTAINER [--manual|--auto] [--remove]`:
 * `oc set triggers` on a manifest file. Only the `image.openshift.io/triggers` annotation is rewritten (see
 * triggers/set-triggers.ts), through the pipeline's journaled, locked write like every other command.
 */
import type { Command } from 'commander'
import { runCommand } from '../../pipeline/execute.js'
import { InputError } from '../../util/errors.js'
import { cliWorkspace, commaList, globals } from '../shared/common.js'

interface SetTriggersFlags {
  filename: string
  fromImage?: string
  containers?: string[]
  manual?: boolean
  auto?: boolean
  remove?: boolean
  namespace?: string
}

export function register(program: Command): void {
  const set = program.command('set').description('change a setting of a manifest, like `oc set`')
  set
    .command('triggers')
    .description('add or remove an image trigger annotation on a Deployment, DaemonSet, StatefulSet or CronJob')
    .argument('<object>', 'KIND/NAME, e.g. deployment/web or deploy/web')
    .requiredOption('-f, --filename <file>', 'the manifest file holding the object (relative to -C)')
    .option('--from-image <stream:tag>', 'the stream tag whose image the containers follow: [namespace/]stream:tag')
    .option('-c, --containers <names>', 'containers to update (comma-separated; repeatable)', commaList)
    .option('--manual', 'record the trigger paused: apply-triggers leaves these containers alone')
    .option('--auto', 'record the trigger active (the default)')
    .option('--remove', 'remove the triggers from --from-image')
    .option('-n, --namespace <namespace>', "the object's namespace, when the file holds several with that name")
    .action(async (object: string, flags: SetTriggersFlags, command: Command) => {
      const slash = object.indexOf('/')
      if (slash <= 0 || slash === object.length - 1 || object.indexOf('/', slash + 1) >= 0) {
        throw new InputError(`"${object}" must be KIND/NAME, e.g. deployment/web`, { field: 'OBJECT' })
      }
      if (flags.manual && flags.auto) throw new InputError('--manual and --auto cannot be used together')
      if (!flags.fromImage) {
        throw new InputError('--from-image is required: the stream tag the containers follow', {
          field: '--from-image'
        })
      }
      const result = await runCommand(
        {
          verb: 'set-triggers',
          file: flags.filename,
          kind: object.slice(0, slash),
          name: object.slice(slash + 1),
          ...(flags.namespace ? { namespace: flags.namespace } : {}),
          fromImage: flags.fromImage,
          containers: flags.containers,
          mode: flags.manual ? 'manual' : 'auto',
          remove: flags.remove
        },
        cliWorkspace(globals(command))
      )
      const changed = result.files.length > 0
      const display = result.files[0]?.path ?? flags.filename
      process.stdout.write(`${object} ${changed ? 'triggers updated' : 'triggers not changed'} (${display})\n`)
    })
}
