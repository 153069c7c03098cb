/**
 * Globs and paths from inputs are relative to the repository root and may not leave it. One check for every place
 * that takes one (stream globs, manifest globs, action inputs); each caller words the error for its own field.
 */
import { isAbsolute } from 'node:path'

/** Why `pattern` (a leading `!` excludes) could reach outside the root, or undefined when it cannot. */
export function relativeGlobProblem(pattern: string): string | undefined {
  const body = (pattern.startsWith('!') ? pattern.slice(1) : pattern).replace(/\\/g, '/')
  if (body.trim() === '') return 'is empty'
  if (/[\0-\x1f\x7f]/.test(body)) return 'must not contain control characters'
  if (isAbsolute(body) || body.startsWith('/') || /^[A-Za-z]:/.test(body) || body.startsWith('~')) {
    return 'must be relative to the repository root'
  }
  if (body.split('/').includes('..')) return 'must be relative to the repository root and may not use ".." to leave it'
  return undefined
}
