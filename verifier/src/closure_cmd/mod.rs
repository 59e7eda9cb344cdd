//! `verify --closure` (and plain `verify FILE...`): coverage closure with
//! simulation and formal side by side on one coverage database.

pub mod output;

use crate::cli::RunArgs;
use crate::{frontend, report, status};
use anyhow::{bail, Context};
use closure::{Budget, Engines, Options};
use indicatif::{ProgressBar, ProgressStyle};
use ir::reset::ResetSpec;
use sim::Program;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Budget when neither `--budget` nor `--cycles` is given.
const DEFAULT_BUDGET_S: f64 = 10.0;

fn budget(args: &RunArgs) -> anyhow::Result<Budget> {
    match (args.budget, args.cycles_given) {
        (Some(_), true) => bail!("give either --budget SECS or --cycles N, not both"),
        (Some(s), false) => {
            if !(s.is_finite() && s > 0.0) {
                bail!("--budget {s}: expected a positive number of seconds");
            }
            Ok(Budget::Time(Duration::from_secs_f64(s)))
        }
        (None, true) => Ok(Budget::Cycles(args.cycles)),
        (None, false) => Ok(Budget::Time(Duration::from_secs_f64(DEFAULT_BUDGET_S))),
    }
}

pub fn run(args: &RunArgs, color: bool) -> anyhow::Result<u8> {
    let budget = budget(args)?;
    let engines =
        crate::cli::ClosureEngineArg::engines(&args.engines).map_err(anyhow::Error::msg)?;
    let init = args.init.mode();
    let prior = args
        .merge
        .iter()
        .map(|p| output::read_db(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let loaded = frontend::load(args, color)?;
    let design = &loaded.elab.design;
    let prog =
        Arc::new(Program::compile(design).context("cannot compile the design for simulation")?);
    let reset = ir::reset::resolve(
        design,
        &ResetSpec::from_option(args.reset.as_deref()),
        args.reset_cycles,
    )?;
    if let Some(r) = reset.as_ref().filter(|r| r.auto) {
        eprintln!(
            "reset: `{}` (active {}), held for {} cycle(s)",
            r.reset.name,
            if r.reset.active_low { "low" } else { "high" },
            args.reset_cycles
        );
    }
    let mut prior_db: Option<testgen::CoverageDb> = None;
    for p in prior {
        match &mut prior_db {
            None => prior_db = Some(p),
            Some(d) => d.merge(&p)?,
        }
    }
    let opts = Options {
        budget,
        seed: args.seed,
        engines,
        depth: args.depth,
        init,
        reset,
        reset_cycles: args.reset_cycles,
    };
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let c = Arc::clone(&cancel);
        // Ctrl-C stops the run and reports what is known (a second handler
        // may already be installed by another mode; then Ctrl-C just exits).
        let _ = ctrlc::set_handler(move || c.store(true, Ordering::Relaxed));
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = ProgressBar::new(100);
        b.set_style(
            ProgressStyle::with_template("closure {bar:30} {pos:>3}% {msg} [{elapsed}]")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    });
    let sources = &loaded.sources;
    let pool = match args.threads {
        Some(n) if n > 0 => rayon::ThreadPoolBuilder::new().num_threads(n).build()?,
        Some(_) => bail!("--threads: expected at least 1"),
        None => rayon::ThreadPoolBuilder::new().build()?,
    };
    let out = pool.install(|| {
        closure::run(
            design,
            &prog,
            &opts,
            prior_db,
            |span| sources.location(span).map(|l| l.to_string()),
            |db, cycles| {
                if let Some(b) = &bar {
                    let s = db.summary(None);
                    b.set_position(s.closure().floor() as u64);
                    b.set_message(format!(
                        "{:.1}% ({} hit, {} unreachable, {} unknown of {}), {} cycles",
                        s.closure(),
                        s.hit,
                        s.unreachable,
                        s.unknown,
                        s.total,
                        cycles
                    ));
                }
            },
            Arc::clone(&cancel),
        )
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    for w in &out.warnings {
        eprintln!("warning: {w}");
    }
    // Stimulus files the database refers to.
    let stim_dir = args.out.join("stimuli");
    for (name, t) in &out.stimuli {
        report::write_json(&stim_dir.join(format!("{name}.json")), t)?;
    }
    // Assertions that failed on the way: bugs found, reported like `--sim`
    // reports them (trace to replay, waveform).
    let mut failed = Vec::new();
    for f in &out.failures {
        let dir = report::prop_dir(&args.out, &format!("{}.closure", f.property))?;
        let tpath = dir.join("trace.json");
        report::write_json(&tpath, &f.trace)?;
        let vpath = dir.join("trace.vcd");
        sim::vcd::write_vcd_file(&prog, &f.trace, init, &vpath)?;
        println!(
            "FAIL {} ({}) at cycle {}, found by closure\n     replay: verify --sim --stimulus {} {}\n     waveform: {}",
            f.property,
            sources.describe(f.span),
            f.cycle,
            tpath.display(),
            report::design_args(args),
            vpath.display()
        );
        failed.push(output::FailureReport {
            property: f.property.clone(),
            location: sources.location(f.span).map(|l| l.to_string()),
            cycle: f.cycle,
            // Relative to --out, so reports of one run compare equal.
            stimulus: tpath
                .strip_prefix(&args.out)
                .unwrap_or(&tpath)
                .display()
                .to_string(),
        });
    }
    print!("{}", output::table(&out.db));
    println!(
        "{} cycles simulated in {} rounds, {:.2} s; formal: {} queries ({} covered, {} unreachable, {} unknown){}",
        out.cycles,
        out.rounds,
        out.elapsed.as_secs_f64(),
        out.formal.queries,
        out.formal.covered,
        out.formal.unreachable,
        out.formal.unknown,
        if engines.model() || engines.dict_episodes() {
            format!(
                "; learned generator: {} training steps, input dictionary: {} values",
                out.train_steps, out.dict_entries
            )
        } else {
            String::new()
        }
    );
    if !out.stimuli.is_empty() {
        println!("stimuli: {}", stim_dir.display());
    }
    if let Some(f) = &args.json {
        output::write_json(f, &out, engines, args.seed, &failed)?;
    }
    if let Some(f) = &args.lcov {
        write_text(f, &output::lcov(&out.db))?;
    }
    if let Some(f) = &args.plot {
        let label = engine_label(engines);
        let svg = output::plot_svg(
            &format!("coverage closure of {}", out.db.top),
            &[output::Curve {
                label,
                samples: &out.history,
            }],
        );
        write_text(f, &svg)?;
    }
    if let Some(dir) = &args.min_set {
        let sets = closure::minset::hit_sets(&prog, &out.stimuli, init)?;
        let chosen = closure::minset::min_set(&out.db, &sets);
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        for name in &chosen {
            report::write_json(&dir.join(format!("{name}.json")), &out.stimuli[name])?;
        }
        println!(
            "min-set: {} of {} stimulus files hit every hit point, written to {}",
            chosen.len(),
            out.stimuli.len(),
            dir.display()
        );
    }
    Ok(if !out.failures.is_empty() {
        status::FAIL
    } else if out.db.all_closed() {
        status::OK
    } else {
        status::UNKNOWN
    })
}

pub fn engine_label(e: Engines) -> String {
    let mut v = Vec::new();
    if e.random {
        v.push("random");
    }
    if e.learned {
        v.push("learned");
    }
    if e.uniform {
        v.push("uniform");
    }
    if e.dict {
        v.push("dict");
    }
    if e.mlp {
        v.push("mlp");
    }
    if e.formal {
        v.push("formal");
    }
    v.join("+")
}

fn write_text(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    if let Some(d) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(d).with_context(|| format!("cannot create {}", d.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}
