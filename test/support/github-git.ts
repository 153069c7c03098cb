/**
 * A small content-addressed git object store for the fake GitHub API. Objects are hashed exactly as git hashes
 * them (SHA-1 over "<type> <size>\0<body>"), so a tree the fake builds has the same sha real git would give it:
 * code under test that predicts tree shas locally is checked against real git semantics, not against itself.
 * Seeding from a real working tree (`importFromGit`) verifies that claim on every run.
 */
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'

export type GitObjectType = 'blob' | 'tree' | 'commit' | 'tag'

/** Modes as the REST API spells them (trees are `040000`; git's own object format writes `40000`). */
export type TreeMode = '100644' | '100755' | '040000' | '160000' | '120000'

export interface TreeEntry {
  mode: TreeMode
  name: string
  sha: string
}

export interface FlatEntry {
  mode: TreeMode
  type: 'blob' | 'tree' | 'commit'
  sha: string
}

export interface Signature {
  name: string
  email: string
  /** Seconds since the epoch. */
  time: number
  /** Like `+0000`. */
  tz: string
}

export interface CommitObject {
  tree: string
  parents: string[]
  author: Signature
  committer: Signature
  message: string
  /** True when the raw commit carries a gpgsig header (GitHub-signed or imported signed commits). */
  signed: boolean
}

/** What a tree change asks for, in the shape of the REST `POST /git/trees` entries. `sha: null` deletes. */
export interface PathChange {
  path: string
  mode: TreeMode
  type: 'blob' | 'tree' | 'commit'
  sha: string | null
}

export function typeOfMode(mode: TreeMode): FlatEntry['type'] {
  return mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob'
}

function gitHash(type: GitObjectType, body: Buffer): string {
  return createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex')
}

/** Git orders tree entries bytewise by name, comparing a directory as if its name ended in "/". */
function treeSortKey(e: TreeEntry): Buffer {
  return Buffer.from(e.mode === '040000' ? `${e.name}/` : e.name, 'utf8')
}

function formatSignature(s: Signature): string {
  return `${s.name} <${s.email}> ${s.time} ${s.tz}`
}

function parseSignature(text: string): Signature {
  const m = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(text)
  if (!m) throw new Error(`bad signature line: ${text}`)
  return { name: m[1], email: m[2], time: Number(m[3]), tz: m[4] }
}

export class GitObjectStore {
  private readonly objects = new Map<string, { type: GitObjectType; body: Buffer }>()

  put(type: GitObjectType, body: Buffer): string {
    const sha = gitHash(type, body)
    if (!this.objects.has(sha)) this.objects.set(sha, { type, body })
    return sha
  }

  has(sha: string, type?: GitObjectType): boolean {
    const o = this.objects.get(sha)
    return o !== undefined && (type === undefined || o.type === type)
  }

  get(sha: string): { type: GitObjectType; body: Buffer } | undefined {
    return this.objects.get(sha)
  }

  putBlob(content: Buffer | string): string {
    return this.put('blob', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'))
  }

  blob(sha: string): Buffer | undefined {
    const o = this.objects.get(sha)
    return o?.type === 'blob' ? o.body : undefined
  }

  putTree(entries: TreeEntry[]): string {
    const sorted = [...entries].sort((a, b) => Buffer.compare(treeSortKey(a), treeSortKey(b)))
    const parts: Buffer[] = []
    for (const e of sorted) {
      parts.push(
        Buffer.from(`${e.mode === '040000' ? '40000' : e.mode} ${e.name}\0`, 'utf8'),
        Buffer.from(e.sha, 'hex')
      )
    }
    return this.put('tree', Buffer.concat(parts))
  }

  tree(sha: string): TreeEntry[] | undefined {
    const o = this.objects.get(sha)
    if (o?.type !== 'tree') return undefined
    const out: TreeEntry[] = []
    let i = 0
    while (i < o.body.length) {
      const space = o.body.indexOf(0x20, i)
      const nul = o.body.indexOf(0, space)
      const rawMode = o.body.toString('utf8', i, space)
      const mode = (rawMode === '40000' ? '040000' : rawMode) as TreeMode
      out.push({ mode, name: o.body.toString('utf8', space + 1, nul), sha: o.body.toString('hex', nul + 1, nul + 21) })
      i = nul + 21
    }
    return out
  }

  putCommit(c: Omit<CommitObject, 'signed'> & { gpgsig?: string }): string {
    let text = `tree ${c.tree}\n`
    for (const p of c.parents) text += `parent ${p}\n`
    text += `author ${formatSignature(c.author)}\ncommitter ${formatSignature(c.committer)}\n`
    if (c.gpgsig) text += `gpgsig ${c.gpgsig.split('\n').join('\n ')}\n`
    text += `\n${c.message}`
    return this.put('commit', Buffer.from(text, 'utf8'))
  }

  commit(sha: string): CommitObject | undefined {
    const o = this.objects.get(sha)
    if (o?.type !== 'commit') return undefined
    const text = o.body.toString('utf8')
    const split = text.indexOf('\n\n')
    const headers = text.slice(0, split).split('\n')
    const c: CommitObject = {
      tree: '',
      parents: [],
      author: undefined!,
      committer: undefined!,
      message: text.slice(split + 2),
      signed: false
    }
    for (const line of headers) {
      if (line.startsWith(' ')) continue // continuation of a multi-line header (gpgsig)
      const sp = line.indexOf(' ')
      const key = line.slice(0, sp)
      const value = line.slice(sp + 1)
      if (key === 'tree') c.tree = value
      else if (key === 'parent') c.parents.push(value)
      else if (key === 'author') c.author = parseSignature(value)
      else if (key === 'committer') c.committer = parseSignature(value)
      else if (key === 'gpgsig' || key === 'gpgsig-sha256') c.signed = true
    }
    return c
  }

  /** Every entry below a tree, by full path (trees included, like `GET /git/trees/{sha}?recursive=1`). */
  flatten(treeSha: string, prefix = '', out = new Map<string, FlatEntry>()): Map<string, FlatEntry> {
    for (const e of this.tree(treeSha) ?? []) {
      const path = prefix + e.name
      out.set(path, { mode: e.mode, type: typeOfMode(e.mode), sha: e.sha })
      if (e.mode === '040000') this.flatten(e.sha, `${path}/`, out)
    }
    return out
  }

  /** Applies REST-style path changes on top of a base tree (or an empty one), dropping directories left empty. */
  applyChanges(baseTree: string | undefined, changes: PathChange[]): string {
    interface Dir {
      entries: Map<string, TreeEntry>
      subdirs: Map<string, Dir>
    }
    const load = (sha: string | undefined): Dir => {
      const entries = new Map<string, TreeEntry>()
      for (const e of sha ? (this.tree(sha) ?? []) : []) entries.set(e.name, e)
      return { entries, subdirs: new Map() }
    }
    const root = load(baseTree)
    const descend = (dir: Dir, name: string, create: boolean): Dir | undefined => {
      let sub = dir.subdirs.get(name)
      if (sub) return sub
      const existing = dir.entries.get(name)
      if (existing && existing.mode !== '040000') {
        if (!create) return undefined
        dir.entries.delete(name) // a file replaced by a directory
      }
      if (!existing && !create) return undefined
      sub = load(existing?.mode === '040000' ? existing.sha : undefined)
      dir.subdirs.set(name, sub)
      return sub
    }
    for (const ch of changes) {
      const parts = ch.path.split('/')
      const leaf = parts.pop()!
      let dir: Dir | undefined = root
      for (const p of parts) {
        dir = descend(dir, p, ch.sha !== null)
        if (!dir) break
      }
      if (!dir) continue
      if (ch.sha === null) {
        dir.entries.delete(leaf)
        dir.subdirs.delete(leaf)
      } else {
        dir.subdirs.delete(leaf)
        dir.entries.set(leaf, { mode: ch.mode, name: leaf, sha: ch.sha })
      }
    }
    const write = (dir: Dir): string | undefined => {
      for (const [name, sub] of dir.subdirs) {
        const sha = write(sub)
        if (sha) dir.entries.set(name, { mode: '040000', name, sha })
        else dir.entries.delete(name)
      }
      if (dir.entries.size === 0) return undefined
      return this.putTree([...dir.entries.values()])
    }
    return write(root) ?? this.putTree([])
  }

  /** True when `ancestor` is `descendant` or reachable through its parents. */
  isAncestor(ancestor: string, descendant: string): boolean {
    const seen = new Set<string>()
    const queue = [descendant]
    while (queue.length) {
      const sha = queue.pop()!
      if (sha === ancestor) return true
      if (seen.has(sha)) continue
      seen.add(sha)
      queue.push(...(this.commit(sha)?.parents ?? []))
    }
    return false
  }

  /**
   * Copies every object of a real repository (loose and packed) and checks each recomputed sha against git's:
   * the fake's hashing is proven against the real thing, not assumed. Returns the repository's branch heads.
   */
  importFromGit(dir: string): Map<string, string> {
    const git = (args: string[]): Buffer => execFileSync('git', args, { cwd: dir, maxBuffer: 1 << 30 })
    const batch = git(['cat-file', '--batch-all-objects', '--batch'])
    let i = 0
    while (i < batch.length) {
      const nl = batch.indexOf(0x0a, i)
      const [sha, type, size] = batch.toString('utf8', i, nl).split(' ')
      const body = batch.subarray(nl + 1, nl + 1 + Number(size))
      const got = this.put(type as GitObjectType, Buffer.from(body))
      if (got !== sha) throw new Error(`fake git store hashed ${type} ${sha} as ${got}`)
      i = nl + 1 + Number(size) + 1
    }
    const heads = new Map<string, string>()
    const refs = git(['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads']).toString('utf8').trim()
    for (const line of refs ? refs.split('\n') : []) {
      const [ref, sha] = line.split(' ')
      heads.set(ref, sha)
    }
    return heads
  }
}
