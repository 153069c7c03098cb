/**
 * The git data API, used the way verified commits need it: blobs → tree (on a base tree) → commit with parents and
 * no author/committer (so GitHub signs it as the token's bot) → ref. Reading is lazy and path-directed: only the
 * directories along changed paths are listed, so a large repository costs a few calls, not a recursive tree dump,
 * and the tree a write *would* produce is predicted locally from those listings (see util/git-hash.ts).
 */
import { InputError } from '../util/errors.js'
import { blobSha, treeSha, type EntryMode, type TreeEntry } from '../util/git-hash.js'
import type { RepoApi } from './github-client.js'
import type { FileChange, Identity } from './types.js'

/** A change the base does not already have: `sha: null` deletes. */
export interface EffectiveChange {
  path: string
  mode: EntryMode
  content: string | null
  sha: string | null
}

export interface Head {
  sha: string
  tree: string
}

/** GitHub's limits make 100 entries per createTree call the safe chunk (create-pull-request and release-please agree). */
const TREE_CHUNK = 100
const BLOB_CONCURRENCY = 4

export function validateFiles(files: FileChange[], field = 'files'): void {
  const seen = new Set<string>()
  files.forEach((f, i) => {
    const where = { field: `${field}[${i}].path` }
    const p = f.path
    if (typeof p !== 'string' || !p) throw new InputError('a file path is required', where)
    if (p.startsWith('/') || p.includes('\\') || p.split('/').some((s) => s === '' || s === '.' || s === '..')) {
      throw new InputError(
        `"${p}" must be a normalized repository-relative path (no leading "/", "//", "." or "..")`,
        where
      )
    }
    if (p.split('/').includes('.git')) throw new InputError(`"${p}" is inside .git`, where)
    if (seen.has(p)) throw new InputError(`"${p}" is listed twice`, where)
    seen.add(p)
    if (f.content !== null && typeof f.content !== 'string')
      throw new InputError('content must be text or null', { field: `${field}[${i}].content` })
  })
}

export class GitData {
  private readonly trees = new Map<string, Map<string, TreeEntry>>()

  constructor(readonly api: RepoApi) {}

  private get where(): string {
    return this.api.where
  }

  /** The branch's head commit and tree, or undefined when the branch does not exist. */
  async head(branch: string): Promise<Head | undefined> {
    const sha = await this.api.branchSha(branch)
    if (!sha) return undefined
    return { sha, tree: (await this.api.commit(sha)).tree }
  }

  private async listTree(sha: string): Promise<Map<string, TreeEntry>> {
    let entries = this.trees.get(sha)
    if (!entries) {
      const data = await this.api.tree(sha)
      if (data.truncated) throw new Error(`tree ${sha} of ${this.where} is too large for the GitHub API to list`)
      entries = new Map(data.entries.map((e) => [e.path, { mode: e.mode as EntryMode, name: e.path, sha: e.sha }]))
      this.trees.set(sha, entries)
    }
    return entries
  }

  /** The entry at a path below a tree, or undefined. */
  async entry(tree: string, path: string): Promise<TreeEntry | undefined> {
    const parts = path.split('/')
    let dir = tree
    for (let i = 0; i < parts.length - 1; i++) {
      const e = (await this.listTree(dir)).get(parts[i])
      if (e?.mode !== '040000') return undefined
      dir = e.sha
    }
    return (await this.listTree(dir)).get(parts[parts.length - 1])
  }

  /** A file's text at a tree (null when absent or not a regular file). */
  async read(tree: string, path: string): Promise<string | null> {
    const e = await this.entry(tree, path)
    if (!e || (e.mode !== '100644' && e.mode !== '100755')) return null
    return this.api.blob(e.sha, path)
  }

  /** The wanted files that differ from `tree`; an executable bit already there is kept. */
  async effectiveChanges(tree: string, files: FileChange[]): Promise<EffectiveChange[]> {
    const out: EffectiveChange[] = []
    for (const f of files) {
      const current = await this.entry(tree, f.path)
      if (f.content === null) {
        if (current && current.mode !== '040000')
          out.push({ path: f.path, mode: current.mode, content: null, sha: null })
        continue
      }
      const sha = blobSha(f.content)
      const mode: EntryMode = current?.mode === '100755' ? '100755' : '100644'
      if (current?.sha !== sha || current.mode !== mode) out.push({ path: f.path, mode, content: f.content, sha })
    }
    return out
  }

  /** The sha of the tree that applying `changes` to `base` produces, computed without writing anything. */
  async predictTree(base: string, changes: EffectiveChange[]): Promise<string> {
    interface Dir {
      entries: Map<string, TreeEntry>
      subdirs: Map<string, Dir>
    }
    const load = async (sha: string | undefined): Promise<Dir> => ({
      entries: new Map(sha ? await this.listTree(sha) : []),
      subdirs: new Map()
    })
    const root = await load(base)
    for (const ch of changes) {
      const parts = ch.path.split('/')
      const leaf = parts.pop()!
      let dir: Dir | undefined = root
      for (const name of parts) {
        let sub: Dir | undefined = dir.subdirs.get(name)
        if (!sub) {
          const existing: TreeEntry | undefined = dir.entries.get(name)
          if (ch.sha === null && existing?.mode !== '040000') {
            dir = undefined
            break
          }
          if (existing && existing.mode !== '040000') dir.entries.delete(name)
          sub = await load(existing?.mode === '040000' ? existing.sha : undefined)
          dir.subdirs.set(name, sub)
        }
        dir = sub
      }
      if (!dir) continue
      dir.subdirs.delete(leaf)
      if (ch.sha === null) dir.entries.delete(leaf)
      else dir.entries.set(leaf, { mode: ch.mode, name: leaf, sha: ch.sha })
    }
    // Git has no empty directories: one emptied by deletions disappears from its parent.
    const hash = (dir: Dir): string | undefined => {
      for (const [name, sub] of dir.subdirs) {
        const sha = hash(sub)
        if (sha) dir.entries.set(name, { mode: '040000', name, sha })
        else dir.entries.delete(name)
      }
      return dir.entries.size ? treeSha(dir.entries.values()) : undefined
    }
    return hash(root) ?? treeSha([])
  }

  /**
   * Writes blobs, the tree on `parent`'s tree and a commit whose only parent is `parent`. Without an author or
   * committer GitHub signs the commit as the token's identity (verified commits for GITHUB_TOKEN / Apps); with one
   * (create-pull-request's `author`/`committer`) the commit carries it and is unsigned.
   */
  async commit(
    parent: Head,
    changes: EffectiveChange[],
    message: string,
    who: { author?: Identity; committer?: Identity } = {}
  ): Promise<{ sha: string; tree: string; verified: boolean }> {
    const blobs = changes.filter((c) => c.content !== null)
    for (let i = 0; i < blobs.length; i += BLOB_CONCURRENCY) {
      await Promise.all(
        blobs.slice(i, i + BLOB_CONCURRENCY).map(async (c) => {
          const sha = await this.api.createBlob(c.content!, c.path)
          if (sha !== c.sha) throw new Error(`GitHub stored ${c.path} as blob ${sha}, expected ${c.sha}`)
        })
      )
    }
    let tree = parent.tree
    for (let i = 0; i < changes.length; i += TREE_CHUNK) {
      tree = await this.api.createTree(
        tree,
        changes.slice(i, i + TREE_CHUNK).map((c) => ({ path: c.path, mode: c.mode, sha: c.sha }))
      )
    }
    const made = await this.api.createCommit({ message, tree, parents: [parent.sha], ...who })
    return { sha: made.sha, tree, verified: made.verified }
  }

  createBranch(branch: string, sha: string): Promise<void> {
    return this.api.createBranch(branch, sha)
  }

  /** Moves a branch; with force false GitHub refuses anything but a fast-forward (the compare-and-swap). */
  moveBranch(branch: string, sha: string, force: boolean): Promise<void> {
    return this.api.moveBranch(branch, sha, force)
  }

  deleteBranch(branch: string): Promise<void> {
    return this.api.deleteBranch(branch)
  }
}
