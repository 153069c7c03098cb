/* The CLI entry (dist/cli.js, `bin/imagestream.js`): wires the verb groups and exits with the verb's code. */
import { runCli } from './program.js'
import { registrars } from './registrars.js'

runCli(process.argv.slice(2), registrars).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`error: ${String(err)}\n`)
    process.exitCode = 1
  }
)
