/**
 * The one I/O module of src/triggers/: find and read the manifest files under a root. Everything it reads goes
 * through the pure functions in the other modules; rewritten files are written by the pipeline's journaled write.
 */
import { lstat, readFile, realpath } from 'node:fs/promises'
import { join, sep } from 'node:path'
import picomatch from 'picomatch'
import { glob } from 'tinyglobby'
import { InputError, type Diagnostic } from '../util/errors.js'
import { relativeGlobProblem, splitGlobLines } from '../util/glob.js'
import { DOCKERFILE_INCLUDE } from './dockerfile.js'
import { DEFAULT_MAX_BYTES } from './find.js'
import type { ManifestFile } from './types.js'
import { decodeText } from '../yaml/bytes.js'

export interface ScanOptions {
  /** Globs relative to the root (default every `*.yaml`/`*.yml`). */
  include?: string[]
  exclude?: string[]
  /** Where the stream files are: never treated as manifests. */
  streamGlob?: string | string[]
  /** Larger files are skipped with a notice (default 8 MiB). */
  maxBytes?: number
}

export interface ScanResult {
  /** Paths relative to the root, with `/`, sorted. */
  files: ManifestFile[]
  diagnostics: Diagnostic[]
}

/** Manifests, and the Dockerfiles/Containerfiles whose FROM lines markers bind (dockerfile.ts). */
export const DEFAULT_INCLUDE = ['**/*.yaml', '**/*.yml', ...DOCKERFILE_INCLUDE]
const ALWAYS_EXCLUDED = ['**/.git/**', '**/node_modules/**']

/** A glob that could reach outside the root is refused rather than silently clipped. */
export function checkGlob(pattern: string, field: string): void {
  const problem = relativeGlobProblem(pattern)
  if (problem) throw new InputError(`glob "${pattern}" ${problem}`, { field })
}

export async function scanManifests(root: string, options: ScanOptions = {}): Promise<ScanResult> {
  const include = options.include?.length ? options.include : DEFAULT_INCLUDE
  const exclude = options.exclude ?? []
  // The stream files are not manifests (a pattern the streams setting leaves out with `!` is not a stream file).
  const streams = options.streamGlob === undefined ? [] : splitGlobLines(options.streamGlob).include
  include.forEach((g) => checkGlob(g, 'include'))
  exclude.forEach((g) => checkGlob(g, 'exclude'))
  streams.forEach((g) => checkGlob(g, 'streams'))
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const realRoot = await realpath(root)
  const ignore = [...ALWAYS_EXCLUDED, ...exclude, ...streams]
  const isIgnored = picomatch(ignore, { dot: true })
  // Symbolic links are never followed (tinyglobby then lists none): a link could lead outside the repository, and
  // a link to a file inside it is read under the file's own name anyway.
  const paths = await glob(include, {
    cwd: realRoot,
    ignore,
    dot: true,
    onlyFiles: true,
    followSymbolicLinks: false,
    expandDirectories: false
  })
  const files: ManifestFile[] = []
  const diagnostics: Diagnostic[] = []
  for (const path of [...new Set(paths.map((p) => p.split(sep).join('/')))].sort()) {
    if (isIgnored(path)) continue
    const full = join(realRoot, path)
    const info = await lstat(full)
    if (!info.isFile()) continue
    if (info.size > maxBytes) {
      diagnostics.push({
        severity: 'notice',
        file: path,
        message: `skipped: ${info.size} bytes is more than ${maxBytes}`
      })
      continue
    }
    let text: string
    try {
      text = decodeText(await readFile(full))
    } catch (err) {
      diagnostics.push({
        severity: 'warning',
        file: path,
        message: `skipped: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`
      })
      continue
    }
    files.push({ path, text })
  }
  return { files, diagnostics }
}
