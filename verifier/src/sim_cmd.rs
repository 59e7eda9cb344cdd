//! `verify --sim`: random simulation over seeds, or replay of a stimulus.

use crate::cli::RunArgs;
use crate::{frontend, report, status};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use ir::reset::ResetSpec;
use ir::status::Status;
use rtl::ir::PropKind;
use sim::{Outcome, Program, SimOptions};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Run `work` (which adds simulated cycles to the counter it is given) with
/// a progress bar of `total` cycles on stderr, shown only once the run has
/// taken a second and only when stderr is a terminal.
fn with_progress<T>(total: u64, work: impl FnOnce(&AtomicU64) -> T) -> T {
    let progress = AtomicU64::new(0);
    if !std::io::stderr().is_terminal() {
        return work(&progress);
    }
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            let start = Instant::now();
            let mut bar: Option<ProgressBar> = None;
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(50));
                if bar.is_none() && start.elapsed() >= Duration::from_secs(1) {
                    let b = ProgressBar::new(total);
                    b.set_style(
                        ProgressStyle::with_template(
                            "{bar:30} {human_pos}/{human_len} cycles, {per_sec}, eta {eta} [{elapsed}]",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                    );
                    bar = Some(b);
                }
                if let Some(b) = &bar {
                    b.set_position(progress.load(Ordering::Relaxed).min(total));
                }
            }
            if let Some(b) = bar {
                b.finish_and_clear();
            }
        });
        let r = work(&progress);
        done.store(true, Ordering::Relaxed);
        r
    })
}

pub fn run(args: &RunArgs, color: bool) -> anyhow::Result<u8> {
    let init = args.init.mode();
    let jit = args.jit.mode();
    let loaded = frontend::load(args, color)?;
    let design = &loaded.elab.design;
    let prog =
        Arc::new(Program::compile(design).context("cannot compile the design for simulation")?);
    let describe = |span| loaded.sources.describe(span);

    if let Some(path) = &args.stimulus {
        let trace = report::read_trace(path)?;
        let res = match &args.vcd {
            Some(v) => sim::vcd::write_vcd_file(&prog, &trace, init, v)?,
            None => sim::replay_with(&prog, &trace, init, |_| {})?,
        };
        if let Some(f) = &args.dump_outputs {
            report::write_json(f, &sim::outputs_trace(design, &res))?;
        }
        if let Some(j) = &args.json {
            // One run of the stimulus: the first failing assertion, the
            // first hit of each cover.
            let properties = design
                .props
                .iter()
                .enumerate()
                .filter(|(_, p)| !matches!(p.kind, PropKind::Assume | PropKind::Fair))
                .map(|(i, p)| {
                    let hit = res
                        .props
                        .iter()
                        .position(|row| row.get(i).copied().unwrap_or(false));
                    let failed = res.failure.as_ref().filter(|f| f.prop == i);
                    let (status, cycle, reason) = match p.kind {
                        PropKind::Cover => match hit {
                            Some(c) => (Status::Covered, Some(c as u64), None),
                            None => (
                                Status::Unknown,
                                None,
                                Some("not hit by the stimulus".into()),
                            ),
                        },
                        PropKind::Live => (
                            Status::Unknown,
                            None,
                            Some("liveness: simulation cannot decide it".into()),
                        ),
                        _ => match failed {
                            Some(f) => (Status::Fail, Some(f.cycle), None),
                            None => (Status::Pass, None, None),
                        },
                    };
                    SimEntry {
                        name: p.name.clone(),
                        kind: p.kind.name(),
                        status,
                        seed: None,
                        cycle,
                        trace: failed.map(|_| path.clone()),
                        vcd: None,
                        location: describe(p.span),
                        reason,
                        liveness: p.kind == PropKind::Live,
                    }
                })
                .collect();
            report::write_json(
                j,
                &SimReport {
                    top: design.top.clone(),
                    seeds: 1,
                    cycles: trace.cycles.len() as u64,
                    properties,
                },
            )?;
        }
        if let Some(a) = &res.assume_violation {
            println!(
                "assumption {} ({}) violated at cycle {}: the stimulus breaks it",
                a.property,
                describe(a.span),
                a.cycle
            );
        }
        return Ok(match &res.failure {
            Some(f) => {
                println!(
                    "FAIL {} ({}) at cycle {}",
                    f.property,
                    describe(f.span),
                    f.cycle
                );
                status::FAIL
            }
            None => {
                println!(
                    "replayed {} cycles from {}: no assertion failed",
                    trace.cycles.len(),
                    path.display()
                );
                status::OK
            }
        });
    }

    let from_file = match &args.clock_file {
        Some(f) => crate::clock_file::load(f)
            .map_err(anyhow::Error::msg)?
            .iter()
            .map(|c| sim::ClockSpec::parse(c).map_err(anyhow::Error::msg))
            .collect::<anyhow::Result<Vec<_>>>()?,
        None => Vec::new(),
    };
    let clocks = crate::clock_file::merge(from_file, &args.clocks);
    let opts = SimOptions {
        cycles: args.cycles,
        seed: args.seed,
        seeds: args.seeds.max(1),
        init,
        reset: ResetSpec::from_option(args.reset.as_deref()),
        reset_cycles: args.reset_cycles,
        stop_on_failure: true,
        coverage: args.coverage.is_some(),
        jit,
        clocks,
    };
    let rep = with_progress(opts.seeds * opts.cycles, |progress| {
        sim::run_random_progress(&prog, &opts, progress)
    })?;
    match &rep.reset {
        Some(r) if r.auto => eprintln!(
            "reset: `{}` (active {}), held for {} cycle(s)",
            r.reset.name,
            if r.reset.active_low { "low" } else { "high" },
            opts.reset_cycles
        ),
        None if matches!(opts.reset, ResetSpec::Auto) => {
            eprintln!("reset: none found (give --reset NAME or --reset !NAME)")
        }
        _ => {}
    }
    if let Some(c) = sim::describe_clocks(&prog.design, &opts.clocks) {
        eprintln!("{c}");
    }
    if let Some(f) = &args.vcd {
        let t = sim::random_trace(&prog, &opts, rep.reset.as_ref(), opts.seed, opts.cycles);
        sim::vcd::write_vcd_file(&prog, &t, init, f)?;
    }
    if let Some(f) = &args.dump_outputs {
        let t = sim::random_trace(&prog, &opts, rep.reset.as_ref(), opts.seed, opts.cycles);
        report::write_json(f, &sim::dump_outputs(design, &t, init)?)?;
    }
    if let (Some(f), Some(c)) = (&args.coverage, &rep.coverage) {
        report::write_coverage(f, c, &loaded.sources)?;
        println!(
            "coverage: {}/{} points hit, written to {}",
            c.hit(),
            c.total(),
            f.display()
        );
    }
    let mut failed = 0;
    // Per property: the lowest failing seed's (seed, cycle, trace, VCD).
    let mut failures: std::collections::HashMap<usize, (u64, u64, PathBuf, PathBuf)> =
        std::collections::HashMap::new();
    for s in &rep.seeds {
        match &s.outcome {
            Outcome::Fail(f) => {
                failed += 1;
                let dir = report::prop_dir(&args.out, &format!("{}.seed{}", f.property, f.seed))?;
                let tpath = dir.join("trace.json");
                report::write_json(&tpath, &f.trace)?;
                let vpath = dir.join("trace.vcd");
                sim::vcd::write_vcd_file(&prog, &f.trace, init, &vpath)?;
                failures
                    .entry(f.prop)
                    .or_insert((f.seed, f.cycle, tpath.clone(), vpath.clone()));
                println!(
                    "FAIL {} ({}) at cycle {}, seed {}\n     replay: verify --sim --stimulus {} {}\n     waveform: {}",
                    f.property,
                    describe(f.span),
                    f.cycle,
                    f.seed,
                    tpath.display(),
                    report::design_args(args),
                    vpath.display()
                );
            }
            Outcome::AssumeViolated(a) => {
                println!(
                    "seed {}: stopped at cycle {}: random stimulus violates assumption {} ({})",
                    a.seed,
                    a.cycle,
                    a.property,
                    describe(a.span)
                );
            }
            Outcome::Pass | Outcome::Stopped => {}
        }
    }
    // Liveness: a finite run never fails one, and never passes it either.
    for (i, p) in design.props.iter().enumerate() {
        if p.kind != rtl::ir::PropKind::Live {
            continue;
        }
        let pending: Vec<(u64, u64)> = rep
            .seeds
            .iter()
            .filter(|s| matches!(s.outcome, Outcome::Pass))
            .filter_map(|s| {
                s.live_pending
                    .get(i)
                    .copied()
                    .flatten()
                    .map(|c| (s.seed, c))
            })
            .collect();
        let finished = rep
            .seeds
            .iter()
            .filter(|s| matches!(s.outcome, Outcome::Pass))
            .count();
        match pending.first() {
            _ if finished == 0 => {}
            Some((seed, since)) => eprintln!(
                "warning: liveness {} ({}): not yet satisfied: an obligation outstanding since cycle {since} (seed {seed}) was still open when the run ended ({} of the seeds); simulation cannot decide liveness, use --bmc",
                p.name,
                describe(p.span),
                pending.len()
            ),
            None => eprintln!(
                "note: liveness {} ({}): no obligation left open at the end of the run; simulation cannot prove liveness, use --bmc --prove",
                p.name,
                describe(p.span)
            ),
        }
    }
    // `cover_hits` is indexed by property.
    let cover_ids: Vec<usize> = (0..design.props.len())
        .filter(|&i| design.props[i].kind == rtl::ir::PropKind::Cover)
        .collect();
    let covers = cover_ids.len();
    let hit = cover_ids
        .iter()
        .filter(|&&i| {
            rep.seeds
                .iter()
                .any(|s| s.cover_hits.get(i).is_some_and(|h| *h > 0))
        })
        .count();
    println!(
        "sim: {} seed(s) x {} cycles: {} failing seed(s); covers hit {hit}/{covers}",
        rep.seeds.len(),
        opts.cycles,
        failed
    );
    if let Some(j) = &args.json {
        let properties = design
            .props
            .iter()
            .enumerate()
            .filter(|(_, p)| !matches!(p.kind, PropKind::Assume | PropKind::Fair))
            .map(|(i, p)| {
                let mut e = SimEntry {
                    name: p.name.clone(),
                    kind: p.kind.name(),
                    status: Status::Pass,
                    seed: None,
                    cycle: None,
                    trace: None,
                    vcd: None,
                    location: describe(p.span),
                    reason: None,
                    liveness: p.kind == PropKind::Live,
                };
                match p.kind {
                    PropKind::Cover => {
                        let first = rep
                            .seeds
                            .iter()
                            .filter_map(|s| {
                                s.cover_first.get(i).copied().flatten().map(|c| (c, s.seed))
                            })
                            .min();
                        match first {
                            Some((c, seed)) => {
                                e.status = Status::Covered;
                                (e.cycle, e.seed) = (Some(c), Some(seed));
                            }
                            None => {
                                e.status = Status::Unknown;
                                e.reason = Some("not hit by any seed".into());
                            }
                        }
                    }
                    PropKind::Live => {
                        e.status = Status::Unknown;
                        e.reason = Some("liveness: simulation cannot decide it".into());
                    }
                    _ => {
                        if let Some((seed, cycle, t, v)) = failures.get(&i) {
                            e.status = Status::Fail;
                            (e.seed, e.cycle) = (Some(*seed), Some(*cycle));
                            (e.trace, e.vcd) = (Some(t.clone()), Some(v.clone()));
                        }
                    }
                }
                e
            })
            .collect();
        report::write_json(
            j,
            &SimReport {
                top: design.top.clone(),
                seeds: rep.seeds.len() as u64,
                cycles: opts.cycles,
                properties,
            },
        )?;
    }
    Ok(if failed > 0 { status::FAIL } else { status::OK })
}

/// `--json` of a random simulation: one entry per assertion and cover
/// (the statuses of the regression's sim jobs: an assertion `fail`s with
/// the lowest failing seed or `pass`es over the seeds run, a cover is
/// `covered` by its earliest hit or `unknown`, liveness is `unknown`).
#[derive(serde::Serialize)]
struct SimReport {
    top: String,
    seeds: u64,
    cycles: u64,
    properties: Vec<SimEntry>,
}

#[derive(serde::Serialize)]
struct SimEntry {
    name: String,
    kind: &'static str,
    status: Status,
    seed: Option<u64>,
    cycle: Option<u64>,
    trace: Option<PathBuf>,
    vcd: Option<PathBuf>,
    location: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    liveness: bool,
}
