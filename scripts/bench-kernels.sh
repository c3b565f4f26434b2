#!/usr/bin/env bash
# Benchmark of the kernel suite (guests/kernels, issue 4 item 8): runs every kernel on
# `codemorph interp` with translation on, with --no-translate, and once per ablation, and
# prints one table row per run: x86 instructions, cycles, x86 instructions per cycle, atoms
# per molecule, share of cycles spent translating, host seconds, guest MIPS; also the
# process's CPU time (user + system) and guest MIPS by CPU time, which a shared, loaded
# machine distorts less than the wall clock.
#
# The statistics are read generically from `--stats-json` (docs/configuration.md: a "stats"
# object of {"NAME": {"value", "unit", "description"}}, or that object at the top level, as
# `codemorph interp` writes it: cms.* and, when translating, iss.*): each column is the first stat whose
# name matches a list of patterns (see STAT_PATTERNS below; `--keys` prints what a run
# offers). Override a column with BENCH_KEY_INSNS, BENCH_KEY_CYCLES, BENCH_KEY_ATOMS,
# BENCH_KEY_MOLECULES, BENCH_KEY_XLATE_CYCLES (an exact stat name). Options the binary does
# not have yet (checked in `codemorph interp --help`) are reported and skipped, so the script
# works before and after the CMS options land; a column with no stat prints "-".
# After the rows of a kernel with both configurations, a line gives translate-on vs
# --no-translate: host time and guest MIPS ratios. "tcode%" is the share of cycles in
# translated code, "xlate%" the share spent making translations (cost model).
#
# Usage: scripts/bench-kernels.sh [options] [ABLATION...]
#   ABLATION       KEY=VALUE[,KEY=VALUE...]: one extra run per kernel with --set KEY=VALUE
#                  each (e.g. hostisa.max_atoms=2  translator.alias_hoisting=false)
#   --build DIR    build tree (default build/default); images in DIR/guests/kernels
#   --codemorph X  the codemorph binary (default DIR/sim/codemorph)
#   --kernels "A B"  subset of the suite (default: every *.elf found)
#   --repeat N     runs per configuration; host seconds and CPU seconds are the minima (default 1)
#   --count-insns  without an instruction stat, find the count by bisecting --max-insns
#                  (exact for the interpreter; ~27 extra runs per row)
#   --keys         print the stat names of one run and exit
#   --json FILE    also write the rows as JSON
#   -- ARGS        extra arguments for every run (e.g. -- --cms-threshold 50)
# Exit status: 0 if every run printed "NAME: checksum ... ok" and exited 0, else 1.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/default codemorph="" kernels="" repeat=1 count=0 keys=0 json=""
ablations=() extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$(realpath "$2"); shift 2 ;;
    --codemorph) codemorph=$(realpath "$2"); shift 2 ;;
    --kernels) kernels=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --count-insns) count=1; shift ;;
    --keys) keys=1; shift ;;
    --json) json=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,/^set -u/p' "$0" | sed 's/^# \{0,1\}//; /^set -u/d'; exit 0 ;;
    -*) echo "bench-kernels: unknown option $1 (try --help)" >&2; exit 2 ;;
    *=*) ablations+=("$1"); shift ;;
    *) echo "bench-kernels: an ablation must be KEY=VALUE[,KEY=VALUE...], got '$1'" >&2; exit 2 ;;
  esac
done
[ -n "$codemorph" ] || codemorph=$build/sim/codemorph
[ -x "$codemorph" ] || { echo "bench-kernels: no codemorph binary at $codemorph (build target codemorph)" >&2; exit 2; }
imgdir=$build/guests/kernels
if [ -z "$kernels" ]; then
  for f in "$imgdir"/*.elf; do [ -f "$f" ] && kernels+="$(basename "$f" .elf) "; done
fi
[ -n "$kernels" ] || { echo "bench-kernels: no kernels in $imgdir (build target guest_kernels)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench-kernels: needs python3" >&2; exit 2; }

exec python3 - "$codemorph" "$imgdir" "$repeat" "$count" "$keys" "$json" \
  "${#ablations[@]}" "${ablations[@]}" "${extra[@]}" -- $kernels <<'PY'  # $kernels: split on purpose
import json, os, re, resource, subprocess, sys, tempfile, time

argv = sys.argv[1:]
codemorph, imgdir, repeat, count, keys_only, json_out = argv[:6]
repeat, count, keys_only = int(repeat), count == "1", keys_only == "1"
n_abl = int(argv[6])
ablations = argv[7:7 + n_abl]
rest = argv[7 + n_abl:]
sep = len(rest) - 1 - rest[::-1].index("--")
extra, kernels = rest[:sep], rest[sep + 1:]

help_text = subprocess.run([codemorph, "interp", "--help"], capture_output=True, text=True)
help_text = help_text.stdout + help_text.stderr
has = {opt: ("--" + opt) in help_text for opt in ("stats-json", "no-translate", "set", "max-insns")}
notes = []
if not has["stats-json"]:
    notes.append("codemorph interp has no --stats-json yet: only host seconds"
                 + (" and bisected instruction counts" if count else " (try --count-insns)"))
if ablations and not has["set"]:
    sys.exit("bench-kernels: codemorph interp has no --set KEY=VALUE yet: cannot run ablations %s" % ablations)

configs = [("translate" if has["no-translate"] else "default", [])]
if has["no-translate"]:
    configs.append(("no-translate", ["--no-translate"]))
else:
    notes.append("codemorph interp has no --no-translate yet: that configuration is skipped")
for a in ablations:
    args = []
    for kv in a.split(","):
        args += ["--set", kv]
    configs.append((a, args))

# Column -> override variable, patterns tried in order; among the stats a pattern matches,
# the shortest name wins (the least specific, i.e. the total).
STAT_PATTERNS = {
    "insns": ("BENCH_KEY_INSNS", [r"^x86[._](instructions|insns)$", r"x86[._]?(instructions|insns)([._](total|retired))?$",
                                  r"(instructions|insns)[._]retired$", r"(^|\.)(x86_)?(instructions|insns)$"]),
    "cycles": ("BENCH_KEY_CYCLES", [r"^cycles$", r"(^|\.)(total_cycles|cycles[._]total)$", r"^(machine|cms|sim)\.cycles$",
                                    r"(^|\.)cycles$"]),
    "atoms": ("BENCH_KEY_ATOMS", [r"(^|\.)atoms$"]),
    "molecules": ("BENCH_KEY_MOLECULES", [r"(^|\.)molecules$"]),
    "xlate": ("BENCH_KEY_XLATE_CYCLES", [r"cycles[._]translat\w*$", r"translat\w*[._]cycles$", r"translat\w*cycles"]),
}
# Used only when there is no total: interpreted + translated instruction counts.
PARTS_INSNS = [r"(interpret\w*)[._](x86[._])?(instructions|insns)$", r"(translat\w*)[._](x86[._])?(instructions|insns)$"]
# The same parts named the other way round (cms.insns.interpreted, cms.insns.translated).
PARTS_INSNS_ALT = [r"(^|\.)(instructions|insns)[._]interpret\w*$", r"(^|\.)(instructions|insns)[._]translat\w*$"]

def flatten(stats):
    out = {}
    for k, v in stats.items():
        if isinstance(v, dict) and "value" in v:
            out[k] = v["value"]
        elif isinstance(v, dict):
            for k2, v2 in flatten(v).items():
                out[k + "." + k2] = v2
        elif isinstance(v, (int, float)):
            out[k] = v
    return out

def pick(flat, column):
    var, pats = STAT_PATTERNS[column]
    if os.environ.get(var):
        return flat.get(os.environ[var])
    for p in pats:
        hits = sorted((k for k in flat if re.search(p, k)), key=lambda k: (len(k), k))
        if hits:
            return flat[hits[0]]
    if column == "insns":
        for pats in (PARTS_INSNS, PARTS_INSNS_ALT):
            parts = [sorted((k for k in flat if re.search(p, k)), key=len) for p in pats]
            if all(parts):
                return sum(flat[p[0]] for p in parts)
    return None

def stats_object(stats):
    # {"stats": {...}} (docs/configuration.md) or the stats object itself at the top level.
    if isinstance(stats.get("stats"), dict):
        return stats["stats"]
    return {k: v for k, v in stats.items() if isinstance(v, dict) and "value" in v}

def run(kernel, args, max_insns=None):
    cmd = [codemorph, "interp"] + extra + args
    if max_insns is not None:
        cmd += ["--max-insns", str(max_insns)]
    fd, stats_path = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    if has["stats-json"]:
        cmd += ["--stats-json", stats_path]
    cmd.append(os.path.join(imgdir, kernel + ".elf"))
    t0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(cmd, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    stats = {}
    try:
        if has["stats-json"] and os.path.getsize(stats_path) > 0:
            with open(stats_path) as f:
                stats = json.load(f)
    except (OSError, ValueError):
        pass
    os.unlink(stats_path)
    ok = p.returncode == 0 and re.fullmatch(re.escape(kernel) + r": checksum 0x[0-9a-f]{8} ok\n", p.stdout) is not None
    return ok, secs, stats, p

def bisect_insns(kernel, args):
    lo, hi = 1, 1 << 31
    while lo < hi:
        mid = (lo + hi) // 2
        if run(kernel, args, mid)[0]:
            hi = mid
        else:
            lo = mid + 1
    return lo

if keys_only:
    ok, secs, stats, p = run(kernels[0], configs[0][1])
    flat = flatten(stats_object(stats))
    if not flat:
        print("no stats (codemorph interp --stats-json: %s)" % ("written but empty" if has["stats-json"] else "missing"))
    for k in sorted(flat):
        print("%-48s %s" % (k, flat[k]))
    sys.exit(0)

def fmt(v, f):
    return "-" if v is None else f % v

rows, failures = [], 0
hdr = "%-10s %-24s %12s %12s %9s %9s %7s %7s %8s %8s %7s %8s  %s" % (
    "kernel", "configuration", "x86 insns", "cycles", "insn/cyc", "atoms/mol", "xlate%", "tcode%", "host s", "MIPS",
    "cpu s", "MIPScpu", "result")
print(hdr)
print("-" * len(hdr))
for kernel in kernels:
    for name, args in configs:
        best, cpu = None, None
        for _ in range(repeat):
            ok, secs, stats, p = run(kernel, args)
            if best is None or secs < best[1]:
                best = (ok, secs, stats, p)
            cpu = run.cpu if cpu is None else min(cpu, run.cpu)
        ok, secs, stats, p = best
        flat = flatten(stats_object(stats))
        insns, cycles = pick(flat, "insns"), pick(flat, "cycles")
        tcode = flat.get(os.environ.get("BENCH_KEY_TCODE_CYCLES", "cms.cycles.translated"))
        atoms, mols, xlate = pick(flat, "atoms"), pick(flat, "molecules"), pick(flat, "xlate")
        insn_src = "stats"
        if insns is None and count and ok and has["max-insns"]:
            insns, insn_src = bisect_insns(kernel, args), "bisect"
        row = {
            "kernel": kernel, "configuration": name, "ok": ok, "host_seconds": secs, "cpu_seconds": cpu,
            "x86_instructions": insns, "x86_instructions_source": insn_src if insns is not None else None,
            "cycles": cycles, "atoms": atoms, "molecules": mols, "translate_cycles": xlate,
            "ipc": insns / cycles if insns and cycles else None,
            "atoms_per_molecule": atoms / mols if atoms is not None and mols else None,
            "translate_share": xlate / cycles if xlate is not None and cycles else None,
            "translated_code_share": tcode / cycles if tcode is not None and cycles else None,
            "guest_mips": insns / secs / 1e6 if insns else None,
            "guest_mips_cpu": insns / cpu / 1e6 if insns and cpu else None,
        }
        rows.append(row)
        if not ok:
            failures += 1
        last = (p.stdout + p.stderr).strip().splitlines()
        result = "ok" if ok else "FAIL (exit %d) %s" % (p.returncode, last[-1] if last else "")
        print("%-10s %-24s %12s %12s %9s %9s %7s %7s %8s %8s %7s %8s  %s" % (
            kernel, name[:24], fmt(insns, "%d") + ("*" if insn_src == "bisect" and insns else ""), fmt(cycles, "%d"),
            fmt(row["ipc"], "%.3f"), fmt(row["atoms_per_molecule"], "%.2f"),
            fmt(None if row["translate_share"] is None else 100 * row["translate_share"], "%.1f"),
            fmt(None if row["translated_code_share"] is None else 100 * row["translated_code_share"], "%.1f"),
            "%.3f" % secs, fmt(row["guest_mips"], "%.1f"), "%.3f" % cpu, fmt(row["guest_mips_cpu"], "%.1f"), result))
        sys.stdout.flush()
    on = next((r for r in rows if r["kernel"] == kernel and r["configuration"] == "translate"), None)
    off = next((r for r in rows if r["kernel"] == kernel and r["configuration"] == "no-translate"), None)
    if on and off and on["host_seconds"] and off["host_seconds"]:
        line = "%-10s translate vs no-translate: host time x%.2f, CPU time x%.2f" % (
            kernel, on["host_seconds"] / off["host_seconds"], on["cpu_seconds"] / off["cpu_seconds"])
        if on["guest_mips"] and off["guest_mips"]:
            line += ", guest MIPS x%.2f (CPU time: x%.2f)" % (on["guest_mips"] / off["guest_mips"],
                                                            on["guest_mips_cpu"] / off["guest_mips_cpu"])
        print(line)
if count:
    notes.append("* instruction count found by bisecting --max-insns (exact for the interpreter)")
for n in notes:
    print("note: " + n)
if json_out:
    with open(json_out, "w") as f:
        json.dump({"codemorph": codemorph, "extra_args": extra, "rows": rows}, f, indent=2)
sys.exit(1 if failures else 0)
PY
