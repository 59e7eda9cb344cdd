"""verify sby against yosys + yosys-smtbmc (Z3) on public SymbiYosys projects.

For each project (a repository at a pinned commit) and each .sby file and
task: `verify sby FILE TASK` (its verdict and time), then the open-source
flow as sby runs it, driven here (there is no sby package on Debian 12):
the task's [script] in yosys in the task's src/ folder (the files verify
sby copied there), sby's model preparation, write_smt2, and yosys-smtbmc -s
z3 with the task's depth. The .sby file is read with sby's own rules
(tasks, tags, `task:` blocks, --pycode-- run with exec, as sby does).
"""

import os
import re
import signal
import subprocess
import sys
import time

PROJECTS = {
    # name: (repository, commit, [.sby files])
    "sby-examples": (
        "YosysHQ/sby",
        "f57802a16613f013e84e024df50fc3f0ea74f88b",
        [
            "docs/examples/quickstart/demo.sby",
            "docs/examples/quickstart/cover.sby",
            "docs/examples/quickstart/prove.sby",
            "docs/examples/quickstart/memory.sby",
            "docs/examples/fifo/fifo.sby",
        ],
    ),
    "wb2axip": (
        "ZipCPU/wb2axip",
        "df8e7649acf68544a152e39a4589c8e894a4cd0b",
        [
            "bench/formal/skidbuffer.sby",
            "bench/formal/sfifo.sby",
            "bench/formal/addrdecode.sby",
            "bench/formal/axilempty.sby",
            "bench/formal/easyaxil.sby",
        ],
    ),
}

LIMIT = float(os.environ.get("LIMIT", "300"))


def clone(work, repo, commit):
    dest = os.path.join(work, repo.replace("/", "+"))
    if os.path.isdir(os.path.join(dest, ".git")):
        return dest
    mirror = os.environ.get("MIRROR")
    url = (
        os.path.join(mirror, repo.replace("/", "+"), "repo")
        if mirror
        else f"https://github.com/{repo}.git"
    )
    subprocess.run(["git", "clone", "-q", "--no-checkout", url, dest], check=True)
    subprocess.run(["git", "-C", dest, "checkout", "-q", commit], check=True)
    return dest


def select(text, task):
    """sby's read_sbyconfig: the lines for `task`, the task list, the defaults."""
    out, tasklist, defaults = [], [], None
    tags_all, tags_active = [], set()
    in_tasks = skipping = skip_block = False
    queue = text.splitlines()
    pycode = None
    while queue:
        line = queue.pop(0).rstrip("\r")
        if pycode is not None:
            if line == "--pycode-end--":
                g = {"task": task, "tags": set(tags_active), "output_lines": []}
                exec("def output(line):\n  output_lines.append(line)\n" + pycode, g)
                queue[0:0] = list(g["output_lines"])
                pycode = None
            else:
                pycode += line + "\n"
            continue
        if line == "--pycode-begin--":
            pycode = ""
            continue
        if in_tasks and line.startswith("["):
            in_tasks = False
        if skipping and line.strip() == "--":
            skipping = skip_block = False
            continue
        if not in_tasks:
            skip_line = False
            for t in tags_all:
                if line.startswith(t + ":"):
                    line, m = line[len(t) + 1 :].lstrip(), t in tags_active
                elif line.startswith("~" + t + ":"):
                    line, m = line[len(t) + 2 :].lstrip(), t not in tags_active
                else:
                    continue
                if line.strip() == "":
                    skipping, skip_block, skip_line = True, not m, True
                else:
                    skip_line = not m
                break
            if skip_line or skip_block:
                continue
        if in_tasks:
            l = line.strip()
            if not l or l.startswith("#"):
                continue
            if ":" in l:
                lhs, rhs = l.split(":", 1)
                lhs, rhs = lhs.split(), rhs.split()
            else:
                w = l.split()
                lhs, rhs = w[:1], w[1:]
            for tag in rhs:
                if tag != "default" and tag not in tags_all:
                    tags_all.append(tag)
            for t in lhs:
                if t not in tasklist:
                    tasklist.append(t)
                if "default" in rhs:
                    defaults = (defaults or []) + [t]
                if t not in tags_all:
                    tags_all.append(t)
                if t == task:
                    tags_active.add(t)
                    tags_active.update(x for x in rhs if x != "default")
        elif line == "[tasks]":
            in_tasks = True
        else:
            out.append(line)
    return out, tasklist, defaults if defaults is not None else tasklist


def sections(lines):
    sec, cur = {}, None
    for l in lines:
        m = re.match(r"^\[(\w+)(.*)\]\s*$", l)
        if m:
            cur = m.group(1)
            sec.setdefault(cur, [])
            continue
        if cur and l.strip() and not l.strip().startswith("#"):
            sec[cur].append(l.strip())
    return sec


def run(cmd, cwd=None):
    # A session of its own, killed whole on timeout: yosys-smtbmc's z3
    # child outlived it otherwise and loaded the machine for later tasks.
    t0 = time.monotonic()
    p = subprocess.Popen(
        cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )
    try:
        out, _ = p.communicate(timeout=LIMIT)
        return p.returncode, out, time.monotonic() - t0
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return None, "", time.monotonic() - t0


def smtbmc_flow(srcdir, script, mode, depth):
    """The task through yosys + yosys-smtbmc; (verdict, seconds)."""
    ys = "\n".join(
        script
        + [
            # sby's model preparation for smtbmc (single clock).
            "hierarchy -smtcheck",
            "proc",
            "async2sync",
            "chformal -assume -early",
            "opt_clean",
            "setundef -anyseq",
            "opt -keepdc -fast",
            "check",
            "dffunmap",
            "write_smt2 -wires model.smt2",
        ]
    )
    with open(os.path.join(srcdir, "model.ys"), "w") as f:
        f.write(ys + "\n")
    t0 = time.monotonic()
    rc, log, _ = run(["yosys", "-q", "model.ys"], cwd=srcdir)
    if rc != 0:
        return "ERROR(yosys)", time.monotonic() - t0
    base = ["yosys-smtbmc", "-s", "z3", "--presat", "-t", str(depth)]
    if mode == "cover":
        rc, log, _ = run(base + ["-c", "model.smt2"], cwd=srcdir)
        v = "TIMEOUT" if rc is None else ("PASS" if rc == 0 else "FAIL")
        return v, time.monotonic() - t0
    if mode == "bmc":
        rc, log, _ = run(base + ["model.smt2"], cwd=srcdir)
        v = "TIMEOUT" if rc is None else ("PASS" if rc == 0 else "FAIL")
        return v, time.monotonic() - t0
    # prove: sby starts the base case and the induction step together and
    # stops the induction as soon as the base case fails.
    v = prove_parallel(
        [base + ["model.smt2"], base + ["-i", "model.smt2"]], srcdir
    )
    return v, time.monotonic() - t0


def prove_parallel(cmds, cwd):
    t0 = time.monotonic()
    procs = [
        subprocess.Popen(
            c, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for c in cmds
    ]
    try:
        while True:
            rcs = [p.poll() for p in procs]
            if rcs[0] is not None and rcs[0] != 0:
                return "FAIL"
            if rcs[0] == 0 and rcs[1] is not None:
                return "PASS" if rcs[1] == 0 else "UNKNOWN"
            if time.monotonic() - t0 > LIMIT:
                return "TIMEOUT"
            time.sleep(0.01)
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def main():
    verify, work = sys.argv[1], os.path.abspath(sys.argv[2])
    only = sys.argv[3:]
    print("| project | task | mode | depth | verify | time | yosys-smtbmc | time | ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, (repo, commit, files) in PROJECTS.items():
        if only and not any(o == name or o.startswith(name + "/") for o in only):
            continue
        root = clone(work, repo, commit)
        for sby in files:
            if only and name not in only and f"{name}/{os.path.basename(sby)}" not in only:
                continue
            path = os.path.join(root, sby)
            text = open(path).read()
            _, tasklist, defaults = select(text, None)
            for task in defaults or [None]:
                lines, _, _ = select(text, task)
                sec = sections(lines)
                opts = dict(
                    (l.split() + [""])[:2] for l in sec.get("options", [])
                )
                mode, depth = opts.get("mode", "?"), int(opts.get("depth", "20") or 20)
                cmd = [verify, "sby", path] + ([task] if task else [])
                rc, out, tv = run(cmd)
                m = re.search(r"DONE \((\w+), rc=", out)
                vv = "TIMEOUT" if rc is None else (m.group(1) if m else "ERROR")
                label = os.path.basename(path)[:-4] + (f"_{task}" if task else "")
                srcdir = os.path.join(os.path.dirname(path), label, "src")
                if os.path.isdir(srcdir) and mode in ("bmc", "prove", "cover"):
                    vs, ts = smtbmc_flow(srcdir, sec.get("script", []), mode, depth)
                else:
                    vs, ts = "-", 0.0
                ratio = f"{ts / tv:.1f}x" if tv > 0 and ts > 0 else "-"
                print(
                    f"| {name} | {label} | {mode} | {depth} | {vv} | {tv:.2f}s | {vs} | {ts:.2f}s | {ratio} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
