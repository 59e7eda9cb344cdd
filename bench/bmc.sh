#!/usr/bin/env bash
# BMC speed: yosys-smtbmc with Z3 (Debian's Yosys 0.23 and Z3 4.8.12,
# SymbiYosys flow) against `verify --bmc` (release build) on the regression
# designs, same depth, same assertions, same reset, one run. Prints a
# Markdown table (docs/formal.md "Speed against yosys-smtbmc") with both tools' failure depths
# and the wall-clock medians; details in bench/bmc/bench.py.
# Usage: bench/bmc.sh [WORKDIR] [DESIGN...]
# Knobs (environment): DEPTH (20), RUNS (5), YOSYS_FLAGS (--presat),
#   LIMIT (120 s per run; a slower yosys-smtbmc run is reported as "> LIMIT"),
#   MEM_KB (Z3's memory cap, 4e6), THREADS1 (1: also time verify on one
#   thread), VERIFY (binary to time; default: a release build).
# Needs yosys, yosys-smtbmc, z3, hyperfine, python3 >= 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
shift || true
mkdir -p "$work"
if [[ -z "${VERIFY:-}" ]]; then
  cargo build --release --bin verify -q
  VERIFY=${CARGO_TARGET_DIR:-target}/release/verify
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "tools: $(yosys -V), $(z3 --version), $(hyperfine --version)" >&2
python3 bench/bmc/bench.py "$VERIFY" "$work" "$@"
