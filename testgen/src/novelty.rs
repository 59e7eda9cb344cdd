//! Progress as the learned generator's lesson: a cycle after which a
//! register the open points depend on holds a value it never held before
//! (in any episode so far) moved the design somewhere new. Its state and
//! inputs are an example of how to make progress from that state.
//!
//! First hits alone are too few and too late to teach a state-dependent
//! input: an in-order receiver (a packet is accepted only when its number
//! equals the count's low bits) gives a first hit when the count first
//! reaches 1, 2, 4, 8, ..., while every new count value shows the mapping.
//! A register whose values are data (a latched input) soon holds
//! [`SATURATED`] values and is no longer watched.

use ir::{Design, Op};
use std::collections::HashSet;

/// A register stops being watched after this many distinct values.
pub const SATURATED: usize = 1 << 14;

/// Values seen per register (over every episode merged so far).
#[derive(Clone, Debug)]
pub struct Novelty {
    seen: Vec<HashSet<u64>>,
    /// Per register: at most 64 bits wide and not synthetic (a watchable one).
    narrow: Vec<bool>,
}

impl Novelty {
    pub fn new(d: &Design) -> Novelty {
        Novelty {
            seen: vec![HashSet::new(); d.regs.len()],
            narrow: d
                .regs
                .iter()
                .map(|r| r.width <= 64 && !r.synthetic)
                .collect(),
        }
    }

    /// Whether register `r` ever held `v`.
    pub fn seen(&self, r: usize, v: u64) -> bool {
        self.seen[r].contains(&v)
    }

    /// Record that register `r` held `v`.
    pub fn insert(&mut self, r: usize, v: u64) {
        if self.seen[r].len() < SATURATED {
            self.seen[r].insert(v);
        }
    }

    /// Whether register `r` is worth watching: narrow and not saturated.
    pub fn watchable(&self, r: usize) -> bool {
        self.narrow[r] && self.seen[r].len() < SATURATED
    }

    /// The registers to watch: watchable ones in `cone_regs` of any open
    /// point (`cone_regs[p]`: the registers in point p's sequential cone).
    pub fn watch(&self, cone_regs: &[Vec<u32>], open: &[bool]) -> Vec<usize> {
        let mut on = vec![false; self.seen.len()];
        for (regs, _) in cone_regs.iter().zip(open).filter(|(_, o)| **o) {
            for &r in regs {
                on[r as usize] = true;
            }
        }
        (0..on.len())
            .filter(|&r| on[r] && self.watchable(r))
            .collect()
    }
}

/// The registers in a node set (a point's cone, `target::cone`).
pub fn regs_of(d: &Design, nodes: &[ir::NodeId]) -> Vec<u32> {
    let mut v: Vec<u32> = nodes
        .iter()
        .filter_map(|n| match d.nodes[n.index()].op {
            Op::Reg(r) => Some(r.0),
            _ => None,
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The low word of register `r` (watched registers are at most 64 bits).
pub fn value(sim: &impl crate::view::State, r: usize) -> u64 {
    sim.reg_word(r, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design(src: &str) -> Design {
        rtl::compile_text("m.sv", src, rtl::elab::ElabOptions::default())
            .result
            .unwrap()
            .design
    }

    #[test]
    fn watches_narrow_registers_of_open_points_until_saturated() {
        let d = design(
            "module m(input clk, input [3:0] a, input [99:0] w); \
             reg [3:0] c; reg [99:0] big; \
             always @(posedge clk) begin c <= c + a; big <= w; end endmodule",
        );
        let c = d.regs.iter().position(|r| r.name.ends_with(".c")).unwrap();
        let big = d
            .regs
            .iter()
            .position(|r| r.name.ends_with(".big"))
            .unwrap();
        let mut n = Novelty::new(&d);
        let cones = vec![vec![c as u32, big as u32], vec![c as u32]];
        assert_eq!(n.watch(&cones, &[true, false]), vec![c]);
        assert!(n.watch(&cones, &[false, false]).is_empty());
        assert!(!n.seen(c, 3));
        n.insert(c, 3);
        assert!(n.seen(c, 3));
        for v in 0..SATURATED as u64 + 10 {
            n.insert(c, v);
        }
        assert!(!n.watchable(c));
        assert!(n.watch(&cones, &[true, true]).is_empty());
    }
}
