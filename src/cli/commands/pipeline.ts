/**
 * The verbs over the whole working tree, one pipeline command each:
 *  - `import`: the scheduler tick — every due tag (scheduled or pending; --all: every importable tag);
 *  - `apply-triggers`: pin manifests to the streams' current images (no registry);
 *  - `sync`: both in one run; `--commit` commits exactly the files it changed.
 * Exit codes: 1 when an import failed, or when apply-triggers printed an error (a binding it cannot honour: a bad
 * annotation, a container that is not there); 2 when a state file could not be read or a stream was refused by the
 * rules (the rest still ran and was written); 0 otherwise. The other manifests are still written. A warning (an
 * unknown stream, a tag with no image yet) does not fail a run: it may be waiting for an import.
 */
import { Option, type Command } from 'commander'
import { globMatcher } from '../../util/glob.js'
import { commitLocal, isGitWorkTree } from '../../delivery/index.js'
import type { ImportIntent, PinFormat } from '../../pipeline/commands.js'
import { runCommand, type CommandResult as RunResult } from '../../pipeline/execute.js'
import { planRepository } from '../../pipeline/shard-inputs.js'
import { parseShardSpec } from '../../pipeline/shard-plan.js'
import { shortDigest } from '../../report/markdown.js'
import { messageVars, renderCommitMessage, templateProblems } from '../../report/messages.js'
import { singleLine } from '../../report/escape.js'
import { policyLine } from '../../report/policy.js'
import { promotionLine } from '../../report/promotion.js'
import { formatDiagnostic, InputError } from '../../util/errors.js'
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, ExitCode } from '../shared/program.js'
import {
  addRegistryOptions,
  cliClock,
  globals,
  usingRegistry,
  outputOption,
  printData,
  registryFromFlags,
  table,
  type GlobalOptions,
  type OutputFormat,
  type RegistryFlags
} from '../shared/common.js'

interface PipelineFlags extends RegistryFlags {
  all?: boolean
  dryRun?: boolean
  output: OutputFormat
  commit?: boolean
  message?: string
  pinFormat?: PinFormat
  manifests?: string[]
  exclude?: string[]
  ignoreLocalPolicy?: boolean
  /** `i/N` (plan --shards N): work on this shard's streams and files only. */
  shard?: string
}

function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}

function addManifestOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--pin-format <format>', 'what a pinned image looks like: repo@digest or repo:tag@digest')
        .choices(['digest', 'tag-digest'])
        .default('digest')
    )
    .option('--manifests <glob>', 'manifests to rewrite (repeatable; default every *.yaml/*.yml)', repeatable)
    .option('--exclude <glob>', 'manifests to leave alone (repeatable)', repeatable)
    .option(
      '--ignore-local-policy',
      'pin the source image even for referencePolicy: Local tags (no internal registry outside OpenShift)'
    )
}

const SHARD_HELP = 'work on shard i of N only (the streams and files `imagestream plan --shards N` puts there)'

export function register(program: Command): void {
  program
    .command('plan')
    .description('split the streams into at most N shards for a GitHub Actions matrix; no file is in two shards')
    .requiredOption('--shards <n>', 'how many shards at most (1-256)')
    .option('--manifests <glob>', 'manifests the streams write (repeatable; default every *.yaml/*.yml)', repeatable)
    .option('--exclude <glob>', 'manifests to leave alone (repeatable)', repeatable)
    .addOption(new Option('-o, --output <format>', 'output format').choices(['json']).default('json'))
    .action(async (flags: { shards: string; manifests?: string[]; exclude?: string[] }, command: Command) => {
      if (!/^\d+$/.test(flags.shards))
        throw new InputError(`must be a whole number; got "${flags.shards}"`, { field: '--shards' })
      const options = globals(command)
      const manifests = { include: flags.manifests, exclude: flags.exclude }
      let planned
      try {
        planned = await planRepository(options.root, options.streamsGlob, manifests, Number(flags.shards))
      } catch (err) {
        if (err instanceof RangeError) throw new InputError(err.message, { field: '--shards' })
        throw err
      }
      for (const d of planned.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`)
      process.stdout.write(`${JSON.stringify(planned.plan)}\n`)
    })

  const plain = [
    {
      name: 'import' as const,
      description: 'import every due tag (scheduled or pending) of every stream, as the scheduler does',
      dryRun: 'ask the registries and print what would change, but write nothing',
      options: addRegistryOptions
    },
    {
      name: 'apply-triggers' as const,
      description:
        'pin every manifest bound to a stream tag (trigger annotation, DeploymentConfig, marker) to its current image',
      dryRun: 'print the edits, write nothing',
      options: addManifestOptions
    }
  ]
  const [, applyCommand] = plain.map((verb) =>
    verb
      .options(pipelineVerb(program, verb.name, verb.description, verb.dryRun))
      .action(async (flags: PipelineFlags, command: Command) => {
        await run(verb.name, globals(command), flags)
      })
  )

  const syncCommand = pipelineVerb(
    program,
    'sync',
    'import due tags, then pin the manifests bound to them, in one run; --commit makes a local git commit',
    'print what would change, write nothing'
  )
    .option('--commit', 'commit exactly the files this run changed (git commit --only)')
    .option('--message <template>', 'commit subject template: {stream} {tag} {digest} {count} {streams}')
  addManifestOptions(addRegistryOptions(syncCommand)).action(async (flags: PipelineFlags, command: Command) => {
    if (flags.commit && flags.dryRun) throw new InputError('--commit and --dry-run cannot be used together')
    if (flags.message !== undefined) {
      const problems = templateProblems(flags.message)
      if (problems.length) throw new InputError(problems.join('; '), { field: '--message' })
    }
    const options = globals(command)
    // Checked before anything is imported or written: a sync that cannot commit should change nothing.
    if (flags.commit) await assertGitRepository(options.root)
    await run('sync', options, flags)
  })
  applyCommand.addHelpText(
    'after',
    '\nExit status: 0 even when a binding cannot be honoured (printed as a warning: the other manifests are still\n' +
      'right); 2 when a stream file cannot be read (its bindings are then unresolvable) or the options are wrong.'
  )
}

/** The options the three pipeline verbs share: --all (the importing ones), --dry-run, --shard and -o. */
function pipelineVerb(program: Command, name: Verb, description: string, dryRunHelp: string): Command {
  const command = program.command(name).description(description)
  if (name !== 'apply-triggers') command.option('--all', 'import every importable tag, due or not')
  return command
    .option('--dry-run', dryRunHelp)
    .option('--shard <i/N>', SHARD_HELP)
    .addOption(outputOption('table', ['table', 'json', 'yaml']))
}

async function assertGitRepository(root: string): Promise<void> {
  if (!(await isGitWorkTree(root))) {
    throw new InputError(`--commit needs a git repository, and ${root} is not inside one`, { field: '--commit' })
  }
}

function shardFlag(text: string): { index: number; count: number } {
  try {
    return parseShardSpec(text)
  } catch (err) {
    throw new InputError((err as Error).message, { field: '--shard' })
  }
}

type Verb = 'import' | 'apply-triggers' | 'sync'

async function run(verb: Verb, options: GlobalOptions, flags: PipelineFlags): Promise<void> {
  const intent: ImportIntent | undefined =
    verb === 'apply-triggers' ? undefined : flags.all ? { kind: 'all' } : { kind: 'scheduled' }
  const registry = intent ? registryFromFlags(flags) : undefined
  const command = verb === 'apply-triggers' ? { verb } : { verb, intent: intent! }
  const result: RunResult = await usingRegistry(registry?.client, () =>
    runCommand(command, {
      root: options.root,
      streamsGlob: options.streamsGlob,
      manifests: { include: flags.manifests, exclude: flags.exclude },
      registry: registry?.client,
      now: cliClock().now(),
      platform: registry?.platform,
      historyLimit: registry?.historyLimit,
      allowedRegistries: registry?.allowedRegistries,
      pinFormat: flags.pinFormat,
      ignoreLocalPolicy: flags.ignoreLocalPolicy,
      ...(flags.shard !== undefined ? { shard: shardFlag(flags.shard) } : {}),
      write: !flags.dryRun
    })
  )

  let commit: { sha?: string; subject: string; committed: boolean } | undefined
  if (flags.commit && result.written.length > 0) {
    const message = commitMessage(result, flags.message)
    const done = await commitLocal(options.root, result.written, message)
    commit = { committed: done.committed, ...(done.sha ? { sha: done.sha } : {}), subject: message.split('\n')[0]! }
  }

  for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`)
  printData(flags.output, jsonView(result, flags, commit), () => textView(verb, result, flags, commit))

  const isStreamFile = globMatcher(options.streamsGlob)
  const badStreams = result.diagnostics.some(
    (d) => d.severity === 'error' && d.file !== undefined && isStreamFile(d.file)
  )
  // apply-triggers does nothing but honour bindings: one it could not honour (an error printed above) fails it.
  const badManifests = verb === 'apply-triggers' && result.diagnostics.some((d) => d.severity === 'error')
  // A broken state file is the more urgent fix, so it wins over a failed import.
  const code = badStreams ? EXIT_USAGE : result.failures.length > 0 || badManifests ? EXIT_FAILED : EXIT_OK
  if (code !== EXIT_OK) throw new ExitCode(code)
}

function tagName(c: { namespace?: string; stream: string; tag: string }): string {
  return `${c.namespace ? `${c.namespace}/` : ''}${c.stream}:${c.tag}`
}

/** Subject and body for `sync --commit`: the tag changes when there are any, else what else the run wrote. */
function commitMessage(result: RunResult, template: string | undefined): string {
  if (result.changes.length > 0) return renderCommitMessage(template, messageVars(result.changes))
  if (result.edits.length > 0) {
    const body = result.edits.map(
      (e) => `* ${singleLine(e.file)}:${e.line} ${singleLine(e.from)} → ${singleLine(e.newValue)}`
    )
    const count = `${result.edits.length} image reference${result.edits.length === 1 ? '' : 's'}`
    return `imagestream: pin ${count} to current images\n\n${body.join('\n')}\n`
  }
  const failed = result.failures.map(
    (f) => `* ${singleLine(tagName(f))}: ${singleLine(f.reason)}: ${singleLine(f.message)}`
  )
  return `imagestream: record import status\n${failed.length ? `\n${failed.join('\n')}\n` : ''}`
}

function jsonView(result: RunResult, flags: PipelineFlags, commit: unknown): Record<string, unknown> {
  return {
    dryRun: flags.dryRun === true,
    changes: result.changes,
    failures: result.failures,
    held: result.held,
    policy: result.policy,
    promotions: result.promotions,
    edits: result.edits.map((e) => ({
      file: e.file,
      line: e.line,
      column: e.column,
      field: e.field,
      from: e.from,
      oldValue: e.oldValue,
      newValue: e.newValue
    })),
    files: result.files.map((f) => ({ path: f.path, kind: f.kind })),
    written: result.written,
    diagnostics: result.diagnostics,
    ...(result.idleReason ? { idleReason: result.idleReason } : {}),
    ...(commit ? { commit } : {})
  }
}

function textView(
  verb: Verb,
  result: RunResult,
  flags: PipelineFlags,
  commit: { sha?: string; subject: string; committed: boolean } | undefined
): string {
  let out = ''
  if (result.changes.length > 0) {
    const rows = result.changes.map((c) => [
      tagName(c),
      c.oldDigest ? shortDigest(c.oldDigest) : '(new)',
      shortDigest(c.newDigest),
      c.repository ? `${c.repository}@${c.newDigest}` : c.newDigest
    ])
    out += table(['TAG', 'OLD', 'NEW', 'IMAGE'], rows)
  }
  for (const d of result.policy) out += `${policyLine(d)}\n`
  for (const p of result.promotions) out += `${promotionLine(p)}\n`
  for (const f of result.failures) out += `${tagName(f)}: import failed (${f.reason}): ${f.message}\n`
  for (const h of result.held) {
    const upstream = h.upstreamDigest && h.upstreamDigest !== h.heldDigest ? `; upstream is at ${h.upstreamDigest}` : ''
    out += `${tagName(h)} is held at ${h.heldDigest}${upstream} (imagestream resume ${tagName(h)} lets it move)\n`
  }
  for (const e of result.edits) out += `${e.file}:${e.line}: ${e.oldValue ?? '(unset)'} → ${e.newValue} (${e.from})\n`
  if (result.files.length === 0) {
    out += `nothing to change: ${result.idleReason ?? 'everything is current'}\n`
  } else if (flags.dryRun) {
    out += `dry run: would write ${result.files.map((f) => f.path).join(', ')}\n`
  } else {
    out += `wrote ${result.written.length ? result.written.join(', ') : 'nothing (files already current)'}\n`
  }
  if (flags.commit) {
    out += commit?.committed ? `committed ${commit.sha?.slice(0, 12)}: ${commit.subject}\n` : 'nothing to commit\n'
  }
  if (verb === 'import' && result.requested > 0 && result.files.length === 0 && result.failures.length === 0) {
    // Said explicitly because "nothing to change" after an import could be read as "nothing was asked".
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
    out += `checked ${plural(result.requested, 'tag')} (${plural(result.lookups, 'registry lookup')})\n`
  }
  return out
}
