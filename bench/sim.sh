#!/usr/bin/env bash
# Simulation speed: `verify --sim` (release) against Verilator
# (--cc --exe --build -O3, single thread) and Icarus, on the same designs and
# the same stimulus (bench/sim/harness.py), one seed and many seeds on one
# core, plus start-up / build times. Prints a Markdown table (docs/simulator.md).
# Usage: bench/sim.sh [WORKDIR]
# Knobs (environment): CYCLES (2e6), ICARUS_CYCLES (5e4), SEEDS (64),
#   SEED_CYCLES (5e4), RUNS (3), BIG_LINES (5000), VERIFY (binary to time;
#   default: a release build in target/release).
# Needs hyperfine, verilator, iverilog, taskset, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
if [[ -z "${VERIFY:-}" ]]; then
  cargo build --release --bin verify -q
  VERIFY=${CARGO_TARGET_DIR:-target}/release/verify
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
python3 bench/sim/bench.py "$VERIFY" "$work"
