/**
 * Dockerfile / Containerfile bindings: the marker `# {"$imagestream": "[ns/]stream:tag"}` on the comment line
 * directly above a `FROM`, `COPY --from=`, `RUN --mount=…from=…` or `ARG NAME=value` binds that instruction's
 * image reference (a Dockerfile comment must start its line, so the marker cannot trail the value as in YAML).
 * A reference that is one ARG (`FROM ${BASE}`) is written where its value is: on the `ARG` line. Build stage names
 * and `scratch` are never references (BuildKit's dockerfile2llb: a FROM naming an earlier stage, or scratch, pulls
 * nothing). Pure: text in, bindings out.
 */
import type { Diagnostic } from '../util/errors.js'
import { flags, parseDockerfile, splitLines } from './dockerfile-syntax.js'
import type { Instruction, SourceLine, Token } from './dockerfile-syntax.js'
import { findMarkerCandidates, parseMarker, type MarkerCandidate } from './markers.js'
import { digestsInText } from '../reference/digest-text.js'
import type { Binding, FindResult, Target } from './types.js'

/** Dockerfile and Containerfile names the scan picks up (the reference's conventions and `docker build -f` habits). */
export const DOCKERFILE_INCLUDE = [
  '**/Dockerfile',
  '**/Containerfile',
  '**/*.Dockerfile',
  '**/*.Containerfile',
  '**/Dockerfile.*',
  '**/Containerfile.*'
]
const NOT_DOCKERFILES = /\.(dockerignore|containerignore|ya?ml|json|md|txt)$/i

export function isDockerfileName(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1)
  if (NOT_DOCKERFILES.test(base)) return false
  return /^(Dockerfile|Containerfile)(\..+)?$/.test(base) || /^.+\.(Dockerfile|Containerfile)$/.test(base)
}

const WHOLE_VARIABLE = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/

/** One place an instruction names an image: FROM's image, COPY's --from, a RUN mount's from. */
interface Site {
  /** Offsets of the value inside its token. */
  start: number
  end: number
  value: string
  line: number
  what: string
}

interface ArgValue {
  start: number
  end: number
  value: string
  line: number
}

interface State {
  stages: Set<string>
  /**
   * ARGs before the first FROM: the only ones a FROM line may use (Dockerfile reference, "Understand how ARG and
   * FROM interact").
   */
  meta: Map<string, ArgValue>
  /** ARGs of the current stage (COPY and RUN see them). */
  stage: Map<string, ArgValue>
  seenFrom: boolean
}

function valueSite(token: Token, prefixLength: number, what: string): Site {
  const start = token.start + prefixLength
  return { start, end: token.end, value: token.text.slice(prefixLength), line: token.line, what }
}

/** `ARG NAME=value` values (quotes not included), in order. */
function argValues(ins: Instruction): Array<{ name: string; arg: ArgValue | undefined }> {
  return ins.args.map((t) => {
    const eq = t.text.indexOf('=')
    if (eq < 0) return { name: t.text, arg: undefined }
    let start = t.start + eq + 1
    let end = t.end
    let value = t.text.slice(eq + 1)
    const q = value[0]
    if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) {
      start++
      end--
      value = value.slice(1, -1)
    }
    return { name: t.text.slice(0, eq), arg: { start, end, value, line: t.line } }
  })
}

/** The image sites of one instruction, after stage names, `scratch` and stage indexes are left out. */
function sitesOf(ins: Instruction, state: State): Site[] {
  const { flags: fl, rest } = flags(ins.args)
  const isStage = (v: string) => state.stages.has(v.toLowerCase()) || /^\d+$/.test(v)
  if (ins.keyword === 'FROM') {
    const image = ins.args[rest]
    const as = ins.args[rest + 1]
    const alias = ins.args[rest + 2]
    if (as && as.text.toLowerCase() === 'as' && alias) state.stages.add(alias.text.toLowerCase())
    if (!image || image.text.toLowerCase() === 'scratch' || state.stages.has(image.text.toLowerCase())) return []
    return [valueSite(image, 0, 'FROM')]
  }
  if (ins.keyword === 'COPY') {
    const from = fl.find((t) => t.text.toLowerCase().startsWith('--from='))
    return from && !isStage(from.text.slice(7)) ? [valueSite(from, 7, 'COPY --from')] : []
  }
  if (ins.keyword === 'RUN') {
    const out: Site[] = []
    for (const t of fl) {
      if (!t.text.toLowerCase().startsWith('--mount=')) continue
      let at = 8
      for (const field of t.text.slice(8).split(',')) {
        if (field.toLowerCase().startsWith('from=') && !isStage(field.slice(5))) {
          const start = t.start + at + 5
          const end = t.start + at + field.length
          out.push({ start, end, value: field.slice(5), line: t.line, what: 'RUN --mount from' })
        }
        at += field.length + 1
      }
    }
    return out
  }
  return []
}

interface Ctx {
  file: string
  text: string
  lines: SourceLine[]
  bindings: Binding[]
  diagnostics: Diagnostic[]
}

function error(ctx: Ctx, c: MarkerCandidate, message: string): void {
  ctx.diagnostics.push({ severity: 'error', file: ctx.file, line: c.line, column: c.column, message })
}

function target(ctx: Ctx, at: { start: number; end: number; value: string; line: number }, field: string): Target {
  const line = ctx.lines[at.line - 1]
  const raw = ctx.text.slice(at.start, at.end)
  const column = at.start - line.start + 1
  return { field, line: at.line, column, start: at.start, end: at.end, raw, value: at.value, style: 'verbatim' }
}

const USAGE =
  'put the marker on the comment line directly above a FROM, COPY --from=, RUN --mount=…,from= or ARG NAME=image line'

export function findDockerfileBindings(file: string, text: string): FindResult {
  const ctx: Ctx = { file, text, lines: splitLines(text), bindings: [], diagnostics: [] }
  const parsed = parseDockerfile(text)
  const byLine = new Map<number, MarkerCandidate>()
  for (const c of findMarkerCandidates(text)) {
    // A Dockerfile comment starts its line: a `#` after other text is part of the instruction.
    if (text.slice(c.lineStart, c.hash).trim() === '') byLine.set(c.line, c)
  }
  const state: State = { stages: new Set(), meta: new Map(), stage: new Map(), seenFrom: false }
  for (const ins of parsed.instructions) {
    const marker = byLine.get(ins.line - 1)
    if (marker) byLine.delete(ins.line - 1)
    if (ins.keyword === 'ARG') {
      for (const { name, arg } of argValues(ins)) {
        const scope = state.seenFrom ? state.stage : state.meta
        if (arg) scope.set(name, arg)
        else if (state.seenFrom && state.meta.has(name)) state.stage.set(name, state.meta.get(name)!)
      }
      if (marker) bindArg(ctx, marker, ins)
      continue
    }
    const isFrom = ins.keyword === 'FROM'
    const sites = sitesOf(ins, state)
    if (isFrom) {
      state.seenFrom = true
      state.stage = new Map()
    }
    if (!marker) continue
    if (sites.length !== 1) {
      const none = `line ${ins.line} names no image (a build stage, scratch, or not an image instruction); ${USAGE}`
      const many = `line ${ins.line} names ${sites.length} images; one marker binds one`
      error(ctx, marker, sites.length === 0 ? none : many)
      continue
    }
    bindSite(ctx, marker, sites[0], isFrom ? state.meta : new Map([...state.meta, ...state.stage]))
  }
  for (const c of byLine.values()) error(ctx, c, `no instruction directly below the marker; ${USAGE}`)
  const digests = new Set(digestsInText(text))
  return { bindings: ctx.bindings, diagnostics: ctx.diagnostics, pinnedDigests: [...digests].sort(), mode: 'text' }
}

function bindArg(ctx: Ctx, c: MarkerCandidate, ins: Instruction): void {
  const parsed = parseMarker(c.body)
  if (!parsed.ok) return error(ctx, c, parsed.message)
  const values = argValues(ins).filter((a) => a.arg)
  if (values.length !== 1) {
    return error(ctx, c, `the ARG on line ${ins.line} must set exactly one NAME=value for a marker to bind it`)
  }
  const { name, arg } = values[0]
  if (arg!.value.includes('$')) return error(ctx, c, `ARG ${name} holds a variable; markers rewrite literal values`)
  push(ctx, c, parsed.from, parsed.part, target(ctx, arg!, `ARG ${name}`))
}

function bindSite(ctx: Ctx, c: MarkerCandidate, site: Site, args: ReadonlyMap<string, ArgValue>): void {
  const parsed = parseMarker(c.body)
  if (!parsed.ok) return error(ctx, c, parsed.message)
  if (parsed.part !== 'reference') {
    return error(ctx, c, `:${parsed.part} markers bind ARG lines only; a ${site.what} reference is written whole`)
  }
  if (!site.value.includes('$')) {
    return push(ctx, c, parsed.from, 'reference', target(ctx, site, `line ${site.line} ${site.what}`))
  }
  const v = WHOLE_VARIABLE.exec(site.value)
  if (!v) {
    const fix =
      'put the whole reference in one ARG (ARG BASE=image:tag … FROM ${BASE}) ' +
      'or mark the ARG line with :name/:tag/:digest'
    return error(ctx, c, `"${site.value}" mixes text and ARGs; ${fix}`)
  }
  const name = v[1] ?? v[2]
  const arg = args.get(name)
  if (!arg || arg.value === '') {
    const scope = site.what === 'FROM' ? ' before the first FROM' : ''
    return error(ctx, c, `${site.what} uses ARG ${name}, which has no default value${scope} to rewrite`)
  }
  if (arg.value.includes('$')) return error(ctx, c, `ARG ${name} holds a variable; markers rewrite literal values only`)
  push(ctx, c, parsed.from, 'reference', target(ctx, arg, `ARG ${name} (line ${site.line} ${site.what})`))
}

function push(ctx: Ctx, c: MarkerCandidate, from: Binding['from'], part: Binding['part'], t: Target): void {
  const { line, column } = c
  const field = t.field
  ctx.bindings.push({ source: 'dockerfile', file: ctx.file, line, column, field, from, part, target: t, pin: 'index' })
}

/**
 * The target of the last FROM's image: what a Docker strategy build replaces (OpenShift's builder replaces the
 * last FROM with the strategy's image). `FROM ${ARG}` lands on the ARG line; a stage name or scratch is refused.
 */
export function lastFromSite(file: string, text: string): Target | string {
  const ctx: Ctx = { file, text, lines: splitLines(text), bindings: [], diagnostics: [] }
  const state: State = { stages: new Set(), meta: new Map(), stage: new Map(), seenFrom: false }
  let last: { ins: Instruction; sites: Site[] } | undefined
  for (const ins of parseDockerfile(text).instructions) {
    if (ins.keyword === 'ARG' && !state.seenFrom) {
      for (const { name, arg } of argValues(ins)) if (arg) state.meta.set(name, arg)
    }
    if (ins.keyword !== 'FROM') continue
    state.seenFrom = true
    last = { ins, sites: sitesOf(ins, state) }
  }
  if (!last) return `${file} has no FROM`
  const site = last.sites[0]
  if (!site) return `the last FROM of ${file} (line ${last.ins.line}) names a build stage or scratch`
  if (!site.value.includes('$')) return target(ctx, site, `line ${site.line} FROM`)
  const v = WHOLE_VARIABLE.exec(site.value)
  const arg = v ? state.meta.get(v[1] ?? v[2]) : undefined
  if (!arg || arg.value === '' || arg.value.includes('$')) {
    return `the last FROM of ${file} (line ${last.ins.line}) uses ARGs that cannot be rewritten`
  }
  return target(ctx, arg, `ARG ${v![1] ?? v![2]} (line ${site.line} FROM)`)
}
