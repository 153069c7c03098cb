/**
 * The two example streams of the reference (/work/shared/reference/openshift-imagestream.md §1) as TS objects.
 * Digest placeholders ("sha256:bbbb...") are spelled out to full 64-hex digests; the rest is verbatim.
 */
import type { ImageStream } from '../../../src/stream/types.js'

export const DIGEST_A = `sha256:${'a'.repeat(64)}`
export const DIGEST_B = `sha256:${'b'.repeat(64)}`
export const DIGEST_C = `sha256:${'c'.repeat(64)}`
export const DIGEST_D = `sha256:${'d'.repeat(64)}`
export const ANSIBLE_DIGEST = 'sha256:bd09ef403f2f90f2c6bd133d7533e939058903f69223c5f12557a49e3aed14bb'

/** "Example: a real stream with an import error" (oc get is -o yaml, OpenShift CI triage notes). */
export function ansibleRunner(): ImageStream {
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: {
      annotations: { 'openshift.io/image.dockerRepositoryCheck': '2021-06-03T16:24:42Z' },
      generation: 3366,
      name: 'ansible-runner',
      namespace: 'openshift'
    },
    spec: {
      lookupPolicy: { local: true },
      tags: [
        {
          annotations: null,
          from: { kind: 'DockerImage', name: 'docker.io/ansible/ansible-runner:latest' },
          generation: 3365,
          importPolicy: { importMode: 'Legacy' },
          name: 'latest',
          referencePolicy: { type: 'Local' }
        }
      ]
    },
    status: {
      dockerImageRepository: 'image-registry.openshift-image-registry.svc:5000/openshift/ansible-runner',
      publicDockerImageRepository: 'registry.ci.openshift.org/openshift/ansible-runner',
      tags: [
        {
          conditions: [
            {
              generation: 3365,
              lastTransitionTime: '2021-06-03T16:24:42Z',
              message: 'Internal error occurred: docker.io/ansible/ansible-runner:latest: toomanyrequests: ...',
              reason: 'InternalError',
              status: 'False',
              type: 'ImportSuccess'
            }
          ],
          items: [
            {
              created: '2020-06-02T11:50:06Z',
              dockerImageReference: `docker.io/ansible/ansible-runner@${ANSIBLE_DIGEST}`,
              generation: 3364,
              image: ANSIBLE_DIGEST
            }
          ],
          tag: 'latest'
        }
      ]
    }
  }
}

/** "Example: a built-up stream with history, a tracking tag and a scheduled tag". */
export function web(): ImageStream {
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: {
      name: 'web',
      namespace: 'shop',
      generation: 7,
      annotations: { 'openshift.io/image.dockerRepositoryCheck': '2024-05-02T09:15:03Z' }
    },
    spec: {
      lookupPolicy: { local: false },
      tags: [
        {
          name: '1.4',
          annotations: null,
          from: { kind: 'DockerImage', name: 'quay.io/acme/web:1.4' },
          generation: 7,
          importPolicy: { scheduled: true, importMode: 'Legacy' },
          referencePolicy: { type: 'Source' }
        },
        {
          name: 'prod',
          annotations: null,
          from: { kind: 'ImageStreamTag', name: 'web:1.4' },
          generation: 3,
          importPolicy: { importMode: 'Legacy' },
          referencePolicy: { type: 'Source' }
        }
      ]
    },
    status: {
      dockerImageRepository: 'image-registry.openshift-image-registry.svc:5000/shop/web',
      tags: [
        {
          tag: '1.4',
          items: [
            {
              created: '2024-05-02T09:15:03Z',
              dockerImageReference: `quay.io/acme/web@${DIGEST_B}`,
              image: DIGEST_B,
              generation: 7
            },
            {
              created: '2024-04-20T11:00:41Z',
              dockerImageReference: `quay.io/acme/web@${DIGEST_A}`,
              image: DIGEST_A,
              generation: 3
            }
          ]
        },
        {
          tag: 'prod',
          items: [
            {
              created: '2024-05-02T09:15:03Z',
              dockerImageReference: `quay.io/acme/web@${DIGEST_B}`,
              image: DIGEST_B,
              generation: 7
            },
            {
              created: '2024-04-20T11:00:41Z',
              dockerImageReference: `quay.io/acme/web@${DIGEST_A}`,
              image: DIGEST_A,
              generation: 3
            }
          ]
        }
      ]
    }
  }
}

/** Deep-freezes a fixture so any mutation by a rule throws in the test (the rules must return new objects). */
export function frozen<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) frozen(v)
    Object.freeze(value)
  }
  return value
}

export const NOW = '2024-05-03T10:00:00Z'
export const LATER = '2024-05-04T10:00:00Z'
