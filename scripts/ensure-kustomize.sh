#!/usr/bin/env bash
# Installs the pinned kustomize into .cache/bin when it is missing, and prints its path.
# The GitOps-tree tests run `kustomize build` on every path the stack's ApplicationSets point to.
# Needs Go >= 1.22 on PATH; nothing else (no kubectl, no cluster).
exec bash "$(dirname "$0")/ensure-go-tool.sh" kustomize sigs.k8s.io/kustomize/kustomize/v5 v5.7.1 version
