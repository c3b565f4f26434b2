#!/usr/bin/env bash
# Runs the guest-test images (tests/guest, built by CMake into BUILD/tests/guest) on
# qemu-system-i386 as the oracle and compares with the committed expected outputs
# (tests/guest/expected/NAME.out). QEMU's isa-debug-exit status is (v << 1) | 1 for a
# guest value v; ours is v (ARCHITECTURE.md 5), so the script converts.
# Tests marked `; guest-test: ... interp-only` are skipped; tests with a
# `; qemu-differs: REASON` header are expected to differ (QEMU deviates from the SDM
# section named in REASON) and are reported, not failed.
# Usage: scripts/run-guest-tests-qemu.sh [BUILD_DIR]   (default build/default)
# Exit status: 0 if every comparable test agrees, 1 otherwise, 2 if QEMU is missing.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/default}
src=$root/tests/guest
if ! command -v qemu-system-i386 >/dev/null; then
  echo "qemu-system-i386 not found; install it with: sudo apt-get install qemu-system-x86" >&2
  exit 2
fi
agree=0; known=0; bad=0; skipped=0
for asm in "$src"/*.asm; do
  t=$(basename "$asm" .asm)
  head=$(head -n 3 "$asm")
  if grep -q "guest-test:.*interp-only" <<<"$head"; then
    echo "SKIP    $t (interpreter only)"; skipped=$((skipped + 1)); continue
  fi
  img=$build/tests/guest/$t.elf
  [ -f "$img" ] || img=$build/tests/guest/$t.bin
  if [ ! -f "$img" ]; then
    echo "MISSING $t: build the guest_images target in $build first" >&2; bad=$((bad + 1)); continue
  fi
  want_status=0
  if [[ $head =~ exit=([0-9]+) ]]; then want_status=${BASH_REMATCH[1]}; fi
  out=$(timeout 30 qemu-system-i386 -kernel "$img" -display none -serial none -monitor none \
        -nic none -debugcon stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot 2>&1)
  rc=$?
  if [ "$out" == "$(cat "$src/expected/$t.out")" ] && [ $rc -eq $(((want_status << 1) | 1)) ]; then
    echo "AGREE   $t"; agree=$((agree + 1))
  elif reason=$(grep -m1 -o "qemu-differs:.*" "$asm"); then
    echo "KNOWN   $t (${reason#qemu-differs: })"; known=$((known + 1))
    diff <(echo "$out") "$src/expected/$t.out" | sed 's/^/        /'
  else
    echo "DIFFER  $t (qemu status $rc)"; bad=$((bad + 1))
    diff <(echo "$out") "$src/expected/$t.out" | sed 's/^/        /'
  fi
done
echo "qemu oracle: $agree agree, $known known differences, $bad unexpected, $skipped skipped"
[ $bad -eq 0 ]
