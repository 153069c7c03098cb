/**
 * One V8 setting for the processes the shells start (the CLI, the action), set once at their entry.
 *
 * A run first loads the stream files and keeps their parsed documents (a write edits the document it read), then
 * parses many more documents that it drops at once: manifests one file or one document at a time, stream files
 * rendered for a write. V8's allocation-site pretenuring sees the first phase — nearly every node that yaml's composer
 * allocates survives its young-generation collections — and from then on allocates those nodes straight in the old
 * generation. The documents of the second phase are then old-generation garbage that only a full collection frees:
 * over 10,000 manifest files the heap grew to ~160 MB between full collections (40 MB of it live), most of a run's
 * peak RSS, and the collector took a fifth of its CPU. Without pretenuring they die young, where collecting them is
 * nearly free. Measured in BENCHMARKS.md (round two: figures 3 and 3c, CPU per imported tag).
 */
import { setFlagsFromString } from 'node:v8'

export function keepShortLivedDocumentsYoung(): void {
  // A V8 flag read at each collection, so setting it after start-up takes effect for the rest of the run.
  setFlagsFromString('--no-allocation-site-pretenuring')
}
