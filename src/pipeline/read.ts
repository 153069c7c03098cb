/**
 * The read-only side of the pipeline, for the verbs that only show streams (`get`, `describe`, `history`): the state
 * files as they are, after finishing a write that a killed run left half done (so no verb ever reads a tree between
 * two states). Bad files come back as diagnostics.
 */
import { loadStreams, type LoadedStream } from '../stream/state-store.js'
import type { ImageStream } from '../stream/types.js'
import type { Diagnostic } from '../util/errors.js'
import { recoverInterruptedWrite } from './write-files.js'

export type { ImageStream, LoadedStream }

export async function readStreams(
  root: string,
  streamsGlob: string
): Promise<{ streams: LoadedStream[]; diagnostics: Diagnostic[] }> {
  await recoverInterruptedWrite(root)
  return loadStreams(root, streamsGlob)
}
