#!/usr/bin/env bash
# Installs the given Debian packages when they are missing (CI starts from a fresh machine).
# Usage: scripts/ensure-debian-packages.sh pkg...
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "[setup] installing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ! command -v apt-get >/dev/null; then
  echo "[setup] apt-get not found: install ${missing[*]} by hand" >&2
  exit 1
fi
log=$(mktemp)
if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1; then
  tail -20 "$log" >&2
  echo "[setup] E_APT: could not install ${missing[*]}; install them by hand (apt-get install ${missing[*]})" >&2
  exit 1
fi
rm -f "$log"
