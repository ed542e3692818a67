#!/usr/bin/env bash
# Makes sure what the tests need is on the machine: promtool and prometheus (Debian package `prometheus`)
# for the PromQL evaluation tests and the federation end-to-end test. Installs nothing that is already there.
set -euo pipefail
if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then
  echo "prometheus tools present: $(promtool --version 2>&1 | head -1)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "promtool/prometheus missing and no apt-get here: install Prometheus 2.x so that promtool and prometheus are on PATH" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
echo "installing Debian's prometheus package (promtool + prometheus)..."
$SUDO apt-get update -qq
# --no-install-recommends: only prometheus itself, not node-exporter and friends.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
# The package may try to start its own service on :9090 where systemd runs; the tests never use it.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
echo "installed: $(promtool --version 2>&1 | head -1)"
