//! High-level runs: random multi-seed simulation with property checking,
//! trace replay and output dumps.

use crate::compile::Program;
use crate::coverage::{Coverage, CoverageCollector};
use crate::engine::{InitMode, Sim};
use crate::lanes::Lanes;
use crate::layout::LaneLayout;
use crate::rng::{Rng, STREAM_CLOCKS, STREAM_STIMULUS};
use crate::words::nwords;
use crate::SimError;
use ir::reset::{ResetInput, ResetSpec};
use ir::trace::Trace;
use ir::{Bits, Span};
use ir::{Design, PropKind};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// Options of a random simulation run.
#[derive(Clone, Debug)]
pub struct SimOptions {
    /// Cycles per seed.
    pub cycles: u64,
    /// First seed; seed `i` of a multi-seed run is `seed + i`.
    pub seed: u64,
    /// Number of seeds (>= 1), run in parallel.
    pub seeds: u64,
    pub init: InitMode,
    pub reset: ResetSpec,
    /// Cycles the reset is held active at the start (default 1): the
    /// `cycles` of the reset [`run_random`] resolves. A reset given to
    /// [`run_seed`], [`run_lanes`] or [`random_trace`] carries its own.
    pub reset_cycles: u64,
    /// Stop the other seeds as soon as one seed fails an assertion. (A seed
    /// always stops at its own first failure.)
    pub stop_on_failure: bool,
    /// Collect coverage counters (costs time per cycle).
    pub coverage: bool,
    /// Native code for single-seed runs (see [`JitMode`]).
    pub jit: JitMode,
    /// Schedules of the clocks of a design on a global clock (see
    /// [`ClockSpec`]); clocks not named get the default.
    pub clocks: Vec<ClockSpec>,
}

/// The schedule of one clock input of a design on a global clock
/// (`Design::clock_inputs`): a period in ticks of the global clock and the
/// tick of its first rising edge. The clock is high for `period / 2` ticks
/// from each rising edge. Without a spec, the clocks take the periods 2,
/// 3, 5, 7, 11, ... ticks in the order of `clock_inputs` (co-prime, so every
/// phase relation between them occurs), each with a seeded random phase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClockSpec {
    pub name: String,
    pub period: u64,
    /// The first rising edge (>= 1; tick 0 has none); `None`: seeded random.
    pub phase: Option<u64>,
}

impl ClockSpec {
    /// Parse `NAME=PERIOD` or `NAME=PERIOD@PHASE` (ticks).
    pub fn parse(s: &str) -> Result<ClockSpec, String> {
        let (name, rest) = s
            .split_once('=')
            .ok_or_else(|| format!("`{s}`: expected NAME=PERIOD or NAME=PERIOD@PHASE"))?;
        let (period, phase) = match rest.split_once('@') {
            Some((p, f)) => (p, Some(f)),
            None => (rest, None),
        };
        let period: u64 = period
            .trim()
            .parse()
            .map_err(|_| format!("`{s}`: the period must be a whole number of ticks"))?;
        if period < 2 {
            return Err(format!("`{s}`: a period must be at least 2 ticks"));
        }
        let phase = match phase {
            Some(f) => {
                let f: u64 = f
                    .trim()
                    .parse()
                    .map_err(|_| format!("`{s}`: the phase must be a whole number of ticks"))?;
                if f == 0 {
                    return Err(format!(
                        "`{s}`: the first edge must come at tick 1 or later"
                    ));
                }
                Some(f)
            }
            None => None,
        };
        Ok(ClockSpec {
            name: name.trim().to_string(),
            period,
            phase,
        })
    }
}

/// Default periods of the clocks, in ticks: pairwise co-prime.
const CLOCK_PERIODS: [u64; 10] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29];

/// Check the clock specs against a design: every name must be one of its
/// clock inputs.
pub fn check_clocks(design: &Design, specs: &[ClockSpec]) -> Result<(), SimError> {
    for c in specs {
        if !design.clock_inputs.contains(&c.name) {
            return Err(SimError::UnknownClock {
                name: c.name.clone(),
                clocks: design.clock_inputs.join(", "),
            });
        }
    }
    Ok(())
}

/// A one-line account of the clock schedule of a design on a global clock
/// (`None` for a design with one clock), for the command line.
pub fn describe_clocks(design: &Design, specs: &[ClockSpec]) -> Option<String> {
    if design.clock_inputs.is_empty() {
        return None;
    }
    let parts: Vec<String> = design
        .clock_inputs
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let (period, phase) = schedule(specs, k, name);
            match phase {
                Some(p) => format!("`{name}` every {period} ticks from tick {p}"),
                None => format!("`{name}` every {period} ticks (seeded random phase)"),
            }
        })
        .collect();
    Some(format!(
        "clocks: global clock, one cycle per tick; {}; reset held until every clock has risen",
        parts.join(", ")
    ))
}

/// The period and first edge (`None`: seeded random) of clock input `k`
/// of `Design::clock_inputs`, named `name`: its spec, else the default.
fn schedule(specs: &[ClockSpec], k: usize, name: &str) -> (u64, Option<u64>) {
    match specs.iter().find(|c| c.name == name) {
        Some(c) => (c.period, c.phase),
        None => (CLOCK_PERIODS[k % CLOCK_PERIODS.len()], None),
    }
}

/// One clock's waveform for one seed.
#[derive(Clone, Copy, Debug)]
struct Wave {
    /// Index into `Design::inputs`.
    input: usize,
    period: u64,
    /// The first rising edge.
    phase: u64,
}

impl Wave {
    fn value(&self, tick: u64) -> bool {
        // High for period/2 ticks from each rising edge; low before the first.
        tick >= self.phase && (tick - self.phase) % self.period < self.period / 2
    }
}

/// The waveforms of a design's clock inputs for `seed`.
fn waves(design: &Design, specs: &[ClockSpec], seed: u64) -> Vec<Wave> {
    let mut rng = Rng::new(seed, STREAM_CLOCKS);
    let mut out = Vec::new();
    for (k, name) in design.clock_inputs.iter().enumerate() {
        let Some(input) = design.inputs.iter().position(|i| &i.name == name) else {
            continue;
        };
        let (period, phase) = schedule(specs, k, name);
        let random = 1 + rng.next_u64() % period;
        let phase = phase.unwrap_or(random);
        out.push(Wave {
            input,
            period,
            phase,
        });
    }
    out
}

/// When a single-seed run uses native code ([`Sim::set_jit`]) instead of
/// the interpreter. Both compute the same values; only speed differs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum JitMode {
    /// Native code when the run is long enough to repay compiling it
    /// (at least [`JIT_MIN_CYCLES`] cycles).
    #[default]
    Auto,
    On,
    Off,
}

/// Shortest run for which [`JitMode::Auto`] compiles native code.
pub const JIT_MIN_CYCLES: u64 = 20_000;

impl JitMode {
    /// Parse `auto`, `on` or `off`.
    pub fn parse(s: &str) -> Option<JitMode> {
        match s {
            "auto" => Some(JitMode::Auto),
            "on" => Some(JitMode::On),
            "off" => Some(JitMode::Off),
            _ => None,
        }
    }

    /// Whether a run of `cycles` cycles uses native code.
    pub fn enabled(self, cycles: u64) -> bool {
        match self {
            JitMode::Auto => cycles >= JIT_MIN_CYCLES,
            JitMode::On => true,
            JitMode::Off => false,
        }
    }
}

impl Default for SimOptions {
    fn default() -> SimOptions {
        SimOptions {
            cycles: 1000,
            seed: 1,
            seeds: 1,
            init: InitMode::Random,
            reset: ResetSpec::Auto,
            reset_cycles: 1,
            stop_on_failure: true,
            coverage: false,
            jit: JitMode::Auto,
            clocks: Vec::new(),
        }
    }
}

/// A property event: a failing assertion or a violated assumption.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Index into `Design::props`.
    pub prop: usize,
    pub property: String,
    pub kind: PropKind,
    pub span: Span,
    /// The cycle (0-based) in which the property node was 1.
    pub cycle: u64,
    pub seed: u64,
    /// The stimulus (cycles `0..=cycle`) with `init` values, replaying it exactly.
    pub trace: Trace,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every cycle ran without a failing assertion.
    Pass,
    /// An assertion failed.
    Fail(Failure),
    /// The random stimulus violated an assumption: the seed stopped there.
    /// Not a failure of the design.
    AssumeViolated(Failure),
    /// Stopped early because another seed failed (`stop_on_failure`).
    Stopped,
}

#[derive(Clone, Debug)]
pub struct SeedResult {
    pub seed: u64,
    /// Cycles simulated (including the failing one).
    pub cycles: u64,
    pub outcome: Outcome,
    /// Per `Design::props` index: cycles in which a `cover` was hit (0 for others).
    pub cover_hits: Vec<u64>,
    /// Per `Design::props` index: the first cycle a `cover` was hit.
    pub cover_first: Vec<Option<u64>>,
    /// Per `Design::props` index: for a liveness assertion whose obligation
    /// was still outstanding in the last cycle run, the cycle since which
    /// it has been (a finite run cannot fail it: "not yet satisfied").
    pub live_pending: Vec<Option<u64>>,
    pub coverage: Option<Coverage>,
}

#[derive(Clone, Debug)]
pub struct RunReport {
    pub reset: Option<ResetInput>,
    /// One per seed, in seed order.
    pub seeds: Vec<SeedResult>,
    /// Coverage merged over all seeds (when `SimOptions::coverage`).
    pub coverage: Option<Coverage>,
}

impl RunReport {
    /// The failure of the lowest seed that failed.
    pub fn first_failure(&self) -> Option<&Failure> {
        self.seeds.iter().find_map(|s| match &s.outcome {
            Outcome::Fail(f) => Some(f),
            _ => None,
        })
    }
}

/// Random stimulus for one seed: reset held for the first cycles, clocks
/// of a design on a global clock by their schedule, all other inputs
/// uniform.
struct Stimulus {
    rng: Rng,
    reset: Option<ResetInput>,
    /// Per input: first arena slot, words, mask of the top word.
    inputs: Vec<(usize, usize, u64)>,
    /// Per input: its clock waveform, if it is a clock.
    waves: Vec<Option<Wave>>,
}

impl Stimulus {
    fn new(prog: &Program, seed: u64, reset: Option<ResetInput>, opts: &SimOptions) -> Stimulus {
        let d = &prog.design;
        let mut waves = vec![None; d.inputs.len()];
        let mut reset = reset;
        for w in self::waves(d, &opts.clocks, seed) {
            // With several clocks the reset is held until every clock has
            // had a rising edge, so synchronous resets take effect.
            if let Some(r) = reset.as_mut() {
                r.reset.cycles = r.reset.cycles.max(w.phase + 1);
            }
            waves[w.input] = Some(w);
        }
        Stimulus {
            rng: Rng::new(seed, STREAM_STIMULUS),
            reset,
            inputs: d
                .inputs
                .iter()
                .map(|i| {
                    let slot = prog.slot[i.node.index()] as usize;
                    (slot, nwords(i.width), crate::words::top_mask(i.width))
                })
                .collect(),
            waves,
        }
    }

    /// The inputs of `cycle` (cycles must be generated in order): calls
    /// `put(arena slot, word)` for every word of every input, in design
    /// order. The values are `Rng::fill`'s (every word drawn, the top one
    /// masked); written straight into the engines' arenas because, with
    /// native code, per-input calls were a large part of a cycle.
    #[inline(always)]
    fn words(&mut self, cycle: u64, mut put: impl FnMut(usize, u64)) {
        let reset = self.reset.as_ref().map(|r| {
            let active = cycle < r.reset.cycles;
            (r.input.index(), (active != r.reset.active_low) as u64)
        });
        for (i, &(slot, n, top)) in self.inputs.iter().enumerate() {
            match reset {
                Some((input, v)) if input == i => put(slot, v),
                _ if self.waves[i].is_some() => {
                    let w = self.waves[i].expect("checked");
                    put(slot, w.value(cycle) as u64)
                }
                _ => {
                    for k in 0..n {
                        let x = self.rng.next_u64();
                        put(slot + k, if k + 1 == n { x & top } else { x });
                    }
                }
            }
        }
    }

    /// The same inputs for `L` lanes at once (lane `l` from `st[l]`, lanes
    /// past `st` repeating the last), when no input is a clock waveform
    /// (`None` then: waveforms and with them the reset's length can differ
    /// between seeds).
    fn lanes<const L: usize>(st: &[Stimulus]) -> Option<LaneStimulus<L>> {
        let first = st.first()?;
        if st.iter().any(|s| s.waves.iter().any(Option::is_some)) {
            return None;
        }
        let mut s = [[0u64; L]; 4];
        for l in 0..L {
            let state = st[l.min(st.len() - 1)].rng.state();
            for (k, w) in state.into_iter().enumerate() {
                s[k][l] = w;
            }
        }
        Some(LaneStimulus {
            s,
            reset: first
                .reset
                .as_ref()
                .map(|r| (r.input.index(), r.reset.cycles, r.reset.active_low)),
            inputs: first.inputs.clone(),
        })
    }

    /// Apply the inputs of `cycle` to `sim` (cycles must be generated in order).
    fn apply(&mut self, sim: &mut Sim, cycle: u64) {
        let arena = sim.arena_mut();
        self.words(cycle, |slot, w| arena[slot] = w);
    }
}

/// [`Stimulus`] for `L` lanes side by side (`Stimulus::lanes`): every
/// lane draws the words its own `Stimulus` would, in the same order, the
/// `L` generators advanced together (`rng::lanes_next`), each word written
/// as a whole row of the lane arena. Lanes that stopped (a failure) keep
/// drawing; their values are no longer read.
struct LaneStimulus<const L: usize> {
    /// The generators' states, word by word (`s[k][l]`).
    s: [[u64; L]; 4],
    /// The reset: input index, cycles held, active low.
    reset: Option<(usize, u64, bool)>,
    /// As `Stimulus::inputs`.
    inputs: Vec<(usize, usize, u64)>,
}

impl<const L: usize> LaneStimulus<L> {
    /// The inputs of `cycle` into every lane of `sim` (as `Stimulus::words`
    /// lane by lane), compiled for the widest vector unit as the lane
    /// engine's loop is.
    fn apply(&mut self, sim: &mut Lanes<L>, cycle: u64) {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f")
                && std::arch::is_x86_feature_detected!("avx512dq")
            {
                // SAFETY: the CPU has these features (checked above).
                return unsafe { self.apply_avx512(sim, cycle) };
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: as above.
                return unsafe { self.apply_avx2(sim, cycle) };
            }
        }
        self.apply_any(sim, cycle)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn apply_avx2(&mut self, sim: &mut Lanes<L>, cycle: u64) {
        self.apply_any(sim, cycle)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512dq")]
    unsafe fn apply_avx512(&mut self, sim: &mut Lanes<L>, cycle: u64) {
        self.apply_any(sim, cycle)
    }

    #[inline(always)]
    fn apply_any(&mut self, sim: &mut Lanes<L>, cycle: u64) {
        for (i, &(slot, n, top)) in self.inputs.iter().enumerate() {
            match self.reset {
                Some((input, cycles, low)) if input == i => {
                    *sim.row_mut(slot) = [((cycle < cycles) != low) as u64; L];
                }
                _ => {
                    for k in 0..n {
                        let mask = if k + 1 == n { top } else { u64::MAX };
                        crate::rng::lanes_next(&mut self.s, sim.row_mut(slot + k), mask);
                    }
                }
            }
        }
    }
}

/// Trace `init` (and small memories' `mem_init`) for a fresh simulation, so
/// replay does not depend on the seed.
fn init_of(sim: &Sim, trace: &mut Trace) {
    let d = &sim.program().design;
    for (i, r) in d.regs.iter().enumerate() {
        if r.init.is_none() {
            trace.init.insert(r.name.clone(), sim.reg(i).to_hex());
        }
    }
    for (mi, m) in d.mems.iter().enumerate() {
        if m.init.is_none() && m.depth <= 1024 {
            let words: BTreeMap<String, String> = (0..m.depth)
                .map(|a| (a.to_string(), sim.mem_word(mi, a).to_hex()))
                .collect();
            trace.mem_init.insert(m.name.clone(), words);
        }
    }
}

/// The stimulus trace a random run uses for `seed`, cycles `0..cycles`,
/// with the initial values of unconstrained registers.
pub fn random_trace(
    prog: &Arc<Program>,
    opts: &SimOptions,
    reset: Option<&ResetInput>,
    seed: u64,
    cycles: u64,
) -> Trace {
    let d = &prog.design;
    let mut sim = Sim::new(Arc::clone(prog), seed, opts.init);
    let mut trace = Trace::for_design(d);
    init_of(&sim, &mut trace);
    trace.meta.insert("seed".into(), seed.to_string());
    trace.meta.insert("engine".into(), "sim".into());
    let mut st = Stimulus::new(prog, seed, reset.cloned(), opts);
    for c in 0..cycles {
        st.apply(&mut sim, c);
        let row: Vec<Bits> = d.inputs.iter().map(|i| sim.get(i.node)).collect();
        trace.push_cycle(&row);
    }
    trace
}

struct PropSets {
    asserts: Vec<usize>,
    assumes: Vec<usize>,
    covers: Vec<usize>,
    lives: Vec<usize>,
}

fn prop_sets(d: &Design) -> PropSets {
    let of = |k: PropKind| {
        d.props
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == k)
            .map(|(i, _)| i)
            .collect()
    };
    PropSets {
        asserts: of(PropKind::Assert),
        assumes: of(PropKind::Assume),
        covers: of(PropKind::Cover),
        lives: of(PropKind::Live),
    }
}

/// Run one seed.
pub fn run_seed(
    prog: &Arc<Program>,
    opts: &SimOptions,
    reset: Option<&ResetInput>,
    seed: u64,
    stop: &AtomicBool,
) -> SeedResult {
    let d = &prog.design;
    let sets = prop_sets(d);
    let mut sim = Sim::new(Arc::clone(prog), seed, opts.init);
    sim.set_jit(opts.jit.enabled(opts.cycles));
    let mut st = Stimulus::new(prog, seed, reset.cloned(), opts);
    let mut cov = opts
        .coverage
        .then(|| CoverageCollector::new(Arc::clone(prog)));
    let mut cover_hits = vec![0u64; d.props.len()];
    let mut cover_first = vec![None; d.props.len()];
    let mut live_pending = vec![None; d.props.len()];
    let mut outcome = Outcome::Pass;
    let mut ran = 0;
    'cycles: for c in 0..opts.cycles {
        if opts.stop_on_failure && stop.load(Ordering::Relaxed) {
            outcome = Outcome::Stopped;
            break;
        }
        st.apply(&mut sim, c);
        // Without coverage nothing reads the branch conditions.
        if cov.is_some() {
            sim.eval();
        } else {
            sim.eval_core();
        }
        ran = c + 1;
        if let Some(cv) = cov.as_mut() {
            cv.sample(&sim);
        }
        for &p in &sets.covers {
            if sim.is_set(d.props[p].node) {
                cover_hits[p] += 1;
                cover_first[p].get_or_insert(c);
            }
        }
        for &p in &sets.lives {
            if sim.is_set(d.props[p].node) {
                live_pending[p].get_or_insert(c);
            } else {
                live_pending[p] = None;
            }
        }
        // An assumption violated in a cycle makes that cycle's stimulus
        // invalid, so it takes precedence over an assertion failing in it.
        for (list, is_assume) in [(&sets.assumes, true), (&sets.asserts, false)] {
            for &p in list {
                if sim.is_set(d.props[p].node) {
                    let prop = &d.props[p];
                    let f = Failure {
                        prop: p,
                        property: prop.name.clone(),
                        kind: prop.kind,
                        span: prop.span,
                        cycle: c,
                        seed,
                        trace: random_trace(prog, opts, reset, seed, c + 1),
                    };
                    outcome = if is_assume {
                        Outcome::AssumeViolated(f)
                    } else {
                        stop.store(true, Ordering::Relaxed);
                        Outcome::Fail(f)
                    };
                    break 'cycles;
                }
            }
        }
        sim.step();
    }
    if let Outcome::Fail(f) | Outcome::AssumeViolated(f) = &mut outcome {
        f.trace.meta.insert("property".into(), f.property.clone());
    }
    SeedResult {
        seed,
        cycles: ran,
        outcome,
        cover_hits,
        cover_first,
        live_pending,
        coverage: cov.map(|c| c.finish()),
    }
}

/// Random simulation of `opts.seeds` seeds in parallel (see [`SimOptions`]).
pub fn run_random(design: &Design, opts: &SimOptions) -> Result<RunReport, SimError> {
    let prog = Arc::new(Program::compile(design)?);
    run_random_program(&prog, opts)
}

/// [`run_random`] on an already compiled program.
pub fn run_random_program(prog: &Arc<Program>, opts: &SimOptions) -> Result<RunReport, SimError> {
    run_random_progress(prog, opts, &AtomicU64::new(0))
}

/// [`run_random_program`], adding every simulated cycle (summed over seeds)
/// to `progress` as it goes (for a progress bar; updated every few hundred
/// cycles).
///
/// One seed runs on the scalar engine; several run in batches of lanes
/// ([`Lanes`]), batches in parallel (rayon). Each seed's result depends on
/// its seed only, never on the thread count or the batching.
pub fn run_random_progress(
    prog: &Arc<Program>,
    opts: &SimOptions,
    progress: &AtomicU64,
) -> Result<RunReport, SimError> {
    let reset = ir::reset::resolve(&prog.design, &opts.reset, opts.reset_cycles)?;
    check_clocks(&prog.design, &opts.clocks)?;
    let stop = AtomicBool::new(false);
    let n = opts.seeds.max(1);
    let all: Vec<u64> = (0..n).map(|i| opts.seed.wrapping_add(i)).collect();
    // Several seeds run in lanes, every batch over one compact layout.
    let layout = (n > 1).then(|| Arc::new(LaneLayout::compact(prog, opts.coverage)));
    let r = reset.as_ref();
    let seeds: Vec<SeedResult> = if let Some(layout) = &layout {
        let lanes = lane_count(layout, n);
        let batches: Vec<Vec<SeedResult>> = all
            .par_chunks(lanes)
            .map(|b| match lanes {
                8 => run_lanes_over::<8>(prog, layout, opts, r, b, &stop, progress),
                16 => run_lanes_over::<16>(prog, layout, opts, r, b, &stop, progress),
                32 => run_lanes_over::<32>(prog, layout, opts, r, b, &stop, progress),
                _ => run_lanes_over::<64>(prog, layout, opts, r, b, &stop, progress),
            })
            .collect();
        batches.into_iter().flatten().collect()
    } else {
        all.par_iter()
            .map(|&s| {
                let res = run_seed(prog, opts, r, s, &stop);
                progress.fetch_add(res.cycles, Ordering::Relaxed);
                res
            })
            .collect()
    };
    let coverage = if opts.coverage {
        let mut it = seeds.iter().filter_map(|s| s.coverage.clone());
        it.next().map(|mut first| {
            for c in it {
                first.merge(&c);
            }
            first
        })
    } else {
        None
    };
    Ok(RunReport {
        reset,
        seeds,
        coverage,
    })
}

/// Lanes per batch for `n` (at least 2) seeds over `layout`: enough to give
/// every thread a batch, at most 64, and small enough that a batch's values
/// (`lanes` words per arena word) stay near the L2 cache.
fn lane_count(layout: &LaneLayout, n: u64) -> usize {
    let threads = rayon::current_num_threads().max(1) as u64;
    let per = n.div_ceil(threads);
    let words = layout.words.max(1) as u64;
    let mut l = 64u64;
    while l > 8 && (l / 2 >= per || l * words * 8 > (1 << 20)) {
        l /= 2;
    }
    l as usize
}

/// Run seeds `seeds` (at most `L`) together in one [`Lanes`]: per seed, the
/// same result as [`run_seed`].
pub fn run_lanes<const L: usize>(
    prog: &Arc<Program>,
    opts: &SimOptions,
    reset: Option<&ResetInput>,
    seeds: &[u64],
    stop: &AtomicBool,
    progress: &AtomicU64,
) -> Vec<SeedResult> {
    let layout = Arc::new(LaneLayout::compact(prog, opts.coverage));
    run_lanes_over::<L>(prog, &layout, opts, reset, seeds, stop, progress)
}

/// [`run_lanes`] over `layout`, `prog`'s compact lane layout for
/// `opts.coverage` (made once for every batch of a run).
fn run_lanes_over<const L: usize>(
    prog: &Arc<Program>,
    layout: &Arc<LaneLayout>,
    opts: &SimOptions,
    reset: Option<&ResetInput>,
    seeds: &[u64],
    stop: &AtomicBool,
    progress: &AtomicU64,
) -> Vec<SeedResult> {
    let d = &prog.design;
    let sets = prop_sets(d);
    let n = seeds.len();
    let mut sim = Lanes::<L>::with_layout(Arc::clone(prog), Arc::clone(layout), seeds, opts.init);
    sim.set_jit(match opts.jit {
        JitMode::Auto => crate::lane_jit::LaneJit::Auto,
        JitMode::On => crate::lane_jit::LaneJit::On,
        JitMode::Off => crate::lane_jit::LaneJit::Off,
    });
    let mut st: Vec<Stimulus> = seeds
        .iter()
        .map(|&s| Stimulus::new(prog, s, reset.cloned(), opts))
        .collect();
    // Every lane's inputs at once where that gives the same words.
    let mut lane_st = Stimulus::lanes::<L>(&st);
    let mut cov: Vec<Option<CoverageCollector>> = (0..n)
        .map(|_| {
            opts.coverage
                .then(|| CoverageCollector::new(Arc::clone(prog)))
        })
        .collect();
    let mut res: Vec<SeedResult> = seeds
        .iter()
        .map(|&seed| SeedResult {
            seed,
            cycles: 0,
            outcome: Outcome::Pass,
            cover_hits: vec![0; d.props.len()],
            cover_first: vec![None; d.props.len()],
            live_pending: vec![None; d.props.len()],
            coverage: None,
        })
        .collect();
    // Lanes still running (bit l = lane l).
    let all = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
    let mut live = all;
    let mut reported = 0u64;
    let mut c = 0u64;
    while c < opts.cycles && live != 0 {
        if opts.stop_on_failure && stop.load(Ordering::Relaxed) {
            for (l, r) in res.iter_mut().enumerate() {
                if live >> l & 1 == 1 {
                    r.outcome = Outcome::Stopped;
                }
            }
            break;
        }
        if let Some(ls) = &mut lane_st {
            ls.apply(&mut sim, c);
        } else {
            for (l, s) in st.iter_mut().enumerate() {
                if live >> l & 1 == 1 {
                    s.words(c, |slot, w| sim.put_word(l, slot, w));
                }
            }
        }
        if opts.coverage {
            sim.eval();
        } else {
            sim.eval_core();
        }
        for (l, cv) in cov.iter_mut().enumerate() {
            if let Some(cv) = cv {
                if live >> l & 1 == 1 {
                    cv.sample_view(&sim.lane(l));
                }
            }
        }
        for &p in &sets.covers {
            let mut hit = sim.set_mask(d.props[p].node) & live;
            while hit != 0 {
                let l = hit.trailing_zeros() as usize;
                hit &= hit - 1;
                res[l].cover_hits[p] += 1;
                res[l].cover_first[p].get_or_insert(c);
            }
        }
        for &p in &sets.lives {
            let set = sim.set_mask(d.props[p].node);
            for (l, r) in res.iter_mut().enumerate() {
                if live >> l & 1 == 1 {
                    if set >> l & 1 == 1 {
                        r.live_pending[p].get_or_insert(c);
                    } else {
                        r.live_pending[p] = None;
                    }
                }
            }
        }
        let mut bad = 0u64;
        for &p in sets.assumes.iter().chain(&sets.asserts) {
            bad |= sim.set_mask(d.props[p].node);
        }
        bad &= live;
        while bad != 0 {
            let l = bad.trailing_zeros() as usize;
            bad &= bad - 1;
            // As in `run_seed`: assumptions first, then assertions, each in
            // property order; the first one set decides.
            let first = sets
                .assumes
                .iter()
                .map(|&p| (p, true))
                .chain(sets.asserts.iter().map(|&p| (p, false)))
                .find(|&(p, _)| sim.is_set(l, d.props[p].node));
            if let Some((p, is_assume)) = first {
                let prop = &d.props[p];
                let mut f = Failure {
                    prop: p,
                    property: prop.name.clone(),
                    kind: prop.kind,
                    span: prop.span,
                    cycle: c,
                    seed: seeds[l],
                    trace: random_trace(prog, opts, reset, seeds[l], c + 1),
                };
                f.trace.meta.insert("property".into(), f.property.clone());
                res[l].outcome = if is_assume {
                    Outcome::AssumeViolated(f)
                } else {
                    stop.store(true, Ordering::Relaxed);
                    Outcome::Fail(f)
                };
                res[l].cycles = c + 1;
                live &= !(1u64 << l);
            }
        }
        c += 1;
        for (l, r) in res.iter_mut().enumerate() {
            if live >> l & 1 == 1 {
                r.cycles = c;
            }
        }
        sim.step();
        if c.is_multiple_of(256) {
            let done: u64 = res.iter().map(|r| r.cycles).sum();
            progress.fetch_add(done - reported, Ordering::Relaxed);
            reported = done;
        }
    }
    let done: u64 = res.iter().map(|r| r.cycles).sum();
    progress.fetch_add(done - reported, Ordering::Relaxed);
    for (r, cv) in res.iter_mut().zip(cov) {
        r.coverage = cv.map(|c| c.finish());
    }
    res
}

/// Result of replaying a trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayResult {
    /// Per cycle, one value per `Design::outputs` entry (after settling, before the edge).
    pub outputs: Vec<Vec<Bits>>,
    /// Per cycle, one status per `Design::props` entry: the property node's value
    /// (1 = assert/assume violated, cover hit).
    pub props: Vec<Vec<bool>>,
    /// The first failing assertion (lowest cycle, then lowest property index).
    pub failure: Option<Failure>,
    /// The first violated assumption.
    pub assume_violation: Option<Failure>,
}

/// Build a simulation at cycle 0 from a trace's `init`/`mem_init` and decode
/// its rows. Registers and memory words the trace does not give start as
/// `init` says, seeded from the trace's `meta.seed` (or 0).
pub fn sim_from_trace(
    prog: &Arc<Program>,
    trace: &Trace,
    init: InitMode,
) -> Result<(Sim, Vec<Vec<Bits>>), SimError> {
    let d = &prog.design;
    let rows = trace.decode(d)?;
    let seed = trace
        .meta
        .get("seed")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut sim = Sim::new(Arc::clone(prog), seed, init);
    for (i, v) in trace.decode_init(d)? {
        sim.set_reg(i, &v);
    }
    for (name, words) in &trace.mem_init {
        let mi = d.mems.iter().position(|m| &m.name == name).ok_or_else(|| {
            SimError::BadMemInit(format!("`{name}` is not a memory of the design"))
        })?;
        let w = d.mems[mi].width;
        for (a, v) in words {
            let addr: u64 = a
                .parse()
                .map_err(|_| SimError::BadMemInit(format!("`{name}`: bad address `{a}`")))?;
            let b = Bits::from_hex(w, v)
                .ok_or_else(|| SimError::BadMemInit(format!("`{name}[{a}]`: bad value `{v}`")))?;
            sim.set_mem_word(mi, addr, &b);
        }
    }
    Ok((sim, rows))
}

/// Replay a trace, calling `observe` after each cycle settles (before the edge).
pub fn replay_with(
    prog: &Arc<Program>,
    trace: &Trace,
    init: InitMode,
    mut observe: impl FnMut(&Sim),
) -> Result<ReplayResult, SimError> {
    let d = &prog.design;
    let (mut sim, rows) = sim_from_trace(prog, trace, init)?;
    let seed = trace
        .meta
        .get("seed")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut res = ReplayResult {
        outputs: Vec::with_capacity(rows.len()),
        props: Vec::with_capacity(rows.len()),
        failure: None,
        assume_violation: None,
    };
    for (c, row) in rows.iter().enumerate() {
        sim.set_inputs(row);
        sim.eval();
        observe(&sim);
        res.outputs
            .push(d.outputs.iter().map(|o| sim.get(o.node)).collect());
        let st: Vec<bool> = d.props.iter().map(|p| sim.is_set(p.node)).collect();
        for (i, p) in d.props.iter().enumerate() {
            // Covers are hits, liveness nodes obligations: not events.
            if !st[i] || matches!(p.kind, PropKind::Cover | PropKind::Live | PropKind::Fair) {
                continue;
            }
            let slot = if p.kind == PropKind::Assert {
                &mut res.failure
            } else {
                &mut res.assume_violation
            };
            if slot.is_none() {
                let mut t = trace.clone();
                t.cycles.truncate(c + 1);
                *slot = Some(Failure {
                    prop: i,
                    property: p.name.clone(),
                    kind: p.kind,
                    span: p.span,
                    cycle: c as u64,
                    seed,
                    trace: t,
                });
            }
        }
        res.props.push(st);
        sim.step();
    }
    Ok(res)
}

/// Replay a trace on a design.
pub fn replay(design: &Design, trace: &Trace, init: InitMode) -> Result<ReplayResult, SimError> {
    let prog = Arc::new(Program::compile(design)?);
    replay_with(&prog, trace, init, |_| {})
}

/// Output values per cycle of a trace's replay, as a trace-shaped document
/// whose ports are the design's outputs (`--dump-outputs`).
pub fn dump_outputs(design: &Design, trace: &Trace, init: InitMode) -> Result<Trace, SimError> {
    let res = replay(design, trace, init)?;
    Ok(outputs_trace(design, &res))
}

/// Replay a solver trace and say whether the property does what the
/// solver says in the trace's last cycle: an assertion fails (with no
/// assumption violated on the way), a cover is hit; for a liveness
/// assertion, the trace is a lasso ([`confirm_lasso`]). Every formal trace
/// is confirmed by this before it is reported.
pub fn confirm(
    prog: &Arc<Program>,
    d: &Design,
    prop: usize,
    trace: &Trace,
) -> Result<bool, SimError> {
    if d.props[prop].kind == PropKind::Live {
        return confirm_lasso(prog, prop, trace);
    }
    let res = replay_with(prog, trace, InitMode::Zero, |_| {})?;
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

/// Replay a liveness counterexample (a lasso: `meta["loop"]` is the first
/// loop cycle, the last cycle repeats its state): true if, in the
/// simulator, every register in the cone of the property, its fairness
/// constraints and assumptions has the same value in the last cycle as in
/// the loop's first, the obligation is outstanding in every loop cycle,
/// each fairness constraint is met in some loop cycle, and no assumption
/// is violated. Then the loop repeats forever and the property never holds.
fn confirm_lasso(prog: &Arc<Program>, prop: usize, trace: &Trace) -> Result<bool, SimError> {
    let d = &prog.design;
    let Some(start) = trace
        .meta
        .get(ir::passes::l2s::LOOP_META)
        .and_then(|s| s.parse::<usize>().ok())
    else {
        return Ok(false);
    };
    let last = trace.cycles.len().saturating_sub(1);
    if start >= last {
        return Ok(false);
    }
    let watched: Vec<usize> = (0..d.props.len())
        .filter(|&i| i == prop || matches!(d.props[i].kind, PropKind::Fair | PropKind::Assume))
        .collect();
    let cone = ir::passes::Cone::of(
        d,
        &watched.iter().map(|&i| d.props[i].node).collect::<Vec<_>>(),
    );
    let regs: Vec<_> = d
        .regs
        .iter()
        .enumerate()
        .filter(|(i, _)| cone.regs[*i])
        .map(|(_, r)| r.node)
        .collect();
    let mut states = Vec::new();
    let res = replay_with(prog, trace, InitMode::Zero, |s| {
        states.push(regs.iter().map(|&n| s.get(n)).collect::<Vec<_>>());
    })?;
    if res.assume_violation.is_some() || states.len() != last + 1 {
        return Ok(false);
    }
    let in_loop = &res.props[start..last];
    let pending = in_loop.iter().all(|st| st[prop]);
    let fair = (0..d.props.len())
        .filter(|&i| d.props[i].kind == PropKind::Fair)
        .all(|i| in_loop.iter().any(|st| !st[i]));
    Ok(pending && fair && states[start] == states[last])
}

/// The output trace of a replay result.
pub fn outputs_trace(design: &Design, res: &ReplayResult) -> Trace {
    let mut t = Trace {
        top: design.top.clone(),
        clock: design.clock.clone(),
        ports: design.outputs.iter().map(|o| o.name.clone()).collect(),
        widths: design.outputs.iter().map(|o| o.width).collect(),
        ..Trace::default()
    };
    for row in &res.outputs {
        t.push_cycle(row);
    }
    t
}
