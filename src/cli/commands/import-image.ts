/**
 * `imagestream import-image NAME[:TAG]`: `oc import-image` on a state file. The rules (stream/rules/import-image.ts)
 * decide what to import and force it with the tag's generation 0 in the working copy; the importer then asks the
 * registry right away and the file is written with what it said (never with generation 0). Like oc, it prints the
 * stream afterwards (`oc describe is`) and exits 1 with "imported completed with errors" when an image failed.
 */
import { Option, type Command } from 'commander'
import { runCommand } from '../../pipeline/execute.js'
import { describeView } from '../../pipeline/views.js'
import { describeImageStream } from '../../report/describe.js'
import { EXIT_FAILED, EXIT_USAGE, ExitCode } from '../shared/program.js'
import {
  addRegistryOptions,
  cliWorkspace,
  globals,
  nowText,
  usingRegistry,
  outputOption,
  printData,
  printDiagnostics,
  registryFromFlags,
  type OutputFormat,
  type RegistryFlags
} from '../shared/common.js'

interface ImportImageFlags extends RegistryFlags {
  from?: string
  confirm?: boolean
  all?: boolean
  scheduled?: boolean
  importMode?: string
  referencePolicy?: string
  insecure?: boolean
  dryRun?: boolean
  namespace?: string
  output: OutputFormat
}

export function register(program: Command): void {
  const command = program
    .command('import-image')
    .description('import an image into a stream tag now, like `oc import-image` (creates the stream with --confirm)')
    .argument('<imagestream>', 'IMAGESTREAM[:TAG] (TAG defaults to latest)')
    .option('--from <ref>', "the image to import, e.g. quay.io/acme/web:1.4 (default: the tag's current source)")
    .option('--confirm', 'create the stream when it does not exist, or change its repository with --all')
    .option('--all', 'import every tag of the repository (or every external tag of the stream)')
    .option('--scheduled', 'keep importing the tag periodically')
    .addOption(
      new Option('--import-mode <mode>', 'OpenShift importMode (default Legacy)').choices([
        'Legacy',
        'PreserveOriginal'
      ])
    )
    .addOption(
      new Option('--reference-policy <policy>', 'how consumers pull it (default source)').choices(['source', 'local'])
    )
    .option('--insecure', 'the registry may use plain http or an unverified certificate')
    .option('--dry-run', 'ask the registry and print the result, but write nothing')
    .option('-n, --namespace <namespace>', "the stream's namespace (when several share the name, or for a new one)")
    .addOption(outputOption('table'))
  addRegistryOptions(command).action(async (target: string, flags: ImportImageFlags, cmd: Command) => {
    const workspace = cliWorkspace(globals(cmd), { write: !flags.dryRun })
    const now = nowText({ now: () => workspace.now })
    const registry = registryFromFlags(flags)
    const outcome = await usingRegistry(registry.client, () =>
      runCommand(
        {
          verb: 'import-image',
          target,
          from: flags.from,
          confirm: flags.confirm,
          all: flags.all,
          scheduled: flags.scheduled,
          insecure: flags.insecure,
          referencePolicy: flags.referencePolicy,
          importMode: flags.importMode,
          namespace: flags.namespace
        },
        {
          ...workspace,
          registry: registry.client,
          platform: registry.platform,
          historyLimit: registry.historyLimit,
          allowedRegistries: registry.allowedRegistries
        }
      )
    )
    printDiagnostics(outcome.diagnostics)
    const after = outcome.edited[0]?.stream
    if (!after) throw new ExitCode(EXIT_USAGE) // the rules refused the stream; the diagnostic says why

    const failed = outcome.failures.length > 0
    printData(flags.output, after, () => {
      const verb = failed ? 'imported with errors' : 'imported'
      const dry = flags.dryRun ? ' (dry run, nothing written)' : ''
      const pinned = outcome.edits.map(
        (e) => `${e.file}:${e.line}: ${e.oldValue ?? '(unset)'} → ${e.newValue} (${e.from})\n`
      )
      const described = describeImageStream(describeView(after), now)
      return `imagestream.image.openshift.io/${after.metadata.name} ${verb}${dry}\n\n${described}${pinned.join('')}`
    })
    if (failed) {
      for (const f of outcome.failures) {
        process.stderr.write(`error: tag ${f.tag} failed: Import failed (${f.reason}): ${f.message}\n`)
      }
      process.stderr.write('error: imported completed with errors\n')
      throw new ExitCode(EXIT_FAILED)
    }
  })
}
