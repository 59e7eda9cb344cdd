//! Every regression design's `[expect]` results, checked through the
//! `verify` binary's formal engine: `--bmc --prove --cover`, JSON report,
//! each property's status as the manifest says ("pass" is met by a bounded
//! pass or a proof). A trace the simulator does not confirm makes the run
//! exit 2, so this also checks that every trace replays.

mod common;

use serde::Deserialize;
use std::process::Command;

#[derive(Deserialize)]
struct Report {
    properties: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    status: String,
}

const DEPTH: &str = "20";

/// Covers that need more cycles than DEPTH: a bounded check reports them
/// `unknown`, which is the honest answer at that depth.
const DEEPER_THAN_DEPTH: [(&str, &str); 2] = [
    (
        "gray_counter.u_core.c_top",
        "the counter reaches its top value after 255 cycles",
    ),
    (
        "uart_tx.c_done",
        "a whole frame is 10 bits of CLKS_PER_BIT cycles each",
    ),
];

#[test]
fn formal_results_match_every_manifest() {
    let out = std::env::temp_dir().join(format!("verify-expect-{}", std::process::id()));
    let mut problems = Vec::new();
    let mut checked = 0;
    for (dir, m) in &common::manifests() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let json = out.join(format!("{name}.json"));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_verify"));
        cmd.args([
            "--bmc",
            "--prove",
            "--cover",
            "--depth",
            DEPTH,
            "--timeout",
            "120",
        ]);
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
        let want_fail = m.expect.values().any(|v| v == "fail");
        if want_fail != (o.status.code() == Some(1)) {
            problems.push(format!(
                "{name}: exit status {:?}, expected {}",
                o.status.code(),
                if want_fail { 1 } else { 0 }
            ));
        }
        for (prop, want) in &m.expect {
            let got = rep
                .properties
                .iter()
                .find(|e| &e.name == prop)
                .map(|e| e.status.as_str())
                .unwrap_or("missing");
            let ok = got == want || (want == "pass" && got == "proven");
            // A cover deeper than DEPTH is reported unknown, honestly.
            let deep_cover = want == "covered"
                && got == "unknown"
                && DEEPER_THAN_DEPTH.iter().any(|(p, _)| p == prop);
            if !ok && !deep_cover {
                problems.push(format!("{name}: {prop}: expected {want}, got {got}"));
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
