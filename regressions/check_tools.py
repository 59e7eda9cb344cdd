#!/usr/bin/env python3
"""Check every regression with the external tools (not part of `verify`):
iverilog -g2012 (skipped for icarus = false) and verilator --lint-only -Wall,
the latter with and without -DFORMAL. Usage: check_tools.py [design...]
Exit status 1 if any check fails. Writes only to a temporary directory."""
import sys, os, subprocess, tomllib, tempfile
root = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(tempfile.mkdtemp(prefix="regress-check-"), "a.out")
names = sys.argv[1:] or sorted(d for d in os.listdir(root) if os.path.isfile(f"{root}/{d}/verify.toml"))
bad = 0
for n in names:
    d = f"{root}/{n}"
    m = tomllib.load(open(f"{d}/verify.toml", "rb"))
    assert m["name"] == n, n
    if "file_list" in m:
        files = ["-f", m["file_list"]]
        vfiles = ["-f", m["file_list"]]
    else:
        files = m["files"]; vfiles = files
    inc = [f"-I{i}" for i in m.get("include_dirs", [])]
    dfs = [f"-D{k}={v}" for k, v in m.get("defines", {}).items()]
    ipar = [f"-P{m['top']}.{k}={v}" for k, v in m.get("params", {}).items()]
    vpar = [f"-G{k}={v}" for k, v in m.get("params", {}).items()]
    res = []
    if m.get("icarus", True):
        r = subprocess.run(["iverilog", "-g2012", "-o", out, "-s", m["top"], *inc, *dfs, *ipar, *files], cwd=d, capture_output=True, text=True)
        # Icarus "sorry"/synthesis notes that do not change simulation results
        benign = ("constant selects in always_", "qualities are ignored", "cannot be synthesized")
        other = [l for l in r.stderr.splitlines() if l.strip() and not any(b in l for b in benign)]
        ok = r.returncode == 0 and not other
        res.append(("icarus", ok, r.stderr))
    for form in ([], ["-DFORMAL"]):
        r = subprocess.run(["verilator", "--lint-only", "-Wall", "-Wno-DECLFILENAME", "--top-module", m["top"], *form, *inc, *dfs, *vpar, *vfiles], cwd=d, capture_output=True, text=True)
        ok = r.returncode == 0 and "%Warning" not in r.stderr and "%Error" not in r.stderr
        res.append(("verilator" + "".join(form), ok, r.stderr))
    st = " ".join(f"{k}={'ok' if ok else 'FAIL'}" for k, ok, _ in res)
    print(f"{n:20s} {st}")
    for k, ok, e in res:
        if not ok:
            bad += 1
            print("  ---", k); print("  " + e.strip().replace("\n", "\n  ")[:3000])
sys.exit(1 if bad else 0)
