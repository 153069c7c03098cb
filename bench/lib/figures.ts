/**
 * One benchmark figure = several samples of one quantity, summarised as median (min … max) and checked against its
 * target. Counts that must be exact (HEADs per tag, tokens per repository, files written) are checked on every run,
 * not on the median: one run that made an extra request is a miss, however good the others were.
 */

export type Unit = 'ms' | 'x' | 'count' | 'MB' | 'ms/unit' | 'per tag' | 'per repo'

export interface Target {
  op: '<=' | '>=' | '=='
  value: number
  /** How the target reads in the report, e.g. `≤ 1.25× floor`. */
  text: string
  /** Check every sample instead of the median (exact counts). */
  everyRun?: boolean
}

export interface Figure {
  id: string
  label: string
  unit: Unit
  samples: number[]
  target?: Target
  /** A short remark printed after the figure (what was measured, how it was derived). */
  note?: string
}

export interface Summary {
  median: number
  min: number
  max: number
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN }
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! }
}

function holds(value: number, t: Target): boolean {
  if (Number.isNaN(value)) return false
  if (t.op === '<=') return value <= t.value
  if (t.op === '>=') return value >= t.value
  // Ratios like HEADs per tag come from integer counts: compare with a tolerance far below one request.
  return Math.abs(value - t.value) < 1e-9
}

export type Verdict = 'met' | 'missed' | 'info'

export function verdict(f: Figure): Verdict {
  if (!f.target) return 'info'
  if (f.samples.length === 0) return 'missed'
  if (f.target.everyRun) return f.samples.every((s) => holds(s, f.target!)) ? 'met' : 'missed'
  return holds(summarize(f.samples).median, f.target) ? 'met' : 'missed'
}

export function formatNumber(value: number, unit: Unit): string {
  if (Number.isNaN(value)) return 'n/a'
  if (unit === 'count') return Number.isInteger(value) ? String(value) : value.toFixed(1)
  if (unit === 'ms') return value >= 100 ? value.toFixed(0) : value.toFixed(1)
  if (unit === 'per tag' || unit === 'per repo') return value.toFixed(3)
  if (unit === 'ms/unit') return value.toFixed(3)
  return value >= 100 ? value.toFixed(0) : value.toFixed(2)
}

const UNIT_SUFFIX: Record<Unit, string> = {
  ms: ' ms',
  x: '×',
  count: '',
  MB: ' MB',
  'ms/unit': ' ms',
  'per tag': '/tag',
  'per repo': '/repo'
}

export function formatFigure(f: Figure): string {
  const s = summarize(f.samples)
  const u = UNIT_SUFFIX[f.unit]
  const value =
    f.samples.length === 1
      ? `${formatNumber(s.median, f.unit)}${u} (1 run)`
      : `${formatNumber(s.median, f.unit)}${u} (min ${formatNumber(s.min, f.unit)}, max ${formatNumber(s.max, f.unit)}, n=${f.samples.length})`
  const v = verdict(f)
  const target = f.target
    ? `  target ${f.target.text}${f.target.everyRun ? ' (every run)' : ''}: ${v.toUpperCase()}`
    : ''
  return `${f.label.padEnd(58)} ${value}${target}${f.note ? `\n${' '.repeat(60)}${f.note}` : ''}`
}

/** Markdown table rows for BENCHMARKS.md (the same numbers the console shows). */
export function markdownTable(figures: readonly Figure[]): string {
  const rows = ['| figure | median | min | max | runs | target | result |', '|---|---:|---:|---:|---:|---|---|']
  for (const f of figures) {
    const s = summarize(f.samples)
    const u = UNIT_SUFFIX[f.unit]
    rows.push(
      `| ${f.label.replace(/\|/g, '\\|')} | ${formatNumber(s.median, f.unit)}${u} | ${formatNumber(s.min, f.unit)}${u} | ` +
        `${formatNumber(s.max, f.unit)}${u} | ${f.samples.length} | ${f.target ? f.target.text : '—'} | ${verdict(f)} |`
    )
  }
  return rows.join('\n')
}
