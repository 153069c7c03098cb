/**
 * Starting workflows when a tag moved: what OpenShift's BuildConfig and pipeline triggers do on a cluster, done with
 * GitHub's `workflow_dispatch` (POST /repos/{owner}/{repo}/actions/workflows/{file}/dispatches) and
 * `repository_dispatch` (POST /repos/{owner}/{repo}/dispatches). They are also the events GitHub still delivers
 * for a run that used GITHUB_TOKEN, which starts no workflow by its commits or pull requests.
 *
 * A dispatch is planned only for a move this run records: a BuildConfig whose status.imageChangeTriggers changes
 * (src/triggers/buildconfig.ts) or a stream tag with a new TagEvent. The delivered files are the record: the next run
 * finds lastTriggeredImageID / the tag's newest item equal to the tag's image and plans nothing.
 */
import type { TagChange } from '../report/types.js'
import type { ImageStream } from '../stream/types.js'
import { DISPATCH_EVENT_ANNOTATION, DISPATCH_WORKFLOW_ANNOTATION } from '../triggers/buildconfig.js'
import type { TriggeredBuild } from '../triggers/buildconfig.js'
import { call, type GitHubClient } from './github-client.js'
import type { DeliveryLogger } from './types.js'

/** The workflow inputs, and the repository_dispatch client_payload (the same keys: at most 10 are allowed). */
export interface DispatchPayload {
  stream_tag: string
  old_digest: string
  new_digest: string
  image: string
  build_config?: string
}

export type Dispatch =
  | { kind: 'workflow_dispatch'; workflow: string; payload: DispatchPayload }
  | { kind: 'repository_dispatch'; eventType: string; payload: DispatchPayload }

const digestOf = (ref: string): string => (ref.includes('@') ? ref.slice(ref.indexOf('@') + 1) : '')

type Annotations = Record<string, string | undefined> | null | undefined

function targets(annotations: Annotations, payload: DispatchPayload): Dispatch[] {
  const out: Dispatch[] = []
  const workflow = annotations?.[DISPATCH_WORKFLOW_ANNOTATION]?.trim()
  const event = annotations?.[DISPATCH_EVENT_ANNOTATION]?.trim()
  if (workflow) out.push({ kind: 'workflow_dispatch', workflow, payload })
  if (event) out.push({ kind: 'repository_dispatch', eventType: event, payload })
  return out
}

/** One dispatch per target and new digest, from the builds this run starts and the stream tags it moves. */
export function planDispatches(
  builds: readonly TriggeredBuild[],
  changes: readonly TagChange[],
  streams: ReadonlyArray<{ stream: ImageStream }>
): Dispatch[] {
  const out: Dispatch[] = []
  for (const b of builds) {
    const payload: DispatchPayload = {
      stream_tag: b.from,
      old_digest: digestOf(b.oldImage),
      new_digest: digestOf(b.newImage),
      image: b.newImage,
      build_config: b.object.replace(/^BuildConfig\//, '')
    }
    out.push(...targets({ [DISPATCH_WORKFLOW_ANNOTATION]: b.workflow, [DISPATCH_EVENT_ANNOTATION]: b.event }, payload))
  }
  for (const ch of changes) {
    const named = ({ stream: { metadata: m } }: { stream: ImageStream }) =>
      m.name === ch.stream && (m.namespace ?? '') === (ch.namespace ?? '')
    const stream = streams.find(named)?.stream
    const tag = stream?.spec.tags?.find((t) => t.name === ch.tag)
    if (!tag?.annotations) continue
    const streamTag = `${ch.namespace ? `${ch.namespace}/` : ''}${ch.stream}:${ch.tag}`
    const image = ch.repository ? `${ch.repository}@${ch.newDigest}` : ch.newDigest
    const payload = { stream_tag: streamTag, old_digest: ch.oldDigest ?? '', new_digest: ch.newDigest, image }
    out.push(...targets(tag.annotations, payload))
  }
  const seen = new Set<string>()
  return out.filter((d) => {
    const target = d.kind === 'workflow_dispatch' ? d.workflow : d.eventType
    const key = JSON.stringify([d.kind, target, d.payload.new_digest])
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

export interface DispatchOutcome {
  sent: string[]
  errors: string[]
}

/** Sends each dispatch; one failing does not stop the others. `ref` is the branch a workflow_dispatch runs on. */
export async function sendDispatches(
  gh: GitHubClient,
  repo: { owner: string; repo: string },
  ref: string,
  dispatches: readonly Dispatch[],
  log: DeliveryLogger
): Promise<DispatchOutcome> {
  const outcome: DispatchOutcome = { sent: [], errors: [] }
  for (const d of dispatches) {
    const what =
      d.kind === 'workflow_dispatch'
        ? `workflow_dispatch ${d.workflow} on ${ref}`
        : `repository_dispatch ${d.eventType}`
    try {
      if (d.kind === 'workflow_dispatch') {
        const inputs = Object.fromEntries(Object.entries(d.payload).filter(([, v]) => v !== undefined))
        const request = { ...repo, workflow_id: d.workflow, ref, inputs }
        await call(what, () => gh.rest.actions.createWorkflowDispatch(request))
      } else {
        const request = { ...repo, event_type: d.eventType, client_payload: { ...d.payload } }
        await call(what, () => gh.rest.repos.createDispatchEvent(request))
      }
      log.info(`${what} for ${d.payload.stream_tag} → ${d.payload.new_digest}`)
      outcome.sent.push(what)
    } catch (err) {
      outcome.errors.push((err as Error).message)
    }
  }
  return outcome
}

/** What a run's dispatches come from (the action's Computation has these). */
export interface DispatchSources {
  builds?: readonly TriggeredBuild[]
  changes: readonly TagChange[]
  streams: ReadonlyArray<{ stream: ImageStream }>
}

/**
 * The action's hook after delivery: the run's dispatches, sent only when the delivery wrote something (a pull
 * request created or updated, a commit). A rerun that finds its pull request already holding these files writes
 * nothing, so it dispatches nothing again; after the merge the files themselves say nothing moved.
 */
export async function dispatchDelivered(
  gh: GitHubClient,
  repo: { owner: string; repo: string },
  baseBranch: string,
  run: DispatchSources,
  delivered: ReadonlyArray<{ operation: string }>,
  log: DeliveryLogger
): Promise<DispatchOutcome> {
  const wrote = delivered.some((r) => ['created', 'updated', 'committed'].includes(r.operation))
  if (!wrote) return { sent: [], errors: [] }
  return sendDispatches(gh, repo, baseBranch, planDispatches(run.builds ?? [], run.changes, run.streams), log)
}
