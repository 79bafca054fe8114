#!/usr/bin/env bash
# Installs the Debian packages trailwatch builds and tests with (only those that are missing).
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config python3 binutils
          libsimdjson-dev zlib1g-dev libdeflate-dev libre2-dev libcli11-dev libfmt-dev
          libgtest-dev libgmock-dev libbenchmark-dev
          libcurl4-openssl-dev libssl-dev libpugixml-dev
          slurm-wlm munge chromium tmux zsh fish)
packages+=("$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "installing: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
