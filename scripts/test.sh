#!/usr/bin/env bash
# The one test command (README "Test", .ci/run): installs what the tests need, type-checks, checks that dist/
# is what the sources build to, lints (ESLint, import cycles), checks the format (Prettier), runs every Jest suite,
# and ends with the plain line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

extra_passed=0
extra_failed=0
check() { # name, command...
  local name=$1; shift
  if "$@"; then echo "check ok: $name"; extra_passed=$((extra_passed + 1))
  else echo "check FAILED: $name"; extra_failed=$((extra_failed + 1)); fi
}

check "typecheck (tsc --noEmit)" npx tsc -p tsconfig.json --noEmit
check "dist/ is fresh (rebuild and compare)" bash scripts/check-dist.sh
check "lint (eslint: rules, size limits, import walls)" npx eslint src test bench
check "no import cycles (files or folders)" node scripts/check-cycles.mjs
check "format (prettier --check)" npm run --silent format:check

results=.test-results.json
rm -f "$results"
NODE_OPTIONS='--experimental-vm-modules' NODE_NO_WARNINGS=1 npx jest --ci --json --outputFile="$results" "$@"
jest_rc=$?

node -e '
  const fs = require("fs")
  let p = 0, f = 0
  try { const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); p = r.numPassedTests; f = r.numFailedTests + r.numRuntimeErrorTestSuites }
  catch { f = 1; console.error("jest wrote no results") }
  p += Number(process.argv[2]); f += Number(process.argv[3])
  if (Number(process.argv[4]) !== 0 && f === 0) f = 1
  console.log(`${p} passed, ${f} failed`)
  process.exit(f === 0 ? 0 : 1)
' "$results" "$extra_passed" "$extra_failed" "$jest_rc"
