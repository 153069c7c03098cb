/**
 * `imagestream import-image NAME[:TAG]`: `oc import-image` on a state file. The rules (stream/rules/import-image.ts)
 * decide what to import and force it with the tag's generation 0 in the working copy; the importer then asks the
 * registry right away and the file is written with what it said (never with generation 0). Like oc, it prints the
 * stream afterwards (`oc describe is`) and exits 1 with "imported completed with errors" when an image failed.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Option, type Command } from 'commander'
import type { ImportIntent } from '../../importer/intent.js'
import { importStreams } from '../../importer/import-streams.js'
import { needsPins } from '../../pipeline/run.js'
import { describeImageStream, importImage } from '../../stream/rules/index.js'
import { renderStreamFile } from '../../stream/state-file.js'
import { InputError } from '../../util/errors.js'
import { EXIT_FAILED, EXIT_USAGE, ExitCode } from '../program.js'
import {
  addRegistryOptions,
  cliClock,
  findStream,
  globals,
  usingRegistry,
  loadRepository,
  newStreamPath,
  nowText,
  outputOption,
  pinnedDigests,
  printData,
  printDiagnostics,
  registryFromFlags,
  writeRepositoryFiles,
  type OutputFormat,
  type RegistryFlags
} from '../common.js'

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

/** The stream name in IMAGESTREAM[:TAG] (which may be a whole pull spec when creating); importImage validates it. */
function targetName(target: string): string {
  const path = target.split('@')[0]!
  const slash = path.lastIndexOf('/')
  const colon = path.lastIndexOf(':')
  return (colon > slash ? path.slice(0, colon) : path).slice(slash + 1)
}

export function register(program: Command): void {
  const command = program
    .command('import-image')
    .description('import an image into a stream tag now, like `oc import-image` (creates the stream with --confirm)')
    .argument('<imagestream>', 'IMAGESTREAM[:TAG] (TAG defaults to latest)')
    .option('--from <ref>', 'the image to import, e.g. quay.io/acme/web:1.4 (default: the tag\'s current source)')
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
    .option('-n, --namespace <namespace>', 'the stream\'s namespace (when several share the name, or for a new one)')
    .addOption(outputOption('table'))
  addRegistryOptions(command).action(async (target: string, flags: ImportImageFlags, cmd: Command) => {
    const options = globals(cmd)
    const now = nowText(cliClock())
    const repo = await loadRepository(options)
    const name = targetName(target)
    const existing = /^[a-z0-9]/.test(name) ? findStream(repo.streams, name, flags.namespace) : undefined
    const result = importImage(existing?.stream, target, {
      from: flags.from,
      confirm: flags.confirm,
      all: flags.all,
      scheduled: flags.scheduled,
      insecure: flags.insecure,
      referencePolicy: flags.referencePolicy,
      importMode: flags.importMode,
      namespace: flags.namespace
    })
    const path = existing?.file ?? newStreamPath(options.streamsGlob, result.stream.metadata.name, flags.namespace)
    if (!existing && existsSync(join(options.root, path))) {
      throw new InputError(
        `${path} already exists but holds no readable stream "${result.stream.metadata.name}"; fix or remove it`
      )
    }
    const ns = result.stream.metadata.namespace ? `${result.stream.metadata.namespace}/` : ''
    const intent: ImportIntent = result.plan.repository
      ? { kind: 'all' }
      : { kind: 'tags', tags: result.plan.tags.map((t) => `${ns}${result.stream.metadata.name}:${t.tag}`) }

    const registry = registryFromFlags(flags)
    const outcome = await usingRegistry(registry.client, async () => {
      return importStreams([{ file: path, stream: result.stream }], intent, {
        registry: registry.client,
        now,
        platform: registry.platform,
        historyLimit: registry.historyLimit,
        inUse: needsPins([result.stream], registry.historyLimit ?? 10) ? await pinnedDigests(options) : undefined,
        allowedRegistries: registry.allowedRegistries
      })
    })
    printDiagnostics(outcome.diagnostics)
    const after = outcome.streams[0]?.after
    if (!after) throw new ExitCode(EXIT_USAGE) // the rules refused the stream; the diagnostic says why

    const text = renderStreamFile(existing, after)
    if (!flags.dryRun && text !== existing?.text) await writeRepositoryFiles(options.root, [{ path, text }])
    const failed = outcome.failures.length > 0
    printData(flags.output, after, () => {
      const verb = failed ? 'imported with errors' : 'imported'
      const dry = flags.dryRun ? ' (dry run, nothing written)' : ''
      return `imagestream.image.openshift.io/${after.metadata.name} ${verb}${dry}\n\n${describeImageStream(after, now)}`
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
