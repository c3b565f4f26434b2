#!/usr/bin/env bash
# Rewrites tests/golden/golden.json from the current build (default preset): run it only
# when a change is meant to move modelled cycles, and say why in the commit message.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build --preset default
CODEMORPH_GOLDEN_UPDATE=1 ctest --test-dir build/default -R '^golden_' --output-on-failure
git --no-pager diff --stat tests/golden/golden.json || true
