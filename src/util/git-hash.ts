/**
 * Git object ids computed locally, so delivery can tell whether a write would change anything before making it
 * (the idempotency rule: a branch moves only when its tree would change). GitHub stores SHA-1 repositories.
 */
import { createHash } from 'node:crypto'
import { encodeText } from '../yaml/bytes.js'

export type EntryMode = '100644' | '100755' | '040000' | '160000' | '120000'

export interface TreeEntry {
  mode: EntryMode
  name: string
  sha: string
}

function objectId(type: 'blob' | 'tree', body: Buffer): string {
  return createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex')
}

/** The blob id of UTF-8 text, as `git hash-object` computes it. */
export function blobSha(content: string): string {
  return objectId('blob', encodeText(content))
}

/** The tree id of these entries, as `git mktree` computes it (git sorts directories as if named `name/`). */
export function treeSha(entries: Iterable<TreeEntry>): string {
  const key = (e: TreeEntry) => Buffer.from(e.mode === '040000' ? `${e.name}/` : e.name, 'utf8')
  const sorted = [...entries].sort((a, b) => Buffer.compare(key(a), key(b)))
  const body = Buffer.concat(
    sorted.flatMap((e) => [
      Buffer.from(`${e.mode === '040000' ? '40000' : e.mode} ${e.name}\0`, 'utf8'),
      Buffer.from(e.sha, 'hex')
    ])
  )
  return objectId('tree', body)
}
