/**
 * The manifest corpus (test/fixtures/real/manifests, SOURCES.md "Manifests") and what OpenShift's trigger controllers
 * would write in it, computed from the parsed objects independently of src/triggers: the annotation reactor
 * (openshift-controller-manager pkg/image/trigger/annotations, UpdateObjectFromImages) on the four kinds it watches, and
 * the DeploymentConfig image-change trigger (the tag's latest dockerImageReference in the named containers, and in
 * lastTriggeredImage; automatic triggers only).
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'

export const CORPUS = fileURLToPath(new URL('../fixtures/real/manifests/', import.meta.url))
/** The kinds openshift-controller-manager's annotation trigger controller watches (image_trigger_controller.go). */
export const ANNOTATED_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob'])

export type Obj = Record<string, any>
/** One container an OpenShift controller would point at a stream tag. */
export interface Expected {
  container: string
  list: 'containers' | 'initContainers'
  stream: string
  tag: string
}
export interface Parsed {
  objects: Obj[]
  templates: number
  /** Objects carrying the annotation that OpenShift does not watch. */
  unwatched: Obj[]
}

export function documents(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((d): d is Obj => d !== null && typeof d === 'object')
}

export function parse(text: string): Parsed {
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

export function podSpec(o: Obj): Obj {
  return o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec
}

/** `spec.template.spec.containers[?(@.name=="x")].image` or `…containers[0].image`, resolved against the object. */
export function fieldPathTarget(o: Obj, fieldPath: string): Pick<Expected, 'container' | 'list'> {
  const m = /(containers|initContainers)\[(?:\?\(@\.name=="([^"]+)"\)|(\d+))\]\.image$/.exec(fieldPath)
  if (!m) throw new Error(`fieldPath not understood by the test: ${fieldPath}`)
  const list = m[1] as Expected['list']
  return { list, container: m[2] ?? podSpec(o)[list][Number(m[3])].name }
}

export const tagOf = (name: string) => ({ stream: name.split(':')[0]!, tag: name.split(':')[1] ?? 'latest' })

/** What OpenShift's controllers would set in this object, container by container. */
export function expectations(o: Obj): Expected[] {
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
export function namedByDeploymentConfig(o: Obj): Array<Pick<Expected, 'stream' | 'tag'>> {
  if (o.kind !== 'DeploymentConfig') return []
  return (o.spec.triggers ?? [])
    .filter((t: Obj) => t.type === 'ImageChange')
    .map((t: Obj) => tagOf(t.imageChangeParams.from.name))
}

export const digestOf = (stream: string, tag: string) =>
  `sha256:${Buffer.from(`${stream}:${tag}`).toString('hex').padEnd(64, '0').slice(0, 64)}`
export const referenceOf = (stream: string, tag: string) => `quay.io/corpus/${stream}@${digestOf(stream, tag)}`

export function streamFile(name: string, tags: string[]): string {
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

/**
 * The object as OpenShift's controllers would leave it: each expected container's image set to the tag's latest
 * dockerImageReference, and (DeploymentConfig, ImageChange trigger) lastTriggeredImage set to it.
 */
export function triggered(o: Obj): Obj {
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
export function lineDiff(a: string[], b: string[]): { removed: string[]; added: string[] } {
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

/**
 * `kubectl apply --dry-run=client -f FILE` against no cluster (a refused loopback port, no kubeconfig): kubectl
 * decodes every document first ("error parsing FILE" when it cannot), then stops at the server's REST mapping.
 */
export function kubectl(file: string): string {
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
