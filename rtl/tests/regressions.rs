//! Every design under `regressions/` elaborates, and its IR matches the
//! `[ir]` section of its manifest: port and register counts, register bits,
//! memories, properties, signal widths and signedness, and register values
//! after reset (by evaluation with the reference evaluator).

use rtl::elab::ElabOptions;
use rtl::ir::Design;
use rtl::parse::ParseOptions;
use rtl::passes::eval;
use rtl::Bits;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Manifest {
    name: String,
    top: String,
    #[serde(default)]
    files: Vec<String>,
    file_list: Option<String>,
    #[serde(default)]
    include_dirs: Vec<String>,
    #[serde(default)]
    defines: BTreeMap<String, String>,
    #[serde(default)]
    params: BTreeMap<String, String>,
    #[serde(default)]
    reset: Option<String>,
    ir: Option<IrExpect>,
}

#[derive(Deserialize)]
struct IrExpect {
    inputs: Option<usize>,
    outputs: Option<usize>,
    registers: Option<usize>,
    register_bits: Option<u64>,
    memories: Option<usize>,
    properties: Option<usize>,
    #[serde(default)]
    signals: BTreeMap<String, String>,
    #[serde(default)]
    reset: BTreeMap<String, String>,
}

fn manifests() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../regressions");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path().join("verify.toml"))
                .filter(|p| p.exists())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn elaborate(dir: &Path, m: &Manifest) -> Result<Design, String> {
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
        rtl::parse::read_file_list_relative(&dir.join(fl), &mut p).map_err(|e| e.to_string())?;
    }
    let opts = rtl::FrontendOptions {
        parse: p,
        elab: ElabOptions {
            top: Some(m.top.clone()),
            params: m
                .params
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            global_clock: false,
            all_tops: false,
        },
    };
    let c = rtl::compile(&opts);
    match c.result {
        Ok(e) => {
            e.design.validate()?;
            Ok(e.design)
        }
        Err(e) => Err(e.render(&c.sources, false)),
    }
}

/// Register values after holding reset for one cycle from the initial state.
fn after_reset(d: &Design, reset: &str) -> Vec<Bits> {
    let (name, active) = match reset.strip_prefix('!') {
        Some(n) => (n, 0u64),
        None => (reset, 1u64),
    };
    let inputs: Vec<Bits> = d
        .inputs
        .iter()
        .map(|i| Bits::from_u64(i.width, if i.name == name { active } else { 0 }))
        .collect();
    let regs: Vec<Bits> = d
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
    eval::step(d, &inputs, &regs, &mems).regs
}

fn check(dir: &Path, m: &Manifest) -> Vec<String> {
    let mut errs = Vec::new();
    let d = match elaborate(dir, m) {
        Ok(d) => d,
        Err(e) => return vec![format!("does not elaborate:\n{e}")],
    };
    let Some(ir) = &m.ir else { return errs };
    let regs: Vec<&rtl::ir::Reg> = d.regs.iter().filter(|r| !r.synthetic).collect();
    let mut expect = |what: &str, want: Option<u64>, got: u64| {
        if let Some(w) = want {
            if w != got {
                errs.push(format!("{what}: manifest says {w}, IR has {got}"));
            }
        }
    };
    expect("inputs", ir.inputs.map(|x| x as u64), d.inputs.len() as u64);
    expect(
        "outputs",
        ir.outputs.map(|x| x as u64),
        d.outputs.len() as u64,
    );
    expect(
        "registers",
        ir.registers.map(|x| x as u64),
        regs.len() as u64,
    );
    expect(
        "register_bits",
        ir.register_bits,
        regs.iter().map(|r| r.width as u64).sum(),
    );
    expect(
        "memories",
        ir.memories.map(|x| x as u64),
        d.mems.len() as u64,
    );
    expect(
        "properties",
        ir.properties.map(|x| x as u64),
        d.props.len() as u64,
    );
    for (name, spec) in &ir.signals {
        let signed = spec.ends_with('s');
        let width: u32 = spec.trim_end_matches('s').parse().unwrap_or(0);
        match d.names.iter().find(|n| &n.name == name) {
            None => errs.push(format!(
                "signal {name}: not in the IR (names: {})",
                d.names.len()
            )),
            Some(n) => {
                let w = d.width(n.node);
                if w != width || n.signed != signed {
                    errs.push(format!(
                        "signal {name}: manifest says {spec}, IR has {w}{}",
                        if n.signed { "s" } else { "" }
                    ));
                }
            }
        }
    }
    if !ir.reset.is_empty() {
        let reset = m.reset.clone().unwrap_or_else(|| "rst".into());
        let after = after_reset(&d, &reset);
        for (name, hex) in &ir.reset {
            let Some(i) = d.regs.iter().position(|r| &r.name == name) else {
                errs.push(format!(
                    "reset {name}: no such register (registers: {:?})",
                    regs.iter().map(|r| &r.name).collect::<Vec<_>>()
                ));
                continue;
            };
            match Bits::from_hex(d.regs[i].width, hex) {
                Some(want) if want == after[i] => {}
                Some(want) => errs.push(format!(
                    "reset {name}: manifest says {want}, IR gives {}",
                    after[i]
                )),
                None => errs.push(format!("reset {name}: bad value {hex}")),
            }
        }
    }
    errs
}

#[test]
fn every_regression_design_elaborates_as_its_manifest_says() {
    let ms = manifests();
    assert!(
        ms.len() >= 15,
        "expected at least 15 regression designs, found {}",
        ms.len()
    );
    let mut report = Vec::new();
    for path in &ms {
        let text = std::fs::read_to_string(path).unwrap();
        let m: Manifest = match toml::from_str(&text) {
            Ok(m) => m,
            Err(e) => {
                report.push(format!("{}: bad manifest: {e}", path.display()));
                continue;
            }
        };
        let dir = path.parent().unwrap();
        for e in check(dir, &m) {
            report.push(format!("{}: {e}", m.name));
        }
    }
    assert!(
        report.is_empty(),
        "{} problems:\n{}",
        report.len(),
        report.join("\n")
    );
}
