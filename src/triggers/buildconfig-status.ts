/**
 * The byte-exact edit that writes a BuildConfig's `status.imageChangeTriggers` after a build was instantiated:
 * the list is replaced whole (as the build generator resets it), everything around it is left as it was.
 * Keys are written in the order `oc get -o yaml` prints them (sorted); times quoted, as the API server writes them.
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml'
import type { ReadBuildConfig } from './buildconfig-read.js'
import type { Edit } from './types.js'
import { getPair, getValue } from './yaml-source.js'
import { lineEnding } from '../yaml/position.js'
import { renderScalar } from '../yaml/scalar.js'

export interface TriggerStatus {
  from: { name: string; namespace?: string }
  lastTriggeredImageID?: string
  lastTriggerTime?: string
}

const plain = (v: string) => renderScalar(v, 'PLAIN', false)

function blockItems(list: readonly TriggerStatus[], indent: string, nl: string): string {
  return list
    .map((s) => {
      const lines = [`- from:`]
      if (s.from.name) lines.push(`${indent}    name: ${plain(s.from.name)}`)
      if (s.from.namespace) lines.push(`${indent}    namespace: ${plain(s.from.namespace)}`)
      if (s.from.name === '' && !s.from.namespace) lines[0] = '- from: {}'
      if (s.lastTriggerTime) lines.push(`${indent}  lastTriggerTime: "${s.lastTriggerTime}"`)
      if (s.lastTriggeredImageID) lines.push(`${indent}  lastTriggeredImageID: ${plain(s.lastTriggeredImageID)}`)
      return lines.join(nl)
    })
    .join(`${nl}${indent}`)
}

function flowList(list: readonly TriggerStatus[]): string {
  return JSON.stringify(
    list.map((s) => ({
      from: s.from,
      ...(s.lastTriggerTime ? { lastTriggerTime: s.lastTriggerTime } : {}),
      ...(s.lastTriggeredImageID ? { lastTriggeredImageID: s.lastTriggeredImageID } : {})
    }))
  )
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1)
}

/** The offset just after the line that holds `offset - 1` (where a new last key of a block map goes). */
function afterLine(text: string, end: number): number {
  if (end > 0 && text[end - 1] === '\n') return end
  const nl = text.indexOf('\n', end)
  return nl < 0 ? text.length : nl + 1
}

function lastValueEnd(map: YAMLMap): number {
  const last = map.items[map.items.length - 1]
  const node = (last?.value ?? last?.key) as Node | undefined
  return node?.range?.[1] ?? map.range?.[1] ?? 0
}

function edit(bc: ReadBuildConfig, start: number, end: number, text: string, list: readonly TriggerStatus[]): Edit {
  const pos = bc.lc.linePos(start)
  return {
    file: bc.file,
    line: pos.line,
    column: pos.col,
    field: 'status.imageChangeTriggers',
    start,
    end,
    old: bc.text.slice(start, end),
    new: text,
    oldValue: null,
    newValue: flowList(list),
    from: list.map((s) => s.from.name).join(', '),
    source: 'buildconfig'
  }
}

/** The edit that sets status.imageChangeTriggers to `list`, or a reason it cannot be written in place. */
export function statusEdit(bc: ReadBuildConfig, list: readonly TriggerStatus[]): Edit | string {
  const { text, map } = bc
  const nl = lineEnding(text)
  const statusPair = getPair(map, 'status')
  if (!statusPair) {
    if (map.flow) return 'the BuildConfig is a flow map; write it in block style to let its status be recorded'
    const at = afterLine(text, lastValueEnd(map))
    const indent = ' '.repeat(columnOf(text, (map.items[0]?.key as Node | undefined)?.range?.[0] ?? 0))
    const lead = at === text.length && text.length > 0 && !text.endsWith('\n') ? nl : ''
    const items = blockItems(list, `${indent}  `, nl)
    const body = `${indent}status:${nl}${indent}  imageChangeTriggers:${nl}${indent}  ${items}${nl}`
    return edit(bc, at, at, lead + body, list)
  }
  const status = statusPair.value
  if (!isMap(status)) {
    if (status && !(isScalar(status) && status.value === null)) return 'status is not a map'
    const range = status?.range ?? [statusPair.key ? (statusPair.key as Node).range![1] : 0, 0]
    if (!status) return 'status has no value to replace'
    return edit(bc, range[0], range[1], `{"imageChangeTriggers": ${flowList(list)}}`, list)
  }
  const pair = getPair(status, 'imageChangeTriggers')
  if (pair) {
    const value = pair.value
    if (isSeq(value) && !value.flow && value.range) {
      const indent = ' '.repeat(columnOf(text, value.range[0]))
      let end = value.range[1]
      while (end > value.range[0] && /\s/.test(text[end - 1])) end-- // the range runs on over the line break
      return edit(bc, value.range[0], end, blockItems(list, indent, nl), list)
    }
    if (value?.range) return edit(bc, value.range[0], value.range[1], flowList(list), list)
    return 'status.imageChangeTriggers has no value to replace'
  }
  const first = status.items[0]?.key as Node | undefined
  if (status.flow || !first?.range) {
    const open = status.range?.[0]
    if (open === undefined || text[open] !== '{') return 'status cannot be extended in place'
    const after = status.items.length > 0 ? ', ' : ''
    return edit(bc, open + 1, open + 1, `"imageChangeTriggers": ${flowList(list)}${after}`, list)
  }
  const indent = ' '.repeat(columnOf(text, first.range[0]))
  const at = first.range[0]
  return edit(bc, at, at, `imageChangeTriggers:${nl}${indent}${blockItems(list, indent, nl)}${nl}${indent}`, list)
}

/** The value node of spec.triggers[i].imageChange.lastTriggeredImageID, for a scalar replacement. */
export function specLastNode(bc: ReadBuildConfig, index: number): Node | undefined {
  const seq = getValue(getValue(bc.map, 'spec'), 'triggers')
  if (!isSeq(seq)) return undefined
  const ic = getValue(seq.items[index], 'imageChange')
  const node = getValue(ic, 'lastTriggeredImageID')
  return node ?? undefined
}
