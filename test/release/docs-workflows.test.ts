/**
 * The copy-paste workflows in the documentation are valid GitHub workflows (SchemaStore's github-workflow.json,
 * test/fixtures/schemas/README.md): every ```yaml block of a docs page that has `jobs:` is checked, so a reader who
 * pastes one gets a workflow GitHub accepts.
 */
import { describe, expect, it } from '@jest/globals'
import { Ajv } from 'ajv'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ROOT } from '../support/action-runner.js'

const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/schemas/github-workflow.json'), 'utf8')) as object
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema)

function workflows(page: string): string[] {
  const text = readFileSync(join(ROOT, page), 'utf8')
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((y) => /^jobs:/m.test(y))
}

const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`)].filter((p) => p.endsWith('.md'))

describe('workflows in the documentation', () => {
  it('the promotion and scale-out pages carry workflows to check', () => {
    expect(workflows('docs/promotion.md').length).toBeGreaterThan(0)
    expect(workflows('docs/scale-out.md').length).toBeGreaterThan(0)
  })

  it.each(pages.flatMap((p) => workflows(p).map((w, i) => [`${p} #${i + 1}`, w] as const)))(
    '%s is a valid workflow',
    (_, yaml) => {
      const ok = validate(parse(yaml))
      expect((validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)).toEqual([])
      expect(ok).toBe(true)
    }
  )

  it('the promotion workflow guards the job with an environment, so its required reviewers decide who may propose', () => {
    const doc = parse(workflows('docs/promotion.md')[0]!) as { jobs: Record<string, { environment?: string }> }
    expect(Object.values(doc.jobs).map((j) => j.environment)).toContain('prod')
  })
})
