/**
 * Runs the real `imagestream` CLI in-process (runCli with every verb group) against a temp repository, with a
 * fixed clock (IMAGESTREAM_NOW) and an empty docker config, capturing stdout and stderr.
 */
import { jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parse } from 'yaml'
import { runCli } from '../../src/cli/shared/program.js'
import { registrars } from '../../src/cli/registrars.js'
import type { ImageStream } from '../../src/stream/types.js'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

export interface Sandbox {
  root: string
  dockerConfig: string
  /** Runs `imagestream -C root ...argv` at `now` (RFC 3339). */
  run(now: string, ...argv: string[]): Promise<CliRun>
  read(path: string): string
  write(path: string, text: string): void
  stream(path?: string): ImageStream
  git(...args: string[]): string
  cleanup(): void
}

export function sandbox(options: { git?: boolean } = {}): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'imagestream-cli-'))
  // Never read the developer's own ~/.docker/config.json.
  const dockerConfig = mkdtempSync(join(tmpdir(), 'imagestream-cli-docker-'))
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } })
  if (options.git) {
    git('init', '-q', '-b', 'main')
    git('config', 'user.name', 'Test')
    git('config', 'user.email', 'test@example.com')
    git('config', 'commit.gpgsign', 'false')
  }
  return {
    root,
    dockerConfig,
    async run(now, ...argv) {
      const saved = { now: process.env.IMAGESTREAM_NOW, cfg: process.env.DOCKER_CONFIG }
      process.env.IMAGESTREAM_NOW = now
      process.env.DOCKER_CONFIG = dockerConfig
      let stdout = ''
      let stderr = ''
      const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        stdout += String(chunk)
        return true
      })
      const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        stderr += String(chunk)
        return true
      })
      try {
        const code = await runCli(['-C', root, ...argv], registrars)
        return { code, stdout, stderr }
      } finally {
        out.mockRestore()
        err.mockRestore()
        for (const [key, value] of [
          ['IMAGESTREAM_NOW', saved.now],
          ['DOCKER_CONFIG', saved.cfg]
        ] as const) {
          if (value === undefined) delete process.env[key]
          else process.env[key] = value
        }
      }
    },
    read: (path) => readFileSync(join(root, path), 'utf8'),
    write(path, text) {
      mkdirSync(dirname(join(root, path)), { recursive: true })
      writeFileSync(join(root, path), text)
    },
    stream: (path = 'imagestreams/web.yaml') => parse(readFileSync(join(root, path), 'utf8')) as ImageStream,
    git,
    cleanup() {
      rmSync(root, { recursive: true, force: true })
      rmSync(dockerConfig, { recursive: true, force: true })
    }
  }
}

/** The history of one tag: [generation, image] newest first. */
export function history(stream: ImageStream, tag: string): Array<[number, string]> {
  return (stream.status?.tags?.find((t) => t.tag === tag)?.items ?? []).map((i) => [i.generation, i.image])
}
