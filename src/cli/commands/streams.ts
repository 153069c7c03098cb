/**
 * Reading and creating streams: `create`, `get is|istag`, `describe`, `history`. Output follows `oc` (columns of
 * `oc get`, text of `oc describe is`); -o yaml|json print the objects themselves.
 */
import type { Command } from 'commander'
import { renderData, renderRows } from '../../report/cli-output.js'
import { describeImageStream, getImageStreams, getImageStreamTags } from '../../report/describe.js'
import { formatAge } from '../../report/table.js'
import type { ImageStream } from '../../pipeline/read.js'
import {
  describeView,
  historyView,
  imageStreamTag,
  imageStreamTagRows,
  type HistoryView
} from '../../pipeline/views.js'
import { runCommand } from '../../pipeline/execute.js'
import { InputError } from '../../util/errors.js'
import {
  cliClock,
  cliWorkspace,
  findStream,
  globals,
  loadRepository,
  nowText,
  parseStreamTag,
  printResultLines
} from '../shared/common.js'
import { EXIT_FAILED, ExitCode, listingOutputOption, NO_HEADERS_HELP, type ListingFlags } from '../shared/program.js'

const STREAM_TYPES = ['is', 'imagestream', 'imagestreams', 'imagestream.image.openshift.io']
const TAG_TYPES = ['istag', 'imagestreamtag', 'imagestreamtags', 'imagestreamtag.image.openshift.io']

export function register(program: Command): void {
  program
    .command('create')
    .description('create an empty image stream file, like `oc create imagestream NAME`')
    .argument('<name>', 'stream name (a DNS subdomain)')
    .option('-n, --namespace <namespace>', 'metadata.namespace of the new stream')
    .action(async (name: string, flags: { namespace?: string }, command: Command) => {
      const result = await runCommand(
        { verb: 'create', name, namespace: flags.namespace },
        cliWorkspace(globals(command))
      )
      printResultLines(result)
    })

  program
    .command('get')
    .description('list streams (`get is [NAME]`) or stream tags (`get istag [NAME:TAG]`) with the columns oc prints')
    .argument('<type>', `is | istag (also ${[...STREAM_TYPES.slice(1), ...TAG_TYPES.slice(1)].join(', ')})`)
    .argument('[name]', 'a stream [namespace/]NAME, or a tag [namespace/]NAME:TAG')
    .addOption(listingOutputOption())
    .option('--no-headers', NO_HEADERS_HELP)
    .action(async (type: string, name: string | undefined, flags: ListingFlags, command: Command) => {
      const lower = type.toLowerCase()
      const kind = STREAM_TYPES.includes(lower) ? 'is' : TAG_TYPES.includes(lower) ? 'istag' : undefined
      if (!kind) {
        throw new InputError(`the server doesn't have a resource type "${type}"; use is or istag`, { field: 'TYPE' })
      }
      const repo = await loadRepository(globals(command))
      const now = nowText(cliClock())
      const streams = repo.streams.map((s) => s.stream)
      if (kind === 'is') getStreams(streams, name, flags, now, repo)
      else getTags(streams, name, flags, now, repo)
      // oc get exits 1 after printing what it could when some objects could not be read.
      if (repo.diagnostics.some((d) => d.severity === 'error')) throw new ExitCode(EXIT_FAILED)
    })

  program
    .command('describe')
    .description('show a stream like `oc describe is NAME`: tags, sources, history, import errors, holds')
    .argument('<name>', 'stream [namespace/]NAME (or: is NAME)')
    .argument('[name2]', 'the name, when the first argument is the type `is`')
    .action(async (first: string, second: string | undefined, _flags: unknown, command: Command) => {
      let target = first
      if (second !== undefined) {
        if (!STREAM_TYPES.includes(first.toLowerCase())) {
          throw new InputError(`describe takes one stream name, or \`is NAME\`; got "${first} ${second}"`, {
            field: 'NAME'
          })
        }
        target = second
      }
      const ref = parseStreamTag(target, 'NAME')
      if (ref.tag) throw new InputError(`"${target}" names a tag; describe takes a stream name`, { field: 'NAME' })
      const repo = await loadRepository(globals(command))
      const loaded = findStream(repo.streams, ref.name, ref.namespace)
      if (!loaded) notFound('imagestreams', `${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`)
      process.stdout.write(describeImageStream(describeView(loaded.stream), nowText(cliClock())))
    })

  program
    .command('history')
    .description("a tag's history, newest first: generation, digest, when it was recorded; * marks the current item")
    .argument('<tag>', 'stream tag [namespace/]NAME:TAG')
    .addOption(listingOutputOption())
    .option('--no-headers', NO_HEADERS_HELP)
    .action(async (target: string, flags: ListingFlags, command: Command) => {
      const ref = parseStreamTag(target, 'NAME:TAG', true)
      const repo = await loadRepository(globals(command))
      const loaded = findStream(repo.streams, ref.name, ref.namespace)
      if (!loaded) notFound('imagestreams', `${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`)
      const view = historyView(loaded.stream, ref.tag!)
      if (!view) notFound('imagestreamtags', `${ref.name}:${ref.tag}`)
      process.stdout.write(renderData(flags.output, view) ?? renderHistory(view, nowText(cliClock()), flags))
    })
}

/** oc's answer for a name the server does not have: NotFound, exit 1 (not a usage error). */
function notFound(resource: 'imagestreams' | 'imagestreamtags', name: string): never {
  process.stderr.write(`Error from server (NotFound): ${resource}.image.openshift.io "${name}" not found\n`)
  throw new ExitCode(EXIT_FAILED)
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function listObject(items: unknown[]): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items }
}

function selectStreams(streams: ImageStream[], name: string | undefined): ImageStream[] {
  if (name === undefined) return streams
  const ref = parseStreamTag(name, 'NAME')
  if (ref.tag) throw new InputError(`"${name}" names a tag; use \`get istag ${name}\``, { field: 'NAME' })
  const found = findStream(
    streams.map((stream) => ({ stream })),
    ref.name,
    ref.namespace
  )
  if (!found) notFound('imagestreams', name)
  return [found.stream]
}

function noneFound(repo: { diagnostics: unknown[] }): void {
  // oc says this on stderr, so scripts reading stdout see an empty list.
  const why = repo.diagnostics.length ? ' (some stream files could not be read, see above)' : ''
  process.stderr.write(`No resources found${why}.\n`)
}

function getStreams(
  all: ImageStream[],
  name: string | undefined,
  flags: ListingFlags,
  now: string,
  repo: { diagnostics: unknown[] }
) {
  // The API lists streams by namespace, then name, whatever order the files are in.
  const streams = [...selectStreams(all, name)].sort(
    (a, b) =>
      compare(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || compare(a.metadata.name, b.metadata.name)
  )
  const data = renderData(flags.output, name !== undefined ? streams[0] : listObject(streams))
  if (data !== undefined) return void process.stdout.write(data)
  if (streams.length === 0) return noneFound(repo)
  if (flags.output.kind === 'name') {
    return void process.stdout.write(streams.map((s) => `imagestream.image.openshift.io/${s.metadata.name}\n`).join(''))
  }
  const t = getImageStreams(streams, now)
  const namespaced = streams.some((s) => s.metadata.namespace)
  const columns = namespaced ? ['NAMESPACE', ...t.columns] : t.columns
  const rows = namespaced ? t.rows.map((r, i) => [streams[i]!.metadata.namespace ?? '', ...r]) : t.rows
  process.stdout.write(renderRows(columns, rows, flags.headers))
}

function getTags(
  all: ImageStream[],
  name: string | undefined,
  flags: ListingFlags,
  now: string,
  repo: { diagnostics: unknown[] }
) {
  let streams = all
  let onlyTag: string | undefined
  if (name !== undefined) {
    const ref = parseStreamTag(name, 'NAME:TAG')
    streams = selectStreams(all, `${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`)
    onlyTag = ref.tag
    if (onlyTag && !imageStreamTag(streams[0]!, onlyTag)) notFound('imagestreamtags', `${ref.name}:${onlyTag}`)
  }
  const keep = (stream: ImageStream): ImageStream =>
    onlyTag
      ? { ...stream, status: { ...stream.status!, tags: stream.status!.tags!.filter((t) => t.tag === onlyTag) } }
      : stream
  const selected = streams.map(keep)
  const objects = () =>
    selected.flatMap((s) => (s.status?.tags ?? []).map((t) => imageStreamTag(s, t.tag)).filter(Boolean))
  const data =
    flags.output.kind === 'table' || flags.output.kind === 'wide' || flags.output.kind === 'name'
      ? undefined
      : renderData(flags.output, onlyTag ? objects()[0] : listObject(objects()))
  if (data !== undefined) return void process.stdout.write(data)
  const rows = imageStreamTagRows(selected)
  if (rows.length === 0) return noneFound(repo)
  if (flags.output.kind === 'name') {
    return void process.stdout.write(rows.map((r) => `imagestreamtag.image.openshift.io/${r.name}\n`).join(''))
  }
  const t = getImageStreamTags(rows, now)
  if (flags.output.kind !== 'wide') return void process.stdout.write(renderRows(t.columns, t.rows, flags.headers))
  // -o wide adds OpenShift's Priority-1 column "Image Name" (the image's digest name), then our tag policy and the
  // candidate it waits on (docs/policies.md).
  const columns = [...t.columns, 'IMAGE NAME', 'POLICY', 'CANDIDATE']
  const wide = t.rows.map((cells, i) => [...cells, rows[i]!.image, rows[i]!.policy, rows[i]!.candidate])
  process.stdout.write(renderRows(columns, wide, flags.headers))
}

export function renderHistory(view: HistoryView, now: string, flags?: ListingFlags): string {
  const mode = flags?.output.kind ?? 'table'
  if (mode === 'name') return view.items.map((i) => `${i.image || i.dockerImageReference}\n`).join('')
  const name = `${view.namespace ? `${view.namespace}/` : ''}${view.stream}:${view.tag}`
  let out = `${name}${view.from ? ` from ${view.from}` : ''}\n`
  if (view.held) {
    out += `held at ${view.held.digest} since ${view.held.since}`
    const newer = view.held.upstream && view.held.upstream !== view.held.digest
    out += newer ? `; newer upstream ${view.held.upstream}\n` : '\n'
  }
  for (const c of view.conditions) {
    const since = c.lastTransitionTime ? ` (since ${c.lastTransitionTime})` : ''
    out += `! import failed (${c.reason ?? 'Unknown'}): ${c.message ?? ''}${since}\n`
  }
  if (view.items.length === 0) return `${out}no history yet: the tag has not been imported\n`
  const rows = view.items.map((i) => [
    i.current ? '*' : '',
    String(i.generation),
    i.image || '(reference)',
    i.created,
    formatAge(i.created, now),
    i.dockerImageReference
  ])
  const columns = ['CURRENT', 'GENERATION', 'IMAGE', 'CREATED', 'AGE', 'REFERENCE']
  if (flags && !flags.headers) return renderRows(columns, rows, false)
  return `${out}\n${renderRows(columns, rows, true)}`
}
