/** What finding bindings in one file collects as it goes, and the two ways it records what it read. */
import { isScalar, type LineCounter } from 'yaml'
import type { Diagnostic } from '../util/errors.js'
import type { Binding } from './types.js'
import { locate, scalarText } from './yaml-source.js'

export interface Context {
  file: string
  text: string
  lc: LineCounter
  bindings: Binding[]
  diagnostics: Diagnostic[]
  /** See FindResult.readBack.decisive. */
  decisive: Set<number>
  /** See FindResult.templated. */
  templated?: number
}

/**
 * A scalar whose value decides what is bound (a kind, a name, a trigger field): read it, and remember it so that a
 * rewrite that edits it reads the result back in full (rewrite.ts).
 */
export function decide(ctx: Context, node: unknown): string | undefined {
  if (isScalar(node) && node.range) ctx.decisive.add(node.range[0])
  return scalarText(node)
}

export function diag(
  ctx: Context,
  severity: Diagnostic['severity'],
  offset: number,
  field: string | undefined,
  message: string
): void {
  ctx.diagnostics.push({ severity, file: ctx.file, ...locate(ctx.lc, offset), ...(field ? { field } : {}), message })
}
