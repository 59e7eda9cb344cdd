#!/usr/bin/env bash
# Coverage closure: on the closure benchmark designs (regressions/closure_*:
# magic compare, lock sequence, deep counter, FIFO full-and-wrap, unreachable
# points, a planted assertion bug, an in-order receiver) run `verify --closure` with each engine set -- uniform random
# simulation, learned-guided simulation, formal alone, and all side by side
# -- and compare closure over time and over simulated cycles. Prints a
# Markdown table (docs/closure.md) and writes one SVG per design with the four curves.
# Usage: bench/closure.sh [WORKDIR]
# Knobs (environment): BUDGET (seconds per run, 20), SEEDS (seeds to run,
#   "1"; with several, the tables give medians over them), VERIFY (binary;
#   default: a release build in target/release), ENGINES (engine sets to run,
#   "random learned formal all"; the learned generator's ablation arms are
#   uniform, dict and mlp, e.g. ENGINES="random uniform dict mlp learned"),
#   DESIGNS (design folder names, default every regressions/closure_*),
#   CYCLES (a budget of simulated cycles instead of BUDGET seconds: exact,
#   the same result on a loaded machine for the simulation-only sets).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
if [[ -z "${VERIFY:-}" ]]; then
  cargo build --release --bin verify -q
  VERIFY=${CARGO_TARGET_DIR:-target}/release/verify
fi
BUDGET=${BUDGET:-20}
ENGINES=${ENGINES:-random learned formal all}
SEEDS=${SEEDS:-${SEED:-1}}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
if [[ -n "${DESIGNS:-}" ]]; then
  dirs=(); for n in $DESIGNS; do dirs+=("regressions/$n/"); done
else
  dirs=(regressions/closure_*/)
fi
for d in "${dirs[@]}"; do
  name=$(basename "$d")
  for seed in $SEEDS; do
    # Engine sets interleaved per seed, so a change in the machine's load
    # hits them alike.
    for engines in $ENGINES; do
      echo "$name: $engines, seed $seed" >&2
      if [[ -n "${CYCLES:-}" ]]; then limit=(--cycles "$CYCLES"); else limit=(--budget "$BUDGET"); fi
      "$VERIFY" --closure "$d/$name.sv" --engines "$engines" "${limit[@]}" \
        --seed "$seed" --json "$work/$name.$engines.s$seed.json" \
        --out "$work/out.$name.$engines.s$seed" >"$work/$name.$engines.s$seed.txt" 2>&1 || true
    done
  done
done
python3 bench/closure/summary.py "$work"
