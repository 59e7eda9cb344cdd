#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit/integration/property tests,
# and the regression suite through the verify binary.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
# The regression suite through the verify binary: every manifest's jobs,
# judged against its expected results (exit 0 only if all are as expected).
# `cargo test --workspace` built the binary with the workspace's features;
# `cargo run -p verifier` would resolve features anew and rebuild sv-parser.
"${CARGO_TARGET_DIR:-target}/debug/verify" regress regressions --junit verify_out/regress/junit.xml
