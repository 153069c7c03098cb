/**
 * `apply-triggers` over real manifests (test/fixtures/real/SOURCES.md, "Manifests"): Deployments carrying the
 * `image.openshift.io/triggers` annotation, DeploymentConfigs with ImageChange triggers (plain, in a `List`, with init
 * containers, without an `image` field), a ReplicaSet with the annotation, and OpenShift Templates (JSON).
 *
 * The streams the triggers name are built here, one file per stream with a known digest per tag, and the command runs
 * as a user runs it (runCommand, the engine both shells call). What OpenShift's trigger controllers would write is
 * computed independently of src/triggers, from the parsed objects: the annotation reactor
 * (openshift-controller-manager pkg/image/trigger/annotations, UpdateObjectFromImages) on the four kinds it watches,
 * and the DeploymentConfig image-change trigger (pkg/apps/deploymentconfig, ResolveImageStreamTag → the tag's latest
 * dockerImageReference in the named containers, automatic triggers only).
 */
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { glob } from 'tinyglobby'
import { parseAllDocuments } from 'yaml'
import { runCommand, type CommandResult } from '../../src/pipeline/execute.js'

const CORPUS = fileURLToPath(new URL('../fixtures/real/manifests/', import.meta.url))
const NOW = new Date('2026-11-30T03:00:00Z')
/** The kinds openshift-controller-manager's annotation trigger controller watches (image_trigger_controller.go). */
const ANNOTATED_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob'])

type Obj = Record<string, any>
/** One container an OpenShift controller would point at a stream tag. */
interface Expected {
  container: string
  list: 'containers' | 'initContainers'
  stream: string
  tag: string
}
interface Parsed {
  objects: Obj[]
  templates: number
  /** Objects carrying the annotation that OpenShift does not watch. */
  unwatched: Obj[]
}

let root: string
let files: string[]
let parsed: Map<string, Parsed>
let result: CommandResult

function documents(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((d): d is Obj => d !== null && typeof d === 'object')
}

function parse(text: string): Parsed {
  const out: Parsed = { objects: [], templates: 0, unwatched: [] }
  for (const doc of documents(text)) {
    if (doc.kind === 'Template') out.templates++
    else if (typeof doc.kind === 'string' && doc.kind.endsWith('List')) out.objects.push(...(doc.items ?? []))
    else out.objects.push(doc)
  }
  out.unwatched = out.objects.filter(
    (o) => o.metadata?.annotations?.['image.openshift.io/triggers'] && !ANNOTATED_KINDS.has(o.kind)
  )
  return out
}

function podSpec(o: Obj): Obj {
  return o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec
}

/** `spec.template.spec.containers[?(@.name=="x")].image` or `…containers[0].image`, resolved against the object. */
function fieldPathTarget(o: Obj, fieldPath: string): Pick<Expected, 'container' | 'list'> {
  const m = /(containers|initContainers)\[(?:\?\(@\.name=="([^"]+)"\)|(\d+))\]\.image$/.exec(fieldPath)
  if (!m) throw new Error(`fieldPath not understood by the test: ${fieldPath}`)
  const list = m[1] as Expected['list']
  return { list, container: m[2] ?? podSpec(o)[list][Number(m[3])].name }
}

const tagOf = (name: string) => ({ stream: name.split(':')[0]!, tag: name.split(':')[1] ?? 'latest' })

/** What OpenShift's controllers would set in this object, container by container. */
function expectations(o: Obj): Expected[] {
  const annotation = o.metadata?.annotations?.['image.openshift.io/triggers']
  if (annotation && ANNOTATED_KINDS.has(o.kind)) {
    return (JSON.parse(annotation) as Obj[]).map((t) => ({ ...fieldPathTarget(o, t.fieldPath), ...tagOf(t.from.name) }))
  }
  if (o.kind !== 'DeploymentConfig') return []
  return (o.spec.triggers ?? [])
    .filter((t: Obj) => t.type === 'ImageChange' && t.imageChangeParams.automatic)
    .flatMap((t: Obj) =>
      // The API server refuses an ImageChange trigger without containerNames (ValidateDeploymentConfigSpec): none.
      (t.imageChangeParams.containerNames ?? []).map((c: string) => ({
        container: c,
        list: (podSpec(o).initContainers ?? []).some((x: Obj) => x.name === c) ? 'initContainers' : 'containers',
        ...tagOf(t.imageChangeParams.from.name)
      }))
    )
}

/** Every stream tag a DeploymentConfig's ImageChange triggers name, also those OpenShift would refuse. */
function namedByDeploymentConfig(o: Obj): Array<Pick<Expected, 'stream' | 'tag'>> {
  if (o.kind !== 'DeploymentConfig') return []
  return (o.spec.triggers ?? [])
    .filter((t: Obj) => t.type === 'ImageChange')
    .map((t: Obj) => tagOf(t.imageChangeParams.from.name))
}

const digestOf = (stream: string, tag: string) =>
  `sha256:${Buffer.from(`${stream}:${tag}`).toString('hex').padEnd(64, '0').slice(0, 64)}`
const referenceOf = (stream: string, tag: string) => `quay.io/corpus/${stream}@${digestOf(stream, tag)}`

function streamFile(name: string, tags: string[]): string {
  const spec = tags.map(
    (t) => `  - name: ${t}\n    from:\n      kind: DockerImage\n      name: quay.io/corpus/${name}:${t}`
  )
  const status = tags.map(
    (t) =>
      `  - tag: ${t}\n    items:\n    - created: '2026-11-01T00:00:00Z'\n` +
      `      dockerImageReference: ${referenceOf(name, t)}\n      image: ${digestOf(name, t)}\n      generation: 1`
  )
  return [
    'apiVersion: image.openshift.io/v1',
    'kind: ImageStream',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  tags:',
    ...spec,
    'status:',
    '  dockerImageRepository: ""',
    '  tags:',
    ...status,
    ''
  ].join('\n')
}

beforeAll(async () => {
  files = (await glob('**/*.{json,yaml,yml}', { cwd: CORPUS })).sort()
  parsed = new Map(files.map((f) => [f, parse(readFileSync(join(CORPUS, f), 'utf8'))]))
  root = mkdtempSync(join(tmpdir(), 'corpus-triggers-'))
  cpSync(CORPUS, join(root, 'deploy'), { recursive: true })
  const tags = new Map<string, Set<string>>()
  for (const p of parsed.values())
    for (const e of p.objects.flatMap((o) => [...expectations(o), ...namedByDeploymentConfig(o)]))
      tags.set(e.stream, (tags.get(e.stream) ?? new Set()).add(e.tag))
  mkdirSync(join(root, 'imagestreams'))
  for (const [name, set] of tags) writeFileSync(join(root, 'imagestreams', `${name}.yaml`), streamFile(name, [...set]))
  result = await runCommand(
    { verb: 'apply-triggers' },
    {
      root,
      streamsGlob: 'imagestreams/*.yaml',
      manifests: { include: ['deploy/**/*.{json,yaml,yml}'] },
      now: NOW,
      write: true,
      metadata: false
    }
  )
})

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

/**
 * The object as OpenShift's controllers would leave it: each expected container's image set to the tag's latest
 * dockerImageReference, and (DeploymentConfig, ImageChange trigger) lastTriggeredImage set to it.
 */
function triggered(o: Obj): Obj {
  const out = structuredClone(o)
  for (const e of expectations(o)) {
    const c = podSpec(out)[e.list].find((x: Obj) => x.name === e.container)
    c.image = referenceOf(e.stream, e.tag)
  }
  if (o.kind === 'DeploymentConfig')
    for (const t of out.spec.triggers ?? []) {
      const p = t.imageChangeParams
      if (t.type !== 'ImageChange' || !p.automatic || !p.containerNames?.length) continue
      const { stream, tag } = tagOf(p.from.name)
      p.lastTriggeredImage = referenceOf(stream, tag)
    }
  return out
}

/** Lines removed from and added to `a` to make `b` (a longest-common-subsequence diff; the files are small). */
function lineDiff(a: string[], b: string[]): { removed: string[]; added: string[] } {
  const n = a.length
  const m = b.length
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
  const removed: string[] = []
  const added: string[] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      i++
      j++
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) added.push(b[j++]!)
    else removed.push(a[i++]!)
  }
  return { removed, added }
}

const original = (file: string) => readFileSync(join(CORPUS, file), 'utf8')
const written = (file: string) => readFileSync(join(root, 'deploy', file), 'utf8')
const touched = (file: string) => parsed.get(file)!.objects.some((o) => expectations(o).length > 0)
/** The file whose DeploymentConfig has an ImageChange trigger without containerNames. */
const refusedFile = () =>
  files.find((f) =>
    parsed
      .get(f)!
      .objects.some(
        (o) =>
          o.kind === 'DeploymentConfig' &&
          o.spec.triggers.some((t: Obj) => t.imageChangeParams && !t.imageChangeParams.containerNames)
      )
  )!
const diagnosticsOf = (file: string) => result.diagnostics.filter((d) => d.file === `deploy/${file}`)

describe('apply-triggers over real manifests (openshift/origin, eclipse-jkube/jkube, openshift/library)', () => {
  it('the corpus holds what the rules need: three repositories, annotations, DeploymentConfigs, Lists, Templates', () => {
    expect(files.length).toBeGreaterThanOrEqual(20)
    expect(new Set(files.map((f) => f.split('/')[0]))).toEqual(new Set(['jkube', 'openshift-library', 'origin']))
    const objects = [...parsed.values()].flatMap((p) => p.objects)
    expect(objects.filter((o) => ANNOTATED_KINDS.has(o.kind) && expectations(o).length).length).toBeGreaterThan(0)
    expect(objects.filter((o) => o.kind === 'DeploymentConfig' && expectations(o).length).length).toBeGreaterThan(5)
    // jkube's initcontainers DeploymentConfig: the trigger names the main container; its init containers stay.
    expect(objects.some((o) => expectations(o).length && podSpec(o).initContainers?.length)).toBe(true)
    expect([...parsed.values()].filter((p) => p.templates > 0).length).toBe(6)
  })

  it('runs without an error, and writes exactly the files whose objects OpenShift would change', () => {
    expect(result.failures).toEqual([])
    // The one error: the jkube DeploymentConfig the API server refuses (see ValidateDeploymentConfigSpec below).
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file)).toEqual([
      `deploy/${refusedFile()}`
    ])
    expect(new Set(result.written)).toEqual(new Set(files.filter(touched).map((f) => `deploy/${f}`)))
  })

  it('UpdateObjectFromImages / the DeploymentConfig image trigger: each object is what the controller would write', () => {
    for (const file of files.filter(touched)) {
      const objects = parse(written(file)).objects
      expect({ file, objects }).toEqual({ file, objects: parsed.get(file)!.objects.map(triggered) })
    }
  })

  it('byte-exact: every other line stays as it was; only image and lastTriggeredImage lines change or appear', () => {
    for (const file of files.filter(touched)) {
      const refs = parsed
        .get(file)!
        .objects.flatMap(expectations)
        .map((e) => referenceOf(e.stream, e.tag))
      const { removed, added } = lineDiff(original(file).split('\n'), written(file).split('\n'))
      // An image key added to a container that had none opens the item, so the item's first key loses its dash.
      const moved = (line: string) => /^\s*- /.test(line) && added.includes(line.replace(/- /, '  '))
      for (const line of removed)
        expect({ file, line, ok: /^\s*(- )?image:/.test(line) || moved(line) }).toEqual({ file, line, ok: true })
      const kept = added.filter((a) => !removed.some((r) => moved(r) && a === r.replace(/- /, '  ')))
      for (const line of kept) {
        // The value in the quotes the replaced scalar had (a real file quotes `" "`), or plain.
        const m = /^(\s*(?:- )?)(image|lastTriggeredImage): (["']?)(\S+)\3$/.exec(line)
        expect({ file, line, ref: refs.includes(m?.[4] ?? '') }).toEqual({ file, line, ref: true })
      }
      // A replaced image line keeps its indentation and dash: the value is all that changed.
      for (const line of removed.filter((r) => !moved(r))) {
        const prefix = /^(\s*(?:- )?image: )/.exec(line)![1]!
        expect(added.some((a) => a.startsWith(prefix))).toBe(true)
      }
      expect(written(file).endsWith('\n')).toBe(original(file).endsWith('\n'))
    }
  })

  it('Templates are left alone (oc process fills in parameters first), each with a notice saying so', () => {
    for (const file of files.filter((f) => parsed.get(f)!.templates > 0)) {
      expect(readFileSync(join(root, 'deploy', file)).equals(readFileSync(join(CORPUS, file)))).toBe(true)
      expect(() => JSON.parse(written(file))).not.toThrow()
      expect(diagnosticsOf(file)).toEqual([
        expect.objectContaining({ severity: 'notice', message: expect.stringMatching(/^Template\/.* not followed/) })
      ])
    }
  })

  it('a kind the annotation controller does not watch (jkube ReplicaSet) is reported at its line and untouched', () => {
    const file = files.find((f) => parsed.get(f)!.unwatched.length > 0)!
    expect(parsed.get(file)!.unwatched.map((o) => o.kind)).toEqual(['ReplicaSet'])
    expect(readFileSync(join(root, 'deploy', file)).equals(readFileSync(join(CORPUS, file)))).toBe(true)
    const line =
      original(file)
        .split('\n')
        .findIndex((l) => l.includes('image.openshift.io/triggers')) + 1
    expect(diagnosticsOf(file)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line,
        message: expect.stringContaining('does not watch ReplicaSet')
      })
    ])
  })

  it('validateImageChangeParams: a DeploymentConfig whose ImageChange trigger lacks containerNames (jkube) is refused at its line, untouched', () => {
    const file = refusedFile()
    expect(readFileSync(join(root, 'deploy', file)).equals(readFileSync(join(CORPUS, file)))).toBe(true)
    const line =
      original(file)
        .split('\n')
        .findIndex((l) => l.includes('- imageChangeParams:')) + 1
    expect(diagnosticsOf(file)).toEqual([
      expect.objectContaining({ severity: 'error', line, message: expect.stringContaining('needs containerNames') })
    ])
  })

  it('kubectl parses every written file (apply --dry-run=client; with no cluster, it stops at the REST mapping)', () => {
    for (const file of result.written) {
      const out = kubectl(join(root, file))
      expect({ file, out }).toEqual({ file, out: expect.stringContaining('unable to recognize') })
      expect(out).not.toContain('error parsing')
    }
  })
})

/**
 * `kubectl apply --dry-run=client -f FILE` against no cluster (a refused loopback port, no kubeconfig): kubectl
 * decodes every document first ("error parsing FILE" when it cannot), then stops at the server's REST mapping.
 */
function kubectl(file: string): string {
  try {
    execFileSync('kubectl', ['apply', '--dry-run=client', '--validate=false', '-s', 'http://127.0.0.1:1', '-f', file], {
      env: { ...process.env, KUBECONFIG: '/dev/null' },
      stdio: 'pipe',
      timeout: 60_000
    })
    return ''
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e)
  }
}
