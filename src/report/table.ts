/** Plain-text output for the CLI: `oc get`-style tables and kubectl-style ages. */
import { singleLine } from './escape.js'

/** Column gap of `oc get` (tabwriter padding 3). */
const GAP = '   '

function width(text: string): number {
  return Array.from(text).length
}

/**
 * Column-aligned table: header row then one line per row, columns separated by three spaces, no trailing spaces,
 * ending with a newline. Cells are made single-line (line breaks to spaces, control characters to U+FFFD) so a
 * hostile value cannot forge extra rows or terminal escapes. Short rows are padded with empty cells.
 */
export function renderTable(headers: string[], rows: string[][]): string {
  const columns = Math.max(headers.length, ...rows.map((r) => r.length))
  const clean = [headers, ...rows].map((r) => Array.from({ length: columns }, (_, i) => singleLine(r[i] ?? '')))
  const widths = Array.from({ length: columns }, (_, i) => Math.max(...clean.map((r) => width(r[i]!))))
  return clean
    .map((r) =>
      r
        .map((cell, i) => (i === columns - 1 ? cell : cell + ' '.repeat(widths[i]! - width(cell))))
        .join(GAP)
        .trimEnd()
    )
    .join('\n')
    .concat('\n')
}

function toMillis(value: Date | string | number): number {
  return value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value)
}

/**
 * kubectl's ShortHumanDuration (k8s.io/apimachinery/pkg/util/duration): "45s", "5m", "3h", "12d", "2y". A time up to
 * 2 seconds in the future is "0s" (clock skew); further is "<invalid>"; an unparseable time is "<unknown>".
 */
export function formatAge(from: Date | string | number, now: Date | string | number): string {
  const start = toMillis(from)
  const end = toMillis(now)
  if (!Number.isFinite(start) || !Number.isFinite(end)) return '<unknown>'
  const seconds = Math.trunc((end - start) / 1000)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.trunc(seconds / 60)
  if (minutes < 60) return `${minutes}m`
  const hours = Math.trunc(minutes / 60)
  if (hours < 24) return `${hours}h`
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`
  return `${Math.trunc(hours / 24 / 365)}y`
}
