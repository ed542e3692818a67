#!/usr/bin/env bash
# Installs the pinned gojq (the jq implementation Argo CD evaluates ignoreDifferences jqPathExpressions with, as
# `del(<expression>)`) from the Go module proxy into .cache/bin when it is missing, and prints its path.
# The ignoreDifferences tests run the stack's expressions through it on live and desired objects.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version="v0.12.17"
bin="$root/.cache/bin/gojq"
if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "${version#v}"; then
  echo "$bin"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "gojq $version is missing and there is no Go toolchain to install it (https://go.dev/dl/)" >&2
  exit 1
fi
mkdir -p "$root/.cache/bin"
echo "installing gojq $version from the Go module proxy..." >&2
GOBIN="$root/.cache/bin" GOFLAGS=-mod=mod nice -n 10 go install "github.com/itchyny/gojq/cmd/gojq@$version" >&2
echo "$bin"
