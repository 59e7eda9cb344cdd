//! Compile a [`Design`] once into a flat program over a value arena.
//!
//! Every node owns `ceil(width/64)` consecutive words of the arena (its
//! slot). Constants are stored in the initial arena, inputs and register
//! outputs are written by the engine, and every other node becomes one
//! instruction. Nodes whose result and operands are all <= 64 bits get a
//! compact narrow instruction; anything touching a wider value goes through
//! the general multi-word path ([`Wide`]).

use crate::jit::JitCode;
use crate::layout::LaneLayout;
use crate::words::{mask64, nwords};
use crate::SimError;
use ir::{BinOp, Design, NodeId, Op, UnOp};
use std::sync::{Arc, OnceLock};

/// A narrow instruction: `d`, `a`, `b`, `c` are arena word indices of one-word
/// slots; `m` is the result mask; `w` an operand width where needed.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Insn {
    Add {
        d: u32,
        a: u32,
        b: u32,
        m: u64,
    },
    Sub {
        d: u32,
        a: u32,
        b: u32,
        m: u64,
    },
    Mul {
        d: u32,
        a: u32,
        b: u32,
        m: u64,
    },
    Udiv {
        d: u32,
        a: u32,
        b: u32,
    },
    Urem {
        d: u32,
        a: u32,
        b: u32,
    },
    Sdiv {
        d: u32,
        a: u32,
        b: u32,
        w: u32,
    },
    Srem {
        d: u32,
        a: u32,
        b: u32,
        w: u32,
    },
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
    Shl {
        d: u32,
        a: u32,
        b: u32,
        w: u32,
    },
    Lshr {
        d: u32,
        a: u32,
        b: u32,
        w: u32,
    },
    Ashr {
        d: u32,
        a: u32,
        b: u32,
        w: u32,
    },
    Eq {
        d: u32,
        a: u32,
        b: u32,
    },
    Ne {
        d: u32,
        a: u32,
        b: u32,
    },
    Ult {
        d: u32,
        a: u32,
        b: u32,
    },
    Ule {
        d: u32,
        a: u32,
        b: u32,
    },
    Slt {
        d: u32,
        a: u32,
        b: u32,
        w: u32,
    },
    Sle {
        d: u32,
        a: u32,
        b: u32,
        w: u32,
    },
    Not {
        d: u32,
        a: u32,
        m: u64,
    },
    Neg {
        d: u32,
        a: u32,
        m: u64,
    },
    RedAnd {
        d: u32,
        a: u32,
        m: u64,
    },
    RedOr {
        d: u32,
        a: u32,
    },
    RedXor {
        d: u32,
        a: u32,
    },
    Mux {
        d: u32,
        s: u32,
        t: u32,
        f: u32,
    },
    Copy {
        d: u32,
        a: u32,
    },
    Slice {
        d: u32,
        a: u32,
        lo: u32,
        m: u64,
    },
    Sext {
        d: u32,
        a: u32,
        w: u32,
        m: u64,
    },
    /// Narrow concat: parts in `parts[start..start+len]`, most significant first.
    Concat {
        d: u32,
        start: u32,
        len: u32,
    },
    /// Narrow address and data.
    MemRead {
        d: u32,
        mem: u32,
        addr: u32,
    },
    /// `d = a & k` (constant operand folded into the instruction).
    AndI {
        d: u32,
        a: u32,
        k: u64,
    },
    /// `d = a | k`.
    OrI {
        d: u32,
        a: u32,
        k: u64,
    },
    /// `d = a ^ k`.
    XorI {
        d: u32,
        a: u32,
        k: u64,
    },
    /// `d = (a + k) & m` (also `a - c`, as `k = -c`).
    AddI {
        d: u32,
        a: u32,
        k: u64,
        m: u64,
    },
    /// `d = (a == k)`.
    EqI {
        d: u32,
        a: u32,
        k: u64,
    },
    /// `d = (a != k)`.
    NeI {
        d: u32,
        a: u32,
        k: u64,
    },
    /// `d = (a << sh) & m`, shift amount a constant below the operand width.
    ShlI {
        d: u32,
        a: u32,
        sh: u32,
        m: u64,
    },
    /// `d = k` (an operation whose result is constant, e.g. a constant
    /// shift by at least the width).
    SetI {
        d: u32,
        k: u64,
    },
    /// Index into [`Program::wides`].
    Wide(u32),
}

impl Insn {
    /// The same instruction over another arena layout: `f` maps the result
    /// slot and every operand slot (concat parts and wide operands live in
    /// their own tables).
    pub(crate) fn map_slots(mut self, f: impl Fn(u32) -> u32) -> Insn {
        use Insn::*;
        match &mut self {
            Add { d, a, b, .. }
            | Sub { d, a, b, .. }
            | Mul { d, a, b, .. }
            | Udiv { d, a, b }
            | Urem { d, a, b }
            | Sdiv { d, a, b, .. }
            | Srem { d, a, b, .. }
            | And { d, a, b }
            | Or { d, a, b }
            | Xor { d, a, b }
            | Shl { d, a, b, .. }
            | Lshr { d, a, b, .. }
            | Ashr { d, a, b, .. }
            | Eq { d, a, b }
            | Ne { d, a, b }
            | Ult { d, a, b }
            | Ule { d, a, b }
            | Slt { d, a, b, .. }
            | Sle { d, a, b, .. } => {
                *d = f(*d);
                *a = f(*a);
                *b = f(*b);
            }
            Not { d, a, .. }
            | Neg { d, a, .. }
            | RedAnd { d, a, .. }
            | RedOr { d, a }
            | RedXor { d, a }
            | Copy { d, a }
            | Slice { d, a, .. }
            | Sext { d, a, .. }
            | AndI { d, a, .. }
            | OrI { d, a, .. }
            | XorI { d, a, .. }
            | AddI { d, a, .. }
            | EqI { d, a, .. }
            | NeI { d, a, .. }
            | ShlI { d, a, .. }
            | MemRead { d, addr: a, .. } => {
                *d = f(*d);
                *a = f(*a);
            }
            Mux { d, s, t, f: e } => {
                *d = f(*d);
                *s = f(*s);
                *t = f(*t);
                *e = f(*e);
            }
            Concat { d, .. } | SetI { d, .. } => *d = f(*d),
            Wide(_) => {}
        }
        self
    }
}

/// An operand of a wide instruction: slot and width.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Arg {
    pub slot: u32,
    pub width: u32,
}

#[derive(Clone, Debug)]
pub(crate) enum WideOp {
    Bin(BinOp),
    Un(UnOp),
    Mux,
    Concat,
    Slice(u32),
    Zext,
    Sext,
    MemRead(u32),
}

#[derive(Clone, Debug)]
pub(crate) struct Wide {
    pub op: WideOp,
    pub d: u32,
    pub width: u32,
    pub args: Vec<Arg>,
}

pub(crate) struct RegInfo {
    pub slot: u32,
    pub next: u32,
    pub width: u32,
}

pub(crate) struct WritePort {
    pub en: u32,
    pub addr: Arg,
    pub data: u32,
}

pub(crate) struct MemInfo {
    pub width: u32,
    pub depth: u64,
    pub writes: Vec<WritePort>,
}

/// A design compiled for simulation. Immutable and shareable between threads.
pub struct Program {
    pub design: Design,
    /// Every node's instruction, in node (topological) order.
    pub(crate) insns: Vec<Insn>,
    /// The subsequence of `insns` that outputs, registers, memory ports,
    /// properties and named signals depend on: everything except logic that
    /// only feeds branch-coverage conditions (see [`crate::prune`]).
    pub(crate) core: Vec<Insn>,
    /// Node index of each instruction of `insns`.
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
    /// Total words of all registers (staging buffer size for the clock edge).
    pub(crate) reg_words: usize,
    /// Per register word: (arena word of the next value, arena word of the
    /// register), in register order (the clock edge copies word by word:
    /// slice copies of one or two words cost a `memmove` call each).
    pub(crate) reg_moves: Vec<(u32, u32)>,
    /// Native code of `insns` and `core`, generated on first use.
    jit_full: OnceLock<Option<JitCode>>,
    jit_core: OnceLock<Option<JitCode>>,
    /// The lane engine's compact layouts without and with coverage, made
    /// on first use.
    lane_compact: [OnceLock<Arc<LaneLayout>>; 2],
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
        let core = crate::prune::core(design, &insns, &insn_node);
        let regs: Vec<RegInfo> = design
            .regs
            .iter()
            .map(|r| RegInfo {
                slot: s(r.node),
                next: s(r.next),
                width: r.width,
            })
            .collect();
        let reg_words = regs.iter().map(|r| nwords(r.width)).sum();
        let reg_moves = regs
            .iter()
            .flat_map(|r| (0..nwords(r.width) as u32).map(move |k| (r.next + k, r.slot + k)))
            .collect();
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
            core,
            insn_node,
            wides,
            slot,
            arena0,
            parts,
            regs,
            mems,
            reg_words,
            reg_moves,
            jit_full: OnceLock::new(),
            jit_core: OnceLock::new(),
            lane_compact: [OnceLock::new(), OnceLock::new()],
        })
    }

    /// Native code of `core` (else of every instruction), compiled on
    /// first use; `None` where the host has no code generator.
    pub(crate) fn jit_code(&self, core: bool) -> Option<&JitCode> {
        let (cell, insns) = if core {
            (&self.jit_core, &self.core)
        } else {
            (&self.jit_full, &self.insns)
        };
        cell.get_or_init(|| JitCode::compile(self, insns)).as_ref()
    }

    /// Whether native code is available for `core` (else every
    /// instruction); compiles it if that has not happened yet.
    pub fn prepare_jit(&self, core: bool) -> bool {
        self.jit_code(core).is_some()
    }

    /// The compact lane layout ([`crate::layout`]) for runs with or
    /// without coverage, made on first use.
    pub(crate) fn lane_layout(&self, coverage: bool) -> &Arc<LaneLayout> {
        self.lane_compact[coverage as usize]
            .get_or_init(|| Arc::new(LaneLayout::compact(self, coverage)))
    }

    /// Words of one lane of a compact lane batch (for choosing a lane count).
    pub fn lane_words(&self, coverage: bool) -> usize {
        self.lane_layout(coverage).words
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
