#!/usr/bin/env bash
# `npm run try-it` — the README's "Try it", fully offline on a fresh clone:
#   a loopback registry (Debian's docker-registry), a sample GitOps repository (git, in a temp dir) with an
#   ImageStream and a Deployment carrying the trigger annotation, an image pushed, the action's dist/index.js run
#   exactly as a GitHub runner runs it (delivery: none — it only edits the checkout), a new digest pushed, the run
#   repeated, then `imagestream describe` showing the tag's history. Everything is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

bash scripts/setup.sh
[ -f dist/index.js ] || { echo "try-it: dist/index.js is missing; build it with: npm run package" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/imagestream-try-it.XXXXXX")
SERVE_PID=""
cleanup() {
  if [ -n "$SERVE_PID" ] && kill -0 "$SERVE_PID" 2>/dev/null; then
    kill -TERM "$SERVE_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVE_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -f "$WORK/registry.json" ]; then
    reg_pid=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).registryPid)' "$WORK/registry.json")
    kill -0 "$reg_pid" 2>/dev/null && kill -TERM "$reg_pid" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

TSX="$ROOT/node_modules/.bin/tsx"
banner() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

banner "Starting a registry on 127.0.0.1"
"$TSX" scripts/try-it-registry.ts serve "$WORK/registry.json" &
SERVE_PID=$!
for _ in $(seq 150); do [ -s "$WORK/registry.json" ] && break; sleep 0.1; done
[ -s "$WORK/registry.json" ] || { echo "try-it: the registry did not start" >&2; exit 1; }
HOST=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).host)' "$WORK/registry.json")
echo "registry: http://$HOST"

banner "A sample GitOps repository"
REPO="$WORK/gitops"
mkdir -p "$REPO/imagestreams" "$REPO/deploy"
cat > "$REPO/imagestreams/web.yaml" <<EOF
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: web
  generation: 1
spec:
  lookupPolicy:
    local: false
  tags:
  - name: latest
    annotations: null
    from:
      kind: DockerImage
      name: $HOST/acme/web:latest
    generation: 1
    importPolicy:
      scheduled: true
    referencePolicy:
      type: Source
EOF
cat > "$REPO/deploy/web.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"web:latest"},"fieldPath":"spec.template.spec.containers[?(@.name==\"web\")].image"}]'
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: web
        image: $HOST/acme/web:latest   # the trigger pins this to the digest
EOF
export GIT_AUTHOR_NAME="try-it" GIT_AUTHOR_EMAIL="try-it@example.com" GIT_COMMITTER_NAME="try-it" GIT_COMMITTER_EMAIL="try-it@example.com"
git -C "$REPO" init -q -b main
git -C "$REPO" add -A
git -C "$REPO" commit -q -m "A stream and a Deployment"
(cd "$REPO" && find . -path ./.git -prune -o -type f -print | sort)

# The action as a runner starts it: inputs as INPUT_*, the event, and the files it writes outputs and the summary to.
run_action() {
  local out="$WORK/output" summary="$WORK/summary.md"
  : > "$out"; : > "$summary"
  echo '{"schedule":"*/15 * * * *"}' > "$WORK/event.json"
  env -i PATH="$PATH" HOME="$WORK/home" \
    GITHUB_ACTIONS=true GITHUB_EVENT_NAME=schedule GITHUB_EVENT_PATH="$WORK/event.json" \
    GITHUB_WORKSPACE="$REPO" GITHUB_REPOSITORY=example/gitops GITHUB_REF=refs/heads/main GITHUB_REF_NAME=main \
    GITHUB_REF_TYPE=branch GITHUB_OUTPUT="$out" GITHUB_STEP_SUMMARY="$summary" \
    INPUT_DELIVERY=none INPUT_COMMAND=sync \
    node "$ROOT/dist/index.js"
  banner "Job summary"
  cat "$summary"
  banner "Outputs"
  grep -v '^ghadelimiter_' "$out" | sed 's/<<ghadelimiter_.*$/:/'
  banner "git diff"
  git -C "$REPO" --no-pager diff --stat
  git -C "$REPO" --no-pager diff
  git -C "$REPO" add -A
  git -C "$REPO" commit -q -m "imagestream: import" >/dev/null || true
}

banner "Pushing acme/web:latest"
D1=$("$TSX" scripts/try-it-registry.ts push "$HOST" acme/web latest first \
  org.opencontainers.image.source=https://github.com/example/web org.opencontainers.image.revision=1111111)
echo "$D1"

banner "Running the action (node dist/index.js), as GitHub does"
run_action

banner "Pushing a new image to acme/web:latest"
sleep 1 # a later second, so the new history item has its own created time
D2=$("$TSX" scripts/try-it-registry.ts push "$HOST" acme/web latest second \
  org.opencontainers.image.source=https://github.com/example/web org.opencontainers.image.revision=2222222)
echo "$D2"

banner "Running the action again"
run_action

banner "Running it once more: nothing moved, nothing changes"
run_action

banner "node bin/imagestream.js -C <repo> describe web"
if ! node bin/imagestream.js -C "$REPO" describe web; then
  echo "(this build of the CLI has no describe verb yet; the stream file holds the history:)"
  sed -n '/^status:/,$p' "$REPO/imagestreams/web.yaml"
fi

banner "Done; removing $WORK"
