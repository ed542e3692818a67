#!/usr/bin/env bash
# Installs a pinned Go command from the Go module proxy into .cache/bin when it is missing (or another version), and
# prints its path. Usage: ensure-go-tool.sh NAME PACKAGE VERSION VERSION_ARG
#   NAME         the binary's name in .cache/bin
#   PACKAGE      the package path to `go install` (without @version)
#   VERSION      the pinned module version, e.g. v5.7.1
#   VERSION_ARG  how the binary prints its version (`version`, `--version`); the output must contain VERSION (or it
#                without its leading v)
set -euo pipefail
name=$1 package=$2 version=$3 version_arg=$4
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.cache/bin/$name"
if [ -x "$bin" ] && "$bin" "$version_arg" 2>/dev/null | grep -q "${version#v}"; then
  echo "$bin"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "$name $version is missing and there is no Go toolchain to install it (https://go.dev/dl/)" >&2
  exit 1
fi
mkdir -p "$root/.cache/bin"
echo "installing $name $version from the Go module proxy..." >&2
GOBIN="$root/.cache/bin" GOFLAGS=-mod=mod nice -n 10 go install "$package@$version" >&2
echo "$bin"
