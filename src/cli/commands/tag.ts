/**
 * `imagestream tag SOURCE DEST...` and `imagestream tag -d DEST...`: `oc tag` on the state files, as a `tag`
 * command for the pipeline. A DEST naming a stream that has no file yet creates one, as `oc tag` creates the
 * destination stream. Tagging an external image only marks the tag pending; the next `import` (or `sync`) records
 * its digest. Every stream the command touches, and every manifest bound to a tag it moves, is written as one unit.
 */
import { Option, type Command } from 'commander'
import type { TagFlags as CommandTagFlags } from '../../pipeline/commands.js'
import { runCommand } from '../../pipeline/execute.js'
import { cliWorkspace, globals, printResultLines } from '../shared/common.js'

/** The command's flags (pipeline/commands.ts), plus `-d`. */
type TagFlags = CommandTagFlags & { delete?: boolean }

export function register(program: Command): void {
  program
    .command('tag')
    .description(
      'point stream tags at an image or another tag, like `oc tag` (external images are imported by the next `import`)'
    )
    .argument('<args...>', 'SOURCE DEST [DEST...], or DEST... with -d; DEST is [namespace/]stream:tag')
    .option('--alias', 'DEST tracks the source tag (same stream only), instead of a snapshot of its current image')
    .option('--scheduled', 'import the external image periodically (every `imagestream import`)')
    .option('--reference', 'DEST only references the source: it is never imported')
    .addOption(new Option('--reference-policy <policy>', 'how consumers pull it').choices(['source', 'local']))
    .addOption(new Option('--import-mode <mode>', 'OpenShift importMode').choices(['Legacy', 'PreserveOriginal']))
    .option('--insecure', 'the registry may use plain http or an unverified certificate')
    .option('--source <kind>', 'source kind instead of inferring it: docker, istag or isimage')
    .option('-d, --delete', 'delete the named tags (spec and history)')
    .action(async (args: string[], flags: TagFlags, command: Command) => {
      const { delete: remove, ...tagFlags } = flags
      const result = await runCommand(
        {
          verb: 'tag',
          delete: remove === true,
          ...(remove ? {} : { source: args[0] }),
          destinations: remove ? args : args.slice(1),
          flags: tagFlags
        },
        cliWorkspace(globals(command))
      )
      printResultLines(result)
    })
}
