//! The instruction set: what [`crate::compile`] emits and every back end
//! (the interpreter in `engine`, the native code in `jit`, the lane engine
//! in `lanes`) executes.
//!
//! A program is a flat list of [`Insn`] over a value arena of 64-bit words:
//! narrow instructions (every value at most 64 bits) name one-word slots
//! directly, anything wider goes through a [`Wide`] instruction with its
//! operands listed. [`MemInfo`] describes a memory and its write ports.

use ir::{BinOp, UnOp};

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
    /// Index into `Program::wides` (see [`crate::compile`]).
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
