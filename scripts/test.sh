#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit/integration/property tests,
# and the regression suite through the verify binary.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
