/**
 * The `image.openshift.io/v1` ImageStream, spelled exactly as openshift/api image/v1/types.go does.
 * These are plain data: the state file module reads and writes them, the rule modules
 * transform them. Nothing here may carry a field the OpenAPI schema does not know.
 */

export const API_VERSION = 'image.openshift.io/v1'
export const KIND = 'ImageStream'

/** Our own bookkeeping lives in metadata.annotations under this one prefix (documented in README). */
export const ANNOTATION_PREFIX = 'imagestream-action.dev/'
/** JSON object: tag name → Hold. Set by `rollback`, removed by `resume`. */
export const HOLDS_ANNOTATION = `${ANNOTATION_PREFIX}holds`
/** JSON object: tag name → the newest upstream digest an import saw while the tag was held. */
export const UPSTREAM_ANNOTATION = `${ANNOTATION_PREFIX}upstream`

/** OpenShift's own annotations (api image/v1/consts.go). */
export const DOCKER_REPOSITORY_CHECK_ANNOTATION = 'openshift.io/image.dockerRepositoryCheck'
export const PREFER_ARCH_ANNOTATION = 'importer.image.openshift.io/prefer-arch'
export const PREFER_OS_ANNOTATION = 'importer.image.openshift.io/prefer-os'

export type TagFromKind = 'DockerImage' | 'ImageStreamTag' | 'ImageStreamImage'
export type ImportModeValue = 'Legacy' | 'PreserveOriginal'
/** '' (or no type) is read as Source: SetDefaults_TagReferencePolicy. */
export type ReferencePolicyType = 'Source' | 'Local'

export interface ObjectReference {
  kind: string
  name: string
  namespace?: string
}

export interface TagImportPolicy {
  insecure?: boolean
  scheduled?: boolean
  importMode?: ImportModeValue
}

export interface TagReference {
  name: string
  /** No omitempty in Go: an empty map serializes as `annotations: null`. */
  annotations?: Record<string, string> | null
  from?: ObjectReference
  reference?: boolean
  /** `*int64` with no omitempty. A committed file never holds 0 (0 = "import requested", working copy only). */
  generation?: number | null
  importPolicy?: TagImportPolicy
  referencePolicy?: { type?: ReferencePolicyType | '' }
}

export interface ImageStreamSpec {
  lookupPolicy?: { local: boolean }
  /** Deprecated since 3.7: a whole external repository is imported (repository import). */
  dockerImageRepository?: string
  tags?: TagReference[]
}

export interface TagEvent {
  /** RFC 3339 UTC, whole seconds. */
  created: string
  /** `repo@digest`, never the tag form. */
  dockerImageReference: string
  /** The digest (`sha256:…`). Empty for `reference: true` tags. */
  image: string
  generation: number
}

export interface TagEventCondition {
  type: 'ImportSuccess'
  status: 'True' | 'False' | 'Unknown'
  lastTransitionTime?: string
  reason?: string
  message?: string
  generation: number
}

export interface NamedTagEventList {
  tag: string
  items: TagEvent[] | null
  conditions?: TagEventCondition[]
}

export interface ImageStreamStatus {
  dockerImageRepository: string
  publicDockerImageRepository?: string
  tags?: NamedTagEventList[]
}

export interface ObjectMeta {
  name: string
  namespace?: string
  generation?: number
  annotations?: Record<string, string>
  labels?: Record<string, string>
  [key: string]: unknown
}

export interface ImageStream {
  apiVersion: typeof API_VERSION
  kind: typeof KIND
  metadata: ObjectMeta
  spec: ImageStreamSpec
  status?: ImageStreamStatus
}

/** A rollback hold (our annotation): the tag stays on `digest` until `resume`. */
export interface Hold {
  digest: string
  /** When the hold was placed (RFC 3339). */
  since: string
}

/**
 * JSON object: spec tag name → short fingerprint of what `tagRefChanged` compares (from kind/name/namespace,
 * reference, importMode), plus the key "" for the whole spec minus tag generations. Git holds no "old object",
 * so this is how `reconcileSpec` tells a person's edit from the state it last saw (src/stream/rules/generation.ts).
 */
export const OBSERVED_ANNOTATION = `${ANNOTATION_PREFIX}observed`
/** `oc import-image` reads it as the stream-wide default for `importPolicy.insecure` (api image/v1/consts.go). */
export const INSECURE_REPOSITORY_ANNOTATION = 'openshift.io/image.insecureRepository'
