#!/usr/bin/env bash
# The main job from a fresh Debian 12 machine: installs missing packages, builds the
# optimized preset, assembles the demo VLIW program and runs it on the reference ISS,
# printing its result and stats. Idempotent; quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default
build/default/sim/codemorph iss examples/demo.s --stats-json build/default/demo-stats.json
