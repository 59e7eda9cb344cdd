//! Regression manifests (`regressions/*/verify.toml`) as the verifier's
//! tests read them.
#![allow(dead_code)]

use rtl::parse::ParseOptions;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
pub struct Manifest {
    pub top: String,
    #[serde(default)]
    pub files: Vec<String>,
    pub file_list: Option<String>,
    #[serde(default)]
    pub include_dirs: Vec<String>,
    #[serde(default)]
    pub defines: BTreeMap<String, String>,
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    #[serde(default = "yes")]
    pub icarus: bool,
    pub reset: Option<String>,
    #[serde(default)]
    pub expect: BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}

/// Every design folder with its manifest, sorted by name.
pub fn manifests() -> Vec<(PathBuf, Manifest)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../regressions");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("regressions/ exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("verify.toml").exists())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|d| {
            let text = std::fs::read_to_string(d.join("verify.toml")).unwrap();
            let m: Manifest =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
            (d, m)
        })
        .collect()
}

/// The sources of a design as front-end options.
pub fn parse_options(dir: &Path, m: &Manifest) -> ParseOptions {
    let mut p = ParseOptions {
        files: m.files.iter().map(|f| dir.join(f)).collect(),
        include_dirs: m.include_dirs.iter().map(|f| dir.join(f)).collect(),
        defines: m
            .defines
            .iter()
            .map(|(k, v)| (k.clone(), Some(v.clone())))
            .collect(),
        undefines: vec![],
    };
    if let Some(fl) = &m.file_list {
        rtl::parse::read_file_list_relative(&dir.join(fl), &mut p).expect("file list");
    }
    p
}

/// The same as `verify` command-line arguments.
pub fn verify_args(dir: &Path, m: &Manifest) -> Vec<String> {
    let mut a = vec!["--top".to_string(), m.top.clone()];
    if let Some(fl) = &m.file_list {
        a.push("-F".into());
        a.push(dir.join(fl).display().to_string());
    }
    a.extend(m.files.iter().map(|f| dir.join(f).display().to_string()));
    for i in &m.include_dirs {
        a.push("-I".into());
        a.push(dir.join(i).display().to_string());
    }
    for (k, v) in &m.defines {
        a.push("-D".into());
        a.push(format!("{k}={v}"));
    }
    for (k, v) in &m.params {
        a.push("-G".into());
        a.push(format!("{k}={v}"));
    }
    if let Some(r) = &m.reset {
        a.push("--reset".into());
        a.push(r.clone());
    }
    a
}
