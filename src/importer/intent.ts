/**
 * What a run imports, independent of where the request came from (a cron tick, `imagestream import`, a GitHub
 * event, a build step's outputs). The action's events module and the CLI verbs both produce one of these.
 */
export type ImportIntent =
  /** The due tags (importPolicy.scheduled) plus the pending ones — a scheduler tick. */
  | { kind: 'scheduled' }
  /** Every importable tag (`import --all`, `images: all`). */
  | { kind: 'all' }
  /** Explicit `[namespace/]stream:tag` list, like `oc import-image stream:tag` (forces the import). */
  | { kind: 'tags'; tags: string[] }
  /** An image was pushed: the spec tags that follow this reference. A digest, if given, is confirmed and recorded. */
  | { kind: 'pushed'; image: string; digest?: string; source: string }
  /** Only the tags whose spec a person changed (OpenShift's ImageStreamController). */
  | { kind: 'pending' }
  /** Nothing to import (the reason goes to the summary). */
  | { kind: 'none'; reason: string }
