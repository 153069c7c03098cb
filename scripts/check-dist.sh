#!/usr/bin/env bash
# dist/ is committed (the action runs it from a checkout): fail when it differs from what the sources build to.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ROLLUP_OUT_DIR="$tmp/dist" npx rollup --config rollup.config.mjs --silent >/dev/null
if ! diff -r "$tmp/dist" dist >/dev/null; then
  echo "dist/ is stale: run 'npm run package' and commit dist/" >&2
  diff -rq "$tmp/dist" dist >&2 || true
  exit 1
fi
