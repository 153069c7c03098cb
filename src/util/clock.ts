/** The clock is an argument, never a global: tests pass a fixed one, and pure rules take a `now` string. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** RFC 3339 UTC with whole seconds, as Kubernetes' metav1.Time serializes ("2024-05-02T09:15:03Z"). */
export function rfc3339Seconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}
