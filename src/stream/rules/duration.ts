/**
 * Durations in annotations (`promote-after`, `min-age`): Go's time.ParseDuration units that matter at this scale
 * (`s`, `m`, `h`), plus `d` and `w` as Renovate and Dependabot users write them; units may be combined (`1h30m`).
 */
import { InputError } from '../../util/errors.js'

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** Milliseconds of `text`; a clear error naming `field` otherwise. */
export function parseDuration(text: string, field: string): number {
  const trimmed = text.trim()
  if (!/^(?:\d+(?:\.\d+)?[smhdw])+$/.test(trimmed)) {
    throw new InputError(`expected a duration such as 90m, 2h, 3d or 1h30m; got ${JSON.stringify(text)}`, { field })
  }
  let ms = 0
  for (const [, n, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) ms += Number(n) * UNIT_MS[unit!]!
  return Math.round(ms)
}
