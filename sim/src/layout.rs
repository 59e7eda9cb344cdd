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
//! that only named signals read, which no lane run observes, and, without
//! coverage, the registers only such logic reads (`crate::prune::live`):
//! they have no slot and the clock edge moves nothing into them.
//!
//! Over the compact layout, one-bit logic runs packed ([`LOp`]): the
//! values of a one-bit node in all lanes are one word of a separate bit
//! arena (bit `l` = lane `l`), so an AND, OR, XOR, NOT or one-bit mux of
//! all lanes is one word operation instead of a loop over `L` words. A
//! value crosses between the two forms only where it must: `Pack` where a
//! one-bit value computed per lane (a comparison, a register, an input)
//! feeds packed logic, `Unpack` where a packed value is observed (a kept
//! node: register next value, output, property...) or read by a per-lane
//! instruction. A one-bit test (a comparison, a one-bit slice, a
//! reduction) whose row nothing reads writes its bits straight into the
//! bit arena (`Test`), without the row and the `Pack`. Results are the same
//! bits: packing changes where a bit is stored, not what is computed.

use crate::compile::Program;
use crate::isa::{Arg, Insn, Wide};
use crate::prune::{cone, live, live_regs, observed_roots};
use crate::words::nwords;
use ir::{BinOp, Design, Op, UnOp};
use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, Weak};

/// One step of the lane engine's loop: an instruction over rows (`Row`,
/// slots of the lane arena), or an operation over the bit arena (`d`, `a`,
/// `b`, `s`, `t`, `f` index bit words; see the module doc).
#[derive(Clone, Copy, Debug)]
pub(crate) enum LOp {
    Row(Insn),
    And {
        d: u32,
        a: u32,
        b: u32,
    },
    Or {
        d: u32,
        a: u32,
        b: u32,
    },
    Xor {
        d: u32,
        a: u32,
        b: u32,
    },
    /// `!(a ^ b)`: one-bit equality.
    Xnor {
        d: u32,
        a: u32,
        b: u32,
    },
    Not {
        d: u32,
        a: u32,
    },
    Mux {
        d: u32,
        s: u32,
        t: u32,
        f: u32,
    },
    /// Every lane the same bit (`k` is 0 or all ones): a one-bit constant.
    Set {
        d: u32,
        k: u64,
    },
    /// `Insn::Mux` of rows `t` and `f` into row `d` with its select from
    /// bit word `s`.
    MuxBits {
        d: u32,
        s: u32,
        t: u32,
        f: u32,
    },
    /// Bit 0 of every lane of row `a` into bit word `d`.
    Pack {
        d: u32,
        a: u32,
    },
    /// Bit word `a` into row `d` (each lane 0 or 1).
    Unpack {
        d: u32,
        a: u32,
    },
    /// A one-bit test of rows straight into bit word `d`, for a result
    /// only packed logic reads (no row written, then packed again).
    Test {
        d: u32,
        t: Test,
    },
}

/// The tests [`LOp::Test`] computes per lane (the instruction's formula:
/// `Insn::EqI`, `Insn::Ne`, ..., `Insn::Slice` of one bit).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Test {
    EqI {
        a: u32,
        k: u64,
    },
    NeI {
        a: u32,
        k: u64,
    },
    Eq {
        a: u32,
        b: u32,
    },
    Ne {
        a: u32,
        b: u32,
    },
    Ult {
        a: u32,
        b: u32,
    },
    Ule {
        a: u32,
        b: u32,
    },
    /// `(a >> lo) & 1`.
    Bit {
        a: u32,
        lo: u32,
    },
    RedOr {
        a: u32,
    },
    /// `a == m` (`m`: the operand's all-ones value).
    RedAnd {
        a: u32,
        m: u64,
    },
}

impl Test {
    /// The test `insn` computes, when its result is one bit.
    fn of(insn: &Insn) -> Option<Test> {
        Some(match *insn {
            Insn::EqI { a, k, .. } => Test::EqI { a, k },
            Insn::NeI { a, k, .. } => Test::NeI { a, k },
            Insn::Eq { a, b, .. } => Test::Eq { a, b },
            Insn::Ne { a, b, .. } => Test::Ne { a, b },
            Insn::Ult { a, b, .. } => Test::Ult { a, b },
            Insn::Ule { a, b, .. } => Test::Ule { a, b },
            Insn::Slice { a, lo, m: 1, .. } => Test::Bit { a, lo },
            Insn::RedOr { a, .. } => Test::RedOr { a },
            Insn::RedAnd { a, m, .. } => Test::RedAnd { a, m },
            _ => return None,
        })
    }
}

/// A one-bit node the packed form computes: its operation over one-bit
/// operands (`Alias`: the operand's bits themselves).
enum BitOp {
    And(usize, usize),
    Or(usize, usize),
    Xor(usize, usize),
    Xnor(usize, usize),
    Not(usize),
    Mux(usize, usize, usize),
    Alias(usize),
}

/// The packed form of node `i`, when it is one-bit logic over one-bit
/// operands.
fn bit_op(d: &Design, i: usize) -> Option<BitOp> {
    let node = &d.nodes[i];
    let one = |id: &ir::NodeId| d.nodes[id.index()].width == 1;
    if node.width != 1 || !node.op.operands().iter().all(one) {
        return None;
    }
    Some(match &node.op {
        Op::Binary(o, a, b) => {
            let (a, b) = (a.index(), b.index());
            match o {
                BinOp::And => BitOp::And(a, b),
                BinOp::Or => BitOp::Or(a, b),
                BinOp::Xor | BinOp::Ne => BitOp::Xor(a, b),
                BinOp::Eq => BitOp::Xnor(a, b),
                _ => return None,
            }
        }
        Op::Unary(UnOp::Not, a) => BitOp::Not(a.index()),
        Op::Unary(UnOp::RedAnd | UnOp::RedOr | UnOp::RedXor, a) => BitOp::Alias(a.index()),
        Op::Mux { sel, t, f } => BitOp::Mux(sel.index(), t.index(), f.index()),
        Op::Zext(a) | Op::Sext(a) => BitOp::Alias(a.index()),
        Op::Slice { arg, lo: 0 } => BitOp::Alias(arg.index()),
        _ => return None,
    })
}

/// The lane engine's steps for `list` (lane instructions with their nodes,
/// in order) with one-bit logic packed (see the module doc); bit words are
/// numbered from `*bits` on. `row_readers[i]`: node `i` must have its row
/// (it is kept, or an instruction of `list` that is not packed reads it).
/// `bit_of[i]` is set to the bit word of each kept node packed logic
/// computes (see [`LaneLayout::bit_of`]).
fn pack_plan(
    prog: &Program,
    map: &[u32],
    kept: &[bool],
    list: &[(Insn, usize)],
    bits: &mut u32,
    bit_of: &mut [u32],
) -> Vec<LOp> {
    let d = &prog.design;
    let packed: HashMap<usize, BitOp> = list
        .iter()
        .filter_map(|&(_, i)| bit_op(d, i).map(|b| (i, b)))
        .collect();
    // A per-lane mux whose select is packed logic reads the select's bits
    // (`MuxBits`), not its row.
    let bit_select = |insn: &Insn, i: usize| match (insn, &d.nodes[i].op) {
        (Insn::Mux { .. }, Op::Mux { sel, t, f }) => {
            packed.contains_key(&sel.index()) && sel != t && sel != f
        }
        _ => false,
    };
    let mut row_needed = kept.to_vec();
    for &(insn, i) in list {
        if !packed.contains_key(&i) {
            let sel = bit_select(&insn, i).then(|| d.nodes[i].op.operands()[0]);
            for a in d.nodes[i].op.operands() {
                if Some(a) != sel {
                    row_needed[a.index()] = true;
                }
            }
        }
    }
    let row = |i: usize| map[prog.slot[i] as usize];
    let mut word: HashMap<usize, u32> = HashMap::new();
    let mut ops = Vec::with_capacity(list.len());
    let fresh = |bits: &mut u32| {
        *bits += 1;
        *bits - 1
    };
    // The bit word of operand `a`: its packed result, or packed here from
    // its row (a constant is a `Set`).
    let operand = |a: usize, ops: &mut Vec<LOp>, word: &mut HashMap<usize, u32>, bits: &mut u32| {
        if let Some(&w) = word.get(&a) {
            return w;
        }
        let w = fresh(bits);
        match &d.nodes[a].op {
            Op::Const(c) => ops.push(LOp::Set {
                d: w,
                k: if c.to_words()[0] & 1 == 1 {
                    u64::MAX
                } else {
                    0
                },
            }),
            _ => ops.push(LOp::Pack { d: w, a: row(a) }),
        }
        word.insert(a, w);
        w
    };
    for &(insn, i) in list {
        let Some(b) = packed.get(&i) else {
            let test = (d.nodes[i].width == 1 && !row_needed[i])
                .then(|| Test::of(&insn))
                .flatten();
            match (insn, &d.nodes[i].op) {
                (Insn::Mux { d, t, f, .. }, Op::Mux { sel, .. }) if bit_select(&insn, i) => {
                    let s = word[&sel.index()];
                    ops.push(LOp::MuxBits { d, s, t, f });
                }
                _ => match test {
                    // Only packed logic reads it: test straight into bits.
                    Some(t) => {
                        let w = fresh(bits);
                        ops.push(LOp::Test { d: w, t });
                        word.insert(i, w);
                    }
                    None => ops.push(LOp::Row(insn)),
                },
            }
            continue;
        };
        let mut o = |a: usize, ops: &mut Vec<LOp>| operand(a, ops, &mut word, bits);
        let op = match *b {
            BitOp::Alias(a) => Err(o(a, &mut ops)),
            BitOp::Not(a) => Ok((0, o(a, &mut ops), 0, 0)),
            BitOp::And(a, b) => Ok((1, o(a, &mut ops), o(b, &mut ops), 0)),
            BitOp::Or(a, b) => Ok((2, o(a, &mut ops), o(b, &mut ops), 0)),
            BitOp::Xor(a, b) => Ok((3, o(a, &mut ops), o(b, &mut ops), 0)),
            BitOp::Xnor(a, b) => Ok((4, o(a, &mut ops), o(b, &mut ops), 0)),
            BitOp::Mux(s, t, f) => Ok((5, o(s, &mut ops), o(t, &mut ops), o(f, &mut ops))),
        };
        let w = match op {
            Err(alias) => alias,
            Ok((kind, a, b, c)) => {
                let d = *bits;
                *bits += 1;
                ops.push(match kind {
                    0 => LOp::Not { d, a },
                    1 => LOp::And { d, a, b },
                    2 => LOp::Or { d, a, b },
                    3 => LOp::Xor { d, a, b },
                    4 => LOp::Xnor { d, a, b },
                    _ => LOp::Mux {
                        d,
                        s: a,
                        t: b,
                        f: c,
                    },
                });
                d
            }
        };
        word.insert(i, w);
        if row_needed[i] {
            ops.push(LOp::Unpack { d: row(i), a: w });
        }
        if kept[i] {
            bit_of[i] = w;
        }
    }
    ops
}

/// No lane slot (the node is never evaluated by the lane engine).
pub(crate) const NONE: u32 = u32::MAX;

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
    /// The steps of the lane loop: every instruction a run with coverage
    /// evaluates (`ops`), and the instructions a run without coverage
    /// evaluates (`core_ops`), over the lane arena, with one-bit logic
    /// packed over the compact layout.
    pub ops: Vec<LOp>,
    pub core_ops: Vec<LOp>,
    /// Words of the bit arena the packed steps use.
    pub bit_words: usize,
    /// Per node: the bit word holding its value after `ops` ran, for the
    /// kept nodes packed logic computes (`NONE` for the others, and for
    /// all under `core_ops`, whose words are numbered apart). Coverage
    /// reads a branch condition's lanes there as one word instead of
    /// packing its row again. The word is written only by the node's own
    /// step (bit words are never reused), so it holds the same bits as
    /// the row until the next evaluation.
    pub bit_of: Vec<u32>,
    /// `Program::parts` over the lane arena.
    pub parts: Vec<(u32, u32)>,
    /// Wide instructions of `insns` (`Insn::Wide(i)` is `wides[i]`), with
    /// their arena operands and result over the lane arena.
    pub wides: Vec<(Wide, Vec<Arg>, u32)>,
    /// The moves of `Program::reg_moves` over the lane arena (next value,
    /// register) whose next value is
    /// itself a register's slot (a shift register's `b <= a`): their
    /// sources must be read before any register is written, so the clock
    /// edge stages them.
    pub staged_moves: Vec<(u32, u32)>,
    /// The other moves: their sources are no register's slot, so the edge
    /// copies them straight, in any order, without staging (at 64 lanes a
    /// staging copy is a 512-byte row each way).
    pub direct_moves: Vec<(u32, u32)>,
    /// Per memory, per write port: enable, address and data slots.
    pub writes: Vec<Vec<(u32, Arg, u32)>>,
    /// Native code of `ops` and `core_ops` (`crate::lane_jit`).
    pub native: NativeSlot,
}

/// Where `crate::lane_jit` keeps a layout's native code (it sits above this
/// module, so the code is held type-erased): how often each list (`ops`,
/// `core_ops`) was evaluated, and the code compiled per (lane count, core
/// list), `None` where compiling failed.
#[derive(Default)]
pub(crate) struct NativeSlot {
    pub evals: [AtomicU64; 2],
    pub code: Mutex<NativeCodes>,
}

pub(crate) type NativeCodes = Vec<(usize, bool, Option<Arc<dyn Any + Send + Sync>>)>;

impl LaneLayout {
    /// The scalar layout itself: every node keeps its slot and value.
    pub fn full(prog: &Program) -> LaneLayout {
        let d = &prog.design;
        let map: Vec<u32> = (0..prog.arena0.len() as u32).collect();
        let all = vec![true; d.nodes.len()];
        Self::over(
            prog,
            map,
            all.clone(),
            &all,
            &live(d),
            prog.reg_moves.clone(),
            false,
        )
    }

    /// The compact layout (see the module doc); with `coverage`, branch
    /// conditions are kept and computed too, else neither.
    pub fn compact(prog: &Program, coverage: bool) -> LaneLayout {
        let d = &prog.design;
        let n = d.nodes.len();
        // With coverage every register is sampled (toggles), so every one
        // is computed; without, only the live ones (`prune::live`): the
        // others are neither computed nor kept, and the edge moves nothing
        // into them.
        let (core, full, reg_live) = if coverage {
            let branches = d.branches.iter().map(|b| b.cond);
            let full = cone(d, observed_roots(d).chain(branches));
            (cone(d, observed_roots(d)), full, vec![true; d.regs.len()])
        } else {
            let l = live(d);
            let regs = live_regs(d, &l);
            (l.clone(), l, regs)
        };
        let mut kept = vec![false; n];
        for (i, node) in d.nodes.iter().enumerate() {
            kept[i] = match node.op {
                Op::Const(_) | Op::Input(_) => true,
                Op::Reg(r) => reg_live[r.index()],
                _ => false,
            };
        }
        let branches = d.branches.iter().map(|b| b.cond).filter(|_| coverage);
        // Every observed root is in `full` but the next values of registers
        // that are not live.
        for id in observed_roots(d).filter(|id| full[id.index()]) {
            kept[id.index()] = true;
        }
        for id in branches {
            kept[id.index()] = true;
        }
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
        let moves = d
            .regs
            .iter()
            .zip(&prog.regs)
            .zip(&reg_live)
            .filter(|(_, &l)| l)
            .flat_map(|((r, info), _)| {
                (0..nwords(r.width) as u32).map(move |k| (info.next + k, info.slot + k))
            })
            .map(|(n, r)| (map[n as usize], map[r as usize]))
            .collect();
        Self::over(prog, map, kept, &full, &core, moves, true)
    }

    /// [`LaneLayout::compact`] of `prog`, made once per program and
    /// `coverage` and shared while the program lives: closure episodes make
    /// a batch of lanes many times over, and batches that share a layout
    /// share its native code (`crate::lane_jit`).
    pub fn compact_shared(prog: &Arc<Program>, coverage: bool) -> Arc<LaneLayout> {
        type Made = Vec<(Weak<Program>, bool, Arc<LaneLayout>)>;
        static MADE: Mutex<Made> = Mutex::new(Vec::new());
        let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
        // A dropped program's layouts go (its address may be reused).
        made.retain(|(p, _, _)| p.strong_count() > 0);
        let same = |(p, c, _): &&(Weak<Program>, bool, Arc<LaneLayout>)| {
            *c == coverage && std::ptr::eq(p.as_ptr(), Arc::as_ptr(prog))
        };
        if let Some((_, _, l)) = made.iter().find(same) {
            return Arc::clone(l);
        }
        let l = Arc::new(LaneLayout::compact(prog, coverage));
        made.push((Arc::downgrade(prog), coverage, Arc::clone(&l)));
        l
    }

    /// Rewrite `prog` over the word map `map`, keeping the instructions of
    /// the nodes in `full` (all of them) and `core` (the pruned list), with
    /// the clock edge's `moves` (next value, register: lane arena words);
    /// with `pack`, one-bit logic runs packed (the module doc).
    fn over(
        prog: &Program,
        map: Vec<u32>,
        kept: Vec<bool>,
        full: &[bool],
        core: &[bool],
        reg_moves: Vec<(u32, u32)>,
        pack: bool,
    ) -> LaneLayout {
        let m = |s: u32| map[s as usize];
        let mut wides = Vec::new();
        let (mut all_nodes, mut core_nodes) = (Vec::new(), Vec::new());
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
            all_nodes.push((lane, node));
            if core[node] {
                core_nodes.push((lane, node));
            }
        }
        let mut bit_of = vec![NONE; kept.len()];
        let (ops, core_ops, bit_words) = if pack {
            let (mut b1, mut b2) = (0, 0);
            let ops = pack_plan(prog, &map, &kept, &all_nodes, &mut b1, &mut bit_of);
            let mut unused = vec![NONE; kept.len()];
            let core_ops = pack_plan(prog, &map, &kept, &core_nodes, &mut b2, &mut unused);
            (ops, core_ops, b1.max(b2) as usize)
        } else {
            let rows = |l: &[(Insn, usize)]| l.iter().map(|&(i, _)| LOp::Row(i)).collect();
            (rows(&all_nodes), rows(&core_nodes), 0)
        };
        let parts = prog.parts.iter().map(|&(s, w)| (m(s), w)).collect();
        let (staged_moves, direct_moves) = crate::compile::split_moves(&reg_moves);
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
            ops,
            core_ops,
            bit_words,
            bit_of,
            parts,
            wides,
            staged_moves,
            direct_moves,
            writes,
            native: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ir::builder::Builder;
    use ir::Span;

    /// One-bit tests that only packed logic reads go straight to bits: no
    /// row, no `Pack` of theirs; a test whose row is observed keeps its row.
    #[test]
    fn tests_read_by_packed_logic_write_bits() {
        let mut b = Builder::new("t");
        let x = b.input("x", 4, false, Span::NONE);
        let y = b.input("y", 1, false, Span::NONE);
        let k = b.konst(ir::Bits::from_u64(4, 3));
        let eq = b.binary(BinOp::Eq, x, k);
        let bit = b.slice(x, 2, 1);
        let both = b.binary(BinOp::And, eq, y);
        let o = b.binary(BinOp::Or, both, bit);
        b.output("o", o, false, Span::NONE);
        let seen = b.binary(BinOp::Ult, x, k);
        b.output("seen", seen, false, Span::NONE);
        let d = b.finish().unwrap();
        let prog = Program::compile(&d).unwrap();
        let l = LaneLayout::compact(&prog, false);
        let tests = l.core_ops.iter().filter(|o| matches!(o, LOp::Test { .. }));
        assert_eq!(tests.count(), 2, "{:?}", l.core_ops);
        // Only the input `y` is packed from its row.
        let packs = l.core_ops.iter().filter(|o| matches!(o, LOp::Pack { .. }));
        assert_eq!(packs.count(), 1, "{:?}", l.core_ops);
        assert!(l
            .core_ops
            .iter()
            .any(|o| matches!(o, LOp::Row(Insn::Ult { .. }))));
    }
}
