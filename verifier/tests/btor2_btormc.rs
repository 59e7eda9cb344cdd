//! `--emit-btor2` checked by an independent model checker: Boolector's
//! BtorMC engine (through `tests/btor2mc.py`, since Debian's boolector
//! 1.5.118 ships no `btormc`; the engine comes from the `pyboolector` wheel).
//! For every regression design, the first bound at which BtorMC reaches each
//! assertion's `bad` / each cover must be the depth `verify --bmc --cover`
//! reports (fail / covered), and "not reached" must be a bounded pass /
//! not-covered. Skipped, loudly, when python3 or pyboolector is missing.

mod common;

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

#[derive(Deserialize)]
struct Report {
    properties: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    status: String,
    depth: Option<u32>,
    #[serde(default)]
    liveness: bool,
}

/// At most this deep, and no deeper than the design's `[jobs] bmc` depth
/// (manifests keep that modest where deep unrolling is slow).
const DEPTH: u32 = 20;

fn depth(m: &common::Manifest) -> u32 {
    m.jobs.bmc.get().map_or(DEPTH, |b| b.depth.min(DEPTH))
}

fn btormc_available() -> bool {
    Command::new("python3")
        .args(["-c", "import pyboolector"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn btormc_agrees_with_bmc_on_every_regression_design() {
    if !btormc_available() {
        eprintln!(
            "\n*** SKIPPED btormc_agrees_with_bmc_on_every_regression_design: python3 with \
             pyboolector is needed (pip install pyboolector) ***\n"
        );
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/btor2mc.py");
    let out = std::env::temp_dir().join(format!("verify-btor2-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let mut problems = Vec::new();
    let mut compared = 0;
    for (dir, m) in &common::manifests() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let json = out.join(format!("{name}.json"));
        let btor = out.join(format!("{name}.btor2"));
        let depth = depth(m);
        let o = Command::new(env!("CARGO_BIN_EXE_verify"))
            .args(["--bmc", "--cover", "--depth", &depth.to_string()])
            .arg("--json")
            .arg(&json)
            .arg("--emit-btor2")
            .arg(&btor)
            .arg("--out")
            .arg(out.join(&name))
            .args(common::verify_args(dir, m))
            .current_dir(dir)
            .output()
            .unwrap();
        if o.status.code() == Some(2) || !json.exists() || !btor.exists() {
            problems.push(format!(
                "{name}: verify failed: {}",
                String::from_utf8_lossy(&o.stderr)
            ));
            continue;
        }
        let rep: Report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        let mc = Command::new("python3")
            .arg(&script)
            .arg(&btor)
            .arg(depth.to_string())
            .output()
            .unwrap();
        if !mc.status.success() {
            problems.push(format!(
                "{name}: btor2mc.py failed: {}",
                String::from_utf8_lossy(&mc.stderr)
            ));
            continue;
        }
        let theirs: BTreeMap<String, i64> = serde_json::from_slice(&mc.stdout).unwrap();
        for e in &rep.properties {
            if e.liveness {
                // Not in the BTOR2 model (safety only); checked by
                // verify's lasso search alone.
                continue;
            }
            let Some(k) = theirs.get(&e.name) else {
                problems.push(format!("{name}: {} missing from the BTOR2 file", e.name));
                continue;
            };
            let ours: i64 = match e.status.as_str() {
                "fail" | "covered" => i64::from(e.depth.unwrap()),
                _ => -1,
            };
            if ours != *k {
                problems.push(format!(
                    "{name}: {}: verify says {} at {:?}, BtorMC reaches it at {k}",
                    e.name, e.status, e.depth
                ));
            }
            compared += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    assert!(
        problems.is_empty(),
        "{} disagreements:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(compared >= 60, "only {compared} properties compared");
}
