//! k-induction, on one target or jointly on a set of targets, with the
//! simple-path (all states different) strengthening as an option.
//!
//! Level `k` asks: is there a path of `k+1` states, starting anywhere
//! (registers and memories free), with the assumptions holding at every step,
//! every active target 0 at steps `0..k`, some active target 1 at step `k`
//! (and, with the simple-path option, no two states equal)? If not, and BMC
//! found no hit of any active target at depths `0..k` from the initial state,
//! no active target can ever be 1: assertions are proven, a cover is
//! unreachable. Jointly (yosys-smtbmc's induction), a set of assertions that
//! are inductive only together is proven together.
//!
//! One incremental solver unrolls forward; each level adds one step, its
//! assumptions, (its disequalities with all earlier states,) and "target 0 at
//! the previous step" under the target's activation literal, so a target can
//! be dropped from the set (Houdini-style fallback) without a new solver.

use crate::bmc::{trace_from_model, Query};
use crate::encode::{Cone, MemEncoding, MemState, Unroller};
use ir::trace::Trace;
use ir::{Design, NodeId};
use z3::ast::Bool;
use z3::{Model, SatResult, Solver};

pub struct Induction<'d> {
    pub u: Unroller<'d>,
    pub solver: Solver,
    targets: Vec<NodeId>,
    /// One activation literal per target: "this target is in the set".
    acts: Vec<Bool>,
    assumes: Vec<NodeId>,
    simple_path: bool,
}

impl<'d> Induction<'d> {
    /// Induction on one target, with the simple-path strengthening.
    pub fn new(
        d: &'d Design,
        target: NodeId,
        assumes: &[NodeId],
        enc: MemEncoding,
    ) -> Induction<'d> {
        Self::joint(d, &[target], assumes, enc, true)
    }

    /// Induction on a set of targets (all assumed 0 before the last step,
    /// any of them 1 at the last step).
    pub fn joint(
        d: &'d Design,
        targets: &[NodeId],
        assumes: &[NodeId],
        enc: MemEncoding,
        simple_path: bool,
    ) -> Induction<'d> {
        let mut roots = targets.to_vec();
        roots.extend_from_slice(assumes);
        let coi = Cone::of(d, &roots);
        let u = Unroller::new(d, coi, enc, true, "i.");
        let acts = (0..targets.len())
            .map(|i| Bool::new_const(format!("i.act.{i}")))
            .collect();
        Induction {
            solver: crate::bmc::new_solver(u.uses_arrays(), u.uses_memories()),
            u,
            targets: targets.to_vec(),
            acts,
            assumes: assumes.to_vec(),
            simple_path,
        }
    }

    fn extend_to(&mut self, k: usize) {
        while self.u.depth() <= k {
            let j = self.u.add_step();
            for a in &self.assumes {
                self.solver.assert(self.u.val(j, *a).to_bool().not());
            }
            if self.simple_path {
                for i in 0..j {
                    self.solver.assert(self.differ(i, j));
                }
            }
            if j > 0 {
                for (t, act) in self.targets.iter().zip(&self.acts) {
                    let held = self.u.val(j - 1, *t).to_bool().not();
                    self.solver.assert(act.implies(&held));
                }
            }
        }
    }

    /// Check level `k` with every target active (levels must be checked in
    /// order 0, 1, 2, ...). `Unsat` means the induction step holds at `k`.
    pub fn check_level(&mut self, k: usize) -> Query {
        let all = vec![true; self.targets.len()];
        self.check_level_of(k, &all)
    }

    /// Check level `k` for the targets with `active[i]` set (the others are
    /// neither assumed nor checked).
    pub fn check_level_of(&mut self, k: usize, active: &[bool]) -> Query {
        self.extend_to(k);
        let mut lits: Vec<Bool> = Vec::new();
        let mut bad: Vec<Bool> = Vec::new();
        for (i, (t, act)) in self.targets.iter().zip(&self.acts).enumerate() {
            if active[i] {
                lits.push(act.clone());
                bad.push(self.u.val(k, *t).to_bool());
            } else {
                lits.push(act.not());
            }
        }
        if bad.is_empty() {
            return Query::Unsat;
        }
        // "Some active target is 1 at step k", behind a fresh literal so
        // nothing is asserted permanently.
        let goal = Bool::fresh_const("i.goal");
        self.solver.assert(goal.implies(Bool::or(&bad)));
        lits.push(goal);
        match self.solver.check_assumptions(&lits) {
            SatResult::Sat => match self.solver.get_model() {
                Some(m) => Query::Sat(m),
                None => Query::Unknown("Z3 returned sat without a model".into()),
            },
            SatResult::Unsat => Query::Unsat,
            SatResult::Unknown => Query::Unknown(
                self.solver
                    .get_reason_unknown()
                    .unwrap_or_else(|| "unknown".to_string()),
            ),
        }
    }

    /// Which targets are 1 at step `k` in `m`.
    pub fn failing(&self, m: &Model, k: usize) -> Vec<usize> {
        failing_in(&self.u, m, k, &self.targets)
    }

    /// States `i` and `j` differ in some cone register or memory word.
    fn differ(&self, i: usize, j: usize) -> Bool {
        let (si, sj) = (&self.u.steps[i], &self.u.steps[j]);
        let mut diffs: Vec<Bool> = Vec::new();
        for (a, b) in si.regs.iter().zip(&sj.regs) {
            if let (Some(a), Some(b)) = (a, b) {
                diffs.push(a.eq_term(b).not());
            }
        }
        for (a, b) in si.mems.iter().zip(&sj.mems) {
            match (a, b) {
                (Some(MemState::Words(x)), Some(MemState::Words(y))) => {
                    for (p, q) in x.iter().zip(y) {
                        diffs.push(p.eq_term(q).not());
                    }
                }
                (Some(MemState::Array(x)), Some(MemState::Array(y))) => {
                    diffs.push(x.eq(y).not());
                }
                _ => {}
            }
        }
        if diffs.is_empty() {
            // No state at all: two steps are always "the same state".
            Bool::from_bool(false)
        } else {
            Bool::or(&diffs)
        }
    }

    /// The failing induction step as a trace: it starts from an arbitrary
    /// state (given in full in `init` / `mem_init`) that may be unreachable.
    pub fn trace(&self, m: &Model, k: usize) -> Trace {
        let mut t = trace_from_model(&self.u, m, k, None, true);
        t.meta.insert("engine".into(), "k-induction".into());
        t.meta.insert(
            "start_state".into(),
            "arbitrary: may be unreachable from reset".into(),
        );
        t
    }
}

/// Which of `targets` are 1 at step `k` of the model `m`.
pub(crate) fn failing_in(u: &Unroller, m: &Model, k: usize, targets: &[NodeId]) -> Vec<usize> {
    targets
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            let v = u.val(k, **t);
            !v.eval(m, 1).is_zero()
        })
        .map(|(i, _)| i)
        .collect()
}
