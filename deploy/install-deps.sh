#!/usr/bin/env bash
# Installs everything slotgate needs to build, test and run, from Debian's packages.
# Idempotent: packages already present are skipped. Debian's own redis-server service is
# kept from starting (slotgate's tests and quick start run their own servers on chosen ports).
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  clang libclang-rt-dev
  libuv1-dev libyaml-cpp-dev libspdlog-dev prometheus-cpp-dev
  libgtest-dev libgmock-dev libhiredis-dev libssl-dev
  redis-server redis-tools nutcracker
  python3-redis nodejs
)
# A Node.js that bundles npm (as NodeSource's does) conflicts with Debian's npm package.
command -v npm >/dev/null || packages+=(npm)

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
# ioredis for the real-client tests, at the versions package-lock.json pins; reinstalled only
# when the lock file changed since the last install.
clients_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/clients"
stamp="$clients_dir/node_modules/.slotgate-lock-sha256"
lock_sum=$(sha256sum "$clients_dir/package-lock.json" | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$lock_sum" ]]; then
  (cd "$clients_dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" >"$stamp"
fi
echo "slotgate dependencies: installed"
