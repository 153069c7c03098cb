import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { importIntentFor } from '../../src/action/events.js'
import { readSettings, type Settings } from '../../src/action/settings.js'
import { InputError } from '../../src/util/errors.js'

const D = `sha256:${'ab'.repeat(32)}`

function settings(over: Record<string, string> = {}): Settings {
  return readSettings((name) => over[name] ?? (name === 'github-token' ? 't' : ''))
}

function registryPackage(
  over: {
    action?: unknown
    tag?: unknown
    digest?: unknown
    version?: unknown
    packageUrl?: unknown
    type?: unknown
  } = {}
): unknown {
  return {
    action: 'action' in over ? over.action : 'published',
    registry_package: {
      name: 'web',
      namespace: 'acme',
      package_type: 'type' in over ? over.type : 'CONTAINER',
      registry: { url: 'https://ghcr.io', type: 'CONTAINER' },
      package_version: {
        version: 'version' in over ? over.version : D,
        package_url: 'packageUrl' in over ? over.packageUrl : 'ghcr.io/acme/web:v1',
        container_metadata: {
          tag: { name: 'tag' in over ? over.tag : 'v1', digest: 'digest' in over ? over.digest : D }
        }
      }
    }
  }
}

function refused(eventName: string, payload: unknown): InputError {
  try {
    importIntentFor(eventName, payload, settings())
  } catch (err) {
    if (err instanceof InputError) return err
    throw err
  }
  throw new Error('expected an InputError')
}

describe('importIntentFor', () => {
  it('maps schedule, workflow_dispatch and unknown events to a scheduled tick, push to the pending tags', () => {
    expect(importIntentFor('schedule', {}, settings())).toEqual({ kind: 'scheduled' })
    expect(importIntentFor('workflow_dispatch', { inputs: {} }, settings())).toEqual({ kind: 'scheduled' })
    expect(importIntentFor('workflow_run', {}, settings())).toEqual({ kind: 'scheduled' })
    expect(importIntentFor('push', {}, settings())).toEqual({ kind: 'pending' })
  })

  it('lets the inputs win over the event: image (+digest), then images', () => {
    expect(
      importIntentFor('registry_package', registryPackage(), settings({ image: 'ghcr.io/acme/api:2', digest: D }))
    ).toEqual({
      kind: 'pushed',
      image: 'ghcr.io/acme/api:2',
      digest: D,
      source: 'inputs image/digest'
    })
    expect(importIntentFor('schedule', {}, settings({ images: 'all' }))).toEqual({ kind: 'all' })
    expect(importIntentFor('schedule', {}, settings({ images: 'web:latest\napi:v1' }))).toEqual({
      kind: 'tags',
      tags: ['web:latest', 'api:v1']
    })
  })

  describe('registry_package', () => {
    it('imports the published tag of the package, with the digest as a hint', () => {
      expect(importIntentFor('registry_package', registryPackage(), settings())).toEqual({
        kind: 'pushed',
        image: 'ghcr.io/acme/web:v1',
        digest: D,
        source: 'registry_package event'
      })
      expect(importIntentFor('registry_package', registryPackage({ action: 'updated' }), settings())).toMatchObject({
        kind: 'pushed'
      })
    })

    it('builds the repository from namespace, name and registry when package_url is absent', () => {
      expect(importIntentFor('registry_package', registryPackage({ packageUrl: undefined }), settings())).toMatchObject(
        { image: 'ghcr.io/acme/web:v1' }
      )
    })

    it('does nothing, saying why, for untagged manifests, other actions and other package types', () => {
      expect(importIntentFor('registry_package', registryPackage({ tag: '' }), settings())).toEqual({
        kind: 'none',
        reason: 'the registry_package event is for an untagged manifest (empty tag name)'
      })
      expect(importIntentFor('registry_package', registryPackage({ tag: null }), settings())).toMatchObject({
        kind: 'none'
      })
      expect(importIntentFor('registry_package', registryPackage({ action: 'deleted' }), settings())).toMatchObject({
        kind: 'none',
        reason: expect.stringContaining('deleted')
      })
      expect(importIntentFor('registry_package', registryPackage({ type: 'npm' }), settings())).toMatchObject({
        kind: 'none',
        reason: expect.stringContaining('npm')
      })
    })

    const hostile: Array<[string, unknown, RegExp]> = [
      ['a payload that is not an object', 'x', /^payload: must be an object/],
      [
        'a tag with shell syntax',
        registryPackage({ tag: 'v1;id' }),
        /container_metadata\.tag\.name: is not a valid tag/
      ],
      [
        'a tag with a newline',
        registryPackage({ tag: 'v1\n::set-output name=x::y' }),
        /tag\.name: contains control characters/
      ],
      [
        'a tag that is a number',
        registryPackage({ tag: 7 }),
        /tag\.name: must be a string in the event payload; got number/
      ],
      ['a digest that is not one', registryPackage({ digest: 'sha256:../../etc' }), /tag\.digest: must be a digest/],
      [
        'a package_url leaving the host',
        registryPackage({ packageUrl: 'ghcr.io/../../etc/passwd:v1' }),
        /package_url: does not name an image/
      ],
      [
        'a package_url with spaces',
        registryPackage({ packageUrl: 'ghcr.io/acme/web $(id):v1' }),
        /package_url: does not name an image repository/
      ],
      [
        'an enormous package_url',
        registryPackage({ packageUrl: `ghcr.io/${'a'.repeat(5000)}:v1` }),
        /package_url: is longer than 1024 characters/
      ]
    ]
    it.each(hostile)('refuses %s with the field named', (_name, payload, message) => {
      expect(refused('registry_package', payload).message).toMatch(message)
    })
  })

  describe('repository_dispatch', () => {
    it('imports client_payload.image with its digest, or images / all, else behaves like a scheduled run', () => {
      expect(
        importIntentFor(
          'repository_dispatch',
          { client_payload: { image: 'quay.io/acme/web:main', digest: D } },
          settings()
        )
      ).toEqual({
        kind: 'pushed',
        image: 'quay.io/acme/web:main',
        digest: D,
        source: 'repository_dispatch event'
      })
      expect(importIntentFor('repository_dispatch', { client_payload: { images: 'all' } }, settings())).toEqual({
        kind: 'all'
      })
      expect(
        importIntentFor('repository_dispatch', { client_payload: { images: ['web:latest'] } }, settings())
      ).toEqual({ kind: 'tags', tags: ['web:latest'] })
      expect(importIntentFor('repository_dispatch', { client_payload: null }, settings())).toEqual({
        kind: 'scheduled'
      })
    })

    const hostile: Array<[string, unknown, RegExp]> = [
      [
        'an image with spaces',
        { client_payload: { image: 'quay.io/acme/web:main --insecure' } },
        /client_payload\.image: must be one image reference without spaces/
      ],
      [
        'an image with control characters',
        { client_payload: { image: 'web\u0007' } },
        /client_payload\.image: contains control characters/
      ],
      [
        'a digest that is not one',
        { client_payload: { image: 'quay.io/acme/web', digest: 'latest' } },
        /client_payload\.digest: must be a digest/
      ],
      [
        'images that are not strings',
        { client_payload: { images: [{ toString: 'x' }] } },
        /client_payload\.images\[0\]: must be a string/
      ],
      ['a client_payload that is a list', { client_payload: [] }, /client_payload: must be an object/],
      [
        'an image that is not a reference',
        { client_payload: { image: 'quay.io/acme/../web:1' } },
        /client_payload\.image: does not name an image/
      ]
    ]
    it.each(hostile)('refuses %s with the field named', (_name, payload, message) => {
      expect(refused('repository_dispatch', payload).message).toMatch(message)
    })
  })

  it('never throws anything but an InputError, whatever JSON a payload holds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('registry_package', 'repository_dispatch'),
        fc.jsonValue({ maxDepth: 6 }),
        (event, payload) => {
          try {
            const intent = importIntentFor(event, payload, settings())
            if (intent.kind === 'pushed') expect(intent.image).not.toMatch(/[\s\0]/)
          } catch (err) {
            if (!(err instanceof InputError)) throw err
          }
        }
      ),
      { numRuns: 300 }
    )
  })
})
