/** Change sets shared by the report tests. */
import type { ChangeSet, TagChange } from '../../src/report/types.js'

export const digest = (c: string) => `sha256:${c.repeat(64).slice(0, 64)}`

export const webChange: TagChange = {
  stream: 'web',
  namespace: 'prod',
  tag: 'latest',
  repository: 'quay.io/acme/web',
  oldDigest: digest('a'),
  newDigest: digest('b'),
  created: '2024-05-02T09:15:03Z',
  platforms: [
    { platform: 'linux/amd64', digest: digest('c'), oldDigest: digest('e') },
    { platform: 'linux/arm64', digest: digest('d') }
  ],
  oldProvenance: { source: 'https://github.com/acme/web', revision: '1111111aaaaaaa' },
  newProvenance: { source: 'https://github.com/acme/web.git', revision: '2222222bbbbbbb' },
  files: [
    {
      file: 'deploy/web.yaml',
      line: 12,
      oldValue: `quay.io/acme/web@${digest('a')}`,
      newValue: `quay.io/acme/web@${digest('b')}`
    }
  ],
  history: [
    { digest: digest('b'), created: '2024-05-02T09:15:03Z' },
    { digest: digest('a'), created: '2024-04-01T00:00:00Z' }
  ]
}

export const apiChange: TagChange = {
  stream: 'api',
  tag: '1.2',
  repository: 'docker.io/library/nginx',
  newDigest: digest('f')
}

export const sample: ChangeSet = {
  changes: [webChange, apiChange],
  failures: [{ stream: 'worker', tag: '2.0', reason: 'NotFound', message: 'manifest unknown: manifest unknown' }],
  held: [{ stream: 'db', tag: 'stable', heldDigest: digest('1'), upstreamDigest: digest('2') }]
}

/** Strings a registry or a payload could carry to inject markdown, HTML, mentions, links or fake rows. */
export const HOSTILE = [
  '@octocat please look',
  '[click](https://evil.example/x) ![img](https://evil.example/i.png)',
  '<img src=x onerror=alert(1)><script>alert(1)</script>',
  '| fake | row |\n| --- | --- |',
  '# Heading\n\n```\ncode fence\n```',
  'see https://evil.example and www.evil.example or a@b.example',
  'fixes #1 and other/repo#2 GH-3',
  '**bold** _em_ ~~strike~~ $x^2$ \\| `tick` ``double``',
  '</details><details open><summary>x',
  'line1\r\nline2\u2028line3\u0085\u202eevil\u0000',
  '&lt; &#x40; &amp;'
]
