//! The `regressions/sva_*` designs replayed on their stimulus files with
//! the IR's reference evaluator: `pass.json` must fire no assertion,
//! `fail.json` must fire `a_bad` (and only it) first at the cycle the
//! manifest gives (`[sva] fail_trace_cycle`). The formal engine's side
//! (`a_ok*` pass, `a_bad` fail, `c_hit` covered) is checked by
//! `verifier/tests/expectations.rs` from the same manifests.

use rtl::elab::ElabOptions;
use rtl::ir::{Design, PropKind};
use rtl::parse::ParseOptions;
use rtl::passes::eval;
use rtl::Bits;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Manifest {
    top: String,
    files: Vec<String>,
    sva: Sva,
}

#[derive(Deserialize)]
struct Sva {
    fail_trace_cycle: usize,
}

#[derive(Deserialize)]
struct Stimulus {
    ports: Vec<String>,
    cycles: Vec<Vec<String>>,
}

fn designs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../regressions");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("regressions/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("sva_"))
                && p.join("verify.toml").exists()
        })
        .collect();
    out.sort();
    out
}

fn elaborate(dir: &Path, m: &Manifest) -> Design {
    let opts = rtl::FrontendOptions {
        parse: ParseOptions {
            files: m.files.iter().map(|f| dir.join(f)).collect(),
            ..Default::default()
        },
        elab: ElabOptions {
            top: Some(m.top.clone()),
            ..Default::default()
        },
    };
    let c = rtl::compile(&opts);
    match c.result {
        Ok(e) => e.design,
        Err(e) => panic!("{}: {}", dir.display(), e.render(&c.sources, false)),
    }
}

/// (cycle, property name) of every assert/assume firing on the stimulus.
fn replay(d: &Design, stim: &Path) -> Vec<(usize, String)> {
    let s: Stimulus =
        serde_json::from_str(&std::fs::read_to_string(stim).expect("stimulus")).expect("json");
    let mut regs: Vec<Bits> = d
        .regs
        .iter()
        .map(|r| r.init.clone().unwrap_or_else(|| Bits::zero(r.width)))
        .collect();
    let mems: Vec<Vec<Bits>> = d
        .mems
        .iter()
        .map(|m| {
            m.init
                .clone()
                .unwrap_or_else(|| vec![Bits::zero(m.width); m.depth as usize])
        })
        .collect();
    let mut out = Vec::new();
    for (cyc, row) in s.cycles.iter().enumerate() {
        let ins: Vec<Bits> = d
            .inputs
            .iter()
            .map(|i| {
                let v = s
                    .ports
                    .iter()
                    .position(|p| *p == i.name)
                    .map(|k| u64::from_str_radix(&row[k], 16).expect("hex"))
                    .unwrap_or(0);
                Bits::from_u64(i.width, v)
            })
            .collect();
        let vals = eval::eval_comb(d, &ins, &regs, &mems);
        for p in &d.props {
            if p.kind != PropKind::Cover && !vals[p.node.index()].is_zero() {
                out.push((cyc, p.name.clone()));
            }
        }
        regs = eval::step(d, &ins, &regs, &mems).regs;
    }
    out
}

#[test]
fn sva_designs_pass_and_fail_their_stimulus() {
    let dirs = designs();
    assert!(dirs.len() >= 19, "only {} sva_* designs", dirs.len());
    let mut problems = Vec::new();
    for dir in &dirs {
        let m: Manifest =
            toml::from_str(&std::fs::read_to_string(dir.join("verify.toml")).unwrap()).unwrap();
        let d = elaborate(dir, &m);
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let fired = replay(&d, &dir.join("pass.json"));
        if !fired.is_empty() {
            problems.push(format!("{name}: pass.json fires {fired:?}"));
        }
        let fired = replay(&d, &dir.join("fail.json"));
        let bad = format!("{}.a_bad", m.top);
        let want = vec![(m.sva.fail_trace_cycle, bad)];
        if fired != want {
            problems.push(format!(
                "{name}: fail.json fires {fired:?}, expected {want:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
