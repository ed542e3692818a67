#!/usr/bin/env bash
# Makes sure what the tests need is on the machine: promtool and prometheus (Debian package `prometheus`)
# for the PromQL evaluation tests and the federation end-to-end test, and Python 3 with venv for the Python package
# check (scripts/python-check.sh). Installs nothing that is already there.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
updated=""
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$1 missing and no apt-get here: $2" >&2
    exit 1
  fi
  if [ -z "$updated" ]; then $SUDO apt-get update -qq; updated=1; fi
  shift 2
  # --no-install-recommends: only what is named, not its friends (e.g. node-exporter for prometheus).
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then
  echo "prometheus tools present: $(promtool --version 2>&1 | head -1)"
else
  echo "installing Debian's prometheus package (promtool + prometheus)..."
  apt_install "promtool/prometheus" "install Prometheus 2.x so that promtool and prometheus are on PATH" prometheus
  # The package may try to start its own service on :9090 where systemd runs; the tests never use it.
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
  echo "installed: $(promtool --version 2>&1 | head -1)"
fi

# jsii-pacmak's Python target and scripts/python-check.sh create venvs (Debian ships venv/ensurepip separately).
if command -v python3 >/dev/null 2>&1 && python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  echo "python present: $(python3 --version 2>&1)"
else
  echo "installing Debian's python3, python3-venv and python3-pip..."
  apt_install "python3 with venv" "install Python >= 3.10 with the venv module" python3 python3-venv python3-pip
  echo "installed: $(python3 --version 2>&1)"
fi
