/**
 * The release machinery: .github/workflows/release.yml and .github/dependabot.yml validate against the JSON schemas
 * SchemaStore publishes (test/fixtures/schemas/README.md), and CHANGELOG.md has the notes the release will publish.
 */
import { describe, expect, it } from '@jest/globals'
import { Ajv } from 'ajv'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ROOT } from '../support/action-runner.js'

function validator(schemaFile: string): (doc: unknown) => string[] {
  const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/schemas', schemaFile), 'utf8')) as object
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema)
  return (doc) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`))
}

const yamlFile = (path: string): unknown => parse(readFileSync(join(ROOT, path), 'utf8'))

describe('against their published schemas', () => {
  const workflow = validator('github-workflow.json')
  const dependabot = validator('dependabot-2.0.json')

  it('.github/workflows/release.yml is a valid workflow (SchemaStore github-workflow.json)', () => {
    expect(workflow(yamlFile('.github/workflows/release.yml'))).toEqual([])
  })

  it('.github/workflows/ci.yml is a valid workflow too', () => {
    expect(workflow(yamlFile('.github/workflows/ci.yml'))).toEqual([])
  })

  it('.github/dependabot.yml is valid (SchemaStore dependabot-2.0.json) and covers github-actions and npm', () => {
    const doc = yamlFile('.github/dependabot.yml') as { updates: Array<{ 'package-ecosystem': string }> }
    expect(dependabot(doc)).toEqual([])
    expect(doc.updates.map((u) => u['package-ecosystem']).sort()).toEqual(['github-actions', 'npm'])
  })

  it('the schemas do reject what GitHub would reject (a job without runs-on; an unknown ecosystem)', () => {
    expect(workflow({ on: 'push', jobs: { x: { steps: [{ run: 'true' }] } } })).not.toEqual([])
    const bad = {
      version: 2,
      updates: [{ 'package-ecosystem': 'npmx', directory: '/', schedule: { interval: 'weekly' } }]
    }
    expect(dependabot(bad)).not.toEqual([])
  })
})

describe('release.yml', () => {
  const doc = yamlFile('.github/workflows/release.yml') as {
    on: { push: { tags: string[] } }
    jobs: { release: { steps: Array<{ run?: string; uses?: string }> } }
  }
  const runs = doc.jobs.release.steps.map((s) => s.run ?? '').join('\n')

  it('runs on vX.Y.Z tags only', () => {
    expect(doc.on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+'])
  })

  it('checks dist/, publishes the CHANGELOG notes, then moves the major tag — in that order', () => {
    const order = ['check-dist.sh', 'release-notes.sh', 'gh release create', 'git push -f origin']
    const at = order.map((s) => runs.indexOf(s))
    expect(at.every((i) => i >= 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
  })
})

describe('CHANGELOG.md', () => {
  it("has notes for package.json's version (what the release of that tag publishes)", () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
    const notes = execFileSync('bash', [join(ROOT, 'scripts/release-notes.sh'), version], { encoding: 'utf8' })
    expect(notes).toMatch(/^### Added$/m)
    expect(notes).not.toMatch(/^## /m)
  })

  it('a version without a section fails the release instead of publishing empty notes', () => {
    expect(() => execFileSync('bash', [join(ROOT, 'scripts/release-notes.sh'), '99.0.0'], { stdio: 'pipe' })).toThrow(
      /no notes under "## \[99\.0\.0\]"/
    )
  })
})
