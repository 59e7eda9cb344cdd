//! Bounded model checking: one incremental Z3 solver per property group,
//! unrolled one step at a time from the initial state (never rebuilt per
//! depth).
//!
//! Constraints that hold for every later query (assumptions at each step,
//! reset held during the reset cycles, and a checked target being 0 at an
//! already-checked depth) are asserted once, permanently. The query "can
//! target `t` be 1 at depth `k`" is a `check_assumptions` with `t_k` itself
//! as the activation literal, so nothing is ever popped.

use crate::encode::{Cone, MemEncoding, MemState, Unroller, Val};
use ir::bits::Bits;
use ir::reset::ResetInput;
use ir::trace::Trace;
use ir::{Design, NodeId};
use std::collections::BTreeMap;
use z3::ast::{Bool, BV};
use z3::{Model, SatResult, Solver};

/// Outcome of one solver query.
pub enum Query {
    /// Satisfiable; the model.
    Sat(Model),
    Unsat,
    /// Interrupted, timed out, or Z3 gave up (the reason).
    Unknown(String),
}

pub(crate) fn run_query(s: &Solver, lit: &Bool) -> Query {
    match s.check_assumptions(std::slice::from_ref(lit)) {
        SatResult::Sat => match s.get_model() {
            Some(m) => Query::Sat(m),
            None => Query::Unknown("Z3 returned sat without a model".into()),
        },
        SatResult::Unsat => Query::Unsat,
        SatResult::Unknown => Query::Unknown(
            s.get_reason_unknown()
                .unwrap_or_else(|| "unknown".to_string()),
        ),
    }
}

/// A fresh solver for an unrolling. Without memories, Z3's finite-domain
/// solver (`QF_FD`: bit-blasting to its incremental SAT solver, with
/// assumptions) is used; it is much faster on these queries than the
/// general SMT core that `Solver::new()` gives for incremental use
/// (adder_tree's proof 75 s -> 0.2 s). With memories in the cone the SMT
/// core wins instead (the memory FIFO of tests/mem.rs at depth 30: 1.6 s
/// against 84.6 s with QF_FD, words encoding, release build), and arrays
/// need it. `VERIFY_Z3_LOGIC` (`default`, `QF_FD`, ...) overrides the choice
/// for measurements. See docs/formal.md "Memories".
pub(crate) fn new_solver(arrays: bool, memories: bool) -> Solver {
    let logic = match std::env::var("VERIFY_Z3_LOGIC") {
        Ok(l) => l,
        Err(_) if arrays || memories => "default".into(),
        Err(_) => "QF_FD".into(),
    };
    if arrays || logic == "default" {
        return Solver::new();
    }
    Solver::new_for_logic(logic.as_str()).unwrap_or_default()
}

/// The BMC unrolling of one group of target nodes (assertion "bad" or cover
/// "hit" nodes), under every assumption of the design.
pub struct Bmc<'d> {
    pub u: Unroller<'d>,
    pub solver: Solver,
    assumes: Vec<NodeId>,
    reset: Option<ResetInput>,
}

impl<'d> Bmc<'d> {
    pub fn new(
        d: &'d Design,
        targets: &[NodeId],
        assumes: &[NodeId],
        reset: Option<ResetInput>,
        enc: MemEncoding,
    ) -> Bmc<'d> {
        let mut roots = targets.to_vec();
        roots.extend_from_slice(assumes);
        let coi = Cone::of(d, &roots);
        let u = Unroller::new(d, coi, enc, false, "b.");
        Bmc {
            solver: new_solver(u.uses_arrays(), u.uses_memories()),
            u,
            assumes: assumes.to_vec(),
            reset,
        }
    }

    /// Unroll one more step and constrain it (assumptions, reset).
    pub fn add_step(&mut self) -> usize {
        let k = self.u.add_step();
        for a in &self.assumes {
            self.solver.assert(self.u.val(k, *a).to_bool().not());
        }
        if let Some(r) = &self.reset {
            if (k as u64) < r.reset.cycles {
                if let Some(v) = &self.u.steps[k].inputs[r.input.index()] {
                    self.solver
                        .assert(v.to_bool().iff(Bool::from_bool(!r.reset.active_low)));
                }
            }
        }
        k
    }

    /// The target's literal at step `k`.
    pub fn lit(&self, k: usize, target: NodeId) -> Bool {
        self.u.val(k, target).to_bool()
    }

    /// Can `target` be 1 at step `k` (every earlier blocked depth 0)?
    pub fn check(&self, k: usize, target: NodeId) -> Query {
        run_query(&self.solver, &self.lit(k, target))
    }

    /// Can any of `targets` be 1 at step `k`?
    pub fn check_any(&self, k: usize, targets: &[NodeId]) -> Query {
        let lits: Vec<Bool> = targets.iter().map(|t| self.lit(k, *t)).collect();
        match lits.len() {
            0 => Query::Unsat,
            1 => run_query(&self.solver, &lits[0]),
            _ => {
                // Behind a fresh literal, so nothing is asserted permanently.
                let goal = Bool::fresh_const("b.goal");
                self.solver.assert(goal.implies(Bool::or(&lits)));
                run_query(&self.solver, &goal)
            }
        }
    }

    /// Record that `target` is 0 at step `k` (after an unsat check).
    pub fn block(&self, k: usize, target: NodeId) {
        self.solver.assert(self.lit(k, target).not());
    }

    /// The witness in `m` for steps `0..=k`.
    pub fn trace(&self, m: &Model, k: usize) -> Trace {
        trace_from_model(&self.u, m, k, self.reset.as_ref(), false)
    }
}

/// Read a trace out of a model: inputs for steps `0..=k`, `init` for the
/// registers that have no initial value (all cone registers when
/// `all_regs`, for induction traces that start anywhere), `mem_init` for
/// the memory words that are free at step 0.
pub(crate) fn trace_from_model(
    u: &Unroller,
    m: &Model,
    k: usize,
    reset: Option<&ResetInput>,
    all_regs: bool,
) -> Trace {
    let d = u.d;
    let mut t = Trace::for_design(d);
    for step in 0..=k {
        let row: Vec<Bits> = d
            .inputs
            .iter()
            .enumerate()
            .map(|(i, inp)| match &u.steps[step].inputs[i] {
                Some(v) => v.eval(m, inp.width),
                None => match reset {
                    // A reset outside the cone: show it as the run would have it.
                    Some(r) if r.input.index() == i && !all_regs => {
                        let active = (step as u64) < r.reset.cycles;
                        Bits::from_bool(active != r.reset.active_low)
                    }
                    _ => Bits::zero(inp.width),
                },
            })
            .collect();
        t.push_cycle(&row);
    }
    for (i, r) in d.regs.iter().enumerate() {
        if r.init.is_some() && !(all_regs && u.coi.regs[i]) {
            continue;
        }
        let v = match &u.steps[0].regs[i] {
            Some(v) => v.eval(m, r.width),
            None => Bits::zero(r.width),
        };
        t.init.insert(r.name.clone(), v.to_hex());
    }
    for (i, mem) in d.mems.iter().enumerate() {
        if mem.init.is_some() && !all_regs {
            continue;
        }
        let Some(st) = &u.steps[0].mems[i] else {
            continue;
        };
        let mut words = BTreeMap::new();
        match st {
            MemState::Words(ws) => {
                for (j, w) in ws.iter().enumerate() {
                    words.insert(j.to_string(), w.eval(m, mem.width).to_hex());
                }
            }
            MemState::Array(arr) => {
                // Only words the run can read matter; reading a model array
                // for every index of a huge memory would not end. The first
                // 4096 words are listed (every word is listed, even zeros, so
                // that a simulator does not seed them randomly).
                let iw = (64 - (mem.depth - 1).leading_zeros()).max(1);
                for j in 0..mem.depth.min(4096) {
                    let sel = arr.select(&BV::from_u64(j, iw));
                    let b = sel
                        .as_bv()
                        .map(|v| Val::Bv(v).eval(m, mem.width))
                        .unwrap_or_else(|| Bits::zero(mem.width));
                    words.insert(j.to_string(), b.to_hex());
                }
            }
        }
        if !words.is_empty() {
            t.mem_init.insert(mem.name.clone(), words);
        }
    }
    t.meta.insert("depth".into(), k.to_string());
    t
}
