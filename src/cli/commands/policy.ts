/**
 * Tag policies from the command line (docs/policies.md):
 *  - `imagestream set policy STREAM:TAG --policy semver:^1 [--filter RE --extract '$ts'] [--min-age 2h] …` writes the
 *    `imagestream-action.dev/*` annotations on the spec tag (validated first, nothing written on an error);
 *  - `imagestream explain STREAM:TAG` lists the repository's tags and says which were filtered out and why, the
 *    candidates in order, and the winner — what the next import would pick. It writes nothing.
 */
import type { Command } from 'commander'
import type { SetPolicyFlags } from '../../pipeline/commands.js'
import { runCommand } from '../../pipeline/execute.js'
import { explainPolicy, explainTarget, type Explanation } from '../../pipeline/explain.js'
import {
  addRegistryOptions,
  cliWorkspace,
  globals,
  loadRepository,
  outputOption,
  parseStreamTag,
  printData,
  registryFromFlags,
  requireStream,
  usingRegistry,
  type OutputFormat,
  type RegistryFlags
} from '../shared/common.js'

export function register(program: Command): void {
  const set = program.commands.find((c) => c.name() === 'set') ?? program.command('set')
  set
    .command('policy')
    .description('make a stream tag follow versions (semver, numerical, alphabetical) and gate its moves')
    .argument('<tag>', 'stream tag [namespace/]NAME:TAG')
    .option('--policy <policy>', '"semver:<range>", "numerical:asc|desc" or "alphabetical:asc|desc"')
    .option('--filter <regex>', 'tags must match; named groups (?<name>…) or (?P<name>…)')
    .option('--extract <template>', 'what the ordering compares, e.g. $ts (default: the whole tag)')
    .option('--ignore <list>', 'comma-separated tags or /regex/ never picked')
    .option('--allow <list>', 'comma-separated tags or /regex/: only these may be picked')
    .option('--min-age <duration>', 'soak time from first sight before a move lands: 90m, 2h, 3d')
    .option('--immutable <bool>', '"true": a re-pushed tag is drift, not a move (default true for semver)')
    .option('--require-platforms <list>', 'an index must hold all of them, e.g. linux/amd64,linux/arm64')
    .option('--accept-drift <digest>', 'accept this once: the re-pushed digest (or "true")')
    .option('--remove', 'remove every policy annotation first')
    .option('-n, --namespace <namespace>', "the stream's namespace")
    .action(async (text: string, flags: SetPolicyFlags & { namespace?: string }, command: Command) => {
      const name = parseStreamTag(text, 'NAME:TAG', true)
      const { namespace, ...policy } = flags
      const target = { ...name, namespace: namespace ?? name.namespace, tag: name.tag! }
      const result = await runCommand({ verb: 'set-policy', target, policy }, cliWorkspace(globals(command)))
      const file = result.files[0]?.path
      process.stdout.write(`${name.name}:${name.tag} policy ${file ? `updated (${file})` : 'not changed'}\n`)
    })

  const explain = program
    .command('explain')
    .description('list the tags a policy tag would consider, the ones filtered out and why, and the winner')
    .argument('<tag>', 'stream tag [namespace/]NAME:TAG')
    .option('--all', 'list every filtered-out tag (default: the first 20 of each reason)')
    .option('-n, --namespace <namespace>', "the stream's namespace")
    .addOption(outputOption('table', ['table', 'json', 'yaml']))
  addRegistryOptions(explain).action(
    async (target: string, flags: RegistryFlags & { all?: boolean; namespace?: string; output: OutputFormat }, cmd) => {
      const name = parseStreamTag(target, 'NAME:TAG', true)
      const repo = await loadRepository(globals(cmd as Command))
      const loaded = requireStream(repo, name.name, flags.namespace ?? name.namespace)
      const checked = explainTarget(loaded.stream, name.name, name.tag!)
      const registry = registryFromFlags(flags)
      const { data, explanation } = await usingRegistry(registry.client, () => explainPolicy(checked, registry.client))
      printData(flags.output, data, () => explainText(data, explanation, flags.all === true))
    }
  )
}

function explainText(
  data: { tag: string; repository: string; policy: string; current: string; soaking?: { from: string; seen: string } },
  e: Explanation,
  all: boolean
): string {
  let out = `${data.tag}: ${data.policy} over ${data.repository} (${e.considered} tags)\n`
  out += `current: ${data.current}\n`
  const valued = (c: { tag: string; value: string }) => (c.value !== c.tag ? `${c.tag}  (${c.value})` : c.tag)
  out += `winner: ${e.winner ? valued(e.winner) : 'none'}\n`
  if (data.soaking) out += `soaking: ${data.soaking.from} first seen ${data.soaking.seen}\n`
  out += `candidates (${e.candidates.length}, best first):\n`
  for (const c of all ? e.candidates : e.candidates.slice(0, 20)) out += `  ${valued(c)}\n`
  if (!all && e.candidates.length > 20) out += `  … ${e.candidates.length - 20} more (--all)\n`
  const byReason = new Map<string, string[]>()
  for (const r of e.rejected) byReason.set(r.reason, [...(byReason.get(r.reason) ?? []), `${r.tag}: ${r.detail}`])
  out += `filtered out (${e.rejected.length}):\n`
  for (const [reason, lines] of byReason) {
    out += `  ${reason} (${lines.length}):\n`
    for (const line of all ? lines : lines.slice(0, 20)) out += `    ${line}\n`
    if (!all && lines.length > 20) out += `    … ${lines.length - 20} more (--all)\n`
  }
  return out
}
