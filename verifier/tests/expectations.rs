//! Every regression design's `[expect]` results, checked through the
//! `verify` binary's formal engine: `--bmc --prove --cover`, JSON report,
//! each property's status as the manifest says ("pass" is met by a bounded
//! pass or a proof). A trace the simulator does not confirm makes the run
//! exit 2, so this also checks that every trace replays.

mod common;

use serde::Deserialize;
use std::process::Command;
use verifier::manifest::{Engine, Status};

#[derive(Deserialize)]
struct Report {
    properties: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    status: String,
    depth: Option<u32>,
}

/// Each design is checked to its own `[jobs] bmc` depth (20 by default);
/// a manifest's `bmc = "..."` override says what the formal engine gives at
/// that depth (a cover deeper than it is honestly unknown).
fn depth(m: &common::Manifest) -> u32 {
    m.jobs.bmc.get().map(|b| b.depth).unwrap_or(20)
}

#[test]
fn formal_results_match_every_manifest() {
    let out = std::env::temp_dir().join(format!("verify-expect-{}", std::process::id()));
    let mut problems = Vec::new();
    let mut checked = 0;
    for (dir, m) in &common::manifests() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let json = out.join(format!("{name}.json"));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_verify"));
        cmd.args(["--bmc", "--cover", "--timeout", "120"]);
        // Induction unless the manifest's bmc job turns it off (a design no
        // engine proves at a useful depth: the bounded pass is the result).
        if m.jobs.bmc.get().is_none_or(|b| b.prove) {
            cmd.arg("--prove");
        }
        cmd.arg("--depth").arg(depth(m).to_string());
        cmd.arg("--json")
            .arg(&json)
            .arg("--out")
            .arg(out.join(&name));
        cmd.args(common::verify_args(dir, m));
        let o = cmd.current_dir(dir).output().unwrap();
        if o.status.code() == Some(2) || !json.exists() {
            problems.push(format!(
                "{name}: verify failed:\n{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ));
            continue;
        }
        let rep: Report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        let want_fail = m
            .expect
            .values()
            .any(|v| v.for_engine(Engine::Bmc) == Status::Fail);
        if want_fail != (o.status.code() == Some(1)) {
            problems.push(format!(
                "{name}: exit status {:?}, expected {}",
                o.status.code(),
                if want_fail { 1 } else { 0 }
            ));
        }
        for (prop, e) in &m.expect {
            let want = e.for_engine(Engine::Bmc).word();
            let entry = rep.properties.iter().find(|x| &x.name == prop);
            let got = entry.map(|x| x.status.as_str()).unwrap_or("missing");
            // "pass" is a bounded pass or a proof; an induction that did not
            // close still states the bounded pass to the full depth.
            let bounded = got == "unknown" && entry.and_then(|x| x.depth) == Some(depth(m));
            let ok = got == want || (want == "pass" && (got == "proven" || bounded));
            // A depth in the manifest is the shortest trace's (fail, covered).
            let depth_ok = match (e.depth, want) {
                (Some(d), "fail" | "covered") => entry.and_then(|x| x.depth) == Some(d),
                _ => true,
            };
            if !ok || !depth_ok {
                let at = entry
                    .and_then(|x| x.depth)
                    .map(|d| format!("@{d}"))
                    .unwrap_or_default();
                problems.push(format!("{name}: {prop}: expected {e}, got {got}{at}"));
            }
            checked += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(checked >= 50, "only {checked} expectations checked");
}
