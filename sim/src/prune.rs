//! The instructions a run without coverage needs.
//!
//! Branch-coverage conditions are roots of the IR (every `if`/`case`/`?:`
//! arm has one), and in control-heavy designs the logic that only feeds
//! them is a large part of the program: in `crc8` 77 of 174
//! instructions are `and`/`or`/`not` chains that say which arm of the
//! unrolled loops was taken. A run that collects no coverage never reads
//! them, so [`crate::Sim::eval_core`] and [`crate::Lanes::eval_core`] skip
//! them. Nor does it read named signals (only waveforms of replays do), or
//! registers that only named signals read: picorv32's debug registers
//! (`q_ascii_instr`, `cached_insn_opcode`...) and the 64- and 128-bit ASCII
//! names of its instructions and states, or the logic behind outputs of an
//! instance that nothing connects. What a run observes (outputs, properties,
//! memory write ports) is kept with its whole cone, through registers
//! ([`live`]); Verilator drops the same logic (it is dead code there too).

use crate::compile::{split_moves, Moves, Program};
use crate::isa::Insn;
use crate::words::nwords;
use ir::{Design, NodeId};

/// Node indices outputs, properties and memory write ports depend on,
/// through registers: where a register's value is in the cone, so is its
/// next value (to a fixed point). A register outside it is read by nothing
/// a run observes (only by named signals and other such registers).
pub(crate) fn live(design: &Design) -> Vec<bool> {
    let mut reg_of = vec![None; design.nodes.len()];
    for r in &design.regs {
        reg_of[r.node.index()] = Some(r.next);
    }
    let mut keep = vec![false; design.nodes.len()];
    let mut stack: Vec<NodeId> = design
        .outputs
        .iter()
        .map(|o| o.node)
        .chain(design.props.iter().map(|p| p.node))
        .chain(
            design
                .mems
                .iter()
                .flat_map(|m| m.writes.iter().flat_map(|w| [w.en, w.addr, w.data])),
        )
        .collect();
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut keep[id.index()], true) {
            continue;
        }
        stack.extend(design.nodes[id.index()].op.operands());
        stack.extend(reg_of[id.index()]);
    }
    keep
}

/// Per register: whether its value is [`live`] (`keep` is that cone).
pub(crate) fn live_regs(design: &Design, keep: &[bool]) -> Vec<bool> {
    design.regs.iter().map(|r| keep[r.node.index()]).collect()
}

/// The register moves of [`live`] registers, split as
/// `Program::staged_moves` and `Program::direct_moves`: what the clock edge
/// after a pruned run copies (the other registers' next values are not
/// computed, so copying them is wasted).
pub(crate) fn live_moves(prog: &Program) -> (Moves, Moves) {
    let keep = live(&prog.design);
    let moves: Moves = prog
        .design
        .regs
        .iter()
        .zip(&prog.regs)
        .filter(|(d, _)| keep[d.node.index()])
        .flat_map(|(_, r)| (0..nwords(r.width) as u32).map(move |k| (r.next + k, r.slot + k)))
        .collect();
    split_moves(&moves)
}

/// What every run must compute: register next values, memory write ports,
/// properties and outputs (a lane run needs no more, see `crate::layout`).
pub(crate) fn observed_roots(d: &Design) -> impl Iterator<Item = NodeId> + '_ {
    d.regs
        .iter()
        .map(|r| r.next)
        .chain(
            d.mems
                .iter()
                .flat_map(|m| m.writes.iter().flat_map(|w| [w.en, w.addr, w.data])),
        )
        .chain(d.props.iter().map(|p| p.node))
        .chain(d.outputs.iter().map(|o| o.node))
}

/// Node indices `roots` depend on (the roots included).
pub(crate) fn cone(design: &Design, roots: impl Iterator<Item = NodeId>) -> Vec<bool> {
    let mut keep = vec![false; design.nodes.len()];
    let mut stack: Vec<NodeId> = roots.collect();
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut keep[id.index()], true) {
            continue;
        }
        stack.extend(design.nodes[id.index()].op.operands());
    }
    keep
}

/// The instructions of `insns` (node `insn_node[i]` for instruction `i`)
/// whose node is [`live`], in the same order. Registers outside the
/// cone are not updated correctly by a run over them (their next value is
/// not computed): nothing it observes reads them.
pub(crate) fn core(design: &Design, insns: &[Insn], insn_node: &[usize]) -> Vec<Insn> {
    let keep = live(design);
    insns
        .iter()
        .zip(insn_node)
        .filter(|(_, &n)| keep[n])
        .map(|(i, _)| *i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ir::builder::Builder;
    use ir::Span;

    #[test]
    fn branch_only_logic_is_not_needed() {
        let mut b = Builder::new("t");
        let x = b.input("x", 4, false, Span::NONE);
        let y = b.input("y", 4, false, Span::NONE);
        let sum = b.binary(ir::BinOp::Add, x, y);
        b.output("sum", sum, false, Span::NONE);
        // A condition only a branch reads, built from logic an output reads too.
        let lt = b.binary(ir::BinOp::Ult, sum, x);
        let cond = b.unary(ir::UnOp::Not, lt);
        b.branch("if", cond, Span::NONE);
        let d = b.finish().unwrap();
        let keep = live(&d);
        assert!(keep[sum.index()] && keep[x.index()] && keep[y.index()]);
        assert!(!keep[lt.index()] && !keep[cond.index()]);
    }
}
