import { register } from 'tsx/esm/api'
register()
const { startRegistry, pushImage } = await import('../test/support/registry.ts')
const { startFaultProxy } = await import('../test/support/fault-proxy.ts')
const { createRegistryClient } = await import('../src/registry/index.ts')
const { parseReference } = await import('../src/reference/reference.ts')
const net = await import('node:net')
const reg = await startRegistry({})
await pushImage(reg, 'a/b', 'v1')
const proxy = await startFaultProxy(reg.url)
proxy.inject({ fault: { type: 'latency', ms: 20 } })
// count connections to the proxy via a TCP relay
let conns = 0
const relay = net.createServer((s) => { conns++; const u = net.connect(Number(proxy.host.split(':')[1]), '127.0.0.1'); s.pipe(u); u.pipe(s); s.on('error',()=>{}); u.on('error',()=>{}) })
await new Promise(r => relay.listen(0, '127.0.0.1', r))
const host = `127.0.0.1:${relay.address().port}`
const client = createRegistryClient({})
const t0 = Date.now()
await Promise.all(Array.from({ length: 320 }, () => client.resolve(parseReference(`${host}/a/b:v1`))))
console.log('320 resolves', Date.now() - t0, 'ms; connections', conns, 'floor', 320*20/16)
await client.close(); relay.close(); await proxy.stop(); await reg.stop()
