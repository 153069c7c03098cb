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
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { glob } from 'tinyglobby'
import { runCommand, type CommandResult } from '../../src/pipeline/execute.js'
import {
  ANNOTATED_KINDS,
  CORPUS,
  expectations,
  kubectl,
  lineDiff,
  namedByDeploymentConfig,
  parse,
  podSpec,
  referenceOf,
  streamFile,
  triggered,
  type Obj,
  type Parsed
} from '../support/manifest-corpus.js'

const NOW = new Date('2026-11-30T03:00:00Z')

let root: string
let files: string[]
let parsed: Map<string, Parsed>
let result: CommandResult

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
