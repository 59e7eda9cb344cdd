#!/usr/bin/env bash
# Simulation speed: `verify --sim` (release) against Verilator
# (--cc --exe --build -O3, single thread) and Icarus, on the same designs and
# the same stimulus (bench/sim/harness.py), one seed and many seeds on one
# core, plus start-up / build times. Prints a Markdown table (docs/simulator.md).
# Usage: bench/sim.sh [WORKDIR]
# Knobs (environment): CYCLES (2e6), ICARUS_CYCLES (5e4), SEEDS (64),
#   SEED_CYCLES (5e4), RUNS (3), BIG_LINES (5000), VERIFY (binary to time;
#   default: a release build in target/release), PUBLIC (1: also the public
#   designs below, fetched at pinned commits (bench/public.sh: CACHE,
#   WBUART32_URL, PICORV32_URL); 0: only ours), DESIGNS (names to run,
#   default all).
# Public designs are third-party code under their own licences, fetched at
# run time and never copied here; each runs under a small wrapper of ours in
# bench/sim/wrappers/ that turns the harness's random inputs into bus
# traffic (a random Wishbone master for wbuart32, a random-instruction
# memory for picorv32).
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
# shellcheck source=bench/public.sh
source bench/public.sh
# name|upstream|repository URL|commit|files (in the repository)|wrapper (ours)|licence
PUBLIC_DESIGNS=(
  "wbuart32 wbuart|ZipCPU/wbuart32|$WBUART32_URL|$WBUART32_COMMIT|rtl/wbuart.v rtl/ufifo.v rtl/rxuart.v rtl/txuart.v|bench/sim/wrappers/wbuart_bus.v|LICENSE"
  "picorv32|YosysHQ/picorv32|$PICORV32_URL|$PICORV32_COMMIT|picorv32.v|bench/sim/wrappers/picorv32_mem.v|COPYING"
)
# One line per public design for bench.py: name, top, files, where from.
: >"$work/public.tsv"
if [[ "${PUBLIC:-1}" == 1 ]]; then
  for p in "${PUBLIC_DESIGNS[@]}"; do
    IFS='|' read -r n up url commit files wrapper licence <<<"$p"
    dir=$(fetch "$url" "$commit")
    [[ -f "$dir/$licence" ]] || { echo "$n: no licence file $licence" >&2; exit 2; }
    paths="$PWD/$wrapper"; for f in $files; do paths+=" $dir/$f"; done
    top=$(basename "$wrapper" .v)
    printf '%s\t%s\t%s\t%s\n' "$n" "$top" "$paths" \
      "public: $up at ${commit:0:12} ($files; $licence), our wrapper $wrapper" >>"$work/public.tsv"
  done
fi
python3 bench/sim/bench.py "$VERIFY" "$work"
