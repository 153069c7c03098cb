/* The CLI entry (dist/cli.js, `bin/imagestream.js`): wires the verb groups and exits with the verb's code. */
import { runCli } from './shared/program.js'
import { registrars } from './registrars.js'
import { keepShortLivedDocumentsYoung } from '../util/v8-heap.js'

keepShortLivedDocumentsYoung()

// `imagestream get is | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw err
  })
}

runCli(process.argv.slice(2), registrars).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`error: ${String(err)}\n`)
    process.exitCode = 1
  }
)
