/**
 * Marker comments (YAML and template lines), DeploymentConfig triggers ([ocm] pkg/image/trigger/deploymentconfigs
 * UpdateDeploymentConfigImages), resolution rules and the guards: YAML errors, alias bombs, huge files.
 */
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { createCatalog } from '../../src/triggers/catalog.js'
import { findBindings } from '../../src/triggers/find.js'
import { parseMarker } from '../../src/triggers/markers.js'
import { applyEdits, planEdits } from '../../src/triggers/plan.js'
import { rewriteManifests } from '../../src/triggers/rewrite.js'
import type { RewriteOptions } from '../../src/triggers/types.js'
import { digest, stream } from './helpers.js'

const streams = [
  stream('web', undefined, {
    '1.4': { items: [digest('a2'), digest('a1')] },
    next: {},
    pinned: { from: `quay.io/acme/web@${digest('a1')}`, items: [digest('a1')] }
  }),
  stream('web', 'prod', { '1.4': { items: [digest('f2')] } }),
  stream(
    'nginx',
    undefined,
    { '1.25': { from: 'nginx:1.25', items: [digest('c2')], repository: 'docker.io/library/nginx', policy: 'Local' } },
    'registry.svc:5000/shop/nginx'
  ),
  stream('alias', undefined, {})
]
// An ImageStreamTag alias: `alias:stable` follows `web:1.4` for its upstream tag.
streams[3].spec.tags = [{ name: 'stable', from: { kind: 'ImageStreamTag', name: 'web:1.4' } }]
streams[3].status = {
  dockerImageRepository: '',
  tags: [
    {
      tag: 'stable',
      items: [
        {
          created: '2024-05-02T09:15:03Z',
          dockerImageReference: `quay.io/acme/web@${digest('a2')}`,
          image: digest('a2'),
          generation: 1
        }
      ]
    }
  ]
}
const catalog = createCatalog(streams)

function rewrite(text: string, options: RewriteOptions = {}, path = 'values.yaml') {
  const r = rewriteManifests([{ path, text }], catalog, options)
  return {
    text: r.changed[0]?.text ?? text,
    diagnostics: r.diagnostics,
    edits: r.changed[0]?.edits ?? [],
    pinned: r.pinnedDigests
  }
}

describe('parseMarker', () => {
  it.each([
    ['{"$imagestream": "web:1.4"}', { from: { namespace: undefined, stream: 'web', tag: '1.4' }, part: 'reference' }],
    ['{"$imagestream": "prod/web:1.4"}', { from: { namespace: 'prod', stream: 'web', tag: '1.4' }, part: 'reference' }],
    ['{"$imagestream": "web:1.4:name"}', { from: { namespace: undefined, stream: 'web', tag: '1.4' }, part: 'name' }],
    ['{"$imagestream": "web:1.4:tag"}', { from: { namespace: undefined, stream: 'web', tag: '1.4' }, part: 'tag' }],
    [
      '{"$imagestream":"prod/web:1.4:digest"} trailing words',
      { from: { namespace: 'prod', stream: 'web', tag: '1.4' }, part: 'digest' }
    ]
  ])('%s', (body, expected) => {
    expect(parseMarker(body)).toEqual({ ok: true, ...expected })
  })

  it.each([
    ['{"$imagestream": "web"}', 'is not [namespace/]stream:tag'],
    ['{"$imagestream": "web:1.4:repo"}', 'is not [namespace/]stream:tag'],
    ['{"$imagestream": "a/b/web:1.4"}', 'not a valid image stream name'],
    ['{"$imagestream": "Web:1.4"}', 'not a valid image stream name'],
    ['{"$imagestream": 3}', 'must be a string'],
    ['{"$imagestream": "web:1.4"', 'not valid JSON']
  ])('rejects %s', (body, message) => {
    const r = parseMarker(body)
    expect(!r.ok && r.message).toContain(message)
  })
})

describe('marker comments in YAML', () => {
  it('sets the full reference, keeping quotes, comments and spacing', () => {
    const text = 'a:\n  image: "quay.io/acme/web:1.3"   #   {"$imagestream": "web:1.4"} keep me\n  other: 1\n'
    expect(rewrite(text).text).toBe(
      `a:\n  image: "quay.io/acme/web@${digest('a2')}"   #   {"$imagestream": "web:1.4"} keep me\n  other: 1\n`
    )
  })

  it('writes split fields: repository, upstream tag and digest', () => {
    const text = [
      'image:',
      '  repository: \'old/repo\' # {"$imagestream": "nginx:1.25:name"}',
      '  tag: 1.24 # {"$imagestream": "nginx:1.25:tag"}',
      '  digest: "" # {"$imagestream": "nginx:1.25:digest"}',
      ''
    ].join('\n')
    const out = parse(rewrite(text).text)
    // Local reference policy: the repository is the internal one; the tag stays a string.
    expect(out).toEqual({ image: { repository: 'registry.svc:5000/shop/nginx', tag: '1.25', digest: digest('c2') } })
  })

  it('prefers a namespaced stream for its namespace and the un-namespaced one elsewhere', () => {
    const text =
      'a: x # {"$imagestream": "prod/web:1.4"}\nb: x # {"$imagestream": "web:1.4"}\nc: x # {"$imagestream": "dev/web:1.4"}\n'
    const r = rewrite(text)
    expect(parse(r.text)).toEqual({
      a: `quay.io/acme/web@${digest('f2')}`,
      b: `quay.io/acme/web@${digest('a2')}`,
      c: `quay.io/acme/web@${digest('a2')}`
    })
    expect(r.diagnostics).toEqual([])
  })

  it('takes the only namespaced stream for a binding without namespace, and refuses to guess between two', () => {
    const two = createCatalog([
      stream('api', 'a', { v1: { items: [digest('a1')] } }),
      stream('api', 'b', { v1: { items: [digest('b1')] } }),
      stream('db', 'a', { v1: { items: [digest('d1')] } })
    ])
    const r = rewriteManifests(
      [{ path: 'v.yaml', text: 'x: 1 # {"$imagestream": "api:v1"}\ny: 1 # {"$imagestream": "db:v1"}\n' }],
      two
    )
    expect(parse(r.changed[0].text)).toEqual({ x: 1, y: `quay.io/acme/db@${digest('d1')}` })
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ line: 1, severity: 'warning', message: expect.stringContaining('"api" is ambiguous') })
    ])
  })

  it('fills an empty value in place', () => {
    expect(rewrite('image: # {"$imagestream": "web:1.4"}\n').text).toBe(
      `image: quay.io/acme/web@${digest('a2')} # {"$imagestream": "web:1.4"}\n`
    )
  })

  it('binds the element of a flow sequence on the line', () => {
    expect(parse(rewrite('images: [quay.io/x:1] # {"$imagestream": "web:1.4"}\n').text)).toEqual({
      images: [`quay.io/acme/web@${digest('a2')}`]
    })
  })

  it('ignores marker text inside a block scalar and reports a marker with no value', () => {
    const text = 'doc: |\n  image: x # {"$imagestream": "web:1.4"}\nimage: # {"$imagestream": "web:1.4"}\n  nested: 1\n'
    const r = rewrite(text)
    expect(r.edits).toEqual([])
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        line: 3,
        severity: 'error',
        message: expect.stringContaining('no value before the marker')
      })
    ])
  })

  it('follows ImageStreamTag aliases for the upstream tag, and refuses :tag for a digest-pinned spec tag', () => {
    expect(parse(rewrite('t: x # {"$imagestream": "alias:stable:tag"}\n').text)).toEqual({ t: '1.4' })
    const r = rewrite('t: x # {"$imagestream": "web:pinned:tag"}\n')
    expect(r.edits).toEqual([])
    expect(r.diagnostics[0].message).toContain('pinned by digest')
  })

  it('honours Local policy unless told to ignore it', () => {
    const text = 'i: x # {"$imagestream": "nginx:1.25"}\n'
    expect(parse(rewrite(text).text).i).toBe(`registry.svc:5000/shop/nginx@${digest('c2')}`)
    expect(parse(rewrite(text, { ignoreLocalPolicy: true }).text).i).toBe(`docker.io/library/nginx@${digest('c2')}`)
    expect(parse(rewrite(text, { ignoreLocalPolicy: true, pinFormat: 'tag-digest' }).text).i).toBe(
      `docker.io/library/nginx:1.25@${digest('c2')}`
    )
  })

  it('refuses to bind one value twice with different values', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: p',
      '  annotations:',
      `    image.openshift.io/triggers: '[{"from":{"name":"web:1.4"},"fieldPath":"spec.template.spec.containers[0].image"}]'`,
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: p',
      '        image: x # {"$imagestream": "nginx:1.25"}',
      ''
    ].join('\n')
    const r = rewrite(text)
    expect(r.edits).toEqual([])
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringContaining('bound twice with different values')
      })
    ])
  })

  it('refuses to rewrite a template expression even in a file that parses', () => {
    const r = rewrite('image: "{{ .Values.image }}" # {"$imagestream": "web:1.4"}\n')
    expect(r.edits).toEqual([])
    expect(r.diagnostics[0].message).toContain('template expression')
  })
})

describe('marker lines in templates', () => {
  const path = 'chart/templates/deploy.yaml'
  it('replaces only the value token of the line, in its quoting', () => {
    const text = [
      '{{- if .Values.on }}',
      '  image: \'quay.io/acme/web:1.3\' # {"$imagestream": "web:1.4"}',
      '  - quay.io/acme/web:1.3   # {"$imagestream": "web:1.4:name"}',
      '  tag: {{ .Values.tag }} # {"$imagestream": "web:1.4:tag"}',
      '{{- end }}'
    ].join('\r\n')
    const r = rewrite(text, {}, path)
    expect(r.text).toBe(
      [
        '{{- if .Values.on }}',
        `  image: 'quay.io/acme/web@${digest('a2')}' # {"$imagestream": "web:1.4"}`,
        '  - quay.io/acme/web   # {"$imagestream": "web:1.4:name"}',
        '  tag: {{ .Values.tag }} # {"$imagestream": "web:1.4:tag"}',
        '{{- end }}'
      ].join('\r\n')
    )
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: 'notice', file: path }),
      expect.objectContaining({ severity: 'error', line: 4, message: expect.stringContaining('template expression') })
    ])
  })
})

describe('DeploymentConfig ImageChange triggers', () => {
  const dc = (
    triggers: string,
    containers = '      - name: app\n        image: old\n      - name: side\n        image: old'
  ) =>
    [
      'apiVersion: apps.openshift.io/v1',
      'kind: DeploymentConfig',
      'metadata:',
      '  name: dc',
      'spec:',
      '  triggers:',
      triggers,
      '  template:',
      '    spec:',
      '      initContainers:',
      '      - name: app',
      '        image: old-init',
      '      containers:',
      containers,
      ''
    ].join('\n')
  const trigger = (name: string, opts: { automatic?: string; last?: string; names?: string; kind?: string } = {}) =>
    [
      '  - type: ImageChange',
      '    imageChangeParams:',
      `      automatic: ${opts.automatic ?? 'true'}`,
      `      containerNames: ${opts.names ?? '[app]'}`,
      `      from: {kind: ${opts.kind ?? 'ImageStreamTag'}, name: "${name}"}`,
      ...(opts.last !== undefined ? [`      lastTriggeredImage: ${opts.last}`] : [])
    ].join('\n')

  it('sets every container and init container named, and lastTriggeredImage', () => {
    const out = parse(rewrite(dc(trigger('web:1.4', { last: "''" }))).text)
    const ref = `quay.io/acme/web@${digest('a2')}`
    expect(out.spec.triggers[0].imageChangeParams.lastTriggeredImage).toBe(ref)
    expect(out.spec.template.spec.initContainers[0].image).toBe(ref)
    expect(out.spec.template.spec.containers.map((c: { image: string }) => c.image)).toEqual([ref, 'old'])
  })

  it('skips triggers that are not automatic or not ImageStreamTag', () => {
    expect(rewrite(dc(trigger('web:1.4', { automatic: 'false' }))).edits).toEqual([])
    const r = rewrite(dc(trigger('web:1.4', { kind: 'DockerImage' })))
    expect(r.edits).toEqual([])
    expect(r.diagnostics[0]).toMatchObject({
      severity: 'notice',
      line: 9,
      field: 'spec.triggers[0].imageChangeParams.from'
    })
  })

  it('waits while any automatic trigger is unresolvable and has no lastTriggeredImage', () => {
    const r = rewrite(dc(`${trigger('web:1.4')}\n${trigger('web:next', { names: '[side]' })}`))
    expect(r.edits).toEqual([])
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'notice',
        line: 14,
        message: expect.stringContaining('DeploymentConfig/dc is left alone')
      })
    ])
  })

  it('falls back to lastTriggeredImage for an unresolvable trigger, as OpenShift does', () => {
    const out = parse(
      rewrite(
        dc(`${trigger('web:1.4')}\n${trigger('web:next', { names: '[side]', last: 'quay.io/acme/web@sha256:prev' })}`)
      ).text
    )
    expect(out.spec.template.spec.containers.map((c: { image: string }) => c.image)).toEqual([
      `quay.io/acme/web@${digest('a2')}`,
      'quay.io/acme/web@sha256:prev'
    ])
  })

  it('warns about a container name the template lacks', () => {
    const r = rewrite(dc(trigger('web:1.4', { names: '[app, ghost]' })))
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('no container named "ghost"') })
    ])
    expect(r.edits).toHaveLength(3)
  })
})

describe('guards', () => {
  it('reports a YAML error with its line and still rewrites the other documents', () => {
    const text = 'a: "unclosed\n---\nb: x # {"$imagestream": "web:1.4"}\n'
    const found = findBindings('f.yaml', text)
    expect(found.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: 'f.yaml',
        line: 1,
        message: expect.stringContaining('YAML error')
      })
    ])
    expect(found.bindings).toHaveLength(1)
  })

  it('never expands aliases, so an alias bomb costs nothing', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for (let i = 1; i < 12; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`
      )
    const text = `${levels.join('\n')}\nimage: x # {"$imagestream": "web:1.4"}\n`
    const r = rewrite(text)
    expect(r.edits).toHaveLength(1)
    expect(r.text.endsWith(`image: quay.io/acme/web@${digest('a2')} # {"$imagestream": "web:1.4"}\n`)).toBe(true)
  })

  it('skips files above the size limit with a notice', () => {
    const found = findBindings('big.yaml', `image: x # {"$imagestream": "web:1.4"}\n${'#'.repeat(2000)}\n`, {
      maxBytes: 1000
    })
    expect(found).toMatchObject({
      mode: 'skipped',
      bindings: [],
      diagnostics: [{ severity: 'notice', file: 'big.yaml' }]
    })
  })

  it('does not count ImageStream documents as pinning their history', () => {
    const text = `kind: ImageStream\nstatus:\n  tags:\n  - items:\n    - image: ${digest('a1')}\n---\nimage: quay.io/x@${digest('e1')}\n`
    expect(findBindings('f.yaml', text).pinnedDigests).toEqual([digest('e1')])
  })

  it('applyEdits refuses stale and overlapping edits', () => {
    const text = 'image: x # {"$imagestream": "web:1.4"}\n'
    const { edits } = planEdits(findBindings('f.yaml', text).bindings, catalog)
    expect(applyEdits(text, edits)).toContain(digest('a2'))
    expect(() => applyEdits(text.replace('x', 'y'), edits)).toThrow('changed since the edit was planned')
    expect(() => applyEdits(text, [...edits, { ...edits[0], new: 'z' }])).toThrow('overlap')
  })
})
