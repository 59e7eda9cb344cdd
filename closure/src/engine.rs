//! The closure loop: simulation workers (uniform and learned stimulus) and
//! the formal worker on one coverage database, exchanging work in rounds.
//!
//! Each round runs a fixed list of episodes (seeds derived from the run's
//! seed and the round number) in parallel and, beside them, the formal
//! worker's current point. Results are merged in episode order, then the
//! formal answer, then the model trains on a fixed number of batches: with
//! a cycle budget every round is the same whatever the thread count (the
//! formal answer is awaited at the end of its round). With a time budget the
//! formal worker runs freely and its answers are merged when they arrive.

use crate::formal::{self, Answer, FormalSettings, Request, Verdict};
use crate::Error;
use ir::reset::ResetInput;
use ir::trace::Trace;
use ir::Design;
use serde::Serialize;
use sim::rng::{hash3, Rng};
use sim::{CoverageCollector, InitMode, Program};
use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};
use testgen::dict::Dictionary;
use testgen::explore::{self, Context, Episode, EpisodeResult, Mode, StartState};
use testgen::features::{target_features, Featurizer, TARGET_DIM};
use testgen::model::{Example, Policy};
use testgen::novelty::Novelty;
use testgen::target::{root, targets, ConeSizer, ConeSummary, Target};
use testgen::{CoverageDb, PointStatus};

/// When to stop.
#[derive(Clone, Copy, Debug)]
pub enum Budget {
    Time(Duration),
    Cycles(u64),
}

/// The words `--engines` (and a regression manifest's closure job's
/// `engines`) take: the engine sets `random`, `learned`, `formal`, `all`
/// and the learned generator's ablation arms `uniform`, `dict`, `mlp`
/// (every one is accepted by [`Engines::parse`]).
pub const ENGINE_WORDS: [&str; 7] = [
    "random", "learned", "formal", "all", "uniform", "dict", "mlp",
];

/// Which engines run. `random`, `learned`, `formal` and `all` are the
/// engine sets of the issue; `uniform`, `dict` and `mlp` are ablation arms
/// of the learned-guided simulation (what each of its parts adds over
/// the uniform kinds of episode), see [`Engines::parse`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Engines {
    pub random: bool,
    pub learned: bool,
    pub formal: bool,
    /// The three uniform kinds (from reset, from a start state, hold).
    pub uniform: bool,
    /// Uniform kinds + dictionary episodes, no model.
    pub dict: bool,
    /// Uniform kinds + the model's episodes (learned, greedy learned),
    /// no dictionary episodes and no dictionary snapping.
    pub mlp: bool,
}

impl Engines {
    /// A comma-separated list of: `random` (uniform random from reset),
    /// `learned` (learned-guided simulation: every kind of episode, the
    /// model's inputs snapped to dictionary values), `formal`, `all`
    /// (random, learned and formal), and the ablation arms `uniform`,
    /// `dict` and `mlp`.
    pub fn parse(s: &str) -> Result<Engines, String> {
        let mut e = Engines {
            random: false,
            learned: false,
            formal: false,
            uniform: false,
            dict: false,
            mlp: false,
        };
        for w in s.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            match w {
                "random" => e.random = true,
                "learned" => e.learned = true,
                "formal" => e.formal = true,
                "uniform" => e.uniform = true,
                "dict" => e.dict = true,
                "mlp" => e.mlp = true,
                "all" => {
                    e.random = true;
                    e.learned = true;
                    e.formal = true;
                }
                other => {
                    return Err(format!(
                        "--engines: unknown engine `{other}` (expected random, learned, formal, all, uniform, dict or mlp)"
                    ))
                }
            }
        }
        if !(e.random || e.learned || e.formal || e.uniform || e.dict || e.mlp) {
            return Err("--engines: no engine given".into());
        }
        Ok(e)
    }

    pub fn sim(&self) -> bool {
        self.random || self.learned || self.uniform || self.dict || self.mlp
    }

    /// The learned model is trained and sampled.
    pub fn model(&self) -> bool {
        self.learned || self.mlp
    }

    /// Dictionary episodes run.
    pub fn dict_episodes(&self) -> bool {
        self.learned || self.dict
    }

    /// The model's episodes snap inputs to dictionary values (only the
    /// full learned generator: the `mlp` arm measures the model alone).
    pub fn snap(&self) -> bool {
        self.learned
    }

    /// Episodes also continue from start states (uniform and hold kinds).
    fn guided(&self) -> bool {
        self.learned || self.uniform || self.dict || self.mlp || (self.random && self.formal)
    }
}

#[derive(Clone, Debug)]
pub struct Options {
    pub budget: Budget,
    pub seed: u64,
    pub engines: Engines,
    /// Formal depth per point.
    pub depth: u32,
    pub init: InitMode,
    pub reset: Option<ResetInput>,
    pub reset_cycles: u64,
}

/// Episodes per round (fixed: rounds must not depend on the thread count).
pub const EPISODES: usize = 16;
/// Cycles of an episode that continues from a start state.
pub const EPISODE_CYCLES: u64 = 1024;
/// Cycles of a greedy learned episode: long, so an input the model holds
/// can drive a deep counter from a start state to its top.
pub const GREEDY_CYCLES: u64 = 4096;
/// Cycles of a uniform-random episode from reset when nothing guides
/// simulation (the classic random run: many seeds from reset).
pub const RANDOM_CYCLES: u64 = 1000;
/// Start states kept (oldest dropped first).
const CORPUS: usize = 256;
/// Training examples kept.
const BUFFER: usize = 8192;
/// Progress examples kept for training (`testgen::novelty`), beside the
/// hit examples: a batch takes half from each.
const PROGRESS_BUFFER: usize = 4096;
/// Training steps per round and their batch size. (12 steps left the
/// in-order receiver `closure_seq` at 75% after 1M cycles, seed 1: the
/// progress examples were there, the model had not learned them yet; 48
/// closed it at 0.47M.)
const STEPS: usize = 48;
const BATCH: usize = 64;
/// Formal points per round with a cycle budget.
const FORMAL_PER_ROUND: usize = 4;
/// A point hit in fewer cycles than this is rare: its hits are training data.
const RARE: u64 = 8;
/// Episodes every available kind of episode gets per round (exploration);
/// the rest go to the kinds that found new points lately.
const ARM_FLOOR: usize = 2;
/// Per round, the bandit's memory of past rewards decays by this factor.
const ARM_DECAY: f64 = 0.9;
/// Start states an episode prefers: the newest (deepest) of the corpus.
const NEWEST: usize = 4;

/// The kinds of simulation episode, chosen per round by a bandit on how
/// many new points each kind found lately (so learned-guided simulation
/// spends its cycles on the model only while the model pays).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Arm {
    /// Uniform random from reset (the classic random run).
    Reset,
    /// Uniform random from a start state that hit something new.
    Uniform,
    /// Uniform values held for random runs of cycles, from a start state.
    Hold,
    /// Uniform values with the design's compare constants mixed in
    /// (`testgen::dict`), from a start state.
    Dict,
    /// Sampled from the model as trained.
    Learned,
    /// Greedy: the model's confident bits held (long exact sequences).
    Greedy,
}

/// Every arm, in `Arm as usize` order.
const ARMS: [Arm; 6] = [
    Arm::Reset,
    Arm::Uniform,
    Arm::Hold,
    Arm::Dict,
    Arm::Learned,
    Arm::Greedy,
];

impl Arm {
    fn name(self) -> &'static str {
        match self {
            Arm::Reset => "uniform from reset",
            Arm::Uniform => "uniform from a start state",
            Arm::Hold => "hold",
            Arm::Dict => "dictionary",
            Arm::Learned => "learned",
            Arm::Greedy => "greedy learned",
        }
    }
}

/// What one kind of episode did over the whole run (JSON `arms`): how the
/// learned run's new points split between the kinds.
#[derive(Clone, Debug, Serialize)]
pub struct ArmReport {
    pub kind: &'static str,
    pub episodes: u64,
    pub cycles: u64,
    /// Points this kind of episode hit first.
    pub new_points: u64,
}

/// Decayed reward statistics of one arm.
#[derive(Clone, Copy, Debug, Default)]
struct ArmStats {
    episodes: f64,
    new: f64,
}

impl ArmStats {
    /// Mean new points per episode, optimistic while untried.
    fn score(&self) -> f64 {
        (self.new + 0.5) / (self.episodes + 1.0)
    }
}

/// Split `n` episodes over arms: `ARM_FLOOR` each, the rest in proportion
/// to their scores (largest remainders; ties to the earlier arm).
fn allocate(scores: &[f64], n: usize) -> Vec<usize> {
    let k = scores.len();
    let floor = ARM_FLOOR.min(n / k.max(1));
    let mut out = vec![floor; k];
    let rest = n - floor * k;
    if k == 0 || rest == 0 {
        return out;
    }
    // Scores that say nothing (all zero) share equally.
    let total: f64 = scores.iter().sum();
    let share: Vec<f64> = scores
        .iter()
        .map(|s| {
            if total > 0.0 {
                s / total * rest as f64
            } else {
                rest as f64 / k as f64
            }
        })
        .collect();
    let mut given = 0;
    for (o, sh) in out.iter_mut().zip(&share) {
        *o += sh.floor() as usize;
        given += sh.floor() as usize;
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| {
        let fa = share[a] - share[a].floor();
        let fb = share[b] - share[b].floor();
        fb.partial_cmp(&fa)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    for &i in order.iter().cycle().take(rest - given) {
        out[i] += 1;
    }
    out
}

/// One sample of the closure curve.
#[derive(Clone, Debug, Serialize)]
pub struct Sample {
    pub time_s: f64,
    pub cycles: u64,
    pub closure: f64,
    pub hit: usize,
    pub unreachable: usize,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct FormalStats {
    pub queries: usize,
    pub covered: usize,
    pub unreachable: usize,
    pub unknown: usize,
    pub time_s: f64,
    /// Queries dropped because simulation closed the point first.
    pub cancelled: usize,
}

/// Everything a closure run produced.
pub struct Outcome {
    pub db: CoverageDb,
    pub history: Vec<Sample>,
    /// Stimulus files referenced by the database, by name.
    pub stimuli: BTreeMap<String, Trace>,
    pub cycles: u64,
    pub rounds: u64,
    pub elapsed: Duration,
    pub formal: FormalStats,
    pub train_steps: u64,
    pub examples: usize,
    /// Assertions that failed during closure (bugs found), first failure of
    /// each, in the order found; `trace` replays it (`seed` is 0).
    pub failures: Vec<sim::Failure>,
    /// Messages for the user (e.g. a witness the simulator did not confirm).
    pub warnings: Vec<String>,
    /// Per kind of simulation episode used, what it did.
    pub arms: Vec<ArmReport>,
    /// Entries of the input dictionary mined from the design.
    pub dict_entries: usize,
}

/// The state of a run between rounds.
struct Run<'a> {
    prog: &'a Arc<Program>,
    opts: &'a Options,
    targets: Arc<Vec<Target>>,
    feat: Featurizer,
    target_feats: Vec<[f32; TARGET_DIM]>,
    db: CoverageDb,
    corpus: VecDeque<Arc<StartState>>,
    /// Per corpus entry, the point whose first hit made it.
    corpus_point: VecDeque<usize>,
    stimuli: BTreeMap<String, Trace>,
    buffer: VecDeque<Example>,
    /// Examples of progress (a watched register's new value).
    progress: VecDeque<Example>,
    /// Register values seen so far, and per point the registers in its cone.
    novelty: Novelty,
    cone_regs: Vec<Vec<u32>>,
    policy: Option<Policy>,
    cycles: u64,
    warnings: Vec<String>,
    formal: FormalStats,
    failures: Vec<sim::Failure>,
    arms: Vec<Arm>,
    arm_stats: Vec<ArmStats>,
    /// Undecayed totals per arm: (episodes, cycles, new points).
    arm_totals: Vec<(u64, u64, u64)>,
    /// The last formal answer closed its point (a witness or a proof; a
    /// timeout clears it): formal is paying.
    formal_paying: bool,
    dict: Dictionary,
}

impl Run<'_> {
    /// Closure now, for the closure-over-time history.
    fn sample(&self, t0: Instant) -> Sample {
        let s = self.db.summary(None);
        Sample {
            time_s: t0.elapsed().as_secs_f64(),
            cycles: self.cycles,
            closure: s.closure(),
            hit: s.hit,
            unreachable: s.unreachable,
        }
    }

    fn open(&self) -> Vec<bool> {
        self.db
            .points
            .iter()
            .map(|p| !p.status.is_closed())
            .collect()
    }

    fn rare(&self) -> Vec<bool> {
        self.db.points.iter().map(|p| p.hits < RARE).collect()
    }

    /// The registers episodes watch for new values (progress examples for
    /// the model; none without it).
    fn watch(&self, open: &[bool]) -> Vec<usize> {
        if self.policy.is_none() {
            return Vec::new();
        }
        self.novelty.watch(&self.cone_regs, open)
    }

    /// Merge one simulation result: first hits (still open ones), counts,
    /// examples; a result that hit something new becomes a start state.
    fn merge(&mut self, name: &str, res: EpisodeResult) -> usize {
        let d = &self.prog.design;
        for &(prop, cycle) in &res.failures {
            if self.failures.iter().any(|f| f.prop == prop) {
                continue;
            }
            let p = &d.props[prop];
            let mut trace = res.trace_upto(cycle as usize + 1);
            trace.meta.insert("property".into(), p.name.clone());
            trace.meta.insert("stimulus".into(), name.to_string());
            self.failures.push(sim::Failure {
                prop,
                property: p.name.clone(),
                kind: p.kind,
                span: p.span,
                cycle,
                seed: 0,
                trace,
            });
        }
        let mut new = 0;
        for &(p, cycle) in &res.first_hits {
            if self.db.record_hit(p, name, cycle) {
                new += 1;
            }
        }
        for (p, c) in self.db.points.iter_mut().zip(&res.counts) {
            p.hits += c;
        }
        self.cycles += res.cycles;
        // The stimulus is made only for a result that is kept.
        let full = (new > 0).then(|| res.trace());
        for e in res.examples {
            if self.buffer.len() == BUFFER {
                self.buffer.pop_front();
            }
            self.buffer.push_back(e);
        }
        for (r, v) in res.novel {
            self.novelty.insert(r, v);
        }
        for e in res.progress {
            if self.progress.len() == PROGRESS_BUFFER {
                self.progress.pop_front();
            }
            self.progress.push_back(e);
        }
        if let Some(full) = full {
            // Continue from just after each new hit.
            let mut snaps = res.snapshots;
            if snaps.is_empty() {
                let p = res.first_hits.last().map_or(0, |h| h.0);
                snaps.push((res.end, full.cycles.len(), p));
            }
            for (sim, len, point) in snaps {
                let mut prefix = full.clone();
                prefix.cycles.truncate(len);
                if self.corpus.len() == CORPUS {
                    self.corpus.pop_front();
                    self.corpus_point.pop_front();
                }
                self.corpus_point.push_back(point);
                self.corpus.push_back(Arc::new(StartState {
                    sim,
                    prefix: Arc::new(prefix),
                    reset_left: 0,
                }));
            }
            self.stimuli.insert(name.to_string(), full);
        }
        new
    }

    fn merge_answer(&mut self, a: Answer) {
        self.formal.queries += 1;
        self.formal.time_s += a.elapsed.as_secs_f64();
        let id = self.targets[a.point].id.clone();
        match &a.verdict {
            Verdict::Covered(_) | Verdict::Unreachable(_) => self.formal_paying = true,
            Verdict::Unknown | Verdict::Error(_) => self.formal_paying = false,
            Verdict::Cancelled => {}
        }
        match a.verdict {
            Verdict::Covered(trace) => {
                self.formal.covered += 1;
                let open = self.open();
                let rare = self.rare();
                let watched = self.watch(&open);
                let ctx = Context {
                    prog: self.prog,
                    feat: &self.feat,
                    target_feats: &self.target_feats,
                    reset: None,
                    open: &open,
                    rare: &rare,
                    settle: self.opts.reset_cycles,
                    dict: &self.dict,
                    stop: None,
                    board: None,
                    progress: Some((&self.novelty, &watched)),
                };
                match explore::replay(&ctx, &trace, self.opts.init) {
                    Ok(res) => {
                        let hit_target = res.first_hits.iter().any(|&(p, _)| p == a.point)
                            || self.db.points[a.point].status.is_closed();
                        let name = format!("formal_{:05}", a.point);
                        self.merge(&name, res);
                        if !hit_target {
                            self.warnings.push(format!(
                                "the formal witness for `{id}` does not hit it in simulation (an engine disagreement)"
                            ));
                            self.set_unknown(a.point);
                        }
                    }
                    Err(e) => {
                        self.warnings
                            .push(format!("cannot replay the witness for `{id}`: {e}"));
                        self.set_unknown(a.point);
                    }
                }
            }
            Verdict::Unreachable(k) => {
                self.formal.unreachable += 1;
                let hit_by = match &self.db.points[a.point].status {
                    PointStatus::Hit { stimulus, .. } => Some(stimulus.clone()),
                    _ => None,
                };
                match hit_by {
                    Some(s) => self.warnings.push(format!(
                        "`{id}` is proven unreachable but {s} hits it (an engine disagreement)"
                    )),
                    None => self.db.points[a.point].status = PointStatus::Unreachable { k },
                }
            }
            Verdict::Unknown => {
                self.formal.unknown += 1;
                self.set_unknown(a.point);
            }
            Verdict::Cancelled => {
                self.formal.queries -= 1;
                self.formal.cancelled += 1;
            }
            Verdict::Error(e) => {
                self.formal.unknown += 1;
                self.warnings.push(format!("formal on `{id}`: {e}"));
                self.set_unknown(a.point);
            }
        }
    }

    fn set_unknown(&mut self, p: usize) {
        if self.db.points[p].status == PointStatus::Unhit {
            self.db.points[p].status = PointStatus::Unknown;
        }
    }

    /// A start state for a guided episode: a third of the time one of the
    /// newest (deepest) states, a third of the time one made by a rarely
    /// hit point (weight 1 / hits: the states few runs get to), otherwise
    /// any of the corpus or a fresh reset.
    fn pick_start(&self, rng: &mut Rng, seed: u64, allow_reset: bool) -> Arc<StartState> {
        let n = self.corpus.len();
        let pick = rng.next_u64() % 3;
        let idx = if n == 0 {
            None
        } else if pick == 0 {
            Some(n - 1 - (rng.next_u64() % NEWEST.min(n) as u64) as usize)
        } else if pick == 1 {
            let w: Vec<f64> = self
                .corpus_point
                .iter()
                .map(|&p| 1.0 / (1 + self.db.points[p].hits) as f64)
                .collect();
            let total: f64 = w.iter().sum();
            let mut u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
            let mut chosen = n - 1;
            for (i, wi) in w.iter().enumerate() {
                if u < *wi {
                    chosen = i;
                    break;
                }
                u -= wi;
            }
            Some(chosen)
        } else {
            let k = rng.next_u64() % (n as u64 + allow_reset as u64);
            (k < n as u64).then_some(k as usize)
        };
        match idx {
            Some(i) => Arc::clone(&self.corpus[i]),
            None => Arc::new(StartState::fresh(
                self.prog,
                seed,
                self.opts.init,
                self.opts.reset_cycles,
            )),
        }
    }

    /// The arms simulation may use with these engines.
    fn available_arms(&self) -> Vec<Arm> {
        let e = self.opts.engines;
        let mut v = Vec::new();
        if e.sim() {
            v.push(Arm::Reset);
        }
        // With formal or learned guidance, uniform episodes also continue
        // from states that hit something new (formal witnesses' ends
        // included); plain random simulation always starts from reset.
        if e.guided() {
            v.push(Arm::Uniform);
            v.push(Arm::Hold);
        }
        if e.dict_episodes() && !self.dict.is_empty() {
            v.push(Arm::Dict);
        }
        if e.model() {
            v.push(Arm::Learned);
            v.push(Arm::Greedy);
        }
        v
    }

    /// The episodes of round `r` (and the arm of each, in `self.arms`).
    fn episodes(&mut self, r: u64, weights: Option<&Arc<testgen::model::Weights>>) -> Vec<Episode> {
        let open: Vec<usize> = (0..self.db.points.len())
            .filter(|&p| !self.db.points[p].status.is_closed())
            .collect();
        let avail = self.available_arms();
        let scores: Vec<f64> = avail
            .iter()
            .map(|&a| self.arm_stats[a as usize].score())
            .collect();
        let counts = allocate(&scores, EPISODES);
        self.arms = avail
            .iter()
            .zip(&counts)
            .flat_map(|(&a, &n)| std::iter::repeat_n(a, n))
            .collect();
        let arms = self.arms.clone();
        arms.iter()
            .enumerate()
            .map(|(j, &arm)| {
                let seed = hash3(self.opts.seed, r, j as u64);
                let mut rng = Rng::new(seed, 0x6570);
                let (start, cycles) = match arm {
                    Arm::Reset => (
                        Arc::new(StartState::fresh(
                            self.prog,
                            seed,
                            self.opts.init,
                            self.opts.reset_cycles,
                        )),
                        RANDOM_CYCLES,
                    ),
                    Arm::Uniform | Arm::Dict | Arm::Learned => {
                        // Short episodes retry a start state many times for
                        // few cycles (the next key of a lock); long ones go deep.
                        let c = [16, 128, EPISODE_CYCLES][(rng.next_u64() % 3) as usize];
                        (self.pick_start(&mut rng, seed, true), c)
                    }
                    Arm::Hold => (self.pick_start(&mut rng, seed, true), 2 * EPISODE_CYCLES),
                    Arm::Greedy => (self.pick_start(&mut rng, seed, false), GREEDY_CYCLES),
                };
                let mode = match (arm, weights, open.is_empty()) {
                    (Arm::Learned | Arm::Greedy, Some(w), false) => Mode::Learned {
                        weights: Arc::clone(w),
                        // Half the time anywhere new (the explore target:
                        // repeat the progress the model learned), else an
                        // open point.
                        target: rng
                            .next_u64()
                            .is_multiple_of(2)
                            .then(|| open[(rng.next_u64() % open.len() as u64) as usize]),
                        sharpen: if arm == Arm::Greedy {
                            f32::INFINITY
                        } else {
                            1.0
                        },
                        snap: self.opts.engines.snap(),
                    },
                    (Arm::Hold, ..) => Mode::Hold {
                        mean: [16, 64, 256, 1024][(rng.next_u64() % 4) as usize],
                    },
                    (Arm::Dict, ..) => Mode::Dict,
                    _ => Mode::Uniform,
                };
                Episode {
                    start,
                    seed,
                    cycles,
                    mode,
                }
            })
            .collect()
    }

    /// Credit the round's new points to the arms that found them.
    fn reward(&mut self, new: &[(usize, u64)]) {
        for st in &mut self.arm_stats {
            st.episodes *= ARM_DECAY;
            st.new *= ARM_DECAY;
        }
        for (&a, &(n, cycles)) in self.arms.iter().zip(new) {
            let st = &mut self.arm_stats[a as usize];
            st.episodes += 1.0;
            st.new += n as f64;
            let t = &mut self.arm_totals[a as usize];
            t.0 += 1;
            t.1 += cycles;
            t.2 += n as u64;
        }
    }

    fn train(&mut self, r: u64) {
        let Some(policy) = self.policy.as_mut() else {
            return;
        };
        // Half of each batch from the hit examples, half from the progress
        // examples (all from one if the other is empty).
        let sources: Vec<&VecDeque<Example>> = [&self.buffer, &self.progress]
            .into_iter()
            .filter(|b| !b.is_empty())
            .collect();
        if sources.is_empty() {
            return;
        }
        let mut rng = Rng::new(hash3(self.opts.seed, r, 0x7472), 0x7472);
        for _ in 0..STEPS {
            let batch: Vec<&Example> = sources
                .iter()
                .flat_map(|b| {
                    let n = (BATCH / sources.len()).min(b.len());
                    (0..n)
                        .map(|_| &b[(rng.next_u64() % b.len() as u64) as usize])
                        .collect::<Vec<_>>()
                })
                .collect();
            if let Err(e) = policy.train_step(&batch) {
                self.warnings.push(format!("learned generator: {e}"));
                self.policy = None;
                return;
            }
        }
    }
}

/// Run a round's episodes on the lane engine, one batch per thread: the
/// episodes sorted by length and dealt out in turn, so each batch has
/// episodes of like lengths (a lane whose episode is done idles until its
/// batch ends) and the threads like work. Each episode's result is what it
/// gives alone ([`explore::run_batch`]), so neither the thread count nor
/// the batching changes a result; they come back in episode order.
fn run_round(ctx: &Context, eps: &[Episode]) -> Vec<EpisodeResult> {
    use rayon::prelude::*;
    let threads = rayon::current_num_threads().clamp(1, eps.len().max(1));
    let mut order: Vec<usize> = (0..eps.len()).collect();
    order.sort_by_key(|&j| eps[j].cycles);
    let groups: Vec<Vec<usize>> = (0..threads)
        .map(|t| order.iter().copied().skip(t).step_by(threads).collect())
        .collect();
    let done: Vec<Vec<(usize, EpisodeResult)>> = groups
        .par_iter()
        .map(|g| {
            let batch: Vec<Episode> = g.iter().map(|&j| eps[j].clone()).collect();
            g.iter()
                .copied()
                .zip(explore::run_batch(ctx, &batch))
                .collect()
        })
        .collect();
    let mut out: Vec<Option<EpisodeResult>> = (0..eps.len()).map(|_| None).collect();
    for (j, r) in done.into_iter().flatten() {
        out[j] = Some(r);
    }
    out.into_iter().flatten().collect()
}

/// Points' ids as the simulator counts them; an error if the targets do
/// not line up with them (a bug, reported rather than mis-attributed).
fn check_targets(prog: &Arc<Program>, t: &[Target]) -> Result<sim::Coverage, Error> {
    let cov = CoverageCollector::new(Arc::clone(prog)).finish();
    let same = cov.points.len() == t.len() && cov.points.iter().zip(t).all(|(p, t)| p.id == t.id);
    if !same {
        return Err(Error::TargetMismatch);
    }
    Ok(cov)
}

/// Hands the formal worker its points: the queue (cheapest cone first),
/// the queries in flight with their cancel flags, the retries.
struct Feeder {
    queue: VecDeque<usize>,
    /// Points already retried (time budgets: once, deeper, with the time left).
    retried: std::collections::BTreeSet<usize>,
    /// Queries in flight: (point, its cancel flag).
    inflight: Vec<(usize, Arc<AtomicBool>)>,
    tx: mpsc::Sender<Request>,
    depth: u32,
    /// With a time budget: the run's start and budget.
    time: Option<(Instant, Duration)>,
    /// Per point: behind a wide compare of inputs with a constant
    /// ([`HARD_COMPARE_BITS`]), hard for simulation.
    hard: Vec<bool>,
    /// Every queued point may be asked (else only the hard ones: with a
    /// time budget, until simulation stalls).
    open_all: bool,
}

impl Feeder {
    fn send(&mut self, p: usize, retry: bool) -> bool {
        let depth = if retry {
            self.depth.saturating_mul(2)
        } else {
            self.depth
        };
        let timeout = self.time.map(|(t0, d)| {
            let left = d.saturating_sub(t0.elapsed());
            if retry {
                left
            } else {
                left.min((d / 4).max(Duration::from_secs(2)))
            }
        });
        let flag = Arc::new(AtomicBool::new(false));
        let req = Request {
            point: p,
            timeout,
            depth,
            cancel: Arc::clone(&flag),
        };
        if self.tx.send(req).is_err() {
            return false;
        }
        self.inflight.push((p, flag));
        true
    }

    /// Send queued points until `want` are in flight, skipping those
    /// `skip` says are settled.
    fn fill(&mut self, want: usize, skip: impl Fn(usize) -> bool) {
        let mut i = 0;
        while self.inflight.len() < want && i < self.queue.len() {
            let p = self.queue[i];
            if skip(p) {
                self.queue.remove(i);
            } else if self.open_all || self.hard[p] {
                self.queue.remove(i);
                if !self.send(p, false) {
                    return;
                }
            } else {
                i += 1;
            }
        }
    }

    /// Time budgets, nothing queued or in flight: ask one point formal left
    /// `unknown` again, twice as deep and with all the time left.
    fn retry(&mut self, unknown: impl Fn(usize) -> bool, n: usize) {
        if self.time.is_none() || !self.queue.is_empty() || !self.inflight.is_empty() {
            return;
        }
        if let Some(p) = (0..n).find(|&p| unknown(p) && !self.retried.contains(&p)) {
            self.retried.insert(p);
            self.send(p, true);
        }
    }

    fn landed(&mut self, p: usize) {
        if let Some(i) = self.inflight.iter().position(|(q, _)| *q == p) {
            self.inflight.remove(i);
        }
    }

    /// Stop the queries on points `closed` says are closed.
    fn cancel_closed(&self, closed: impl Fn(usize) -> bool) {
        for (p, flag) in &self.inflight {
            if closed(*p) {
                flag.store(true, Ordering::Relaxed);
            }
        }
    }
}

/// A point whose cone compares at least this many input bits with a
/// constant is hard for simulation: with a time budget formal starts on it
/// at once (on the others once simulation stalls).
const HARD_COMPARE_BITS: u32 = 8;

/// Simulation rounds without a new point before simulation backs off in
/// favour of a busy formal worker (time budgets).
const STALL_ROUNDS: u32 = 1;
/// At most 2^this rounds' time of waiting between backed-off rounds.
const MAX_BACKOFF: u32 = 5;

/// How often the watcher of a time-budgeted round looks at the board.
const WATCH_EVERY: Duration = Duration::from_millis(5);
/// Formal queries kept in flight with a time budget (one running, one
/// waiting, so the worker never waits for the main thread).
const FORMAL_QUEUED: usize = 2;

/// Beside a time-budgeted simulation round: take formal answers as they
/// land (the point marked on the board, the next query sent at once, the
/// queries on points simulation has just hit cancelled) and end the round
/// early when every point is closed, the time is up, a witness landed (its
/// states are new start states for simulation) or the formal worker ran
/// out of new points while an answer waits to be merged (it may need a
/// retry).
#[allow(clippy::too_many_arguments)]
fn watch(
    feeder: Option<&mut Feeder>,
    rx: &mut mpsc::Receiver<Answer>,
    board: &[AtomicBool],
    stop: &AtomicBool,
    done: &AtomicBool,
    deadline: Instant,
    cancel: &AtomicBool,
) -> Vec<Answer> {
    let mut landed = Vec::new();
    let closed = |p: usize| board[p].load(Ordering::Relaxed);
    let mut feeder = feeder;
    while !done.load(Ordering::Acquire) {
        if let Some(f) = feeder.as_deref_mut() {
            match rx.recv_timeout(WATCH_EVERY) {
                Ok(a) => {
                    f.landed(a.point);
                    match &a.verdict {
                        Verdict::Covered(_) => {
                            board[a.point].store(true, Ordering::Relaxed);
                            stop.store(true, Ordering::Relaxed);
                        }
                        Verdict::Unreachable(_) => board[a.point].store(true, Ordering::Relaxed),
                        _ => {}
                    }
                    landed.push(a);
                    f.fill(FORMAL_QUEUED, closed);
                    if f.inflight.is_empty() {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => feeder = None,
            }
            if let Some(f) = feeder.as_deref() {
                f.cancel_closed(closed);
            }
        } else {
            std::thread::sleep(WATCH_EVERY);
        }
        if Instant::now() >= deadline
            || cancel.load(Ordering::Relaxed)
            || board.iter().all(|b| b.load(Ordering::Relaxed))
        {
            stop.store(true, Ordering::Relaxed);
        }
    }
    landed
}

/// Run coverage closure. `locate` gives a point's source location text;
/// `on_round` is called after every round (for the progress view);
/// `cancel` stops the run (what is known so far is returned). Nothing is
/// printed: messages for the user are in [`Outcome::warnings`].
pub fn run(
    design: &Design,
    prog: &Arc<Program>,
    opts: &Options,
    prior: Option<CoverageDb>,
    locate: impl Fn(ir::Span) -> Option<String>,
    mut on_round: impl FnMut(&CoverageDb, u64),
    cancel: Arc<AtomicBool>,
) -> Result<Outcome, Error> {
    let t0 = Instant::now();
    let tg = Arc::new(targets(design));
    let cov = check_targets(prog, &tg)?;
    let mut db = CoverageDb::from_points(&cov, locate);
    if let Some(p) = prior {
        db.merge(&p)?;
        // Hits from elsewhere are kept; their stimuli are not ours to replay.
    }
    let reset_input = opts.reset.as_ref().map(|r| r.input.index());
    let feat = Featurizer::new(design, reset_input);
    let target_feats: Vec<_> = tg.iter().map(|t| target_features(design, t)).collect();
    // One pass over each point's cone: its size (formal's order), whether
    // it is hard for simulation (formal takes it at once) and its registers
    // (what episodes watch for progress).
    let mut cone_sizes = Vec::with_capacity(tg.len());
    let mut hard = Vec::with_capacity(tg.len());
    let mut cone_regs = Vec::with_capacity(tg.len());
    // Points of one register share their cone: each cone once.
    let mut sizer = ConeSizer::new(design);
    let mut by_root: std::collections::HashMap<ir::NodeId, Arc<ConeSummary>> = Default::default();
    for t in tg.iter() {
        let s = by_root
            .entry(root(design, &t.goal))
            .or_insert_with_key(|&r| Arc::new(sizer.summary(r)));
        cone_sizes.push(s.size);
        hard.push(s.widest_compare >= HARD_COMPARE_BITS);
        cone_regs.push(s.regs.clone());
    }
    let policy = if opts.engines.model() {
        Some(Policy::new(feat.in_dim(), feat.out_dim(), opts.seed)?)
    } else {
        None
    };
    let mut run = Run {
        prog,
        opts,
        targets: Arc::clone(&tg),
        feat,
        target_feats,
        db,
        corpus: VecDeque::new(),
        corpus_point: VecDeque::new(),
        stimuli: BTreeMap::new(),
        buffer: VecDeque::new(),
        progress: VecDeque::new(),
        novelty: Novelty::new(design),
        cone_regs,
        policy,
        cycles: 0,
        warnings: Vec::new(),
        formal: FormalStats::default(),
        failures: Vec::new(),
        arms: Vec::new(),
        arm_stats: vec![ArmStats::default(); ARMS.len()],
        arm_totals: vec![(0, 0, 0); ARMS.len()],
        formal_paying: false,
        dict: Dictionary::mine(&prog.design, reset_input),
    };
    let time_budget = match opts.budget {
        Budget::Time(d) => Some(d),
        Budget::Cycles(_) => None,
    };
    let (req_tx, req_rx) = mpsc::channel::<Request>();
    let (ans_tx, mut ans_rx) = mpsc::channel::<Answer>();
    // Formal order: cheapest (smallest cone) first, ties by point order.
    let mut feeder = Feeder {
        queue: {
            let mut v: Vec<(usize, usize)> = (0..tg.len()).map(|i| (cone_sizes[i], i)).collect();
            v.sort();
            v.into_iter().map(|(_, i)| i).collect()
        },
        retried: std::collections::BTreeSet::new(),
        inflight: Vec::new(),
        tx: req_tx,
        depth: opts.depth,
        time: time_budget.map(|d| (t0, d)),
        hard,
        // With a cycle budget (deterministic rounds) or without simulation,
        // formal takes every point in its order from the start.
        open_all: time_budget.is_none() || !opts.engines.sim(),
    };
    // Simulation keeps every thread while formal runs beside it (the OS
    // shares the cores): on a quiet 2-core machine that closed faster than
    // leaving formal a core (release build, bench/closure.sh, seeds 1-3:
    // counter 0.10 -> 0.08 s, lock 0.64 -> 0.59 s, FIFO/magic/bug
    // 10 ms sooner, unreachable points 0.51 -> 0.54 s).
    let settings = FormalSettings {
        reset: opts.reset.as_ref().map(|r| r.reset.clone()),
    };
    let formal_thread = if opts.engines.formal {
        let d = Arc::new(design.clone());
        let t = Arc::clone(&tg);
        Some(
            std::thread::Builder::new()
                .name("closure-formal".into())
                .stack_size(64 << 20)
                .spawn(move || formal::worker(d, t, settings, req_rx, ans_tx))?,
        )
    } else {
        None
    };
    // Per point: closed somewhere (database, this round's episodes, formal
    // answers not merged yet). Time budgets read it during a round.
    let board: Vec<AtomicBool> = (0..tg.len()).map(|_| AtomicBool::new(false)).collect();
    let mut history = vec![Sample {
        time_s: 0.0,
        cycles: 0,
        closure: run.db.closure(),
        hit: 0,
        unreachable: 0,
    }];
    let mut r = 0u64;
    // Time budgets: consecutive simulation rounds without a new point, and
    // how long the last round took.
    let mut stalled = 0u32;
    let mut round_time = Duration::ZERO;
    loop {
        for (b, p) in board.iter().zip(&run.db.points) {
            b.store(p.status.is_closed(), Ordering::Relaxed);
        }
        if cancel.load(Ordering::Relaxed) || run.db.all_closed() {
            break;
        }
        let out_of_budget = match opts.budget {
            Budget::Time(d) => t0.elapsed() >= d,
            Budget::Cycles(n) => run.cycles >= n,
        };
        if out_of_budget {
            break;
        }
        // Hand the formal worker its next point(s): with a cycle budget a
        // fixed number per round, awaited at the end of the round; with a
        // time budget from the start, kept busy (answers taken and the next
        // point sent as they land, during simulation rounds too).
        if formal_thread.is_some() {
            let db = &run.db;
            // Points no longer unhit are not asked.
            let settled = |p: usize| db.points[p].status != PointStatus::Unhit;
            if time_budget.is_some() {
                feeder.fill(FORMAL_QUEUED, settled);
                feeder.retry(
                    |p| db.points[p].status == PointStatus::Unknown,
                    db.points.len(),
                );
            } else {
                feeder.fill(FORMAL_PER_ROUND, settled);
            }
        }
        if !opts.engines.sim() && feeder.inflight.is_empty() {
            break; // formal alone, nothing left to ask
        }
        // Simulation backs off while it finds nothing and formal is paying
        // (its last answer closed a point) and has work: after
        // STALL_ROUNDS rounds without a new point it waits for a formal
        // answer before each round, for a round's time doubling per further
        // empty round, so the solver gets the cores. Any answer ends the
        // wait; a formal timeout ends the back-off.
        if let Some(d) = time_budget.filter(|_| opts.engines.sim()) {
            if stalled >= STALL_ROUNDS && run.formal_paying && !feeder.inflight.is_empty() {
                let pause = round_time
                    .max(Duration::from_millis(10))
                    .saturating_mul(1 << (stalled - STALL_ROUNDS).min(MAX_BACKOFF))
                    .min(d.saturating_sub(t0.elapsed()));
                let deadline = Instant::now() + pause;
                let mut got = false;
                while !cancel.load(Ordering::Relaxed) {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        break;
                    }
                    match ans_rx.recv_timeout(left.min(Duration::from_millis(100))) {
                        Ok(a) => {
                            feeder.landed(a.point);
                            run.merge_answer(a);
                            got = true;
                            break;
                        }
                        Err(mpsc::RecvTimeoutError::Timeout) => {}
                        Err(mpsc::RecvTimeoutError::Disconnected) => break,
                    }
                }
                if got {
                    history.push(run.sample(t0));
                    on_round(&run.db, run.cycles);
                    continue;
                }
            }
        }
        let round_start = Instant::now();
        let mut landed = Vec::new();
        // Simulation round.
        if opts.engines.sim() {
            let weights = match &run.policy {
                Some(p) => Some(Arc::new(p.weights()?)),
                None => None,
            };
            let eps = run.episodes(r, weights.as_ref());
            let open = run.open();
            let rare = run.rare();
            let watched = run.watch(&open);
            let stop = AtomicBool::new(false);
            let done = AtomicBool::new(false);
            let ctx = Context {
                prog,
                feat: &run.feat,
                target_feats: &run.target_feats,
                reset: opts.reset.as_ref(),
                open: &open,
                rare: &rare,
                settle: opts.reset_cycles,
                dict: &run.dict,
                stop: time_budget.map(|_| &stop),
                board: Some(&board),
                progress: Some((&run.novelty, &watched)),
            };
            let with_formal = formal_thread.is_some();
            let results: Vec<EpisodeResult> = std::thread::scope(|s| {
                let watcher = time_budget.map(|d| {
                    let (feeder, rx, board, stop, done, cancel) =
                        (&mut feeder, &mut ans_rx, &board, &stop, &done, &*cancel);
                    s.spawn(move || {
                        watch(
                            with_formal.then_some(feeder),
                            rx,
                            board,
                            stop,
                            done,
                            t0 + d,
                            cancel,
                        )
                    })
                });
                let results = run_round(&ctx, &eps);
                done.store(true, Ordering::Release);
                if let Some(w) = watcher {
                    landed = w.join().unwrap_or_default();
                }
                results
            });
            let new: Vec<(usize, u64)> = results
                .into_iter()
                .enumerate()
                .map(|(j, res)| {
                    let c = res.cycles;
                    (run.merge(&format!("sim_r{r:05}_{j:02}"), res), c)
                })
                .collect();
            run.reward(&new);
            // Simulation stalled (a round without a new point): formal may
            // now take every open point.
            if new.iter().all(|&(n, _)| n == 0) {
                feeder.open_all = true;
                stalled += 1;
            } else {
                stalled = 0;
            }
            round_time = round_start.elapsed();
            // A query on a point simulation just hit is wasted: stop it
            // (time budgets only; with a cycle budget answers must not
            // depend on timing).
            if time_budget.is_some() {
                let db = &run.db;
                feeder.cancel_closed(|p| db.points[p].status.is_closed());
            }
        }
        for a in landed {
            run.merge_answer(a);
        }
        // Formal answers.
        while !feeder.inflight.is_empty() {
            let answer = if time_budget.is_none() || !opts.engines.sim() {
                // Wait (polling, so Ctrl-C stops the query in flight).
                let deadline = time_budget.map(|d| t0 + d + Duration::from_millis(500));
                loop {
                    match ans_rx.recv_timeout(Duration::from_millis(100)) {
                        Ok(a) => break Some(a),
                        Err(mpsc::RecvTimeoutError::Disconnected) => break None,
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            if cancel.load(Ordering::Relaxed) {
                                feeder.cancel_closed(|_| true);
                            }
                            if deadline.is_some_and(|t| Instant::now() >= t) {
                                break None;
                            }
                        }
                    }
                }
            } else {
                ans_rx.try_recv().ok()
            };
            match answer {
                Some(a) => {
                    feeder.landed(a.point);
                    run.merge_answer(a);
                }
                None => {
                    if time_budget.is_none() {
                        feeder.inflight.clear(); // the worker is gone
                    }
                    break;
                }
            }
        }
        run.train(r);
        r += 1;
        history.push(run.sample(t0));
        on_round(&run.db, run.cycles);
    }
    // Stop the formal worker: a query in flight is interrupted.
    feeder.cancel_closed(|_| true);
    drop(feeder);
    if let Some(t) = formal_thread {
        let _ = t.join();
    }
    // Only the stimuli the database refers to are kept.
    let used: std::collections::BTreeSet<String> = run
        .db
        .points
        .iter()
        .filter_map(|p| match &p.status {
            PointStatus::Hit { stimulus, .. } => Some(stimulus.clone()),
            _ => None,
        })
        .collect();
    run.stimuli.retain(|k, _| used.contains(k));
    let examples = run.buffer.len();
    let train_steps = run.policy.as_ref().map_or(0, |p| p.steps);
    let arms = ARMS
        .iter()
        .zip(&run.arm_totals)
        .filter(|(_, t)| t.0 > 0)
        .map(|(a, t)| ArmReport {
            kind: a.name(),
            episodes: t.0,
            cycles: t.1,
            new_points: t.2,
        })
        .collect();
    Ok(Outcome {
        dict_entries: run.dict.len(),
        db: run.db,
        history,
        stimuli: run.stimuli,
        cycles: run.cycles,
        rounds: r,
        elapsed: t0.elapsed(),
        formal: run.formal,
        train_steps,
        examples,
        failures: run.failures,
        warnings: run.warnings,
        arms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ablation_arms_parse_to_their_parts() {
        let e = Engines::parse("mlp").unwrap();
        assert!(e.sim() && e.model() && e.guided());
        assert!(!e.dict_episodes() && !e.snap() && !e.formal);
        let e = Engines::parse("dict").unwrap();
        assert!(e.dict_episodes() && !e.model() && !e.snap() && e.guided());
        let e = Engines::parse("uniform").unwrap();
        assert!(e.guided() && !e.model() && !e.dict_episodes());
        let e = Engines::parse("learned").unwrap();
        assert!(e.model() && e.dict_episodes() && e.snap());
        // Plain random simulation stays the classic run from reset.
        assert!(!Engines::parse("random").unwrap().guided());
        assert!(Engines::parse("mlp,quantum").is_err());
        for w in ENGINE_WORDS {
            assert!(Engines::parse(w).is_ok(), "{w}");
        }
    }

    #[test]
    fn allocation_gives_every_arm_its_floor_and_sums_to_the_round() {
        for scores in [
            vec![1.0],
            vec![0.5, 0.5, 0.5, 0.5, 0.5],
            vec![10.0, 0.01, 0.01],
            vec![0.0, 0.0],
        ] {
            let a = allocate(&scores, EPISODES);
            assert_eq!(a.iter().sum::<usize>(), EPISODES, "{scores:?}: {a:?}");
            assert!(a.iter().all(|&n| n >= ARM_FLOOR), "{scores:?}: {a:?}");
        }
        // The arm that pays gets the most episodes.
        let a = allocate(&[0.1, 5.0, 0.1], EPISODES);
        assert!(a[1] > a[0] && a[1] > a[2], "{a:?}");
    }

    fn feeder(hard: Vec<bool>, open_all: bool) -> (Feeder, mpsc::Receiver<Request>) {
        let (tx, rx) = mpsc::channel();
        let f = Feeder {
            queue: (0..hard.len()).collect(),
            retried: Default::default(),
            inflight: Vec::new(),
            tx,
            depth: 10,
            time: Some((Instant::now(), Duration::from_secs(10))),
            hard,
            open_all,
        };
        (f, rx)
    }

    #[test]
    fn formal_takes_hard_points_first_and_keeps_the_rest_queued() {
        let (mut f, rx) = feeder(vec![false, true, false, true], false);
        // Point 3 is settled elsewhere: dropped; point 1 is hard: sent.
        f.fill(2, |p| p == 3);
        let sent: Vec<usize> = rx.try_iter().map(|r| r.point).collect();
        assert_eq!(sent, vec![1]);
        assert_eq!(f.queue, VecDeque::from(vec![0, 2]));
        // Once simulation stalls every point may be asked, in queue order.
        f.open_all = true;
        f.landed(1);
        f.fill(2, |_| false);
        let sent: Vec<usize> = rx.try_iter().map(|r| r.point).collect();
        assert_eq!(sent, vec![0, 2]);
        assert!(f.queue.is_empty());
        // A retry goes twice as deep, once per point, only when idle.
        f.retry(|_| true, 4);
        assert!(rx.try_iter().next().is_none(), "busy: no retry");
        f.inflight.clear();
        f.retry(|p| p == 2, 4);
        let r: Vec<Request> = rx.try_iter().collect();
        assert_eq!((r.len(), r[0].point, r[0].depth), (1, 2, 20));
        f.inflight.clear();
        f.retry(|p| p == 2, 4);
        assert!(rx.try_iter().next().is_none(), "retried once only");
        // Cancelling flags only the closed points' queries.
        f.send(0, false);
        f.send(1, false);
        f.cancel_closed(|p| p == 1);
        let flags: Vec<bool> = f
            .inflight
            .iter()
            .map(|(_, c)| c.load(Ordering::Relaxed))
            .collect();
        assert_eq!(flags, vec![false, true]);
    }

    #[test]
    fn arm_scores_follow_rewards() {
        let mut good = ArmStats::default();
        let mut bad = ArmStats::default();
        for _ in 0..5 {
            good.episodes += 1.0;
            good.new += 2.0;
            bad.episodes += 1.0;
        }
        assert!(good.score() > bad.score());
        // Untried arms are optimistic.
        assert!(ArmStats::default().score() > bad.score());
    }
}
