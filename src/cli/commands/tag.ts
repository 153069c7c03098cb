/**
 * `imagestream tag SOURCE DEST...` and `imagestream tag -d DEST...`: `oc tag` on the state files (rules in
 * stream/rules/tag-command.ts). A DEST naming a stream that has no file yet creates one, as oc creates the stream.
 * Tagging an external image only marks the tag pending; the next `import` (or `sync`) records its digest.
 * Every stream a command touches is written as one unit.
 */
import { Option, type Command } from 'commander'
import type { Document } from 'yaml'
import { deleteTags, tagCommand } from '../../stream/rules/index.js'
import { newStreamFile, parseStreamFile, renderStreamFile } from '../../stream/state-file.js'
import type { ImageStream } from '../../stream/types.js'
import { InputError } from '../../util/errors.js'
import {
  cliClock,
  findStream,
  globals,
  loadRepository,
  newStreamPath,
  notFound,
  nowText,
  streamLookup,
  writeRepositoryFiles
} from '../common.js'

interface TagFlags {
  alias?: boolean
  scheduled?: boolean
  reference?: boolean
  referencePolicy?: string
  importMode?: string
  insecure?: boolean
  source?: string
  delete?: boolean
}

/** The stream part of a DEST (`[ns/]stream:tag`), for grouping; tagCommand validates the rest. */
function destinationStream(dest: string): { namespace?: string; name: string } {
  const slash = dest.indexOf('/')
  const namespace = slash >= 0 ? dest.slice(0, slash) : undefined
  const nameAndTag = slash >= 0 ? dest.slice(slash + 1) : dest
  const colon = nameAndTag.indexOf(':')
  if (colon < 0) throw new InputError(`"${nameAndTag}" must be of the form <stream_name>:<tag>`, { field: 'DEST' })
  const name = nameAndTag.slice(0, colon)
  const validName = /^[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?$/.test(name)
  const validNamespace = namespace === undefined || /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/.test(namespace)
  if (!validName || !validNamespace) {
    throw new InputError(
      `"${dest}" does not name an image stream: expected [namespace/]name:tag with lower-case names`,
      { field: 'DEST' }
    )
  }
  return { ...(namespace ? { namespace } : {}), name }
}

export function register(program: Command): void {
  program
    .command('tag')
    .description(
      'point stream tags at an image or another tag, like `oc tag` (external images are imported by the next `import`)'
    )
    .argument('<args...>', 'SOURCE DEST [DEST...], or DEST... with -d; DEST is [namespace/]stream:tag')
    .option('--alias', 'DEST tracks the source tag (same stream only), instead of a snapshot of its current image')
    .option('--scheduled', 'import the external image periodically (every `imagestream import`)')
    .option('--reference', 'DEST only references the source: it is never imported')
    .addOption(new Option('--reference-policy <policy>', 'how consumers pull it').choices(['source', 'local']))
    .addOption(new Option('--import-mode <mode>', 'OpenShift importMode').choices(['Legacy', 'PreserveOriginal']))
    .option('--insecure', 'the registry may use plain http or an unverified certificate')
    .option('--source <kind>', 'source kind instead of inferring it: docker, istag or isimage')
    .option('-d, --delete', 'delete the named tags (spec and history)')
    .action(async (args: string[], flags: TagFlags, command: Command) => {
      const options = globals(command)
      const now = nowText(cliClock())
      const repo = await loadRepository(options)
      let source: string | undefined
      let destinations = args
      if (!flags.delete) {
        if (args.length < 2) {
          throw new InputError('you must specify a source and at least one destination or one or more tags to delete')
        }
        source = args[0]
        destinations = args.slice(1)
      }

      // oc tag accepts destinations in several streams: each stream gets its own rule call.
      const groups = new Map<string, { namespace?: string; name: string; dests: string[] }>()
      for (const dest of destinations) {
        const s = destinationStream(dest)
        const key = `${s.namespace ?? ''}/${s.name}`
        const group = groups.get(key) ?? { ...s, dests: [] }
        group.dests.push(dest)
        groups.set(key, group)
      }

      const lookup = streamLookup(repo.streams)
      const files: Array<{ path: string; text: string }> = []
      const messages: string[] = []
      const createdFiles: string[] = []
      for (const group of groups.values()) {
        const loaded = findStream(repo.streams, group.name, group.namespace)
        if (flags.delete) {
          if (!loaded) throw notFound(group.name, group.namespace)
          const result = deleteTags(loaded.stream, group.dests, {
            sourceKind: flags.source,
            alias: flags.alias,
            scheduled: flags.scheduled,
            insecure: flags.insecure
          })
          files.push({ path: loaded.file, text: renderStreamFile(loaded, result.stream) })
          messages.push(...result.messages)
          continue
        }
        let original: { text: string; document?: Document }
        let path: string
        let stream: ImageStream
        if (loaded) {
          original = loaded
          path = loaded.file
          stream = loaded.stream
        } else {
          const text = newStreamFile(group.name, group.namespace)
          path = newStreamPath(options.streamsGlob, group.name, group.namespace)
          if (files.some((f) => f.path === path)) {
            throw new InputError(`two new streams would both be written to ${path}`)
          }
          const parsed = parseStreamFile(text, path)
          original = { text, document: parsed.document }
          stream = parsed.stream!
          createdFiles.push(path)
        }
        const result = tagCommand(stream, source!, group.dests, now, {
          source: flags.source,
          alias: flags.alias,
          reference: flags.reference,
          referencePolicy: flags.referencePolicy,
          importMode: flags.importMode,
          scheduled: flags.scheduled,
          insecure: flags.insecure,
          lookup
        })
        files.push({ path, text: renderStreamFile(original, result.stream) })
        messages.push(...result.messages)
      }
      await writeRepositoryFiles(options.root, files)
      for (const m of messages) process.stdout.write(`${m}\n`)
      for (const f of createdFiles) process.stdout.write(`Created ${f} for the new image stream.\n`)
    })
}
