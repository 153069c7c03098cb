#!/usr/bin/env bash
# Prints the CHANGELOG.md section of one version (the lines under "## [X.Y.Z] …" up to the next "## "), for the
# release workflow's GitHub release notes. Fails when the version has no section or the section is empty.
set -euo pipefail
version=${1:?usage: release-notes.sh X.Y.Z}
file=${2:-"$(dirname "$0")/../CHANGELOG.md"}
notes=$(awk -v v="$version" '
  /^## / { if (found) exit; if (index($0, "## [" v "]") == 1) { found = 1; next } }
  found { print }
' "$file")
if [ -z "$(printf '%s' "$notes" | tr -d '[:space:]')" ]; then
  echo "release-notes: CHANGELOG.md has no notes under \"## [$version]\"" >&2
  exit 1
fi
printf '%s\n' "$notes"
