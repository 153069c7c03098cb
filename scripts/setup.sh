#!/usr/bin/env bash
# Installs everything the tests and the benchmarks use, on a fresh Debian/Ubuntu machine with Node >= 20:
# Debian's distribution registry (docker-registry), skopeo (the benchmark's baseline), git; then the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v docker-registry >/dev/null 2>&1 || [ -x /usr/bin/docker-registry ] || need+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
command -v git >/dev/null 2>&1 || need+=(git)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils) # bcrypt htpasswd entries for the registry tests
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  # Registry mirrors that serve only this platform's optional packages (Rollup's native binaries for other systems
  # answer 404) make `npm ci` refuse the lock file as "out of sync". `npm install` then installs exactly the locked
  # versions and skips the optional packages it cannot have; the lock file is restored so the checkout stays clean.
  if ! npm ci --no-audit --no-fund --loglevel=error 2>/tmp/imagestream-npm-ci.log; then
    echo "setup: npm ci refused the lock file (see below); installing the locked versions with npm install"
    grep -m 3 -E 'npm error (code|Missing)' /tmp/imagestream-npm-ci.log || true
    cp -p package-lock.json /tmp/imagestream-package-lock.json
    npm install --no-audit --no-fund --loglevel=error
    cmp -s package-lock.json /tmp/imagestream-package-lock.json || cp -p /tmp/imagestream-package-lock.json package-lock.json
  fi
fi
