import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { messageVars, renderCommitMessage, renderPullRequestTitle, templateProblems } from '../../src/report/index.js'
import type { TagChange } from '../../src/report/types.js'
import { apiChange, digest, sample, webChange } from './fixtures.js'

const golden = (name: string) => readFileSync(fileURLToPath(new URL(`./golden/${name}`, import.meta.url)), 'utf8')

describe('renderPullRequestTitle', () => {
  it('defaults: one tag / several tags', () => {
    const one = { ...webChange, namespace: undefined }
    expect(renderPullRequestTitle(undefined, messageVars([one]))).toBe(
      'imagestream: update web:latest to sha256:bbbbbbbbbbbb'
    )
    const three: TagChange[] = ['a', 'b', 'c'].map((tag) => ({ stream: 'web', tag, newDigest: digest('1') }))
    expect(renderPullRequestTitle(undefined, messageVars(three))).toBe('imagestream: update 3 tags in web')
    expect(renderPullRequestTitle('', messageVars(three))).toBe('imagestream: update 3 tags in web')
  })

  it('fills every placeholder and lists at most three streams', () => {
    const changes: TagChange[] = ['a', 'b', 'c', 'd', 'e'].map((s) => ({ stream: s, tag: 't', newDigest: digest('2') }))
    expect(renderPullRequestTitle('{count} in {streams}: {stream}/{tag}@{digest}', messageVars(changes))).toBe(
      '5 in a, b, c and 2 more: a/t@sha256:222222222222'
    )
  })

  it('is one line: newlines in values and in the template never split it, controls are replaced', () => {
    const hostile: TagChange = { stream: 'web\nSigned-off-by: evil', tag: 'x\r\ny\u001b[2J', newDigest: digest('3') }
    const title = renderPullRequestTitle('bump\n{stream}:{tag}', messageVars([hostile]))
    expect(title).toBe('bump web Signed-off-by: evil:x y\ufffd[2J')
    expect(title).not.toMatch(/[\r\n\u0000-\u001f]/)
  })

  it('is at most 256 characters', () => {
    const long: TagChange = { stream: 's'.repeat(400), tag: 't', newDigest: digest('4') }
    const title = renderPullRequestTitle(undefined, messageVars([long]))
    expect(Array.from(title)).toHaveLength(256)
    expect(title.endsWith('…')).toBe(true)
  })

  it('leaves unknown placeholders as written; templateProblems names them', () => {
    expect(renderPullRequestTitle('up {tga}', messageVars([webChange]))).toBe('up {tga}')
    expect(templateProblems('up {tga} {tag}')).toEqual([
      'unknown placeholder {tga}; use {stream}, {tag}, {digest}, {count}, {streams}'
    ])
    expect(templateProblems('  ')).toEqual(['the template is empty'])
    expect(templateProblems('imagestream: {stream}:{tag}')).toEqual([])
  })

  it('does not expand placeholders found inside values', () => {
    const sneaky: TagChange = { stream: '{count}', tag: '{streams}', newDigest: digest('5') }
    expect(renderPullRequestTitle('{stream}:{tag}', messageVars([sneaky]))).toBe('{count}:{streams}')
  })
})

describe('renderCommitMessage', () => {
  it('matches the golden message (subject, blank line, one entry per change)', () => {
    expect(renderCommitMessage(undefined, messageVars(sample.changes))).toBe(golden('commit-message.txt'))
  })

  it('keeps a multi-line template, but values never add lines', () => {
    const hostile: TagChange = { ...apiChange, stream: 'api\n\nCo-authored-by: x <x@example.com>' }
    const msg = renderCommitMessage('chore: bump {stream}\n\nAutomated.', messageVars([hostile]))
    const lines = msg.split('\n')
    expect(lines[0]).toBe('chore: bump api  Co-authored-by: x <x@example.com>')
    expect(lines[2]).toBe('Automated.')
    expect(lines.filter((l) => l.startsWith('Co-authored-by'))).toEqual([])
    expect(msg.endsWith(`  docker.io/library/nginx@${digest('f')}\n`)).toBe(true)
  })

  it('without changes it is the subject alone', () => {
    expect(renderCommitMessage('x: {count}', { stream: '', tag: '', digest: '', count: 0, streams: [] })).toBe('x: 0\n')
  })
})
