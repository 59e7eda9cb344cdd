//! IC3 / PDR (property-directed reachability) on the cone of influence of
//! one target node: an unbounded engine for properties that hold but are not
//! k-inductive at a useful k (a counter with a range invariant).
//!
//! Word-level over Z3: the transition relation is one step of the existing
//! [`Unroller`] (registers free at step 0, their `next` terms the successor
//! state) in one incremental `QF_FD` solver, so no second bit-blaster is
//! needed. Cubes and lemmas are over register *bits* (one Boolean per state
//! bit and its successor), which is what lets unsat cores and literal
//! dropping generalise.
//!
//! The system PDR sees:
//! - state: every cone register, plus a small phase counter when a reset is
//!   held for the first cycles (phase `t` counts `0..=cycles`, saturating;
//!   while `t < cycles` the reset input is at its active level), so the
//!   initial set stays a plain formula;
//! - init: registers with an initial value take it, the others are free;
//! - transition: every assumption holds in the current step (an assumption
//!   constrains every step, as in BMC), the successor is `next`;
//! - bad: the target node is 1 (with the assumptions holding in that step).
//!
//! A proof is checked before it is reported: the invariant must contain the
//! initial states, be closed under the transition and exclude bad states, in
//! a fresh solver over freshly encoded terms. A counterexample is re-found by
//! BMC up to the depth PDR reached (the shortest one, as the trace every
//! other engine gives), so traces are built and replayed exactly as BMC's.
//! Memories in the cone are refused (the result is unknown with the reason).

use crate::bmc::{new_solver, Bmc, Query};
use crate::encode::{Cone, MemEncoding, Unroller, Val};
use ir::reset::ResetInput;
use ir::trace::Trace;
use ir::{Design, NodeId};
use std::collections::BinaryHeap;
use z3::ast::{Bool, BV};
use z3::{Model, SatResult, Solver};

/// What PDR concluded about one target.
#[derive(Clone, Debug)]
pub enum PdrResult {
    /// The target is never 1: `invariant_size` lemmas (clauses over register
    /// bits) form an inductive invariant, found with `frames` frames.
    Proven {
        invariant_size: usize,
        frames: u32,
    },
    /// The target is 1 at `depth` (the shortest such depth); the BMC trace.
    Reached {
        depth: u32,
        trace: Trace,
    },
    Unknown {
        reason: String,
    },
}

#[derive(Clone, Debug)]
pub struct PdrOptions {
    /// Give up after this many frames.
    pub max_frames: u32,
}

impl Default for PdrOptions {
    fn default() -> Self {
        PdrOptions { max_frames: 500 }
    }
}

/// A conjunction of state-bit literals: (bit index, value), sorted by bit.
type Cube = Vec<(usize, bool)>;

/// The encoded system: terms for the current and next value of every state
/// bit, the initial states, the transition constraints and the bad states.
struct System {
    cur: Vec<Bool>,
    nxt: Vec<Bool>,
    init: Bool,
    trans: Vec<Bool>,
    bad: Bool,
}

/// Bit `j` of a value of width `w` as a Boolean term.
fn bit_of(v: &Val, j: u32, w: u32) -> Bool {
    match v {
        Val::Const(b) => Bool::from_bool(b.bit(j)),
        Val::Bool(b) if w == 1 => b.clone(),
        _ => v.to_bv().extract(j, j).eq(BV::from_u64(1, 1)),
    }
}

fn phase_width(cycles: u64) -> u32 {
    64 - cycles.leading_zeros()
}

impl System {
    /// Encode the cone of `target` and `assumes` (no memories: checked by
    /// the caller). `prefix` keeps the constants of two encodings apart.
    fn encode(
        d: &Design,
        target: NodeId,
        assumes: &[NodeId],
        reset: Option<&ResetInput>,
        prefix: &str,
    ) -> System {
        let mut roots = vec![target];
        roots.extend_from_slice(assumes);
        let coi = Cone::of(d, &roots);
        let mut u = Unroller::new(d, coi, MemEncoding::Words, true, prefix);
        u.add_step();
        let step = &u.steps[0];
        let (mut cur, mut nxt) = (Vec::new(), Vec::new());
        let mut init = Vec::new();
        let mut trans = Vec::new();
        for (i, r) in d.regs.iter().enumerate() {
            let Some(s) = &step.regs[i] else { continue };
            let n = u.val(0, r.next);
            for j in 0..r.width {
                cur.push(bit_of(s, j, r.width));
                nxt.push(bit_of(n, j, r.width));
            }
            if let Some(b) = &r.init {
                init.push(s.eq_term(&Val::Const(b.clone())));
            }
        }
        for a in assumes {
            trans.push(u.val(0, *a).to_bool().not());
        }
        // The reset phase, only when the reset input is in the cone.
        if let Some(r) = reset.filter(|r| r.reset.cycles > 0) {
            if let Some(rst) = &step.inputs[r.input.index()] {
                let pw = phase_width(r.reset.cycles);
                let t = BV::new_const(format!("{prefix}phase"), pw);
                let c = BV::from_u64(r.reset.cycles, pw);
                let during = t.bvult(&c);
                let tn = during.ite(&t.bvadd(BV::from_u64(1, pw)), &t);
                for j in 0..pw {
                    cur.push(t.extract(j, j).eq(BV::from_u64(1, 1)));
                    nxt.push(tn.extract(j, j).eq(BV::from_u64(1, 1)));
                }
                init.push(t.eq(BV::from_u64(0, pw)));
                trans.push(during.implies(rst.to_bool().iff(Bool::from_bool(!r.reset.active_low))));
            }
        }
        System {
            cur,
            nxt,
            init: Bool::and(&init),
            trans,
            bad: u.val(0, target).to_bool(),
        }
    }
}

/// One proof obligation: `cube` must be blocked at frame `level`; its states
/// reach a bad state in `dist` steps.
#[derive(PartialEq, Eq)]
struct Obligation {
    level: u32,
    dist: u32,
    cube: Cube,
}

impl Ord for Obligation {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        // Lowest level first (BinaryHeap pops the greatest).
        o.level
            .cmp(&self.level)
            .then(o.dist.cmp(&self.dist))
            .then(o.cube.cmp(&self.cube))
    }
}

impl PartialOrd for Obligation {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

/// Why the search stopped without a verdict.
struct Stopped(String);

/// Result of a relative-induction query.
enum Rel {
    /// A predecessor state (full cube) outside the cube reaches it.
    Pred(Cube),
    /// Blocked; the cube's literals the proof used.
    Blocked(Cube),
}

struct Pdr<'a> {
    solver: Solver,
    /// Boolean constants standing for `sys.cur` / `sys.nxt` (assumptions
    /// must be constants).
    x: Vec<Bool>,
    y: Vec<Bool>,
    act_init: Bool,
    act_bad: Bool,
    /// Activation literal of each frame's lemmas (index 0 unused: frame 0 is init).
    acts: Vec<Bool>,
    /// Lemmas (blocked cubes) by the highest frame they hold in.
    lemmas: Vec<Vec<Cube>>,
    fresh: u32,
    stop: &'a dyn Fn() -> bool,
}

impl<'a> Pdr<'a> {
    fn new(sys: System, stop: &'a dyn Fn() -> bool) -> Pdr<'a> {
        let solver = new_solver(false, false);
        let x: Vec<Bool> = (0..sys.cur.len())
            .map(|i| Bool::new_const(format!("pdr.x{i}")))
            .collect();
        let y: Vec<Bool> = (0..sys.nxt.len())
            .map(|i| Bool::new_const(format!("pdr.y{i}")))
            .collect();
        for (v, t) in x.iter().zip(&sys.cur) {
            solver.assert(v.iff(t));
        }
        for (v, t) in y.iter().zip(&sys.nxt) {
            solver.assert(v.iff(t));
        }
        for t in &sys.trans {
            solver.assert(t);
        }
        let act_init = Bool::new_const("pdr.init");
        solver.assert(act_init.implies(&sys.init));
        let act_bad = Bool::new_const("pdr.bad");
        solver.assert(act_bad.implies(&sys.bad));
        Pdr {
            solver,
            x,
            y,
            act_init,
            act_bad,
            acts: vec![Bool::from_bool(true)],
            lemmas: vec![Vec::new()],
            fresh: 0,
            stop,
        }
    }

    fn top(&self) -> u32 {
        (self.acts.len() - 1) as u32
    }

    fn add_frame(&mut self) {
        let k = self.acts.len();
        self.acts.push(Bool::new_const(format!("pdr.f{k}")));
        self.lemmas.push(Vec::new());
    }

    /// Assumptions selecting frame `k` (lemmas at levels >= k; init for 0).
    fn frame(&self, k: u32) -> Vec<Bool> {
        if k == 0 {
            vec![self.act_init.clone()]
        } else {
            self.acts[k as usize..].to_vec()
        }
    }

    fn lits(vars: &[Bool], c: &Cube) -> Vec<Bool> {
        c.iter()
            .map(|&(i, v)| if v { vars[i].clone() } else { vars[i].not() })
            .collect()
    }

    fn clause(&self, c: &Cube) -> Bool {
        let neg: Vec<Bool> = Self::lits(&self.x, c).iter().map(|l| l.not()).collect();
        Bool::or(&neg)
    }

    fn check(&self, assumptions: &[Bool]) -> Result<Option<Model>, Stopped> {
        if (self.stop)() {
            return Err(Stopped("stopped".into()));
        }
        match self.solver.check_assumptions(assumptions) {
            SatResult::Sat => match self.solver.get_model() {
                Some(m) => Ok(Some(m)),
                None => Err(Stopped("Z3 returned sat without a model".into())),
            },
            SatResult::Unsat => Ok(None),
            SatResult::Unknown => Err(Stopped(
                self.solver
                    .get_reason_unknown()
                    .unwrap_or_else(|| "unknown".into()),
            )),
        }
    }

    /// The full current state in a model.
    fn state(&self, m: &Model) -> Cube {
        self.x
            .iter()
            .enumerate()
            .map(|(i, v)| (i, m.eval(v, true).and_then(|b| b.as_bool()) == Some(true)))
            .collect()
    }

    fn intersects_init(&self, c: &Cube) -> Result<bool, Stopped> {
        let mut a = vec![self.act_init.clone()];
        a.extend(Self::lits(&self.x, c));
        Ok(self.check(&a)?.is_some())
    }

    /// Is `F_{k-1} & !c & T & c'` satisfiable?
    fn relative(&mut self, c: &Cube, k: u32) -> Result<Rel, Stopped> {
        self.fresh += 1;
        let tmp = Bool::new_const(format!("pdr.t{}", self.fresh));
        self.solver.assert(tmp.implies(self.clause(c)));
        let mut a = self.frame(k - 1);
        a.push(tmp.clone());
        let primed = Self::lits(&self.y, c);
        a.extend(primed.iter().cloned());
        let r = self.check(&a);
        // Retire the temporary clause for good.
        self.solver.assert(tmp.not());
        Ok(match r? {
            Some(m) => Rel::Pred(self.state(&m)),
            None => {
                let core = self.solver.get_unsat_core();
                Rel::Blocked(
                    c.iter()
                        .zip(&primed)
                        .filter(|(_, p)| core.contains(p))
                        .map(|(l, _)| *l)
                        .collect(),
                )
            }
        })
    }

    /// A core-reduced cube; literals of `c` are added back (in order) while
    /// it would reach into the initial states.
    fn reduced(&self, c: &Cube, core: Cube) -> Result<Cube, Stopped> {
        let mut r = core;
        for l in c {
            if !self.intersects_init(&r)? {
                break;
            }
            if !r.contains(l) {
                r.push(*l);
                r.sort_unstable();
            }
        }
        Ok(r)
    }

    /// Inductive generalisation (MIC with counterexamples to generalisation,
    /// Hassan, Bradley and Somenzi 2013): `c` is blocked relative to
    /// `F_{k-1}` and disjoint from init; drop literals while that stays
    /// true. A predecessor that stops a drop is itself blocked one frame
    /// lower when it can be (this is what finds the mutually inductive
    /// lemmas of a counter's unreachable range at once).
    fn generalize(&mut self, c: Cube, core: Cube, k: u32, depth: u32) -> Result<Cube, Stopped> {
        let mut c = self.reduced(&c, core)?;
        let mut i = 0;
        while i < c.len() && c.len() > 1 {
            let mut cand = c.clone();
            cand.remove(i);
            match self.down(cand, k, depth)? {
                Some(g) => c = g,
                None => i += 1,
            }
        }
        Ok(c)
    }

    /// The largest sub-cube of `c` (a superset of its states) blocked
    /// relative to `F_{k-1}` and disjoint from init, if any.
    fn down(&mut self, mut c: Cube, k: u32, depth: u32) -> Result<Option<Cube>, Stopped> {
        const MAX_CTGS: u32 = 3;
        const MAX_DEPTH: u32 = 1;
        let mut ctgs = 0;
        loop {
            if c.is_empty() || self.intersects_init(&c)? {
                return Ok(None);
            }
            let s = match self.relative(&c, k)? {
                Rel::Blocked(core) => return Ok(Some(self.reduced(&c, core)?)),
                Rel::Pred(s) => s,
            };
            if depth < MAX_DEPTH && ctgs < MAX_CTGS && k > 1 && !self.intersects_init(&s)? {
                if let Rel::Blocked(core) = self.relative(&s, k - 1)? {
                    ctgs += 1;
                    let g = self.generalize(s, core, k - 1, depth + 1)?;
                    let level = self.push_level(&g, k - 1)?;
                    self.add_lemma(g, level);
                    continue;
                }
            }
            ctgs = 0;
            // Join: keep the literals the predecessor agrees with.
            c.retain(|l| s[l.0].1 == l.1);
        }
    }

    /// The highest frame (from `level` up to the frontier) relative to
    /// which `g` stays blocked.
    fn push_level(&mut self, g: &Cube, mut level: u32) -> Result<u32, Stopped> {
        let n = self.top();
        while level < n {
            match self.relative(g, level + 1)? {
                Rel::Blocked(_) => level += 1,
                Rel::Pred(_) => break,
            }
        }
        Ok(level)
    }

    fn add_lemma(&mut self, c: Cube, level: u32) {
        self.solver
            .assert(self.acts[level as usize].implies(self.clause(&c)));
        self.lemmas[level as usize].push(c);
    }

    /// Block `bad` (a state of frame `n` that is bad). `Some(dist)`: an
    /// initial state reaches the bad state in `dist` steps.
    fn block(&mut self, bad: Cube) -> Result<Option<u32>, Stopped> {
        let n = self.top();
        let mut queue = BinaryHeap::new();
        queue.push(Obligation {
            level: n,
            dist: 0,
            cube: bad,
        });
        while let Some(ob) = queue.pop() {
            if ob.level == 0 || self.intersects_init(&ob.cube)? {
                return Ok(Some(ob.dist));
            }
            // Already blocked at this level by a lemma found meanwhile?
            let mut a = self.frame(ob.level);
            a.extend(Self::lits(&self.x, &ob.cube));
            if self.check(&a)?.is_none() {
                continue;
            }
            match self.relative(&ob.cube, ob.level)? {
                Rel::Pred(p) => {
                    let (level, dist) = (ob.level - 1, ob.dist + 1);
                    queue.push(ob);
                    queue.push(Obligation {
                        level,
                        dist,
                        cube: p,
                    });
                }
                Rel::Blocked(core) => {
                    let g = self.generalize(ob.cube.clone(), core, ob.level, 0)?;
                    // Push the lemma as far as it holds.
                    let level = self.push_level(&g, ob.level)?;
                    self.add_lemma(g, level);
                }
            }
        }
        Ok(None)
    }

    /// Move lemmas forward; `Some(k)` when frame `k` equals frame `k + 1`
    /// (the lemmas at levels above `k` are an inductive invariant).
    fn propagate(&mut self) -> Result<Option<u32>, Stopped> {
        let n = self.top();
        for k in 1..n {
            let cubes = std::mem::take(&mut self.lemmas[k as usize]);
            for c in cubes {
                let mut a = self.frame(k);
                a.extend(Self::lits(&self.y, &c));
                if self.check(&a)?.is_none() {
                    self.add_lemma(c, k + 1);
                } else {
                    self.lemmas[k as usize].push(c);
                }
            }
            if self.lemmas[k as usize].is_empty() {
                return Ok(Some(k));
            }
        }
        Ok(None)
    }

    /// The main loop: `Ok(Ok(frames, invariant))` or `Ok(Err(depth bound))`.
    fn run(&mut self, max_frames: u32) -> Result<Result<(u32, Vec<Cube>), u32>, Stopped> {
        if self
            .check(&[self.act_init.clone(), self.act_bad.clone()])?
            .is_some()
        {
            return Ok(Err(0));
        }
        self.add_frame();
        loop {
            let n = self.top();
            loop {
                let mut a = self.frame(n);
                a.push(self.act_bad.clone());
                let Some(m) = self.check(&a)? else { break };
                let s = self.state(&m);
                if let Some(dist) = self.block(s)? {
                    return Ok(Err(dist));
                }
            }
            if n >= max_frames {
                return Err(Stopped(format!("no verdict within {max_frames} frames")));
            }
            self.add_frame();
            if std::env::var_os("VERIFY_PDR_DEBUG").is_some() {
                let sizes: Vec<usize> = self.lemmas.iter().map(|l| l.len()).collect();
                eprintln!(
                    "pdr: frame {} lemmas {sizes:?} queries {}",
                    n + 1,
                    self.fresh
                );
            }
            if let Some(k) = self.propagate()? {
                let inv = self.lemmas[k as usize + 1..].concat();
                return Ok(Ok((self.top(), inv)));
            }
        }
    }
}

/// Check that the clauses `!c` for `c` in `inv` are an inductive invariant
/// excluding the bad states, in a fresh solver over a fresh encoding.
fn validate(
    d: &Design,
    target: NodeId,
    assumes: &[NodeId],
    reset: Option<&ResetInput>,
    inv: &[Cube],
) -> Result<(), String> {
    let sys = System::encode(d, target, assumes, reset, "pdr_check.");
    let s = new_solver(false, false);
    for t in &sys.trans {
        s.assert(t);
    }
    let clause = |bits: &[Bool], c: &Cube| {
        let neg: Vec<Bool> = c
            .iter()
            .map(|&(i, v)| if v { bits[i].not() } else { bits[i].clone() })
            .collect();
        Bool::or(&neg)
    };
    let now: Vec<Bool> = inv.iter().map(|c| clause(&sys.cur, c)).collect();
    let next: Vec<Bool> = inv.iter().map(|c| clause(&sys.nxt, c)).collect();
    let (inv_now, inv_next) = (Bool::and(&now), Bool::and(&next));
    let checks = [
        (
            "initial states",
            Bool::and(&[sys.init.clone(), inv_now.not()]),
        ),
        ("transition", Bool::and(&[inv_now.clone(), inv_next.not()])),
        ("bad states", Bool::and(&[inv_now.clone(), sys.bad.clone()])),
    ];
    for (what, q) in checks {
        let act = Bool::new_const(format!("pdr_check.{what}"));
        s.assert(act.implies(&q));
        match s.check_assumptions(&[act]) {
            SatResult::Unsat => {}
            SatResult::Sat => return Err(format!("the invariant fails on {what}")),
            SatResult::Unknown => {
                return Err(format!(
                    "the invariant check on {what} gave no answer: {}",
                    s.get_reason_unknown().unwrap_or_default()
                ))
            }
        }
    }
    Ok(())
}

/// Shortest path from the initial states to `target` = 1 within `bound`
/// cycles, by BMC (the trace every engine reports).
fn find_trace(
    d: &Design,
    target: NodeId,
    assumes: &[NodeId],
    reset: Option<&ResetInput>,
    bound: u32,
) -> Result<(u32, Trace), String> {
    let mut bmc = Bmc::new(d, &[target], assumes, reset.cloned(), MemEncoding::Words);
    for k in 0..=bound as usize {
        bmc.add_step();
        match bmc.check(k, target) {
            Query::Sat(m) => {
                let mut t = bmc.trace(&m, k);
                t.meta.insert("engine".into(), "pdr".into());
                return Ok((k as u32, t));
            }
            Query::Unsat => bmc.block(k, target),
            Query::Unknown(why) => return Err(why),
        }
    }
    Err(format!(
        "internal error: pdr found a path of {bound} steps that BMC does not confirm"
    ))
}

/// Run PDR on `target` (an assertion's "bad" node or a cover's "hit" node)
/// under `assumes`. `stop` is polled between queries; a running query is
/// interrupted by the caller's watchdog.
pub fn prove(
    d: &Design,
    target: NodeId,
    assumes: &[NodeId],
    reset: Option<&ResetInput>,
    opts: &PdrOptions,
    stop: &dyn Fn() -> bool,
) -> PdrResult {
    let mut roots = vec![target];
    roots.extend_from_slice(assumes);
    let coi = Cone::of(d, &roots);
    if let Some(m) = coi.mems.iter().position(|&c| c) {
        return PdrResult::Unknown {
            reason: format!(
                "pdr does not handle memories; `{}` is in the cone of influence",
                d.mems[m].name
            ),
        };
    }
    let sys = System::encode(d, target, assumes, reset, "pdr.");
    let mut pdr = Pdr::new(sys, stop);
    match pdr.run(opts.max_frames) {
        Err(Stopped(reason)) => PdrResult::Unknown {
            reason: format!("pdr: {reason}"),
        },
        Ok(Ok((frames, inv))) => match validate(d, target, assumes, reset, &inv) {
            Ok(()) => PdrResult::Proven {
                invariant_size: inv.len(),
                frames,
            },
            Err(e) => PdrResult::Unknown {
                reason: format!("internal error: pdr proof rejected: {e}"),
            },
        },
        Ok(Err(bound)) => match find_trace(d, target, assumes, reset, bound) {
            Ok((depth, trace)) => PdrResult::Reached { depth, trace },
            Err(e) => PdrResult::Unknown {
                reason: format!("pdr: {e}"),
            },
        },
    }
}
