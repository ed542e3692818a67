#!/usr/bin/env bash
# Fails when the build regenerated a committed file (API.md, imports/, snapshots, projen output) or left
# an untracked file behind. Runs in CI (CI=true) on a clean clone; locally it only reports.
set -euo pipefail
changes=$(git status --porcelain --untracked-files=all)
if [ -z "$changes" ]; then
  echo "work tree unchanged"
  exit 0
fi
echo "the build changed the work tree:"
echo "$changes"
git --no-pager diff --stat
if [ "${CI:-}" = "true" ]; then
  exit 1
fi
echo "(not CI: reported only)"
