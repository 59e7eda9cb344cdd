//! The instructions a run without coverage needs.
//!
//! Branch-coverage conditions are roots of the IR (every `if`/`case`/`?:`
//! arm has one), and in control-heavy designs the logic that only feeds
//! them is a large part of the program: in `crc8` 77 of 174
//! instructions are `and`/`or`/`not` chains that say which arm of the
//! unrolled loops was taken. A run that collects no coverage never reads
//! them, so [`crate::Sim::eval_core`] and [`crate::Lanes::eval_core`] skip
//! them. Everything else a run observes (outputs, register next values,
//! memory ports, properties, named signals) is kept with its whole cone.

use crate::isa::Insn;
use ir::{Design, NodeId};

/// Node indices in the cone of every root except branch conditions.
pub(crate) fn needed(design: &Design) -> Vec<bool> {
    let roots = observed_roots(design)
        .chain(design.regs.iter().map(|r| r.node))
        .chain(design.names.iter().map(|n| n.node))
        .chain(design.inputs.iter().map(|i| i.node));
    cone(design, roots)
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
/// whose node is [`needed`], in the same order.
pub(crate) fn core(design: &Design, insns: &[Insn], insn_node: &[usize]) -> Vec<Insn> {
    let keep = needed(design);
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
        let keep = needed(&d);
        assert!(keep[sum.index()] && keep[x.index()] && keep[y.index()]);
        assert!(!keep[lt.index()] && !keep[cond.index()]);
    }
}
