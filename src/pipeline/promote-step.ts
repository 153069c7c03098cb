/**
 * The promotion step of `sync` (docs/promotion.md): after the imports, every tag that declares
 * `imagestream-action.dev/promote-from` copies what qualifies from its upstream tags, as the snapshot a person's
 * `tag dev/web@sha256:… prod/web:live` makes (the same tagCommand, so both write the same bytes, with no registry
 * request). A promotion moves the manifests bound to the destination in the same write, as any tag move does.
 */
import { formatStreamTag } from '../reference/names.js'
import { decidePromotion, promotedTags, promotionSource, type PromotionDecision } from '../stream/rules/promotion.js'
import { tagCommand } from '../stream/rules/tag-command.js'
import type { ImageStream } from '../stream/types.js'
import { InputError, type Diagnostic } from '../util/errors.js'
import { readSignedBy } from '../verify/import-gate.js'

/** A destination tag's decision this run, for the summary: promoted, waiting (and until when), held, current. */
export type PromotionReport = PromotionDecision & {
  stream: string
  namespace?: string
  file: string
  /** A promotion: who signed the digest, as the signature gate recorded it in the source stream. */
  signedBy?: string
}

export interface PromotableStream {
  file: string
  stream: ImageStream
  dirty: boolean
}

/**
 * Applies every qualifying promotion to `streams` in place (a promoted stream is marked dirty) and returns each
 * destination's decision. A bad policy is a diagnostic at the stream file; the other destinations still run.
 */
export function promoteStep(
  streams: PromotableStream[],
  now: string
): { reports: PromotionReport[]; diagnostics: Diagnostic[] } {
  const reports: PromotionReport[] = []
  const diagnostics: Diagnostic[] = []
  const lookup = (namespace: string, name: string) =>
    streams.find((s) => s.stream.metadata.name === name && (s.stream.metadata.namespace ?? '') === namespace)?.stream
  const verified = (stream: ImageStream, digest: string) => readSignedBy(stream)[digest] !== undefined
  const at = new Date(now)
  for (const s of streams) {
    for (const tag of promotedTags(s.stream)) {
      const name = s.stream.metadata.name
      const namespace = s.stream.metadata.namespace
      try {
        const decision = decidePromotion(s.stream, tag, lookup, at, verified)
        if (!decision) continue
        let signedBy: string | undefined
        if (decision.kind === 'promote') {
          const from = lookup(decision.source.namespace ?? '', decision.source.stream)
          signedBy = from ? readSignedBy(from)[decision.digest]?.signer : undefined
          const destination = formatStreamTag({ ...(namespace ? { namespace } : {}), name, tag })
          const options = { lookup, keepTagSettings: true }
          s.stream = tagCommand(s.stream, promotionSource(decision), [destination], now, options).stream
          s.dirty = true
        }
        reports.push({
          ...decision,
          stream: name,
          ...(namespace ? { namespace } : {}),
          file: s.file,
          ...(signedBy ? { signedBy } : {})
        })
      } catch (err) {
        if (!(err instanceof InputError)) throw err
        diagnostics.push({ severity: 'error', file: s.file, message: err.message })
      }
    }
  }
  return { reports, diagnostics }
}
