//! `verify --closure`: coverage closure end to end on the closure
//! benchmark designs (regressions/closure_*), its outputs, and the
//! determinism of cycle-budgeted runs across thread counts.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn design(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../regressions")
        .join(name)
        .join(format!("{name}.sv"))
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("verify-closure-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn verify(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_verify"))
        .args(args)
        .output()
        .expect("runs");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// `verify --closure FILE EXTRA... --json JSON --out OUT`.
fn closure(f: &Path, json: &Path, out: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["--closure", f.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.extend([
        "--json",
        json.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    verify(&args)
}

fn json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn status_of<'a>(v: &'a Value, id: &str) -> &'a str {
    v["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no point {id}"))["status"]
        .as_str()
        .unwrap()
}

#[test]
fn unreachable_points_are_proven_and_closure_is_complete() {
    let d = tmp("unreach");
    let j = d.join("r.json");
    let lcov = d.join("r.info");
    let plot = d.join("r.svg");
    let min = d.join("min");
    let f = design("closure_unreach");
    let (code, out, err) = closure(
        &f,
        &j,
        &d.join("out"),
        &[
            "--cycles",
            "200000",
            "--lcov",
            lcov.to_str().unwrap(),
            "--plot",
            plot.to_str().unwrap(),
            "--min-set",
            min.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("closure: 100.00%"), "{out}");
    let v = json(&j);
    assert_eq!(v["closure"].as_f64(), Some(100.0));
    assert_eq!(status_of(&v, "state:closure_unreach.st=ERR"), "unreachable");
    assert_eq!(
        status_of(&v, "cover:closure_unreach.cover@51"),
        "unreachable"
    );
    assert_eq!(
        status_of(&v, "toggle:closure_unreach.bad[0]:rise"),
        "unreachable"
    );
    assert_eq!(status_of(&v, "state:closure_unreach.st=DONE"), "hit");
    // Every hit names a stimulus file that exists and hits it in that cycle.
    for p in v["points"].as_array().unwrap() {
        if p["status"] == "hit" {
            let s = p["stimulus"].as_str().unwrap();
            assert!(
                d.join("out/stimuli").join(format!("{s}.json")).exists(),
                "{s}"
            );
            assert!(p["cycle"].as_u64().is_some());
        }
        if p["status"] == "unreachable" {
            assert!(p["k"].as_u64().is_some());
        }
    }
    let info = std::fs::read_to_string(&lcov).unwrap();
    assert!(
        info.contains("SF:") && info.contains("DA:") && info.contains("end_of_record"),
        "{info}"
    );
    assert!(std::fs::read_to_string(&plot).unwrap().starts_with("<svg"));
    let n = std::fs::read_dir(&min).unwrap().count();
    assert!(n >= 1, "min-set is empty");
    // The min-set replays: each file is a stimulus the simulator accepts.
    for e in std::fs::read_dir(&min).unwrap().flatten() {
        let (code, out, err) = verify(&[
            "--sim",
            "--stimulus",
            e.path().to_str().unwrap(),
            f.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{out}\n{err}");
    }
}

#[test]
fn cycle_budget_gives_the_same_result_whatever_the_threads() {
    let f = design("closure_lock");
    let d = tmp("det");
    let run = |threads: &str| {
        let j = d.join(format!("t{threads}.json"));
        let (code, out, err) = verify(&[
            f.to_str().unwrap(),
            "--cycles",
            "60000",
            "--seed",
            "7",
            "--threads",
            threads,
            "--json",
            j.to_str().unwrap(),
            "--out",
            d.join(format!("out{threads}")).to_str().unwrap(),
        ]);
        assert!(code == 0 || code == 3, "{out}\n{err}");
        let mut v = json(&j);
        let o = v.as_object_mut().unwrap();
        for k in ["elapsed_s", "history", "formal"] {
            o.remove(k);
        }
        v
    };
    let a = run("1");
    let b = run("2");
    assert_eq!(a, b);
    assert!(a["closure"].as_f64().unwrap() > 50.0);
}

#[test]
fn merged_databases_add_up() {
    let f = design("closure_magic");
    let d = tmp("merge");
    let ja = d.join("a.json");
    let jb = d.join("b.json");
    let out = d.join("out");
    let (code, o, e) = closure(&f, &ja, &out, &["--engines", "random", "--cycles", "4000"]);
    assert_eq!(
        code, 3,
        "random alone cannot close the magic compare\n{o}\n{e}"
    );
    let a = json(&ja);
    let (code, o, e) = closure(
        &f,
        &jb,
        &out,
        &[
            "--engines",
            "formal",
            "--merge",
            ja.to_str().unwrap(),
            "--cycles",
            "4000",
        ],
    );
    assert!(code == 0 || code == 3, "{o}\n{e}");
    let b = json(&jb);
    let closed = |v: &Value| {
        v["points"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["status"] == "hit" || p["status"] == "unreachable")
            .count()
    };
    assert!(closed(&b) >= closed(&a));
    // Every point the first run hit is still hit, with the same stimulus.
    for p in a["points"].as_array().unwrap() {
        if p["status"] == "hit" {
            let id = p["id"].as_str().unwrap();
            assert_eq!(status_of(&b, id), "hit", "{id}");
        }
    }
    assert!(b["closure"].as_f64().unwrap() > a["closure"].as_f64().unwrap());
}

#[test]
fn bad_closure_flags_are_errors() {
    let f = design("closure_magic");
    for bad in [
        vec!["--closure", "--engines", "quantum"],
        vec!["--closure", "--budget", "-1"],
        vec!["--closure", "--budget", "1", "--cycles", "10"],
        vec!["--closure", "--threads", "0", "--cycles", "10"],
    ] {
        let mut args = bad.clone();
        args.push(f.to_str().unwrap());
        let (code, out, err) = verify(&args);
        assert_eq!(code, 2, "{bad:?}: {out}\n{err}");
        assert!(err.contains("error"), "{err}");
    }
}

#[test]
fn assertion_failures_met_during_closure_are_reported() {
    let f = design("closure_bug");
    let d = tmp("bug");
    let j = d.join("r.json");
    let out = d.join("out");
    let (code, o, e) = closure(&f, &j, &out, &["--cycles", "150000"]);
    assert_eq!(code, 1, "a failing assertion is a bug found\n{o}\n{e}");
    assert!(o.contains("FAIL closure_bug.a_n_max"), "{o}");
    assert!(o.contains("closure_bug.sv:"), "{o}");
    let v = json(&j);
    let fails = v["failures"].as_array().unwrap();
    assert_eq!(fails.len(), 1, "{fails:?}");
    assert_eq!(fails[0]["property"], "closure_bug.a_n_max");
    assert!(fails[0]["location"]
        .as_str()
        .unwrap()
        .contains("closure_bug.sv:"));
    let cycle = fails[0]["cycle"].as_u64().unwrap();
    // The stimulus replays the failure in the simulator, in that cycle.
    let t = out.join(fails[0]["stimulus"].as_str().unwrap());
    let trace = json(&t);
    assert_eq!(
        trace["cycles"].as_array().unwrap().len() as u64,
        cycle + 1,
        "the trace ends at the failing cycle"
    );
    let (code, o, e) = verify(&[
        "--sim",
        "--stimulus",
        t.to_str().unwrap(),
        f.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{o}\n{e}");
    assert!(o.contains("FAIL closure_bug.a_n_max"), "{o}");
    assert!(o.contains(&format!("at cycle {cycle}")), "{o}");
}

#[test]
fn the_input_dictionary_lets_simulation_pass_a_magic_compare() {
    // Uniform random stimulus meets `data == 32'hDEAD_BEEF` with
    // probability 2^-32 per cycle; learned-guided simulation has the
    // design's compare constants as input values (no formal here).
    let f = design("closure_magic");
    let d = tmp("dict");
    let j = d.join("r.json");
    let (code, out, err) = closure(
        &f,
        &j,
        &d.join("out"),
        &["--engines", "learned", "--cycles", "100000"],
    );
    assert_eq!(code, 0, "{out}\n{err}");
    let v = json(&j);
    assert_eq!(v["closure"].as_f64(), Some(100.0));
    assert_eq!(v["dict_entries"].as_u64(), Some(2), "{}", v["dict_entries"]);
    assert_eq!(status_of(&v, "cover:closure_magic.cover@26"), "hit");
    // The kinds of episode are reported, and the points they found add up
    // to the hit points.
    let arms = v["arms"].as_array().unwrap();
    assert!(arms.iter().any(|a| a["kind"] == "dictionary"), "{arms:?}");
    let found: u64 = arms.iter().map(|a| a["new_points"].as_u64().unwrap()).sum();
    assert_eq!(
        found,
        v["summary"]["all"]["hit"].as_u64().unwrap(),
        "{arms:?}"
    );
}

#[test]
fn a_time_budgeted_side_by_side_run_stops_when_everything_is_closed() {
    // Formal beside simulation with a time budget (answers taken during
    // simulation rounds, rounds ended early): the lock's unreachable points
    // are proven, its cover reached, and the run ends long before the
    // budget once every point is closed.
    let f = design("closure_lock");
    let d = tmp("timed");
    let j = d.join("r.json");
    let (code, out, err) = closure(&f, &j, &d.join("out"), &["--budget", "120"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let v = json(&j);
    assert_eq!(v["closure"].as_f64(), Some(100.0));
    assert_eq!(
        status_of(&v, "transition:closure_lock.st:LOCKED->OPEN"),
        "unreachable"
    );
    assert_eq!(status_of(&v, "cover:closure_lock.cover@42"), "hit");
    assert!(
        v["elapsed_s"].as_f64().unwrap() < 60.0,
        "{}",
        v["elapsed_s"]
    );
}

#[test]
fn the_mlp_arm_uses_no_dictionary_values_and_the_dict_arm_no_model() {
    // Ablation arms of the learned generator. `mlp`: the model's episodes
    // without dictionary episodes or snapping, so the 32-bit magic word
    // (which the dictionary offers, and `learned` passes within 100k
    // cycles, see above) stays out of reach of uniform and model bits.
    let f = design("closure_magic");
    let d = tmp("ablation");
    let j = d.join("mlp.json");
    let (code, out, err) = closure(
        &f,
        &j,
        &d.join("out"),
        &["--engines", "mlp", "--cycles", "200000"],
    );
    assert_eq!(code, 3, "{out}\n{err}");
    let v = json(&j);
    assert_eq!(v["engines"]["mlp"], true);
    assert!(
        v["train_steps"].as_u64().unwrap() > 0,
        "{}",
        v["train_steps"]
    );
    let kinds: Vec<&str> = v["arms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert!(!kinds.contains(&"dictionary"), "{kinds:?}");
    assert!(
        kinds.contains(&"learned") && kinds.contains(&"greedy learned"),
        "{kinds:?}"
    );
    assert_eq!(status_of(&v, "cover:closure_magic.cover@26"), "unhit");
    assert!(v["closure"].as_f64().unwrap() < 100.0);
    // `dict`: dictionary episodes and the uniform kinds, no model.
    let j = d.join("dict.json");
    let (code, out, err) = closure(
        &f,
        &j,
        &d.join("out2"),
        &["--engines", "dict", "--cycles", "100000"],
    );
    assert_eq!(code, 0, "{out}\n{err}");
    let v = json(&j);
    assert_eq!(v["train_steps"].as_u64(), Some(0));
    let kinds: Vec<&str> = v["arms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"dictionary"), "{kinds:?}");
    assert!(!kinds.iter().any(|k| k.contains("learned")), "{kinds:?}");
    assert_eq!(v["closure"].as_f64(), Some(100.0));
}

#[test]
fn the_deep_design_needs_both_engines() {
    // closure_deep: a 32-bit checksum (no dictionary entry for it) guards
    // a 12-bit counter. Simulation alone never passes the checksum; the
    // side-by-side run (gated at 100% in regressions/closure_deep) does,
    // by continuing from the end of formal's witness.
    let f = design("closure_deep");
    let d = tmp("deep");
    let j = d.join("r.json");
    let (code, out, err) = closure(
        &f,
        &j,
        &d.join("out"),
        &["--engines", "learned", "--cycles", "200000"],
    );
    assert_eq!(code, 3, "{out}\n{err}");
    let v = json(&j);
    assert_eq!(
        status_of(&v, "toggle:closure_deep.unlocked[0]:rise"),
        "unhit"
    );
    assert_eq!(status_of(&v, "cover:closure_deep.cover@45"), "unhit");
}
