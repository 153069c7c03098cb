/**
 * Loading the state files of a repository. This is the one module under stream/ that touches the file system, kept
 * next to the pure reader/writer in state-file.ts so that every decision about content is made there, where it can be
 * tested without files. Writes go through the pipeline's journaled write (pipeline/write-files.ts).
 */
import { realpath, readFile, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, sep } from 'node:path'
import { glob as tinyglob } from 'tinyglobby'
import type { Document } from 'yaml'
import { decodeText, encodedLength, firstRawByte } from '../yaml/bytes.js'
import { InputError, type Diagnostic } from '../util/errors.js'
import { relativeGlobProblem, splitGlobLines } from '../util/glob.js'
import { fieldLocation, MAX_FILE_BYTES } from './state-file.js'
import { parseStreamDocuments, type StreamDocument } from './state-documents.js'
import type { ImageStream } from './types.js'

export const DEFAULT_STREAM_GLOB = 'imagestreams/**/*.{yaml,yml}'

export interface LoadedStream {
  /** Relative to the root, with `/` separators. */
  file: string
  text: string
  stream: ImageStream
  document: Document.Parsed
  /** Set when the file holds other documents too (see state-documents.ts); `text` is then this document's. */
  part?: StreamDocument['part']
}

export interface LoadResult {
  streams: LoadedStream[]
  diagnostics: Diagnostic[]
  /** Documents in matched files that are not ImageStreams (a kustomization.yaml, a Deployment): skipped, not errors. */
  skipped: string[]
}

/**
 * Glob patterns are relative to the repository root and may not leave it. A pattern may start with `!` to
 * exclude. Throws InputError: a bad pattern is a configuration error that stops the command.
 */
export function checkGlob(pattern: string): void {
  const problem = relativeGlobProblem(pattern)
  if (problem) throw new InputError(`stream glob "${pattern}" ${problem}`, { field: 'streams' })
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

/**
 * Reads every state file the glob matches (sorted by path), strictly. Bad files are reported and skipped; the
 * good ones are returned. Two files defining the same namespace/name: the later one is reported and skipped.
 */
export async function loadStreams(root: string, glob: string | string[] = DEFAULT_STREAM_GLOB): Promise<LoadResult> {
  // `imagestreams/**/*.yaml` with `!**/kustomization.yaml` on the next line: the kustomization next to a stream is not
  // a stream file.
  const { include, exclude } = splitGlobLines(glob)
  for (const p of include.length > 0 ? [...include, ...exclude] : ['']) checkGlob(p)
  const realRoot = await realpath(root)
  const options = { cwd: realRoot, onlyFiles: true, dot: false, expandDirectories: false, absolute: false }
  const files = (await tinyglob(include, { ...options, ignore: exclude })).sort()

  const streams: LoadedStream[] = []
  const diagnostics: Diagnostic[] = []
  const skipped: string[] = []
  const byName = new Map<string, LoadedStream>()
  for (const file of files) {
    const path = join(realRoot, file)
    try {
      // A symlink may point anywhere; only files inside the repository are state.
      if (!inside(realRoot, await realpath(path))) {
        diagnostics.push({ severity: 'error', file, message: 'is a link to a file outside the repository; not read' })
        continue
      }
      const info = await stat(path)
      if (info.size > MAX_FILE_BYTES) {
        diagnostics.push({
          severity: 'error',
          file,
          message: `file is ${info.size} bytes, over the ${MAX_FILE_BYTES}-byte limit for a state file`
        })
        continue
      }
      const text = decodeText(await readFile(path))
      const raw = firstRawByte(text)
      if (raw) {
        // go-yaml (kubectl, oc) refuses the whole stream: "invalid leading UTF-8 octet".
        const { byte, offset } = rawByteAt(text, raw)
        const message =
          `file is not valid UTF-8 here: byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at byte offset ` +
          `${offset} (kubectl and oc refuse it); save the file as UTF-8`
        diagnostics.push({ severity: 'error', file, ...raw, message })
        continue
      }
      const found = parseStreamDocuments(text, file)
      diagnostics.push(...found.diagnostics)
      for (const s of found.skipped) skipped.push(`${file}:${s.line}: skipped: a ${s.kind}, not an ImageStream`)
      for (const parsed of found.streams) {
        if (!parsed.stream || !parsed.document) continue
        const { stream, document, part } = parsed
        const loaded: LoadedStream = { file, text: parsed.text, stream, document, ...(part ? { part } : {}) }
        const id = `${parsed.stream.metadata.namespace ?? ''}/${parsed.stream.metadata.name}`
        const earlier = byName.get(id)
        if (earlier) {
          const at = fieldLocation(loaded, ['metadata', 'name'])
          diagnostics.push({
            severity: 'error',
            ...at,
            line: at.line + (parsed.part?.line ?? 0),
            message: `ImageStream ${JSON.stringify(id.replace(/^\//, ''))} is already defined in ${earlier.file}; each stream is defined once`
          })
          continue
        }
        byName.set(id, loaded)
        streams.push(loaded)
      }
    } catch (err) {
      diagnostics.push({ severity: 'error', file, message: `cannot read: ${(err as Error).message}` })
    }
  }
  return { streams, diagnostics, skipped }
}

/** The raw byte at a line:column firstRawByte reported, and its offset in the file's bytes (what a hex editor shows). */
function rawByteAt(text: string, at: { line: number; column: number }): { byte: number; offset: number } {
  let index = 0
  for (let line = 1; line < at.line; line++) index = text.indexOf('\n', index) + 1
  index += at.column - 1
  return { byte: text.charCodeAt(index) - 0xdc00, offset: encodedLength(text.slice(0, index)) }
}
