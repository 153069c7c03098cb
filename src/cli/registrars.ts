/* Every verb group of the CLI. Add a group here when you add src/cli/commands/<group>.ts. */
import type { Command } from 'commander'

export const registrars: Array<(program: Command) => void> = []
