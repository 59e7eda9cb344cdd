//! Running one unit of work on its engine and recording what it saw. The
//! engines are library calls (no output printed; no command module of the
//! binary is called), the same calls `verify --sim`, `verify --bmc` and
//! `verify --closure` make: the simulator with the manifest's reset
//! convention, BMC with every trace confirmed by replay (`sim::confirm`),
//! closure by the `closure` library.

use crate::regress::manifest::{Design, Engine, GoalKind, Status};
use crate::regress::results::{
    unit_key, Expected, JobKind, PropOutcome, SeedRange, UnitResult, Verdict,
};
use crate::report;
use ir::reset::ResetSpec;
use rtl::ir::PropKind;
use rtl::trace::Trace;
use sim::{InitMode, Outcome, Program, SimOptions};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A unit of work: one job of a design, with a slice of seeds for sim.
#[derive(Clone, Debug)]
pub struct Unit {
    pub design: usize,
    pub kind: JobKind,
    pub seeds: Option<SeedRange>,
    /// Sim: every seed of the job (the unit may hold a slice).
    pub job_seeds: Option<SeedRange>,
}

impl Unit {
    pub fn job(&self, designs: &[Design]) -> String {
        format!("{}/{}", designs[self.design].name, self.kind.word())
    }

    pub fn key(&self, designs: &[Design]) -> String {
        unit_key(&self.job(designs), self.seeds)
    }
}

/// What the runner shares with every unit.
pub struct Context<'a> {
    pub designs: &'a [Design],
    /// Failing units' folders go under `out/failures/`.
    pub out: &'a Path,
    pub cancel: Arc<AtomicBool>,
    /// Collect sim coverage even without goals (`--coverage F`).
    pub coverage: bool,
    /// Render diagnostics in colour as well (`--color`), for the table.
    pub color: bool,
}

/// Why a unit could not run: the message the results files hold and, with
/// `--color`, the same with its diagnostic rendered in colour.
pub struct Failure {
    message: String,
    color: Option<String>,
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure {
            message,
            color: None,
        }
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Failure {
        Failure::from(message.to_string())
    }
}

/// Traces kept in memory until the unit is judged (only mismatching
/// properties' traces are written).
type Traces = BTreeMap<String, (Trace, InitMode)>;

/// Run `unit`, judge it, and write its failure folder if it failed.
/// `status`: called with short progress messages.
pub fn run_unit(ctx: &Context, unit: &Unit, status: &(dyn Fn(String) + Sync)) -> UnitResult {
    let t0 = Instant::now();
    let d = &ctx.designs[unit.design];
    let mut r = UnitResult {
        design: d.name.clone(),
        kind: unit.kind,
        job: unit.job(ctx.designs),
        seeds: unit.seeds,
        job_seeds: unit.job_seeds,
        cycles: None,
        depth: None,
        verdict: Verdict::Pass,
        seconds: 0.0,
        message: None,
        message_color: None,
        properties: vec![],
        expect: BTreeMap::new(),
        goals: BTreeMap::new(),
        goal_results: vec![],
        coverage: None,
        closure: None,
        mismatches: vec![],
        pending: vec![],
        artifacts: None,
        repro: String::new(),
    };
    let mut traces = Traces::new();
    let outcome = match unit.kind {
        JobKind::Lint => lint(ctx, d, &mut r),
        JobKind::Sim => simulate(ctx, d, unit, &mut r, &mut traces, status),
        JobKind::Bmc => bmc(ctx, d, &mut r, &mut traces, status),
        JobKind::Closure => closure(ctx, d, &mut r, &mut traces, status),
    };
    if let Err(e) = outcome {
        r.verdict = Verdict::Error;
        r.message = Some(e.message);
        r.message_color = e.color;
    }
    let complete = unit.seeds == unit.job_seeds;
    crate::regress::gate::judge(&mut r, complete);
    r.seconds = t0.elapsed().as_secs_f64();
    if matches!(r.verdict, Verdict::Fail | Verdict::Error) {
        let dir = failure_dir(ctx.out, &r.key());
        if let Err(e) = write_artifacts(d, &dir, &mut r, &traces) {
            r.mismatches.push(format!("artifacts not written: {e:#}"));
        }
    }
    r
}

/// `out/failures/<unit key as a folder name>/`.
pub fn failure_dir(out: &Path, key: &str) -> std::path::PathBuf {
    out.join("failures")
        .join(report::slug(&key.replace('/', ".")))
}

/// A one-line shell command: `verify ARGS DESIGN-ARGS`.
fn command(args: &[String], d: &Design) -> String {
    std::iter::once("verify".to_string())
        .chain(args.iter().cloned())
        .chain(d.manifest.verify_args(&d.dir))
        .map(|a| shell_quote(&a))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn shell_quote(s: &str) -> String {
    let safe = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./=:,+@%".contains(c));
    if safe {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Parse and elaborate: the optimised IR (as `verify` runs the engines on
/// it) and the sources it came from. `color`: render the diagnostics in
/// colour as well.
fn load_sources(d: &Design, color: bool) -> Result<(rtl::Design, rtl::SourceMap), Failure> {
    let failure = |sources: &rtl::SourceMap, e: &rtl::Error, head: &str| Failure {
        message: format!("{head}{}", e.render(sources, false)),
        color: color.then(|| format!("{head}{}", e.render(sources, true))),
    };
    let opts = d
        .manifest
        .frontend_options(&d.dir)
        .map_err(|e| failure(&rtl::SourceMap::new(), &e, ""))?;
    let c = rtl::compile(&opts);
    match c.result {
        Ok(e) => Ok((rtl::passes::optimize(&e.design), c.sources)),
        Err(e) => Err(failure(&c.sources, &e, "the design does not elaborate:\n")),
    }
}

/// The design plus the source locations of its properties.
fn load_located(d: &Design, color: bool) -> Result<(rtl::Design, Vec<String>), Failure> {
    let (design, sources) = load_sources(d, color)?;
    let locs = prop_locations(&design, &sources);
    Ok((design, locs))
}

/// `file:line:col` of every property, in `design.props` order.
fn prop_locations(design: &rtl::Design, sources: &rtl::SourceMap) -> Vec<String> {
    design
        .props
        .iter()
        .map(|p| sources.describe(p.span))
        .collect()
}

fn outcome(p: &rtl::ir::Property, location: &str) -> PropOutcome {
    PropOutcome {
        name: p.name.clone(),
        kind: p.kind.name().to_string(),
        status: None,
        depth: None,
        seed: None,
        reason: None,
        trace: None,
        vcd: None,
        location: location.to_string(),
    }
}

/// Expectations for `engine` over the checked properties `checked`:
/// the manifest's, an unlisted assertion is expected to pass, and a name
/// the manifest lists but the design lacks stays (a mismatch).
fn expectations(
    d: &Design,
    design: &rtl::Design,
    checked: &[usize],
    engine: Option<Engine>,
) -> BTreeMap<String, Expected> {
    let mut out = BTreeMap::new();
    let m = &d.manifest;
    for (name, e) in &m.expect {
        let in_design = design.props.iter().position(|p| &p.name == name);
        if in_design.is_some_and(|i| !checked.contains(&i)) {
            continue;
        }
        let status = match engine {
            Some(en) => e.for_engine(en),
            None => e.status,
        };
        // A depth belongs to the formal status; an engine override drops it.
        let depth = if status == e.status { e.depth } else { None };
        out.insert(name.clone(), Expected { status, depth });
    }
    for &i in checked {
        let p = &design.props[i];
        if p.kind == PropKind::Assert && !out.contains_key(&p.name) {
            out.insert(
                p.name.clone(),
                Expected {
                    status: Status::Pass,
                    depth: None,
                },
            );
        }
    }
    out
}

fn lint(ctx: &Context, d: &Design, r: &mut UnitResult) -> Result<(), Failure> {
    r.repro = command(&["--lint".into()], d);
    let (design, locs) = load_located(d, ctx.color)?;
    design.validate()?;
    r.properties = design
        .props
        .iter()
        .zip(&locs)
        .map(|(p, l)| outcome(p, l))
        .collect();
    let all: Vec<usize> = (0..design.props.len()).collect();
    r.expect = expectations(d, &design, &all, None)
        .into_iter()
        .filter(|(n, _)| d.manifest.expect.contains_key(n))
        .collect();
    Ok(())
}

fn simulate(
    ctx: &Context,
    d: &Design,
    unit: &Unit,
    r: &mut UnitResult,
    traces: &mut Traces,
    status: &(dyn Fn(String) + Sync),
) -> Result<(), Failure> {
    let job = d
        .manifest
        .jobs
        .sim
        .get()
        .ok_or("the manifest turns the sim job off")?;
    let seeds = unit.seeds.ok_or("a sim unit without seeds")?;
    r.cycles = Some(job.cycles);
    r.goals = d.manifest.goals.clone();
    r.goals.remove(&GoalKind::Closure);
    let mut flags: Vec<String> = vec![
        "--sim".into(),
        "--seed".into(),
        seeds.first.to_string(),
        "--seeds".into(),
        seeds.count.to_string(),
        "--cycles".into(),
        job.cycles.to_string(),
        "--init".into(),
        job.init.clone(),
    ];
    let clocks = d.manifest.clock_specs(&d.dir)?;
    for c in &clocks {
        flags.extend(["--clock".into(), c.clone()]);
    }
    r.repro = command(&flags, d);
    let (design, locs) = load_located(d, ctx.color)?;
    let init = InitMode::parse(&job.init)?;
    let prog = Arc::new(Program::compile(&design).map_err(|e| e.to_string())?);
    let opts = SimOptions {
        cycles: job.cycles,
        seed: seeds.first,
        seeds: seeds.count,
        init,
        reset: ResetSpec::from_option(d.manifest.reset.as_deref()),
        reset_cycles: 1,
        // Every seed runs to its own end: a seed's result must not depend
        // on how fast another seed failed (exact re-runs, any thread count).
        stop_on_failure: false,
        coverage: !r.goals.is_empty() || ctx.coverage,
        jit: sim::JitMode::Auto,
        clocks: clocks
            .iter()
            .map(|c| sim::ClockSpec::parse(c))
            .collect::<Result<_, _>>()?,
    };
    status(format!("{} seed(s) x {} cycles", seeds.count, job.cycles));
    let rep =
        sim::run_random_progress(&prog, &opts, &AtomicU64::new(0)).map_err(|e| e.to_string())?;
    let checked: Vec<usize> = (0..design.props.len())
        .filter(|&i| !matches!(design.props[i].kind, PropKind::Assume | PropKind::Fair))
        .collect();
    r.expect = expectations(d, &design, &checked, Some(Engine::Sim));
    for &i in &checked {
        let p = &design.props[i];
        let mut o = outcome(p, &locs[i]);
        if p.kind == PropKind::Live {
            // A finite run neither fails nor passes a liveness property.
            let open = rep
                .seeds
                .iter()
                .filter(|s| s.live_pending.get(i).copied().flatten().is_some())
                .count();
            o.status = Some(Status::Unknown);
            o.reason = Some(if open > 0 {
                format!("liveness: not yet satisfied at the end of {open} seed(s); simulation cannot decide liveness")
            } else {
                "liveness: simulation cannot decide liveness".into()
            });
        } else if p.kind == PropKind::Cover {
            // The earliest hit over seeds (lowest seed on a tie).
            let first = rep
                .seeds
                .iter()
                .filter_map(|s| s.cover_first.get(i).copied().flatten().map(|c| (c, s.seed)))
                .min();
            match first {
                Some((c, s)) => {
                    o.status = Some(Status::Covered);
                    o.depth = Some(c as u32);
                    o.seed = Some(s);
                }
                None => {
                    o.status = Some(Status::Unknown);
                    o.reason = Some("not hit by any seed".into());
                }
            }
        } else {
            // The lowest failing seed (seeds are in order).
            let fail = rep.seeds.iter().find_map(|s| match &s.outcome {
                Outcome::Fail(f) if f.prop == i => Some(f),
                _ => None,
            });
            match fail {
                Some(f) => {
                    o.status = Some(Status::Fail);
                    o.depth = Some(f.cycle as u32);
                    o.seed = Some(f.seed);
                    traces.insert(p.name.clone(), (f.trace.clone(), init));
                }
                None => o.status = Some(Status::Pass),
            }
        }
        r.properties.push(o);
    }
    let violated = rep
        .seeds
        .iter()
        .filter(|s| matches!(s.outcome, Outcome::AssumeViolated(_)))
        .count();
    if violated > 0 {
        // Not a result: the stimulus broke an assumption and the seed stopped.
        r.message = Some(format!(
            "{violated} seed(s) stopped early: random stimulus violated an assumption"
        ));
    }
    r.coverage = rep.coverage;
    Ok(())
}

fn bmc(
    ctx: &Context,
    d: &Design,
    r: &mut UnitResult,
    traces: &mut Traces,
    status: &(dyn Fn(String) + Sync),
) -> Result<(), Failure> {
    let job = d
        .manifest
        .jobs
        .bmc
        .get()
        .ok_or("the manifest turns the bmc job off")?;
    r.depth = Some(job.depth);
    let mut flags = vec!["--bmc".to_string()];
    if job.prove {
        flags.push("--prove".into());
    }
    if job.cover {
        flags.push("--cover".into());
    }
    flags.extend([
        "--depth".into(),
        job.depth.to_string(),
        "--timeout".into(),
        job.timeout.to_string(),
        "--engine".into(),
        job.engine.clone(),
    ]);
    r.repro = command(&flags, d);
    let (design, locs) = load_located(d, ctx.color)?;
    let prog = Arc::new(Program::compile(&design).map_err(|e| e.to_string())?);
    let reset = ir::reset::resolve(
        &design,
        &ResetSpec::from_option(d.manifest.reset.as_deref()),
        1,
    )
    .map_err(|e| e.to_string())?;
    let opts = solver::BmcOptions {
        depth: job.depth,
        prove: job.prove,
        reset: reset.map(|r| r.reset),
        timeout: Some(Duration::from_secs_f64(job.timeout)),
        engine: job.solver_engine().ok_or("[jobs] bmc: unknown engine")?,
        ..solver::BmcOptions::default()
    };
    let checked: Vec<usize> = (0..design.props.len())
        .filter(|&i| match design.props[i].kind {
            PropKind::Assert | PropKind::Live => true,
            PropKind::Cover => job.cover,
            PropKind::Assume | PropKind::Fair => false,
        })
        .collect();
    r.expect = expectations(d, &design, &checked, Some(Engine::Bmc));
    if checked.is_empty() {
        return Ok(());
    }
    let deepest = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let total = job.depth;
    let ctl = solver::Control {
        cancel: ctx.cancel.clone(),
        progress: Some({
            let deepest = deepest.clone();
            // The callback must be 'static: it records the depth reached,
            // which a helper thread below turns into status messages.
            let f: Arc<dyn Fn(&solver::Progress) + Send + Sync> =
                Arc::new(move |p: &solver::Progress| {
                    deepest.fetch_max(p.depth, std::sync::atomic::Ordering::Relaxed);
                });
            f
        }),
    };
    // Dropping `done` ends the status thread at once, not after its wait.
    let (done, quit) = std::sync::mpsc::channel::<()>();
    let (deepest_ref, status_ref) = (&deepest, &status);
    let results = std::thread::scope(|s| {
        s.spawn(move || loop {
            let (deepest, status) = (deepest_ref, status_ref);
            let k = deepest.load(std::sync::atomic::Ordering::Relaxed);
            status(format!("depth {k}/{total}"));
            match quit.recv_timeout(Duration::from_millis(200)) {
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                _ => return,
            }
        });
        let res = solver::check(&design, &checked, &opts, &ctl);
        drop(done);
        res
    })
    .map_err(|e| e.to_string())?;
    for pr in &results {
        let p = &design.props[pr.prop];
        let mut o = outcome(p, &locs[pr.prop]);
        let mut st = pr.status.status();
        o.depth = pr.status.depth();
        if let solver::Verdict::NotCovered { depth } = &pr.status {
            // As `verify --bmc`: a cover neither hit nor proven unreachable.
            st = Status::Unknown;
            o.reason = Some(format!("not reached within depth {depth}"));
        }
        if let solver::Verdict::Unknown { reason, .. } = &pr.status {
            o.reason = Some(reason.clone());
        }
        if pr.interrupted
            && matches!(
                pr.status,
                solver::Verdict::Pass { .. }
                    | solver::Verdict::NotCovered { .. }
                    | solver::Verdict::Unknown { .. }
            )
        {
            st = Status::Unknown;
            o.reason = Some(if ctx.cancel.load(std::sync::atomic::Ordering::Relaxed) {
                "interrupted (Ctrl-C)".into()
            } else {
                format!("stopped by the {} s timeout", job.timeout)
            });
        }
        if let Some(t) = pr.status.trace() {
            match sim::confirm(&prog, &design, pr.prop, t) {
                Ok(true) => {}
                Ok(false) | Err(_) => {
                    return Err(format!(
                        "internal error: {}: the simulator does not confirm the solver's trace",
                        pr.name
                    )
                    .into());
                }
            }
            traces.insert(pr.name.clone(), (t.clone(), InitMode::Zero));
        }
        o.status = Some(st);
        r.properties.push(o);
    }
    Ok(())
}

/// Coverage closure on a cycle budget (exact on any machine and thread
/// count): covers and the assertion failures it met are judged against the
/// manifest, the `closure` goal against the database's
/// `(hit + unreachable) / total`.
fn closure(
    ctx: &Context,
    d: &Design,
    r: &mut UnitResult,
    traces: &mut Traces,
    status: &(dyn Fn(String) + Sync),
) -> Result<(), Failure> {
    let job = d
        .manifest
        .jobs
        .closure
        .get()
        .ok_or("the manifest turns the closure job off")?;
    r.cycles = Some(job.budget);
    r.depth = Some(job.depth);
    r.goals = d
        .manifest
        .goals
        .iter()
        .filter(|(k, _)| **k == GoalKind::Closure)
        .map(|(k, v)| (*k, *v))
        .collect();
    r.repro = command(
        &[
            "--closure".into(),
            "--cycles".into(),
            job.budget.to_string(),
            "--depth".into(),
            job.depth.to_string(),
            "--engines".into(),
            job.engines.clone(),
            "--seed".into(),
            job.seed.to_string(),
        ],
        d,
    );
    let (design, sources) = load_sources(d, ctx.color)?;
    let locs = prop_locations(&design, &sources);
    let prog = Arc::new(Program::compile(&design).map_err(|e| e.to_string())?);
    let reset = ir::reset::resolve(
        &design,
        &ResetSpec::from_option(d.manifest.reset.as_deref()),
        1,
    )
    .map_err(|e| e.to_string())?;
    let opts = closure::Options {
        budget: closure::Budget::Cycles(job.budget),
        seed: job.seed,
        engines: closure::Engines::parse(&job.engines)?,
        depth: job.depth,
        init: InitMode::Zero,
        reset,
        reset_cycles: 1,
    };
    let out = closure::run(
        &design,
        &prog,
        &opts,
        None,
        |span| sources.location(span).map(|l| l.to_string()),
        |db, cycles| {
            status(format!(
                "{:.1}% closed, {cycles} cycles",
                db.summary(None).closure()
            ))
        },
        Arc::clone(&ctx.cancel),
    )
    .map_err(|e| format!("{:#}", anyhow::Error::from(e)))?;
    let checked: Vec<usize> = (0..design.props.len())
        .filter(|&i| !matches!(design.props[i].kind, PropKind::Assume | PropKind::Fair))
        .collect();
    r.expect = expectations(d, &design, &checked, Some(Engine::Closure));
    for &i in &checked {
        let p = &design.props[i];
        let mut o = outcome(p, &locs[i]);
        if p.kind == PropKind::Live {
            o.status = Some(Status::Unknown);
            o.reason = Some("liveness: simulation cannot decide liveness".into());
            r.properties.push(o);
            continue;
        }
        if p.kind == PropKind::Assert {
            // Closure simulates (and replays formal witnesses) with every
            // assertion checked: a failure met on the way is a result.
            match out.failures.iter().find(|f| f.prop == i) {
                Some(f) => {
                    o.status = Some(Status::Fail);
                    o.depth = u32::try_from(f.cycle).ok();
                    traces.insert(p.name.clone(), (f.trace.clone(), InitMode::Zero));
                }
                None => o.status = Some(Status::Pass),
            }
            r.properties.push(o);
            continue;
        }
        let id = format!("cover:{}", p.name);
        match out.db.points.iter().find(|q| q.id == id).map(|q| &q.status) {
            Some(testgen::PointStatus::Hit { stimulus, cycle }) => {
                o.status = Some(Status::Covered);
                o.depth = u32::try_from(*cycle).ok();
                o.reason = Some(format!("stimulus {stimulus}"));
            }
            Some(testgen::PointStatus::Unreachable { k }) => {
                o.status = Some(Status::Unreachable);
                o.depth = Some(*k);
            }
            Some(_) => {
                o.status = Some(Status::Unknown);
                o.reason = Some(format!(
                    "neither hit nor proven within {} cycles",
                    job.budget
                ));
            }
            None => {
                o.status = Some(Status::Unknown);
                o.reason = Some("not a point of the coverage database".into());
            }
        }
        r.properties.push(o);
    }
    r.closure = Some(out.db);
    Ok(())
}

/// The failure folder: traces and waveforms of the mismatching properties,
/// `repro.sh` (one line) and the unit's result.
fn write_artifacts(
    d: &Design,
    dir: &Path,
    r: &mut UnitResult,
    traces: &Traces,
) -> anyhow::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("repro.sh"), format!("{}\n", r.repro))?;
    let prog = if traces.is_empty() {
        None
    } else {
        load_sources(d, false)
            .ok()
            .and_then(|(des, _)| Program::compile(&des).ok())
            .map(Arc::new)
    };
    for p in r.properties.iter_mut() {
        let mismatched = r
            .mismatches
            .iter()
            .any(|m| m.starts_with(&format!("{}:", p.name)));
        let Some((t, init)) = traces.get(&p.name) else {
            continue;
        };
        if !mismatched {
            continue;
        }
        let base = report::slug(&p.name);
        let tp = dir.join(format!("{base}.trace.json"));
        report::write_json(&tp, t)?;
        p.trace = Some(tp);
        if let Some(prog) = &prog {
            let vp = dir.join(format!("{base}.vcd"));
            sim::vcd::write_vcd_file(prog, t, *init, &vp)?;
            p.vcd = Some(vp);
        }
    }
    r.artifacts = Some(dir.to_path_buf());
    report::write_json(&dir.join("result.json"), &*r)?;
    Ok(())
}
