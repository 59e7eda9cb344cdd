//! `verify regress` and `verify merge` end to end on small suites written
//! into temporary folders: exit statuses (the gate), JUnit XML read back,
//! shards partitioning the work and merging to the same gate, exact
//! re-runs, `--rerun-failed`, and failure folders.

use quick_xml::events::Event;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const COUNTER: &str = r#"
module cnt (
    input  logic       clk,
    input  logic       rst,
    input  logic       en,
    output logic [3:0] q
);
  always_ff @(posedge clk) begin
    if (rst) q <= '0;
    else if (en) q <= q + 1'b1;
  end
`ifdef FORMAL
  always_ff @(posedge clk) begin
    if (!rst) begin
      a_ok:    assert (q <= 4'd15);
      a_not3:  assert (q != 4'd3);
      c_two:   cover (q == 4'd2);
    end
  end
`endif
endmodule
"#;

/// A design folder `name` holding the counter and a manifest whose
/// `[expect]` and `[jobs]` are `expect`/`jobs`.
fn design(root: &Path, name: &str, expect: &str, extra: &str) {
    design_cycles(root, name, expect, extra, 200)
}

fn design_cycles(root: &Path, name: &str, expect: &str, extra: &str, cycles: u64) {
    let d = root.join(name);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("cnt.sv"), COUNTER).unwrap();
    std::fs::write(
        d.join("verify.toml"),
        format!(
            "top = \"cnt\"\nfiles = [\"cnt.sv\"]\nreset = \"rst\"\n{extra}\n[jobs]\nsim = {{ seeds = 6, cycles = {cycles} }}\nbmc = {{ depth = 6 }}\n\n[expect]\n{expect}\n"
        ),
    )
    .unwrap();
}

const GOOD: &str =
    "\"cnt.a_ok\" = \"pass\"\n\"cnt.a_not3\" = \"fail@4\"\n\"cnt.c_two\" = \"covered@3\"\n";
/// `a_ok` cannot fail: expecting a failure is an unexpected pass.
const UNEXPECTED_PASS: &str =
    "\"cnt.a_ok\" = \"fail\"\n\"cnt.a_not3\" = \"fail@4\"\n\"cnt.c_two\" = \"covered\"\n";

fn verify(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verify"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn show(o: &Output) -> String {
    format!(
        "status {:?}\n{}{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// unit key -> verdict, from a result file.
fn verdicts(v: &Value) -> BTreeMap<String, String> {
    v["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let seeds = match &u["seeds"] {
                Value::Null => String::new(),
                s => format!("[{}+{}]", s["first"], s["count"]),
            };
            (
                format!("{}{seeds}", u["job"].as_str().unwrap()),
                u["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn suite(good: usize, bad: bool) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("suite");
    for i in 0..good {
        design(&root, &format!("good{i}"), GOOD, "");
    }
    if bad {
        design(&root, "surprise", UNEXPECTED_PASS, "");
    }
    t
}

#[test]
fn all_as_expected_passes_the_gate() {
    let t = suite(1, false);
    let o = verify(&["regress", "suite", "--json", "r.json"], t.path());
    assert_eq!(code(&o), 0, "{}", show(&o));
    let v = verdicts(&json(&t.path().join("r.json")));
    assert_eq!(v.len(), 3, "lint, sim, bmc: {v:?}");
    assert!(v.values().all(|s| s == "pass"), "{v:?}");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("good0/bmc"), "{out}");
    assert!(out.contains("3 passed, 0 failed"), "{out}");
}

#[test]
fn unexpected_pass_fails_the_gate() {
    let t = suite(0, true);
    let o = verify(
        &["regress", "suite", "--json", "r.json", "--out", "out"],
        t.path(),
    );
    assert_eq!(code(&o), 1, "{}", show(&o));
    let v = json(&t.path().join("r.json"));
    let vs = verdicts(&v);
    // Formal: bounded pass where a failure was expected; simulation: no
    // seed failed it.
    assert_eq!(vs["surprise/bmc"], "fail", "{vs:?}");
    assert_eq!(vs["surprise/sim[1+6]"], "fail", "{vs:?}");
    assert_eq!(vs["surprise/lint"], "pass", "{vs:?}");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("unexpected pass"), "{out}");
    // One folder per failing job, with a one-line command reproducing it.
    let f = t.path().join("out/failures/surprise.bmc/repro.sh");
    let repro = std::fs::read_to_string(&f).unwrap();
    assert_eq!(repro.lines().count(), 1, "{repro}");
    assert!(repro.starts_with("verify --bmc"), "{repro}");
    // The repro command runs and shows the same thing: a_ok holds.
    let args: Vec<&str> = repro.split_whitespace().skip(1).collect();
    let r = verify(&args, t.path());
    assert_eq!(code(&r), 1, "a_not3 fails: {}", show(&r));
    assert!(String::from_utf8_lossy(&r.stdout).contains("cnt.a_ok"));
}

#[test]
fn bad_manifests_and_designs_are_errors() {
    let t = tempfile::tempdir().unwrap();
    // No manifest at all.
    std::fs::create_dir_all(t.path().join("empty")).unwrap();
    assert_eq!(code(&verify(&["regress", "empty"], t.path())), 2);
    // An unknown key.
    design(&t.path().join("s1"), "d", GOOD, "colour = \"red\"");
    let o = verify(&["regress", "s1"], t.path());
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("verify.toml"));
    // A bad expectation word.
    design(&t.path().join("s2"), "d", "\"cnt.a_ok\" = \"passed\"", "");
    assert_eq!(code(&verify(&["regress", "s2"], t.path())), 2);
    // A design that does not elaborate: its jobs error, the gate says 2.
    design(&t.path().join("s3"), "d", GOOD, "");
    std::fs::write(t.path().join("s3/d/cnt.sv"), "module cnt(; endmodule\n").unwrap();
    let o = verify(&["regress", "s3", "--json", "r.json"], t.path());
    assert_eq!(code(&o), 2, "{}", show(&o));
    let vs = verdicts(&json(&t.path().join("r.json")));
    assert!(vs.values().all(|v| v == "error"), "{vs:?}");
    // The table shows its diagnostic, plain by default (output is not a
    // terminal here) and in colour with --color always; files stay plain.
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(out.contains("error[E0101]"), "{out}");
    assert!(!out.contains('\x1b'), "{out}");
    let o = verify(
        &["regress", "s3", "--json", "rc.json", "--color", "always"],
        t.path(),
    );
    assert_eq!(code(&o), 2, "{}", show(&o));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(out.contains('\x1b'), "{out}");
    let file = std::fs::read_to_string(t.path().join("rc.json")).unwrap();
    assert!(
        file.contains("E0101") && !file.contains("\\u001b"),
        "{file}"
    );
    assert_eq!(
        verdicts(&json(&t.path().join("rc.json"))),
        vs,
        "colour changes no result"
    );
    // Bad shard.
    design(&t.path().join("s4"), "d", GOOD, "");
    assert_eq!(
        code(&verify(&["regress", "s4", "--shard", "3/2"], t.path())),
        2
    );
}

#[test]
fn junit_is_well_formed_and_counts_the_jobs() {
    let t = suite(1, true);
    let o = verify(
        &["regress", "suite", "--junit", "j.xml", "--json", "r.json"],
        t.path(),
    );
    assert_eq!(code(&o), 1, "{}", show(&o));
    let xml = std::fs::read_to_string(t.path().join("j.xml")).unwrap();
    let mut r = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures, mut suites, mut depth) = (0, 0, 0, 0i32);
    let mut top_failures = None;
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                depth += 1;
                match e.name().as_ref() {
                    b"testsuites" => {
                        top_failures = e
                            .try_get_attribute("failures")
                            .unwrap()
                            .map(|a| a.unescape_value().unwrap().parse::<usize>().unwrap())
                    }
                    b"testsuite" => suites += 1,
                    b"testcase" => cases += 1,
                    b"failure" => failures += 1,
                    _ => {}
                }
            }
            Event::Empty(e) if e.name().as_ref() == b"testcase" => cases += 1,
            Event::End(_) => depth -= 1,
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "balanced elements");
    assert_eq!(suites, 2, "one testsuite per design");
    assert_eq!(cases, 6, "one testcase per job");
    assert_eq!(failures, 2, "surprise/sim and surprise/bmc fail");
    assert_eq!(top_failures, Some(2));
    assert!(xml.contains("unexpected pass"));
}

fn unit_seeds(v: &Value) -> Vec<(String, Option<(u64, u64)>)> {
    v["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let s = (!u["seeds"].is_null()).then(|| {
                (
                    u["seeds"]["first"].as_u64().unwrap(),
                    u["seeds"]["count"].as_u64().unwrap(),
                )
            });
            (u["job"].as_str().unwrap().to_string(), s)
        })
        .collect()
}

#[test]
fn shards_partition_the_work_and_merge_to_the_same_gate() {
    let t = suite(3, true);
    let full = verify(
        &[
            "regress",
            "suite",
            "--json",
            "full.json",
            "--coverage",
            "full.cov.json",
        ],
        t.path(),
    );
    assert_eq!(code(&full), 1, "{}", show(&full));
    let full_v = json(&t.path().join("full.json"));
    let n = 3;
    let mut files = Vec::new();
    let mut plain = BTreeSet::new();
    let mut seeds = BTreeSet::new();
    for i in 1..=n {
        let f = format!("s{i}.json");
        let o = verify(
            &[
                "regress",
                "suite",
                "--shard",
                &format!("{i}/{n}"),
                "--json",
                &f,
                "--out",
                &format!("out{i}"),
                "--coverage",
                &format!("s{i}.cov.json"),
            ],
            t.path(),
        );
        // A shard fails only on what no other shard can change.
        assert!(matches!(code(&o), 0 | 1), "{}", show(&o));
        for (job, s) in unit_seeds(&json(&t.path().join(&f))) {
            match s {
                None => assert!(plain.insert(job.clone()), "{job} in two shards"),
                Some((first, count)) => {
                    for k in first..first + count {
                        assert!(seeds.insert((job.clone(), k)), "{job} seed {k} twice");
                    }
                }
            }
        }
        files.push(f);
    }
    // The union is every job and every seed of the unsharded run.
    let mut want_plain = BTreeSet::new();
    let mut want_seeds = BTreeSet::new();
    for (job, s) in unit_seeds(&full_v) {
        match s {
            None => {
                want_plain.insert(job);
            }
            Some((first, count)) => {
                for k in first..first + count {
                    want_seeds.insert((job.clone(), k));
                }
            }
        }
    }
    assert_eq!(plain, want_plain);
    assert_eq!(seeds, want_seeds);
    // Merging gives the same gate and the same verdicts.
    let mut args = vec!["merge"];
    args.extend(files.iter().map(|s| s.as_str()));
    args.extend([
        "--json",
        "merged.json",
        "--junit",
        "merged.xml",
        "--coverage",
        "merged.cov.json",
    ]);
    let m = verify(&args, t.path());
    assert_eq!(code(&m), code(&full), "{}", show(&m));
    let mv = json(&t.path().join("merged.json"));
    assert_eq!(verdicts(&mv), verdicts(&full_v));
    // The shards' coverage adds up to the unsharded run's, point by point.
    let full_cov = json(&t.path().join("full.cov.json"));
    let merged_cov = json(&t.path().join("merged.cov.json"));
    assert_eq!(full_cov["format"], "verify-coverage/1");
    let designs = full_cov["designs"].as_object().unwrap();
    assert!(!designs.is_empty());
    for (name, d) in designs {
        assert!(d["sim"]["points"].as_array().unwrap().len() > 4, "{name}");
    }
    assert_eq!(merged_cov, full_cov);
    let shard_cov = json(&t.path().join("s1.cov.json"));
    assert_ne!(shard_cov, full_cov, "a shard alone has fewer hits");
    // Same properties' outcomes as the unsharded run (lowest failing seed,
    // earliest cover hit).
    let props = |v: &Value| -> Vec<Value> {
        v["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["properties"].clone())
            .collect()
    };
    assert_eq!(props(&mv), props(&full_v));
    // A missing shard is an error, not a pass.
    let m = verify(&["merge", &files[0], &files[1]], t.path());
    assert_eq!(code(&m), 2, "{}", show(&m));
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let t = suite(2, true);
    let mut seen = Vec::new();
    for threads in ["1", "2", "3"] {
        let f = format!("t{threads}.json");
        let o = verify(
            &["regress", "suite", "--threads", threads, "--json", &f],
            t.path(),
        );
        assert_eq!(code(&o), 1, "{}", show(&o));
        let v = json(&t.path().join(&f));
        let props: Vec<Value> = v["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                let mut p = u["properties"].clone();
                // Artifact paths are the same too, but not worth comparing.
                for q in p.as_array_mut().unwrap() {
                    q.as_object_mut().unwrap().remove("trace");
                    q.as_object_mut().unwrap().remove("vcd");
                }
                p
            })
            .collect();
        seen.push(props);
    }
    assert_eq!(seen[0], seen[1]);
    assert_eq!(seen[0], seen[2]);
}

#[test]
fn rerun_failed_runs_only_the_failures() {
    let t = suite(1, true);
    let o = verify(&["regress", "suite", "--out", "o"], t.path());
    assert_eq!(code(&o), 1, "{}", show(&o));
    // Only surprise/sim and surprise/bmc run again (still failing).
    let o = verify(
        &[
            "regress",
            "suite",
            "--out",
            "o",
            "--rerun-failed",
            "--json",
            "re.json",
        ],
        t.path(),
    );
    assert_eq!(code(&o), 1, "{}", show(&o));
    let ran = String::from_utf8_lossy(&o.stderr)
        .lines()
        .filter(|l| l.starts_with('['))
        .count();
    assert_eq!(ran, 2, "{}", show(&o));
    // The record still holds every job, the re-run ones replaced.
    assert_eq!(verdicts(&json(&t.path().join("re.json"))).len(), 6);
    // Fix the expectation: the re-run passes, and then nothing is left.
    design(&t.path().join("suite"), "surprise", GOOD, "");
    let o = verify(
        &["regress", "suite", "--out", "o", "--rerun-failed"],
        t.path(),
    );
    assert_eq!(code(&o), 0, "{}", show(&o));
    let o = verify(
        &["regress", "suite", "--out", "o", "--rerun-failed"],
        t.path(),
    );
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("nothing to re-run"));
    // Without a previous run it is an error.
    let o = verify(
        &["regress", "suite", "--out", "none", "--rerun-failed"],
        t.path(),
    );
    assert_eq!(code(&o), 2, "{}", show(&o));
}

#[test]
fn coverage_goals_gate() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("suite");
    design(&root, "met", GOOD, "[goals]\nbranch = 100.0\n");
    // In 5 cycles the counter never reaches 8: q[3] cannot toggle.
    let few = "\"cnt.a_ok\" = \"pass\"\n\"cnt.a_not3\" = { status = \"fail\", depth = 4, sim = \"unknown\" }\n";
    design_cycles(&root, "missed", few, "[goals]\ntoggle = 100.0\n", 5);
    let o = verify(&["regress", "suite", "--json", "r.json"], t.path());
    assert_eq!(code(&o), 1, "{}", show(&o));
    let v = json(&t.path().join("r.json"));
    let vs = verdicts(&v);
    assert_eq!(vs["met/sim[1+6]"], "pass", "{}", show(&o));
    assert_eq!(vs["missed/sim[1+6]"], "fail", "{}", show(&o));
    let missed = v["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["job"] == "missed/sim")
        .unwrap();
    let g = &missed["goal_results"][0];
    assert_eq!(g["met"], false);
    assert!(g["got"].as_f64().unwrap() < 100.0);
    assert!(String::from_utf8_lossy(&o.stdout).contains("coverage goal toggle"));
}

/// A closure job: covers judged against the manifest, the `closure` goal
/// against `(hit + unreachable) / total` of its coverage database.
#[test]
fn closure_job_gates_covers_and_closure_goal() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("suite");
    let closure = |name: &str, expect: &str, job: &str| {
        design(&root, name, expect, "[goals]\nclosure = 100.0\n");
        let p = root.join(name).join("verify.toml");
        let m = std::fs::read_to_string(&p).unwrap();
        std::fs::write(
            &p,
            m.replace("[jobs]\n", &format!("[jobs]\nclosure = {job}\n")),
        )
        .unwrap();
    };
    closure(
        "ok",
        GOOD,
        "{ budget = 20000, engines = \"random,formal\" }",
    );
    // c_two is reachable: closure hits it, so "unreachable" is a mismatch.
    let wrong = "\"cnt.a_ok\" = \"pass\"\n\"cnt.a_not3\" = \"fail@4\"\n\"cnt.c_two\" = { status = \"covered\", closure = \"unreachable\" }\n";
    closure(
        "wrong",
        wrong,
        "{ budget = 20000, engines = \"random,formal\" }",
    );
    let o = verify(&["regress", "suite", "--json", "r.json"], t.path());
    assert_eq!(code(&o), 1, "{}", show(&o));
    let v = json(&t.path().join("r.json"));
    let vs = verdicts(&v);
    assert_eq!(vs["ok/closure"], "pass", "{}", show(&o));
    assert_eq!(vs["wrong/closure"], "fail", "{}", show(&o));
    let unit = |job: &str| {
        v["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["job"] == job)
            .unwrap()
            .clone()
    };
    let ok = unit("ok/closure");
    let g = &ok["goal_results"][0];
    assert_eq!(g["kind"], "closure");
    assert_eq!(g["met"], true);
    assert_eq!(g["hit"], g["total"]);
    let c = ok["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "cnt.c_two")
        .unwrap();
    assert_eq!(c["status"], "covered");
    // The database travels with the result (for `verify merge`).
    assert!(ok["closure"]["points"].as_array().unwrap().len() > 4);
    let wrong = unit("wrong/closure");
    assert!(
        wrong["mismatches"][0]
            .as_str()
            .unwrap()
            .contains("expected unreachable, got covered"),
        "{wrong}"
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("--closure --cycles 20000"));

    // Random simulation alone cannot prove anything unreachable: a design
    // with an unreachable point misses the closure goal.
    let t2 = tempfile::tempdir().unwrap();
    let d = t2.path().join("suite/u");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(
        d.join("u.sv"),
        "module u(input logic clk, input logic rst, input logic a, output logic [1:0] q);\n\
         always_ff @(posedge clk) if (rst) q <= 0; else q <= {1'b0, a};\n\
         `ifdef FORMAL\n always_ff @(posedge clk) if (!rst) c_never: cover (q == 2'd3);\n`endif\n\
         endmodule\n",
    )
    .unwrap();
    std::fs::write(
        d.join("verify.toml"),
        "top = \"u\"\nfiles = [\"u.sv\"]\nreset = \"rst\"\n[jobs]\nsim = false\nbmc = false\n\
         closure = { budget = 5000, engines = \"random\" }\n[goals]\nclosure = 100.0\n\
         [expect]\n\"u.c_never\" = { status = \"unreachable\", closure = \"unknown\" }\n",
    )
    .unwrap();
    let o = verify(&["regress", "suite", "--json", "r.json"], t2.path());
    assert_eq!(code(&o), 1, "{}", show(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("coverage goal closure >= 100.0%"),
        "{}",
        show(&o)
    );
    // The same suite with formal closes it: the point is proven unreachable.
    let m = std::fs::read_to_string(d.join("verify.toml")).unwrap();
    std::fs::write(
        d.join("verify.toml"),
        m.replace("engines = \"random\"", "engines = \"random,formal\"")
            .replace("budget = 5000", "budget = 50000")
            .replace("closure = \"unknown\"", "closure = \"unreachable\""),
    )
    .unwrap();
    let o = verify(&["regress", "suite"], t2.path());
    assert_eq!(code(&o), 0, "{}", show(&o));
}

#[test]
fn every_regression_manifest_reads() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../regressions");
    let designs = verifier::manifest::discover(&root).unwrap();
    assert!(designs.len() >= 30, "only {} designs", designs.len());
    let planted: Vec<_> = designs
        .iter()
        .filter(|d| {
            d.manifest
                .expect
                .values()
                .any(|e| e.status == verifier::manifest::Status::Fail && e.depth.is_some())
        })
        .collect();
    assert!(!planted.is_empty(), "a planted bug with a known depth");
}
