/**
 * Tag policies from the command line (docs/policies.md):
 *  - `imagestream set policy STREAM:TAG --policy semver:^1 [--filter RE --extract '$ts'] [--min-age 2h] …` writes the
 *    `imagestream-action.dev/*` annotations on the spec tag (validated first, nothing written on an error);
 *  - `imagestream explain STREAM:TAG` lists the repository's tags and says which were filtered out and why, the
 *    candidates in order, and the winner — what the next import would pick. It writes nothing.
 */
import type { Command } from 'commander'
import { runCommand } from '../../pipeline/execute.js'
import type { SetPolicyFlags } from '../../stream/rules/policy-set.js'
import { PolicyImports } from '../../importer/policy-import.js'
import { parseReference, repositoryOf, withoutTagOrDigest } from '../../reference/reference.js'
import {
  POLICY_ANNOTATION,
  explainSelection,
  formatOrdering,
  parseTagPolicy,
  readFirstSeen,
  type Explanation
} from '../../stream/rules/index.js'
import type { ImageStream } from '../../stream/types.js'
import { InputError } from '../../util/errors.js'
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
} from '../common.js'

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
      const index = (loaded.stream.spec.tags ?? []).findIndex((t) => t.name === name.tag)
      const ref = loaded.stream.spec.tags?.[index]
      if (!ref?.from || ref.from.kind !== 'DockerImage') {
        throw new InputError(`${name.name}:${name.tag} has no DockerImage source in spec; nothing to explain`)
      }
      const policy = parseTagPolicy(ref, index)
      if (!policy?.ordering) {
        throw new InputError(`${name.name}:${name.tag} has no ${POLICY_ANNOTATION}; it follows ${ref.from.name}`)
      }
      const repository = withoutTagOrDigest(parseReference(ref.from.name))
      const registry = registryFromFlags(flags)
      const tags = await usingRegistry(registry.client, () =>
        new PolicyImports({ registry: registry.client, now: '' }, { kind: 'all' }).listTags(
          repository,
          ref.importPolicy?.insecure === true
        )
      )
      const explanation = explainSelection(tags, policy)
      const soaking = readFirstSeen(loaded.stream)[name.tag!]
      const data = {
        tag: `${name.name}:${name.tag}`,
        repository: repositoryOf(repository),
        policy: formatOrdering(policy.ordering),
        current: ref.from.name,
        ...explanation,
        ...(soaking ? { soaking } : {})
      }
      printData(flags.output, data, () => explainText(data, explanation, flags.all === true))
    }
  )
}

/**
 * `get istag -o wide`: the POLICY of each row's tag (its ordering, or "-") and its CANDIDATE — the tag waiting for
 * its soak time when there is one, else the tag its spec follows now. Rows are matched the way getImageStreamTags makes
 * them (status tags with an image, stream by stream).
 */
export function withPolicyColumns(
  t: { columns: string[]; rows: string[][] },
  streams: readonly ImageStream[]
): { columns: string[]; rows: string[][] } {
  const cells: string[][] = []
  for (const stream of streams) {
    const soaking = readFirstSeen(stream)
    for (const list of stream.status?.tags ?? []) {
      if (!list.items?.[0]?.image) continue
      const index = (stream.spec.tags ?? []).findIndex((s) => s.name === list.tag)
      const ref = stream.spec.tags?.[index]
      let policy = '-'
      try {
        const parsed = ref ? parseTagPolicy(ref, index) : undefined
        if (parsed) policy = parsed.ordering ? formatOrdering(parsed.ordering) : 'gates only'
      } catch {
        policy = '<invalid>'
      }
      const candidate = soaking[list.tag]?.from ?? ref?.from?.name ?? ''
      const tagOf = candidate.includes('@') ? candidate.slice(candidate.indexOf('@')) : candidate.replace(/^.*:/, '')
      cells.push([policy, policy === '-' ? '' : `${tagOf}${soaking[list.tag] ? ' (soaking)' : ''}`])
    }
  }
  const rows = t.rows.map((r, i) => [...r, ...(cells[i] ?? ['', ''])])
  return { columns: [...t.columns, 'POLICY', 'CANDIDATE'], rows }
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
