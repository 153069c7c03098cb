/**
 * What every `imagestream` verb shares: the global options, the clock, loading the state files, finding a stream
 * by `[namespace/]name`, writing files, the registry settings of importing verbs, and output formats.
 * The verbs stay thin: parse flags, call the core, print.
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { InvalidArgumentError, Option, type Command } from 'commander'
import picomatch from 'picomatch'
import { stringify } from 'yaml'
import { pinnedDigests as pinnedIn } from '../pipeline/run.js'
import { writeFiles, recoverInterruptedWrite } from '../pipeline/write-files.js'
import { createRegistryClient, type InstrumentedRegistryClient } from '../registry/client.js'
import { dockerConfigPath } from '../registry/docker-config.js'
import { parsePlatform } from '../registry/platform.js'
import type { Platform } from '../registry/types.js'
import { renderTable } from '../report/table.js'
import { loadStreams, type LoadedStream } from '../stream/state-store.js'
import type { ImageStream } from '../stream/types.js'
import { scanManifests } from '../triggers/scan.js'
import { rfc3339Seconds, systemClock, type Clock } from '../util/clock.js'
import { formatDiagnostic, InputError, type Diagnostic } from '../util/errors.js'
import { EXIT_USAGE, ExitCode } from './program.js'

export interface GlobalOptions {
  /** Absolute path of the repository root (-C). */
  root: string
  /** --streams */
  streamsGlob: string
}

/** The global options as seen from a verb (commander keeps them on the root command). */
export function globals(command: Command): GlobalOptions {
  const all = command.optsWithGlobals() as { dir?: string; streams?: string }
  const root = resolveDir(all.dir ?? '.')
  return { root, streamsGlob: all.streams || 'imagestreams/**/*.{yaml,yml}' }
}

function resolveDir(dir: string): string {
  const abs = resolve(process.cwd(), dir)
  if (!existsSync(abs)) throw new InputError(`directory "${dir}" does not exist`, { field: '-C/--dir' })
  return abs
}

/**
 * The CLI's clock. IMAGESTREAM_NOW (RFC 3339, e.g. 2024-05-02T09:15:03Z) fixes "now" for every timestamp a verb
 * writes or ages it prints: for tests and reproducible demos only, never for real use (history would lie).
 */
export function cliClock(env: NodeJS.ProcessEnv = process.env): Clock {
  const fixed = env.IMAGESTREAM_NOW
  if (fixed === undefined || fixed === '') return systemClock
  const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/
  const ms = Date.parse(fixed)
  if (!rfc3339.test(fixed) || Number.isNaN(ms)) {
    throw new InputError(`"${fixed}" is not an RFC 3339 time such as 2024-05-02T09:15:03Z`, {
      field: 'IMAGESTREAM_NOW'
    })
  }
  return { now: () => new Date(ms) }
}

export function nowText(clock: Clock): string {
  return rfc3339Seconds(clock.now())
}

export function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`)
}

export interface Repository extends GlobalOptions {
  streams: LoadedStream[]
  diagnostics: Diagnostic[]
}

/**
 * Reads every state file. A write that a killed run left half done is finished first (the pipeline's journal), so
 * no verb ever reads a tree between two states. Bad files are printed as diagnostics and skipped.
 */
export async function loadRepository(options: GlobalOptions, { quiet = false } = {}): Promise<Repository> {
  await recoverInterruptedWrite(options.root)
  const { streams, diagnostics } = await loadStreams(options.root, options.streamsGlob)
  if (!quiet) printDiagnostics(diagnostics)
  return { ...options, streams, diagnostics }
}

export function streamLabel(stream: ImageStream): string {
  return stream.metadata.namespace ? `${stream.metadata.namespace}/${stream.metadata.name}` : stream.metadata.name
}

export interface StreamTagName {
  namespace?: string
  name: string
  tag?: string
}

/** `[namespace/]name[:tag]`: a DNS label, a DNS subdomain, a tag as oc's TAG_NAME_PATTERN. */
const STREAM_TAG = new RegExp(
  String.raw`^(?:([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)/)?` + // namespace
    String.raw`([a-z0-9](?:[-a-z0-9._]*[a-z0-9])?)` + // name
    String.raw`(?::([\w][\w.-]{0,127}))?$` // tag
)

/** `[namespace/]name[:tag]`; `requireTag` makes the tag mandatory (history, rollback, …). */
export function parseStreamTag(text: string, field: string, requireTag = false): StreamTagName {
  const m = STREAM_TAG.exec(text)
  if (!m) {
    throw new InputError(
      `"${text}" is not ${requireTag ? 'a stream tag [namespace/]name:tag' : 'a stream name [namespace/]name'}`,
      { field }
    )
  }
  if (requireTag && !m[3]) throw new InputError(`"${text}" names no tag; use [namespace/]name:tag`, { field })
  return { ...(m[1] ? { namespace: m[1] } : {}), name: m[2]!, ...(m[3] ? { tag: m[3] } : {}) }
}

/**
 * The stream called `name` (in `namespace` when given). Without a namespace, a stream without one wins; otherwise
 * the name must be unique across namespaces. Undefined when there is none.
 */
export function findStream<T extends { stream: ImageStream; file?: string }>(
  streams: readonly T[],
  name: string,
  namespace?: string
): T | undefined {
  const named = streams.filter((s) => s.stream.metadata.name === name)
  if (namespace !== undefined) return named.find((s) => (s.stream.metadata.namespace ?? '') === namespace)
  const bare = named.filter((s) => !s.stream.metadata.namespace)
  if (bare.length === 1) return bare[0]
  if (named.length > 1) {
    const where = named.map((s) => (s.file ? `${streamLabel(s.stream)} in ${s.file}` : streamLabel(s.stream)))
    throw new InputError(`"${name}" names ${named.length} streams (${where.join(', ')}); use namespace/${name}`)
  }
  return named[0]
}

/** oc's NotFound, as an input error (exit 2): the person named something that is not there. */
export function notFound(name: string, namespace?: string): InputError {
  return new InputError(`imagestreams.image.openshift.io "${namespace ? `${namespace}/` : ''}${name}" not found`)
}

export function requireStream(repo: Repository, name: string, namespace?: string): LoadedStream {
  const found = findStream(repo.streams, name, namespace)
  if (!found) throw notFound(name, namespace)
  return found
}

/** A lookup of other streams for the rules (istag snapshots across streams). */
export function streamLookup(streams: readonly LoadedStream[]) {
  return (namespace: string, name: string): ImageStream | undefined =>
    streams.find((s) => s.stream.metadata.name === name && (s.stream.metadata.namespace ?? '') === namespace)?.stream
}

/**
 * Where a new stream's file goes: `<the glob's directory>/<name>.yaml` (`<namespace>-<name>.yaml` for a namespaced
 * stream, so two namespaces can hold the same name). Refused when the glob would not read it back.
 */
export function newStreamPath(streamsGlob: string, name: string, namespace?: string): string {
  const base = picomatch.scan(streamsGlob).base
  const file = `${namespace ? `${namespace}-` : ''}${name}.yaml`
  const path = base ? `${base}/${file}` : file
  if (!picomatch(streamsGlob, { dot: false })(path)) {
    throw new InputError(
      `a new stream file would be ${path}, which --streams "${streamsGlob}" does not match; ` +
        'create it by hand or change --streams',
      { field: '--streams' }
    )
  }
  return path
}

/** Writes files (relative to the root) as one unit; creates missing directories for new files. */
export async function writeRepositoryFiles(
  root: string,
  files: ReadonlyArray<{ path: string; text: string }>
): Promise<string[]> {
  for (const f of files) await mkdir(dirname(join(root, f.path)), { recursive: true })
  return writeFiles(root, files)
}

/** `wide` is the table with extra columns (`get -o wide`). */
export type OutputFormat = 'table' | 'wide' | 'yaml' | 'json'

export function outputOption(
  defaultFormat: OutputFormat = 'table',
  choices: OutputFormat[] = ['table', 'yaml', 'json']
): Option {
  return new Option('-o, --output <format>', 'output format').choices(choices).default(defaultFormat)
}

/** JSON/YAML of `data`, or the table/text from `text()`. */
export function printData(format: OutputFormat, data: unknown, text: () => string): void {
  if (format === 'json') process.stdout.write(`${JSON.stringify(data, null, 2)}\n`)
  else if (format === 'yaml') process.stdout.write(stringify(data, { lineWidth: 0 }))
  else process.stdout.write(text())
}

export function table(columns: string[], rows: string[][]): string {
  return renderTable(columns, rows)
}

// ---- registry settings (verbs that import) ----

export interface RegistryFlags {
  platform?: string
  concurrency?: number
  historyLimit?: number
  dockerConfig?: string
  allowedRegistries?: string[]
  insecureRegistry?: string[]
}

function integerArg(min: number, allowMinusOne = false) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number.')
    const n = Number(value)
    if (allowMinusOne && n === -1) return n
    if (n < min) {
      throw new InvalidArgumentError(`must be at least ${min}${allowMinusOne ? ' (or -1 for no limit)' : ''}.`)
    }
    return n
  }
}

function commaList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((s) => s.trim()).filter(Boolean)]
}

function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}

export function addRegistryOptions(command: Command): Command {
  return command
    .option('--platform <os/arch[/variant]>', 'platform a Legacy import picks from an index (default linux/amd64)')
    .option('--concurrency <n>', 'registry requests in flight at once (default 16)', integerArg(1))
    .option('--history-limit <n>', 'history items kept per tag (default 10; -1 keeps all)', integerArg(1, true))
    .option(
      '--docker-config <file>',
      'docker config.json with credentials (default $DOCKER_CONFIG/config.json or ~/.docker/config.json)'
    )
    .option(
      '--allowed-registries <list>',
      'comma-separated hosts or host/path prefixes tags may import from',
      commaList
    )
    .option(
      '--insecure-registry <host>',
      'allow plain http and unverified TLS for this registry (repeatable)',
      repeatable
    )
}

export interface RegistrySettings {
  client: InstrumentedRegistryClient
  platform?: Platform
  historyLimit?: number
  allowedRegistries: string[]
}

/** The registry client of an importing verb. Secrets are never printed: the CLI registers them nowhere else. */
export function registryFromFlags(flags: RegistryFlags): RegistrySettings {
  let platform: Platform | undefined
  if (flags.platform) {
    try {
      platform = parsePlatform(flags.platform)
    } catch (err) {
      throw new InputError((err as Error).message, { field: '--platform' })
    }
  }
  const client = createRegistryClient({
    dockerConfigFile: flags.dockerConfig ?? dockerConfigPath(process.env, homedir()),
    githubToken: process.env.GITHUB_TOKEN || undefined,
    ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
    ...(flags.insecureRegistry?.length ? { insecureRegistries: flags.insecureRegistry } : {}),
    ...(platform ? { platform } : {}),
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`)
  })
  return { client, platform, historyLimit: flags.historyLimit, allowedRegistries: flags.allowedRegistries ?? [] }
}

/** Digests pinned by the repository's manifests: history retention never prunes them. */
export async function pinnedDigests(options: GlobalOptions): Promise<Set<string>> {
  return pinnedIn((await scanManifests(options.root, { streamGlob: options.streamsGlob })).files)
}

/** A DockerConfigError (bad config.json) is the person's input: exit 2 with its message. */
export function isDockerConfigError(err: unknown): boolean {
  return err instanceof Error && err.name === 'DockerConfigError'
}

/** Runs `work` with a registry client and always closes it; a bad docker config.json ends the verb with exit 2. */
export async function usingRegistry<T>(client: { close(): Promise<void> } | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (isDockerConfigError(err)) {
      process.stderr.write(`error: ${(err as Error).message}\n`)
      throw new ExitCode(EXIT_USAGE)
    }
    throw err
  } finally {
    await client?.close()
  }
}
