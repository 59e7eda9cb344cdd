//! `verify --bmc [--prove] [--cover]`: the formal engine, with every trace
//! confirmed by the simulator before it is reported.

use crate::cli::RunArgs;
use crate::{frontend, report, sim_cmd, status};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use rtl::ir::{Design, PropKind};
use rtl::trace::Trace;
use serde::Serialize;
use sim::{InitMode, Program};
use solver::{BmcOptions, Control, Status};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// One entry of the JSON report (ARCHITECTURE.md "Results").
#[derive(Serialize)]
struct Entry {
    name: String,
    kind: &'static str,
    status: &'static str,
    depth: Option<u32>,
    trace: Option<PathBuf>,
    vcd: Option<PathBuf>,
    location: String,
    seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    induction_trace: Option<PathBuf>,
    /// The engine that decided: `bmc`, `k-induction` or `pdr`.
    engine: &'static str,
    /// For a PDR proof: clauses in the inductive invariant.
    #[serde(skip_serializing_if = "Option::is_none")]
    invariant_size: Option<usize>,
}

#[derive(Serialize)]
struct Report {
    top: String,
    depth: u32,
    properties: Vec<Entry>,
}

/// Replay a solver trace in the simulator; true if the property does what
/// the solver says in the trace's last cycle (an assertion fails, a cover is hit).
pub(crate) fn confirm(
    prog: &Arc<Program>,
    d: &Design,
    prop: usize,
    trace: &Trace,
) -> anyhow::Result<bool> {
    let res = sim::replay_with(prog, trace, InitMode::Zero, |_| {})?;
    let last = match res.props.last() {
        Some(l) => l,
        None => return Ok(false),
    };
    let hit = last.get(prop).copied().unwrap_or(false);
    Ok(match d.props[prop].kind {
        PropKind::Assert => hit && res.assume_violation.is_none(),
        _ => hit,
    })
}

pub fn run(args: &RunArgs, color: bool) -> anyhow::Result<u8> {
    let loaded = frontend::load(args, color)?;
    let d = &loaded.elab.design;
    let prog = Arc::new(Program::compile(d).context("cannot compile the design for replay")?);

    // The reset convention is the simulator's (one implementation of it).
    let reset = sim::resolve_reset(d, &sim_cmd::reset_spec(args.reset.as_deref()))?;
    if let Some(r) = &reset {
        if r.auto {
            eprintln!(
                "reset: `{}` (active {}), held for {} cycle(s)",
                r.name,
                if r.active_low { "low" } else { "high" },
                args.reset_cycles
            );
        }
    }
    let opts = BmcOptions {
        depth: args.depth,
        prove: args.prove,
        reset: match &reset {
            Some(r) => solver::ResetSpec::Input {
                name: r.name.clone(),
                active_high: !r.active_low,
                cycles: args.reset_cycles as u32,
            },
            None => solver::ResetSpec::None,
        },
        timeout: args.timeout.map(Duration::from_secs_f64),
        engine: args.engine.engine(),
        ..BmcOptions::default()
    };
    if let Some(path) = &args.emit_btor2 {
        let r = solver::resolve_reset(d, &opts.reset)?;
        let text = solver::btor2::write_btor2(d, r.as_ref())?;
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("BTOR2 model written to {}", path.display());
        if !(args.bmc || args.prove || args.cover) {
            return Ok(status::OK);
        }
    }
    let props: Vec<usize> = (0..d.props.len())
        .filter(|&i| match d.props[i].kind {
            PropKind::Assert => true,
            PropKind::Cover => args.cover || args.prove,
            PropKind::Assume => false,
        })
        .collect();
    if props.is_empty() {
        println!("{}: no assertions to check", d.top);
        return Ok(status::OK);
    }

    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::new(args.depth as u64);
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
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let cancel = cancel.clone();
        if let Err(e) = ctrlc::set_handler(move || cancel.store(true, Ordering::Relaxed)) {
            eprintln!("warning: Ctrl-C handler not installed: {e}");
        }
    }
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
    let results = solver::check(d, &props, &opts, &ctl)?;
    if let Some(b) = bar {
        b.finish_and_clear();
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
            status: r.status.word(),
            depth: r.status.depth(),
            trace: None,
            vcd: None,
            location: location.clone(),
            seconds: r.elapsed.as_secs_f64(),
            reason: None,
            induction_trace: None,
            engine: r.engine,
            invariant_size: r.invariant_size,
        };
        if let Some(t) = r.status.trace() {
            if !confirm(&prog, d, r.prop, t)? {
                internal += 1;
                e.status = "unknown";
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
                Status::Pass { .. } | Status::NotCovered { .. } | Status::Unknown { .. }
            );
        if stopped_early {
            // Bounded results short of --depth are not what was asked for.
            e.status = "unknown";
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
        } else if let Status::NotCovered { depth } = &r.status {
            // ARCHITECTURE.md has no bounded status for covers: not reached
            // and not proven unreachable is unknown.
            e.status = "unknown";
            e.reason = Some(format!("not reached within depth {depth}"));
        }
        if let Status::Unknown {
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
            "fail" => failed += 1,
            "unknown" => unknown += 1,
            _ => {}
        }
        let depth = e.depth.map(|k| k.to_string()).unwrap_or_else(|| "-".into());
        println!(
            "{:<40} {:<11} {:>5}  {:>7.2}s  {}",
            e.name, e.status, depth, e.seconds, location
        );
        if let (Some(tp), "fail" | "covered") = (&e.trace, e.status) {
            println!(
                "    trace: {}  (replay: verify --sim --stimulus {} {})",
                tp.display(),
                tp.display(),
                report::design_args(args)
            );
        }
        if let Some(reason) = &e.reason {
            println!("    {reason}");
        }
        if let (Some(n), "proven" | "unreachable") = (e.invariant_size, e.status) {
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
        args.depth,
        failed,
        unknown
    );
    if let Some(j) = &args.json {
        report::write_json(
            j,
            &Report {
                top: d.top.clone(),
                depth: args.depth,
                properties: entries,
            },
        )?;
    }
    Ok(if internal > 0 {
        status::ERROR
    } else if failed > 0 {
        status::FAIL
    } else if unknown > 0 && (args.prove || interrupted) {
        status::UNKNOWN
    } else {
        status::OK
    })
}
