/**
 * PENDING (kept out of the suite: jest only runs *.test.ts). These state files are accepted today; see
 * RELIABILITY.md "Known gaps". Run with:
 *   NODE_OPTIONS=--experimental-vm-modules npx jest --testMatch '<rootDir>/test/reliability/pending/bad-state-files.pending.ts' --maxWorkers=1
 *
 * BUG_state_file_accepts_invalid_spec_references: `spec.tags[].from.name` of kind DockerImage is not parsed when the
 * file is read, so an uppercase, overlong, malformed-digest, newline- or shell-character-carrying reference is only
 * caught at import time: the run exits 1 (not 2), the message has no file:line, and an ImportSuccess=False condition
 * is written into the file. OpenShift's API validation (ValidateImageStream → from.name must parse as a docker
 * reference) refuses such an object outright. Proposed fix (src/stream/state-validate.ts, ~8 lines): after the schema
 * check, parseReference() every DockerImage `from.name` and every status item's `image` (digest grammar) and report
 * failures at the field's range, like the other validation errors.
 * BUG_state_file_accepts_bad_tag_names: a tag named `a/b` is accepted (OpenShift: tag names are path segments).
 * BUG_circular_alias_silently_ignored: ImageStreamTag aliases that loop (a→b→a, a→a) produce no diagnostic at all;
 * they should be reported with the tag's file:line (src/stream/rules/tracking.ts already walks the chain).
 * BUG_negative_generation_accepted: metadata.generation: -4 reads without complaint.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli, repo, roots, STATE_PENDING } from '../../support/reliability-corpus.js'
import { removeRepo, treeHash } from '../../support/reliability-repo.js'

let home: string
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'imagestream-pending-home-'))
  process.env.DOCKER_CONFIG = home
  process.env.IMAGESTREAM_NOW = '2026-05-01T12:00:00Z'
})
afterAll(() => {
  for (const r of [...roots, home]) removeRepo(r)
})

describe('BUG_state_file_accepts_invalid_spec_references and friends: exit 2, located, nothing written', () => {
  it.each(STATE_PENDING)('%s', async (_name, text, where) => {
    const root = repo({ 'imagestreams/web.yaml': text })
    const before = treeHash(root)
    const { code, err } = await cli(['-C', root, 'sync', '--all'])
    expect({ code, err }).toEqual({ code: 2, err: expect.stringMatching(where ?? /web\.yaml/) })
    expect(treeHash(root)).toBe(before)
  })
})
