/**
 * What `oc` prints for streams, as text and rows (no terminal I/O here):
 *  - describeImageStream: `oc describe is` ([oc] pkg/helpers/describe/describer.go DescribeImageStream and
 *    helpers.go formatImageStreamTags): aliases grouped as `tag (alias1, alias2)`, "tagged from …",
 *    "updates automatically from registry …", "prefer registry pullthrough when referencing this tag",
 *    "~ importing latest image ...", "! error: Import failed (Reason): message", `* ` on items[0] with ages in
 *    docker's HumanDuration; plus our holds ("held at … since …; newer upstream …").
 *  - getImageStreams / getImageStreamTags: the `oc get is` / `oc get istag` columns
 *    ([oas] pkg/image/printers/internalversion/printer.go printImageStream, printTagsUpToWidth, printImageStreamTag).
 */
import { OBSERVED_ANNOTATION } from '../types.js'
import type { ImageStream, TagReference } from '../types.js'
import { readHolds, readUpstream, specTag, statusTag } from './draft.js'
import { importPending } from './pending.js'
import { prioritizeTags } from './priority.js'
import { resolveReferenceForTagEvent } from './reference-policy.js'
import { followTagReference } from './tracking.js'

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

function ago(now: string, then: string | undefined): string {
  if (!then) return '<unknown>'
  const ms = Date.parse(now) - Date.parse(then)
  return Number.isNaN(ms) ? '<unknown>' : `${humanDuration(ms)} ago`
}

const LABEL_WIDTH = 24

function field(label: string, value: string): string {
  return `${`${label}:`.padEnd(LABEL_WIDTH)}${value}\n`
}

function mapField(label: string, map: Record<string, string> | undefined): string {
  const keys = Object.keys(map ?? {}).sort()
  if (keys.length === 0) return field(label, '<none>')
  return keys
    .map((k, i) => (i === 0 ? field(label, `${k}=${map![k]}`) : `${' '.repeat(LABEL_WIDTH)}${k}=${map![k]}\n`))
    .join('')
}

/** `oc describe is <name>` for one stream, as of `now` (RFC 3339). */
export function describeImageStream(stream: ImageStream, now: string): string {
  let out = field('Name', stream.metadata.name)
  if (stream.metadata.namespace) out += field('Namespace', stream.metadata.namespace)
  const created = stream.metadata.creationTimestamp
  if (typeof created === 'string' && created) out += field('Created', ago(now, created))
  out += mapField('Labels', stream.metadata.labels)
  const annotations = { ...(stream.metadata.annotations ?? {}) }
  delete annotations[OBSERVED_ANNOTATION] // a hash for our bookkeeping, meaningless to a reader
  const description = annotations.description
  delete annotations.description
  if (description) out += field('Description', description)
  out += mapField('Annotations', annotations)
  out += field(
    'Image Repository',
    stream.status?.publicDockerImageRepository || stream.status?.dockerImageRepository || ''
  )
  out += field('Image Lookup', `local=${stream.spec.lookupPolicy?.local === true}`)
  return out + formatTags(stream, now)
}

/** The lines under a tag saying where its image comes from (the spec tag's source, as `oc describe is` prints it). */
function describeSource(stream: ImageStream, ref: TagReference | undefined): string {
  let out = ''
  let name = ''
  if (ref?.from) {
    name =
      ref.from.namespace && ref.from.namespace !== stream.metadata.namespace
        ? `${ref.from.namespace}/${ref.from.name}`
        : ref.from.name
  }
  const scheduled = ref?.importPolicy?.scheduled === true
  if (!ref) out += '  no spec tag\n'
  else if (!ref.from) out += '  tag without source image\n'
  else if (ref.from.kind === 'ImageStreamTag') {
    out += ref.reference
      ? `  reference to ${name}\n`
      : scheduled
        ? `  updates automatically from ${name}\n`
        : `  tagged from ${name}\n`
  } else if (ref.from.kind === 'DockerImage') {
    out += ref.reference
      ? `  reference to registry ${name}\n`
      : scheduled
        ? `  updates automatically from registry ${name}\n`
        : `  tagged from ${name}\n`
  } else if (ref.from.kind === 'ImageStreamImage') {
    out += ref.reference ? `  reference to image ${name}\n` : `  tagged from ${name}\n`
  } else {
    out += ref.reference ? `  reference to ${ref.from.kind} ${name}\n` : `  updates from ${ref.from.kind} ${name}\n`
  }
  if (ref?.from && ref.importPolicy?.insecure) out += '    will use insecure HTTPS or HTTP connections\n'
  if (ref?.referencePolicy?.type === 'Local') out += '    prefer registry pullthrough when referencing this tag\n'
  return out
}

function formatTags(stream: ImageStream, now: string): string {
  const statusTags = stream.status?.tags ?? []
  const specTags = stream.spec.tags ?? []
  if (statusTags.length === 0 && specTags.length === 0) return field('Tags', '<none>')

  // Unique Images counts distinct image ids; items without one are all counted under "" (as oc's map does).
  const images = new Set<string>()
  for (const list of statusTags)
    for (const item of list.items ?? []) if (item.image || item.dockerImageReference) images.add(item.image)

  const names = statusTags.map((t) => t.tag)
  const aliases = new Set<string>()
  const grouped = new Map<string, string[]>()
  const held = readHolds(stream)
  for (const ref of specTags) {
    try {
      const { finalTag, multiple } = followTagReference(stream, ref.name)
      // A held alias no longer shows its source's image, so it is printed as its own tag with its hold.
      if (multiple && !held[ref.name]) {
        aliases.add(ref.name)
        grouped.set(finalTag, [...(grouped.get(finalTag) ?? []), ref.name])
      }
    } catch {
      // A broken alias is printed as its own tag, as oc does.
    }
    if (!statusTag(stream, ref.name)) names.push(ref.name)
  }
  let out = field('Unique Images', String(images.size)) + field('Tags', String(names.length)) + '\n'

  const holds = held
  const upstream = readUpstream(stream)
  let first = true
  for (const tag of prioritizeTags(names)) {
    if (aliases.has(tag)) continue
    if (!first) out += '\n'
    first = false
    const list = statusTag(stream, tag)
    const ref = specTag(stream, tag)
    const group = grouped.get(tag)
    out += group ? `${tag} (${prioritizeTags([...new Set(group)].sort()).join(', ')})\n` : `${tag}\n`

    out += describeSource(stream, ref)
    out += '\n'

    const annotations = ref?.annotations ?? {}
    let extra = ''
    if (annotations.description) extra += `  ${annotations.description}\n`
    if (annotations.tags) extra += `  Tags: ${annotations.tags.split(',').join(', ')}\n`
    if (annotations.supports) extra += `  Supports: ${annotations.supports.split(',').join(', ')}\n`
    if (annotations.sampleRepo) extra += `  Example Repo: ${annotations.sampleRepo}\n`
    if (extra) out += `${extra}\n`

    if (ref?.from && importPending(stream, tag)) out += '  ~ importing latest image ...\n'
    for (const c of list?.conditions ?? []) {
      if (c.type === 'ImportSuccess' && c.status === 'False') {
        out += `  ! error: Import failed (${c.reason ?? ''}): ${c.message ?? ''}\n`
        out += `      ${ago(now, c.lastTransitionTime)}\n`
      }
    }
    const hold = holds[tag]
    if (hold) {
      const newer = upstream[tag] && upstream[tag] !== hold.digest ? `; newer upstream ${upstream[tag]}` : ''
      out += `  held at ${hold.digest} since ${hold.since}${newer}\n`
    }
    for (const [i, event] of (list?.items ?? []).entries()) {
      out += `${i === 0 ? '  * ' : '    '}${event.dockerImageReference}\n`
      const at = event.dockerImageReference.lastIndexOf('@')
      const id = at >= 0 ? event.dockerImageReference.slice(at + 1) : ''
      out +=
        event.image && id !== event.image
          ? `      ${ago(now, event.created)}\t${event.image}\n`
          : `      ${ago(now, event.created)}\n`
    }
  }
  return out
}

export interface Table {
  columns: string[]
  rows: string[][]
}

/** printTagsUpToWidth: newest-updated tags first, as many as fit in `width`, then "+ N more...". */
export function printTagsUpToWidth(stream: ImageStream, width = 40): string {
  const statusTags = stream.status?.tags ?? []
  let tags = [...statusTags]
    .sort((a, b) => {
      const ta = Date.parse(a.items?.[0]?.created ?? '') || 0
      const tb = Date.parse(b.items?.[0]?.created ?? '') || 0
      return tb - ta || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0)
    })
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
  const rows = streams.map((stream) => {
    let latest = ''
    for (const list of stream.status?.tags ?? []) {
      const created = list.items?.[0]?.created
      if (created && (!latest || Date.parse(created) > Date.parse(latest))) latest = created
    }
    const repo =
      stream.status?.publicDockerImageRepository ||
      stream.spec.dockerImageRepository ||
      stream.status?.dockerImageRepository ||
      ''
    return [stream.metadata.name, repo, printTagsUpToWidth(stream), latest ? ago(now, latest) : '']
  })
  return { columns: ['NAME', 'IMAGE REPOSITORY', 'TAGS', 'UPDATED'], rows }
}

/**
 * `oc get istag`: NAME (`stream:tag`), IMAGE REFERENCE (under the reference policy), UPDATED.
 * A tag with no image is NotFound on the server, so it has no row.
 */
export function getImageStreamTags(streams: readonly ImageStream[], now: string): Table {
  const rows: string[][] = []
  for (const stream of streams) {
    for (const list of stream.status?.tags ?? []) {
      const event = list.items?.[0]
      if (!event || !event.image) continue
      rows.push([
        `${stream.metadata.name}:${list.tag}`,
        resolveReferenceForTagEvent(stream, list.tag, event),
        ago(now, event.created)
      ])
    }
  }
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  return { columns: ['NAME', 'IMAGE REFERENCE', 'UPDATED'], rows }
}
