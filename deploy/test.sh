#!/usr/bin/env bash
# Installs what is missing, builds slotgate from scratch and runs every test (unit and
# integration; the integration tests start their own redis-server processes on free ports).
# Extra arguments go to CMake, e.g. -DSLOTGATE_SANITIZE=ON. SLOTGATE_BUILD_DIR picks the folder.
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/install-deps.sh
build_dir=${SLOTGATE_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DSLOTGATE_WERROR=ON "$@"
cmake --build "$build_dir"
ctest --test-dir "$build_dir" --output-on-failure --parallel "$(nproc)"
