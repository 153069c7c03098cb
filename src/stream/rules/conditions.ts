/**
 * Import failure conditions, as [oas] registry/imagestreamimport/rest.go records them:
 *  - checkImportFailure/setFailureCondition: one `ImportSuccess=False` condition {reason, message (default
 *    "unknown error prevented import"), generation: nextGeneration, lastTransitionTime: now} replaces the tag's
 *    conditions — but only when no existing condition has the same type, status, reason and message
 *    (hasTagCondition), so an identical repeated failure changes no byte, not even lastTransitionTime.
 *  - importSuccessful → setTagConditions(stream, tag): success clears the conditions; `ImportSuccess=True` is
 *    never written (rest_test.go: "success image stream condition should be empty").
 */
import type { ImageStream, TagEventCondition } from '../types.js'
import { cloneStream, ensureStatusTag, statusTag } from './draft.js'

export const UNKNOWN_IMPORT_ERROR = 'unknown error prevented import'

export interface ImportFailure {
  /** metav1.Status reason: NotFound, Unauthorized, Forbidden, BadRequest, Invalid, InternalError, … */
  reason: string
  message?: string
}

export function failureCondition(failure: ImportFailure, generation: number, now: string): TagEventCondition {
  return {
    type: 'ImportSuccess',
    status: 'False',
    lastTransitionTime: now,
    reason: failure.reason,
    message: failure.message || UNKNOWN_IMPORT_ERROR,
    generation
  }
}

/** hasTagCondition (rest.go): same type, status, reason and message; generation and time are not compared. */
export function hasTagCondition(stream: ImageStream, tag: string, condition: TagEventCondition): boolean {
  return (statusTag(stream, tag)?.conditions ?? []).some(
    (c) =>
      c.type === condition.type &&
      c.status === condition.status &&
      (c.reason ?? '') === (condition.reason ?? '') &&
      (c.message ?? '') === (condition.message ?? '')
  )
}

/** setFailureCondition on a draft the caller owns; returns whether it changed (false for a repeated failure). */
export function setFailureConditionInPlace(
  stream: ImageStream,
  tag: string,
  failure: ImportFailure,
  generation: number,
  now: string
): boolean {
  const condition = failureCondition(failure, generation, now)
  if (hasTagCondition(stream, tag, condition)) return false
  const list = ensureStatusTag(stream, tag)
  list.conditions = [condition]
  return true
}

/** setFailureCondition, pure. Items are never touched: the last known good image stays current. */
export function setFailureCondition(
  stream: ImageStream,
  tag: string,
  failure: ImportFailure,
  generation: number,
  now: string
): { stream: ImageStream; changed: boolean } {
  const draft = cloneStream(stream)
  return setFailureConditionInPlace(draft, tag, failure, generation, now)
    ? { stream: draft, changed: true }
    : { stream, changed: false }
}

/** setTagConditions(stream, tag) with no conditions, on a draft. Returns whether there was anything to clear. */
export function clearConditionsInPlace(stream: ImageStream, tag: string): boolean {
  const list = statusTag(stream, tag)
  if (!list?.conditions || list.conditions.length === 0) return false
  delete list.conditions
  return true
}

/** Success clears the tag's conditions (pure). */
export function clearConditions(stream: ImageStream, tag: string): { stream: ImageStream; changed: boolean } {
  const draft = cloneStream(stream)
  return clearConditionsInPlace(draft, tag) ? { stream: draft, changed: true } : { stream, changed: false }
}
