/**
 * State files that are well-formed YAML and match the schema but that OpenShift's API validation would refuse
 * (bad tag names, DockerImage references that do not parse, malformed status digests, negative generations) or
 * that can never resolve (circular ImageStreamTag aliases): refused when read, located at file:line:column, exit 2,
 * nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli, repo, roots, STATE_PENDING } from '../support/reliability-corpus.js'
import { removeRepo, treeHash } from '../support/reliability-repo.js'

let home: string
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'imagestream-pending-home-'))
  process.env.DOCKER_CONFIG = home
  process.env.IMAGESTREAM_NOW = '2026-05-01T12:00:00Z'
})
afterAll(() => {
  for (const r of [...roots, home]) removeRepo(r)
})

describe('semantically invalid state files (ValidateImageStream): exit 2, located, nothing written', () => {
  it.each(STATE_PENDING)('%s', async (_name, text, where) => {
    const root = repo({ 'imagestreams/web.yaml': text })
    const before = treeHash(root)
    const { code, err } = await cli(['-C', root, 'sync', '--all'])
    expect({ code, err }).toEqual({ code: 2, err: expect.stringMatching(where ?? /web\.yaml/) })
    expect(treeHash(root)).toBe(before)
  })
})
