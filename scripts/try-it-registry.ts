/**
 * The loopback registry of `npm run try-it` (run with tsx): the same harness the tests use (test/support/registry.ts,
 * Debian's docker-registry on 127.0.0.1 with an OS-chosen port), driven from a shell script.
 *
 *   tsx scripts/try-it-registry.ts serve STATE.json     starts it; writes {host, pid, registryPid}; stops on SIGTERM/SIGINT
 *   tsx scripts/try-it-registry.ts push HOST REPO TAG SEED [LABEL=VALUE...]   pushes a small image, prints its digest
 */
import { writeFileSync } from 'node:fs'
import { pushImage, startRegistry } from '../test/support/registry.js'

async function serve(stateFile: string): Promise<void> {
  const reg = await startRegistry({ auth: 'open' })
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    reg.stop().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  writeFileSync(stateFile, JSON.stringify({ host: reg.host, pid: process.pid, registryPid: reg.pid }))
  // Stay alive until signalled: the registry is a child of this process.
  setInterval(() => {}, 1 << 30)
}

async function push(host: string, repo: string, tag: string, seed: string, labels: string[]): Promise<void> {
  if (!/^127\.0\.0\.1:\d+$/.test(host)) throw new Error(`try-it pushes to the loopback registry only, not ${host}`)
  const target = { url: `http://${host}`, authHeaders: async () => ({}) }
  const pushed = await pushImage(target, repo, tag, {
    seed,
    labels: Object.fromEntries(labels.map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string])),
    created: new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  })
  process.stdout.write(`${pushed.digest}\n`)
}

const [command, ...args] = process.argv.slice(2)
const main = command === 'serve' && args[0] ? serve(args[0]) : command === 'push' && args.length >= 4 ? push(args[0]!, args[1]!, args[2]!, args[3]!, args.slice(4)) : undefined
if (!main) {
  process.stderr.write('usage: try-it-registry.ts serve STATE.json | push HOST REPO TAG SEED [LABEL=VALUE...]\n')
  process.exit(2)
}
main.catch((err: unknown) => {
  process.stderr.write(`try-it-registry: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
