/**
 * A generated repository for the trigger-rewrite benchmark: 100 imported streams (10 tags each, one history item) and
 * N manifest files in five equal parts: Deployments bound by the trigger annotation, DeploymentConfigs with
 * ImageChange triggers, Flux HelmReleases with a whole-reference marker comment, kustomizations with split
 * name/tag/digest markers, and plain files (Services, ConfigMaps, Deployments pinned by hand). Every bound file pins
 * an older digest, so every bound file is rewritten: the cost of a run after a base image moved everywhere.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const STREAMS = 100
export const TAGS = 10
export const KINDS = ['annotation', 'deploymentconfig', 'marker', 'marker-split', 'plain'] as const
export type ManifestKind = (typeof KINDS)[number]

const digest = (seed: string): string => `sha256:${createHash('sha256').update(seed).digest('hex')}`
const stream = (s: number): string => `s${String(s).padStart(3, '0')}`
const image = (s: number): string => `quay.io/bench/${stream(s)}`
export const currentDigest = (s: number, t: number): string => digest(`current ${s} ${t}`)
const oldDigest = (s: number, t: number): string => digest(`old ${s} ${t}`)

function streamText(s: number): string {
  const out = [
    'apiVersion: image.openshift.io/v1',
    'kind: ImageStream',
    'metadata:',
    `  name: ${stream(s)}`,
    '  generation: 2',
    'spec:',
    '  lookupPolicy:',
    '    local: false',
    '  tags:'
  ]
  for (let t = 0; t < TAGS; t++) {
    out.push(
      `  - name: v${t}`,
      '    annotations: null',
      '    from:',
      '      kind: DockerImage',
      `      name: ${image(s)}:v${t}`,
      '    generation: 2',
      '    importPolicy:',
      '      scheduled: true',
      '    referencePolicy:',
      '      type: Source'
    )
  }
  out.push('status:', '  dockerImageRepository: ""', '  tags:')
  for (let t = 0; t < TAGS; t++) {
    out.push(
      `  - tag: v${t}`,
      '    items:',
      '    - created: "2026-11-20T10:00:00Z"',
      `      dockerImageReference: ${image(s)}@${currentDigest(s, t)}`,
      `      image: ${currentDigest(s, t)}`,
      '      generation: 2'
    )
  }
  return out.join('\n') + '\n'
}

/** Resources, env and probes: a manifest of a realistic size (~1.5 KB), not a five-line toy. */
function containerBody(indent: string): string[] {
  return [
    `${indent}  ports:`,
    `${indent}  - containerPort: 8080`,
    `${indent}    name: http`,
    `${indent}  env:`,
    `${indent}  - name: LOG_LEVEL`,
    `${indent}    value: info`,
    `${indent}  - name: POD_NAME`,
    `${indent}    valueFrom:`,
    `${indent}      fieldRef:`,
    `${indent}        fieldPath: metadata.name`,
    `${indent}  resources:`,
    `${indent}    requests: {cpu: 50m, memory: 64Mi}`,
    `${indent}    limits: {memory: 256Mi}`,
    `${indent}  readinessProbe:`,
    `${indent}    httpGet: {path: /healthz, port: http}`,
    `${indent}    periodSeconds: 10`
  ]
}

function manifestText(kind: ManifestKind, k: number): string {
  const s = k % STREAMS
  const t = Math.floor(k / STREAMS) % TAGS
  const name = `app-${String(k).padStart(6, '0')}`
  const ref = `${stream(s)}:v${t}`
  const pinned = `${image(s)}@${oldDigest(s, t)}`
  switch (kind) {
    case 'annotation':
      return (
        [
          `# ${name}: bound by the trigger annotation`,
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata:',
          `  name: ${name}`,
          '  labels: {app: ' + name + ', tier: backend}',
          '  annotations:',
          `    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"${ref}"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"app\\")].image"}]'`,
          'spec:',
          '  replicas: 2',
          '  selector:',
          `    matchLabels: {app: ${name}}`,
          '  template:',
          '    metadata:',
          `      labels: {app: ${name}}`,
          '    spec:',
          '      containers:',
          '      - name: app',
          `        image: ${pinned}`,
          ...containerBody('      '),
          '      - name: proxy   # not bound: stays as it is',
          '        image: docker.io/envoyproxy/envoy:v1.30.1',
          '---',
          'apiVersion: v1',
          'kind: Service',
          'metadata:',
          `  name: ${name}`,
          'spec:',
          `  selector: {app: ${name}}`,
          '  ports:',
          '  - port: 80',
          '    targetPort: http'
        ].join('\n') + '\n'
      )
    case 'deploymentconfig':
      return (
        [
          'apiVersion: apps.openshift.io/v1',
          'kind: DeploymentConfig',
          'metadata:',
          `  name: ${name}`,
          'spec:',
          '  replicas: 1',
          '  triggers:',
          '  - type: ConfigChange',
          '  - type: ImageChange',
          '    imageChangeParams:',
          '      automatic: true',
          '      containerNames:',
          '      - app',
          '      from:',
          '        kind: ImageStreamTag',
          `        name: ${ref}`,
          `      lastTriggeredImage: ${pinned}`,
          '  template:',
          '    metadata:',
          `      labels: {app: ${name}}`,
          '    spec:',
          '      containers:',
          '      - name: app',
          `        image: ${pinned}`,
          ...containerBody('      ')
        ].join('\n') + '\n'
      )
    case 'marker':
      return (
        [
          'apiVersion: helm.toolkit.fluxcd.io/v2',
          'kind: HelmRelease',
          'metadata:',
          `  name: ${name}`,
          '  namespace: apps',
          'spec:',
          '  interval: 10m',
          '  chart:',
          '    spec:',
          '      chart: app',
          '      version: 1.2.3',
          '      sourceRef: {kind: HelmRepository, name: charts}',
          '  values:',
          `    image: ${pinned} # {"$imagestream": "${ref}"}`,
          '    replicaCount: 2',
          '    service:',
          '      type: ClusterIP',
          '      port: 80',
          '    resources:',
          '      requests: {cpu: 50m, memory: 64Mi}'
        ].join('\n') + '\n'
      )
    case 'marker-split':
      return (
        [
          'apiVersion: kustomize.config.k8s.io/v1beta1',
          'kind: Kustomization',
          `namespace: ${name}`,
          'resources:',
          '- ../../base',
          'images:',
          `- name: ${stream(s)}`,
          `  newName: ${image(s)} # {"$imagestream": "${ref}:name"}`,
          `  newTag: v${t}-old # {"$imagestream": "${ref}:tag"}`,
          `  digest: ${oldDigest(s, t)} # {"$imagestream": "${ref}:digest"}`,
          'labels:',
          '- pairs:',
          `    app: ${name}`
        ].join('\n') + '\n'
      )
    case 'plain': {
      const variant = k % 3
      if (variant === 0) {
        return (
          [
            'apiVersion: v1',
            'kind: ConfigMap',
            'metadata:',
            `  name: ${name}`,
            'data:',
            '  config.yaml: |',
            '    listen: :8080',
            '    upstreams:',
            '    - http://backend:8080',
            '    - http://cache:6379',
            `  release: "${k}"`
          ].join('\n') + '\n'
        )
      }
      if (variant === 1) {
        return (
          [
            'apiVersion: v1',
            'kind: Service',
            'metadata:',
            `  name: ${name}`,
            'spec:',
            `  selector: {app: ${name}}`,
            '  ports:',
            '  - port: 80',
            '    targetPort: 8080'
          ].join('\n') + '\n'
        )
      }
      return (
        [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata:',
          `  name: ${name}`,
          'spec:',
          '  template:',
          '    spec:',
          '      containers:',
          '      - name: app',
          `        image: docker.io/library/nginx@${oldDigest(s, t)}   # pinned by hand, no binding`,
          ...containerBody('      ')
        ].join('\n') + '\n'
      )
    }
  }
}

export interface ManifestRepo {
  root: string
  files: number
  /** Files that carry a binding (and so are rewritten). */
  bound: number
  /** Writes every bound file back to its old text (untimed, between runs). */
  reset(): void
  remove(): void
}

/** `files` manifests (rounded down to a multiple of 5) under apps/NNN/, 100 per directory, plus the streams. */
export function createManifestRepo(files: number): ManifestRepo {
  const root = mkdtempSync(join(tmpdir(), 'imagestream-bench-manifests-'))
  mkdirSync(join(root, 'imagestreams'))
  for (let s = 0; s < STREAMS; s++) writeFileSync(join(root, 'imagestreams', `${stream(s)}.yaml`), streamText(s))
  const n = files - (files % KINDS.length)
  const path = (k: number): string =>
    join(root, 'apps', String(Math.floor(k / 100)).padStart(4, '0'), `${KINDS[k % KINDS.length]}-${k}.yaml`)
  const write = (onlyBound: boolean): void => {
    for (let k = 0; k < n; k++) {
      const kind = KINDS[k % KINDS.length]!
      if (onlyBound && kind === 'plain') continue
      if (k % 100 === 0)
        mkdirSync(join(root, 'apps', String(Math.floor(k / 100)).padStart(4, '0')), { recursive: true })
      writeFileSync(path(k), manifestText(kind, k))
    }
  }
  write(false)
  return {
    root,
    files: n,
    bound: (n / KINDS.length) * (KINDS.length - 1),
    reset: () => write(true),
    remove: () => rmSync(root, { recursive: true, force: true })
  }
}

/**
 * One rendered manifest of `docs` Deployment documents (what `helm template` or `kustomize build` writes for a big
 * application), each bound by the trigger annotation and pinning an old digest, plus the streams.
 */
export function createBigFileRepo(docs: number): ManifestRepo {
  const root = mkdtempSync(join(tmpdir(), 'imagestream-bench-bigfile-'))
  mkdirSync(join(root, 'imagestreams'))
  mkdirSync(join(root, 'rendered'))
  for (let s = 0; s < STREAMS; s++) writeFileSync(join(root, 'imagestreams', `${stream(s)}.yaml`), streamText(s))
  const deployment = (k: number): string => manifestText('annotation', k).split('\n---\n')[0]!
  const write = (): void => {
    const parts: string[] = []
    for (let k = 0; k < docs; k++) parts.push(deployment(k))
    writeFileSync(join(root, 'rendered', 'all.yaml'), parts.join('\n---\n') + '\n')
  }
  write()
  return { root, files: 1, bound: 1, reset: write, remove: () => rmSync(root, { recursive: true, force: true }) }
}
