//! `verify regress DIR` and `verify merge RESULTS...`: the regression
//! runner. Manifests under DIR name designs, jobs and expected results;
//! jobs run in parallel (rayon), each is judged against its expectations,
//! and the run ends with a table, the totals and one gate (the exit
//! status), with JSON and JUnit reports for CI and a folder per failure.

pub mod gate;
pub mod junit;
pub mod merge;
mod progress;
pub mod results;
pub mod runner;
pub mod shard;
mod table;

pub use verifier::manifest;

use crate::cli::{MergeArgs, RegressArgs};
use crate::{report, status};
use anyhow::Context as _;
use rayon::prelude::*;
use results::{JobKind, Planned, RunFile, SeedRange, Totals, UnitResult, Verdict, FORMAT};
use runner::Unit;
use shard::{JobShape, Shard};
use std::collections::BTreeSet;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Every job of the suite, in suite order (design, then lint, sim, bmc,
/// closure).
fn plan(designs: &[manifest::Design]) -> Vec<Unit> {
    let mut jobs = Vec::new();
    for (i, d) in designs.iter().enumerate() {
        let j = &d.manifest.jobs;
        let mut add = |kind, seeds| {
            jobs.push(Unit {
                design: i,
                kind,
                seeds,
                job_seeds: seeds,
            })
        };
        if j.lint {
            add(JobKind::Lint, None);
        }
        if let Some(s) = j.sim.get() {
            add(
                JobKind::Sim,
                Some(SeedRange {
                    first: s.seed,
                    count: s.seeds,
                }),
            );
        }
        if j.bmc.get().is_some() {
            add(JobKind::Bmc, None);
        }
        if j.closure.get().is_some() {
            add(JobKind::Closure, None);
        }
    }
    jobs
}

/// A job's estimated cost for shard balancing, in thousands of simulated
/// cycles (formal: a guess from its depth, quadratic as unrolling is). Only
/// the order of magnitude matters; it must depend on the suite alone.
fn cost(d: &manifest::Design, kind: JobKind) -> u64 {
    let j = &d.manifest.jobs;
    match kind {
        JobKind::Lint => 1,
        JobKind::Sim => j
            .sim
            .get()
            .map_or(1, |s| (s.seeds * s.cycles / 1000).max(1)),
        JobKind::Bmc => j.bmc.get().map_or(1, |b| {
            let d = u64::from(b.depth);
            (d * d / 4).max(1) * if b.prove { 2 } else { 1 }
        }),
        JobKind::Closure => j.closure.get().map_or(1, |c| (c.budget / 1000).max(1)),
    }
}

/// The results folder: `--out`, by default `verify_out/regress`.
fn last_path(out: &Path) -> PathBuf {
    out.join("last.json")
}

pub fn run(args: &RegressArgs) -> anyhow::Result<u8> {
    let t0 = Instant::now();
    let designs = match manifest::discover(&args.dir) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(status::ERROR);
        }
    };
    if designs.is_empty() {
        eprintln!(
            "error: no manifest ({}) under {}",
            manifest::MANIFEST,
            args.dir.display()
        );
        return Ok(status::ERROR);
    }
    let jobs = plan(&designs);
    let planned: Vec<Planned> = jobs
        .iter()
        .map(|u| Planned {
            job: u.job(&designs),
            seeds: u.seeds,
        })
        .collect();
    let previous = if args.rerun_failed {
        let p = last_path(&args.out);
        if !p.exists() {
            eprintln!(
                "error: --rerun-failed: no previous run recorded in {}",
                p.display()
            );
            return Ok(status::ERROR);
        }
        Some(RunFile::read(&p)?)
    } else {
        None
    };
    let shard = match &args.shard {
        Some(s) => match Shard::parse(s) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                return Ok(status::ERROR);
            }
        },
        // A re-run repeats the slice the last run had.
        None => previous
            .as_ref()
            .and_then(|p| p.shard)
            .unwrap_or(Shard::ALL),
    };
    let shapes: Vec<JobShape> = jobs
        .iter()
        .map(|u| JobShape {
            kind: u.kind,
            seeds: u.seeds,
            cost: cost(&designs[u.design], u.kind),
        })
        .collect();
    let mut units: Vec<Unit> = shard::select(&shapes, shard)
        .into_iter()
        .map(|(j, seeds)| Unit {
            seeds,
            ..jobs[j].clone()
        })
        .collect();
    if !args.only.is_empty() {
        units.retain(|u| {
            let job = u.job(&designs);
            args.only.iter().any(|p| job.contains(p.as_str()))
        });
    }
    if let Some(prev) = &previous {
        let failed: BTreeSet<String> = prev
            .units
            .iter()
            .filter(|u| matches!(u.verdict, Verdict::Fail | Verdict::Error))
            .map(|u| u.key())
            .collect();
        if failed.is_empty() {
            println!("regress: the last run had no failures; nothing to re-run");
            return Ok(status::OK);
        }
        units.retain(|u| failed.contains(&u.key(&designs)));
        let known: BTreeSet<String> = units.iter().map(|u| u.key(&designs)).collect();
        for k in failed.difference(&known) {
            eprintln!("warning: --rerun-failed: {k} is no longer in the suite (or this shard)");
        }
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    if previous.is_none() {
        // Failure folders of an earlier run would mislead.
        let f = args.out.join("failures");
        if f.exists() {
            std::fs::remove_dir_all(&f).with_context(|| format!("cannot clear {}", f.display()))?;
        }
    }

    let cancel = Arc::new(AtomicBool::new(false));
    {
        let cancel = cancel.clone();
        if let Err(e) = ctrlc::set_handler(move || cancel.store(true, Ordering::Relaxed)) {
            eprintln!("warning: Ctrl-C handler not installed: {e}");
        }
    }
    let ctx = runner::Context {
        designs: &designs,
        out: &args.out,
        cancel,
        coverage: args.coverage.is_some(),
        color: args.color.on(std::io::stdout().is_terminal()),
    };
    // Longest first (formal, then simulation) so the parallel tail is short;
    // results are put back in suite order.
    let mut order: Vec<usize> = (0..units.len()).collect();
    let weight = |k: JobKind| match k {
        JobKind::Bmc => 0,
        JobKind::Sim => 1,
        JobKind::Closure => 2,
        JobKind::Lint => 3,
    };
    order.sort_by_key(|&i| (weight(units[i].kind), i));
    let bar = progress::Progress::new(units.len());
    let work = || -> Vec<(usize, UnitResult)> {
        order
            .par_iter()
            .with_max_len(1)
            .map(|&i| {
                let u = &units[i];
                let line = bar.start(&runner_label(u, &designs));
                let say = |m: String| {
                    if let Some(b) = &line {
                        b.set_message(m);
                    }
                };
                let r = runner::run_unit(&ctx, u, &say);
                bar.finish(line, &r);
                (i, r)
            })
            .collect()
    };
    let mut done = if args.threads > 0 {
        rayon::ThreadPoolBuilder::new()
            .num_threads(args.threads)
            .build()
            .context("cannot start the worker threads")?
            .install(work)
    } else {
        work()
    };
    bar.clear();
    done.sort_by_key(|(i, _)| *i);
    let mut results: Vec<UnitResult> = done.into_iter().map(|(_, r)| r).collect();

    if let Some(prev) = previous {
        // The record keeps every unit of the last run, re-run ones replaced.
        let fresh: BTreeSet<String> = results.iter().map(|u| u.key()).collect();
        let mut all: Vec<UnitResult> = prev
            .units
            .into_iter()
            .filter(|u| !fresh.contains(&u.key()))
            .collect();
        all.append(&mut results);
        let pos = |u: &UnitResult| planned.iter().position(|p| p.job == u.job);
        all.sort_by_key(|u| (pos(u), u.seeds.map(|s| s.first)));
        results = all;
    }
    let run = RunFile {
        format: FORMAT.into(),
        suite: args.dir.clone(),
        shard: (shard != Shard::ALL).then_some(shard),
        planned,
        units: results,
        seconds: t0.elapsed().as_secs_f64(),
    };
    finish(
        &run,
        &args.out,
        Reports {
            json: args.json.as_deref(),
            junit: args.junit.as_deref(),
            coverage: args.coverage.as_deref(),
        },
        shard.count == 1,
    )
}

fn runner_label(u: &Unit, designs: &[manifest::Design]) -> String {
    if u.seeds == u.job_seeds {
        u.job(designs)
    } else {
        u.key(designs)
    }
}

/// Write the reports, print the table, and return the gate.
/// The report files asked for.
struct Reports<'a> {
    json: Option<&'a Path>,
    junit: Option<&'a Path>,
    coverage: Option<&'a Path>,
}

/// `--coverage F`: every design's coverage, gathered from its units (after
/// `verify merge`, one sim unit per job holds every seed's coverage).
#[derive(serde::Serialize)]
struct CoverageReport<'a> {
    format: &'static str,
    designs: std::collections::BTreeMap<&'a str, DesignCoverage<'a>>,
}

#[derive(Default, serde::Serialize)]
struct DesignCoverage<'a> {
    /// Sim jobs' coverage, summed over the units of this run.
    #[serde(skip_serializing_if = "Option::is_none")]
    sim: Option<sim::Coverage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    closure: Option<&'a testgen::CoverageDb>,
}

fn coverage_report(units: &[UnitResult]) -> CoverageReport<'_> {
    let mut designs: std::collections::BTreeMap<&str, DesignCoverage> = Default::default();
    for u in units {
        let d = designs.entry(u.design.as_str()).or_default();
        if let Some(c) = &u.coverage {
            match &mut d.sim {
                Some(a) => a.merge(c),
                None => d.sim = Some(c.clone()),
            }
        }
        if let Some(db) = &u.closure {
            d.closure = Some(db);
        }
    }
    designs.retain(|_, d| d.sim.is_some() || d.closure.is_some());
    CoverageReport {
        format: "verify-coverage/1",
        designs,
    }
}

fn finish(run: &RunFile, out: &Path, reports: Reports, final_gate: bool) -> anyhow::Result<u8> {
    report::write_json(&last_path(out), run)?;
    if let Some(j) = reports.json {
        report::write_json(j, run)?;
    }
    if let Some(c) = reports.coverage {
        report::write_json(c, &coverage_report(&run.units))?;
    }
    if let Some(j) = reports.junit {
        if let Some(dir) = j.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(j, junit::to_xml(&run.units, run.seconds))
            .with_context(|| format!("cannot write {}", j.display()))?;
    }
    table::print(&run.units, run.seconds);
    let t = Totals::of(&run.units);
    if !final_gate && t.pending > 0 {
        println!(
            "shard {}: the gate is decided by `verify merge` over every shard's results",
            run.shard.map(|s| s.to_string()).unwrap_or_default()
        );
    }
    Ok(t.exit_status(final_gate))
}

pub fn merge_cmd(args: &MergeArgs) -> anyhow::Result<u8> {
    let mut files = Vec::new();
    for p in &args.results {
        match RunFile::read(p) {
            Ok(f) => files.push(f),
            Err(e) => {
                eprintln!("error: {e:#}");
                return Ok(status::ERROR);
            }
        }
    }
    let merged = match merge::merge(&files) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e:#}");
            return Ok(status::ERROR);
        }
    };
    finish(
        &merged,
        &args.out,
        Reports {
            json: args.json.as_deref(),
            junit: args.junit.as_deref(),
            coverage: args.coverage.as_deref(),
        },
        true,
    )
}
