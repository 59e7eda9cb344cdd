//! Simulation episodes for coverage closure: run a stretch of stimulus
//! (uniform random or sampled from the learned model) from a start state,
//! and report which coverage points it hit first and in which cycle,
//! together with training examples for the model. Replaying a formal
//! witness goes through the same bookkeeping.

use crate::dict::{self, Dictionary};
use crate::features::{explore_features, Featurizer, InputBits, StateBits, TARGET_DIM};
use crate::model::{Example, Weights};
use crate::novelty::{self, Novelty};
use crate::view::{Lane, State};
use ir::reset::ResetInput;
use ir::trace::Trace;
use ir::Bits;
use ir::PropKind;
use sim::lanes::LaneState;
use sim::rng::Rng;
use sim::{CoverageCollector, InitMode, LaneCoverage, Lanes, Program, Sim, SimError};
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Cycles of stimulus before a hit that become training examples for it.
/// (2 -- only the cycles that can have caused the hit -- was measured with
/// the `mlp` ablation arm, 5 seeds x 6 designs at 1M cycles: no better,
/// docs/closure.md "Ablation of the learned generator"; so 8 stays.)
pub const WINDOW: usize = 8;
/// Most start states one episode contributes.
pub const SNAPSHOTS: usize = 8;
/// Most examples one episode contributes.
const MAX_EXAMPLES: usize = 512;
/// Most progress examples (never-seen register values) one episode
/// contributes: the last ones, the deepest.
pub const MAX_PROGRESS: usize = 64;
/// Most new register values one episode reports: a data register changes
/// every cycle until it is saturated at the round's end, and a long
/// episode on a design with many of them must not collect millions.
const MAX_NOVEL: usize = 8192;
/// Bit probabilities are kept in this range so the learned generator still
/// explores.
const P_MIN: f32 = 0.005;

/// Greedy episodes hold an input bit (almost) fixed where the model is
/// confident, so a long exact run (a thousand cycles of one input, a key
/// sequence) survives; bits it is unsure of stay random.
const CONFIDENT: f32 = 0.6;
/// The chance a held bit still flips (keeps greedy episodes exploring).
const P_GREEDY: f32 = 1e-4;

/// In a learned episode, the chance per cycle that an input with
/// dictionary entries takes one (chosen by the model's likelihood of it).
pub const P_SNAP: f32 = 0.25;
/// In a dictionary episode, the chance per cycle that an input with
/// dictionary entries takes one (uniformly chosen).
pub const P_DICT: f32 = 0.25;
/// A running episode looks at the stop flag every this many cycles.
const STOP_EVERY: u64 = 64;

/// The probability a greedy episode uses for a bit the model gives `p`.
pub fn gate(p: f32) -> f32 {
    if p >= CONFIDENT {
        1.0 - P_GREEDY
    } else if p <= 1.0 - CONFIDENT {
        P_GREEDY
    } else {
        p.clamp(P_MIN, 1.0 - P_MIN)
    }
}

/// A simulation state to run from, with the stimulus that reaches it.
#[derive(Clone)]
pub struct StartState {
    /// The state before cycle `prefix.cycles.len()`.
    pub sim: Sim,
    /// Stimulus from cycle 0 (with `init`) that reaches `sim`.
    pub prefix: Arc<Trace>,
    /// Reset cycles still to apply (a fresh start).
    pub reset_left: u64,
}

impl StartState {
    /// A fresh simulation at cycle 0 from `seed`, reset still to apply.
    pub fn fresh(prog: &Arc<Program>, seed: u64, init: InitMode, reset_cycles: u64) -> StartState {
        let sim = Sim::new(Arc::clone(prog), seed, init);
        let d = &prog.design;
        let mut t = Trace::for_design(d);
        for (i, r) in d.regs.iter().enumerate() {
            if r.init.is_none() {
                t.init.insert(r.name.clone(), sim.reg(i).to_hex());
            }
        }
        for (mi, m) in d.mems.iter().enumerate() {
            if m.init.is_none() && m.depth <= 1024 {
                let words: BTreeMap<String, String> = (0..m.depth)
                    .map(|a| (a.to_string(), sim.mem_word(mi, a).to_hex()))
                    .collect();
                t.mem_init.insert(m.name.clone(), words);
            }
        }
        StartState {
            sim,
            prefix: Arc::new(t),
            reset_left: reset_cycles,
        }
    }
}

/// Where an episode's inputs come from.
#[derive(Clone)]
pub enum Mode {
    Uniform,
    /// Uniform values, but each input with dictionary entries (constants
    /// the design compares it against, [`Dictionary`]) takes one of them
    /// with probability [`P_DICT`] per cycle.
    Dict,
    /// Uniform values, each input held for a random run of cycles (mean
    /// `mean`) before it is drawn again: bursts of one command (count,
    /// push) that uniform stimulus never keeps up long enough.
    Hold {
        mean: u64,
    },
    /// Sampled from the model, aimed at target point `target` (`None`: the
    /// explore target, anywhere new).
    /// Logits are multiplied by `sharpen` (1 = as trained); an infinite
    /// `sharpen` is a greedy episode (bits the model is confident of held,
    /// see [`gate`]). With `snap`, each input with dictionary entries
    /// takes one with probability [`P_SNAP`] per cycle, chosen by the
    /// model's likelihood of it (off: the model's own bits only).
    Learned {
        weights: Arc<Weights>,
        target: Option<usize>,
        sharpen: f32,
        snap: bool,
    },
}

/// One episode to run.
#[derive(Clone)]
pub struct Episode {
    pub start: Arc<StartState>,
    pub seed: u64,
    pub cycles: u64,
    pub mode: Mode,
}

/// What an episode reads of the round it runs in.
pub struct Context<'a> {
    pub prog: &'a Arc<Program>,
    pub feat: &'a Featurizer,
    /// Per point, its target features.
    pub target_feats: &'a [[f32; TARGET_DIM]],
    pub reset: Option<&'a ResetInput>,
    /// Per point: not closed at the start of the round (first hits are reported).
    pub open: &'a [bool],
    /// Per point: rare enough that any hit of it makes training examples.
    pub rare: &'a [bool],
    /// Cycles from cycle 0 (the reset) in which no start state is kept.
    pub settle: u64,
    /// Constants the design compares its inputs against.
    pub dict: &'a Dictionary,
    /// Set to end the episode early (checked every few dozen cycles; only
    /// time-budgeted runs set it: a cycle-budgeted run must not depend on
    /// timing).
    pub stop: Option<&'a AtomicBool>,
    /// Per point, set when any episode hits it first (a live view for the
    /// formal worker and the early stop; results do not depend on it).
    pub board: Option<&'a [AtomicBool]>,
    /// Register values seen so far (at the start of the round) and the
    /// registers to watch for new ones: progress examples (none if `None`).
    pub progress: Option<(&'a Novelty, &'a [usize])>,
}

/// The outcome of an episode (or a replay).
pub struct EpisodeResult {
    /// The stimulus before the episode (its start state's prefix).
    prefix: Arc<Trace>,
    /// The episode's own stimulus: per cycle, the words of every design
    /// input in order (made a [`Trace`] only when asked, [`EpisodeResult::trace`]).
    rows: Vec<u64>,
    /// Words of one cycle in `rows`.
    stride: usize,
    /// Cycles in `rows`.
    own: usize,
    /// (point, cycle in `trace`) of open points, first hit in this episode.
    pub first_hits: Vec<(usize, u64)>,
    /// Cycles each point was hit in this episode.
    pub counts: Vec<u64>,
    /// The state after the last cycle.
    pub end: Sim,
    /// (index into `Design::props`, cycle in `trace`) of every assertion
    /// that failed in this episode, first failure of each.
    pub failures: Vec<(usize, u64)>,
    /// The states just after the cycles that hit an open point first (the
    /// last [`SNAPSHOTS`] of them), each with the number of stimulus
    /// cycles reaching it: where exploration should continue from (the end
    /// state may have lost the progress, e.g. a lock relocked).
    /// The third field is the point whose first hit made the snapshot.
    pub snapshots: Vec<(Sim, usize, usize)>,
    /// Cycles simulated.
    pub cycles: u64,
    pub examples: Vec<Example>,
    /// (register, value) of every watched register's value new to the
    /// round's [`Novelty`], in the order met.
    pub novel: Vec<(usize, u64)>,
    /// Examples of progress: the cycles after which a watched register held
    /// a new value, conditioned on the explore target (the last
    /// [`MAX_PROGRESS`]).
    pub progress: Vec<Example>,
}

impl EpisodeResult {
    /// Cycles of the whole stimulus from cycle 0 (prefix and episode).
    pub fn trace_len(&self) -> usize {
        self.prefix.cycles.len() + self.own
    }

    /// The whole stimulus from cycle 0.
    pub fn trace(&self) -> Trace {
        self.trace_upto(self.trace_len())
    }

    /// The stimulus of the first `len` cycles from cycle 0 (at most
    /// [`EpisodeResult::trace_len`]).
    pub fn trace_upto(&self, len: usize) -> Trace {
        let d = &self.end.program().design;
        let mut t = (*self.prefix).clone();
        t.cycles.truncate(len);
        let own = len.saturating_sub(self.prefix.cycles.len()).min(self.own);
        if self.stride > 0 {
            for row in self.rows.chunks(self.stride).take(own) {
                let mut at = 0;
                t.cycles.push(
                    d.inputs
                        .iter()
                        .map(|i| {
                            let n = i.width.div_ceil(64) as usize;
                            let v = Bits::from_words(i.width, &row[at..at + n]);
                            at += n;
                            v.to_hex()
                        })
                        .collect(),
                );
            }
        } else {
            t.cycles.extend((0..own).map(|_| Vec::new()));
        }
        t
    }
}

/// Per-cycle bookkeeping shared by episodes and replays.
struct Observer<'c, 'a> {
    ctx: &'c Context<'a>,
    /// The coverage counters (a batch keeps its lanes' side by side).
    cov: Option<CoverageCollector>,
    /// Per point, the cycles that hit it so far.
    counts: Vec<u64>,
    /// The points the last sampled cycle counted.
    hits: Vec<u32>,
    /// The last [`WINDOW`] cycles: the state they started in and their
    /// inputs, packed (made floats only for examples).
    ring: VecDeque<(StateBits, InputBits)>,
    /// The state of the cycle being run, packed.
    state: StateBits,
    first_hits: Vec<(usize, u64)>,
    examples: Vec<Example>,
    prefix: Arc<Trace>,
    rows: Vec<u64>,
    stride: usize,
    own: usize,
    /// Per design input, the offset of its words in a row of `rows`.
    offsets: Vec<usize>,
    assumes: Vec<ir::NodeId>,
    /// (prop index, node) of every assertion: a failure is a bug found.
    asserts: Vec<(usize, ir::NodeId)>,
    failures: Vec<(usize, u64)>,
    /// An open point hit first in the cycle just observed.
    hit_now: Option<usize>,
    snapshots: Vec<(Sim, usize, usize)>,
    /// In a batch, the snapshots as captured lane states (made simulations
    /// only at the end, for the last [`SNAPSHOTS`]: most are dropped), the
    /// states of dropped ones reused.
    captured: VecDeque<(LaneState, usize, usize)>,
    /// Watched register values this episode met that the round's
    /// [`Novelty`] had not seen, as a set and in order.
    local: HashSet<(usize, u64)>,
    novel: Vec<(usize, u64)>,
    /// Per watched register, its value at the last cycle (a register that
    /// did not change needs no lookup).
    last: Vec<Option<u64>>,
    progress: VecDeque<Example>,
}

impl<'c, 'a> Observer<'c, 'a> {
    fn new(ctx: &'c Context<'a>, prefix: Arc<Trace>, own_cov: bool) -> Self {
        let d = &ctx.prog.design;
        let n = ctx.open.len();
        Observer {
            ctx,
            cov: own_cov.then(|| CoverageCollector::new(Arc::clone(ctx.prog))),
            counts: vec![0; n],
            hits: Vec::new(),
            ring: VecDeque::with_capacity(WINDOW),
            state: StateBits::default(),
            first_hits: Vec::new(),
            examples: Vec::new(),
            prefix,
            rows: Vec::new(),
            own: 0,
            offsets: d
                .inputs
                .iter()
                .scan(0, |at, i| {
                    let o = *at;
                    *at += i.width.div_ceil(64) as usize;
                    Some(o)
                })
                .collect(),
            stride: d.inputs.iter().map(|i| i.width.div_ceil(64) as usize).sum(),
            assumes: d
                .props
                .iter()
                .filter(|p| p.kind == PropKind::Assume)
                .map(|p| p.node)
                .collect(),
            asserts: d
                .props
                .iter()
                .enumerate()
                .filter(|(_, p)| p.kind == PropKind::Assert)
                .map(|(i, p)| (i, p.node))
                .collect(),
            failures: Vec::new(),
            hit_now: None,
            snapshots: Vec::new(),
            captured: VecDeque::new(),
            local: HashSet::new(),
            novel: Vec::new(),
            last: vec![None; ctx.progress.map_or(0, |(_, w)| w.len())],
            progress: VecDeque::new(),
        }
    }

    /// Cycles of stimulus from cycle 0 observed so far.
    fn trace_len(&self) -> usize {
        self.prefix.cycles.len() + self.own
    }

    /// Before the clock edge of a cycle that hit something new: keep the
    /// state the cycle started from (the registers that made the hit, e.g.
    /// a lock's state before a wrong key relocks it), to be run again from
    /// that cycle with other inputs. Not inside the reset window: a start
    /// state must not skip the reset. `at` is the simulation's own cycle
    /// count (what its snapshot says it is at).
    fn keep(&mut self, sim: &impl State, cycle: u64, at: u64) {
        if let Some(p) = self.hit_now.take() {
            if cycle < self.ctx.settle {
                return;
            }
            // The last ones are kept: the early cycles' hits are the easy ones.
            if self.snapshots.len() == SNAPSHOTS {
                self.snapshots.remove(0);
            }
            let len = self.trace_len() - 1;
            self.snapshots.push((sim.snapshot(at), len, p));
        }
    }

    /// [`Observer::keep`] for lane `lane` of a batch: the state is captured
    /// ([`Lanes::capture`]), made a simulation at the end
    /// ([`Observer::lane_snapshots`]).
    fn keep_lane<const L: usize>(&mut self, lanes: &Lanes<L>, lane: usize, cycle: u64, at: u64) {
        if let Some(p) = self.hit_now.take() {
            if cycle < self.ctx.settle {
                return;
            }
            let mut st = if self.captured.len() == SNAPSHOTS {
                self.captured.pop_front().map(|c| c.0).unwrap_or_default()
            } else {
                LaneState::default()
            };
            lanes.capture(lane, at, &mut st);
            let len = self.trace_len() - 1;
            self.captured.push_back((st, len, p));
        }
    }

    /// The captured snapshots of a batch lane as simulations.
    fn lane_snapshots<const L: usize>(&mut self, lanes: &Lanes<L>) {
        self.snapshots = self
            .captured
            .drain(..)
            .map(|(st, len, p)| (lanes.state_sim(&st), len, p))
            .collect();
    }

    /// Before the inputs of a cycle are chosen: remember the state, and if
    /// the last cycle's inputs took a watched register to a value never
    /// seen, keep them (with the state they were applied in) as progress.
    /// Nothing before the reset's end: the state there is the random
    /// initial one (not reached by any input), and no example from inside
    /// the reset window (the reset, not the inputs, set the registers).
    fn before(&mut self, sim: &impl State, cycle: u64) {
        self.progress_check(sim, cycle);
        self.ctx.feat.pack_state(sim, &mut self.state);
    }

    /// [`Observer::before`] but for the state features (a batch packs
    /// every lane's at once).
    fn progress_check(&mut self, sim: &impl State, cycle: u64) {
        if let Some((seen, watch)) = self.ctx.progress.filter(|_| cycle >= self.ctx.settle) {
            let mut new = false;
            for (last, &r) in self.last.iter_mut().zip(watch) {
                let v = novelty::value(sim, r);
                if *last == Some(v) {
                    continue;
                }
                *last = Some(v);
                if self.novel.len() < MAX_NOVEL && !seen.seen(r, v) && self.local.insert((r, v)) {
                    self.novel.push((r, v));
                    new = true;
                }
            }
            if new && cycle > self.ctx.settle {
                if let Some((s, y)) = self.ring.back() {
                    if self.progress.len() == MAX_PROGRESS {
                        self.progress.pop_front();
                    }
                    let e = example(self.ctx.feat, s, &EXPLORE, y);
                    self.progress.push_back(e);
                }
            }
        }
    }

    /// The state features of the cycle being run (for the model).
    fn state_features(&self, out: &mut [f32]) {
        self.ctx.feat.unpack_state(&self.state, out);
    }

    /// After the inputs are applied and the cycle settled. Returns false
    /// (and counts nothing) when an assumption is violated: the stimulus is
    /// invalid from there.
    fn after(&mut self, sim: &impl State, cycle: u64) -> bool {
        if !self.check(sim, cycle) {
            return false;
        }
        let mut hits = std::mem::take(&mut self.hits);
        if let Some(cov) = &mut self.cov {
            cov.sample_hits(sim, &mut hits);
        }
        self.counted(sim, cycle, &hits);
        self.hits = hits;
        true
    }

    /// The properties of a settled cycle: false when an assumption is
    /// violated; assertion failures are recorded.
    fn check(&mut self, sim: &impl State, cycle: u64) -> bool {
        if self.assumes.iter().any(|&a| sim.is_set(a)) {
            return false;
        }
        for &(i, node) in &self.asserts {
            if sim.is_set(node) && !self.failures.iter().any(|&(f, _)| f == i) {
                self.failures.push((i, cycle));
            }
        }
        true
    }

    /// The rest of [`Observer::after`], once coverage counted `hits`.
    fn counted(&mut self, sim: &impl State, cycle: u64, hits: &[u32]) {
        let d = &self.ctx.prog.design;
        let at = self.rows.len();
        for (i, off) in d.inputs.iter().zip(&self.offsets) {
            for k in 0..i.width.div_ceil(64) as usize {
                debug_assert_eq!(self.rows.len(), at + off + k);
                self.rows.push(sim.word(i.node, k));
            }
        }
        self.own += 1;
        let mut ybits = InputBits::default();
        let row = &self.rows[at..];
        let offsets = &self.offsets;
        self.ctx
            .feat
            .pack_inputs(|i, k| row[offsets[i] + k], &mut ybits);
        if self.ring.len() == WINDOW {
            self.ring.pop_front();
        }
        self.ring.push_back((self.state, ybits));
        for &p in hits {
            let p = p as usize;
            let first = self.counts[p] == 0 && self.ctx.open[p];
            self.counts[p] += 1;
            if first {
                if let Some(b) = self.ctx.board {
                    b[p].store(true, Ordering::Relaxed);
                }
                self.first_hits.push((p, cycle));
                self.hit_now.get_or_insert(p);
            }
            if (first || self.ctx.rare[p]) && self.examples.len() < MAX_EXAMPLES {
                // A cycle after which the state the model sees is what it
                // was before (an idle cycle, a hold) could be cut from the
                // stimulus without changing what follows: its inputs say
                // nothing about how the hit was reached, and as examples
                // they only teach the model noise. The hit cycle itself
                // always counts (its inputs may make the hit directly).
                let last = self.ring.len() - 1;
                for (k, (s, y)) in self.ring.iter().enumerate() {
                    if k < last && self.ring[k + 1].0 == *s {
                        continue;
                    }
                    let e = example(self.ctx.feat, s, &self.ctx.target_feats[p], y);
                    self.examples.push(e);
                }
            }
        }
    }

    fn finish(self, end: Sim, cycles: u64) -> EpisodeResult {
        EpisodeResult {
            prefix: self.prefix,
            rows: self.rows,
            stride: self.stride,
            own: self.own,
            first_hits: self.first_hits,
            counts: self.counts,
            end,
            failures: self.failures,
            snapshots: self.snapshots,
            cycles,
            examples: self.examples,
            novel: self.novel,
            progress: self.progress.into(),
        }
    }
}

/// A training example: the model's input (state features, then the
/// target's) and the inputs applied.
fn example(feat: &Featurizer, state: &StateBits, target: &[f32], inputs: &InputBits) -> Example {
    let sd = feat.state_dim();
    let mut x = vec![0.0; sd + target.len()];
    feat.unpack_state(state, &mut x[..sd]);
    x[sd..].copy_from_slice(target);
    let mut y = Vec::new();
    feat.unpack_inputs(inputs, &mut y);
    Example { x, y }
}

/// Stream of the episode stimulus generator (distinct from the simulator's).
const STREAM_EPISODE: u64 = 0x636c6f73;

/// A uniform number in [0, 1) from 24 random bits.
fn unit(rng: &mut Rng) -> f32 {
    (rng.next_u64() >> 40) as f32 / (1u64 << 24) as f32
}

/// The stimulus of one episode, cycle by cycle: its generator and scratch.
struct Stimulus {
    rng: Rng,
    /// Per design input, its words this cycle.
    words: Vec<Vec<u64>>,
    x: Vec<f32>,
    probs: Vec<f32>,
    ll: Vec<f32>,
}

impl Stimulus {
    fn new(ctx: &Context, ep: &Episode) -> Stimulus {
        Stimulus {
            rng: Rng::new(ep.seed, STREAM_EPISODE),
            words: ctx
                .prog
                .design
                .inputs
                .iter()
                .map(|i| vec![0; i.width.div_ceil(64) as usize])
                .collect(),
            x: vec![0f32; ctx.feat.in_dim()],
            probs: Vec::new(),
            ll: Vec::new(),
        }
    }

    /// The inputs of cycle `c` of `ep` into `self.words`, from the state
    /// features `state` of the cycle's start.
    fn next(&mut self, ctx: &Context, ep: &Episode, c: u64, state: &[f32]) {
        let d = &ctx.prog.design;
        let Stimulus {
            rng,
            words,
            x,
            probs,
            ll,
        } = self;
        let sd = ctx.feat.state_dim();
        for (w, inp) in words.iter_mut().zip(&d.inputs) {
            let redraw = match ep.mode {
                Mode::Hold { mean } => c == 0 || rng.next_u64().is_multiple_of(mean.max(1)),
                _ => true,
            };
            if redraw {
                rng.fill(w, inp.width);
            }
        }
        if let Mode::Dict = ep.mode {
            for (i, w) in words.iter_mut().enumerate() {
                if !ctx.dict.entries[i].is_empty() && unit(rng) < P_DICT {
                    ctx.dict.apply_random(i, w, rng);
                }
            }
        }
        if let Mode::Learned {
            weights,
            target,
            sharpen,
            snap,
        } = &ep.mode
        {
            x[..sd].copy_from_slice(state);
            x[sd..].copy_from_slice(match target {
                Some(t) => &ctx.target_feats[*t],
                None => &EXPLORE,
            });
            let greedy = sharpen.is_infinite();
            weights.probs_sharp(x, if greedy { 1.0 } else { *sharpen }, probs);
            for p in probs.iter_mut() {
                *p = if greedy {
                    gate(*p)
                } else {
                    p.clamp(P_MIN, 1.0 - P_MIN)
                };
            }
            for (&(i, b), &p) in ctx.feat.input_bits().iter().zip(probs.iter()) {
                let u = unit(rng);
                let w = &mut words[i][(b / 64) as usize];
                if u < p {
                    *w |= 1 << (b % 64);
                } else {
                    *w &= !(1 << (b % 64));
                }
            }
            // Dictionary values, weighted by how likely the model finds
            // each: an exact key byte the model only approximates.
            for (i, w) in words.iter_mut().enumerate() {
                let list = &ctx.dict.entries[i];
                if !snap || list.is_empty() || unit(rng) >= P_SNAP {
                    continue;
                }
                ll.clear();
                ll.extend(list.iter().map(|e| {
                    (0..e.value.width())
                        .filter_map(|b| {
                            let k = ctx.feat.input_bit_index(i, e.lo + b)?;
                            let p = probs[k];
                            Some(if e.value.bit(b) {
                                p.ln()
                            } else {
                                (1.0 - p).ln()
                            })
                        })
                        .sum::<f32>()
                }));
                let top = ll.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                let mut total = 0.0;
                for l in ll.iter_mut() {
                    *l = (*l - top).exp();
                    total += *l;
                }
                let mut u = unit(rng) * total;
                let mut pick = list.len() - 1;
                for (k, l) in ll.iter().enumerate() {
                    if u < *l {
                        pick = k;
                        break;
                    }
                    u -= l;
                }
                dict::write(w, &list[pick]);
            }
        }
        if let Some(r) = ctx.reset {
            let active = c < ep.start.reset_left;
            words[r.input.index()][0] = (active != r.reset.active_low) as u64;
        }
    }
}

/// The explore target's features.
const EXPLORE: [f32; TARGET_DIM] = explore_features();

/// The stop flag says so, at a cycle where episodes look at it.
fn stopped(ctx: &Context, c: u64) -> bool {
    c.is_multiple_of(STOP_EVERY) && c > 0 && ctx.stop.is_some_and(|s| s.load(Ordering::Relaxed))
}

/// Run one episode.
pub fn run_episode(ctx: &Context, ep: &Episode) -> EpisodeResult {
    let mut sim = ep.start.sim.clone();
    let base = ep.start.prefix.cycles.len() as u64;
    let mut obs = Observer::new(ctx, Arc::clone(&ep.start.prefix), true);
    let mut stim = Stimulus::new(ctx, ep);
    let mut state = vec![0.0; ctx.feat.state_dim()];
    let mut ran = 0;
    for c in 0..ep.cycles {
        if stopped(ctx, c) {
            break;
        }
        obs.before(&sim, base + c);
        if let Mode::Learned { .. } = ep.mode {
            obs.state_features(&mut state);
        }
        stim.next(ctx, ep, c, &state);
        for (i, w) in stim.words.iter().enumerate() {
            sim.set_input_words(i, w);
        }
        sim.eval();
        if !obs.after(&sim, base + c) {
            break;
        }
        ran = c + 1;
        obs.keep(&sim, base + c, 0);
        sim.step();
    }
    obs.finish(sim, ran)
}

/// Run episodes side by side, one per lane of the lane engine (batches of
/// at most 64): each episode's result is exactly what [`run_episode`] gives
/// it alone (the lane engine computes what the scalar one does, and each
/// lane has its own stimulus, coverage counters and bookkeeping), so the
/// batching never changes a result, only the time.
pub fn run_batch(ctx: &Context, eps: &[Episode]) -> Vec<EpisodeResult> {
    let mut out = Vec::with_capacity(eps.len());
    for chunk in eps.chunks(64) {
        match chunk.len() {
            0 => {}
            1 => out.push(run_episode(ctx, &chunk[0])),
            2..=8 => out.extend(run_lanes::<8>(ctx, chunk)),
            9..=16 => out.extend(run_lanes::<16>(ctx, chunk)),
            17..=32 => out.extend(run_lanes::<32>(ctx, chunk)),
            _ => out.extend(run_lanes::<64>(ctx, chunk)),
        }
    }
    out
}

/// [`run_batch`] of at most `L` episodes on one [`Lanes`].
fn run_lanes<const L: usize>(ctx: &Context, eps: &[Episode]) -> Vec<EpisodeResult> {
    let sims: Vec<&Sim> = eps.iter().map(|e| &e.start.sim).collect();
    let mut lanes = Lanes::<L>::from_sims(&sims);
    let n = eps.len();
    let base: Vec<u64> = eps
        .iter()
        .map(|e| e.start.prefix.cycles.len() as u64)
        .collect();
    let mut obs: Vec<Observer> = eps
        .iter()
        .map(|e| Observer::new(ctx, Arc::clone(&e.start.prefix), false))
        .collect();
    let mut stim: Vec<Stimulus> = eps.iter().map(|e| Stimulus::new(ctx, e)).collect();
    let mut hits: Vec<Vec<u32>> = vec![Vec::new(); n];
    // Only open or rare points' hits make first hits or examples; the
    // others are only counted (their counts are taken at the end).
    let watch: Vec<bool> = ctx
        .open
        .iter()
        .zip(ctx.rare)
        .map(|(&o, &r)| o || r)
        .collect();
    let mut cov = LaneCoverage::new(ctx.prog, n, Some(&watch));
    let mut ran = vec![0u64; n];
    let mut state = vec![0.0; ctx.feat.state_dim()];
    let mut packed = vec![StateBits::default(); n];
    let assumes = obs[0].assumes.clone();
    let asserts = obs[0].asserts.clone();
    // Per lane: its end state once it is done (the episode ran its cycles,
    // an assumption failed, or the run was stopped).
    let mut end: Vec<Option<Sim>> = vec![None; n];
    let longest = eps.iter().map(|e| e.cycles).max().unwrap_or(0);
    let mut live = n;
    let mut c = 0;
    while live > 0 && c < longest {
        let stop = stopped(ctx, c);
        for l in 0..n {
            if end[l].is_none() && (stop || c >= eps[l].cycles) {
                end[l] = Some(lanes.lane_sim(l, eps[l].start.sim.cycle() + c));
                live -= 1;
            }
        }
        if live == 0 {
            break;
        }
        ctx.feat.pack_state_lanes(&lanes, &mut packed);
        for l in 0..n {
            if end[l].is_some() {
                continue;
            }
            let view = Lane {
                lanes: &lanes,
                lane: l,
            };
            obs[l].progress_check(&view, base[l] + c);
            obs[l].state = packed[l];
            if let Mode::Learned { .. } = eps[l].mode {
                obs[l].state_features(&mut state);
            }
            stim[l].next(ctx, &eps[l], c, &state);
            for (i, w) in stim[l].words.iter().enumerate() {
                lanes.set_input_words(l, i, w);
            }
        }
        lanes.eval();
        // Lanes whose cycle counts (no assumption violated): as
        // `Observer::check`, every lane at once.
        let mut violated = 0u64;
        for &a in &assumes {
            violated |= lanes.set_mask(a);
        }
        let mut counts = 0u64;
        for l in 0..n {
            if end[l].is_some() {
                continue;
            }
            if violated >> l & 1 == 0 {
                counts |= 1 << l;
            } else {
                end[l] = Some(lanes.lane_sim(l, eps[l].start.sim.cycle() + c));
                live -= 1;
            }
        }
        for &(i, node) in &asserts {
            let mut m = lanes.set_mask(node) & counts;
            while m != 0 {
                let l = m.trailing_zeros() as usize;
                m &= m - 1;
                let f = &mut obs[l].failures;
                if !f.iter().any(|&(g, _)| g == i) {
                    f.push((i, base[l] + c));
                }
            }
        }
        cov.sample(&lanes, counts, &mut hits);
        for l in 0..n {
            if counts >> l & 1 == 0 {
                continue;
            }
            let view = Lane {
                lanes: &lanes,
                lane: l,
            };
            obs[l].counted(&view, base[l] + c, &hits[l]);
            ran[l] = c + 1;
            obs[l].keep_lane(&lanes, l, base[l] + c, eps[l].start.sim.cycle() + c);
        }
        lanes.step();
        c += 1;
    }
    obs.into_iter()
        .zip(end)
        .enumerate()
        .map(|(l, (mut o, e))| {
            cov.counts_into(l, &mut o.counts);
            o.lane_snapshots(&lanes);
            let e = e.unwrap_or_else(|| lanes.lane_sim(l, eps[l].start.sim.cycle() + c));
            o.finish(e, ran[l])
        })
        .collect()
}

/// Replay a trace (a formal witness) from its own `init`, with the same
/// bookkeeping as an episode.
pub fn replay(ctx: &Context, trace: &Trace, init: InitMode) -> Result<EpisodeResult, SimError> {
    let (mut sim, rows) = sim::sim_from_trace(ctx.prog, trace, init)?;
    let mut start = trace.clone();
    start.cycles.clear();
    let mut obs = Observer::new(ctx, Arc::new(start), true);
    let mut ran = 0;
    for (c, row) in rows.iter().enumerate() {
        obs.before(&sim, c as u64);
        sim.set_inputs(row);
        sim.eval();
        if !obs.after(&sim, c as u64) {
            break;
        }
        ran = c as u64 + 1;
        obs.keep(&sim, c as u64, 0);
        sim.step();
    }
    Ok(obs.finish(sim, ran))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greedy_holds_confident_bits_and_samples_the_rest() {
        assert_eq!(gate(0.9), 1.0 - P_GREEDY);
        assert_eq!(gate(0.65), 1.0 - P_GREEDY);
        assert_eq!(gate(0.1), P_GREEDY);
        assert_eq!(gate(0.5), 0.5);
        assert_eq!(gate(0.55), 0.55);
    }
}
