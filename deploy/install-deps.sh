#!/usr/bin/env bash
# Installs everything slotgate needs to build, test and run, from Debian's packages.
# Idempotent: packages already present are skipped. Debian's own redis-server service is
# kept from starting (slotgate's tests and quick start run their own servers on chosen ports).
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  clang libclang-rt-dev
  libuv1-dev libyaml-cpp-dev libspdlog-dev prometheus-cpp-dev
  libgtest-dev libgmock-dev libhiredis-dev
  redis-server redis-tools nutcracker
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  # policy-rc.d answering 101 stops package scripts from starting services during the install.
  placed_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
    placed_policy=1
  fi
  trap '[[ $placed_policy -eq 1 ]] && $sudo rm -f /usr/sbin/policy-rc.d' EXIT
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Whatever started it before, Debian's redis-server service must not hold 6379 for us.
if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
  systemctl disable --now redis-server >/dev/null 2>&1 || true
  systemctl disable --now nutcracker >/dev/null 2>&1 || true
elif [[ -x /etc/init.d/redis-server ]]; then
  /etc/init.d/redis-server stop >/dev/null 2>&1 || true
fi
echo "slotgate dependencies: installed"
