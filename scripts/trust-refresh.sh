#!/usr/bin/env bash
# Refreshes src/verify/trusted-roots/*.json, the Sigstore trusted roots the verification gate uses. Run by a person,
# on purpose: an import never fetches trust material. `gh attestation trusted-root` fetches both roots through TUF
# (verified against the TUF roots embedded in the GitHub CLI) and prints one JSON document per line.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v gh >/dev/null || { echo 'install the GitHub CLI (gh) first: https://cli.github.com' >&2; exit 2; }
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
gh attestation trusted-root > "$tmp"
node --input-type=module - "$tmp" <<'JS'
import { readFileSync, writeFileSync } from 'node:fs'
for (const line of readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.trim())) {
  const root = JSON.parse(line)
  const uris = (root.certificateAuthorities ?? []).map((ca) => ca.uri ?? '')
  const name = uris.some((u) => u.includes('githubapp.com')) ? 'github' : 'sigstore-public-good'
  writeFileSync(`src/verify/trusted-roots/${name}.json`, JSON.stringify(root, null, 2) + '\n')
  console.log(`src/verify/trusted-roots/${name}.json: ${uris.length} certificate authorities, ${(root.tlogs ?? []).length} logs`)
}
JS
echo 'Review the diff, update the capture date in src/verify/trusted-roots/README.md, and commit it.'
