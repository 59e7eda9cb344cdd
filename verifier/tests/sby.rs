//! `verify sby` and `verify --mode`: SymbiYosys projects run unchanged.
//! The project under test is regressions/sby_joint (its own .sby).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn verify(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verify"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run verify")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A fresh copy of regressions/sby_joint plus `extra` files, in a folder
/// of its own (the task folders are written next to the .sby file).
fn project(tag: &str, extra: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("verify-sby-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../regressions/sby_joint");
    for f in ["sby_joint.sv", "sby_joint.sby"] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    for (name, body) in extra {
        std::fs::write(dir.join(name), body).unwrap();
    }
    dir
}

fn line_of<'a>(out: &'a str, prefix: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with `{prefix}` in:\n{out}"))
}

#[test]
fn every_task_runs_with_sby_statuses_and_expect_honoured() {
    let dir = project("all", &[]);
    let sby = dir.join("sby_joint.sby");
    let o = verify(&["sby", sby.to_str().unwrap()]);
    let out = stdout(&o);
    // Every status is the expected one: exit 0 as sby.
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(line_of(&out, "SBY [sby_joint_prove] DONE").contains("(PASS, rc=0)"));
    assert!(line_of(&out, "SBY [sby_joint_bmc] DONE").contains("(PASS, rc=0)"));
    assert!(line_of(&out, "SBY [sby_joint_cover] DONE").contains("(PASS, rc=0)"));
    assert!(line_of(&out, "SBY [sby_joint_bug_prove] DONE").contains("(FAIL, rc=0)"));
    assert!(line_of(&out, "SBY [sby_joint_bug_cover] DONE").contains("(FAIL, rc=0)"));
    // Joint induction proves the pair at k = 1 (neither is inductive alone).
    assert!(
        line_of(&out, "sby_joint.a_zero").contains("proven"),
        "{out}"
    );
    // Per-task folders: status file, sources, traces and waveforms.
    assert!(dir.join("sby_joint_prove/PASS").is_file());
    assert!(dir.join("sby_joint_bug_cover/FAIL").is_file());
    assert!(dir.join("sby_joint_prove/src/sby_joint.sv").is_file());
    let cover = dir.join("sby_joint_cover/engine_0/sby_joint.c_swap");
    assert!(cover.join("trace.json").is_file() && cover.join("trace.vcd").is_file());
    // bmc task: `depth 12` in its block, 12 steps = cycles 0..=11.
    let bmc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("sby_joint_bmc/verify.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(bmc["depth"], 11);
    // The cover trace of the buggy design violates b_zero at cycle 0.
    let bug: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("sby_joint_bug_cover/verify.json")).unwrap(),
    )
    .unwrap();
    let props = bug["properties"].as_array().unwrap();
    let b = props
        .iter()
        .find(|p| p["name"] == "sby_joint.b_zero")
        .unwrap();
    assert_eq!(b["status"], "fail");
    assert_eq!(b["depth"], 0);
}

#[test]
fn unexpected_status_gives_sby_return_codes() {
    // The bug tasks without their `expect fail`: FAIL is rc 2; with the
    // passing tasks, the exit status is the OR (2).
    let dir = project("rc", &[]);
    let sby = dir.join("sby_joint.sby");
    let text = std::fs::read_to_string(&sby).unwrap();
    std::fs::write(&sby, text.replace("bug: expect fail\n", "")).unwrap();
    let o = verify(&["sby", sby.to_str().unwrap(), "bug_prove", "prove"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(line_of(&out, "SBY [sby_joint_bug_prove] DONE").contains("(FAIL, rc=2)"));
    assert!(line_of(&out, "SBY [sby_joint_prove] DONE").contains("(PASS, rc=0)"));
    // Only the named tasks ran.
    assert!(!out.contains("sby_joint_bmc"));
}

#[test]
fn multiclock_on_runs_the_design_on_a_global_clock() {
    // The clock becomes a free input and each step a tick (sby's
    // clk2fflogic flow); the verdicts of this project stay the same.
    let dir = project("multiclock", &[]);
    let sby = dir.join("sby_joint.sby");
    let text = std::fs::read_to_string(&sby).unwrap();
    std::fs::write(
        &sby,
        text.replacen("[options]\n", "[options]\nmulticlock on\n", 1),
    )
    .unwrap();
    let o = verify(&["sby", sby.to_str().unwrap(), "prove", "bug_prove"]);
    let out = stdout(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("global clock") && err.contains("`clk` free"),
        "{err}"
    );
    assert!(
        line_of(&out, "SBY [sby_joint_prove] DONE").contains("(PASS, rc=0)"),
        "{out}"
    );
    assert!(
        line_of(&out, "SBY [sby_joint_bug_prove] DONE").contains("(FAIL, rc=0)"),
        "{out}"
    );
}

#[test]
fn unsupported_script_commands_and_options_are_refused_with_the_line() {
    for (bad, needle) in [
        ("[script]\n", "[script]\nsetundef -anyseq\n"),
        ("[options]\n", "[options]\nmulticlock sometimes\n"),
        ("[engines]\n", "[engines]\nfoo\n"),
    ] {
        let dir = project("bad", &[]);
        let sby = dir.join("sby_joint.sby");
        let text = std::fs::read_to_string(&sby).unwrap();
        std::fs::write(&sby, text.replacen(bad, needle, 1)).unwrap();
        let o = verify(&["sby", sby.to_str().unwrap(), "prove"]);
        let out = stdout(&o);
        // ERROR is rc 16, and the message names the .sby line.
        assert_eq!(o.status.code(), Some(16), "{out}");
        assert!(out.contains("sby_joint.sby:"), "{out}");
        assert!(line_of(&out, "SBY [sby_joint_prove] DONE").contains("(ERROR, rc=16)"));
    }
}

#[test]
fn color_reaches_the_diagnostics_of_a_task() {
    let dir = project("color", &[]);
    std::fs::write(dir.join("sby_joint.sv"), "module sby_joint(; endmodule\n").unwrap();
    let sby = dir.join("sby_joint.sby");
    let run = |color: &str| {
        let o = verify(&["sby", sby.to_str().unwrap(), "prove", "--color", color]);
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let plain = run("never");
    assert!(plain.contains("error[E0101]"), "{plain}");
    assert!(!plain.contains('\x1b'), "{plain}");
    let colored = run("always");
    assert!(
        colored.contains('\x1b') && colored.contains("E0101"),
        "{colored}"
    );
}

#[test]
fn mode_flags_check_what_sby_modes_check() {
    let dir = project("mode", &[]);
    let sv = dir.join("sby_joint.sv");
    let sv = sv.to_str().unwrap();
    let out_dir = dir.join("out");
    let od = out_dir.to_str().unwrap();
    // prove: both assertions proven jointly, no cover checked.
    let o = verify(&[
        "--mode", "prove", "--depth", "4", "--reset", "none", "--out", od, sv,
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(line_of(&out, "sby_joint.b_zero").contains("proven"));
    assert!(!out.contains("c_swap"), "{out}");
    // The same without joint induction: k-induction alone leaves them
    // unknown (exit 3)...
    let o = verify(&[
        "--mode",
        "prove",
        "--no-joint",
        "--engine",
        "kind",
        "--depth",
        "4",
        "--reset",
        "none",
        "--out",
        od,
        sv,
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(3), "{out}");
    assert!(line_of(&out, "sby_joint.b_zero").contains("unknown"));
    // ... while the default portfolio's PDR proves each one on its own.
    let o = verify(&[
        "--mode",
        "prove",
        "--no-joint",
        "--depth",
        "4",
        "--reset",
        "none",
        "--out",
        od,
        sv,
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(line_of(&out, "sby_joint.b_zero").contains("proven"));
    assert!(out.contains("proven by pdr"), "{out}");
    // cover: only the cover; with BUG its trace fails b_zero (exit 1).
    let o = verify(&[
        "--mode", "cover", "--depth", "4", "--reset", "none", "-D", "BUG", "--out", od, sv,
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(line_of(&out, "sby_joint.c_swap").contains("covered"));
    assert!(line_of(&out, "sby_joint.b_zero").contains("fail"));
    assert!(!out.contains("sby_joint.a_zero"), "{out}");
    // bmc: depth 1 is one step (cycle 0): a_zero (fails at cycle 1) passes.
    let o = verify(&[
        "--mode", "bmc", "--depth", "1", "--reset", "none", "-D", "BUG", "--out", od, sv,
    ]);
    let out = stdout(&o);
    assert!(line_of(&out, "sby_joint.a_zero").contains("pass"), "{out}");
    assert!(line_of(&out, "sby_joint.b_zero").contains("fail"), "{out}");
}

/// `mode live` (SymbiYosys's liveness mode): regressions/arbiter_live's own
/// project. With its fairness assumptions the liveness assertions are
/// proven; without, they fail with a lasso, as the task expects.
#[test]
fn live_mode_proves_or_breaks_liveness() {
    let dir = std::env::temp_dir().join(format!("verify-sby-{}-live", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../regressions/arbiter_live");
    for f in ["arbiter_live.sv", "arbiter_live.sby"] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    let o = verify(&["sby", dir.join("arbiter_live.sby").to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        line_of(&out, "SBY [arbiter_live_fair] DONE").contains("(PASS, rc=0)"),
        "{out}"
    );
    assert!(
        line_of(&out, "SBY [arbiter_live_starve] DONE").contains("(FAIL, rc=0)"),
        "{out}"
    );
    let starve: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("arbiter_live_starve/verify.json")).unwrap(),
    )
    .unwrap();
    let served = starve["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "arbiter_live.a_served0")
        .unwrap();
    assert_eq!(served["status"], "fail");
    assert_eq!(served["liveness"], true);
    assert!(served["loop"].is_u64(), "{served}");
    let _ = std::fs::remove_dir_all(&dir);
}
