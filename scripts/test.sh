#!/usr/bin/env bash
# The whole test suite from a fresh Debian 12 machine: installs missing packages, builds
# the optimized preset and runs every test, then builds the ASan+UBSan preset and runs
# the unit tests under the sanitizers. Idempotent; quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default
ctest --preset default

cmake --preset debug >/dev/null
cmake --build --preset debug
ctest --preset debug
