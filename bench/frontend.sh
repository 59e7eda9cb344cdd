#!/usr/bin/env bash
# Front-end speed: parse + elaborate a generated ~5,000-line design with a
# release build of verify (`verify --lint`), timed with hyperfine, beside
# Icarus and Verilator doing the same job (their own parse + elaboration).
# Usage: bench/frontend.sh [LINES]   (needs hyperfine, iverilog, verilator)
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-5000}
work=$(mktemp -d)
python3 bench/gen_big.py "$lines" > "$work/big.sv"
echo "design: $(wc -l < "$work/big.sv") lines"
cargo build --release --bin verify -q
verify=target/release/verify
"$verify" --lint "$work/big.sv"
hyperfine --warmup 1 --runs 5 --export-markdown "$work/frontend.md" \
  -n "verify --lint" "$verify --lint $work/big.sv" \
  -n "iverilog (parse+elaborate)" "iverilog -g2012 -o $work/big.vvp $work/big.sv" \
  -n "verilator --lint-only" "verilator --lint-only -Wno-fatal --top-module big_top $work/big.sv"
cat "$work/frontend.md"
rm -rf "$work"
