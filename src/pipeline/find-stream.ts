/**
 * Finding a stream by `[namespace/]name` among the loaded files, and where a new stream's file goes. Shared by every
 * verb that names a stream, so "not found" and "ambiguous" read the same in both shells.
 */
import picomatch from 'picomatch'
import { globMatcher, splitGlobLines } from '../util/glob.js'
import type { ImageStream } from '../stream/types.js'
import { InputError } from '../util/errors.js'

export function streamLabel(stream: ImageStream): string {
  return stream.metadata.namespace ? `${stream.metadata.namespace}/${stream.metadata.name}` : stream.metadata.name
}

/**
 * The stream called `name` (in `namespace` when given). Without a namespace, a stream without one wins; otherwise
 * the name must be unique across namespaces. Undefined when there is none.
 */
export function findStream<T extends { stream: ImageStream; file?: string }>(
  streams: readonly T[],
  name: string,
  namespace?: string
): T | undefined {
  const named = streams.filter((s) => s.stream.metadata.name === name)
  if (namespace !== undefined) return named.find((s) => (s.stream.metadata.namespace ?? '') === namespace)
  const bare = named.filter((s) => !s.stream.metadata.namespace)
  if (bare.length === 1) return bare[0]
  if (named.length > 1) {
    const where = named.map((s) => (s.file ? `${streamLabel(s.stream)} in ${s.file}` : streamLabel(s.stream)))
    throw new InputError(`"${name}" names ${named.length} streams (${where.join(', ')}); use namespace/${name}`)
  }
  return named[0]
}

/** oc's NotFound, as an input error: the person named something that is not there. */
export function notFound(name: string, namespace?: string): InputError {
  return new InputError(`imagestreams.image.openshift.io "${namespace ? `${namespace}/` : ''}${name}" not found`)
}

/**
 * Where a new stream's file goes: `<the glob's directory>/<name>.yaml` (`<namespace>-<name>.yaml` for a namespaced
 * stream, so two namespaces can hold the same name). Refused when the glob would not read it back.
 */
export function newStreamPath(streamsGlob: string, name: string, namespace?: string): string {
  const base = picomatch.scan(splitGlobLines(streamsGlob).include[0] ?? '').base
  const file = `${namespace ? `${namespace}-` : ''}${name}.yaml`
  const path = base ? `${base}/${file}` : file
  if (!globMatcher(streamsGlob, { dot: false })(path)) {
    throw new InputError(
      `a new stream file would be ${path}, which the stream glob "${streamsGlob}" does not match; ` +
        'create it by hand or change the stream glob',
      { field: 'streams' }
    )
  }
  return path
}
