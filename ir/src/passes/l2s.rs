//! Liveness to safety (Biere, Artho and Schuppan, 2002): a liveness
//! assertion becomes a safety one whose counterexamples are lassos, so the
//! safety engines (BMC, k-induction, PDR) find and prove liveness.
//!
//! The transformed design gets a free input `$l2s_save`. The first cycle
//! where it is 1 starts the loop: a shadow copy of every register keeps
//! that cycle's state. The new assertion fails in a later cycle t where
//! the state equals the shadow (so cycles save..t-1 repeat forever), the
//! property's obligation was outstanding in every cycle of the loop (so it
//! is never met) and every fairness constraint was met somewhere in it (so
//! the infinite run is fair). Safety assumptions are checked at every
//! step as usual; the loop repeats their states and inputs, so they hold
//! forever.
//!
//! Run it on a design reduced to the cone of the property, its fairness
//! constraints and assumptions ([`super::coi`]): the loop then only needs
//! the registers that matter to repeat.

use crate::builder::Builder;
use crate::netlist::{BinOp, Design, NodeId, PropKind, UnOp};
use crate::source::Span;
use crate::trace::Trace;

/// Name of the input that picks the loop's first cycle.
pub const SAVE: &str = "$l2s_save";
/// Prefix of every register the transform adds.
const PREFIX: &str = "$l2s_";
/// Trace `meta` key of a lasso's first loop cycle.
pub const LOOP_META: &str = "loop";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum L2sError {
    #[error("property {0} is not a liveness assertion")]
    NotLive(usize),
    #[error("memory `{0}` is in the cone of the liveness property: the loop check would compare whole memories, which verify does not build yet")]
    Memory(String),
}

/// The safety design of one liveness assertion.
pub struct Lasso {
    pub design: Design,
    /// Index of the new assertion in `design.props`.
    pub prop: usize,
}

/// Transform liveness assertion `live` of `d` (with every `Fair`
/// constraint and safety `Assume` of `d`); all other properties are
/// dropped.
pub fn liveness_to_safety(d: &Design, live: usize) -> Result<Lasso, L2sError> {
    let prop = d.props.get(live).ok_or(L2sError::NotLive(live))?.clone();
    if prop.kind != PropKind::Live {
        return Err(L2sError::NotLive(live));
    }
    if let Some(m) = d.mems.first() {
        return Err(L2sError::Memory(m.name.clone()));
    }
    let fair: Vec<NodeId> = d
        .props
        .iter()
        .filter(|p| p.kind == PropKind::Fair)
        .map(|p| p.node)
        .collect();
    let mut base = d.clone();
    base.props.retain(|p| p.kind == PropKind::Assume);
    let regs: Vec<(NodeId, u32)> = base.regs.iter().map(|r| (r.node, r.width)).collect();
    let mut b = Builder::extend(base);
    let bit0 = Some(crate::bits::Bits::zero(1));

    let save = b.input(SAVE, 1, false, Span::NONE);
    let (saved_id, saved) = b.reg(&format!("{PREFIX}saved"), 1, bit0.clone(), Span::NONE);
    let not_saved = b.unary(UnOp::Not, saved);
    let save_now = b.binary(BinOp::And, save, not_saved);
    let saved_next = b.binary(BinOp::Or, saved, save);
    b.set_next(saved_id, saved_next);
    mark_synthetic(&mut b, saved_id);

    // State equal to the shadow taken at the save cycle.
    let mut same = b.const_u64(1, 1);
    for (i, &(node, width)) in regs.iter().enumerate() {
        let init = Some(crate::bits::Bits::zero(width));
        let (id, shadow) = b.reg(&format!("{PREFIX}shadow{i}"), width, init, Span::NONE);
        let next = b.mux(save_now, node, shadow);
        b.set_next(id, next);
        mark_synthetic(&mut b, id);
        let eq = b.binary(BinOp::Eq, node, shadow);
        same = b.binary(BinOp::And, same, eq);
    }

    // Obligation outstanding in every loop cycle so far.
    let (allp_id, allp) = b.reg(&format!("{PREFIX}pending"), 1, bit0.clone(), Span::NONE);
    let kept = b.binary(BinOp::And, allp, prop.node);
    let allp_next = b.mux(save_now, prop.node, kept);
    b.set_next(allp_id, allp_next);
    mark_synthetic(&mut b, allp_id);

    let mut bad = b.binary(BinOp::And, saved, same);
    bad = b.binary(BinOp::And, bad, allp);
    // Each fairness constraint met (its obligations all discharged) in
    // some loop cycle.
    for (i, f) in fair.into_iter().enumerate() {
        let (id, met) = b.reg(&format!("{PREFIX}fair{i}"), 1, bit0.clone(), Span::NONE);
        let free = b.unary(UnOp::Not, f);
        let acc = b.binary(BinOp::Or, met, free);
        let next = b.mux(save_now, free, acc);
        b.set_next(id, next);
        mark_synthetic(&mut b, id);
        bad = b.binary(BinOp::And, bad, met);
    }
    b.property(&prop.name, PropKind::Assert, bad, prop.span);
    let design = b
        .finish()
        .expect("liveness-to-safety keeps the IR's invariants");
    let prop = design.props.len() - 1;
    Ok(Lasso { design, prop })
}

fn mark_synthetic(b: &mut Builder, id: crate::netlist::RegId) {
    b.reg_mut(id).synthetic = true;
}

/// A counterexample of the transformed design as a trace of the original
/// one: the `$l2s_save` column and the added registers' initial values are
/// removed, and `meta["loop"]` is the first cycle of the loop (the trace's
/// last cycle has the same state as that one). `None` if the trace has no
/// save cycle (not a lasso of this transform).
pub fn lasso_trace(t: &Trace) -> Option<Trace> {
    let col = t.ports.iter().position(|p| p == SAVE)?;
    let start = t
        .cycles
        .iter()
        .position(|c| c.get(col).is_some_and(|v| is_one(v)))?;
    let mut out = t.clone();
    out.ports.remove(col);
    out.widths.remove(col);
    for c in &mut out.cycles {
        if col < c.len() {
            c.remove(col);
        }
    }
    out.init.retain(|k, _| !is_added(k));
    // The last cycle has the loop start's state; giving it the loop
    // start's inputs too makes it the first repetition of the loop (its
    // own inputs were free and mean nothing).
    if let Some(first) = out.cycles.get(start).cloned() {
        if let Some(last) = out.cycles.last_mut() {
            *last = first;
        }
    }
    out.meta.insert(LOOP_META.into(), start.to_string());
    Some(out)
}

fn is_added(name: &str) -> bool {
    name.starts_with(PREFIX)
        || name
            .rsplit('.')
            .next()
            .is_some_and(|n| n.starts_with(PREFIX))
}

fn is_one(v: &str) -> bool {
    let digits = v.rsplit('\'').next().unwrap_or(v);
    let digits = digits.trim_start_matches(['b', 'h', 'd']);
    digits.chars().any(|c| c != '0' && c != '_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bits::Bits;
    use crate::passes::eval::step;

    /// `req` raises an obligation that `gnt` discharges; `gnt` is a register
    /// that follows input `g`.
    fn design() -> Design {
        let mut b = Builder::new("t");
        b.set_clock("clk");
        let req = b.input("req", 1, false, Span::NONE);
        let g = b.input("g", 1, false, Span::NONE);
        let (gid, gnt) = b.reg("t.gnt", 1, Some(Bits::zero(1)), Span::NONE);
        b.set_next(gid, g);
        let (pid, preg) = b.reg("t.pend", 1, Some(Bits::zero(1)), Span::NONE);
        let any = b.binary(BinOp::Or, req, preg);
        let ng = b.unary(UnOp::Not, gnt);
        let pending = b.binary(BinOp::And, any, ng);
        b.set_next(pid, pending);
        b.property("t.live", PropKind::Live, pending, Span::NONE);
        b.finish().unwrap()
    }

    #[test]
    fn adds_save_input_and_one_assertion() {
        let d = design();
        let l = liveness_to_safety(&d, 0).unwrap();
        assert_eq!(l.design.props.len(), 1);
        assert_eq!(l.design.props[0].kind, PropKind::Assert);
        assert!(l.design.inputs.iter().any(|i| i.name == SAVE));
        // saved, two shadows, pending: four new registers.
        assert_eq!(l.design.regs.len(), d.regs.len() + 4);
        assert!(matches!(
            liveness_to_safety(&design(), 7),
            Err(L2sError::NotLive(7))
        ));
    }

    /// Simulate the transformed design on inputs (req, g, save) and return
    /// the bad signal per cycle.
    fn run(l: &Lasso, inputs: &[(u64, u64, u64)]) -> Vec<bool> {
        let d = &l.design;
        let mut regs: Vec<Bits> = d
            .regs
            .iter()
            .map(|r| r.init.clone().unwrap_or_else(|| Bits::zero(r.width)))
            .collect();
        let mems = Vec::new();
        let mut out = Vec::new();
        for &(req, g, save) in inputs {
            let ins: Vec<Bits> = d
                .inputs
                .iter()
                .map(|i| match i.name.as_str() {
                    "req" => Bits::from_u64(1, req),
                    "g" => Bits::from_u64(1, g),
                    _ => Bits::from_u64(1, save),
                })
                .collect();
            let s = step(d, &ins, &regs, &mems);
            out.push(s.values[d.props[l.prop].node.index()].is_ones());
            regs = s.regs;
        }
        out
    }

    #[test]
    fn a_starving_loop_is_bad_a_served_one_is_not() {
        let l = liveness_to_safety(&design(), 0).unwrap();
        // req once, never granted: loop from cycle 1 (state pend=1, gnt=0)
        // closes at cycle 2.
        let bad = run(&l, &[(1, 0, 0), (0, 0, 1), (0, 0, 0)]);
        assert_eq!(bad, vec![false, false, true]);
        // Granted inside the loop: the obligation is met, no lasso.
        let ok = run(&l, &[(1, 0, 0), (0, 1, 1), (0, 0, 0), (1, 0, 0)]);
        assert!(ok.iter().all(|b| !b));
    }
}
