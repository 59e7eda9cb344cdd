//! k-induction with the simple-path (all states different) strengthening.
//!
//! Level `k` asks: is there a path of `k+1` states, starting anywhere
//! (registers and memories free), with the assumptions holding at every step,
//! the target 0 at steps `0..k` and 1 at step `k`, and no two states equal?
//! If not, and BMC found no hit at depths `0..k` from the initial state, the
//! target can never be 1: an assertion is proven, a cover unreachable.
//!
//! One incremental solver unrolls forward; each level adds one step, its
//! assumptions, its disequalities with all earlier states, and blocks the
//! previous level's target (permanent: every larger level needs it too).

use crate::bmc::{run_query, trace_from_model, Query};
use crate::encode::{Coi, MemEncoding, MemState, Unroller};
use rtl::ir::{Design, NodeId};
use rtl::trace::Trace;
use z3::ast::Bool;
use z3::{Model, Solver};

pub struct Induction<'d> {
    pub u: Unroller<'d>,
    pub solver: Solver,
    target: NodeId,
    assumes: Vec<NodeId>,
}

impl<'d> Induction<'d> {
    pub fn new(
        d: &'d Design,
        target: NodeId,
        assumes: &[NodeId],
        enc: MemEncoding,
    ) -> Induction<'d> {
        let mut roots = vec![target];
        roots.extend_from_slice(assumes);
        let coi = Coi::of(d, &roots);
        let u = Unroller::new(d, coi, enc, true, "i.");
        Induction {
            solver: crate::bmc::new_solver(u.uses_arrays(), u.uses_memories()),
            u,
            target,
            assumes: assumes.to_vec(),
        }
    }

    /// Check level `k` (levels must be checked in order 0, 1, 2, ...).
    /// `Unsat` means the induction step holds at `k`.
    pub fn check_level(&mut self, k: usize) -> Query {
        while self.u.depth() <= k {
            let j = self.u.add_step();
            for a in &self.assumes {
                self.solver.assert(self.u.val(j, *a).to_bool().not());
            }
            for i in 0..j {
                self.solver.assert(self.differ(i, j));
            }
            if j > 0 {
                self.solver
                    .assert(self.u.val(j - 1, self.target).to_bool().not());
            }
        }
        let lit = self.u.val(k, self.target).to_bool();
        run_query(&self.solver, &lit)
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
