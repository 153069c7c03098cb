import { it } from '@jest/globals'
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../../src/cli/program.js'
import { registrars } from '../../src/cli/registrars.js'
import { treeHash } from '../support/reliability-repo.js'
const D1 = `sha256:${'a1'.repeat(32)}`
const D2 = `sha256:${'b2'.repeat(32)}`
const head = 'apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: web\n'
const tag = (name: string, from: string, extra = ''): string => `  - name: "${name}"\n    from:\n      kind: DockerImage\n      name: ${from}\n${extra}`
const withTags = (...tags: string[]): string => `${head}spec:\n  tags:\n${tags.join('')}`
const bomb = (levels: number): string => { let out = '  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n'; for (let i = 1; i < levels; i++) out += `  l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]\n`; return out }
const STREAM = `${withTags(tag('1', 'quay.io/acme/web:1'))}status:\n  dockerImageRepository: ""\n  tags:\n  - tag: "1"\n    items:\n    - created: "2024-01-01T00:00:00Z"\n      dockerImageReference: quay.io/acme/web@${D2}\n      image: ${D2}\n      generation: 1\n`
const FIELD = 'spec.template.spec.containers[?(@.name=="web")].image'
const dep = (a: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    image.openshift.io/triggers: '${a}'\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: quay.io/acme/web@${D1}\n`
const cases: Record<string, [Record<string,string>, string[]]> = {
  slash: [{ 'imagestreams/web.yaml': withTags(tag('a/b', 'quay.io/acme/web:1')) }, ['sync', '--all']],
  upper: [{ 'imagestreams/web.yaml': withTags(tag('1', 'quay.io/ACME/Web:1')) }, ['sync', '--all']],
  circ: [{ 'imagestreams/web.yaml': withTags(tag('a', 'web:b').replace('DockerImage', 'ImageStreamTag'), tag('b', 'web:a').replace('DockerImage', 'ImageStreamTag')) }, ['sync', '--all']],
  bombm: [{ 'imagestreams/web.yaml': STREAM, 'deploy/web.yaml': `${dep(`[${JSON.stringify({from:{kind:'ImageStreamTag',name:'web:1'},fieldPath:FIELD})}]`)}bomb:\n${bomb(9)}` }, ['apply-triggers']],
  nobomb: [{ 'imagestreams/web.yaml': STREAM, 'deploy/web.yaml': `${dep(`[${JSON.stringify({from:{kind:'ImageStreamTag',name:'web:1'},fieldPath:FIELD})}]`)}` }, ['apply-triggers']],
}
it('probe', async () => {
  process.env.DOCKER_CONFIG = '/nonexistent'
  for (const [name, [files, args]] of Object.entries(cases)) {
    const root = mkdtempSync(join(tmpdir(), 'probe-'))
    for (const [p, t] of Object.entries(files)) { mkdirSync(join(root, p, '..'), { recursive: true }); writeFileSync(join(root, p), t) }
    const h = treeHash(root)
    let out = ''
    const w1 = process.stdout.write.bind(process.stdout), w2 = process.stderr.write.bind(process.stderr)
    process.stdout.write = ((s: string) => ((out += 'OUT ' + s), true)) as never
    process.stderr.write = ((s: string) => ((out += 'ERR ' + s), true)) as never
    const code = await runCli(['-C', root, ...args], registrars)
    process.stdout.write = w1; process.stderr.write = w2
    console.log(name, code, treeHash(root) === h ? 'UNCHANGED' : 'CHANGED', out.slice(0, 1500), treeHash(root) === h ? '' : readFileSync(join(root, 'imagestreams/web.yaml'), 'utf8').slice(-700))
  }
})
