/**
 * A stream defined next to its Deployment in one manifest file (`oc apply -f` takes both), in a file the streams glob
 * does not read: the Deployment's trigger resolves against that stream as the file records it, instead of being
 * reported as naming an unknown image stream.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { runCommand } from '../../src/pipeline/execute.js'

const DIGEST = `sha256:${'ab'.repeat(32)}`
const NOW = new Date('2026-01-01T00:00:00Z')

const streamDoc = (status: boolean) => `apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: worker
spec:
  tags:
  - name: prod
    from:
      kind: DockerImage
      name: quay.io/acme/worker:prod
${
  status
    ? `status:
  dockerImageRepository: ""
  tags:
  - tag: prod
    items:
    - created: "2025-12-01T00:00:00Z"
      dockerImageReference: quay.io/acme/worker@${DIGEST}
      image: ${DIGEST}
      generation: 1
`
    : ''
}`

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  annotations:
    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"worker:prod"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"worker\\")].image"}]'
spec:
  template:
    spec:
      containers:
      - name: worker
        image: quay.io/acme/worker:prod # set by the trigger
`

let root: string | undefined
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

async function applyTriggers(text: string) {
  root = mkdtempSync(join(tmpdir(), 'stream-in-manifest-'))
  mkdirSync(join(root, 'deploy'))
  writeFileSync(join(root, 'deploy/worker.yaml'), text)
  const result = await runCommand(
    { verb: 'apply-triggers' },
    { root, streamsGlob: 'imagestreams/*.yaml', manifests: { include: ['deploy/*.yaml'] }, now: NOW, write: true }
  )
  return { result, after: readFileSync(join(root, 'deploy/worker.yaml'), 'utf8') }
}

describe('a stream defined among the manifests', () => {
  it('resolves the trigger of the Deployment next to it, changing only the image value', async () => {
    const before = `${streamDoc(true)}---\n${deployment}`
    const { result, after } = await applyTriggers(before)
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(result.diagnostics.map((d) => d.message).join('\n')).not.toContain('unknown image stream')
    expect(after).toBe(
      before.replace(
        'image: quay.io/acme/worker:prod # set by the trigger',
        `image: quay.io/acme/worker@${DIGEST} # set by the trigger`
      )
    )
  })

  it('with no image recorded yet, leaves the file alone and does not call the stream unknown', async () => {
    const before = `${streamDoc(false)}---\n${deployment}`
    const { result, after } = await applyTriggers(before)
    expect(after).toBe(before)
    expect(result.diagnostics.map((d) => d.message).join('\n')).not.toContain('unknown image stream')
  })

  it('a trigger naming a stream defined nowhere is still reported as unknown', async () => {
    const before = deployment.replace('worker:prod', 'nowhere:prod')
    const { result, after } = await applyTriggers(before)
    expect(after).toBe(before)
    expect(result.diagnostics.map((d) => d.message).join('\n')).toContain('unknown image stream "nowhere"')
  })
})
