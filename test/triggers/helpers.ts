import type { ImageStream } from '../../src/stream/types.js'

export const digest = (pair: string) => `sha256:${pair.repeat(32)}`

export interface TagSpec {
  /** DockerImage `from`; a digest reference pins the spec tag by digest. */
  from?: string
  /** Newest first. Empty: the tag has no history yet. */
  items?: string[]
  repository?: string
  policy?: 'Source' | 'Local'
}

/** A stream as the state files hold it, small enough to write inline in a test. */
export function stream(
  name: string,
  namespace: string | undefined,
  tags: Record<string, TagSpec>,
  internal = ''
): ImageStream {
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      tags: Object.entries(tags).map(([tag, t]) => ({
        name: tag,
        from: { kind: 'DockerImage', name: t.from ?? `quay.io/acme/${name}:${tag}` },
        referencePolicy: { type: t.policy ?? 'Source' }
      }))
    },
    status: {
      dockerImageRepository: internal,
      tags: Object.entries(tags).map(([tag, t]) => ({
        tag,
        items: (t.items ?? []).map((image, i) => ({
          created: '2024-05-02T09:15:03Z',
          dockerImageReference: `${t.repository ?? `quay.io/acme/${name}`}@${image}`,
          image,
          generation: 10 - i
        }))
      }))
    }
  }
}
