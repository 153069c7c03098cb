/**
 * What every `imagestream` verb shares: the global options, the clock, loading the state files, finding a stream
 * by `[namespace/]name`, writing files, the registry settings of importing verbs, and output formats.
 * The verbs stay thin: parse flags, call the core, print.
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { resolve } from 'node:path'
import { InvalidArgumentError, Option, type Command } from 'commander'
import { stringify } from 'yaml'
import { DEFAULT_STREAM_GLOB } from '../../defaults.js'
import type { CommandResult, Workspace } from '../../pipeline/execute.js'
import { findStream, notFound } from '../../pipeline/find-stream.js'
import { readStreams, type LoadedStream } from '../../pipeline/read.js'
import { parseStreamTag as parseName, streamTagProblem, type StreamTagName } from '../../reference/names.js'
import {
  createRegistryClient,
  dockerConfigPath,
  parsePlatform,
  type InstrumentedRegistryClient,
  type Platform
} from '../../registry/index.js'
import { renderTable } from '../../report/table.js'
import { rfc3339Seconds, systemClock, type Clock } from '../../util/clock.js'
import { formatDiagnostic, InputError, type Diagnostic } from '../../util/errors.js'
import { EXIT_USAGE, ExitCode } from './program.js'

export { findStream, newStreamPath, notFound, streamLabel } from '../../pipeline/find-stream.js'
export type { StreamTagName }

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
  return { root, streamsGlob: all.streams || DEFAULT_STREAM_GLOB }
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
  const { streams, diagnostics } = await readStreams(options.root, options.streamsGlob)
  if (!quiet) printDiagnostics(diagnostics)
  return { ...options, streams, diagnostics }
}

/** `[namespace/]name[:tag]` (reference/names.ts holds the rule); `requireTag` makes the tag mandatory. */
export function parseStreamTag(text: string, field: string, requireTag: true): StreamTagName & { tag: string }
export function parseStreamTag(text: string, field: string, requireTag?: boolean): StreamTagName
export function parseStreamTag(text: string, field: string, requireTag = false): StreamTagName {
  const parsed = parseName(text, requireTag)
  if (!parsed && requireTag && parseName(text)) {
    throw new InputError(`"${text}" names no tag; use [namespace/]name:tag`, { field })
  }
  if (!parsed) {
    const problem = streamTagProblem(text, requireTag)
    const what = requireTag ? 'a stream tag [namespace/]name:tag' : 'a stream name [namespace/]name'
    throw new InputError(`"${text}" is not ${what}: ${problem}`, { field })
  }
  return parsed
}

export function requireStream(repo: Repository, name: string, namespace?: string): LoadedStream {
  const found = findStream(repo.streams, name, namespace)
  if (!found) throw notFound(name, namespace)
  return found
}

/** The workspace of a verb: the repository, its stream glob, and the CLI's clock; writes unless told otherwise. */
export function cliWorkspace(options: GlobalOptions, extra: Partial<Workspace> = {}): Workspace {
  return { root: options.root, streamsGlob: options.streamsGlob, now: cliClock().now(), write: true, ...extra }
}

/** What a stream command prints: oc's messages, then each manifest line that followed a moved tag. */
export function printResultLines(result: CommandResult): void {
  printDiagnostics(result.diagnostics)
  for (const m of result.messages) process.stdout.write(`${m}\n`)
  for (const e of result.edits) {
    process.stdout.write(`${e.file}:${e.line}: ${e.oldValue ?? '(unset)'} → ${e.newValue} (${e.from})\n`)
  }
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

/** A repeatable option whose values may also be comma-separated (`-c a,b -c c`). */
export function commaList(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  ]
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

/** A DockerConfigError (bad config.json) is the person's input: exit 2 with its message. */
export function isDockerConfigError(err: unknown): boolean {
  return err instanceof Error && err.name === 'DockerConfigError'
}

/** Runs `work` with a registry client and always closes it; a bad docker config.json ends the verb with exit 2. */
export async function usingRegistry<T>(
  client: { close(): Promise<void> } | undefined,
  work: () => Promise<T>
): Promise<T> {
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
