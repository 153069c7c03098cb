/**
 * What our pull requests remember about themselves, in hidden HTML comments of their own body (GitHub renders none
 * of them). The body outlives the branch, so a record there survives `delete-branch` and a person deleting the
 * branch by hand; and it is visible to anyone who edits the description (deleting a line is a documented way to
 * undo what it records).
 *
 *   <!-- imagestream-action:proposal web:latest@sha256:… web:stable@sha256:… -->   what the PR proposes
 *   <!-- imagestream-action:head 0123…(40 hex) -->                                   the branch commit we made
 *   - [ ] <!-- imagestream-action:rebase --> …                                       the rebuild checkbox
 *   <!-- imagestream-action:hands-off -->                                            our one hands-off comment
 *   … <!-- imagestream-action:run -->                                                 the line naming the run
 *   <!-- imagestream-action:waiting -->                                   a draft that only waits for min-age
 */
import { streamKey } from './group.js'

const PREFIX = 'imagestream-action'
const PROPOSAL = new RegExp(`<!-- ${PREFIX}:proposal ([^>]*?) -->`)
const HEAD = new RegExp(`<!-- ${PREFIX}:head ([0-9a-f]{40}) -->`)
const REBASE_CHECKED = new RegExp(`^\\s*[-*] \\[[xX]\\] <!-- ${PREFIX}:rebase -->`, 'm')
export const HANDS_OFF_MARKER = `<!-- ${PREFIX}:hands-off -->`
export const RUN_MARKER = `<!-- ${PREFIX}:run -->`
export const WAITING_MARKER = `<!-- ${PREFIX}:waiting -->`
export const REBASE_CHECKBOX = `- [ ] <!-- ${PREFIX}:rebase --> **Rebuild this branch**`

/** `[ns/]stream:tag@digest`: one proposed tag move, the unit a decline is about. */
export function proposalItem(c: { stream: string; namespace?: string; tag: string; newDigest: string }): string {
  return `${streamKey(c)}:${c.tag}@${c.newDigest}`
}

/** `[ns/]stream:tag` of a proposal item. */
export function proposalTag(item: string): string {
  return item.slice(0, item.lastIndexOf('@'))
}

export function proposalMarker(items: string[]): string {
  return `<!-- ${PREFIX}:proposal ${[...items].sort().join(' ')} -->`
}

export function readProposal(body: string | null | undefined): string[] {
  const m = PROPOSAL.exec(body ?? '')
  return m ? m[1]!.split(/\s+/).filter((x) => /^[^\s@]+:[^\s@]+@[a-z0-9]+:[0-9a-fA-F]+$/.test(x)) : []
}

export function headMarker(sha: string): string {
  return `<!-- ${PREFIX}:head ${sha} -->`
}

/** The branch commit this action last wrote, per the body; undefined for a body without the record. */
export function readHead(body: string | null | undefined): string | undefined {
  return HEAD.exec(body ?? '')?.[1]
}

/** Whether someone ticked the rebuild checkbox. */
export function rebaseRequested(body: string | null | undefined): boolean {
  return REBASE_CHECKED.test(body ?? '')
}

/** Two bodies that differ only in the run line (each run has its own URL) are the same description. */
export function sameBody(a: string | null | undefined, b: string | null | undefined): boolean {
  const strip = (s: string | null | undefined) =>
    (s ?? '')
      .split('\n')
      .filter((l) => !l.includes(RUN_MARKER))
      .join('\n')
  return strip(a) === strip(b)
}

/** Whether we wrote this body for a pull request that only waits for a soak (and so opened it as a draft). */
export function isWaiting(body: string | null | undefined): boolean {
  return (body ?? '').includes(WAITING_MARKER)
}
