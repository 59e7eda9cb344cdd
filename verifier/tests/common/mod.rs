//! Regression manifests (`regressions/*/verify.toml`) as the verifier's
//! tests read them: the same reader `verify regress` uses.
#![allow(dead_code)]

use rtl::parse::ParseOptions;
use std::path::{Path, PathBuf};

pub use verifier::manifest::Manifest;

/// Every design folder with its manifest, sorted by name.
pub fn manifests() -> Vec<(PathBuf, Manifest)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../regressions");
    verifier::manifest::discover(&root)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|d| (d.dir, d.manifest))
        .collect()
}

/// The sources of a design as front-end options.
pub fn parse_options(dir: &Path, m: &Manifest) -> ParseOptions {
    m.parse_options(dir).expect("file list")
}

/// The same as `verify` command-line arguments.
pub fn verify_args(dir: &Path, m: &Manifest) -> Vec<String> {
    m.verify_args(dir)
}
