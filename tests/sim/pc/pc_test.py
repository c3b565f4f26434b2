#!/usr/bin/env python3
"""End-to-end tests of `codemorph [options]` (the PC): SeaBIOS boots the test disk, its
probe sequence matches QEMU's except for the listed differences, runs are deterministic and
independent of the quantum, and every bad input ends with one clear line and a non-zero
exit status. Usage: pc_test.py CODEMORPH IMAGE_DIR CASE (CASE: see CASES below)."""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BIOS = "/usr/share/seabios/bios.bin"
SERIAL = "codemorph test boot sector\r\nsector 2 read through INT 13h\r\n"
MAX = "3000000000"  # cycles: far more than SeaBIOS needs to reach the boot sector


def run(codemorph, args, timeout=300):
    p = subprocess.run([codemorph] + args, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout.decode("latin-1"), p.stderr.decode("latin-1")


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def boot(codemorph, images, tmp, extra=(), image="boot_hello.img"):
    dc = os.path.join(tmp, "debugcon.log")
    stats = os.path.join(tmp, "stats.json")
    rc, out, err = run(codemorph, ["-bios", BIOS, "-hda", os.path.join(images, image), "-debugcon", "file:" + dc,
                                   "--stats", stats, "--max-cycles", MAX] + list(extra))
    with open(dc, encoding="latin-1") as f:
        debugcon = f.read()
    with open(stats) as f:
        st = json.load(f)
    return rc, out, err, debugcon, st


def case_boot(codemorph, images, tmp):
    rc, out, err, dc, st = boot(codemorph, images, tmp, ["--no-translate"])
    check(rc == 42, f"exit status {rc}, want 42 (isa-debug-exit value); stderr: {err}")
    check(out == SERIAL, f"serial output {out!r}")
    check(dc.startswith("SeaBIOS (version "), "no SeaBIOS banner on the debug console")
    check("Booting from Hard Disk...\n" in dc and "Booting from 0000:7c00\n" in dc, "no 'Booting from Hard Disk...'")
    summary = err.strip().splitlines()[-1]
    check(re.fullmatch(r"codemorph: guest-exit: \d+ cycles, \d+ x86 instructions \(\d+ interpreted, \d+ translated\), "
                       r"[0-9.]+ host s, [0-9.]+ guest MIPS", summary), f"summary line {summary!r}")
    r = st["result"]
    check(r["stop"] == "guest-exit" and r["exit_status"] == 42, f"stats result {r}")
    check(r["instructions"] == r["instructions_interpreted"] + r["instructions_translated"], "instruction split")
    check(r["cycles"] > r["instructions"] > 1_000_000, f"implausible counts {r}")


def normalize(lines, diffs, side):
    out = []
    for line in lines:
        keep = True
        for kind, rx in diffs:
            if rx.fullmatch(line):
                if kind == "~":
                    line = "<...>"
                elif (kind == "-" and side == "ref") or (kind == "+" and side == "ours"):
                    keep = False
                break
        if keep:
            out.append(line)
    return out


def case_probe(codemorph, images, tmp):
    rc, out, err, dc, st = boot(codemorph, images, tmp, ["--no-translate"])
    check(rc == 42, f"exit status {rc}")
    diffs = []
    with open(os.path.join(HERE, "seabios-probe-differences.txt")) as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                diffs.append((line[0], re.compile(line[2:])))
    with open(os.path.join(HERE, "seabios-qemu-i440fx.log"), encoding="latin-1") as f:
        ref = normalize(f.read().splitlines(), diffs, "ref")
    ours = normalize(dc.splitlines(), diffs, "ours")
    if ref != ours:
        import difflib
        sys.stderr.write("\n".join(difflib.unified_diff(ref, ours, "qemu (normalized)", "codemorph (normalized)", lineterm="")))
        raise AssertionError("SeaBIOS probe sequence differs beyond seabios-probe-differences.txt")
    # Every listed difference must still be needed (no stale entries).
    with open(os.path.join(HERE, "seabios-qemu-i440fx.log"), encoding="latin-1") as f:
        both = f.read().splitlines() + dc.splitlines()
    for kind, rx in diffs:
        check(any(rx.fullmatch(l) for l in both), f"difference '{kind} {rx.pattern}' matches no line (stale)")


def counts(st):
    r = st["result"]
    return (r["cycles"], r["instructions"], r["instructions_interpreted"], r["instructions_translated"])


def case_determinism(codemorph, images, tmp):
    a = boot(codemorph, images, tmp, ["--no-translate"])
    b = boot(codemorph, images, tmp, ["--no-translate"])
    check(counts(a[4]) == counts(b[4]), f"two runs differ: {counts(a[4])} vs {counts(b[4])}")
    check(a[1] == b[1] and a[3] == b[3], "two runs printed different output")
    # The quantum is a performance knob only: a tiny one gives the same run.
    c = boot(codemorph, images, tmp, ["--no-translate", "--quantum", "997"])
    check(counts(c[4]) == counts(a[4]), f"--quantum 997 changed the run: {counts(c[4])} vs {counts(a[4])}")
    check(c[1] == a[1] and c[3] == a[3], "--quantum 997 changed the output")
    check(c[4]["stats"]["pc.quantum_syncs"]["value"] > a[4]["stats"]["pc.quantum_syncs"]["value"],
          "the smaller quantum did not synchronize more often")
    # The same with translation on: the core runs ahead of SystemC time in translated code
    # too, and the quantum must not move a cycle (ARCHITECTURE.md section 4).
    t = boot(codemorph, images, tmp, [])
    u = boot(codemorph, images, tmp, ["--quantum", "13"])
    check(counts(t[4])[3] > 0, "the translated boot translated nothing")
    check(counts(u[4]) == counts(t[4]), f"--quantum 13 changed the translated run: {counts(u[4])} vs {counts(t[4])}")
    check(u[1] == t[1] and u[3] == t[3], "--quantum 13 changed the translated output")


def case_instruction_clock(codemorph, images, tmp):
    a = boot(codemorph, images, tmp, ["--no-translate", "--clock", "instructions"])
    check(a[0] == 42 and a[1] == SERIAL, f"instruction-time boot failed: {a[0]} {a[2]}")
    b = boot(codemorph, images, tmp, ["--no-translate", "--clock", "instructions", "--quantum", "1009"])
    check(counts(a[4]) == counts(b[4]) and a[3] == b[3], "instruction time: the quantum changed the run")


def case_translate(codemorph, images, tmp):
    rc, out, err, dc, st = boot(codemorph, images, tmp)
    check(rc == 42 and out == SERIAL, f"translated boot: exit {rc}, serial {out!r}, stderr {err}")
    check("Booting from Hard Disk...\n" in dc, "translated boot: no 'Booting from Hard Disk...'")
    r = st["result"]
    check(r["translation"] and r["instructions_translated"] > r["instructions_interpreted"],
          f"the CMS translated too little: {r}")
    again = boot(codemorph, images, tmp, ["--quantum", "1009"])
    check(counts(again[4]) == counts(st), f"translated runs differ: {counts(again[4])} vs {counts(st)}")


def case_equivalence(codemorph, images, tmp):
    # Instruction time: interrupts arrive at the same instruction whatever runs the code,
    # so the interpreter alone and the translated run must agree exactly.
    a = boot(codemorph, images, tmp, ["--no-translate", "--clock", "instructions"])
    b = boot(codemorph, images, tmp, ["--clock", "instructions"])
    check(a[0] == b[0] == 42, f"exit statuses {a[0]} {b[0]}")
    check(a[1] == b[1] and a[3] == b[3], "serial or debug console output differs")
    check(a[4]["result"]["instructions"] == b[4]["result"]["instructions"],
          f"instruction counts differ: {a[4]['result']['instructions']} vs {b[4]['result']['instructions']}")
    check(b[4]["result"]["instructions_translated"] > 0, "nothing was translated")


def case_resets(codemorph, images, tmp):
    # 0xCF9, the 8042 pulse and port 0x92 each restart the machine from SeaBIOS's reset
    # vector (port 0x92's INIT resets the CPU only; SeaBIOS then asks for a hard reset).
    for mode in (["--no-translate"], []):
        rc, out, err, dc, st = boot(codemorph, images, tmp, mode, image="boot_reset.img")
        check(rc == 0x33, f"{mode}: exit status {rc}, want 0x33; stderr {err}")
        check(out == "b0\nb1\nb2\nb3\n", f"{mode}: serial {out!r}")
        check(dc.count("Booting from Hard Disk...") == 4, f"{mode}: SeaBIOS did not boot four times")
        check(st["stats"]["pc.resets"]["value"] == 4, f"{mode}: resets {st['stats']['pc.resets']['value']}")


def case_demo(codemorph, images, tmp):
    # The project's demo disk (guests/demo-disk), when this build made it: SeaBIOS boots it,
    # its serial output is exactly the expected one and it powers off with status 0, both
    # translated and interpreted only.
    build = os.environ.get("CODEMORPH_BUILD_DIR", "")
    disk = os.path.join(build, "guests", "demo-disk", "demo.img")
    if not os.path.exists(disk):
        print("SKIP demo: no demo disk at " + disk)
        sys.exit(77)
    with open(os.path.join(HERE, "..", "..", "..", "guests", "demo-disk", "expected-serial.txt"), encoding="latin-1") as f:
        expected = f.read()
    for mode in ([], ["--no-translate"]):
        rc, out, err = run(codemorph, ["-bios", BIOS, "-hda", disk, "--max-cycles", "20000000000"] + mode)
        check(rc == 0, f"{mode}: exit status {rc}; stderr {err}")
        check(out == expected, f"{mode}: serial output differs from expected-serial.txt: {out!r}")


def summary(err):
    m = re.search(r"codemorph: guest-exit: (\d+) cycles, (\d+) x86 instructions \((\d+) interpreted, (\d+) translated\)",
                  err)
    check(m is not None, f"no summary line in {err!r}")
    return tuple(int(x) for x in m.groups())


def case_rtl_demo(codemorph, images, tmp):
    # The demo disk (SeaBIOS included) on the ISS and the RTL in lockstep (--core rtl
    # --cosim): zero divergences, the expected serial output, power-off, and the same cycle
    # and instruction counts as the ISS alone.
    build = os.environ.get("CODEMORPH_BUILD_DIR", "")
    disk = os.path.join(build, "guests", "demo-disk", "demo.img")
    if not os.path.exists(disk):
        print("SKIP rtl_demo: no demo disk at " + disk)
        sys.exit(77)
    with open(os.path.join(HERE, "..", "..", "..", "guests", "demo-disk", "expected-serial.txt"), encoding="latin-1") as f:
        expected = f.read()
    rc, out, err = run(codemorph, ["-bios", BIOS, "-hda", disk])
    check(rc == 0 and out == expected, f"ISS: exit status {rc}; stderr {err}")
    iss = summary(err)
    rc, out, err = run(codemorph, ["-bios", BIOS, "-hda", disk, "--core", "rtl", "--cosim"], timeout=900)
    check(rc == 0, f"cosim: exit status {rc}; stderr {err}")
    check(out == expected, f"cosim: serial output differs from expected-serial.txt: {out!r}")
    m = re.search(r"^cosim: (\d+) molecules in lockstep, no divergence$", err, re.M)
    check(m is not None and int(m.group(1)) > 1000000, f"cosim: no lockstep line: {err!r}")
    check(summary(err) == iss, f"cosim: counts {summary(err)} differ from the ISS's {iss}")
    print(f"rtl_demo: {m.group(1)} molecules in lockstep, counts {iss}")


def case_rtl_boot(codemorph, images, tmp):
    # --core rtl alone: the test disk boots with the ISS's exact counts; --trace-fst writes
    # a waveform (a short run, cut by --max-cycles).
    rc, out, err, dc, st = boot(codemorph, images, tmp)
    check(rc == 42 and out == SERIAL, f"ISS: exit status {rc}; stderr {err}")
    iss = summary(err)
    rc, out, err, dc, st = boot(codemorph, images, tmp, ["--core", "rtl"])
    check(rc == 42 and out == SERIAL, f"rtl: exit status {rc}, serial {out!r}; stderr {err}")
    check("Booting from Hard Disk...\n" in dc, "rtl: no 'Booting from Hard Disk...'")
    check(summary(err) == iss, f"rtl: counts {summary(err)} differ from the ISS's {iss}")
    fst = os.path.join(tmp, "pc.fst")
    rc, out, err = run(codemorph, ["-bios", BIOS, "-hda", os.path.join(images, "boot_hello.img"), "--core", "rtl",
                                   "--trace-fst", fst, "--max-cycles", "300000"])
    check(rc == 3, f"trace: exit status {rc}; stderr {err}")
    check(os.path.exists(fst) and os.path.getsize(fst) > 1000, "trace: no FST file written")


def case_exit_status(codemorph, images, tmp):
    rc, out, err, dc, st = boot(codemorph, images, tmp, ["--no-translate"], image="boot_exit5.img")
    check(rc == 5, f"exit status {rc}, want 5")


def expect_error(codemorph, args, pattern, status=None):
    rc, out, err = run(codemorph, args)
    lines = err.strip().splitlines()
    check(rc != 0 and rc < 128, f"{args}: exit status {rc}")
    if status is not None:
        check(rc == status, f"{args}: exit status {rc}, want {status}")
    check(len(lines) >= 1 and lines[0].startswith("codemorph: error: "), f"{args}: stderr {err!r}")
    check(re.search(pattern, lines[0]), f"{args}: message {lines[0]!r} does not match {pattern!r}")
    return lines


def case_triple_fault(codemorph, images, tmp):
    lines = expect_error(codemorph, ["-hda", os.path.join(images, "boot_triple.img"), "-no-reboot", "--no-translate",
                                     "--max-cycles", MAX], r"triple fault .* \(-no-reboot\)$", 1)
    check(len(lines) == 2 and lines[1].startswith("codemorph: triple-fault: "), f"stderr {lines}")
    # Without -no-reboot the PC resets and SeaBIOS boots again (until the cycle limit).
    stats = os.path.join(tmp, "s.json")
    expect_error(codemorph, ["-hda", os.path.join(images, "boot_triple.img"), "--no-translate", "--max-cycles",
                             "400000000", "--stats", stats], r"--max-cycles 400000000 reached", 3)
    with open(stats) as f:
        check(json.load(f)["stats"]["pc.resets"]["value"] >= 1, "no reset after the triple fault")


def case_max_cycles(codemorph, images, tmp):
    lines = expect_error(codemorph, ["-hda", os.path.join(images, "boot_spin.img"), "--no-translate", "--max-cycles",
                                     "300000000"], r"^codemorph: error: --max-cycles 300000000 reached at 0000:00007c", 3)
    check(len(lines) == 2, f"stderr {lines}")


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return path


def case_bad_inputs(codemorph, images, tmp):
    disk = os.path.join(images, "boot_hello.img")
    bios = open(BIOS, "rb").read()
    cases = [
        (["-bios", os.path.join(tmp, "missing.bin")], r"cannot open BIOS image"),
        (["-bios", tmp], r"not a regular file"),
        (["-bios", write(os.path.join(tmp, "empty.bin"), b"")], r"BIOS image is empty"),
        (["-bios", write(os.path.join(tmp, "short.bin"), bios[:1000])], r"not a multiple of 64 KiB"),
        (["-bios", write(os.path.join(tmp, "odd.bin"), bios + b"\0")], r"not a multiple of 64 KiB"),
        (["-bios", write(os.path.join(tmp, "novector.bin"), bytes(65536))], r"no far JMP at the reset vector"),
        (["-bios", BIOS, "-hda", os.path.join(tmp, "missing.img")], r"cannot open disk image"),
        (["-bios", BIOS, "-hda", write(os.path.join(tmp, "empty.img"), b"")], r"disk image is empty"),
        (["-bios", BIOS, "-hda", write(os.path.join(tmp, "short.img"), bytes(100))], r"too short"),
        (["-bios", BIOS, "-hda", write(os.path.join(tmp, "odd.img"), bytes(1000))], r"not a multiple of 512"),
        (["-bios", BIOS, "-hda", tmp], r"not a regular file|Is a directory"),
        (["-hda", disk, "--bogus"], r"unknown option"),
        (["-hda", disk, "-m", "lots"], r"-m expects a size"),
        (["-hda", disk, "-m", "1"], r"pc.ram_mib"),
        (["-hda", disk, "--clock", "sundial"], r"--clock expects cycles or instructions"),
        (["-hda", disk, "-serial", "tcp:1"], r"-serial expects"),
        (["-hda", disk, "-debugcon", "file:/nonexistent-dir/x"], r"-debugcon"),
        (["-hda", disk, "--core", "rtl", "--no-translate"], r"rtl"),
        (["-hda", disk, "--core", "vhdl"], r"--core expects iss or rtl"),
        (["-hda", disk, "--cosim"], r"--cosim needs --core rtl"),
        (["-hda", disk, "--trace-fst", os.path.join(tmp, "x.fst")], r"--trace-fst needs --core rtl"),
        (["-hda", disk, "--max-cycles", "many"], r"expects a number"),
        (["-hda", disk, "-d", "everything"], r"unknown log category"),
        (["-hda", disk, "extra-argument"], r"unexpected argument"),
    ]
    for args, pattern in cases:
        lines = expect_error(codemorph, args, pattern, 2)
        check(len(lines) == 1, f"{args}: more than one line: {lines}")


def case_help(codemorph, images, tmp):
    rc, out, err = run(codemorph, ["--help"])
    check(rc == 0, "--help failed")
    for opt in ["-bios", "-hda", "-m ", "-serial", "-debugcon", "-no-reboot", "-d ", "-D ", "--stats", "--max-cycles",
                "--core", "--cosim", "--trace-fst", "--cms-threshold", "--no-translate", "--clock", "--help", "Exit status"]:
        check(opt in out, f"--help does not document {opt}")


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    codemorph, images, case = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as tmp:
        try:
            CASES[case](codemorph, images, tmp)
        except AssertionError as e:
            print(f"FAIL {case}: {e}")
            sys.exit(1)
    print(f"PASS {case}")
