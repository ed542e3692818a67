#!/usr/bin/env bash
# Builds the conformance harness's Go commands (conformance/*/cmd/...) into .cache/conformance/bin, once: a stamp of
# the Go sources, go.mod/go.sum files and the Go version skips the build when nothing changed. On a fresh machine the
# go command downloads the pinned modules (Argo Rollouts v1.9.1, Argo CD v3.5.1 and their dependencies) from the Go
# module proxy into the module cache; the build cache (GOCACHE) keeps later builds to a link step.
#
# Two Go modules, because the two controllers pin different Kubernetes releases in their own replace blocks
# (Rollouts v1.9.1: k8s 1.34.1, Argo CD v3.5.1: k8s 1.36.1) and each is judged with the libraries it ships with.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/.cache/conformance/bin"
STAMP="$ROOT/.cache/conformance/build.stamp"
MODULES=(conformance/rollouts conformance/argocd)
COMMANDS=(rollouts-validate crd-validate rollout-health appset-render)

if ! command -v go >/dev/null 2>&1; then
  echo "conformance: the Go toolchain (go >= 1.26) is required to build the conformance harness" >&2
  exit 1
fi
# Never switch toolchains behind the user's back; use this machine's Go.
export GOTOOLCHAIN=local
# A reproducible, read-only view of the modules: go.sum pins every download.
export GOFLAGS="${GOFLAGS:-} -mod=readonly -buildvcs=false"
if [ -z "${HOME:-}" ] && [ -z "${GOCACHE:-}" ]; then export GOCACHE="$ROOT/.cache/conformance/gocache"; fi

stamp() {
  {
    go version
    find conformance -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) | LC_ALL=C sort | xargs sha256sum
  } | sha256sum | cut -d' ' -f1
}
want=$(stamp)
have=$(cat "$STAMP" 2>/dev/null || true)
missing=0
for c in "${COMMANDS[@]}"; do [ -x "$OUT/$c" ] || missing=1; done
if [ "$want" = "$have" ] && [ $missing = 0 ]; then
  echo "conformance: Go commands up to date in .cache/conformance/bin (${COMMANDS[*]})"
  exit 0
fi

mkdir -p "$OUT"
start=$(date +%s)
for m in "${MODULES[@]}"; do
  echo "conformance: building $m (go $(go env GOVERSION); modules from $(go env GOPROXY))..."
  (cd "$m" && nice -n 10 go build -o "$OUT/" ./cmd/...)
done
echo "$want" > "$STAMP"
echo "conformance: built ${COMMANDS[*]} in $(( $(date +%s) - start ))s"
