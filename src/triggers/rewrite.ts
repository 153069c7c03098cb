/**
 * The whole rewrite over a set of manifest files, pure: find bindings, plan, apply, and check the result reads
 * back as planned before handing it out.
 *
 * The check is a second parse of the rewritten file, which costs as much as the first. It is skipped when it cannot
 * find anything (readBackReason): every edit replaces one single-line scalar by another of the same quoting style,
 * with no character that is syntax outside a scalar, on a scalar whose value decides nothing the finder reads. Such an
 * edit changes that scalar's value and nothing else in the document, so the second read would find the same bindings
 * with the planned values in place. Insertions, changes of quoting and edits of deciding values are read back.
 * test/triggers/read-back.test.ts checks that both ways give the same result.
 */
import type { ImageStream } from '../stream/types.js'
import type { Diagnostic } from '../util/errors.js'
import { planBuildConfigs } from './buildconfig.js'
import { createCatalog, type CatalogEntry, type StreamCatalog } from './catalog.js'
import { DEFAULT_MAX_BYTES, digestOf, findBindings } from './find.js'
import { applyEdits, planEdits } from './plan.js'
import type {
  Binding,
  ChangedManifest,
  Edit,
  FindResult,
  ManifestFile,
  RewriteOptions,
  RewriteResult,
  ScalarStyle
} from './types.js'

function isCatalog(x: unknown): x is StreamCatalog {
  return typeof x === 'object' && x !== null && 'entries' in x && !Array.isArray(x)
}

/**
 * Characters that are syntax somewhere the finder looks outside a scalar: line breaks (lines, marker comments and
 * scalars spanning lines), `#` (comments; only the first marker candidate of a line counts), brackets and commas (flow
 * collections, and the bracket count on the line that tells a flow context), and what YAML does not print or may read
 * as a line break (C0/C1 controls, U+2028/2029, a BOM, a lone surrogate).
 */
const SYNTAX_OUTSIDE_A_SCALAR =
  /[\0-\x1f\x7f\x85\u2028\u2029\ufeff#,[\]{}]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

function renderedStyle(source: string): ScalarStyle {
  return source[0] === "'" ? 'single' : source[0] === '"' ? 'double' : 'plain'
}

/**
 * Why `after` (the file with `edits` applied) must be parsed again to know it reads back as planned, or undefined
 * when it cannot read back otherwise.
 */
export function readBackReason(
  found: FindResult,
  edits: readonly Edit[],
  after: string,
  maxBytes = DEFAULT_MAX_BYTES
): string | undefined {
  if (found.mode !== 'yaml' || !found.readBack) return `the file was read in ${found.mode} mode`
  if (Buffer.byteLength(after, 'utf8') > maxBytes) return 'the result may be above the size limit'
  // The first binding at each place, by offsets: a lookup per edit (a scan per edit was quadratic in a file of
  // thousands of bound documents).
  const targets = new Map<string, Binding['target']>()
  for (const b of found.bindings) {
    const key = `${b.target.start}:${b.target.end}`
    if (!targets.has(key)) targets.set(key, b.target)
  }
  for (const e of edits) {
    const target = targets.get(`${e.start}:${e.end}`)
    if (!target || target.insert || e.start === e.end) return 'an insertion'
    if (renderedStyle(e.new) !== target.style) return 'a change of quoting'
    if (found.readBack.decisive.has(e.start)) return 'a value that decides what is bound, or has an explicit tag'
    if (SYNTAX_OUTSIDE_A_SCALAR.test(e.old) || SYNTAX_OUTSIDE_A_SCALAR.test(e.new))
      return 'a value with a line break, #, a bracket or a comma'
    // A plain rendering passed isPlainSafe (plan.ts); `...` at a line start would also end the document.
    if (target.style === 'plain' && (e.new.startsWith('...') || e.newValue === ''))
      return 'a plain value YAML could read as syntax'
  }
  return undefined
}

/** The digests pinned after `edits`, from the counts of the first read: each edit replaces one scalar's value. */
function pinnedAfter(digestUses: ReadonlyMap<string, number>, edits: readonly Edit[]): string[] {
  const uses = new Map(digestUses)
  for (const e of edits) {
    const old = digestOf(e.oldValue ?? undefined)
    if (old) uses.set(old, (uses.get(old) ?? 0) - 1)
    const now = digestOf(e.newValue)
    if (now) uses.set(now, (uses.get(now) ?? 0) + 1)
  }
  return [...uses].filter(([, n]) => n > 0).map(([d]) => d)
}

export function rewriteManifests(
  files: readonly ManifestFile[],
  streams: StreamCatalog | ReadonlyArray<ImageStream | CatalogEntry>,
  options: RewriteOptions = {}
): RewriteResult {
  const catalog = isCatalog(streams) ? streams : createCatalog(streams)
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const findOptions = { maxBytes }
  const changed: ChangedManifest[] = []
  const diagnostics: Diagnostic[] = []
  const pinned = new Set<string>()
  let bound = 0
  let templated = 0
  // BuildConfigs reach across files (their Dockerfile) and write their status: planned over all files first.
  const builds = planBuildConfigs(files, catalog, options)
  diagnostics.push(...builds.diagnostics)

  for (const file of files) {
    const found = findBindings(file.path, file.text, findOptions)
    diagnostics.push(...found.diagnostics)
    bound += found.bindings.length
    templated += found.templated ?? 0
    const extra = builds.bindings.get(file.path)
    const plan = planEdits(extra ? [...found.bindings, ...extra] : found.bindings, catalog, options)
    diagnostics.push(...plan.diagnostics)
    const bcEdits = builds.edits.get(file.path)
    if (bcEdits) plan.edits.push(...bcEdits)
    if (plan.edits.length === 0) {
      found.pinnedDigests.forEach((d) => pinned.add(d))
      continue
    }
    const text = applyEdits(file.text, plan.edits)
    if (!options.verifyAll && found.readBack && readBackReason(found, plan.edits, text, maxBytes) === undefined) {
      pinnedAfter(found.readBack.digestUses, plan.edits).forEach((d) => pinned.add(d))
      changed.push({ path: file.path, text, edits: plan.edits })
      continue
    }
    // The result must parse as well as before and need no further edit; otherwise keep the file as it was.
    const again = findBindings(file.path, text, findOptions)
    const errorsBefore = found.diagnostics.filter((d) => d.severity === 'error').length
    const errorsAfter = again.diagnostics.filter((d) => d.severity === 'error').length
    // The BuildConfig bindings point into the text before the edits: only the file's own bindings are replanned.
    const replan = planEdits(again.bindings, catalog, options)
    if (again.mode !== found.mode || errorsAfter > errorsBefore || replan.edits.length > 0) {
      diagnostics.push({
        severity: 'error',
        file: file.path,
        message: `left unchanged: the rewritten file did not read back as planned (${plan.edits.map((e) => `line ${e.line}`).join(', ')}); please report this`
      })
      found.pinnedDigests.forEach((d) => pinned.add(d))
      continue
    }
    again.pinnedDigests.forEach((d) => pinned.add(d))
    changed.push({ path: file.path, text, edits: plan.edits })
  }
  const written = new Set(changed.map((c) => c.path))
  return {
    changed,
    diagnostics,
    pinnedDigests: [...pinned].sort(),
    builds: builds.builds.filter((b) => written.has(b.file)),
    bound: bound + builds.triggers + [...builds.bindings.values()].reduce((n, list) => n + list.length, 0),
    templated
  }
}
