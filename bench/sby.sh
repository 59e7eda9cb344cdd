#!/usr/bin/env bash
# SymbiYosys projects two ways: `verify sby FILE TASK` against the
# open-source flow as sby drives it (the task's [script] in yosys, then
# write_smt2 and yosys-smtbmc with Z3 at the same depth: bmc = base case,
# prove = base case + induction (-i), cover = -c). Public projects are
# cloned at pinned commits (bench/sby/bench.py, PROJECTS); none of their
# code is kept in this repository. Prints per task both verdicts, both
# times and the ratio (smtbmc / verify).
# Usage: bench/sby.sh [WORKDIR] [PROJECT[/FILE.sby]...]
# Knobs (environment): VERIFY (binary; default: the release build,
#   target/release/verify, built first by `cargo build --release --bin
#   verify`: users install release builds, and the debug binary's front end
#   is several times slower),
#   LIMIT (seconds per run, 300), MIRROR (a folder of owner+name/repo git
#   directories to clone from instead of github.com).
# Needs git, yosys, yosys-smtbmc, z3, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
shift || true
mkdir -p "$work"
if [ -z "${VERIFY:-}" ]; then
    cargo build --release --bin verify >&2
    VERIFY=$PWD/target/release/verify
fi
echo "machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "tools: $(yosys -V), $(z3 --version); verify: $VERIFY" >&2
python3 bench/sby/bench.py "$VERIFY" "$work" "$@"
