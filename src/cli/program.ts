/**
 * The `imagestream` CLI: `oc`-like verbs over the same core the action runs.
 * Each verb group lives in src/cli/commands/<group>.ts and exports `register(program)`.
 * Exit codes: 0 success, 1 some import/registry operation failed, 2 invalid input or usage.
 */
import { Command, CommanderError } from 'commander'
import { InputError } from '../util/errors.js'

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
    .option('--streams <glob>', 'where the stream files are (glob, relative to the root)', 'imagestreams/**/*.{yaml,yml}')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  for (const register of registrars) register(program)
  return program
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
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT_OK
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
