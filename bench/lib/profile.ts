/**
 * `--cpu-prof DIR`: one extra, untimed run of a step under the V8 sampling profiler (the same data `node --cpu-prof`
 * writes, but only around the step, not around pushing fixtures). Writes DIR/NAME.cpuprofile (open it in Chrome
 * DevTools or speedscope) and returns the functions with the most self time, grouped by file.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { join, relative } from 'node:path'
import { PROJECT_ROOT } from './programs.js'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples?: number[]
  timeDeltas?: number[]
}

export interface ProfileSummary {
  file: string
  totalMs: number
  /** `function (file:line)` → self ms, highest first. */
  top: Array<{ name: string; selfMs: number; share: number }>
  /** Self time per source area: src/registry, node_modules/yaml, (idle), (garbage collector), node: internals … */
  byArea: Array<{ area: string; selfMs: number; share: number }>
}

function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)'
  const path = url.replace(/^file:\/\//, '')
  if (path.startsWith('node:')) return 'node: internals'
  const rel = relative(PROJECT_ROOT, path)
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(rel)
  if (m) return `node_modules/${m[1]}`
  const parts = rel.split('/')
  return parts.length > 2 ? parts.slice(0, 2).join('/') : parts.slice(0, 1).join('/')
}

export async function profileStep<T>(
  dir: string,
  name: string,
  step: () => Promise<T>
): Promise<{ result: T; summary: ProfileSummary }> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 200 })
  await session.post('Profiler.start')
  let result: T
  let profile: CpuProfile
  try {
    result = await step()
  } finally {
    profile = ((await session.post('Profiler.stop')) as { profile: CpuProfile }).profile
    session.disconnect()
  }
  const file = join(dir, `${name}.cpuprofile`)
  writeFileSync(file, JSON.stringify(profile))
  return { result: result!, summary: summarizeProfile(profile, file) }
}

/** Summarises a profile `node --cpu-prof` wrote (a child process's). */
export function summarizeProfileFile(file: string): ProfileSummary {
  return summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, file)
}

function summarizeProfile(profile: CpuProfile, file: string): ProfileSummary {
  const selfUs = new Map<number, number>()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  for (let i = 0; i < samples.length; i++) selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + (deltas[i] ?? 0))
  const totalUs = profile.endTime - profile.startTime
  const byFn = new Map<string, number>()
  const byArea = new Map<string, number>()
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0
    if (!us) continue
    const { functionName, url, lineNumber } = node.callFrame
    const where = url ? `${relative(PROJECT_ROOT, url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : ''
    const key = `${functionName || '(anonymous)'}${where ? ` (${where})` : ''}`
    byFn.set(key, (byFn.get(key) ?? 0) + us)
    const area = areaOf(url, functionName)
    byArea.set(area, (byArea.get(area) ?? 0) + us)
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, us]) => ({ k, selfMs: us / 1000, share: us / totalUs }))
  return {
    file,
    totalMs: totalUs / 1000,
    top: rank(byFn)
      .slice(0, 15)
      .map(({ k, selfMs, share }) => ({ name: k, selfMs, share })),
    byArea: rank(byArea)
      .slice(0, 12)
      .map(({ k, selfMs, share }) => ({ area: k, selfMs, share }))
  }
}

export function formatProfile(s: ProfileSummary): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`.padStart(6)
  return [
    `profile ${s.file} (${s.totalMs.toFixed(0)} ms)`,
    '  self time by area:',
    ...s.byArea.map((a) => `    ${pct(a.share)} ${a.selfMs.toFixed(0).padStart(6)} ms  ${a.area}`),
    '  top functions (self):',
    ...s.top.map((f) => `    ${pct(f.share)} ${f.selfMs.toFixed(0).padStart(6)} ms  ${f.name}`)
  ].join('\n')
}
