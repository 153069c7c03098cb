/**
 * What `oc` prints for streams, as text and rows (no terminal I/O here):
 *  - describeImageStream: `oc describe is` (DescribeImageStream in [oc] pkg/helpers/describe/describer.go, with
 *    formatMeta, formatString, formatMapStringString and formatImageStreamTags of helpers.go): tab-padded by Go's
 *    tabwriter (./tabwriter.ts), `<none>` for an empty value, aliases grouped as `tag (alias1, alias2)`, "tagged
 *    from …", "updates automatically from registry …", "prefer registry pullthrough when referencing this tag",
 *    "~ importing latest image ...", "! error: Import failed (Reason): message", `* ` on items[0] with ages in
 *    docker's HumanDuration; plus our holds ("held at … since …; newer upstream …").
 *  - getImageStreams / getImageStreamTags: the `oc get is` / `oc get istag` columns
 *    ([oas] pkg/image/printers/internalversion/printer.go printImageStream, printTagsUpToWidth, printImageStreamTag).
 * The stream rules (aliases, holds, pending imports, tag order) are applied by pipeline/views.ts; this only prints.
 */
import type { ImageStreamTagRow, StreamDescription, TagDescription } from '../pipeline/views.js'
import type { ImageStream, TagReference } from '../stream/types.js'
import { tabwrite } from './tabwriter.js'

export interface Table {
  columns: string[]
  rows: string[][]
}

/** docker/go-units HumanDuration, as oc prints ages. */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000)
  if (seconds < 1) return 'Less than a second'
  if (seconds === 1) return '1 second'
  if (seconds < 60) return `${seconds} seconds`
  const minutes = Math.floor(seconds / 60)
  if (minutes === 1) return 'About a minute'
  if (minutes < 60) return `${minutes} minutes`
  const hours = Math.round(milliseconds / 3_600_000)
  if (hours === 1) return 'About an hour'
  if (hours < 48) return `${hours} hours`
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`
  return `${Math.floor(milliseconds / 3_600_000 / 24 / 365)} years`
}

function ago(now: number, then: string | undefined): string {
  if (!then) return '<unknown>'
  const ms = now - Date.parse(then)
  return Number.isNaN(ms) ? '<unknown>' : `${humanDuration(ms)} ago`
}

/**
 * formatString: `Label:` then each line of the value in the column after it (`<none>` when empty), so a
 * multi-line value stays inside the layout.
 */
function formatString(label: string, value: string): string {
  return `${label}:${(value || '<none>')
    .split('\n')
    .map((line) => `\t${line}\n`)
    .join('')}`
}

/**
 * formatMapStringString: `key=value` lines under one label, keys sorted. oc splits only the first entry's value on
 * line breaks; every entry is split here, so a multi-line annotation that is not first does not end the tab block
 * (which would shift every label after it).
 */
function formatMap(label: string, map: Record<string, string> | null | undefined): string {
  const keys = Object.keys(map ?? {}).sort()
  if (keys.length === 0) return formatString(label, '')
  return keys
    .map((k, i) => (i === 0 ? formatString(label, `${k}=${map![k]}`) : formatString('', `${k}=${map![k]}`).slice(1)))
    .join('')
}

/** `oc describe is <name>` for one stream, as of `now` (RFC 3339). */
export function describeImageStream(view: StreamDescription, now: string): string {
  const { stream } = view
  const at = Date.parse(now)
  let out = formatString('Name', stream.metadata.name)
  if (stream.metadata.namespace) out += formatString('Namespace', stream.metadata.namespace)
  const created = stream.metadata.creationTimestamp
  if (typeof created === 'string' && created) out += `Created:\t${ago(at, created)}\n`
  out += formatMap('Labels', stream.metadata.labels)
  const { description, ...annotations } = view.annotations
  if (description) out += formatString('Description', description)
  out += formatMap('Annotations', annotations)
  const repository = stream.status?.publicDockerImageRepository || stream.status?.dockerImageRepository || ''
  out += formatString('Image Repository', repository)
  out += formatString('Image Lookup', `local=${stream.spec.lookupPolicy?.local === true}`)
  if (view.tagCount === 0) return tabwrite(`${out}Tags:\t<none>\n`)
  out += `Unique Images:\t${view.uniqueImages}\nTags:\t${view.tagCount}\n\n`
  out += view.tags.map((tag) => describeTag(stream, tag, at)).join('\n')
  return tabwrite(out)
}

function describeTag(stream: ImageStream, tag: TagDescription, now: number): string {
  let out = tag.aliases.length > 0 ? `${tag.name} (${tag.aliases.join(', ')})\n` : `${tag.name}\n`
  out += describeSource(stream, tag.spec)
  out += '\n'

  const annotations = tag.spec?.annotations ?? {}
  let extra = ''
  if (annotations.description) extra += `  ${annotations.description}\n`
  if (annotations.tags) extra += `  Tags: ${annotations.tags.split(',').join(', ')}\n`
  if (annotations.supports) extra += `  Supports: ${annotations.supports.split(',').join(', ')}\n`
  if (annotations.sampleRepo) extra += `  Example Repo: ${annotations.sampleRepo}\n`
  if (extra) out += `${extra}\n`

  if (tag.importing) out += '  ~ importing latest image ...\n'
  for (const c of tag.status?.conditions ?? []) {
    if (c.type === 'ImportSuccess' && c.status === 'False') {
      out += `  ! error: Import failed (${c.reason ?? ''}): ${c.message ?? ''}\n      ${ago(now, c.lastTransitionTime)}\n`
    }
  }
  if (tag.hold) {
    const { digest, since, upstream } = tag.hold
    out += `  held at ${digest} since ${since}${upstream && upstream !== digest ? `; newer upstream ${upstream}` : ''}\n`
  }
  const items = tag.status?.items ?? []
  const lines = new Array<string>(items.length)
  for (let i = 0; i < items.length; i++) {
    const event = items[i]!
    const atSign = event.dockerImageReference.lastIndexOf('@')
    const id = atSign >= 0 ? event.dockerImageReference.slice(atSign + 1) : ''
    const age = ago(now, event.created)
    const image = event.image && id !== event.image ? `\t${event.image}` : ''
    lines[i] = `${i === 0 ? '  * ' : '    '}${event.dockerImageReference}\n      ${age}${image}\n`
  }
  return out + lines.join('')
}

/** The lines under a tag saying where its image comes from (the spec tag's source, as `oc describe is` prints it). */
function describeSource(stream: ImageStream, ref: TagReference | undefined): string {
  if (!ref) return '  no spec tag\n'
  if (!ref.from) return `  tag without source image\n${pullthrough(ref)}`
  const { kind, namespace } = ref.from
  const name = namespace && namespace !== stream.metadata.namespace ? `${namespace}/${ref.from.name}` : ref.from.name
  const scheduled = ref.importPolicy?.scheduled === true
  let out: string
  if (kind === 'ImageStreamTag' || kind === 'DockerImage') {
    const registry = kind === 'DockerImage' ? 'registry ' : ''
    out = ref.reference
      ? `  reference to ${registry}${name}\n`
      : scheduled
        ? `  updates automatically from ${registry}${name}\n`
        : `  tagged from ${name}\n`
  } else if (kind === 'ImageStreamImage') {
    out = ref.reference ? `  reference to image ${name}\n` : `  tagged from ${name}\n`
  } else {
    out = ref.reference ? `  reference to ${kind} ${name}\n` : `  updates from ${kind} ${name}\n`
  }
  if (ref.importPolicy?.insecure) out += '    will use insecure HTTPS or HTTP connections\n'
  return out + pullthrough(ref)
}

function pullthrough(ref: TagReference): string {
  return ref.referencePolicy?.type === 'Local' ? '    prefer registry pullthrough when referencing this tag\n' : ''
}

/** printTagsUpToWidth: newest-updated tags first, as many as fit in `width`, then "+ N more...". */
export function printTagsUpToWidth(stream: ImageStream, width = 40): string {
  const statusTags = stream.status?.tags ?? []
  let tags = statusTags
    .map((t) => ({ tag: t.tag, created: Date.parse(t.items?.[0]?.created ?? '') || 0 }))
    .sort((a, b) => b.created - a.created || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0))
    .map((t) => t.tag)
  let remaining = width
  for (const [i, tag] of tags.entries()) {
    remaining -= tag.length + 1
    if (remaining >= 0) continue
    if (i === 0) {
      tags = tags.slice(0, 1)
      break
    }
    // Up to 25% over the budget is allowed when it makes the column less ragged.
    const margin = Math.floor(width / 4)
    if (margin < remaining + tag.length && margin >= -remaining) continue
    tags = tags.slice(0, i)
    break
  }
  const hidden = statusTags.length - tags.length
  return hidden > 0 ? `${tags.join(',')} + ${hidden} more...` : tags.join(',')
}

/** `oc get is`: NAME, IMAGE REPOSITORY, TAGS, UPDATED. */
export function getImageStreams(streams: readonly ImageStream[], now: string): Table {
  const at = Date.parse(now)
  const rows = streams.map((stream) => {
    let latest = ''
    let latestAt = -Infinity
    for (const list of stream.status?.tags ?? []) {
      const created = list.items?.[0]?.created
      const t = created ? Date.parse(created) : NaN
      if (created && (!latest || t > latestAt)) [latest, latestAt] = [created, t]
    }
    const repo =
      stream.status?.publicDockerImageRepository ||
      stream.spec.dockerImageRepository ||
      stream.status?.dockerImageRepository ||
      ''
    return [stream.metadata.name, repo, printTagsUpToWidth(stream), latest ? ago(at, latest) : '']
  })
  return { columns: ['NAME', 'IMAGE REPOSITORY', 'TAGS', 'UPDATED'], rows }
}

/** `oc get istag`: NAME (`stream:tag`), IMAGE REFERENCE (under the reference policy), UPDATED. */
export function getImageStreamTags(rows: readonly ImageStreamTagRow[], now: string): Table {
  const at = Date.parse(now)
  return {
    columns: ['NAME', 'IMAGE REFERENCE', 'UPDATED'],
    rows: rows.map((r) => [r.name, r.reference, ago(at, r.created)])
  }
}
