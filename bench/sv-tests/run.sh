#!/usr/bin/env bash
# sv-tests conformance: `verify --lint` on every test of sv-tests' tests/
# folder that needs no UVM, against each test's expected outcome (accept, or
# refuse for `:should_fail_because:` tests). Prints the per-chapter table and
# writes it, with the refusal reasons grouped by construct, to
# bench/sv-tests/results/summary.md (numbers and our own messages only).
#
# Usage: bench/sv-tests/run.sh [SV_TESTS_CHECKOUT]
#   The checkout is the argument, else $SV_TESTS, else a clone of
#   https://github.com/chipsalliance/sv-tests at the pinned commit below in
#   ${XDG_CACHE_HOME:-~/.cache}/verify/sv-tests (needs network the first time).
# Knobs (environment): VERIFY (binary; default: a dev build in target/debug),
#   JOBS (parallel runs, default: nproc), TIMEOUT (seconds per test, default 10),
#   OUT (results file, default bench/sv-tests/results/summary.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pin=c4229f3bd5220e6d3ba8f390e5d09c87e462e9c7
src=${1:-${SV_TESTS:-}}
if [[ -z "$src" ]]; then
  src=${XDG_CACHE_HOME:-$HOME/.cache}/verify/sv-tests
  if [[ ! -d "$src/tests" ]]; then
    echo "cloning sv-tests at $pin into $src (needs network)" >&2
    mkdir -p "$src"
    git -C "$src" init -q
    git -C "$src" fetch -q --depth 1 https://github.com/chipsalliance/sv-tests "$pin"
    git -C "$src" checkout -q FETCH_HEAD
  fi
fi
[[ -d "$src/tests" ]] || { echo "no tests/ folder in $src" >&2; exit 2; }
if [[ -z "${VERIFY:-}" ]]; then
  (cd "$root" && cargo build -q --workspace --bins)
  VERIFY=${CARGO_TARGET_DIR:-$root/target}/debug/verify
fi
rev=$(git -C "$src" rev-parse HEAD 2>/dev/null || echo unknown)
python3 "$here/svtests.py" --verify "$VERIFY" --tests "$src/tests" \
  --jobs "${JOBS:-$(nproc)}" --timeout "${TIMEOUT:-10}" --revision "$rev" \
  --out "${OUT:-$here/results/summary.md}" --json "${JSON:-$here/results/last_run.json}"
