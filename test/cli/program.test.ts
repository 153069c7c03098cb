/** What the CLI says about itself and about a mistyped command: --version, unknown commands, examples in help. */
import { afterAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { buildProgram } from '../../src/cli/shared/program.js'
import { registrars } from '../../src/cli/registrars.js'
import { ROOT } from '../support/action-runner.js'
import { sandbox } from './helpers.js'

const box = sandbox()
afterAll(() => box.cleanup())
const NOW = '2026-01-01T00:00:00Z'

describe('imagestream --version', () => {
  it("prints package.json's version and exits 0", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    expect(await box.run(NOW, '--version')).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' })
  })
})

describe('an unknown command', () => {
  it('says what was meant in one line, without the help, and exits 2', async () => {
    const run = await box.run(NOW, 'improt')
    expect(run).toEqual({ code: 2, stdout: '', stderr: "error: unknown command 'improt'; did you mean 'import'?\n" })
  })

  it('with nothing close, points at --help in one line', async () => {
    const run = await box.run(NOW, 'frobnicate')
    expect(run.code).toBe(2)
    expect(run.stderr).toBe("error: unknown command 'frobnicate' (see imagestream --help)\n")
  })

  it('an unknown option is one line too (no help dump)', async () => {
    const run = await box.run(NOW, 'get', 'is', '--bogus')
    expect(run.code).toBe(2)
    expect(run.stderr.trim().split('\n')).toEqual(["error: unknown option '--bogus'"])
  })
})

describe('errors say what is wrong once', () => {
  it('a bad SOURCE reference names SOURCE once', async () => {
    const run = await box.run(NOW, 'tag', 'bad ref!!', 'web:x')
    expect(run.code).toBe(2)
    expect(run.stderr.match(/SOURCE/g)).toHaveLength(1)
    expect(run.stderr).toContain('"bad ref!!" contains whitespace')
  })
})

describe('examples', () => {
  const leaves = (command: Command, parent = ''): Array<[string, Command]> =>
    command.commands.flatMap((c) => {
      const name = `${parent}${c.name()}`
      return c.commands.length ? leaves(c, `${name} `) : [[name, c] as [string, Command]]
    })
  const all = leaves(buildProgram(registrars))

  it.each(all)('`imagestream %s --help` ends with examples of that verb', async (name) => {
    const run = await box.run(NOW, ...name.split(' '), '--help')
    expect(run.code).toBe(0)
    const examples = run.stdout.slice(run.stdout.indexOf('\nExamples:\n') + 1)
    expect(examples).toMatch(new RegExp(`^Examples:\\n(  imagestream (-C \\S+ )?${name}( .*)?\\n)+\\n?$`))
  })
})
