// Module resolve hook for `--prototype NAME`: loads a patched copy from bench/prototype/ in place of one src/ module,
// so a proposed fix can be measured side by side without editing src/. Registered after tsx, so it runs first and
// asks tsx (nextResolve) where the original lives.
// Name → { original: '/src/…/module.ts', replacement: new URL('./patched-copy.ts', import.meta.url).href }.
// Empty now: the two prototypes measured here (keep-alive HEADs, concurrent staged writes) were applied to src/.
const PROTOTYPES = {}

let active = []

export function initialize(names) {
  active = names.map((n) => PROTOTYPES[n]).filter(Boolean)
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context)
  for (const p of active) {
    if (resolved.url.endsWith(p.original) && !context.parentURL?.includes('/bench/prototype/')) {
      return { ...resolved, url: p.replacement }
    }
  }
  return resolved
}

export const NAMES = Object.keys(PROTOTYPES)

/** For esbuild bundles of the workers: original path suffix → replacement file path. */
export function replacementsFor(names) {
  return names.map((n) => PROTOTYPES[n]).filter(Boolean).map((p) => ({ original: p.original, replacement: new URL(p.replacement).pathname }))
}
