#!/usr/bin/env bash
# Installs what the whole test suite needs on a fresh Debian 12 machine: the real servers
# the integration tests start on loopback (ejabberd, Prosody, PostgreSQL, OpenSSH), the
# bookworm-backports releases of ejabberd and Prosody in a private prefix (the servers tests run
# against both), Debian's Chromium for the browser flows, and the npm packages. Needs root (or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(ejabberd erlang-p1-oauth2 prosody prosody-modules lua-unbound postgresql openssh-server chromium git)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[parley] installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ejabberd 24.x and Prosody 13 beside Debian 12's own, which stay installed (scripts/install-backports.sh).
bash scripts/install-backports.sh

# Tests start their own instances; the distribution's services are not used.
mkdir -p /run/sshd 2>/dev/null || $SUDO mkdir -p /run/sshd

export NEXT_TELEMETRY_DISABLED=1
npm ci --no-audit --no-fund
