/**
 * What to write: each binding resolved against the streams (ResolveLatestTaggedImage), turned into the minimal
 * edit of its scalar. Bindings that cannot be honoured become diagnostics; the others still apply.
 */
import type { Diagnostic } from '../util/errors.js'
import { formatStreamTag, resolveStreamTag, valueFor, withIndexDigest, type StreamCatalog } from './catalog.js'
import type { Binding, Edit, PlanResult, RewriteOptions } from './types.js'
import { renderTarget } from './yaml-source.js'
import { isPlainSafe } from '../yaml/scalar.js'
import { applySplices, OverlappingSplices } from '../yaml/splice.js'

interface Proposal {
  binding: Binding
  value: string
}

function where(b: Binding): Pick<Diagnostic, 'file' | 'line' | 'column' | 'field'> {
  return { file: b.file, line: b.line, column: b.column, field: b.field }
}

export function planEdits(
  bindings: readonly Binding[],
  catalog: StreamCatalog,
  options: RewriteOptions = {}
): PlanResult {
  const diagnostics: Diagnostic[] = []
  const blocked = new Map<string, { binding: Binding; reason: string }>()
  const proposals: Proposal[] = []

  for (const binding of bindings) {
    const from = formatStreamTag(binding.from)
    if (binding.target.value !== null && binding.target.value.includes('{{')) {
      diagnostics.push({
        severity: 'error',
        ...where(binding),
        message: `${binding.target.field} holds a template expression; it is not rewritten`
      })
      continue
    }
    const resolution = resolveStreamTag(catalog, binding.from, options)
    if (!resolution.ok) {
      if (binding.group !== undefined) {
        // UpdateDeploymentConfigImages: an unresolvable tag falls back to lastTriggeredImage, else the DC waits.
        if (binding.lastTriggeredImage) proposals.push({ binding, value: binding.lastTriggeredImage })
        else if (!blocked.has(binding.group)) blocked.set(binding.group, { binding, reason: resolution.reason })
        continue
      }
      diagnostics.push({
        severity: 'warning',
        ...where(binding),
        message: `${from} cannot be resolved: ${resolution.reason}`
      })
      continue
    }
    const resolved =
      binding.pin === 'index' ? withIndexDigest(resolution.resolved, binding.target.value) : resolution.resolved
    const value = valueFor(resolved, binding.part, options.pinFormat)
    if (!value.ok) {
      diagnostics.push({ severity: 'warning', ...where(binding), message: `${from}: ${value.reason}` })
      continue
    }
    if (value.notice) diagnostics.push({ severity: 'notice', ...where(binding), message: `${from}: ${value.notice}` })
    proposals.push({ binding, value: value.value })
  }

  for (const { binding, reason } of blocked.values()) {
    diagnostics.push({
      severity: 'notice',
      ...where(binding),
      message:
        `${binding.object ?? 'the DeploymentConfig'} is left alone: ${reason}, and the trigger has no lastTriggeredImage ` +
        '(OpenShift does not roll a DeploymentConfig out until all its automatic image triggers resolve)'
    })
  }

  const edits = editsAtSites(proposals, blocked, diagnostics)
  edits.sort((a, b) => (a.file === b.file ? a.start - b.start : a.file < b.file ? -1 : 1))
  return { edits, diagnostics }
}

/** One value per place: two bindings on one scalar must agree; a place already holding its value needs no edit. */
function editsAtSites(
  proposals: readonly Proposal[],
  blocked: ReadonlyMap<string, unknown>,
  diagnostics: Diagnostic[]
): Edit[] {
  const sites = new Map<string, Proposal[]>()
  for (const p of proposals) {
    if (p.binding.group !== undefined && blocked.has(p.binding.group)) continue
    const key = `${p.binding.file}\0${p.binding.target.start}\0${p.binding.target.end}`
    const list = sites.get(key) ?? []
    list.push(p)
    sites.set(key, list)
  }
  const edits: Edit[] = []
  for (const list of sites.values()) {
    const { binding, value } = list[0]
    const disagree = list.find((p) => p.value !== value)
    if (disagree) {
      diagnostics.push({
        severity: 'error',
        ...where(binding),
        message:
          `${binding.target.field} (line ${binding.target.line}) is bound twice with different values: ` +
          `${formatStreamTag(binding.from)} → ${value} and ${formatStreamTag(disagree.binding.from)} → ${disagree.value} ` +
          `(line ${disagree.binding.line}); it is left unchanged`
      })
      continue
    }
    const t = binding.target
    // `tag: 1.10` already reads "1.10" in the source but is the number 1.1 to YAML: quote it rather than skip.
    if (t.value === value && (t.style !== 'plain' || isPlainSafe(value, t.flow === true))) continue
    edits.push({
      file: binding.file,
      line: t.line,
      column: t.column,
      field: t.field,
      start: t.start,
      end: t.end,
      old: t.raw,
      new: renderTarget(t, value),
      oldValue: t.value,
      newValue: value,
      from: formatStreamTag(binding.from),
      source: binding.source
    })
  }
  return edits
}

/**
 * Applies one file's edits. Each edit must still find its `old` text at its offsets (else the text changed since
 * the plan and nothing is applied), and edits may not overlap.
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  for (const e of edits) {
    if (text.slice(e.start, e.end) !== e.old)
      throw new Error(`${e.file}:${e.line}: the text at ${e.field} changed since the edit was planned`)
  }
  try {
    return applySplices(
      text,
      edits.map((e) => ({ start: e.start, end: e.end, text: e.new }))
    )
  } catch (err) {
    if (!(err instanceof OverlappingSplices)) throw err
    const e = edits[err.index]
    throw new Error(`${e.file}:${e.line}: edits overlap at ${e.field}`)
  }
}
