/**
 * The latency proxy in a process of its own (test/support/fault-proxy.ts, unchanged). In the benchmark's process it
 * would share the event loop with the client it measures, and every request would cost the client the proxy's CPU
 * time too. Driven over the fork IPC channel:
 *   → { op: 'count', id, method?, kind? } | { op: 'reset', id } | { op: 'stop', id }
 *   ← { ready: true, host, url } once, then { id, value } per command.
 */
import { startFaultProxy, type RequestKindName } from '../../test/support/fault-proxy.js'

const upstream = process.argv[2]
const latencyMs = Number(process.argv[3] ?? '0')
if (!upstream || !process.send) {
  process.stderr.write('usage: fork(proxy-host, [UPSTREAM_URL, LATENCY_MS]) with an IPC channel\n')
  process.exit(2)
}

const proxy = await startFaultProxy(upstream)
if (latencyMs > 0) proxy.inject({ fault: { type: 'latency', ms: latencyMs } })
// Only counts are asked for: the per-request log the proxy keeps would grow without bound over thousands of runs.
const trim = setInterval(() => {
  proxy.log.length = 0
  proxy.requests.length = 0
}, 1000)

type Command =
  { op: 'count'; id: number; method?: string; kind?: RequestKindName } | { op: 'reset' | 'stop'; id: number }

process.on('message', (msg: Command) => {
  if (msg.op === 'count') process.send!({ id: msg.id, value: proxy.count(msg.method, msg.kind) })
  else if (msg.op === 'reset') {
    proxy.resetCounts()
    process.send!({ id: msg.id, value: 0 })
  } else if (msg.op === 'stop') {
    clearInterval(trim)
    void proxy.stop().then(() => {
      process.send!({ id: msg.id, value: 0 })
      process.disconnect()
    })
  }
})
// The parent went away without stopping us: do not outlive it.
process.on('disconnect', () => {
  clearInterval(trim)
  void proxy.stop().then(() => process.exit(0))
})
process.send({ ready: true, host: proxy.host, url: proxy.url })
