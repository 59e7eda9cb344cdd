//! Simulation episodes for coverage closure: run a stretch of stimulus
//! (uniform random or sampled from the learned model) from a start state,
//! and report which coverage points it hit first and in which cycle,
//! together with training examples for the model. Replaying a formal
//! witness goes through the same bookkeeping.

use crate::dict::{self, Dictionary};
use crate::features::{explore_features, Featurizer, TARGET_DIM};
use crate::model::{Example, Weights};
use crate::novelty::{self, Novelty};
use ir::reset::ResetInput;
use ir::trace::Trace;
use ir::Bits;
use ir::PropKind;
use sim::rng::Rng;
use sim::{CoverageCollector, InitMode, Program, Sim, SimError};
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
    /// The whole stimulus from cycle 0.
    pub trace: Trace,
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

/// Per-cycle bookkeeping shared by episodes and replays.
struct Observer<'c, 'a> {
    ctx: &'c Context<'a>,
    cov: CoverageCollector,
    counts: Vec<u64>,
    prev: Vec<u64>,
    ring: VecDeque<(Vec<f32>, Vec<f32>)>,
    state: Vec<f32>,
    ybits: Vec<f32>,
    first_hits: Vec<(usize, u64)>,
    examples: Vec<Example>,
    row: Vec<Bits>,
    trace: Trace,
    assumes: Vec<ir::NodeId>,
    /// (prop index, node) of every assertion: a failure is a bug found.
    asserts: Vec<(usize, ir::NodeId)>,
    failures: Vec<(usize, u64)>,
    /// An open point hit first in the cycle just observed.
    hit_now: Option<usize>,
    snapshots: Vec<(Sim, usize, usize)>,
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
    fn new(ctx: &'c Context<'a>, trace: Trace) -> Self {
        let d = &ctx.prog.design;
        let n = ctx.open.len();
        Observer {
            ctx,
            cov: CoverageCollector::new(Arc::clone(ctx.prog)),
            counts: Vec::with_capacity(n),
            prev: vec![0; n],
            ring: VecDeque::with_capacity(WINDOW),
            state: vec![0.0; ctx.feat.state_dim()],
            ybits: Vec::new(),
            first_hits: Vec::new(),
            examples: Vec::new(),
            row: Vec::new(),
            trace,
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
            local: HashSet::new(),
            novel: Vec::new(),
            last: vec![None; ctx.progress.map_or(0, |(_, w)| w.len())],
            progress: VecDeque::new(),
        }
    }

    /// Before the clock edge of a cycle that hit something new: keep the
    /// state the cycle started from (the registers that made the hit, e.g.
    /// a lock's state before a wrong key relocks it), to be run again from
    /// that cycle with other inputs. Not inside the reset window: a start
    /// state must not skip the reset.
    fn keep(&mut self, sim: &Sim, cycle: u64) {
        if let Some(p) = self.hit_now.take() {
            if cycle < self.ctx.settle {
                return;
            }
            // The last ones are kept: the early cycles' hits are the easy ones.
            if self.snapshots.len() == SNAPSHOTS {
                self.snapshots.remove(0);
            }
            self.snapshots
                .push((sim.clone(), self.trace.cycles.len() - 1, p));
        }
    }

    /// Before the inputs of a cycle are chosen: remember the state, and if
    /// the last cycle's inputs took a watched register to a value never
    /// seen, keep them (with the state they were applied in) as progress.
    /// Nothing before the reset's end: the state there is the random
    /// initial one (not reached by any input), and no example from inside
    /// the reset window (the reset, not the inputs, set the registers).
    fn before(&mut self, sim: &Sim, cycle: u64) {
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
                    self.progress.push_back(example(s, &explore_features(), y));
                }
            }
        }
        self.ctx.feat.state_into(sim, &mut self.state);
    }

    /// After the inputs are applied and the cycle settled. Returns false
    /// (and counts nothing) when an assumption is violated: the stimulus is
    /// invalid from there.
    fn after(&mut self, sim: &Sim, cycle: u64) -> bool {
        if self.assumes.iter().any(|&a| sim.is_set(a)) {
            return false;
        }
        for &(i, node) in &self.asserts {
            if sim.is_set(node) && !self.failures.iter().any(|&(f, _)| f == i) {
                self.failures.push((i, cycle));
            }
        }
        let d = &self.ctx.prog.design;
        self.cov.sample(sim);
        self.row.clear();
        self.row.extend(d.inputs.iter().map(|i| sim.get(i.node)));
        self.trace.push_cycle(&self.row);
        self.ctx.feat.inputs_of(sim, &mut self.ybits);
        if self.ring.len() == WINDOW {
            self.ring.pop_front();
        }
        self.ring
            .push_back((self.state.clone(), self.ybits.clone()));
        self.cov.counts_into(&mut self.counts);
        for p in 0..self.counts.len() {
            if self.counts[p] == self.prev[p] {
                continue;
            }
            let first = self.prev[p] == 0 && self.ctx.open[p];
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
                    self.examples.push(example(s, &self.ctx.target_feats[p], y));
                }
            }
        }
        std::mem::swap(&mut self.counts, &mut self.prev);
        true
    }

    fn finish(self, end: Sim, cycles: u64) -> EpisodeResult {
        EpisodeResult {
            trace: self.trace,
            first_hits: self.first_hits,
            counts: self.prev,
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
fn example(state: &[f32], target: &[f32], inputs: &[f32]) -> Example {
    let mut x = Vec::with_capacity(state.len() + target.len());
    x.extend_from_slice(state);
    x.extend_from_slice(target);
    Example {
        x,
        y: inputs.to_vec(),
    }
}

/// Stream of the episode stimulus generator (distinct from the simulator's).
const STREAM_EPISODE: u64 = 0x636c6f73;

/// A uniform number in [0, 1) from 24 random bits.
fn unit(rng: &mut Rng) -> f32 {
    (rng.next_u64() >> 40) as f32 / (1u64 << 24) as f32
}

/// Run one episode.
pub fn run_episode(ctx: &Context, ep: &Episode) -> EpisodeResult {
    let d = &ctx.prog.design;
    let mut sim = ep.start.sim.clone();
    let base = ep.start.prefix.cycles.len() as u64;
    let mut obs = Observer::new(ctx, (*ep.start.prefix).clone());
    let mut rng = Rng::new(ep.seed, STREAM_EPISODE);
    let mut words: Vec<Vec<u64>> = d
        .inputs
        .iter()
        .map(|i| vec![0; i.width.div_ceil(64) as usize])
        .collect();
    let mut x = vec![0f32; ctx.feat.in_dim()];
    let mut probs = Vec::new();
    let sd = ctx.feat.state_dim();
    let mut ran = 0;
    let mut ll = Vec::new();
    let explore = explore_features();
    for c in 0..ep.cycles {
        if c % STOP_EVERY == 0 && c > 0 && ctx.stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
            break;
        }
        obs.before(&sim, base + c);
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
                if !ctx.dict.entries[i].is_empty() && unit(&mut rng) < P_DICT {
                    ctx.dict.apply_random(i, w, &mut rng);
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
            x[..sd].copy_from_slice(&obs.state);
            x[sd..].copy_from_slice(match target {
                Some(t) => &ctx.target_feats[*t],
                None => &explore,
            });
            let greedy = sharpen.is_infinite();
            weights.probs_sharp(&x, if greedy { 1.0 } else { *sharpen }, &mut probs);
            for p in probs.iter_mut() {
                *p = if greedy {
                    gate(*p)
                } else {
                    p.clamp(P_MIN, 1.0 - P_MIN)
                };
            }
            for (&(i, b), &p) in ctx.feat.input_bits().iter().zip(&probs) {
                let u = unit(&mut rng);
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
                if !snap || list.is_empty() || unit(&mut rng) >= P_SNAP {
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
                let mut u = unit(&mut rng) * total;
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
        for (i, w) in words.iter().enumerate() {
            sim.set_input_words(i, w);
        }
        sim.eval();
        if !obs.after(&sim, base + c) {
            break;
        }
        ran = c + 1;
        obs.keep(&sim, base + c);
        sim.step();
    }
    obs.finish(sim, ran)
}

/// Replay a trace (a formal witness) from its own `init`, with the same
/// bookkeeping as an episode.
pub fn replay(ctx: &Context, trace: &Trace, init: InitMode) -> Result<EpisodeResult, SimError> {
    let (mut sim, rows) = sim::sim_from_trace(ctx.prog, trace, init)?;
    let mut start = trace.clone();
    start.cycles.clear();
    let mut obs = Observer::new(ctx, start);
    let mut ran = 0;
    for (c, row) in rows.iter().enumerate() {
        obs.before(&sim, c as u64);
        sim.set_inputs(row);
        sim.eval();
        if !obs.after(&sim, c as u64) {
            break;
        }
        ran = c as u64 + 1;
        obs.keep(&sim, c as u64);
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
