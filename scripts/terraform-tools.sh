#!/usr/bin/env bash
# Builds the judge of test/terraform/validate.test.ts from Go modules (the Go module proxy only, no release
# downloads): the OpenTofu CLI and hashicorp/terraform-provider-kubernetes. Both are built in a scratch directory
# outside the repository and cached by version under $CDK8S_PD_TF_TOOLS (default ~/.cache/cdk8s-progressive-delivery/tf);
# a second run with the same versions builds nothing. Prints `tofu=<path>` and `provider_dir=<path>` (the directory
# for dev_overrides). With --check it builds nothing and fails (exit 1) when a tool is missing.
#
# Why OpenTofu and not hashicorp/terraform: `go install` refuses modules with replace directives, and Terraform's
# go.mod replaces eight of its own sub-modules by local paths that are not part of its module zip, so it cannot be
# built from the proxy alone. OpenTofu's only replace points at another module, so its module zip builds as is.
# The provider's go.mod declares no /v2 (or /v3) suffix, so its v2/v3 tags are not valid module versions
# ("v2.38.0: 403 ... This module version is not available"); the proxy serves commits as v1.13.4-0.* pseudo-versions.
# The default is the only one available here: commit 3a33fb6cc605 (2026-08-21) = v3.2.1 plus 2 commits. The cdktf
# bindings 12.1.1 target provider 2.38.0 (commit be88f4427105, not served by the proxy here); set PROVIDER_VERSION to
# validate against another commit.
set -euo pipefail
TOFU_MODULE=github.com/opentofu/opentofu
TOFU_VERSION=${TOFU_VERSION:-v1.12.6}
PROVIDER_MODULE=github.com/hashicorp/terraform-provider-kubernetes
PROVIDER_VERSION=${PROVIDER_VERSION:-v1.13.4-0.20260821094251-3a33fb6cc605}
CACHE=${CDK8S_PD_TF_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-progressive-delivery/tf}

tofu_dir="$CACHE/tofu-$TOFU_VERSION"
provider_dir="$CACHE/provider-kubernetes-$PROVIDER_VERSION"

if [ "${1:-}" = "--check" ]; then
  if [ -x "$tofu_dir/tofu" ] && [ -x "$provider_dir/terraform-provider-kubernetes" ]; then
    echo "tofu=$tofu_dir/tofu"
    echo "provider_dir=$provider_dir"
    exit 0
  fi
  echo "OpenTofu $TOFU_VERSION or terraform-provider-kubernetes $PROVIDER_VERSION is not built in $CACHE." \
    "Fix: npx projen terraform:tools (builds both from their Go modules; the first build takes minutes)" >&2
  exit 1
fi

if ! command -v go >/dev/null 2>&1; then
  echo "go is not on PATH: install Go >= 1.26.6 (OpenTofu $TOFU_VERSION and the provider need it)" >&2
  exit 1
fi

if [ ! -x "$tofu_dir/tofu" ]; then
  echo "building OpenTofu $TOFU_VERSION from its Go module..." >&2
  src=$(go mod download -json "$TOFU_MODULE@$TOFU_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$src" ] || { echo "go mod download $TOFU_MODULE@$TOFU_VERSION gave no directory" >&2; exit 1; }
  scratch=$(mktemp -d)
  trap 'chmod -R u+w "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT
  cp -r "$src/." "$scratch/"
  chmod -R u+w "$scratch"
  mkdir -p "$tofu_dir"
  (cd "$scratch" && nice -n 10 go build -buildvcs=false -trimpath -o "$tofu_dir/tofu.tmp" ./cmd/tofu)
  mv "$tofu_dir/tofu.tmp" "$tofu_dir/tofu"
fi

if [ ! -x "$provider_dir/terraform-provider-kubernetes" ]; then
  echo "building $PROVIDER_MODULE $PROVIDER_VERSION from its Go module..." >&2
  mkdir -p "$provider_dir"
  GOBIN="$provider_dir" GOFLAGS=-buildvcs=false nice -n 10 go install -trimpath "$PROVIDER_MODULE@$PROVIDER_VERSION"
fi

echo "tofu=$tofu_dir/tofu"
echo "provider_dir=$provider_dir"
