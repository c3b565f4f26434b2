#!/usr/bin/env python3
"""Golden cycle counts: runs one simulation, reads its stats file (sim/src/run_report.cpp
format: result.cycles, result.instructions) and compares with the golden file.

  check_golden.py --golden FILE --name NAME [--update] -- COMMAND... {stats} ...

`{stats}` in COMMAND is replaced by a temporary stats path. Exit 0 when the figures equal
the golden ones; 1 with both values printed when they differ (a change that moves modelled
cycles must update the golden file deliberately: scripts/update-golden.sh); 2 on errors.
With --update, or CODEMORPH_GOLDEN_UPDATE=1 in the environment, the golden entry is
rewritten instead (scripts/update-golden.sh).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

KEYS = ("cycles", "instructions", "instructions_translated")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--golden", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--expect-status", type=int, default=0)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    if os.environ.get("CODEMORPH_GOLDEN_UPDATE") == "1":
        args.update = True
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not cmd:
        print("check_golden: no command", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        stats_path = os.path.join(tmp, "stats.json")
        cmd = [c.replace("{stats}", stats_path) for c in cmd]
        run = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if run.returncode != args.expect_status:
            print(f"check_golden: {args.name}: exit status {run.returncode}, expected "
                  f"{args.expect_status}\n{run.stderr}", file=sys.stderr)
            return 1
        with open(stats_path) as f:
            result = json.load(f)["result"]
    measured = {k: result[k] for k in KEYS if k in result}
    try:
        with open(args.golden) as f:
            golden = json.load(f)
    except FileNotFoundError:
        golden = {}
    if args.update:
        golden[args.name] = measured
        with open(args.golden, "w") as f:
            json.dump(golden, f, indent=2, sort_keys=True)
            f.write("\n")
        print(f"{args.name}: {measured}")
        return 0
    expected = golden.get(args.name)
    if expected is None:
        print(f"check_golden: {args.name}: no golden entry in {args.golden} "
              f"(run scripts/update-golden.sh)", file=sys.stderr)
        return 1
    if expected != measured:
        print(f"check_golden: {args.name}: modelled figures changed\n  golden:   {expected}\n"
              f"  measured: {measured}\nIf the change is intended, run scripts/update-golden.sh "
              f"and commit tests/golden/golden.json with the reason.", file=sys.stderr)
        return 1
    print(f"{args.name}: {measured} (matches golden)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
