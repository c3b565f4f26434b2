#!/usr/bin/env bash
# Boot benchmark (issue 5 item 6): the demo disk (guests/demo-disk, target demo_disk) from
# reset to power-off on codemorph (SeaBIOS + the PC platform: `codemorph -hda IMAGE`), on
# qemu-system-i386 (TCG, -nic none, SeaBIOS) and on Bochs 2.7 (its own BIOS), in one run.
# Every run must print exactly guests/demo-disk/expected-serial.txt on COM1 and end
# through the disk's power-off (codemorph: isa-debug-exit 0 -> status 0; QEMU: status 1;
# Bochs: the 8900h shutdown). Reports host seconds (minimum and median of --repeat runs,
# wall clock, including emulator start-up) and the ratios between the machines.
#
# Usage: scripts/bench-boot.sh [--build DIR] [--codemorph EXE] [--repeat N] [--peers-only]
#   --build DIR    build tree with guests/demo-disk/demo.img (default build/default)
#   --repeat N     runs per machine (default 5)
#   --peers-only   time only QEMU and Bochs (until codemorph has its PC command)
# Exit status: 0 if every machine booted the disk to the expected end, 1 if one failed,
# 3 if codemorph has no PC command (-hda) yet and --peers-only was not given.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/default codemorph="" repeat=5 peers_only=0
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$(realpath "$2"); shift 2 ;;
    --codemorph) codemorph=$(realpath "$2"); shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --peers-only) peers_only=1; shift ;;
    -h|--help) sed -n '2,/^set -u/p' "$0" | sed 's/^# \{0,1\}//; /^set -u/d'; exit 0 ;;
    *) echo "bench-boot: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
[ -n "$codemorph" ] || codemorph=$build/sim/codemorph
disk=$root/guests/demo-disk
image=$build/guests/demo-disk/demo.img
expected=$disk/expected-serial.txt
[ -f "$image" ] || { echo "bench-boot: no $image; build it: ninja -C $build demo_disk" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

machines=()
if [ "$peers_only" = 0 ]; then
  if [ ! -x "$codemorph" ]; then
    echo "bench-boot: no codemorph binary at $codemorph (build target codemorph)" >&2; exit 2
  fi
  if ! "$codemorph" --help 2>&1 | grep -q -- '-hda'; then
    echo "bench-boot: $codemorph has no PC command yet ('codemorph -hda IMAGE', issue 5);" >&2
    echo "            rerun with --peers-only to time only QEMU and Bochs" >&2
    exit 3
  fi
  machines+=(codemorph)
fi
command -v qemu-system-i386 >/dev/null && machines+=(qemu) || echo "bench-boot: qemu-system-i386 not installed: skipped" >&2
command -v bochs >/dev/null && machines+=(bochs) || echo "bench-boot: bochs not installed: skipped" >&2
[ ${#machines[@]} -gt 0 ] || { echo "bench-boot: nothing to run" >&2; exit 1; }

# One boot; prints the wall-clock seconds on success, returns non-zero on failure.
boot_once() {
  local m=$1 serial=$work/serial-$1.txt t0 t1 rc
  t0=$(date +%s.%N)
  case $m in
    codemorph)
      rm -f "$serial"
      timeout 600 "$codemorph" -m 32 -hda "$image" -serial "file:$serial" >"$work/codemorph.log" 2>&1
      rc=$?
      if [ $rc -ne 0 ]; then
        echo "bench-boot: codemorph exited with $rc (want 0); see below" >&2
        tail -n 5 "$work/codemorph.log" >&2
        return 1
      fi
      ;;
    qemu|bochs)
      "$disk/boot-peer.sh" "$m" "$image" "$serial" >/dev/null || return 1
      ;;
  esac
  t1=$(date +%s.%N)
  if ! cmp -s "$serial" "$expected"; then
    echo "bench-boot: $m: serial output differs from $expected" >&2
    diff "$expected" "$serial" >&2
    return 1
  fi
  echo "$t1 - $t0" | bc -l
}

declare -A best median
status=0
for m in "${machines[@]}"; do
  times=()
  for ((i = 0; i < repeat; i++)); do
    if ! t=$(boot_once "$m"); then status=1; times=(); break; fi
    times+=("$t")
  done
  if [ ${#times[@]} -eq 0 ]; then
    echo "bench-boot: $m FAILED" >&2
    continue
  fi
  sorted=$(printf '%s\n' "${times[@]}" | sort -g)
  best[$m]=$(head -n 1 <<<"$sorted")
  median[$m]=$(sed -n "$(( (${#times[@]} + 1) / 2 ))p" <<<"$sorted")
done

printf '%-10s %10s %10s   %s\n' machine "min s" "median s" "how"
for m in "${machines[@]}"; do
  [ -n "${best[$m]:-}" ] || { printf '%-10s %10s %10s   %s\n' "$m" FAIL FAIL ""; continue; }
  case $m in
    codemorph) how="codemorph -m 32 -hda demo.img (SeaBIOS, CMS)" ;;
    qemu) how="qemu-system-i386 $(qemu-system-i386 --version | head -n 1 | awk '{print $4}') TCG, -nic none -m 32 (SeaBIOS)" ;;
    bochs) how="bochs 2.7, bochsrc.txt (Bochs BIOS, clock sync=none)" ;;
  esac
  printf '%-10s %10.3f %10.3f   %s\n' "$m" "${best[$m]}" "${median[$m]}" "$how"
done
echo "ratios of median host seconds:"
for pair in codemorph:qemu codemorph:bochs bochs:qemu; do
  a=${pair%:*} b=${pair#*:}
  [ -n "${median[$a]:-}" ] && [ -n "${median[$b]:-}" ] || continue
  printf '  %-9s / %-9s %8.2f\n' "$a" "$b" "$(echo "${median[$a]} / ${median[$b]}" | bc -l)"
done
echo "($repeat runs each; serial output checked against guests/demo-disk/expected-serial.txt)"
exit $status
