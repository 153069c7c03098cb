/**
 * The defaults that more than one module uses, named once. Each shell documents them in its own words (action.yml,
 * `--help`); these values are what both apply when a person gives nothing.
 */

/** Where the stream files are, relative to the repository root. */
export const DEFAULT_STREAM_GLOB = 'imagestreams/**/*.{yaml,yml}'

/** Every YAML file may be a manifest (stream files are left out by the scan). */
export const DEFAULT_MANIFEST_GLOB = '**/*.{yaml,yml}'

/** History items kept per tag: OpenShift keeps a tag's whole history and prunes it separately; a file in Git
 * needs a bound of its own. */
export const DEFAULT_HISTORY_LIMIT = 10

/** Registry requests in flight at once. */
export const DEFAULT_CONCURRENCY = 16

/** GitHub refuses pull request bodies above 65536 characters. */
export const MAX_PULL_REQUEST_BODY = 65536

/** A new branch's prefix (`imagestream/<stream>`). */
export const DEFAULT_BRANCH_PREFIX = 'imagestream/'
