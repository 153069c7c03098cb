/**
 * The one way delivery runs the git binary: execFile (no shell), `--literal-pathspecs` so a path like
 * `k8s/[web].yaml` means that file and not a glob, unquoted paths, and a bounded time and output.
 */
import { execFile } from 'node:child_process'

export class LocalGitError extends Error {
  constructor(
    readonly args: string[],
    readonly stderr: string,
    readonly exitCode: number | undefined
  ) {
    const code = exitCode !== undefined ? ` (exit ${exitCode})` : ''
    super(`git ${args.join(' ')} failed${code}: ${stderr.trim() || 'no output'}`)
    this.name = 'LocalGitError'
  }
}

export interface GitOutput {
  stdout: string
  code: number
}

/** Runs git in `root`; an exit code outside `okCodes` rejects with a LocalGitError carrying git's stderr. */
export function runGit(root: string, args: string[], okCodes: number[] = [0]): Promise<GitOutput> {
  const full = ['--literal-pathspecs', '-c', 'core.quotepath=off', ...args]
  return new Promise((resolvePromise, reject) => {
    const options = { cwd: root, maxBuffer: 64 << 20, windowsHide: true, timeout: 60_000 }
    execFile('git', full, options, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : undefined) : 0
      if (code !== undefined && okCodes.includes(code)) resolvePromise({ stdout, code })
      else reject(new LocalGitError(args, stderr || (err?.message ?? ''), code))
    })
  })
}

/** Whether `root` is inside a git work tree (`git rev-parse --show-toplevel` succeeds there). */
export async function isGitWorkTree(root: string): Promise<boolean> {
  try {
    await runGit(root, ['rev-parse', '--show-toplevel'])
    return true
  } catch {
    return false
  }
}

/** The commit the checkout is at, or undefined when `root` is not a git checkout (or has no commit yet). */
export async function revParseHead(root: string): Promise<string | undefined> {
  try {
    const sha = (await runGit(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).stdout.trim()
    return /^[0-9a-f]{40}$/.test(sha) ? sha : undefined
  } catch {
    return undefined
  }
}
