/** What a run that wrote nothing says about why: the reason is the one a user acts on (a glob, a schedule, a file). */
import type { ImportIntent } from '../importer/intent.js'
import { DEFAULT_INCLUDE } from '../triggers/scan.js'
import type { EditOutcome } from './stream-edits.js'

/** What the manifest rewrite read: files, bindings, and bindings left in Templates (unset: no rewrite ran). */
export interface Scanned {
  files: number
  bound?: number
  templated?: number
}

/** The run's options an idle reason names. */
export interface IdleOptions {
  streamsGlob: string | string[]
  manifests?: { include?: string[] }
}

export function idleReason(
  options: IdleOptions,
  intent: ImportIntent | undefined,
  outcome: EditOutcome | undefined,
  requested: number,
  failed: number,
  noStreamFiles: boolean,
  scanned: Scanned
): string {
  if (noStreamFiles && !outcome) return `no ImageStream files match ${[options.streamsGlob].flat().join(', ')}`
  if (failed > 0) return 'the imports that ran failed (see the failures)'
  if (outcome && !outcome.intent) return 'the command changed nothing'
  if (intent?.kind === 'none') return intent.reason
  if (intent && requested === 0) {
    if (intent.kind === 'pushed') return `no tag follows ${intent.image}`
    if (intent.kind === 'tags') return 'none of the requested tags exists in the streams'
    return 'no tag is due (none is scheduled or pending)'
  }
  if (intent) return 'every tag is current: the registry reports the digests already recorded'
  return idleTriggers(options, scanned)
}

/** Why a rewrite of the manifests changed nothing: said as it is, since "nothing to change" hides a wrong glob. */
function idleTriggers(options: IdleOptions, scanned: Scanned): string {
  if (scanned.files === 0) {
    const globs = options.manifests?.include?.length ? options.manifests.include : DEFAULT_INCLUDE
    return `no manifest file matches ${globs.join(', ')}`
  }
  const files = `${scanned.files} manifest file${scanned.files === 1 ? '' : 's'}`
  if (!scanned.bound && scanned.templated)
    return (
      `every image trigger in the ${files} sits in an OpenShift Template (${scanned.templated}), ` +
      'which is not followed until oc process fills it in'
    )
  if (!scanned.bound)
    return `none of the ${files} binds an image stream tag (no trigger annotation, DeploymentConfig trigger or marker)`
  return 'every manifest already pins the current image'
}
