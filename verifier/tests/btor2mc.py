#!/usr/bin/env python3
"""Bounded model checking of a BTOR2 file with Boolector's BtorMC engine.

Debian 12's `boolector` package (1.5.118) ships no `btormc`. The PyPI wheel
`pyboolector` (Boolector 3.2) bundles a libboolector that exports both the
BTOR2 parser of btor2tools (`btor2parser_*`) and the BtorMC model checker
API (`boolector_mc_*`), the engine behind `btormc`. This script drives them
through ctypes: btor2parser checks the file's syntax, then each line is
turned into the matching Boolector call (BTOR2's operators are Boolector's,
one to one) and `boolector_mc_bmc` checks one target at a time.

Usage: btor2mc.py FILE DEPTH
Prints JSON: {"<property>": k or -1}, one entry per `bad` (assertion) and per
`output` named `cover:<property>` (a cover, checked by making it bad); k is
the first bound at which the target is reached, -1 if not up to DEPTH.
Exit 0, or 2 with a message when the file does not parse or the library is
missing (exit 77 then, so a caller can skip).
"""

import ctypes
import glob
import json
import os
import sys


def load_lib():
    try:
        import pyboolector  # noqa: F401  (only to find the bundled library)
    except ImportError:
        return None
    base = os.path.dirname(pyboolector.__file__)
    libs = glob.glob(os.path.join(base, "pyboolector.libs", "libboolector*.so*"))
    if not libs:
        return None
    lib = ctypes.CDLL(libs[0])
    vp = ctypes.c_void_p
    for name in [
        "boolector_mc_new", "boolector_mc_get_btor", "boolector_mc_input",
        "boolector_mc_state", "boolector_bitvec_sort", "boolector_const",
        "boolector_zero", "boolector_cond", "boolector_slice", "boolector_uext",
        "boolector_sext", "btor2parser_new", "btor2parser_error",
    ] + ["boolector_" + op for op in UNARY.values()] + ["boolector_" + op for op in BINARY.values()]:
        getattr(lib, name).restype = vp
    lib.boolector_mc_bmc.restype = ctypes.c_int32
    lib.boolector_mc_bad.restype = ctypes.c_int32
    lib.boolector_mc_constraint.restype = ctypes.c_int32
    lib.btor2parser_read_lines.restype = ctypes.c_int32
    lib.btor2parser_error.restype = ctypes.c_char_p
    libc = ctypes.CDLL(None)
    libc.fopen.restype = vp
    libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    libc.fclose.argtypes = [vp]
    return lib, libc


UNARY = {"not": "not", "neg": "neg", "redand": "redand", "redor": "redor", "redxor": "redxor"}
BINARY = {
    "add": "add", "sub": "sub", "mul": "mul", "udiv": "udiv", "urem": "urem",
    "sdiv": "sdiv", "srem": "srem", "and": "and", "or": "or", "xor": "xor",
    "eq": "eq", "neq": "ne", "ult": "ult", "ulte": "ulte", "slt": "slt",
    "slte": "slte", "ugte": "ugte", "sll": "sll", "srl": "srl", "sra": "sra",
    "concat": "concat", "implies": "implies",
}


def syntax_check(lib, libc, path):
    vp = ctypes.c_void_p
    p = vp(lib.btor2parser_new())
    f = vp(libc.fopen(path.encode(), b"r"))
    if not f:
        return f"cannot open {path}"
    ok = lib.btor2parser_read_lines(p, f)
    libc.fclose(f)
    if not ok:
        return lib.btor2parser_error(p).decode()
    return None


def set_opt(lib, mc, name, value):
    """Set a BtorMC option by its long name (the enum's numbering is not public)."""
    lib.boolector_mc_get_opt_lng.restype = ctypes.c_char_p
    for i in range(32):
        if not lib.boolector_mc_is_valid_opt(mc, i):
            break
        if lib.boolector_mc_get_opt_lng(mc, i) == name.encode():
            lib.boolector_mc_set_opt(mc, i, value)
            return
    raise SystemExit(f"btor2mc.py: BtorMC has no option {name}")


def check(lib, lines, target, depth):
    """First bound at which `target` (a bad symbol or cover:NAME) is reached."""
    vp = ctypes.c_void_p
    mc = vp(lib.boolector_mc_new())
    btor = vp(lib.boolector_mc_get_btor(mc))
    set_opt(lib, mc, "trace-gen", 0)  # witnesses would go to stdout
    sorts, nodes = {}, {}
    found = False
    for toks in lines:
        i, tag, a = int(toks[0]), toks[1], toks[2:]
        n = lambda k: nodes[int(a[k])]  # noqa: E731
        if tag == "sort":
            sorts[i] = vp(lib.boolector_bitvec_sort(btor, int(a[1])))
        elif tag in ("input", "state"):
            fn = lib.boolector_mc_input if tag == "input" else lib.boolector_mc_state
            nodes[i] = vp(fn(mc, sorts[int(a[0])], (a[1] if len(a) > 1 else f"n{i}").encode()))
        elif tag == "init":
            lib.boolector_mc_init(mc, n(1), n(2))
        elif tag == "next":
            lib.boolector_mc_next(mc, n(1), n(2))
        elif tag == "const":
            nodes[i] = vp(lib.boolector_const(btor, a[1].encode()))
        elif tag == "zero":
            nodes[i] = vp(lib.boolector_zero(btor, sorts[int(a[0])]))
        elif tag in UNARY:
            nodes[i] = vp(getattr(lib, "boolector_" + UNARY[tag])(btor, n(1)))
        elif tag in BINARY:
            nodes[i] = vp(getattr(lib, "boolector_" + BINARY[tag])(btor, n(1), n(2)))
        elif tag == "ite":
            nodes[i] = vp(lib.boolector_cond(btor, n(1), n(2), n(3)))
        elif tag == "slice":
            nodes[i] = vp(lib.boolector_slice(btor, n(1), ctypes.c_uint32(int(a[2])), ctypes.c_uint32(int(a[3]))))
        elif tag in ("uext", "sext"):
            fn = lib.boolector_uext if tag == "uext" else lib.boolector_sext
            nodes[i] = vp(fn(btor, n(1), ctypes.c_uint32(int(a[2]))))
        elif tag == "constraint":
            lib.boolector_mc_constraint(mc, n(0))
        elif tag == "bad":
            if len(a) > 1 and a[1] == target:
                lib.boolector_mc_bad(mc, n(0))
                found = True
        elif tag == "output":
            if len(a) > 1 and a[1] == target:
                lib.boolector_mc_bad(mc, n(0))
                found = True
        else:
            raise SystemExit(f"btor2mc.py: unsupported BTOR2 tag `{tag}` (line id {i})")
    if not found:
        raise SystemExit(f"btor2mc.py: no target {target}")
    k = lib.boolector_mc_bmc(mc, 0, depth)
    lib.boolector_mc_delete(mc)
    return k


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, depth = sys.argv[1], int(sys.argv[2])
    loaded = load_lib()
    if loaded is None:
        print("btor2mc.py: pyboolector is not installed (pip install pyboolector)", file=sys.stderr)
        return 77
    lib, libc = loaded
    err = syntax_check(lib, libc, path)
    if err:
        print(f"btor2mc.py: {path}: {err}", file=sys.stderr)
        return 2
    lines = []
    targets = []
    with open(path) as f:
        for line in f:
            line = line.split(";", 1)[0].strip()
            if not line:
                continue
            toks = line.split()
            lines.append(toks)
            if toks[1] in ("bad", "output") and len(toks) > 3:
                targets.append(toks[3])
    out = {}
    for t in targets:
        k = check(lib, lines, t, depth)
        out[t[len("cover:"):] if t.startswith("cover:") else t] = k
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
