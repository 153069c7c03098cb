/**
 * Globs and paths from inputs are relative to the repository root and may not leave it. One check for every place
 * that takes one (stream globs, manifest globs, action inputs); each caller words the error for its own field.
 */
import { isAbsolute } from 'node:path'
import picomatch from 'picomatch'

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

/**
 * A glob setting as users write it: one pattern, or several on separate lines (the action's multi-line inputs), each
 * line a pattern to match or, after a leading `!`, one to leave out.
 */
export function splitGlobLines(glob: string | readonly string[]): { include: string[]; exclude: string[] } {
  const lines = (typeof glob === 'string' ? [glob] : glob)
    .flatMap((g) => g.split(/\r?\n/))
    .map((l) => l.trim())
    .filter((l) => l !== '')
  return {
    include: lines.filter((l) => !l.startsWith('!')),
    exclude: lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1))
  }
}

/** Whether a repository-relative path is matched by a glob setting (splitGlobLines: several lines, `!` excludes). */
export function globMatcher(
  glob: string | readonly string[],
  options: { dot?: boolean } = {}
): (path: string) => boolean {
  const { include, exclude } = splitGlobLines(glob)
  return picomatch(include, { ...options, ignore: exclude })
}
