/**
 * The action's inputs and event → a pipeline command. `command` picks the verb; `args` holds the words a person
 * would type after `imagestream VERB` (parsed with the same flags), and the event's import request becomes the
 * intent of `import` and `sync`.
 */
import { parseArgs } from 'node:util'
import type { Command, ImportIntent } from '../pipeline/commands.js'
import { parseStreamTag, streamTagProblem } from '../reference/names.js'
import { InputError } from '../util/errors.js'
import type { Settings } from './settings.js'

const FIELD = 'input args'

type WordOptions = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>

function parseWords(
  settings: Settings,
  options: WordOptions
): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: settings.args, options, allowPositionals: true, strict: true })
    return { values: values as Record<string, unknown>, positionals }
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '')
    throw new InputError(`${message} (for command ${settings.command})`, { field: FIELD })
  }
}

function streamTag(text: string): { namespace?: string; name: string; tag: string } {
  const parsed = parseStreamTag(text, true)
  if (!parsed) {
    throw new InputError(
      `expected [namespace/]stream:tag; got ${JSON.stringify(text)}: ${streamTagProblem(text, true)}`,
      {
        field: FIELD
      }
    )
  }
  return { ...parsed, tag: parsed.tag! }
}

export function commandFromSettings(settings: Settings, intent: ImportIntent): Command {
  switch (settings.command) {
    case 'sync':
    case 'import':
      return { verb: settings.command, intent }
    case 'apply-triggers':
      return { verb: 'apply-triggers' }
    case 'rollback':
      return rollbackCommand(settings)
    case 'resume': {
      const { positionals } = parseWords(settings, {})
      if (positionals.length !== 1)
        throw new InputError('resume takes one STREAM:TAG, e.g. "web:prod"', { field: FIELD })
      return { verb: 'resume', target: streamTag(positionals[0]!) }
    }
    case 'tag':
      return tagCommand(settings)
    case 'deliver':
      return { verb: 'combine-shards', results: settings.shardResults }
    case 'plan':
      throw new InputError('plan computes no change: the action answers it before any command runs', {
        field: 'input command'
      })
  }
}

function rollbackCommand(settings: Settings): Command {
  const { values, positionals } = parseWords(settings, { 'to-generation': { type: 'string' }, to: { type: 'string' } })
  if (positionals.length !== 1) {
    throw new InputError('rollback takes one STREAM:TAG, e.g. "web:prod --to-generation 3"', { field: FIELD })
  }
  const generation = values['to-generation'] as string | undefined
  const digest = values.to as string | undefined
  if ((generation === undefined) === (digest === undefined)) {
    throw new InputError('rollback needs exactly one of --to-generation N or --to DIGEST', { field: FIELD })
  }
  if (generation !== undefined && !/^\d+$/.test(generation)) {
    throw new InputError(`--to-generation must be a whole number; got ${JSON.stringify(generation)}`, { field: FIELD })
  }
  const to = generation !== undefined ? { toGeneration: Number(generation) } : { toDigest: digest! }
  return { verb: 'rollback', target: streamTag(positionals[0]!), to }
}

function tagCommand(settings: Settings): Command {
  const { values, positionals } = parseWords(settings, {
    alias: { type: 'boolean' },
    scheduled: { type: 'boolean' },
    reference: { type: 'boolean' },
    'reference-policy': { type: 'string' },
    'import-mode': { type: 'string' },
    insecure: { type: 'boolean' },
    source: { type: 'string' },
    delete: { type: 'boolean', short: 'd' }
  })
  const remove = values.delete === true
  if (!remove && positionals.length < 2) {
    throw new InputError('tag takes SOURCE DEST..., e.g. "web:1.4 web:prod" (or -d DEST... to delete)', {
      field: FIELD
    })
  }
  const flag = (name: string): boolean | undefined => (values[name] === true ? true : undefined)
  return {
    verb: 'tag',
    delete: remove,
    ...(remove ? {} : { source: positionals[0] }),
    destinations: remove ? positionals : positionals.slice(1),
    flags: {
      alias: flag('alias'),
      scheduled: flag('scheduled'),
      reference: flag('reference'),
      insecure: flag('insecure'),
      referencePolicy: values['reference-policy'] as string | undefined,
      importMode: values['import-mode'] as string | undefined,
      source: values.source as string | undefined
    }
  }
}
