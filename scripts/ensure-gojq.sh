#!/usr/bin/env bash
# Installs the pinned gojq (the jq implementation Argo CD evaluates ignoreDifferences jqPathExpressions with, as
# `del(<expression>)`) into .cache/bin when it is missing, and prints its path.
# The ignoreDifferences tests run the stack's expressions through it on live and desired objects.
exec bash "$(dirname "$0")/ensure-go-tool.sh" gojq github.com/itchyny/gojq/cmd/gojq v0.12.17 --version
