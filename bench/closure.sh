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
#   the same result on a loaded machine for the simulation-only sets),
#   PUBLIC (1: also the public designs below, fetched at pinned commits into
#   CACHE, default ~/.cache/verify-bench; 0: only ours), WBUART32_URL (where
#   to fetch wbuart32 from, default https://github.com/ZipCPU/wbuart32).
# Public designs are third-party code under their own licences (wbuart32:
# GPL-3.0, its LICENSE is fetched beside it): they are fetched at run time,
# never copied into this repository.
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
# name|repository|commit|files (space-separated, in the repository)|top|licence
# shellcheck source=bench/public.sh
source bench/public.sh
PUBLIC_DESIGNS=(
  "wbuart32_txuart|$WBUART32_URL|$WBUART32_COMMIT|rtl/txuart.v|txuart|LICENSE"
)
# Each run: name|files|extra flags; where each public design comes from.
runs=()
sources=()
wanted() { [[ -z "${DESIGNS:-}" ]] || [[ " $DESIGNS " == *" $1 "* ]]; }
for d in regressions/closure_*/; do
  n=$(basename "$d")
  if wanted "$n"; then runs+=("$n|$d$n.sv|"); fi
done
if [[ -n "${DESIGNS:-}" ]]; then
  for n in $DESIGNS; do
    if [[ -d "regressions/$n" && "$n" != closure_* ]]; then
      runs+=("$n|$(ls regressions/"$n"/*.sv | tr '\n' ' ')|")
    fi
  done
fi
if [[ "${PUBLIC:-1}" == 1 ]]; then
  for p in "${PUBLIC_DESIGNS[@]}"; do
    IFS='|' read -r n url commit files top licence <<<"$p"
    wanted "$n" || continue
    dir=$(fetch "$url" "$commit")
    [[ -f "$dir/$licence" ]] || { echo "$n: no licence file $licence" >&2; exit 2; }
    echo "$n: $url at $commit ($licence), public design" >&2
    paths=""; for f in $files; do paths+="$dir/$f "; done
    runs+=("$n|$paths|--top $top")
    sources+=("$n	public: $url at $commit ($files, licence: $licence)")
  done
fi
: >"$work/sources.tsv"
for r in "${runs[@]}"; do
  n=${r%%|*}
  src="ours: regressions/$n"
  for x in "${sources[@]}"; do [[ "${x%%	*}" == "$n" ]] && src=${x#*	}; done
  printf '%s\t%s\n' "$n" "$src" >>"$work/sources.tsv"
done
for r in "${runs[@]}"; do
  IFS='|' read -r name files extra <<<"$r"
  for seed in $SEEDS; do
    # Engine sets interleaved per seed, so a change in the machine's load
    # hits them alike.
    for engines in $ENGINES; do
      echo "$name: $engines, seed $seed" >&2
      if [[ -n "${CYCLES:-}" ]]; then limit=(--cycles "$CYCLES"); else limit=(--budget "$BUDGET"); fi
      # shellcheck disable=SC2086 # files and flags are word lists
      "$VERIFY" --closure $files $extra --engines "$engines" "${limit[@]}" \
        --seed "$seed" --json "$work/$name.$engines.s$seed.json" \
        --out "$work/out.$name.$engines.s$seed" >"$work/$name.$engines.s$seed.txt" 2>&1 || true
    done
  done
done
python3 bench/closure/summary.py "$work"
