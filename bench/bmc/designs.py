"""Regression designs as both tools see them: the manifest's files, defines,
include folders, parameter overrides and reset, turned into a Yosys script
(the SymbiYosys flow) and a `verify` command line."""
import os
import subprocess
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REGRESSIONS = os.path.join(ROOT, "regressions")


class Design:
    def __init__(self, name):
        self.name = name
        self.dir = os.path.join(REGRESSIONS, name)
        m = tomllib.load(open(os.path.join(self.dir, "verify.toml"), "rb"))
        self.top = m["top"]
        if "file_list" in m:
            lines = open(os.path.join(self.dir, m["file_list"])).read().split()
            self.files = [l for l in lines if not l.startswith(("+", "-"))]
        else:
            self.files = m["files"]
        self.defines = m.get("defines", {})
        self.params = m.get("params", {})
        self.include_dirs = m.get("include_dirs", [])
        self.source = "original"
        reset = m.get("reset", "none")
        # (input name, active level) or None
        if reset == "none":
            self.reset = None
        elif reset.startswith("!"):
            self.reset = (reset[1:], 0)
        else:
            self.reset = (reset, 1)

    def yosys_script(self, smt2):
        """The SymbiYosys-style flow: read with FORMAL, prep, async2sync
        (an async reset becomes a synchronous one whose value is also forced
        while it is asserted: the cycle-level semantics verify uses), dffunmap,
        write_smt2 -wires."""
        defs = " ".join(f"-D{k}={v}" for k, v in self.defines.items())
        incs = " ".join(f"-I{i}" for i in self.include_dirs)
        reads = "; ".join(f"read_verilog -sv -formal -DFORMAL {defs} {incs} {f}" for f in self.files)
        chparam = "".join(f"chparam -set {k} {v} {self.top}; " for k, v in self.params.items())
        return (f"{reads}; {chparam}prep -top {self.top}; async2sync; dffunmap; "
                f"write_smt2 -wires {smt2}")

    def smtc(self, reset_cycles=1):
        """yosys-smtbmc constraints: reset held in the first cycles, as
        verify does (verify holds it in cycles 0..reset_cycles-1)."""
        if self.reset is None:
            return ""
        name, level = self.reset
        return f"state 0:{reset_cycles - 1}\nassume (= [{name}] {'true' if level else 'false'})\n"

    def verify_args(self):
        args = [f"-D{k}={v}" for k, v in self.defines.items()]
        args += [f"-I{i}" for i in self.include_dirs]
        args += [f"-G{k}={v}" for k, v in self.params.items()]
        if self.reset is None:
            args += ["--reset", "none"]
        else:
            name, level = self.reset
            args += ["--reset", name if level else "!" + name]
        args += ["--top", self.top]
        return args + self.files

    def yosys(self, smt2, log):
        """Run Yosys; returns (ok, message)."""
        r = subprocess.run(["yosys", "-q", "-l", log, "-p", self.yosys_script(smt2)],
                           cwd=self.dir, capture_output=True, text=True)
        msg = (r.stderr or r.stdout).strip().splitlines()
        return r.returncode == 0, (msg[-1] if msg else "")


PORTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ports")


def port_of(d):
    """The Verilog port of a design Yosys 0.23 cannot read (same module,
    ports, reset and assertions, written in the Verilog Yosys reads), or None."""
    p = os.path.join(PORTS, d.name + ".v")
    if not os.path.isfile(p):
        return None
    d.files = [p]
    d.defines, d.include_dirs = {}, []
    d.source = "port"
    return d


def all_names():
    return sorted(n for n in os.listdir(REGRESSIONS)
                  if os.path.isfile(os.path.join(REGRESSIONS, n, "verify.toml")))
