#!/usr/bin/env bash
# Boots the demo disk on a peer emulator and checks that it powered off the way the disk
# asks (guests/README.md). Used by the `peer` CTests and by scripts/bench-boot.sh.
#   boot-peer.sh qemu|bochs IMAGE SERIAL_OUT [EXPECTED]
# qemu:  qemu-system-i386 (TCG, no NIC, 32 MiB; snapshot=on: the image is never written and
#        runs may overlap), COM1 -> SERIAL_OUT, isa-debug-exit at F4h;
#        the guest writes 0 there, which QEMU turns into exit status (0 << 1) | 1 = 1.
# bochs: bochs 2.7 with bochsrc.txt next to this script; the guest's "Shutdown" string at
#        port 8900h makes Bochs exit (status 1) with "Shutdown port: shutdown requested".
# With EXPECTED, SERIAL_OUT must equal it byte for byte. Exit 0 on success, 1 on failure,
# 77 if the emulator is not installed (CTest SKIP_RETURN_CODE).
set -u
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 3 ] || { echo "usage: $0 qemu|bochs IMAGE SERIAL_OUT [EXPECTED]" >&2; exit 2; }
peer=$1 image=$2 serial=$3 expected=${4:-}
[ -f "$image" ] || { echo "boot-peer: no disk image $image (build target demo_disk)" >&2; exit 1; }
timeout_s=${BOOT_PEER_TIMEOUT:-60}
rm -f "$serial"
case $peer in
  qemu)
    command -v qemu-system-i386 >/dev/null || { echo "boot-peer: qemu-system-i386 not installed (apt-get install qemu-system-x86)"; exit 77; }
    timeout "$timeout_s" qemu-system-i386 -nic none -m 32 -drive "file=$image,format=raw,if=ide,snapshot=on" \
      -serial "file:$serial" -device isa-debug-exit,iobase=0xf4,iosize=4 -display none \
      -monitor none -no-reboot
    rc=$?
    if [ "$rc" -ne 1 ]; then
      echo "boot-peer: qemu exited with $rc, expected 1 (isa-debug-exit value 0)" >&2
      exit 1
    fi
    ;;
  bochs)
    command -v bochs >/dev/null || { echo "boot-peer: bochs not installed (apt-get install bochs bochsbios vgabios)"; exit 77; }
    for f in /usr/share/bochs/BIOS-bochs-latest /usr/share/vgabios/vgabios.bin; do
      [ -f "$f" ] || { echo "boot-peer: $f missing (apt-get install bochsbios vgabios)"; exit 77; }
    done
    log="$serial.bochs.log"
    # Bochs locks the image it opens (a second run, or one after a killed run, would fail):
    # it boots a private copy. Two Bochs at once also fail to share the rfb display's ports
    # (5900-5949), so runs are serialised with a lock file.
    exec 9>"${TMPDIR:-/tmp}/codemorph-boot-peer-bochs.lock"
    flock -w "$timeout_s" 9 || { echo "boot-peer: another Bochs run holds the lock" >&2; exit 1; }
    copy=$(mktemp --suffix=.img)
    cp "$image" "$copy"
    DEMO_IMG=$copy DEMO_SERIAL=$(realpath -m "$serial") \
      timeout "$timeout_s" bochs -q -f "$here/bochsrc.txt" -rc "$here/bochs-cmds.txt" >"$log" 2>&1 </dev/null
    rc=$?
    rm -f "$copy" "$copy.lock"
    if ! grep -q "Shutdown port: shutdown requested" "$log"; then
      echo "boot-peer: bochs (exit $rc) did not reach the 8900h shutdown; log: $log" >&2
      tail -n 20 "$log" >&2
      exit 1
    fi
    ;;
  *) echo "boot-peer: unknown peer '$peer' (qemu or bochs)" >&2; exit 2 ;;
esac
[ -f "$serial" ] || { echo "boot-peer: $peer wrote no serial output" >&2; exit 1; }
if [ -n "$expected" ] && ! cmp -s "$serial" "$expected"; then
  echo "boot-peer: $peer serial output differs from $expected:" >&2
  diff "$expected" "$serial" >&2
  exit 1
fi
cat "$serial"
