#!/usr/bin/env python3
"""Run `verify --lint` over sv-tests' tests/ folder and summarise the outcome.

Each test's header is read the way sv-tests' own tools/runner reads it
(`:key: value` lines); a test expects acceptance, or refusal when it has
`:should_fail_because:` (or `:should_fail: 1`). Tests that need UVM are
skipped. Outcomes: agree, wrongly accepted (a should-fail test we accept),
refused (a valid test we refuse), crash (a signal or an exit status other
than 0/2, e.g. a panic's 101) and hang (over the timeout). A refusal must
name file:line:col; refusals that do not are listed. Tests of `:type:
simulation` that elaborate are then run with `verify --sim` (100 cycles):
a should-fail one agrees if an assertion fails, a valid one whose run fails
an assertion is counted as "sim-failed" (a wrong verdict).

Only numbers, test names and verify's own messages go into the summary.
"""
import argparse
import collections
import concurrent.futures
import json
import os
import re
import subprocess
import tempfile
import sys

HEADER = re.compile(r"^:([a-zA-Z_-]+):\s*(.+)")
LOCATED = re.compile(r"┌─ [^\n]*:\d+:\d+")
# The chapters the headline total is taken over (the synthesis-relevant part
# of IEEE 1800 that a verification front end must read).
# (with or without its diagnostic code, `error[E0303]:`)
NO_MODULE = re.compile(r"error(\[E\d+\])?: no module found in the sources")
CORE = {"5", "6", "7", "8", "9", "10", "11", "12", "13", "16", "20", "22", "23"}


def header(path):
    params = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = HEADER.match(line)
            if m:
                params[m.group(1).lower()] = m.group(2).strip()
    return params


def needs_uvm(path, params):
    tags = params.get("tags", "").split()
    if any(t.startswith("uvm") for t in tags):
        return True
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    return re.search(r"\buvm_pkg\b|`uvm_|\bextends\s+uvm_", text) is not None


def chapter(rel):
    first = rel.split(os.sep)[0]
    return first[len("chapter-"):] if first.startswith("chapter-") else first


def collect(tests):
    found = []
    for dirpath, dirs, files in os.walk(tests):
        dirs.sort()
        for name in sorted(files):
            if os.path.splitext(name)[1] not in (".sv", ".v"):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, tests)
            if rel.split(os.sep)[0] == "uvm":
                continue
            params = header(path)
            if not params:  # an include file of another test, not a test
                continue
            found.append((rel, path, params))
    return found


def command(verify, tests, path, params):
    base = os.path.dirname(tests)
    cmd = [verify, "--lint", "--color", "never"]
    for d in params.get("incdirs", os.path.dirname(path)).split():
        cmd.append("-I" + (d if os.path.isabs(d) else os.path.join(base, d)))
    for d in params.get("defines", "").split():
        cmd.append("-D" + d)
    if params.get("top_module"):
        cmd += ["--top", params["top_module"]]
    files = params.get("files")
    if files:
        cmd += [f if os.path.isabs(f) else os.path.join(base, f) for f in files.split()]
    else:
        cmd.append(path)
    return cmd


def run_one(verify, tests, timeout, item):
    rel, path, params = item
    should_fail = bool(params.get("should_fail_because")) or params.get("should_fail") == "1"
    cmd = command(verify, tests, path, params)
    kinds = params.get("type", "parsing elaboration").split()
    preprocessing_only = not should_fail and kinds == ["preprocessing"]
    try:
        p = subprocess.run(cmd, cwd=os.path.dirname(path), capture_output=True,
                           timeout=timeout, text=True, errors="replace")
        code, out = p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        code, out = None, ""
    # `:type: simulation` tests that elaborate are also run (verify --sim,
    # 100 cycles, one seed): a should-fail one must fail an assertion
    # (exit 1), a valid one must not. Assertion failures are the point of
    # several of them (16.10 `-fail`: the property expects +3, the pipeline
    # adds 4); lint alone would call them accepted.
    sim_failed = None
    if code == 0 and "simulation" in kinds:
        with tempfile.TemporaryDirectory() as tmp:
            sim = [cmd[0], "--sim", "--cycles", "100", "--seeds", "1", "--out", tmp] + cmd[2:]
            try:
                q = subprocess.run(sim, cwd=os.path.dirname(path), capture_output=True,
                                   timeout=timeout, text=True, errors="replace")
                scode, sout = q.returncode, q.stdout + q.stderr
            except subprocess.TimeoutExpired:
                scode, sout = None, ""
        if scode is None:
            code = None
        elif scode not in (0, 1, 2, 3):
            code, out = scode, sout
        elif scode == 1:
            sim_failed = True
        elif scode == 2:
            # Refused only by the simulator (e.g. no clock to run on): the
            # lint verdict stands.
            sim_failed = False
        else:
            sim_failed = False
    if code is None:
        outcome = "hang"
    elif code not in (0, 2):
        outcome = "crash"
    elif sim_failed is not None:
        outcome = "agree" if sim_failed == should_fail else (
            "accepted" if should_fail else "sim-failed")
    elif (code == 2) == should_fail:
        outcome = "agree"
    elif preprocessing_only and NO_MODULE.search(out):
        # A test of the preprocessor alone (sv-tests runs Verilator with -E
        # on these): verify has no preprocess-only mode, and this refusal
        # comes after the preprocessor and the parser accepted every file.
        outcome = "agree"
    else:
        outcome = "accepted" if should_fail else "refused"
    reason = None
    located = True
    if code == 2:
        first = next((l for l in out.splitlines() if l.startswith("error")), out.strip()[:200])
        reason = first
        located = LOCATED.search(out) is not None
    return {
        "test": rel.replace(os.sep, "/"), "chapter": chapter(rel), "should_fail": should_fail,
        "exit": code, "outcome": outcome, "reason": reason, "located": located,
        "crash_text": out.strip().splitlines()[-1][:200] if outcome == "crash" and out.strip() else None,
    }


def construct(reason):
    """A refusal message without its names and numbers, to group by."""
    r = re.sub(r"^error(\[\w+\])?:\s*", "", reason)
    # Names of the test's own variables and modules go; construct names
    # (`fork ... join`, `$fopen`) stay.
    if not re.match(r"unsupported (construct|system)", r):
        r = re.sub(r"`[A-Za-z_][\w.]*`", "`_`", r)
    r = re.sub(r"the top \([^)]*\)", "the top (_)", r)
    r = re.sub(r"\b\d+\b", "N", r)
    return r.strip()


def table(results):
    rows = collections.OrderedDict()
    def key(c):
        return (0, int(c)) if c.isdigit() else (1, c)
    for c in sorted({r["chapter"] for r in results}, key=key):
        rows[c] = collections.Counter(r["outcome"] for r in results if r["chapter"] == c)
    lines = ["| chapter | tests | agree | refused (valid) | accepted (should fail) | sim fails (valid) | crash | hang |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    def line(name, cnt):
        n = sum(cnt.values())
        pct = f" ({100.0 * cnt['agree'] / n:.1f}%)" if n else ""
        return (f"| {name} | {n} | {cnt['agree']}{pct} | {cnt['refused']} | {cnt['accepted']} "
                f"| {cnt['sim-failed']} | {cnt['crash']} | {cnt['hang']} |")
    core, every = collections.Counter(), collections.Counter()
    for c, cnt in rows.items():
        lines.append(line(c, cnt))
        every.update(cnt)
        if c in CORE:
            core.update(cnt)
    lines.append(line("**total, chapters 5-13, 16, 20, 22, 23**", core))
    lines.append(line("**total, all non-UVM tests**", every))
    return lines, core, every


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--verify", required=True)
    ap.add_argument("--tests", required=True)
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--timeout", type=float, default=10)
    ap.add_argument("--revision", default="unknown")
    ap.add_argument("--out", required=True)
    ap.add_argument("--json")
    args = ap.parse_args()
    tests = os.path.abspath(args.tests)
    verify = os.path.abspath(args.verify)

    items = collect(tests)
    skipped = [i for i in items if needs_uvm(i[1], i[2])]
    items = [i for i in items if not needs_uvm(i[1], i[2])]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda i: run_one(verify, tests, args.timeout, i), items))

    lines, core, every = table(results)
    out = [f"# sv-tests conformance of `verify --lint` (and `--sim` on simulation tests)", "",
           f"sv-tests revision {args.revision}; {len(results)} tests run, "
           f"{len(skipped)} skipped (need UVM); timeout {args.timeout:g} s.", ""]
    out += lines
    reasons = collections.Counter()
    examples = collections.defaultdict(list)
    for r in results:
        if r["outcome"] == "refused":
            k = construct(r["reason"])
            reasons[k] += 1
            if len(examples[k]) < 3:
                examples[k].append(r["test"])
    out += ["", "## Why valid tests are refused (grouped by message)", "",
            "| tests | message | e.g. |", "| ---: | --- | --- |"]
    for k, n in reasons.most_common():
        out.append(f"| {n} | {k.replace('|', '/')} | {', '.join(examples[k])} |")
    simfail = [r["test"] for r in results if r["outcome"] == "sim-failed"]
    out += ["", f"## Valid simulation tests whose run fails an assertion ({len(simfail)})", ""]
    out += [f"- {t}" for t in sorted(simfail)]
    wrong = [r["test"] for r in results if r["outcome"] == "accepted"]
    out += ["", f"## Should-fail tests accepted ({len(wrong)})", ""] + [f"- {t}" for t in wrong]
    bad = [r for r in results if r["outcome"] in ("crash", "hang")]
    out += ["", f"## Crashes and hangs ({len(bad)})", ""]
    out += [f"- {r['test']}: {r['outcome']} (exit {r['exit']}) {r['crash_text'] or ''}" for r in bad]
    unloc = collections.Counter(construct(r["reason"]) for r in results
                                if r["reason"] and not r["located"])
    out += ["", f"## Refusals without file:line:col ({sum(unloc.values())})", ""]
    out += [f"- {n} x {k}" for k, n in unloc.most_common()]
    text = "\n".join(out) + "\n"
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=0)
    print("\n".join(lines))
    print(f"\nwritten: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
