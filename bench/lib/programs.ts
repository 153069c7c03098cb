/**
 * What the benchmarks run as separate processes: the built CLI (dist/cli.js) when it has the verb, the CLI from source
 * through tsx otherwise, and the benchmark's own workers bundled with esbuild (a single ESM file, no TypeScript at run
 * time), so that a child's wall time is the program's and not the transpiler's.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runChild } from './child.js'

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

export interface CliProgram {
  /** argv[0..] before the verb's own arguments. */
  command: string
  args: string[]
  /** `dist/cli.js` or `src/cli/index.ts via tsx`. */
  how: string
}

/** The CLI with `verb`, preferring the build; undefined when neither the build nor the source has the verb yet. */
export async function findCli(verb: string, distDir: string): Promise<CliProgram | undefined> {
  const candidates: CliProgram[] = [
    { command: process.execPath, args: [join(distDir, 'cli.js')], how: `${join(distDir, 'cli.js')} (built)` },
    {
      command: process.execPath,
      args: ['--import', 'tsx', join(PROJECT_ROOT, 'src/cli/index.ts')],
      how: 'src/cli/index.ts via tsx (dist/ lacks the verb)'
    }
  ]
  for (const c of candidates) {
    const probe = await runChild(c.command, [...c.args, verb, '--help'], {
      cwd: PROJECT_ROOT,
      timeoutMs: 60_000
    }).catch(() => undefined)
    // `imagestream VERB --help` exits 0 even for an unknown verb (commander shows the top-level help first), so
    // only the verb's own usage line counts.
    if (probe && probe.code === 0 && new RegExp(`^Usage: imagestream ${verb}\\b`, 'm').test(probe.stdout)) return c
  }
  return undefined
}

export interface Bundle {
  file: string
  remove(): void
}

/** Bundles a worker (TypeScript, importing src/) into one ESM file in a temp dir, as rollup bundles dist/. */
export async function bundleWorker(entry: string, prototypes: readonly string[] = []): Promise<Bundle> {
  const esbuild = await import('esbuild')
  // @ts-expect-error: plain ESM next to the TypeScript (it is also a Node module hook), no declarations
  const hooks = (await import('../prototype/hooks.mjs')) as {
    replacementsFor(names: readonly string[]): Array<{ original: string; replacement: string }>
  }
  const swaps = hooks.replacementsFor(prototypes)
  const dir = mkdtempSync(join(tmpdir(), 'imagestream-bench-bundle-'))
  const file = join(dir, 'worker.mjs')
  await esbuild.build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    plugins: swaps.length
      ? [
          {
            name: 'bench-prototypes',
            setup(build) {
              // The same swap bench/prototype/hooks.mjs makes in process: one src/ module for its patched copy.
              build.onResolve({ filter: /\.js$/ }, (args) => {
                if (args.importer.includes('/bench/prototype/')) return undefined
                const target = resolve(dirname(args.importer), args.path).replace(/\.js$/, '.ts')
                const swap = swaps.find((s) => target.endsWith(s.original))
                return swap ? { path: swap.replacement } : undefined
              })
            }
          }
        ]
      : [],
    // CommonJS dependencies (picomatch) call require(): give the ESM bundle one.
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);"
    }
  })
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
