import { startRegistry } from '../../test/support/registry.js'
import { createStreamRepo, pushRepositories } from '../lib/registry-fixture.js'
import { execFileSync } from 'node:child_process'
const reg = await startRegistry({ auth: 'open' })
await pushRepositories(reg, 2)
const r = createStreamRepo(2, reg.host)
try { execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', '-C', r.root, 'import', '--all'], { env: { ...process.env, DBG_PLAIN: '1' }, stdio: 'inherit' }) } finally { await reg.stop() }
console.log((await import("node:fs")).readFileSync(r.root + "/imagestreams/r0001.yaml", "utf8"))
