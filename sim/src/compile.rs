//! Compile a [`Design`] once into a flat program over a value arena.
//!
//! Every node owns `ceil(width/64)` consecutive words of the arena (its
//! slot). Constants are stored in the initial arena, inputs and register
//! outputs are written by the engine, and every other node becomes one
//! instruction. Nodes whose result and operands are all <= 64 bits get a
//! compact narrow instruction; anything touching a wider value goes through
//! the general multi-word path ([`Wide`]).

use crate::isa::{Arg, Insn, MemInfo, Wide, WideOp, WritePort};
use crate::words::{mask64, nwords};
use crate::SimError;
use ir::{BinOp, Design, NodeId, Op, UnOp};

/// A register: its arena slot, the slot of its next value, its width.
pub(crate) struct RegInfo {
    pub slot: u32,
    pub next: u32,
    pub width: u32,
}

/// A design compiled for simulation: the compiler's output and nothing
/// else (what a back end derives from it, such as native code, the pruned
/// instruction list or a lane layout, the back end keeps itself).
/// Immutable and shareable between threads.
pub struct Program {
    pub design: Design,
    /// Every node's instruction, in node (topological) order.
    pub(crate) insns: Vec<Insn>,
    /// Node index of each instruction of `insns` (what [`crate::prune`] and
    /// [`crate::layout`] select instructions by).
    pub(crate) insn_node: Vec<usize>,
    /// Operands of the wide instructions (`Insn::Wide(i)` is `wides[i]`).
    pub(crate) wides: Vec<Wide>,
    /// Arena word index of each node.
    pub(crate) slot: Vec<u32>,
    /// The arena with constants filled in and everything else zero.
    pub(crate) arena0: Vec<u64>,
    /// (slot, width) of narrow concat parts, most significant first.
    pub(crate) parts: Vec<(u32, u32)>,
    pub(crate) regs: Vec<RegInfo>,
    pub(crate) mems: Vec<MemInfo>,
    /// Per register word: (arena word of the next value, arena word of the
    /// register), in register order (the clock edge copies word by word:
    /// slice copies of one or two words cost a `memmove` call each).
    pub(crate) reg_moves: Vec<(u32, u32)>,
    /// The moves of `reg_moves` whose next value is itself a register's
    /// word (`b <= a`): the clock edge reads them before writing any
    /// register. A register that holds (`r <= r`) moves nothing.
    pub(crate) staged_moves: Vec<(u32, u32)>,
    /// The other moves: no register is their source, so the edge copies
    /// them straight, in any order.
    pub(crate) direct_moves: Vec<(u32, u32)>,
}

/// Register word moves: (arena word of the next value, of the register).
pub(crate) type Moves = Vec<(u32, u32)>;

/// `reg_moves` split into the moves that must be staged and those that
/// need not (`Program::staged_moves`, `Program::direct_moves`).
pub(crate) fn split_moves(reg_moves: &[(u32, u32)]) -> (Moves, Moves) {
    let dests: std::collections::HashSet<u32> = reg_moves.iter().map(|&(_, r)| r).collect();
    reg_moves
        .iter()
        .filter(|&&(n, r)| n != r)
        .partition(|&&(n, _)| dests.contains(&n))
}

impl Program {
    /// Compile a design. Fails only on a design that breaks the IR invariants.
    pub fn compile(design: &Design) -> Result<Program, SimError> {
        design.validate().map_err(SimError::InvalidDesign)?;
        let mut slot = Vec::with_capacity(design.nodes.len());
        let mut next = 0u32;
        for n in &design.nodes {
            slot.push(next);
            next = next
                .checked_add(nwords(n.width) as u32)
                .ok_or_else(|| SimError::InvalidDesign("design too large".into()))?;
        }
        let mut arena0 = vec![0u64; next as usize];
        let mut insns = Vec::new();
        // Node index of each instruction (for pruning).
        let mut insn_node = Vec::new();
        let mut wides = Vec::new();
        let mut parts = Vec::new();
        let w = |id: NodeId| design.nodes[id.index()].width;
        let s = |id: NodeId| slot[id.index()];
        // Value of a constant node of at most 64 bits (operands folded into
        // immediate instructions).
        let konst = |id: NodeId| match &design.nodes[id.index()].op {
            Op::Const(b) if b.width() <= 64 => Some(b.to_words()[0]),
            _ => None,
        };
        for (i, n) in design.nodes.iter().enumerate() {
            let d = slot[i];
            let width = n.width;
            let narrow = width <= 64 && n.op.operands().iter().all(|a| w(*a) <= 64);
            let m = mask64(width);
            let insn = match &n.op {
                Op::Const(b) => {
                    let words = b.to_words();
                    arena0[d as usize..d as usize + words.len()].copy_from_slice(&words);
                    continue;
                }
                Op::Input(_) | Op::Reg(_) => continue,
                _ if !narrow => {
                    let args =
                        n.op.operands()
                            .iter()
                            .map(|a| Arg {
                                slot: s(*a),
                                width: w(*a),
                            })
                            .collect();
                    let op = match &n.op {
                        Op::Binary(o, _, _) => WideOp::Bin(*o),
                        Op::Unary(o, _) => WideOp::Un(*o),
                        Op::Mux { .. } => WideOp::Mux,
                        Op::Concat(_) => WideOp::Concat,
                        Op::Slice { lo, .. } => WideOp::Slice(*lo),
                        Op::Zext(_) => WideOp::Zext,
                        Op::Sext(_) => WideOp::Sext,
                        Op::MemRead { mem, .. } => WideOp::MemRead(mem.0),
                        Op::Const(_) | Op::Input(_) | Op::Reg(_) => {
                            unreachable!("leaves handled above")
                        }
                    };
                    wides.push(Wide { op, d, width, args });
                    Insn::Wide(wides.len() as u32 - 1)
                }
                Op::MemRead { mem, addr } => Insn::MemRead {
                    d,
                    mem: mem.0,
                    addr: s(*addr),
                },
                Op::Unary(o, a) => {
                    let a = s(*a);
                    match o {
                        UnOp::Not => Insn::Not { d, a, m },
                        UnOp::Neg => Insn::Neg { d, a, m },
                        UnOp::RedAnd => Insn::RedAnd {
                            d,
                            a,
                            m: mask64(w(n.op.operands()[0])),
                        },
                        UnOp::RedOr => Insn::RedOr { d, a },
                        UnOp::RedXor => Insn::RedXor { d, a },
                    }
                }
                Op::Binary(o, a0, b0) => {
                    match immediate(*o, d, (s(*a0), konst(*a0)), (s(*b0), konst(*b0)), w(*a0), m) {
                        Some(insn) => insn,
                        None => binary(*o, d, s(*a0), s(*b0), w(*a0), m),
                    }
                }
                Op::Mux { sel, t, f } => Insn::Mux {
                    d,
                    s: s(*sel),
                    t: s(*t),
                    f: s(*f),
                },
                Op::Concat(v) => {
                    let start = parts.len() as u32;
                    parts.extend(v.iter().map(|p| (s(*p), w(*p))));
                    Insn::Concat {
                        d,
                        start,
                        len: v.len() as u32,
                    }
                }
                Op::Slice { arg, lo } => Insn::Slice {
                    d,
                    a: s(*arg),
                    lo: *lo,
                    m,
                },
                Op::Zext(a) => Insn::Copy { d, a: s(*a) },
                Op::Sext(a) => Insn::Sext {
                    d,
                    a: s(*a),
                    w: w(*a),
                    m,
                },
            };
            insns.push(insn);
            insn_node.push(i);
        }
        let regs: Vec<RegInfo> = design
            .regs
            .iter()
            .map(|r| RegInfo {
                slot: s(r.node),
                next: s(r.next),
                width: r.width,
            })
            .collect();
        let reg_moves: Vec<(u32, u32)> = regs
            .iter()
            .flat_map(|r| (0..nwords(r.width) as u32).map(move |k| (r.next + k, r.slot + k)))
            .collect();
        let (staged_moves, direct_moves) = split_moves(&reg_moves);
        let mems = design
            .mems
            .iter()
            .map(|m| MemInfo {
                width: m.width,
                depth: m.depth,
                writes: m
                    .writes
                    .iter()
                    .map(|wp| WritePort {
                        en: s(wp.en),
                        addr: Arg {
                            slot: s(wp.addr),
                            width: w(wp.addr),
                        },
                        data: s(wp.data),
                    })
                    .collect(),
            })
            .collect();
        Ok(Program {
            design: design.clone(),
            insns,
            insn_node,
            wides,
            slot,
            arena0,
            parts,
            regs,
            mems,
            staged_moves,
            direct_moves,
            reg_moves,
        })
    }

    /// Number of compiled instructions (for statistics).
    pub fn len(&self) -> usize {
        self.insns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.insns.is_empty()
    }
}

/// A narrow binary operation over two arena slots.
fn binary(o: BinOp, d: u32, a: u32, b: u32, aw: u32, m: u64) -> Insn {
    match o {
        BinOp::Add => Insn::Add { d, a, b, m },
        BinOp::Sub => Insn::Sub { d, a, b, m },
        BinOp::Mul => Insn::Mul { d, a, b, m },
        BinOp::Udiv => Insn::Udiv { d, a, b },
        BinOp::Urem => Insn::Urem { d, a, b },
        BinOp::Sdiv => Insn::Sdiv { d, a, b, w: aw },
        BinOp::Srem => Insn::Srem { d, a, b, w: aw },
        BinOp::And => Insn::And { d, a, b },
        BinOp::Or => Insn::Or { d, a, b },
        BinOp::Xor => Insn::Xor { d, a, b },
        BinOp::Shl => Insn::Shl { d, a, b, w: aw },
        BinOp::Lshr => Insn::Lshr { d, a, b, w: aw },
        BinOp::Ashr => Insn::Ashr { d, a, b, w: aw },
        BinOp::Eq => Insn::Eq { d, a, b },
        BinOp::Ne => Insn::Ne { d, a, b },
        BinOp::Ult => Insn::Ult { d, a, b },
        BinOp::Ule => Insn::Ule { d, a, b },
        BinOp::Slt => Insn::Slt { d, a, b, w: aw },
        BinOp::Sle => Insn::Sle { d, a, b, w: aw },
    }
}

/// The immediate form of a narrow binary operation with one constant
/// operand (`(slot, Some(value))`), if it has one. Saves a load per
/// instruction (per lane in [`crate::Lanes`]) and, for constant shifts, the
/// range check. Results are the formulas of [`binary`] with the constant
/// substituted; `aw` is the first operand's width, `m` the result mask.
fn immediate(
    o: BinOp,
    d: u32,
    (a, ka): (u32, Option<u64>),
    (b, kb): (u32, Option<u64>),
    aw: u32,
    m: u64,
) -> Option<Insn> {
    // Commutative operations: the constant may be on either side.
    let comm = match (ka, kb) {
        (_, Some(k)) => Some((a, k)),
        (Some(k), None) => Some((b, k)),
        (None, None) => None,
    };
    Some(match o {
        BinOp::And => {
            let (a, k) = comm?;
            Insn::AndI { d, a, k }
        }
        BinOp::Or => {
            let (a, k) = comm?;
            Insn::OrI { d, a, k }
        }
        BinOp::Xor => {
            let (a, k) = comm?;
            Insn::XorI { d, a, k }
        }
        BinOp::Add => {
            let (a, k) = comm?;
            Insn::AddI { d, a, k, m }
        }
        BinOp::Eq => {
            let (a, k) = comm?;
            Insn::EqI { d, a, k }
        }
        BinOp::Ne => {
            let (a, k) = comm?;
            Insn::NeI { d, a, k }
        }
        // a - k == a + (2^64 - k) modulo 2^64, then masked to the width.
        BinOp::Sub => Insn::AddI {
            d,
            a,
            k: kb?.wrapping_neg(),
            m,
        },
        BinOp::Shl => {
            let sh = kb?;
            if sh >= aw as u64 {
                Insn::SetI { d, k: 0 }
            } else {
                Insn::ShlI {
                    d,
                    a,
                    sh: sh as u32,
                    m: mask64(aw),
                }
            }
        }
        BinOp::Lshr => {
            let sh = kb?;
            if sh >= aw as u64 {
                Insn::SetI { d, k: 0 }
            } else {
                Insn::Slice {
                    d,
                    a,
                    lo: sh as u32,
                    m: u64::MAX,
                }
            }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ir::builder::Builder;
    use ir::Span;

    /// The instruction selected for `x op k` and `k op x` (8-bit `x`).
    fn selected(op: BinOp, kw: u32, k: u64, const_left: bool) -> Insn {
        let mut b = Builder::new("t");
        let x = b.input("x", 8, false, Span::NONE);
        let k = b.const_u64(kw, k);
        let r = if const_left {
            b.binary(op, k, x)
        } else {
            b.binary(op, x, k)
        };
        b.output("r", r, false, Span::NONE);
        let p = Program::compile(&b.finish().unwrap()).unwrap();
        assert_eq!(p.insns.len(), 1);
        p.insns[0]
    }

    #[test]
    fn constant_operands_select_immediates() {
        for left in [false, true] {
            assert!(matches!(
                selected(BinOp::And, 8, 0x0f, left),
                Insn::AndI { k: 0x0f, .. }
            ));
            assert!(matches!(
                selected(BinOp::Or, 8, 3, left),
                Insn::OrI { k: 3, .. }
            ));
            assert!(matches!(
                selected(BinOp::Xor, 8, 7, left),
                Insn::XorI { k: 7, .. }
            ));
            assert!(matches!(
                selected(BinOp::Add, 8, 1, left),
                Insn::AddI { k: 1, m: 0xff, .. }
            ));
            assert!(matches!(
                selected(BinOp::Eq, 8, 9, left),
                Insn::EqI { k: 9, .. }
            ));
            assert!(matches!(
                selected(BinOp::Ne, 8, 9, left),
                Insn::NeI { k: 9, .. }
            ));
        }
        // Not commutative: only a constant on the right has an immediate form.
        assert!(matches!(
            selected(BinOp::Sub, 8, 1, false),
            Insn::AddI { k: u64::MAX, .. }
        ));
        assert!(matches!(selected(BinOp::Sub, 8, 1, true), Insn::Sub { .. }));
        assert!(matches!(
            selected(BinOp::Shl, 32, 1, true),
            Insn::Shl { .. }
        ));
        assert!(matches!(
            selected(BinOp::Ult, 8, 1, false),
            Insn::Ult { .. }
        ));
        // Constant shifts, amount of another width than the value.
        assert!(matches!(
            selected(BinOp::Shl, 32, 3, false),
            Insn::ShlI { sh: 3, m: 0xff, .. }
        ));
        assert!(matches!(
            selected(BinOp::Lshr, 32, 7, false),
            Insn::Slice { lo: 7, .. }
        ));
        // Shifting everything out is the constant 0.
        assert!(matches!(
            selected(BinOp::Shl, 32, 8, false),
            Insn::SetI { k: 0, .. }
        ));
        assert!(matches!(
            selected(BinOp::Lshr, 4, 9, false),
            Insn::SetI { k: 0, .. }
        ));
        // Arithmetic shifts keep the sign: no immediate form.
        assert!(matches!(
            selected(BinOp::Ashr, 32, 9, false),
            Insn::Ashr { .. }
        ));
    }
}
