//! IR transforms shared by both engines, one per file (as in Yosys).
//!
//! Every pass takes a [`Design`] and returns a new one that keeps every
//! invariant of [`Design::validate`] and computes the same values for every
//! output, register, memory write port, property, branch and named signal.

pub mod coi;
pub mod constfold;
pub mod eval;
pub mod l2s;
pub mod print;
pub mod strash;

pub use coi::{coi, dead_code, unknown_roots, Cone, Root};
pub use constfold::constfold;
pub use eval::{eval_binary, eval_comb, eval_op, step, Step};
pub use print::dump;
pub use strash::strash;

use crate::netlist::{Design, Node, NodeId};

/// Most rounds [`optimize`] runs; each round only shrinks the design, and in
/// practice two or three reach the fixpoint.
const MAX_ROUNDS: usize = 8;

/// Constant folding, structural hashing and dead-code removal, repeated until
/// nothing changes (or [`MAX_ROUNDS`]). Keeps every input, output, register,
/// memory, property, branch and name.
pub fn optimize(design: &Design) -> Design {
    let mut d = dead_code(&strash(&constfold(design)));
    for _ in 1..MAX_ROUNDS {
        let next = dead_code(&strash(&constfold(&d)));
        if next == d {
            break;
        }
        d = next;
    }
    d
}

/// A copy of `design` with new `nodes`, every node reference rewritten
/// through `map` (old index -> new id). Registers, memories, inputs, outputs,
/// properties, branches and names are all kept.
pub(crate) fn with_nodes(design: &Design, nodes: Vec<Node>, map: &[NodeId]) -> Design {
    let m = |id: NodeId| map[id.index()];
    let mut d = design.clone();
    d.nodes = nodes;
    for i in &mut d.inputs {
        i.node = m(i.node);
    }
    for o in &mut d.outputs {
        o.node = m(o.node);
    }
    for r in &mut d.regs {
        r.node = m(r.node);
        r.next = m(r.next);
    }
    for mem in &mut d.mems {
        for w in &mut mem.writes {
            w.en = m(w.en);
            w.addr = m(w.addr);
            w.data = m(w.data);
        }
    }
    for p in &mut d.props {
        p.node = m(p.node);
    }
    for n in &mut d.names {
        n.node = m(n.node);
    }
    for b in &mut d.branches {
        b.cond = m(b.cond);
    }
    d
}
