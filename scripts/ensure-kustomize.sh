#!/usr/bin/env bash
# Installs the pinned kustomize (from the Go module proxy) into .cache/bin when it is missing, and prints its path.
# The GitOps-tree tests run `kustomize build` on every path the stack's ApplicationSets point to.
# Needs Go >= 1.22 on PATH; nothing else (no kubectl, no cluster).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version="v5.7.1"
bin="$root/.cache/bin/kustomize"
if [ -x "$bin" ] && "$bin" version 2>/dev/null | grep -q "$version"; then
  echo "$bin"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "kustomize $version is missing and there is no Go toolchain to install it (https://go.dev/dl/)" >&2
  exit 1
fi
mkdir -p "$root/.cache/bin"
echo "installing kustomize $version from the Go module proxy..." >&2
GOBIN="$root/.cache/bin" GOFLAGS=-mod=mod nice -n 10 go install "sigs.k8s.io/kustomize/kustomize/v5@$version" >&2
echo "$bin"
