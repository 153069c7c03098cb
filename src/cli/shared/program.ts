/**
 * The `imagestream` CLI: `oc`-like verbs over the same core the action runs.
 * Each verb group lives in src/cli/commands/<group>.ts and exports `register(program)`.
 * Exit codes: 0 success, 1 some import/registry operation failed, 2 invalid input or usage.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OUTPUT_MODES, parseOutputMode, type OutputMode } from '../../report/cli-output.js'
import { InputError } from '../../util/errors.js'
import { EXAMPLES } from './examples.js'

export const EXIT_OK = 0
export const EXIT_FAILED = 1
export const EXIT_USAGE = 2

/** Thrown by a verb to end with a given exit code after it printed its own output. */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`)
  }
}

type Registrar = (program: Command) => void

export function buildProgram(registrars: Registrar[]): Command {
  const program = new Command()
  program
    .name('imagestream')
    .description('OpenShift ImageStreams in Git: import tags to digests, keep their history, bump manifests.')
    .option('-C, --dir <dir>', 'repository root', '.')
    .option(
      '--streams <glob>',
      'where the stream files are (glob, relative to the root)',
      'imagestreams/**/*.{yaml,yml}'
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: (s, write) => write(oneLineError(s)) })
  for (const register of registrars) register(program)
  for (const command of program.commands) addExamples(command, '')
  return program
}

/**
 * The version in the package.json next to this code: three levels up from src/cli/shared/program.ts, one from the bundled
 * dist/cli.js (or its chunks/); the first package.json named imagestream-action going up.
 */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'imagestream-action' && pkg.version) return pkg.version
    } catch {
      // no package.json here: look one level up
    }
  }
  return 'unknown'
}

/** commander's "unknown command 'x'\n(Did you mean y?)" as one line, and a pointer to --help instead of the help. */
function oneLineError(text: string): string {
  const m = /^error: unknown command '([^']*)'\s*\(Did you mean ([^?]+)\?\)/.exec(text)
  if (m) return `error: unknown command '${m[1]}'; did you mean '${m[2]!.trim()}'?\n`
  if (text.startsWith('error: unknown command')) return `${text.trimEnd()} (see imagestream --help)\n`
  return text
}

/** Examples under each verb's --help (what a user types first), from ./examples.ts. */
function addExamples(command: Command, parent: string): void {
  const name = `${parent}${command.name()}`
  const lines = EXAMPLES[name]
  if (lines) command.addHelpText('after', `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`)
  for (const sub of command.commands) addExamples(sub, `${name} `)
}

/** Runs the CLI and returns the exit code (never calls process.exit itself, so tests can call it). */
export async function runCli(argv: string[], registrars: Registrar[]): Promise<number> {
  const program = buildProgram(registrars)
  try {
    await program.parseAsync(argv, { from: 'user' })
    return EXIT_OK
  } catch (err) {
    if (err instanceof ExitCode) return err.code
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
        return EXIT_OK
      return EXIT_USAGE
    }
    if (err instanceof InputError) {
      process.stderr.write(`error: ${err.message}\n`)
      return EXIT_USAGE
    }
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`)
    return EXIT_FAILED
  }
}

/** What a listing verb's action receives from listingOptions(). */
export interface ListingFlags {
  output: OutputMode
  headers: boolean
}

/** `-o table|wide|name|json|yaml|jsonpath=…`, the `oc get` output option (use with `--no-headers`). */
export function listingOutputOption(): Option {
  const parse = (text: string): OutputMode => {
    try {
      return parseOutputMode(text)
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message)
    }
  }
  return new Option('-o, --output <format>', `output format: ${OUTPUT_MODES}`)
    .argParser(parse)
    .default({ kind: 'table' }, 'table')
}

export const NO_HEADERS_HELP = 'print table rows without the header row'
