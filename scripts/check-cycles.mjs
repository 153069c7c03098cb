// Import cycles in src/: between files, and between folders (a folder's files importing a folder whose files import
// it back). Type-only imports (`import type`, `export type`) are left out: they are erased from the program, and a
// result type may be declared where it is produced and named where it is rendered.
// Exits 1 and names each cycle; prints nothing else on success.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const root = resolve(dirname(new URL(import.meta.url).pathname), '..', 'src')
const files = []
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) walk(full)
    else if (name.endsWith('.ts')) files.push(full)
  }
}
walk(root)

const edges = new Map()
for (const file of files) {
  const text = readFileSync(file, 'utf8')
  const targets = new Set()
  for (const m of text.matchAll(/^\s*(?:import|export)\b(?!\s+type\b)[^'"]*?from\s+'(\.[^']+)'/gm)) {
    targets.add(resolve(dirname(file), m[1].replace(/\.js$/, '.ts')))
  }
  edges.set(
    file,
    [...targets].filter((t) => edges.has(t) || files.includes(t))
  )
}

function cycles(graph) {
  const found = []
  const state = new Map()
  const stack = []
  const visit = (node) => {
    state.set(node, 1)
    stack.push(node)
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 1) found.push([...stack.slice(stack.indexOf(next)), next])
      else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(node, 2)
  }
  for (const node of graph.keys()) if (!state.has(node)) visit(node)
  return found
}

const rel = (p) => relative(root, p) || '.'
const fileCycles = cycles(edges)
// Folders: a subfolder importing its parent's model (`../types.ts`) is part of the parent, not a cycle.
const folders = new Map()
for (const [file, targets] of edges) {
  const from = dirname(file)
  for (const t of targets) {
    const to = dirname(t)
    if (to === from || (from.startsWith(`${to}/`) && t.endsWith('/types.ts'))) continue
    folders.set(from, new Set([...(folders.get(from) ?? []), to]))
  }
}
const folderCycles = cycles(new Map([...folders].map(([k, v]) => [k, [...v]])))
for (const c of fileCycles) console.log(`file cycle: ${c.map(rel).join(' → ')}`)
for (const c of folderCycles) console.log(`folder cycle: ${c.map(rel).join(' → ')}`)
process.exit(fileCycles.length + folderCycles.length > 0 ? 1 : 0)
