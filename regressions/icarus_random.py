#!/usr/bin/env python3
"""Random-stimulus Icarus run of regressions (an independent check of the
[expect] tables, not part of `verify`). Each design is copied to a temporary
directory, its immediate assertions are rewritten into $display checks Icarus
can run (Icarus 11 cannot parse labelled assertions), FORMAL is defined, a
testbench drives random inputs for CYCLES cycles (default 3000) after two
reset cycles, and outputs are checked for X/Z. Prints, per design, how often
each property failed (FAIL), each assumption was violated (ASSUMEFAIL), each
cover was hit (COVER) and each output was unknown (XOUT).
Usage: CYCLES=10000 icarus_random.py design...   (needs verilator for ports)"""
import sys, os, subprocess, tomllib, shutil, re, collections, tempfile
import xml.etree.ElementTree as ET
root = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp(prefix="regress-icarus-")

# [label:] assert|assume|cover (e);  on one line  ->  $display check
PROP = re.compile(r'^(\s*)(?:(\w+)\s*:\s*)?(assert|assume|cover)\s*\((.*)\)\s*;\s*$')


def rewrite(text):
    out = []
    for lineno, line in enumerate(text.splitlines(keepends=True), 1):
        m = PROP.match(line)
        if m:
            ind, lab, kind, e = m.groups()
            lab = lab or f"{kind}@{lineno}"
            if kind == "cover":
                line = f'{ind}if ({e}) $display("COVER %m.{lab}");\n'
            else:
                tag = "FAIL" if kind == "assert" else "ASSUMEFAIL"
                line = f'{ind}if (!({e})) $display("{tag} %m.{lab}");\n'
        out.append(line)
    return "".join(out)


cycles = int(os.environ.get("CYCLES", "3000"))
for n in sys.argv[1:]:
    d = f"{root}/{n}"
    m = tomllib.load(open(f"{d}/verify.toml", "rb"))
    if not m.get("icarus", True):
        print(f"{n}: icarus=false, skipped"); continue
    w = os.path.join(work, n)
    shutil.rmtree(w, ignore_errors=True); shutil.copytree(d, w)
    for dp, _, fs in os.walk(w):
        for f in fs:
            if f.endswith((".sv", ".v", ".svh", ".vh")):
                p = os.path.join(dp, f)
                with open(p) as fh:
                    txt = fh.read()
                with open(p, "w") as fh:
                    fh.write(rewrite(txt))
    files = ["-f", m["file_list"]] if "file_list" in m else m["files"]
    inc = [f"-I{i}" for i in m.get("include_dirs", [])]
    dfs = [f"-D{k}={v}" for k, v in m.get("defines", {}).items()]
    vpar = [f"-G{k}={v}" for k, v in m.get("params", {}).items()]
    subprocess.run(["verilator", "--xml-only", "-Wno-fatal", "--top-module", m["top"], "--xml-output", f"{w}/x.xml", *inc, *dfs, *vpar, *files], cwd=d, capture_output=True)
    t = ET.parse(f"{w}/x.xml")
    mod = [x for x in t.iter("module") if x.get("topModule") == "1"][0]
    ports = [(v.get("name"), v.get("dir")) for v in mod.findall("var") if v.get("dir")]
    clk = m["clock"]; rst = m["reset"]
    rname = rst.lstrip("!")
    L = ["module tb;"]
    for p, _ in ports: L.append(f"  logic [255:0] {p};")
    L.append("  integer cyc;")
    par = ", ".join(f".{k}({v})" for k, v in m.get("params", {}).items())
    L.append(f"  {m['top']} {'#(' + par + ')' if par else ''} {m['top']} ({', '.join(f'.{p}({p})' for p, _ in ports)});")
    L.append("  initial begin")
    L.append(f"    {clk} = 0;")
    L.append(f"    for (cyc = 0; cyc < {cycles}; cyc = cyc + 1) begin")
    for p, dr in ports:
        if dr == "input" and p != clk:
            if p == rname and rst != "none":
                act = "1" if not rst.startswith("!") else "0"
                L.append(f"      {p} = (cyc < 2) ? {act} : !{act};")
            else:
                L.append(f"      {p} = {{$urandom,$urandom,$urandom,$urandom,$urandom,$urandom,$urandom,$urandom}};")
    L.append("      #5;")
    for p, dr in ports:
        if dr == "output":
            L.append(f"      if (cyc >= 2 && $isunknown({m['top']}.{p})) $display(\"XOUT {p} cyc=%0d\", cyc);")
    L.append(f"      {clk} = 1; #5 {clk} = 0;")
    L.append("    end")
    L.append("    $finish;\n  end\nendmodule")
    open(f"{w}/tb_gen.sv", "w").write("\n".join(L) + "\n")
    r = subprocess.run(["iverilog", "-g2012", "-DFORMAL", "-o", f"{w}/sim", "-s", "tb", *inc, *dfs, *files, "tb_gen.sv"], cwd=w, capture_output=True, text=True)
    if r.returncode:
        print(f"{n}: COMPILE FAIL\n{r.stderr}"); continue
    r = subprocess.run(["vvp", "-n", "sim"], cwd=w, capture_output=True, text=True)
    c = collections.Counter()
    for line in r.stdout.splitlines():
        if line.startswith(("FAIL", "COVER", "ASSUMEFAIL", "XOUT")):
            k = line.split()[0] + " " + line.split()[1]
            c[k] += 1
        elif line.strip() and not line.startswith(("VCD", "WARNING")):
            c["OTHER " + line.strip()[:80]] += 1
    print(f"{n}: {dict(c) if c else 'clean'}")
    if r.stderr.strip(): print("  stderr:", r.stderr.strip()[:500])
