/* Every verb group of the CLI. Add a group here when you add src/cli/commands/<group>.ts. */
import type { Command } from 'commander'
import { register as holds } from './commands/holds.js'
import { register as importImage } from './commands/import-image.js'
import { register as pipeline } from './commands/pipeline.js'
import { register as policy } from './commands/policy.js'
import { register as resolve } from './commands/resolve.js'
import { register as streams } from './commands/streams.js'
import { register as tag } from './commands/tag.js'
import { register as triggers } from './commands/triggers.js'

/** What every verb shares and `--help` should say once: the environment it reads and the exit codes. */
function environment(program: Command): void {
  program.addHelpText(
    'after',
    `
Environment:
  DOCKER_CONFIG     directory of the docker config.json with registry credentials (default ~/.docker)
  GITHUB_TOKEN      used for ghcr.io when the docker config has no credentials for it
  IMAGESTREAM_NOW   RFC 3339 time (2024-05-02T09:15:03Z) used as "now" for everything written and every age
                    printed; for tests and reproducible demos only, never for real runs

Exit status: 0 success, 1 an import failed, 2 invalid input or usage (errors name file:line or the option).`
  )
}

export const registrars: Array<(program: Command) => void> = [
  streams,
  tag,
  importImage,
  pipeline,
  holds,
  triggers,
  policy,
  resolve,
  environment
]
