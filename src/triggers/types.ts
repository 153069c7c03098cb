/**
 * Bindings between manifests and image stream tags, and the byte-exact edits that honour them.
 * Everything in src/triggers/ except scan.ts is pure: text in, data out.
 */
import type { Diagnostic } from '../util/errors.js'
import type { TriggeredBuild } from './buildconfig.js'

/** `[namespace/]stream:tag` as a binding names it. `namespace` undefined = "the object's namespace, if any". */
export interface StreamTagRef {
  namespace?: string
  stream: string
  tag: string
}

/**
 * What a binding writes: the whole pinned reference (triggers, DC, plain markers), or one part of it for
 * charts and kustomizations that split an image into fields (`:name`, `:tag`, `:digest` markers).
 */
export type TargetPart = 'reference' | 'name' | 'tag' | 'digest'

/** How the current value is spelled in the source; a rewrite keeps it. `verbatim`: not YAML (a Dockerfile), written as is. */
export type ScalarStyle = 'plain' | 'single' | 'double' | 'verbatim'

/** One place a value is written: an existing scalar (replaced) or a missing key (inserted). */
export interface Target {
  /** Where in the document: `spec.template.spec.containers[0].image`, or `line 12` for a text-mode marker. */
  field: string
  /** 1-based position of the value (or of the insertion point). */
  line: number
  column: number
  /** Source offsets of the scalar token, quotes included. start === end for an insertion. */
  start: number
  end: number
  /** The exact source text at [start, end). */
  raw: string
  /** The current value, decoded; null when the key is missing and will be inserted. */
  value: string | null
  style: ScalarStyle
  /** For insertions: text written before and after the rendered value (key, indentation, line break). */
  insert?: { before: string; after: string }
  /** Plain scalars in flow collections must not contain `,[]{}`. */
  flow?: boolean
}

export type BindingSource = 'annotation' | 'deploymentconfig' | 'marker' | 'dockerfile' | 'buildconfig'

export interface Binding {
  source: BindingSource
  file: string
  /** Where the binding is declared (the annotation, the DC trigger, the marker comment). */
  line: number
  column: number
  /** The declaration as a field path, e.g. `metadata.annotations.image.openshift.io/triggers[1]`. */
  field: string
  /** `Deployment/web` (with `ns/` in front when the object has a namespace); absent for markers. */
  object?: string
  from: StreamTagRef
  part: TargetPart
  target: Target
  /**
   * DeploymentConfig only: every binding of one DC shares the group, because OpenShift leaves the whole DC
   * alone until all its automatic triggers resolve (or have a lastTriggeredImage to fall back on).
   */
  group?: string
  /** DeploymentConfig only: the trigger's lastTriggeredImage before this run ('' when unset). */
  lastTriggeredImage?: string
  /**
   * `index`: pin the index (manifest list) a Legacy import chose its platform image from, unless the current pin is
   * already a platform image (a build for several platforms needs the index; catalog.ts withIndexDigest).
   */
  pin?: 'index'
}

export interface FindResult {
  bindings: Binding[]
  diagnostics: Diagnostic[]
  /** Digests (`sha256:…`) the file pins outside ImageStream documents, for history retention. */
  pinnedDigests: string[]
  /** Trigger bindings inside OpenShift Templates' objects, which are not followed (find.ts templateObjects). */
  templated?: number
  /** yaml: parsed; text: a template, only marker lines were read; skipped: too large or unreadable. */
  mode: 'yaml' | 'text' | 'skipped'
  /** yaml mode: what a rewrite needs to know its result reads back as planned without parsing it again. */
  readBack?: {
    /**
     * Start offsets of the scalars whose values decide what is bound (kinds, apiVersions, names, namespaces, the
     * trigger annotation, DeploymentConfig trigger fields, container names) or that carry an explicit tag.
     */
    decisive: ReadonlySet<number>
    /** How many scalars pin each digest (the keys are `pinnedDigests`). */
    digestUses: ReadonlyMap<string, number>
  }
}

export interface FindOptions {
  /** Larger files are skipped with a notice (default 8 MiB). */
  maxBytes?: number
}

/** A replacement of `old` (the exact source text at [start, end)) by `new`. */
export interface Edit {
  file: string
  line: number
  column: number
  field: string
  start: number
  end: number
  old: string
  new: string
  oldValue: string | null
  newValue: string
  /** `[ns/]stream:tag` the value comes from. */
  from: string
  source: BindingSource
}

export type PinFormat = 'digest' | 'tag-digest'

export interface RewriteOptions {
  /** `digest` (default) writes what OpenShift writes (`repo@sha256:…`); `tag-digest` writes `repo:tag@sha256:…`. */
  pinFormat?: PinFormat
  /**
   * Write the Source reference even for `referencePolicy: Local` tags (outside OpenShift the internal registry
   * name usually means nothing: a cluster's registry host is not reachable from where the manifests are applied).
   */
  ignoreLocalPolicy?: boolean
  maxBytes?: number
  /**
   * Parse every rewritten file again to check it reads back as planned, even when its edits cannot change what it
   * means (by default only insertions, changes of quoting and edits of deciding values are read back; rewrite.ts).
   */
  verifyAll?: boolean
  /** RFC 3339 seconds: the lastTriggerTime of a BuildConfig trigger that starts a build in this run. */
  now?: string
}

export interface PlanResult {
  edits: Edit[]
  diagnostics: Diagnostic[]
}

export interface ManifestFile {
  path: string
  text: string
}

export interface ChangedManifest {
  path: string
  text: string
  edits: Edit[]
}

export interface RewriteResult {
  changed: ChangedManifest[]
  diagnostics: Diagnostic[]
  /** Every digest still pinned by a manifest after the rewrite, sorted. */
  pinnedDigests: string[]
  /** The BuildConfig builds OpenShift would instantiate for these moves (their status is in `changed`). */
  builds: TriggeredBuild[]
  /** How many bindings the files hold, and how many more sit in Templates unfollowed: what an idle run says. */
  bound: number
  templated: number
}
