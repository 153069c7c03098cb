/**
 * A problem with something a person wrote (a state file, a manifest, an input, a payload), located so they
 * can fix it: `file:line:column: field: message`. Bad input never throws past the unit it belongs to; it is
 * collected as a Diagnostic and the run goes on with the rest.
 */
export interface SourceLocation {
  file?: string
  line?: number // 1-based
  column?: number // 1-based
  /** A field path such as `spec.tags[2].from.name`, or an input name. */
  field?: string
}

export interface Diagnostic extends SourceLocation {
  severity: 'error' | 'warning' | 'notice'
  message: string
}

export function formatLocation(loc: SourceLocation): string {
  let out = loc.file ?? ''
  if (loc.file && loc.line) out += `:${loc.line}${loc.column ? `:${loc.column}` : ''}`
  if (loc.field) out += `${out ? ': ' : ''}${loc.field}`
  return out
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = formatLocation(d)
  return `${where ? `${where}: ` : ''}${d.severity}: ${d.message}`
}

/** Thrown for invalid input that must stop the command (exit code 2 in the CLI). */
export class InputError extends Error {
  constructor(
    message: string,
    readonly location: SourceLocation = {}
  ) {
    super(formatLocation(location) ? `${formatLocation(location)}: ${message}` : message)
    this.name = 'InputError'
  }
}
