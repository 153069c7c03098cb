/**
 * Benchmark 6: one policy import (docs/policies.md) over a repository of N tags (10,000; --quick 1,000), through the
 * fault proxy adding latency to every request and serving the tag list in pages (1,000; --quick 100, so the quick run
 * follows the same ten `Link` pages as the full one; distribution 2.8 itself does not paginate). Measured in process
 * with runPipeline: the same code at both sizes, only the counts differ.
 *
 * The pages are sequential (each Link comes with the previous page), so the floor is (pages + manifest requests) ×
 * latency, plus what the registry spends producing each page (measured: one full listing straight from it); the
 * figure is wall time against that floor, plus the request counts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { runPipeline } from '../../src/pipeline/run.js'
import { createRegistryClient } from '../../src/registry/index.js'
import { pushImage, pushManifest } from '../../test/support/push.js'
import { startRegistry, type TestRegistry } from '../../test/support/registry.js'
import { startFaultProxy, type FaultProxy } from '../../test/support/fault-proxy.js'
import type { Figure } from '../lib/figures.js'
import { inBatches } from '../lib/registry-fixture.js'

export interface PolicySuiteOptions {
  runs: number
  latencyMs: number
  /** Tags in the repository. */
  tags: number
  /** Tags per page of the listing (the proxy's `paginate-tags`). */
  pageSize: number
  log: (line: string) => void
}

const streamText = (host: string): string => `apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: many
spec:
  tags:
  - name: stable
    annotations:
      imagestream-action.dev/policy: semver:^1
    from:
      kind: DockerImage
      name: ${host}/bench/many:1.0.0
    importPolicy:
      scheduled: true
`

export async function policySuite(o: PolicySuiteOptions): Promise<Figure[]> {
  let reg: TestRegistry | undefined
  let proxy: FaultProxy | undefined
  const root = mkdtempSync(join(tmpdir(), 'imagestream-bench-policy-'))
  try {
    reg = await startRegistry({ auth: 'open' })
    const t0 = performance.now()
    const base = await pushImage(reg, 'bench/many', '1.0.0', { seed: 'base' })
    const manifest = (await (
      await fetch(`${reg.url}/v2/bench/many/manifests/${base.digest}`, { headers: { accept: base.mediaType } })
    ).json()) as Record<string, unknown> & { mediaType: string }
    const names = Array.from({ length: o.tags - 1 }, (_, i) => `1.${Math.floor((i + 1) / 1000)}.${(i + 1) % 1000}`)
    await inBatches(names, 16, async (n) => void (await pushManifest(reg!, 'bench/many', n, manifest)))
    o.log(`  tagged one image ${o.tags} times in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

    proxy = await startFaultProxy(reg.url)
    proxy.inject({ fault: { type: 'latency', ms: o.latencyMs } })
    proxy.inject({ match: { kind: 'tags' }, fault: { type: 'paginate-tags', pageSize: o.pageSize } })
    const expectedWinner = names.at(-1)!

    const walls: number[] = []
    const floors: number[] = []
    const lists: number[] = []
    const manifests: number[] = []
    const upstreams: number[] = []
    for (let run = 0; run < o.runs; run++) {
      mkdirSync(join(root, 'imagestreams'), { recursive: true })
      writeFileSync(join(root, 'imagestreams', 'many.yaml'), streamText(proxy.host))
      // What the registry itself spends on one full listing (distribution 2.8 reads a directory per tag); the proxy
      // pays it once per page, and no client can go below it.
      const u0 = performance.now()
      await (await fetch(`${reg.url}/v2/bench/many/tags/list`)).arrayBuffer()
      const upstream = performance.now() - u0
      proxy.resetCounts()
      const client = createRegistryClient({})
      const started = performance.now()
      let result
      try {
        result = await runPipeline({
          root,
          streamsGlob: 'imagestreams/**/*.yaml',
          intent: { kind: 'all' },
          triggers: false,
          registry: client,
          clock: { now: () => new Date() },
          write: true
        })
      } finally {
        await client.close()
      }
      const wall = performance.now() - started
      const moved = result.policy.find((d) => d.kind === 'moved')
      if (result.failures.length || moved?.to !== expectedWinner) {
        const picked = moved?.to ?? 'nothing'
        throw new Error(`policy import picked ${picked} (expected ${expectedWinner}); the benchmark is void`)
      }
      const listRequests = proxy.count('GET', 'tags')
      const manifestRequests = proxy.count(undefined, 'manifest')
      const sequential = proxy.count() // pages, the manifest and any ping: each waits for the one before
      walls.push(wall)
      floors.push(sequential * o.latencyMs + listRequests * upstream)
      upstreams.push(upstream)
      lists.push(listRequests)
      manifests.push(manifestRequests)
      o.log(`  run ${run + 1}: ${wall.toFixed(0)} ms, ${listRequests} list + ${manifestRequests} manifest requests`)
    }
    const pages = Math.ceil(o.tags / o.pageSize)
    return [
      {
        id: 'policy.import.wall',
        label: `6  policy import over ${o.tags} tags: wall`,
        unit: 'ms',
        samples: walls,
        note: `in-process runPipeline; pages of ${o.pageSize}, +${o.latencyMs} ms/request`
      },
      {
        id: 'policy.import.upstream',
        label: '6    the registry listing all tags once (no proxy)',
        unit: 'ms',
        samples: upstreams
      },
      {
        id: 'policy.import.floor',
        label: '6    floor = sequential requests × latency + pages × listing',
        unit: 'ms',
        samples: floors
      },
      {
        id: 'policy.import.ratio',
        label: '6    wall / floor',
        unit: 'x',
        samples: walls.map((w, i) => w / floors[i]!),
        note: 'informational: the rest is the pipeline run itself (read, plan, render, journaled write with fsync)'
      },
      {
        id: 'policy.import.lists',
        label: '6    tag list requests',
        unit: 'count',
        samples: lists,
        target: { op: '==', value: pages, text: `= ${pages}`, everyRun: true }
      },
      {
        id: 'policy.import.manifests',
        label: '6    manifest requests (the winner only)',
        unit: 'count',
        samples: manifests,
        target: { op: '==', value: 1, text: '= 1', everyRun: true }
      }
    ]
  } finally {
    await proxy?.stop()
    await reg?.stop()
    rmSync(root, { recursive: true, force: true })
  }
}
