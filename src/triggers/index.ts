export * from './types.js'
export {
  TRIGGER_ANNOTATION,
  parseTriggerAnnotation,
  formatTriggerAnnotation,
  type ObjectFieldTrigger
} from './annotation.js'
export {
  createCatalog,
  findStream,
  resolveStreamTag,
  formatStreamTag,
  type CatalogEntry,
  type StreamCatalog,
  type Resolved
} from './catalog.js'
export { findBindings, DEFAULT_MAX_BYTES } from './find.js'
export { MARKER_KEY, parseMarker } from './markers.js'
export { planEdits, applyEdits } from './plan.js'
export { podSpecPath, parseFieldPath } from './pod-spec.js'
export { rewriteManifests } from './rewrite.js'
export { setTriggers, parseFromImage, type SetTriggersRequest, type SetTriggersResult } from './set-triggers.js'
export { scanManifests, writeManifests, checkGlob, DEFAULT_INCLUDE, type ScanOptions, type ScanResult } from './scan.js'
export {
  planBuildConfigs,
  DISPATCH_WORKFLOW_ANNOTATION,
  DISPATCH_EVENT_ANNOTATION,
  type TriggeredBuild
} from './buildconfig.js'
export { findDockerfileBindings, isDockerfileName, DOCKERFILE_INCLUDE } from './dockerfile.js'
