/**
 * The whole rewrite over a set of manifest files, pure: find bindings, plan, apply, and check the result reads
 * back as planned before handing it out.
 */
import type { ImageStream } from '../stream/types.js'
import type { Diagnostic } from '../util/errors.js'
import { createCatalog, type CatalogEntry, type StreamCatalog } from './catalog.js'
import { findBindings } from './find.js'
import { applyEdits, planEdits } from './plan.js'
import type { ChangedManifest, ManifestFile, RewriteOptions, RewriteResult } from './types.js'

function isCatalog(x: unknown): x is StreamCatalog {
  return typeof x === 'object' && x !== null && 'entries' in x && !Array.isArray(x)
}

export function rewriteManifests(
  files: readonly ManifestFile[],
  streams: StreamCatalog | ReadonlyArray<ImageStream | CatalogEntry>,
  options: RewriteOptions = {}
): RewriteResult {
  const catalog = isCatalog(streams) ? streams : createCatalog(streams)
  const findOptions = { maxBytes: options.maxBytes }
  const changed: ChangedManifest[] = []
  const diagnostics: Diagnostic[] = []
  const pinned = new Set<string>()

  for (const file of files) {
    const found = findBindings(file.path, file.text, findOptions)
    diagnostics.push(...found.diagnostics)
    const plan = planEdits(found.bindings, catalog, options)
    diagnostics.push(...plan.diagnostics)
    if (plan.edits.length === 0) {
      found.pinnedDigests.forEach((d) => pinned.add(d))
      continue
    }
    const text = applyEdits(file.text, plan.edits)
    // The result must parse as well as before and need no further edit; otherwise keep the file as it was.
    const again = findBindings(file.path, text, findOptions)
    const errorsBefore = found.diagnostics.filter((d) => d.severity === 'error').length
    const errorsAfter = again.diagnostics.filter((d) => d.severity === 'error').length
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
  return { changed, diagnostics, pinnedDigests: [...pinned].sort() }
}
