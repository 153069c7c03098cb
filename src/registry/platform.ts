import type { Platform } from './types.js'

/**
 * Platform spellings differ between tools (`x86_64` vs `amd64`, `aarch64` vs `arm64`, `armhf` vs `arm/v7`); compare
 * only normalized values, as containerd's platforms package and regclient do (registry.md §9).
 */
export function normalizePlatform(p: { os?: string; architecture?: string; variant?: string }): Platform {
  let os = (p.os ?? '').trim().toLowerCase()
  let architecture = (p.architecture ?? '').trim().toLowerCase()
  let variant: string | undefined = (p.variant ?? '').trim().toLowerCase() || undefined
  if (os === 'macos') os = 'darwin'
  switch (architecture) {
    case 'x86_64':
    case 'x86-64':
      architecture = 'amd64'
      break
    case 'aarch64':
      architecture = 'arm64'
      break
    case 'armhf':
      architecture = 'arm'
      variant = 'v7'
      break
    case 'armel':
      architecture = 'arm'
      variant = 'v6'
      break
    case 'i386':
    case 'i686':
      architecture = '386'
      break
  }
  if (variant && /^\d+$/.test(variant)) variant = `v${variant}`
  // The default variant of each architecture is written both ways; drop or fill it so both compare equal.
  if (architecture === 'amd64' && variant === 'v1') variant = undefined
  if (architecture === 'arm64' && variant === 'v8') variant = undefined
  if (architecture === 'arm' && !variant) variant = 'v7'
  return variant ? { os, architecture, variant } : { os, architecture }
}

/** `linux/amd64`, `linux/arm/v7`: the spelling `--platform` takes and `docker` prints. */
export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/')
}

/** Parses `os/arch[/variant]`; throws an Error saying what shape is expected. */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().split('/')
  if (parts.length < 2 || parts.length > 3 || parts.some((s) => !/^[A-Za-z0-9_.-]+$/.test(s))) {
    throw new Error(`invalid platform "${text}": expected os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm/v7`)
  }
  return normalizePlatform({ os: parts[0], architecture: parts[1], variant: parts[2] })
}

/** `required` matches `given` when os and arch are equal and, if `required` names a variant, the variant too. */
export function platformMatches(given: Platform, required: Platform): boolean {
  const g = normalizePlatform(given)
  const r = normalizePlatform(required)
  if (g.os !== r.os || g.architecture !== r.architecture) return false
  // arm's implied v7 would otherwise refuse arm/v6 for a bare "linux/arm" request; only an explicit variant binds.
  if (required.variant && r.variant !== g.variant) return false
  return true
}

export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' }

export interface PlatformPreference {
  /** The configured platform (OpenShift: the control plane's GOOS/GOARCH); default linux/amd64. */
  platform?: Platform
  /** `importer.image.openshift.io/prefer-arch` / `prefer-os`. */
  preferArch?: string
  preferOs?: string
}

/**
 * OpenShift's Legacy choice of one child of a manifest list (openshift-apiserver pkg/image/apiserver/importer/
 * importer.go manifestFromManifestList): prefer-arch and prefer-os, each missing one filled from the configured
 * platform (OpenShift: the API server's runtime.GOARCH/GOOS; default linux/amd64), must both match; then
 * linux/amd64; then the first entry. Variants are never compared (Go compares Architecture and OS only). Spellings
 * are normalized first (`aarch64` is `arm64`), where Go compares the strings as written.
 * Returns the index into `children`, or -1 when the list is empty.
 */
export function chooseLegacyChild(
  children: ReadonlyArray<{ platform: Platform }>,
  pref: PlatformPreference = {}
): number {
  if (children.length === 0) return -1
  const base = pref.platform ?? DEFAULT_PLATFORM
  const wanted = normalizePlatform({
    os: pref.preferOs?.trim() || base.os,
    architecture: pref.preferArch?.trim() || base.architecture
  })
  for (const { os, architecture } of [wanted, DEFAULT_PLATFORM]) {
    const i = children.findIndex((c) => {
      const p = normalizePlatform(c.platform)
      return p.architecture === architecture && p.os === os
    })
    if (i >= 0) return i
  }
  return 0
}
