//! The lane engine's arena layout.
//!
//! The scalar arena gives every node a slot of its own, so any value can be
//! read after a cycle (waveforms, `get`). A [`crate::Lanes`] batch stores
//! `L` copies of every slot, and on a large design that no longer fits in
//! the core's caches: the 5,000-line benchmark design has 7,845 slots, 4 MiB
//! at 64 lanes, and most of them hold a temporary that is read once, a few
//! instructions after it is written. The compact layout keeps a slot of its
//! own only for the values read from outside the instruction loop (inputs,
//! registers and their next values, constants, memory write ports,
//! properties, branch conditions and outputs) and gives temporaries slots
//! that are reused once their last reader has run, as a register allocator
//! would (linear scan over the topological order). It also drops the logic
//! that only named signals read, which no lane run observes.

use crate::compile::Program;
use crate::isa::{Arg, Insn, Wide};
use crate::prune::{cone, observed_roots};
use crate::words::nwords;
use ir::Op;
use std::collections::HashMap;

/// No lane slot (the node is never evaluated by the lane engine).
const NONE: u32 = u32::MAX;

/// Instructions and port tables of one [`Program`] rewritten over a lane
/// arena layout.
pub(crate) struct LaneLayout {
    /// Words of the lane arena.
    pub words: usize,
    /// Lane arena word of each scalar arena word (`NONE` where the word's
    /// node has no lane slot).
    pub map: Vec<u32>,
    /// Per node: whether its value may be read after [`crate::Lanes::eval`]
    /// (it has a slot nobody else writes).
    pub kept: Vec<bool>,
    /// Every instruction a run with coverage evaluates, over the lane arena.
    pub insns: Vec<Insn>,
    /// The instructions a run without coverage evaluates.
    pub core: Vec<Insn>,
    /// `Program::parts` over the lane arena.
    pub parts: Vec<(u32, u32)>,
    /// Wide instructions of `insns` (`Insn::Wide(i)` is `wides[i]`), with
    /// their arena operands and result over the lane arena.
    pub wides: Vec<(Wide, Vec<Arg>, u32)>,
    /// `Program::reg_moves` over the lane arena.
    pub reg_moves: Vec<(u32, u32)>,
    /// Per memory, per write port: enable, address and data slots.
    pub writes: Vec<Vec<(u32, Arg, u32)>>,
}

impl LaneLayout {
    /// The scalar layout itself: every node keeps its slot and value.
    pub fn full(prog: &Program) -> LaneLayout {
        let d = &prog.design;
        let map: Vec<u32> = (0..prog.arena0.len() as u32).collect();
        let all = vec![true; d.nodes.len()];
        Self::over(prog, map, all.clone(), &all, &crate::prune::needed(d))
    }

    /// The compact layout (see the module doc); with `coverage`, branch
    /// conditions are kept and computed too, else neither.
    pub fn compact(prog: &Program, coverage: bool) -> LaneLayout {
        let d = &prog.design;
        let n = d.nodes.len();
        let branches = || d.branches.iter().map(|b| b.cond).filter(move |_| coverage);
        let mut kept = vec![false; n];
        for (i, node) in d.nodes.iter().enumerate() {
            if matches!(node.op, Op::Const(_) | Op::Input(_) | Op::Reg(_)) {
                kept[i] = true;
            }
        }
        for id in observed_roots(d).chain(branches()) {
            kept[id.index()] = true;
        }
        let core = cone(d, observed_roots(d));
        let full = cone(d, observed_roots(d).chain(branches()));
        // The last node (in topological order) that reads each node.
        let mut last = vec![0usize; n];
        for (i, node) in d.nodes.iter().enumerate() {
            if full[i] {
                for a in node.op.operands() {
                    last[a.index()] = i;
                }
            }
        }
        let mut base = vec![NONE; n];
        let mut next = 0u32;
        for (i, node) in d.nodes.iter().enumerate() {
            if kept[i] {
                base[i] = next;
                next += nwords(node.width) as u32;
            }
        }
        // Temporaries: free slots by size, reused last-freed first (the
        // slot most likely still in L1).
        let mut free: HashMap<usize, Vec<u32>> = HashMap::new();
        for (i, node) in d.nodes.iter().enumerate() {
            if !full[i] {
                continue;
            }
            if !kept[i] {
                let size = nwords(node.width);
                base[i] = match free.get_mut(&size).and_then(|v| v.pop()) {
                    Some(s) => s,
                    None => {
                        next += size as u32;
                        next - size as u32
                    }
                };
            }
            // Free the operands this node reads last, after its own slot is
            // taken (an instruction never writes a slot it still reads).
            let mut ops = node.op.operands();
            ops.sort_unstable();
            ops.dedup();
            for a in ops {
                let ai = a.index();
                if !kept[ai] && last[ai] == i {
                    free.entry(nwords(d.nodes[ai].width))
                        .or_default()
                        .push(base[ai]);
                }
            }
        }
        let mut map = vec![NONE; prog.arena0.len()];
        for (i, node) in d.nodes.iter().enumerate() {
            if base[i] != NONE {
                let s = prog.slot[i] as usize;
                for k in 0..nwords(node.width) {
                    map[s + k] = base[i] + k as u32;
                }
            }
        }
        Self::over(prog, map, kept, &full, &core)
    }

    /// Rewrite `prog` over the word map `map`, keeping the instructions of
    /// the nodes in `full` (all of them) and `core` (the pruned list).
    fn over(
        prog: &Program,
        map: Vec<u32>,
        kept: Vec<bool>,
        full: &[bool],
        core: &[bool],
    ) -> LaneLayout {
        let m = |s: u32| map[s as usize];
        let mut wides = Vec::new();
        let mut insns = Vec::new();
        let mut core_insns = Vec::new();
        for (insn, &node) in prog.insns.iter().zip(&prog.insn_node) {
            if !full[node] {
                continue;
            }
            let lane = match *insn {
                Insn::Wide(i) => {
                    let w = &prog.wides[i as usize];
                    let args = w
                        .args
                        .iter()
                        .map(|a| Arg {
                            slot: m(a.slot),
                            width: a.width,
                        })
                        .collect();
                    wides.push((w.clone(), args, m(w.d)));
                    Insn::Wide(wides.len() as u32 - 1)
                }
                other => other.map_slots(m),
            };
            insns.push(lane);
            if core[node] {
                core_insns.push(lane);
            }
        }
        let parts = prog.parts.iter().map(|&(s, w)| (m(s), w)).collect();
        let reg_moves = prog.reg_moves.iter().map(|&(n, r)| (m(n), m(r))).collect();
        let writes = prog
            .mems
            .iter()
            .map(|mi| {
                mi.writes
                    .iter()
                    .map(|w| {
                        let addr = Arg {
                            slot: m(w.addr.slot),
                            width: w.addr.width,
                        };
                        (m(w.en), addr, m(w.data))
                    })
                    .collect()
            })
            .collect();
        let words = map
            .iter()
            .filter(|&&w| w != NONE)
            .max()
            .map_or(0, |&w| w as usize + 1);
        LaneLayout {
            words,
            map,
            kept,
            insns,
            core: core_insns,
            parts,
            wides,
            reg_moves,
            writes,
        }
    }
}
