#!/usr/bin/env bash
# Debian packages the test suite needs: a real PostgreSQL server for the web application's
# tests, Chromium for the browser and accessibility tests, and the text-layout libraries
# WeasyPrint uses for PDF. Installs only what is missing; needs root (or sudo).
set -euo pipefail

PACKAGES=(postgresql chromium chromium-driver libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core make)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
