#!/usr/bin/env bash
# RTL speed inside the PC platform (issue 6 item 6): the demo disk (guests/demo-disk,
# SeaBIOS included, reset to power-off) on `codemorph -hda demo.img` with the ISS
# (--core iss), the verilated RTL (--core rtl) and both in lockstep (--core rtl --cosim),
# in one run, so the ratios compare like with like on a shared machine. Every run must
# print guests/demo-disk/expected-serial.txt and power off (status 0); the RTL runs must
# give the ISS's cycle and instruction counts exactly.
#
# Reported per core, median of --repeat runs by CPU time (user + system of the process;
# wall time is shown too, but on a loaded machine only CPU time compares):
#   cycles/s       modelled cycles per CPU second (CMS cost-model cycles included: the
#                  clock the guest sees)
#   core cycles/s  cycles the core model itself executed (firmware + translated code,
#                  stats cms.cycles.firmware + cms.cycles.translated) per CPU second
#   x86 insns/s    guest x86 instructions retired per CPU second
#   vs ISS         CPU time divided by the ISS's (how many times slower)
#
# Usage: scripts/bench-rtl-pc.sh [--build DIR] [--repeat N] [--cores "iss rtl cosim"]
#   --build DIR    build tree with CODEMORPH_RTL=ON, sim/codemorph and
#                  guests/demo-disk/demo.img (default build/rtlpc)
#   --repeat N     runs per core (default 1)
# Exit status: 0 if every run ended as expected, 1 otherwise, 2 for bad arguments.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/rtlpc repeat=1 cores="iss rtl cosim"
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$(realpath "$2"); shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --cores) cores=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -u/p' "$0" | sed 's/^# \{0,1\}//; /^set -u/d'; exit 0 ;;
    *) echo "bench-rtl-pc: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
codemorph=$build/sim/codemorph
image=$build/guests/demo-disk/demo.img
[ -x "$codemorph" ] || { echo "bench-rtl-pc: no $codemorph (ninja -C $build codemorph)" >&2; exit 2; }
[ -f "$image" ] || { echo "bench-rtl-pc: no $image (ninja -C $build demo_disk)" >&2; exit 2; }
exec python3 - "$codemorph" "$image" "$root/guests/demo-disk/expected-serial.txt" "$repeat" $cores <<'EOF'
import json, os, platform, re, resource, statistics, subprocess, sys, tempfile, time

codemorph, image, expected_path, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cores = sys.argv[5:]
args = {"iss": [], "rtl": ["--core", "rtl"], "cosim": ["--core", "rtl", "--cosim"]}
expected = open(expected_path, encoding="latin-1").read()
ok = True
results = {}
with tempfile.TemporaryDirectory() as tmp:
    for core in cores:
        runs = []
        for i in range(repeat):
            stats = os.path.join(tmp, f"{core}-{i}.json")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.monotonic()
            p = subprocess.run([codemorph, "-hda", image, "--stats", stats] + args[core], capture_output=True)
            wall = time.monotonic() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            out, err = p.stdout.decode("latin-1"), p.stderr.decode("latin-1")
            if p.returncode != 0 or out != expected:
                print(f"bench-rtl-pc: {core}: exit status {p.returncode}, serial output "
                      f"{'as expected' if out == expected else 'differs'}\n{err}", file=sys.stderr)
                ok = False
                continue
            st = json.load(open(stats))
            s = {k: v["value"] for k, v in st["stats"].items()}
            m = re.search(r"^cosim: (\d+) molecules", err, re.M)
            runs.append({"cpu": cpu, "wall": wall, "cycles": st["result"]["cycles"],
                         "insns": st["result"]["instructions"],
                         "core_cycles": s["cms.cycles.firmware"] + s["cms.cycles.translated"],
                         "molecules": int(m.group(1)) if m else None})
        if runs:
            runs.sort(key=lambda r: r["cpu"])
            results[core] = runs[len(runs) // 2]

print(f"machine: {platform.node()} {platform.processor() or platform.machine()}, nproc {os.cpu_count()}, "
      f"load average {os.getloadavg()[0]:.1f}; {repeat} run(s) per core, median by CPU time")
print(f"workload: {image} (SeaBIOS + demo, reset to power-off)")
print(f"{'core':6} {'CPU s':>8} {'wall s':>8} {'cycles':>10} {'x86 insns':>10} {'cycles/s':>10} "
      f"{'core cyc/s':>10} {'x86 insn/s':>10} {'vs ISS':>7}")
iss = results.get("iss")
for core, r in results.items():
    ratio = f"{r['cpu'] / iss['cpu']:.0f}x" if iss and core != "iss" else "1x" if core == "iss" else "-"
    print(f"{core:6} {r['cpu']:8.2f} {r['wall']:8.2f} {r['cycles']:10d} {r['insns']:10d} "
          f"{r['cycles'] / r['cpu'] / 1e6:9.2f}M {r['core_cycles'] / r['cpu'] / 1e6:9.2f}M "
          f"{r['insns'] / r['cpu'] / 1e6:9.3f}M {ratio:>7}"
          + (f"  ({r['molecules']} molecules in lockstep)" if r["molecules"] else ""))
    if iss and (r["cycles"], r["insns"]) != (iss["cycles"], iss["insns"]):
        print(f"bench-rtl-pc: {core}: counts differ from the ISS's", file=sys.stderr)
        ok = False
sys.exit(0 if ok else 1)
EOF
