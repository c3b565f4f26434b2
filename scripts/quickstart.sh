#!/usr/bin/env bash
# The main job from a fresh Debian 12 machine: installs missing packages, builds the
# optimized preset (simulator, firmware, the demo disk from guests/demo-disk), then boots
# the default guest: SeaBIOS from Debian's seabios package on the simulated i440FX PC, the
# demo disk through the Code Morphing Software on the VLIW core model. The guest's serial
# output goes to stdout; the run summary (cycles, x86 instructions interpreted/translated,
# host seconds, guest MIPS) to stderr; stats JSON to build/default/demo-stats.json.
# Idempotent; quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default
build/default/sim/codemorph --stats build/default/demo-stats.json
