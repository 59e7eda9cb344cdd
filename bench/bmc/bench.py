#!/usr/bin/env python3
"""BMC speed: yosys-smtbmc (Z3) against `verify --bmc` on the same designs,
depths, properties and reset (run by bench/bmc.sh; see there for usage).

Per design:
  1. Yosys (SymbiYosys flow, designs.py) writes SMT-LIB; a design Yosys 0.23
     cannot read is skipped with its error, unless bench/bmc/ports/ holds a
     Verilog port of it, which then both tools read.
  2. Both tools run once and their verdicts are compared: every assertion
     that verify reports failing at depth k, yosys-smtbmc (--keep-going)
     reports failing at step k+1 (Yosys registers an immediate assertion in
     a clocked block, so step s checks the values of cycle s-1; -t D+2 makes
     yosys-smtbmc cover the cycles 0..D that `verify --depth D` covers).
  3. hyperfine times both (wall-clock medians); the ratio is
     yosys-smtbmc median / verify median (above 1: verify is faster).

yosys-smtbmc is timed alone (the SMT-LIB is written beforehand); verify's
time includes its own parsing and elaboration and the simulator replay of
every counterexample.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import designs  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEPTH = int(os.environ.get("DEPTH", 20))
RUNS = int(os.environ.get("RUNS", 5))
YOSYS_FLAGS = os.environ.get("YOSYS_FLAGS", "--presat")
THREADS1 = os.environ.get("THREADS1", "1") == "1"
# A run longer than this (seconds) is stopped and reported as "> LIMIT";
# Z3's memory is capped too (on crc8 it grew past 8 GB in 15 minutes).
LIMIT = float(os.environ.get("LIMIT", 120))
MEM_KB = int(os.environ.get("MEM_KB", 4_000_000))


def limited(cmd):
    """`cmd` under the time and memory limits."""
    return f"bash -c 'ulimit -v {MEM_KB}; exec timeout {LIMIT} {cmd}'"


def yosys_verdicts(out):
    """{assertion name: first failing step} from yosys-smtbmc --keep-going output."""
    fails = {}
    step = None
    for line in out.splitlines():
        m = re.search(r"Checking assertions in step (\d+)", line)
        if m:
            step = int(m.group(1))
        m = re.search(r"Assert failed in ([^:]+): (.*)$", line)
        if m:
            fails.setdefault(m.group(2).strip(), step)
    status = "FAILED" if "Status: FAILED" in out else ("PASSED" if "Status: PASSED" in out else "?")
    return status, fails


def hyperfine(cmds, cwd, out):
    """Wall-clock median per command. The machine is shared and its load
    changes by the minute, so the commands take turns (one hyperfine run
    of each, RUNS rounds) rather than running all of one then all of the
    other; the warm-up is the verdict run before."""
    times = {name: [] for name, _ in cmds}
    raw = []
    for _ in range(RUNS):
        for name, cmd in cmds:
            subprocess.run(["hyperfine", "-N", "--runs", "1", "-i", "--export-json", out,
                            "-n", name, cmd], cwd=cwd, check=True, capture_output=True, text=True)
            r = json.load(open(out))["results"][0]
            times[name] += r["times"]
            raw.append(r)
    json.dump(raw, open(out, "w"), indent=1)
    return {name: statistics.median(t) for name, t in times.items()}


def bench(verify, d, work):
    os.makedirs(work, exist_ok=True)
    smt2 = os.path.join(work, "model.smt2")
    ok, msg = d.yosys(smt2, os.path.join(work, "yosys.log"))
    if not ok and designs.port_of(d):
        ok, msg = d.yosys(smt2, os.path.join(work, "yosys.log"))
    if not ok:
        return {"design": d.name, "skipped": f"Yosys 0.23 cannot read it ({msg})"}
    smtc = os.path.join(work, "reset.smtc")
    open(smtc, "w").write(d.smtc())
    smtc_arg = f"--smtc {smtc} " if d.reset else ""
    ycmd = (f"yosys-smtbmc -s z3 {YOSYS_FLAGS} --keep-going -t {DEPTH + 2} "
            f"{smtc_arg}{smt2}")
    vout = os.path.join(work, "verify_out")
    vjson = os.path.join(work, "verify.json")
    vcmd = (f"{verify} --bmc --depth {DEPTH} --out {vout} --json {vjson} "
            + " ".join(d.verify_args()))
    # One run of each for the verdicts.
    y = subprocess.run(limited(ycmd), shell=True, cwd=d.dir, capture_output=True, text=True)
    ystatus, yfails = yosys_verdicts(y.stdout)
    ytimeout = ystatus == "?"
    v = subprocess.run(limited(vcmd), shell=True, cwd=d.dir, capture_output=True, text=True)
    if v.returncode not in (0, 1):
        return {"design": d.name, "skipped": f"verify exit {v.returncode}: {v.stderr.strip()[-200:]}"}
    rep = json.load(open(vjson))
    vfails = {p["name"]: p["depth"] for p in rep["properties"] if p["status"] == "fail"}
    vother = sorted({p["status"] for p in rep["properties"] if p["status"] != "fail"})
    # Same verdicts: the same number of failing assertions at the same depths
    # (names differ for unlabelled assertions, so depths are compared as a multiset).
    agree = (sorted(s - 1 for s in yfails.values()) == sorted(vfails.values())
             and (ystatus == "FAILED") == bool(vfails) and vother in ([], ["pass"]))
    cmds = [] if ytimeout else [("yosys-smtbmc", ycmd)]
    cmds.append(("verify", vcmd))
    if THREADS1:
        cmds.append(("verify 1 thread", f"env RAYON_NUM_THREADS=1 {vcmd}"))
    t = hyperfine(cmds, d.dir, os.path.join(work, "hyperfine.json"))
    if ytimeout:
        # yosys-smtbmc did not finish within LIMIT: a lower bound.
        t["yosys-smtbmc"] = LIMIT
        agree = None
    row = {
        "design": d.name,
        "source": d.source,
        "depth": DEPTH,
        "asserts": len(rep["properties"]),
        "verify_fails": vfails,
        "yosys_fails": yfails,
        "agree": agree,
        "yosys_s": t["yosys-smtbmc"],
        "verify_s": t["verify"],
        "ratio": t["yosys-smtbmc"] / t["verify"],
        "yosys_timeout": ytimeout,
    }
    if THREADS1:
        row["verify1_s"] = t["verify 1 thread"]
        row["ratio1"] = t["yosys-smtbmc"] / t["verify 1 thread"]
    return row


def main():
    verify = os.path.abspath(sys.argv[1])
    work = os.path.abspath(sys.argv[2])
    names = sys.argv[3:] or designs.all_names()
    rows = []
    for n in names:
        d = designs.Design(n)
        r = bench(verify, d, os.path.join(work, n))
        rows.append(r)
        if "skipped" in r:
            print(f"  {n}: skipped: {r['skipped']}", file=sys.stderr)
        else:
            print(f"  {n}: yosys-smtbmc {r['yosys_s']:.3f} s, verify {r['verify_s']:.3f} s, "
                  f"ratio {r['ratio']:.1f}x, fails verify {r['verify_fails']} yosys {r['yosys_fails']}"
                  f"{'' if r['agree'] is not False else '  VERDICTS DIFFER'}", file=sys.stderr)
    json.dump(rows, open(os.path.join(work, "results.json"), "w"), indent=1)
    done = [r for r in rows if "skipped" not in r]
    print(f"depth {DEPTH} (verify --depth {DEPTH}: cycles 0..{DEPTH}; yosys-smtbmc -t {DEPTH + 2}), "
          f"yosys-smtbmc flags `-s z3 {YOSYS_FLAGS} --keep-going`, hyperfine medians of {RUNS} runs.\n")
    hdr = "| design | source | depth | asserts | failures (verify depth / yosys step) | yosys-smtbmc s | verify s | ratio |"
    if THREADS1:
        hdr += " verify 1 thread s | ratio 1 thread |"
    print(hdr)
    print("|" + " --- |" * (hdr.count("|") - 1))
    for r in done:
        f = ", ".join(f"{k} @{v}" for k, v in sorted(r["verify_fails"].items())) or "none"
        yf = ", ".join(f"@{v}" for v in sorted(r["yosys_fails"].values()))
        if yf:
            f += f" / {yf}"
        if r["agree"] is False:
            f += " **DIFFER**"
        gt = "> " if r["yosys_timeout"] else ""
        if r["yosys_timeout"]:
            f += " / yosys-smtbmc stopped"
        line = (f"| {r['design']} | {r['source']} | {r['depth']} | {r['asserts']} | {f} | "
                f"{gt}{r['yosys_s']:.3f} | {r['verify_s']:.3f} | {gt}{r['ratio']:.1f}x |")
        if THREADS1:
            line += f" {r['verify1_s']:.3f} | {gt}{r['ratio1']:.1f}x |"
        print(line)
    if done:
        print(f"\nmedian ratio: {statistics.median(r['ratio'] for r in done):.1f}x; "
              f"verify faster on {sum(r['ratio'] > 1 for r in done)} of {len(done)} designs"
              + (f"; 1 thread: median {statistics.median(r['ratio1'] for r in done):.1f}x, "
                 f"faster on {sum(r['ratio1'] > 1 for r in done)}" if THREADS1 else ""))
    for r in rows:
        if "skipped" in r:
            print(f"\nskipped {r['design']}: {r['skipped']}")


if __name__ == "__main__":
    main()
