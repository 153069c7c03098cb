/* Every verb group of the CLI. Add a group here when you add src/cli/commands/<group>.ts. */
import type { Command } from 'commander'
import { register as resolve } from './commands/resolve.js'

export const registrars: Array<(program: Command) => void> = [resolve]
