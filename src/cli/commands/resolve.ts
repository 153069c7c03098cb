/**
 * `imagestream resolve REF`: what the registry says a reference points at, under an import mode — the question every
 * import starts from. Exit 0 on success, 1 on a registry error (reason and message on stderr), 2 on invalid input.
 */
import { homedir } from 'node:os'
import { Option, type Command } from 'commander'
import { stringify } from 'yaml'
import { formatCanonical, parseReference } from '../../reference/reference.js'
import {
  createRegistryClient,
  dockerConfigPath,
  formatPlatform,
  parsePlatform,
  RegistryError,
  type ImportMode,
  type Platform,
  type ResolvedImage
} from '../../registry/index.js'
import { InputError } from '../../util/errors.js'
import { EXIT_FAILED, EXIT_USAGE, ExitCode } from '../shared/program.js'

interface ResolveFlags {
  platform?: string
  importMode: ImportMode
  output: 'json' | 'yaml' | 'table'
  insecure?: boolean
  preferArch?: string
  preferOs?: string
  dockerConfig?: string
}

export function register(program: Command): void {
  program
    .command('resolve')
    .description(
      'resolve an image reference to a digest, as an import would (Legacy: one platform; PreserveOriginal: the index)'
    )
    .argument('<ref>', 'image reference, e.g. quay.io/acme/web:1.2 or 127.0.0.1:5000/acme/web@sha256:…')
    .option('--platform <os/arch[/variant]>', 'platform a Legacy import picks from an index (default linux/amd64)')
    .addOption(
      new Option('--import-mode <mode>', 'OpenShift importMode')
        .choices(['Legacy', 'PreserveOriginal'])
        .default('Legacy')
    )
    .option('--prefer-arch <arch>', 'like the importer.image.openshift.io/prefer-arch tag annotation')
    .option('--prefer-os <os>', 'like the importer.image.openshift.io/prefer-os tag annotation')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['json', 'yaml', 'table']).default('table'))
    .option('--insecure', 'allow plain http and unverified TLS for this registry (importPolicy.insecure)')
    .option(
      '--docker-config <file>',
      'docker config.json with credentials (default $DOCKER_CONFIG/config.json or ~/.docker/config.json)'
    )
    .action(async (refText: string, flags: ResolveFlags) => {
      let ref
      let platform: Platform | undefined
      try {
        ref = parseReference(refText)
        platform = flags.platform ? parsePlatform(flags.platform) : undefined
      } catch (err) {
        throw new InputError((err as Error).message, { field: flags.platform && ref ? '--platform' : 'REF' })
      }
      const client = createRegistryClient({
        dockerConfigFile: flags.dockerConfig ?? dockerConfigPath(process.env, homedir()),
        githubToken: process.env.GITHUB_TOKEN || undefined
      })
      try {
        const resolved = await client.resolve(ref, {
          importMode: flags.importMode,
          platform,
          preferArch: flags.preferArch,
          preferOs: flags.preferOs,
          insecure: flags.insecure
        })
        process.stdout.write(render(formatCanonical(ref), resolved, flags.output))
      } catch (err) {
        if (err instanceof RegistryError) {
          process.stderr.write(`error: ${err.reason}: ${err.message}\n`)
          throw new ExitCode(EXIT_FAILED)
        }
        if (err instanceof Error && err.name === 'DockerConfigError') {
          process.stderr.write(`error: ${err.message}\n`)
          throw new ExitCode(EXIT_USAGE)
        }
        throw err
      } finally {
        await client.close()
      }
    })
}

/** The JSON shape `-o json|yaml` prints; stable, documented in the README's CLI section. */
export function resolvedView(reference: string, r: ResolvedImage): Record<string, unknown> {
  const view: Record<string, unknown> = { reference, digest: r.digest, mediaType: r.mediaType }
  if (r.platform) view.platform = r.platform
  if (r.topDigest !== r.digest) {
    view.indexDigest = r.topDigest
    view.indexMediaType = r.topMediaType
  }
  if (r.manifests)
    view.manifests = r.manifests.map((m) => ({
      digest: m.digest,
      mediaType: m.mediaType,
      size: m.size,
      platform: m.platform
    }))
  return view
}

function render(reference: string, r: ResolvedImage, format: ResolveFlags['output']): string {
  const view = resolvedView(reference, r)
  if (format === 'json') return `${JSON.stringify(view, null, 2)}\n`
  if (format === 'yaml') return stringify(view)
  const rows: Array<[string, string]> = [
    ['REFERENCE', reference],
    ['DIGEST', r.digest],
    ['MEDIA TYPE', r.mediaType]
  ]
  if (r.platform) rows.push(['PLATFORM', formatPlatform(r.platform)])
  if (r.topDigest !== r.digest) rows.push(['INDEX', r.topDigest])
  const width = Math.max(...rows.map(([k]) => k.length))
  let out = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n'
  if (r.manifests?.length) {
    const pw = Math.max(8, ...r.manifests.map((m) => formatPlatform(m.platform).length))
    out += `\n${'PLATFORM'.padEnd(pw)}  DIGEST\n`
    for (const m of r.manifests)
      out += `${formatPlatform(m.platform).padEnd(pw)}  ${m.digest}${m.digest === r.digest && r.digest !== r.topDigest ? '  (chosen)' : ''}\n`
  }
  return out
}
