#!/usr/bin/env python3
"""Simulation speed of `verify --sim` against Verilator and Icarus (run by
bench/sim.sh; see there for usage and the environment knobs).

Per design, all three simulators run the same stimulus (bench/sim/harness.py
reproduces verify's xoshiro256** stream in C++ and Verilog; the first
cycles of Verilator and verify are compared output by output before timing).
Throughput is cycles / CPU seconds (user + system, hyperfine's mean) with the
start-up (a 1-cycle run) subtracted: CPU time is steadier than wall time on
a shared machine, and each measured process is single-threaded.
"""
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def env_int(name, default):
    return int(float(os.environ.get(name, default)))


CYCLES_ = env_int("CYCLES", 2_000_000)          # verify and Verilator, one seed
ICARUS_CYCLES_ = env_int("ICARUS_CYCLES", 50_000)
SEEDS = env_int("SEEDS", 64)                    # many-seed workload
SEED_CYCLES_ = env_int("SEED_CYCLES", 50_000)    # cycles per seed there
RUNS = env_int("RUNS", 3)
BIG_LINES = env_int("BIG_LINES", 5000)

DESIGNS = [
    ("fifo_sync", ["fifo_sync/fifo_sync.sv"]),
    ("crc8", ["crc8/crc8.sv"]),
    ("mac_pipe", ["mac_pipe/mac_pipe.sv"]),
    ("rr_arbiter", ["rr_arbiter/rr_arbiter.sv"]),
    ("uart_tx", ["uart_tx/uart_pkg.sv", "uart_tx/uart_tx.sv"]),
    ("alu_signed", ["alu_signed/alu_signed.sv"]),
]


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, capture_output=True, text=True, **kw)


def hyperfine(work, cmds, runs=RUNS):
    """Mean CPU seconds (user + system) and mean wall seconds per command."""
    out = os.path.join(work, "hf.json")
    args = ["hyperfine", "-N", "--warmup", "1", "--runs", str(runs), "--export-json", out]
    for c in cmds:
        args.append(c)
    subprocess.run(args, check=True, capture_output=True, text=True)
    res = json.load(open(out))["results"]
    return [(r["user"] + r["system"], r["mean"]) for r in res]


def timed(cmd, cwd=None):
    t = time.time()
    sh(cmd, cwd=cwd)
    return time.time() - t


def check_same(verify, work, files, cycles=200):
    """Verilator and verify give the same outputs on the first cycles
    (`files` may start with `--top NAME`)."""
    vt = sh(f"./obj/vtb {cycles} dump", cwd=work).stdout.split("\n")[:cycles]
    sh(f"{verify} --sim --init zero --reset-cycles 1 --cycles {cycles} "
       f"--dump-outputs {work}/o.json {' '.join(files)}")
    ours = json.load(open(f"{work}/o.json"))["cycles"]
    for c, (a, b) in enumerate(zip(vt, ours)):
        if [int(x, 16) for x in a.split()] != [int(x, 16) for x in b]:
            sys.exit(f"{work}: Verilator and verify differ at cycle {c}: {a} vs {b}")
    return len(ours) == cycles


def bench_design(verify, name, files, work, scale=1, top=None, source="ours"):
    """`scale` divides the cycle counts (big designs run fewer cycles);
    `top` names the top module when the files have several candidates."""
    CYCLES, ICARUS_CYCLES, SEED_CYCLES = (x // scale for x in (CYCLES_, ICARUS_CYCLES_, SEED_CYCLES_))
    os.makedirs(work, exist_ok=True)
    # Public designs: their `ifdef FORMAL` sections (SymbiYosys properties)
    # are left out, as Verilator and Icarus leave them out.
    vflags = f"--top {top} -U FORMAL " if top else ""
    sh(f"python3 {HERE}/harness.py {verify} {work} 1 {vflags}{' '.join(files)}")
    meta = json.load(open(f"{work}/meta.json"))
    top = meta["top"]
    vbuild = timed(f"verilator --cc --exe --build -O3 -j 1 -Wno-fatal --top-module {top} "
                   f"-Mdir obj {' '.join(files)} tb.cpp -o vtb", cwd=work)
    ibuild = timed(f"iverilog -g2012 -s tb -o tb.vvp tb.v {' '.join(files)}", cwd=work)
    check_same(verify, work, vflags.split() + files)
    fl = vflags + " ".join(files)
    vsim = f"{verify} --sim --init zero --cycles"
    r = hyperfine(work, [
        f"{work}/obj/vtb {CYCLES}",
        f"{work}/obj/vtb 1",
        f"vvp -n {work}/tb.vvp +cycles={ICARUS_CYCLES}",
        f"vvp -n {work}/tb.vvp +cycles=1",
        f"{vsim} {CYCLES} {fl}",
        f"{vsim} 1 {fl}",
        f"taskset -c 0 env RAYON_NUM_THREADS=1 {vsim} {SEED_CYCLES} --seeds {SEEDS} {fl}",
        f"{vsim} {CYCLES} --jit off {fl}",
        f"{vsim} 1 --jit on {fl}",
    ])
    (v, _), (v1, _), (i, _), (i1, _), (s, _), (s1, s1wall), (m, _), (si, _), (_, s1jit) = r
    rate = lambda cyc, t, t1: cyc / max(t - t1, 1e-6)
    return {
        "design": name,
        "source": source,
        "cycles": CYCLES,
        "verilator_build_s": vbuild,
        "icarus_build_s": ibuild,
        "verify_startup_s": s1wall,
        "verilator": rate(CYCLES, v, v1),
        "icarus": rate(ICARUS_CYCLES, i, i1),
        "verify": rate(CYCLES, s, s1),
        "verify_seeds": rate(SEEDS * SEED_CYCLES, m, s1),
        # The interpreter alone (--jit off), and the native-code compile
        # time (start-up with --jit on minus start-up without).
        "verify_interp": rate(CYCLES, si, s1),
        "jit_compile_s": max(s1jit - s1wall, 0.0),
    }


def main():
    verify = os.path.abspath(sys.argv[1])
    work = sys.argv[2]
    os.chdir(os.path.join(ROOT, "regressions"))
    # (name, files, top, where from): ours, then the public designs
    # bench/sim.sh fetched (public.tsv: name, top, files, source).
    designs = [(n, [os.path.abspath(x) for x in f], None, "ours") for n, f in DESIGNS]
    big = os.path.join(work, f"big{BIG_LINES}.sv")
    sh(f"python3 {ROOT}/bench/gen_big.py {BIG_LINES} > {big}")
    designs.append((f"gen_big {BIG_LINES} lines", [big], None, "ours (generated)"))
    public = os.path.join(work, "public.tsv")
    if os.path.exists(public):
        for line in open(public):
            n, top, files, source = line.rstrip("\n").split("\t")
            designs.append((n, files.split(), top, source))
    only = os.environ.get("DESIGNS", "").split()
    if only:
        designs = [d for d in designs if d[0].split()[0] in only]
    rows = []
    for n, files, top, source in designs:
        scale = 5 if n.startswith("gen_big") else 1
        rows.append(bench_design(verify, n, files, os.path.join(work, n.split()[0]), scale,
                                 top, source))
        r = rows[-1]
        print(f"  {n}: verify {r['verify']/1e6:.2f} M/s, Verilator {r['verilator']/1e6:.2f} M/s, "
              f"Icarus {r['icarus']/1e3:.1f} k/s, {SEEDS} seeds {r['verify_seeds']/1e6:.2f} M/s",
              file=sys.stderr)
    json.dump(rows, open(os.path.join(work, "results.json"), "w"), indent=1)
    print(f"one seed: {CYCLES_} cycles (Icarus {ICARUS_CYCLES_}); many seeds: {SEEDS} seeds x "
          f"{SEED_CYCLES_} cycles (gen_big: all / 5) on one core (taskset -c 0, RAYON_NUM_THREADS=1). "
          "Rates in cycles per CPU second, start-up subtracted.\n")
    print("| design | source | verify M cyc/s | Verilator M cyc/s | Icarus k cyc/s | verify / Verilator "
          "| verify / Icarus | interpreter (--jit off) M cyc/s | many seeds M cyc/s (1 core) "
          "| many seeds / Verilator | verify start-up s | native code compile s "
          "| Verilator build s | Icarus build s |")
    print("|" + " --- |" * 14)
    for r in rows:
        src = "ours" if r["source"].startswith("ours") else "public"
        print(f"| {r['design']} | {src} | {r['verify']/1e6:.2f} | {r['verilator']/1e6:.2f} | "
              f"{r['icarus']/1e3:.1f} | {r['verify']/r['verilator']:.2f}x | "
              f"{r['verify']/r['icarus']:.0f}x | {r['verify_interp']/1e6:.2f} | "
              f"{r['verify_seeds']/1e6:.2f} | "
              f"{r['verify_seeds']/r['verilator']:.2f}x | {r['verify_startup_s']:.2f} | "
              f"{r['jit_compile_s']:.3f} | "
              f"{r['verilator_build_s']:.1f} | {r['icarus_build_s']:.1f} |")
    print()
    for r in rows:
        if not r["source"].startswith("ours"):
            print(f"- {r['design']}: {r['source']}")


if __name__ == "__main__":
    main()
