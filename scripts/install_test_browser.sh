#!/usr/bin/env bash
# Debian's Chromium for the browser tests (test tools may not download browsers).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
echo "Installing Debian's chromium for the browser tests…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq </dev/null >/dev/null
apt-get install -y -qq chromium chromium-driver </dev/null >/dev/null
