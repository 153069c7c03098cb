import { describe, expect, it } from '@jest/globals'
import { describeView, imageStreamTagRows } from '../../src/pipeline/views.js'
import {
  describeImageStream as describeText,
  getImageStreams,
  getImageStreamTags as tagTable,
  humanDuration
} from '../../src/report/describe.js'
import { rollback } from '../../src/stream/rules/holds.js'
import { applyImportResult } from '../../src/stream/rules/import.js'
import type { ImageStream } from '../../src/stream/types.js'
import { ANSIBLE_DIGEST, ansibleRunner, DIGEST_A, DIGEST_B, DIGEST_C, web } from '../stream/rules/fixtures.js'

const NOW = '2024-05-04T09:15:03Z'

/** What a terminal shows: oc's output is tab-padded, tab stops every 8 columns. */
function expand(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let out = ''
      for (const ch of line) out += ch === '\t' ? ' '.repeat(8 - (out.length % 8)) : ch
      return out
    })
    .join('\n')
}

/** `oc describe is` as a terminal shows it. */
function describeImageStream(stream: ImageStream, now: string): string {
  return expand(describeText(describeView(stream), now))
}

function getImageStreamTags(streams: ImageStream[], now: string) {
  return tagTable(imageStreamTagRows(streams), now)
}

describe('oc describe is ([oc] pkg/helpers/describe/helpers.go formatImageStreamTags)', () => {
  it('web: header, the alias grouped as `1.4 (prod)`, scheduled source, * on items[0] with ages', () => {
    expect(describeImageStream(web(), NOW)).toBe(
      [
        'Name:                   web',
        'Namespace:              shop',
        'Labels:                 <none>',
        'Annotations:            openshift.io/image.dockerRepositoryCheck=2024-05-02T09:15:03Z',
        'Image Repository:       image-registry.openshift-image-registry.svc:5000/shop/web',
        'Image Lookup:           local=false',
        'Unique Images:          2',
        'Tags:                   2',
        '',
        '1.4 (prod)',
        '  updates automatically from registry quay.io/acme/web:1.4',
        '',
        `  * quay.io/acme/web@${DIGEST_B}`,
        '      2 days ago',
        `    quay.io/acme/web@${DIGEST_A}`,
        '      13 days ago',
        ''
      ].join('\n')
    )
  })

  it('ansible-runner: public repository, pullthrough line, the import error with its age', () => {
    const text = describeImageStream(ansibleRunner(), '2021-06-03T17:24:42Z')
    expect(text).toContain('Image Repository:       registry.ci.openshift.org/openshift/ansible-runner\n')
    expect(text).toContain('Image Lookup:           local=true\n')
    expect(text).toContain(
      [
        'latest',
        '  tagged from docker.io/ansible/ansible-runner:latest',
        '    prefer registry pullthrough when referencing this tag',
        '',
        '  ! error: Import failed (InternalError): Internal error occurred: docker.io/ansible/ansible-runner:latest: toomanyrequests: ...',
        '      About an hour ago',
        `  * docker.io/ansible/ansible-runner@${ANSIBLE_DIGEST}`,
        '      12 months ago',
        ''
      ].join('\n')
    )
  })

  it('a pending import shows "~ importing latest image ..."; a hold shows where it sits and what upstream has', () => {
    const pending = ansibleRunner()
    pending.spec.tags![0].generation = 3366
    expect(describeImageStream(pending, NOW)).toContain('\n  ~ importing latest image ...\n')

    const held = applyImportResult(
      rollback(web(), '1.4', { toGeneration: 3 }, '2024-05-03T09:15:03Z'),
      '1.4',
      { ok: true, digest: DIGEST_C, repository: 'quay.io/acme/web' },
      NOW
    ).stream
    expect(describeImageStream(held, NOW)).toContain(
      `\n  held at ${DIGEST_A} since 2024-05-03T09:15:03Z; newer upstream ${DIGEST_C}\n  * quay.io/acme/web@${DIGEST_A}\n`
    )
  })
  it('a held alias is not grouped under its source: it is printed as its own tag with its hold and history', () => {
    const held = rollback(web(), 'prod', { toGeneration: 3 }, '2024-05-03T09:15:03Z')
    const text = describeImageStream(held, NOW)
    expect(text).toContain('\n1.4\n  updates automatically from registry quay.io/acme/web:1.4\n')
    expect(text).not.toContain('1.4 (prod)')
    expect(text).toContain(
      `\nprod\n  tagged from web:1.4\n\n  held at ${DIGEST_A} since 2024-05-03T09:15:03Z\n  * quay.io/acme/web@${DIGEST_A}\n`
    )
  })
})

describe('oc get is / oc get istag ([oas] pkg/image/printers/internalversion/printer.go)', () => {
  it('oc get is: NAME, IMAGE REPOSITORY (public first), TAGS (newest first), UPDATED (newest items[0])', () => {
    expect(getImageStreams([web(), ansibleRunner()], NOW)).toEqual({
      columns: ['NAME', 'IMAGE REPOSITORY', 'TAGS', 'UPDATED'],
      rows: [
        ['web', 'image-registry.openshift-image-registry.svc:5000/shop/web', '1.4,prod', '2 days ago'],
        ['ansible-runner', 'registry.ci.openshift.org/openshift/ansible-runner', 'latest', '3 years ago']
      ]
    })
  })

  it('oc get is: tags beyond the 40-column budget become "+ N more..."', () => {
    const stream = web()
    for (let i = 0; i < 12; i++) stream.status!.tags!.push({ tag: `release-${i}`, items: null })
    expect(getImageStreams([stream], NOW).rows[0][2]).toBe('1.4,prod,release-0,release-1,release-10 + 9 more...')
  })

  it('oc get istag: NAME stream:tag, IMAGE REFERENCE under the reference policy (Local → internal repo@digest)', () => {
    expect(getImageStreamTags([web(), ansibleRunner()], NOW)).toEqual({
      columns: ['NAME', 'IMAGE REFERENCE', 'UPDATED'],
      rows: [
        [
          'ansible-runner:latest',
          `image-registry.openshift-image-registry.svc:5000/openshift/ansible-runner@${ANSIBLE_DIGEST}`,
          '3 years ago'
        ],
        ['web:1.4', `quay.io/acme/web@${DIGEST_B}`, '2 days ago'],
        ['web:prod', `quay.io/acme/web@${DIGEST_B}`, '2 days ago']
      ]
    })
  })

  it('ages read like docker/go-units HumanDuration', () => {
    expect(
      [
        500,
        1000,
        59_000,
        90_000,
        3_000_000,
        5_400_000,
        47 * 3_600_000,
        13 * 86_400_000,
        59 * 86_400_000,
        800 * 86_400_000
      ].map(humanDuration)
    ).toEqual([
      'Less than a second',
      '1 second',
      '59 seconds',
      'About a minute',
      '50 minutes',
      '2 hours',
      '47 hours',
      '13 days',
      '8 weeks',
      '2 years'
    ])
  })
})

describe('oc describe is layout: DescribeImageStream through tabbedString (Go text/tabwriter, tab padding)', () => {
  it('DescribeImageStream writes tabs, not spaces: each label padded with tabs to the widest label of its block', () => {
    const text = describeText(describeView(web()), NOW)
    expect(text.split('\n').slice(0, 9)).toEqual([
      'Name:\t\t\tweb',
      'Namespace:\t\tshop',
      'Labels:\t\t\t<none>',
      'Annotations:\t\topenshift.io/image.dockerRepositoryCheck=2024-05-02T09:15:03Z',
      'Image Repository:\timage-registry.openshift-image-registry.svc:5000/shop/web',
      'Image Lookup:\t\tlocal=false',
      'Unique Images:\t\t2',
      'Tags:\t\t\t2',
      ''
    ])
  })

  it('formatString: an empty Image Repository prints <none>; a stream with no tags prints Tags: <none>', () => {
    const bare: ImageStream = {
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStream',
      metadata: { name: 'empty' },
      spec: {}
    }
    expect(describeImageStream(bare, NOW)).toBe(
      [
        'Name:                   empty',
        'Labels:                 <none>',
        'Annotations:            <none>',
        'Image Repository:       <none>',
        'Image Lookup:           local=false',
        'Tags:                   <none>',
        ''
      ].join('\n')
    )
  })

  it('formatString / formatMapStringString: multi-line annotation values and descriptions stay in the value column', () => {
    const stream = web()
    stream.metadata.labels = { app: 'web' }
    stream.metadata.annotations = {
      description: 'The shop front.\nServes the catalogue.',
      'a.example.com/first': 'line one\nline two',
      'b.example.com/notes': 'see\nthe runbook'
    }
    expect(describeImageStream(stream, NOW).split('\n').slice(0, 12)).toEqual([
      'Name:                   web',
      'Namespace:              shop',
      'Labels:                 app=web',
      'Description:            The shop front.',
      '                        Serves the catalogue.',
      'Annotations:            a.example.com/first=line one',
      '                        line two',
      '                        b.example.com/notes=see',
      '                        the runbook',
      'Image Repository:       image-registry.openshift-image-registry.svc:5000/shop/web',
      'Image Lookup:           local=false',
      'Unique Images:          2'
    ])
  })

  it('formatImageStreamTags: tags in PrioritizeTags order whatever order the file lists them (the API sorts by name)', () => {
    const stream = web()
    stream.spec.tags!.push({ name: 'latest', from: { kind: 'ImageStreamTag', name: 'web:9.9' } } as never)
    stream.spec.tags!.push({ name: '2.0', from: { kind: 'DockerImage', name: 'quay.io/acme/web:2.0' } } as never)
    const shuffled = structuredClone(stream)
    shuffled.spec.tags!.reverse()
    shuffled.status!.tags!.reverse()
    const text = describeImageStream(stream, NOW)
    expect(describeImageStream(shuffled, NOW)).toBe(text)
    const headings = text.split('\n').filter((l) => /^\S/.test(l) && !l.includes(':'))
    expect(headings).toEqual(['latest', '2.0', '1.4 (prod)'])
  })

  it('formatImageStreamTags: an item whose image id differs from its reference shows the id tab-aligned after the age', () => {
    const stream = web()
    const item = stream.status!.tags![0]!.items![0]!
    item.image = DIGEST_C
    const text = describeText(describeView(stream), NOW)
    expect(text).toContain(`  * quay.io/acme/web@${DIGEST_B}\n      2 days ago\t${DIGEST_C}\n`)
  })
})
