//! `verify --bmc [--prove] [--cover]` and `verify --mode bmc|prove|cover`:
//! the formal engine, with every trace confirmed by the simulator before it
//! is reported.

use crate::cli::{FormalMode, RunArgs};
use crate::{frontend, report, status};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use ir::reset::ResetSpec;
use ir::status::Status;
use rtl::ir::{Design, PropKind};
use serde::Serialize;
use sim::{InitMode, Program};
use solver::{BmcOptions, Control, Verdict};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// One entry of the JSON report (ARCHITECTURE.md "Results").
#[derive(Serialize)]
pub(crate) struct Entry {
    pub name: String,
    pub kind: &'static str,
    pub status: Status,
    pub depth: Option<u32>,
    pub trace: Option<PathBuf>,
    pub vcd: Option<PathBuf>,
    location: String,
    pub seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    induction_trace: Option<PathBuf>,
    /// The engine that decided: `bmc`, `k-induction` or `pdr`.
    engine: &'static str,
    /// For a PDR proof: clauses in the inductive invariant.
    #[serde(skip_serializing_if = "Option::is_none")]
    invariant_size: Option<usize>,
    /// For a liveness counterexample (a lasso): the first cycle of the
    /// loop; the trace's last cycle repeats it, forever.
    #[serde(rename = "loop", skip_serializing_if = "Option::is_none")]
    pub loop_start: Option<u32>,
    /// A liveness assertion (`s_eventually`, `strong`): its `fail` is a
    /// lasso, its `pass` means no lasso up to the depth.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub liveness: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    top: String,
    depth: u32,
    properties: &'a [Entry],
}

/// What is checked, as the flags ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `--bmc`, `--prove`, `--cover` (today's spellings, depth = last cycle).
    Legacy,
    /// `--mode bmc`: assertions to the depth.
    Bmc,
    /// `--mode prove`: assertions, joint k-induction; covers not checked.
    Prove,
    /// `--mode cover`: covers only; cover traces are checked for assertion
    /// failures in the simulator.
    Cover,
}

impl Mode {
    pub(crate) fn of(args: &RunArgs) -> Mode {
        match args.mode {
            Some(FormalMode::Bmc) => Mode::Bmc,
            Some(FormalMode::Prove) => Mode::Prove,
            Some(FormalMode::Cover) => Mode::Cover,
            None => Mode::Legacy,
        }
    }
}

/// The result of a formal run: the exit status and one entry per result.
pub(crate) struct Outcome {
    pub code: u8,
    pub entries: Vec<Entry>,
}

pub fn run(args: &RunArgs, color: bool) -> anyhow::Result<u8> {
    Ok(check(args, color)?.code)
}

/// The engine behind a formal run: `solver::check` runs what
/// `opts.engine` names (the `auto` portfolio by default).
fn run_engine(
    d: &Design,
    props: &[usize],
    opts: &BmcOptions,
    ctl: &Control,
) -> anyhow::Result<Vec<solver::PropResult>> {
    Ok(solver::check(d, props, opts, ctl)?)
}

pub(crate) fn check(args: &RunArgs, color: bool) -> anyhow::Result<Outcome> {
    let mode = Mode::of(args);
    // With --mode, --depth counts steps as a .sby file does (cycles 0..N-1).
    let depth = if mode == Mode::Legacy {
        args.depth
    } else if args.depth == 0 {
        anyhow::bail!(
            "--mode {}: --depth must be at least 1 (it counts steps)",
            format!("{mode:?}").to_lowercase()
        );
    } else {
        args.depth - 1
    };
    let prove = match mode {
        Mode::Legacy => args.prove,
        Mode::Prove => true,
        Mode::Bmc | Mode::Cover => false,
    };
    let mut loaded = frontend::load(args, color)?;
    apply_prop_edits(&mut loaded.elab.design, &args.prop_edits);
    let d = &loaded.elab.design;
    let prog = Arc::new(Program::compile(d).context("cannot compile the design for replay")?);

    // The reset convention is the simulator's (one implementation of it).
    let reset = ir::reset::resolve(
        d,
        &ResetSpec::from_option(args.reset.as_deref()),
        args.reset_cycles,
    )?;
    if let Some(r) = &reset {
        if r.auto {
            eprintln!(
                "reset: `{}` (active {}), held for {} cycle(s)",
                r.reset.name,
                if r.reset.active_low { "low" } else { "high" },
                args.reset_cycles
            );
        }
    }
    if !d.clock_inputs.is_empty() {
        eprintln!(
            "clocks: global clock, one step per tick; {} free (constrain them with assumptions)",
            d.clock_inputs
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let opts = BmcOptions {
        depth,
        prove,
        joint: !args.no_joint,
        simple_path: !args.no_simple_path,
        reset: reset.as_ref().map(|r| r.reset.clone()),
        timeout: args.timeout.map(Duration::from_secs_f64),
        engine: args.engine.engine(),
        ..BmcOptions::default()
    };
    if let Some(path) = &args.emit_btor2 {
        // BTOR2 carries safety properties; liveness ones are left out, said.
        let mut safety = d.clone();
        for p in safety.props.iter().filter(|p| p.kind.is_liveness()) {
            eprintln!(
                "warning: {} is a liveness property: not written to the BTOR2 model (safety properties only)",
                p.name
            );
        }
        safety.props.retain(|p| !p.kind.is_liveness());
        let text = solver::btor2::write_btor2(&safety, reset.as_ref())?;
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("BTOR2 model written to {}", path.display());
        if !(args.bmc || args.prove || args.cover || args.mode.is_some()) {
            return Ok(Outcome {
                code: status::OK,
                entries: Vec::new(),
            });
        }
    }
    let props: Vec<usize> = (0..d.props.len())
        .filter(|&i| match (d.props[i].kind, mode) {
            (PropKind::Assume | PropKind::Fair, _) => false,
            (PropKind::Assert | PropKind::Live, Mode::Cover) => false,
            (PropKind::Assert | PropKind::Live, _) => true,
            (PropKind::Cover, Mode::Legacy) => args.cover || args.prove,
            (PropKind::Cover, Mode::Cover) => true,
            (PropKind::Cover, Mode::Bmc | Mode::Prove) => false,
        })
        .collect();
    if props.is_empty() {
        println!(
            "{}: no {} to check",
            d.top,
            if mode == Mode::Cover {
                "covers"
            } else {
                "assertions"
            }
        );
        return Ok(Outcome {
            code: status::OK,
            entries: Vec::new(),
        });
    }

    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::new(depth as u64);
        b.set_style(
            ProgressStyle::with_template("{spinner} depth {pos}/{len} {msg} [{elapsed}]")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b.enable_steady_tick(Duration::from_millis(200));
        Some(b)
    } else {
        None
    };
    let deepest = Arc::new(AtomicU32::new(0));
    // Ctrl-C stops the engine, which then reports what it knows (a second
    // Ctrl-C cannot kill the process through this handler: the default
    // action is gone, but the engine stops within one depth or a Z3 poll).
    let cancel = cancel_flag();
    let ctl = Control {
        cancel: cancel.clone(),
        progress: bar.clone().map(|b| {
            let deepest = deepest.clone();
            let f: Arc<dyn Fn(&solver::Progress) + Send + Sync> =
                Arc::new(move |p: &solver::Progress| {
                    let prev = deepest.fetch_max(p.depth, Ordering::Relaxed);
                    if p.depth > prev {
                        b.set_position(p.depth as u64);
                    }
                });
            f
        }),
    };
    let mut results = run_engine(d, &props, &opts, &ctl)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if mode == Mode::Cover {
        let extra = asserts_failed_in_covers(&prog, &results)?;
        results.extend(extra);
    }

    let interrupted = results.iter().any(|r| r.interrupted);
    if interrupted {
        eprintln!("stopped early: reporting what is known so far");
    }
    let mut entries = Vec::new();
    let (mut failed, mut unknown, mut internal) = (0, 0, 0);
    for r in &results {
        let p = &d.props[r.prop];
        let location = loaded.sources.describe(p.span);
        let mut e = Entry {
            name: r.name.clone(),
            kind: p.kind.name(),
            status: r.status.status(),
            depth: r.status.depth(),
            trace: None,
            vcd: None,
            location: location.clone(),
            seconds: r.elapsed.as_secs_f64(),
            reason: None,
            induction_trace: None,
            engine: r.engine,
            invariant_size: r.invariant_size,
            liveness: p.kind == PropKind::Live,
            loop_start: r
                .status
                .trace()
                .and_then(|t| t.meta.get(ir::passes::l2s::LOOP_META))
                .and_then(|s| s.parse().ok()),
        };
        if let Some(t) = r.status.trace() {
            if !sim::confirm(&prog, d, r.prop, t)? {
                internal += 1;
                e.status = Status::Unknown;
                e.reason = Some(
                    "internal error: the simulator does not confirm the solver's trace".into(),
                );
                eprintln!("internal error: {}: the solver's trace does not replay in the simulator; not reported as a result (please report this bug)", r.name);
            }
            let dir = report::prop_dir(&args.out, &r.name)?;
            let tp = dir.join("trace.json");
            report::write_json(&tp, t)?;
            let vp = dir.join("trace.vcd");
            sim::vcd::write_vcd_file(&prog, t, InitMode::Zero, &vp)?;
            e.trace = Some(tp);
            e.vcd = Some(vp);
        }
        let stopped_early = r.interrupted
            && matches!(
                r.status,
                Verdict::Pass { .. } | Verdict::NotCovered { .. } | Verdict::Unknown { .. }
            );
        if stopped_early {
            // Bounded results short of --depth are not what was asked for.
            e.status = Status::Unknown;
            let why = if cancel.load(Ordering::Relaxed) {
                "interrupted (Ctrl-C)"
            } else {
                "stopped by --timeout"
            };
            e.reason = Some(match r.status.depth() {
                Some(k) => format!(
                    "{why}: no {} in cycles 0..={k}",
                    if p.kind == PropKind::Cover {
                        "hit"
                    } else {
                        "failure"
                    }
                ),
                None => format!("{why} before cycle 0 was checked"),
            });
        } else if let Verdict::NotCovered { depth } = &r.status {
            // ARCHITECTURE.md has no bounded status for covers: not reached
            // and not proven unreachable is unknown.
            e.status = Status::Unknown;
            e.reason = Some(format!("not reached within depth {depth}"));
        }
        if let Verdict::Unknown {
            reason,
            induction_trace,
            ..
        } = &r.status
        {
            if e.reason.is_none() {
                e.reason = Some(reason.clone());
            }
            if let Some(t) = induction_trace {
                let dir = report::prop_dir(&args.out, &r.name)?;
                let tp = dir.join("induction_trace.json");
                report::write_json(&tp, t)?;
                // A waveform too; a start state the simulator cannot load is
                // not worth failing the run over (it is not a result).
                let vp = dir.join("induction_trace.vcd");
                if let Err(err) = sim::vcd::write_vcd_file(&prog, t, InitMode::Zero, &vp) {
                    eprintln!(
                        "warning: {}: induction trace waveform not written: {err:#}",
                        r.name
                    );
                }
                e.induction_trace = Some(tp);
            }
        }
        match e.status {
            Status::Fail => failed += 1,
            Status::Unknown => unknown += 1,
            _ => {}
        }
        let depth = e.depth.map(|k| k.to_string()).unwrap_or_else(|| "-".into());
        println!(
            "{:<40} {:<11} {:>5}  {:>7.2}s  {}",
            e.name,
            e.status.word(),
            depth,
            e.seconds,
            location
        );
        if let (Some(tp), Status::Fail | Status::Covered) = (&e.trace, e.status) {
            println!(
                "    trace: {}  (replay: verify --sim --stimulus {} {})",
                tp.display(),
                tp.display(),
                report::design_args(args)
            );
        }
        if let (Some(start), Some(end), Status::Fail) = (e.loop_start, e.depth, e.status) {
            println!(
                "    lasso: cycles {start}..{} repeat forever and the obligation is never met",
                end.saturating_sub(1)
            );
        }
        if let Some(reason) = &e.reason {
            println!("    {reason}");
        }
        if let (Some(n), Status::Proven | Status::Unreachable) = (e.invariant_size, e.status) {
            println!(
                "    proven by {}: inductive invariant of {n} clause(s)",
                e.engine
            );
        }
        if let Some(it) = &e.induction_trace {
            println!("    induction trace (starts from a state that may be unreachable; not a bug by itself): {}", it.display());
        }
        entries.push(e);
    }
    let n = entries.len();
    println!(
        "{}: {n} propert{} checked to depth {}: {} failed, {} unknown",
        d.top,
        if n == 1 { "y" } else { "ies" },
        depth,
        failed,
        unknown
    );
    if let Some(j) = &args.json {
        report::write_json(
            j,
            &Report {
                top: d.top.clone(),
                depth,
                properties: &entries,
            },
        )?;
    }
    let code = if internal > 0 {
        status::ERROR
    } else if failed > 0 {
        status::FAIL
    } else if unknown > 0 && (prove || interrupted || mode == Mode::Cover) {
        status::UNKNOWN
    } else {
        status::OK
    };
    Ok(Outcome { code, entries })
}

/// The Ctrl-C flag, its handler installed once per process (`verify sby`
/// runs many tasks: after a Ctrl-C the remaining tasks stop at once).
fn cancel_flag() -> Arc<AtomicBool> {
    static FLAG: std::sync::OnceLock<Arc<AtomicBool>> = std::sync::OnceLock::new();
    let flag = FLAG.get_or_init(|| {
        let f = Arc::new(AtomicBool::new(false));
        let g = f.clone();
        if let Err(e) = ctrlc::set_handler(move || g.store(true, Ordering::Relaxed)) {
            eprintln!("warning: Ctrl-C handler not installed: {e}");
        }
        f
    });
    flag.clone()
}

/// `chformal -remove` / `-assert2assume` / `-assume2assert` on the design.
/// `chformal`: an edit of asserts also applies to liveness asserts, one of
/// assumes to fairness assumes, and `-assert2assume`/`-assume2assert` swap
/// liveness kinds the same way.
fn apply_prop_edits(d: &mut Design, edits: &[crate::cli::PropEdit]) {
    let safety = |k: PropKind| match k {
        PropKind::Live => PropKind::Assert,
        PropKind::Fair => PropKind::Assume,
        k => k,
    };
    for e in edits {
        match e.to {
            None => d.props.retain(|p| !e.kinds.contains(&safety(p.kind))),
            Some(k) => {
                for p in d.props.iter_mut() {
                    if !e.kinds.contains(&safety(p.kind)) {
                        continue;
                    }
                    p.kind = match (p.kind.is_liveness(), k) {
                        (true, PropKind::Assert) => PropKind::Live,
                        (true, PropKind::Assume) => PropKind::Fair,
                        // An obligation node is not a cover's hit node.
                        (true, _) => p.kind,
                        (false, _) => k,
                    };
                }
            }
        }
    }
}

/// Cover mode (as SymbiYosys's): assertions are not searched, but a cover
/// trace that violates one is a failure of that assertion. Each cover
/// trace is replayed in the simulator; the first assertion failing in it
/// gets the trace up to that cycle (confirmed again like any trace).
fn asserts_failed_in_covers(
    prog: &Arc<Program>,
    results: &[solver::PropResult],
) -> anyhow::Result<Vec<solver::PropResult>> {
    let mut out: Vec<solver::PropResult> = Vec::new();
    for r in results {
        let Verdict::Covered { trace, .. } = &r.status else {
            continue;
        };
        let res = sim::replay_with(prog, trace, InitMode::Zero, |_| {})?;
        let Some(f) = res.failure else { continue };
        if f.kind != PropKind::Assert || out.iter().any(|o| o.prop == f.prop) {
            continue;
        }
        let mut t = f.trace.clone();
        t.meta.insert("property".into(), f.property.clone());
        t.meta
            .insert("engine".into(), format!("cover trace of {}", r.name));
        out.push(solver::PropResult {
            prop: f.prop,
            name: f.property.clone(),
            kind: PropKind::Assert,
            status: Verdict::Fail {
                depth: f.cycle as u32,
                trace: t,
            },
            interrupted: false,
            elapsed: r.elapsed,
            engine: r.engine,
            invariant_size: None,
        });
    }
    Ok(out)
}
