//! Unrolling the IR into Z3 terms, one time step at a time.
//!
//! Step `k` holds one value per node of the cone of influence: inputs are
//! fresh constants per step, a register's step-`k` value is its `next` at step
//! `k-1`, memories are updated by their write ports (later ports win,
//! out-of-range writes do nothing, out-of-range reads give 0).
//!
//! Before anything reaches Z3, nodes whose operands are constants are folded
//! with the reference semantics ([`crate::eval`]), muxes with a constant
//! select pick their branch, and the usual identities (`x & 0`, `x + 0`, ...)
//! are applied; Z3 itself hash-conses terms, so equal sub-terms are shared.
//! 1-bit values produced by comparisons, reductions and 1-bit logic stay Z3
//! Booleans (no `ite(c, #b1, #b0)` wrappers around every condition).
//!
//! Memories: explicit words (one bit-vector per word, reads are `ite` chains,
//! writes are per-word `ite`s) below [`WORDS_MAX_DEPTH`] words, Z3 arrays
//! above. Measured (debug build, Z3 4.8.12, `tests/mem_encoding.rs`): a FIFO
//! with a 16x8 memory and a data-integrity assertion, BMC to depth 30:
//! explicit words 1.0-1.3 s, Z3 arrays did not finish in 150 s (stopped).
//! Arrays stay only for deep memories, where per-word terms would grow with
//! the memory depth on every step; the threshold (256) is a guess, not
//! measured beyond 16 words.

use crate::eval::eval_op;
use ir::bits::Bits;
use ir::{BinOp, Design, MemId, NodeId, Op, RegId, UnOp};
use z3::ast::{Array, Bool, BV};
use z3::{Model, Sort};

/// The cone of influence of a property: the one analysis every engine
/// shares (`ir::passes::coi`).
pub use ir::passes::Cone;

/// Memories up to this many words are encoded as explicit words.
pub const WORDS_MAX_DEPTH: u64 = 256;

/// How memories are encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MemEncoding {
    /// Words up to [`WORDS_MAX_DEPTH`], arrays above.
    #[default]
    Auto,
    Words,
    Arrays,
}

/// A value at one step: a folded constant, a Z3 Boolean (1-bit values) or a
/// Z3 bit-vector.
#[derive(Clone, Debug)]
pub enum Val {
    Const(Bits),
    Bool(Bool),
    Bv(BV),
}

/// A Z3 numeral of any width.
pub fn bv_const(b: &Bits) -> BV {
    if b.width() <= 64 {
        BV::from_u64(b.low_u64(), b.width())
    } else {
        // Decimal text is what Z3_mk_numeral takes; always a valid numeral.
        BV::from_str(b.width(), &b.value().to_string()).expect("decimal numeral")
    }
}

impl Val {
    pub fn as_const(&self) -> Option<&Bits> {
        match self {
            Val::Const(b) => Some(b),
            _ => None,
        }
    }

    /// As a Boolean (1-bit values only).
    pub fn to_bool(&self) -> Bool {
        match self {
            Val::Const(b) => Bool::from_bool(!b.is_zero()),
            Val::Bool(b) => b.clone(),
            Val::Bv(v) => v.eq(BV::from_u64(1, 1)),
        }
    }

    pub fn to_bv(&self) -> BV {
        match self {
            Val::Const(b) => bv_const(b),
            Val::Bool(b) => b.ite(&BV::from_u64(1, 1), &BV::from_u64(0, 1)),
            Val::Bv(v) => v.clone(),
        }
    }

    fn is_zero(&self) -> bool {
        self.as_const().is_some_and(|b| b.is_zero())
    }

    fn is_ones(&self) -> bool {
        self.as_const().is_some_and(|b| b.is_ones())
    }

    /// Equality as a Boolean term (folded when both are constants).
    pub fn eq_term(&self, o: &Val) -> Bool {
        match (self, o) {
            (Val::Const(a), Val::Const(b)) => Bool::from_bool(a == b),
            (Val::Bool(_), _) | (_, Val::Bool(_)) => self.to_bool().iff(o.to_bool()),
            _ => self.to_bv().eq(o.to_bv()),
        }
    }

    /// Read this value from a model (model completion on).
    pub fn eval(&self, m: &Model, width: u32) -> Bits {
        match self {
            Val::Const(b) => b.clone(),
            Val::Bool(b) => {
                Bits::from_bool(m.eval(b, true).and_then(|x| x.as_bool()) == Some(true))
            }
            Val::Bv(v) => eval_bv(m, v, width),
        }
    }
}

/// A bit-vector's value in a model, any width (64-bit chunks).
pub fn eval_bv(m: &Model, v: &BV, width: u32) -> Bits {
    let mut words = Vec::new();
    let mut lo = 0;
    while lo < width {
        let hi = (lo + 63).min(width - 1);
        let chunk = if lo == 0 && hi == width - 1 {
            v.clone()
        } else {
            v.extract(hi, lo)
        };
        words.push(m.eval(&chunk, true).and_then(|x| x.as_u64()).unwrap_or(0));
        lo += 64;
    }
    Bits::from_words(width, &words)
}

fn ite_val(c: &Bool, t: &Val, f: &Val) -> Val {
    match (t, f) {
        (Val::Bool(_), _) | (_, Val::Bool(_))
            if !matches!(t, Val::Bv(_)) && !matches!(f, Val::Bv(_)) =>
        {
            Val::Bool(c.ite(&t.to_bool(), &f.to_bool()))
        }
        _ => Val::Bv(c.ite(&t.to_bv(), &f.to_bv())),
    }
}

/// A memory's contents at one step.
#[derive(Clone, Debug)]
pub enum MemState {
    Words(Vec<Val>),
    Array(Array),
}

/// Everything known at one step.
pub struct Step {
    pub nodes: Vec<Option<Val>>,
    pub regs: Vec<Option<Val>>,
    pub mems: Vec<Option<MemState>>,
    pub inputs: Vec<Option<Val>>,
}

/// The unrolled transition relation of one design restricted to one cone of
/// influence. `free_init` (induction) makes every register and memory word
/// free at step 0 instead of taking the design's initial values.
pub struct Unroller<'d> {
    pub d: &'d Design,
    pub coi: Cone,
    free_init: bool,
    prefix: String,
    arrays: Vec<bool>,
    pub steps: Vec<Step>,
    /// Step-0 free memory arrays (for reading `mem_init` out of a model).
    pub init_arrays: Vec<Option<Array>>,
}

fn index_width(depth: u64) -> u32 {
    (64 - (depth - 1).leading_zeros()).max(1)
}

impl<'d> Unroller<'d> {
    pub fn new(
        d: &'d Design,
        coi: Cone,
        enc: MemEncoding,
        free_init: bool,
        prefix: &str,
    ) -> Unroller<'d> {
        let arrays = d
            .mems
            .iter()
            .map(|m| match enc {
                MemEncoding::Auto => m.depth > WORDS_MAX_DEPTH,
                MemEncoding::Words => false,
                MemEncoding::Arrays => true,
            })
            .collect();
        Unroller {
            d,
            coi,
            free_init,
            prefix: prefix.to_string(),
            arrays,
            steps: Vec::new(),
            init_arrays: vec![None; d.mems.len()],
        }
    }

    /// True when a memory in the cone is encoded as a Z3 array.
    pub fn uses_arrays(&self) -> bool {
        self.arrays
            .iter()
            .zip(&self.coi.mems)
            .any(|(a, c)| *a && *c)
    }

    /// True when a memory is in the cone (whatever its encoding).
    pub fn uses_memories(&self) -> bool {
        self.coi.mems.iter().any(|&c| c)
    }

    pub fn depth(&self) -> usize {
        self.steps.len()
    }

    /// A node's value at step `k` (must be in the cone and unrolled).
    pub fn val(&self, k: usize, n: NodeId) -> &Val {
        self.steps[k].nodes[n.index()]
            .as_ref()
            .expect("node outside the cone of influence")
    }

    fn free(&self, what: &str, w: u32) -> Val {
        if w == 1 {
            Val::Bool(Bool::new_const(format!("{}{what}", self.prefix)))
        } else {
            Val::Bv(BV::new_const(format!("{}{what}", self.prefix), w))
        }
    }

    /// Add the next step; returns its index.
    pub fn add_step(&mut self) -> usize {
        let k = self.steps.len();
        let d = self.d;
        let mut regs: Vec<Option<Val>> = vec![None; d.regs.len()];
        for (i, r) in d.regs.iter().enumerate() {
            if !self.coi.regs[i] {
                continue;
            }
            regs[i] = Some(if k > 0 {
                self.val(k - 1, r.next).clone()
            } else {
                match (&r.init, self.free_init) {
                    (Some(b), false) => Val::Const(b.clone()),
                    _ => self.free(&format!("{}@0", r.name), r.width),
                }
            });
        }
        let mut mems: Vec<Option<MemState>> = vec![None; d.mems.len()];
        for i in 0..d.mems.len() {
            if !self.coi.mems[i] {
                continue;
            }
            mems[i] = Some(if k > 0 {
                self.write_mem(k - 1, MemId(i as u32))
            } else {
                self.init_mem(MemId(i as u32))
            });
        }
        let mut inputs: Vec<Option<Val>> = vec![None; d.inputs.len()];
        for (i, inp) in d.inputs.iter().enumerate() {
            if self.coi.inputs[i] {
                inputs[i] = Some(self.free(&format!("{}@{k}", inp.name), inp.width));
            }
        }
        self.steps.push(Step {
            nodes: vec![None; d.nodes.len()],
            regs,
            mems,
            inputs,
        });
        for (i, node) in d.nodes.iter().enumerate() {
            if !self.coi.nodes[i] {
                continue;
            }
            let v = self.node_val(k, &node.op, node.width);
            self.steps[k].nodes[i] = Some(v);
        }
        k
    }

    fn init_mem(&mut self, id: MemId) -> MemState {
        let m = &self.d.mems[id.index()];
        let given = if self.free_init {
            None
        } else {
            m.init.as_ref()
        };
        if self.arrays[id.index()] {
            let iw = index_width(m.depth);
            let isort = Sort::bitvector(iw);
            let wsort = Sort::bitvector(m.width);
            let a = match given {
                Some(words) => {
                    // Arrays with given contents: start from the most common
                    // value (usually 0) and store the others.
                    let mut a = Array::const_array(&isort, &bv_const(&Bits::zero(m.width)));
                    for (i, w) in words.iter().enumerate() {
                        if !w.is_zero() {
                            a = a.store(&BV::from_u64(i as u64, iw), &bv_const(w));
                        }
                    }
                    a
                }
                None => {
                    let a =
                        Array::new_const(format!("{}{}@0", self.prefix, m.name), &isort, &wsort);
                    self.init_arrays[id.index()] = Some(a.clone());
                    a
                }
            };
            MemState::Array(a)
        } else {
            let words = (0..m.depth)
                .map(|i| match given {
                    Some(words) => Val::Const(words[i as usize].clone()),
                    None => Val::Bv(BV::new_const(
                        format!("{}{}[{i}]@0", self.prefix, m.name),
                        m.width,
                    )),
                })
                .collect();
            MemState::Words(words)
        }
    }

    /// The memory after the clock edge that ends step `k`.
    fn write_mem(&self, k: usize, id: MemId) -> MemState {
        let m = &self.d.mems[id.index()];
        let mut st = self.steps[k].mems[id.index()]
            .clone()
            .expect("memory in cone");
        for w in &m.writes {
            let en = self.val(k, w.en).clone();
            if en.is_zero() {
                continue;
            }
            let addr = self.val(k, w.addr).clone();
            let data = self.val(k, w.data).clone();
            let aw = self.d.width(w.addr);
            match &mut st {
                MemState::Words(words) => {
                    if let Some(a) = addr.as_const() {
                        // Constant address: touch one word (or none).
                        if let Some(i) = a.to_u64().filter(|i| *i < m.depth) {
                            let old = &words[i as usize];
                            words[i as usize] = if en.as_const().is_some() {
                                data.clone()
                            } else {
                                ite_val(&en.to_bool(), &data, old)
                            };
                        }
                        continue;
                    }
                    let en_b = en.to_bool();
                    let abv = addr.to_bv();
                    for (i, word) in words.iter_mut().enumerate() {
                        if aw < 64 && (i as u64) >= (1u64 << aw) {
                            break; // unreachable address
                        }
                        let hit = Bool::and(&[en_b.clone(), abv.eq(BV::from_u64(i as u64, aw))]);
                        *word = ite_val(&hit, &data, word);
                    }
                }
                MemState::Array(arr) => {
                    let (inr, idx) = array_index(&addr, aw, m.depth);
                    let cond = Bool::and(&[en.to_bool(), inr]);
                    let stored = arr.store(&idx, &data.to_bv());
                    *arr = cond.ite(&stored, arr);
                }
            }
        }
        st
    }

    fn node_val(&self, k: usize, op: &Op, width: u32) -> Val {
        let step = &self.steps[k];
        match op {
            Op::Const(b) => Val::Const(b.clone()),
            Op::Input(i) => step.inputs[i.index()].clone().expect("input in cone"),
            Op::Reg(RegId(r)) => step.regs[*r as usize].clone().expect("reg in cone"),
            Op::MemRead { mem, addr } => self.mem_read(k, *mem, *addr, width),
            _ => {
                let args: Vec<&Val> = op.operands().iter().map(|a| self.val(k, *a)).collect();
                if args.iter().all(|a| a.as_const().is_some()) {
                    let bits: Vec<Bits> = args
                        .iter()
                        .map(|a| a.as_const().cloned().expect("checked const"))
                        .collect();
                    if let Some(b) = eval_op(op, width, &bits) {
                        return Val::Const(b);
                    }
                }
                self.encode_op(op, width, &args)
            }
        }
    }

    fn mem_read(&self, k: usize, mem: MemId, addr: NodeId, width: u32) -> Val {
        let m = &self.d.mems[mem.index()];
        let a = self.val(k, addr);
        let aw = self.d.width(addr);
        match self.steps[k].mems[mem.index()]
            .as_ref()
            .expect("memory in cone")
        {
            MemState::Words(words) => {
                if let Some(c) = a.as_const() {
                    return match c.to_u64().filter(|i| *i < m.depth) {
                        Some(i) => words[i as usize].clone(),
                        None => Val::Const(Bits::zero(width)),
                    };
                }
                let abv = a.to_bv();
                let mut acc = Val::Const(Bits::zero(width));
                for (i, w) in words.iter().enumerate().rev() {
                    if aw < 64 && (i as u64) >= (1u64 << aw) {
                        continue; // the address cannot reach this word
                    }
                    acc = ite_val(&abv.eq(BV::from_u64(i as u64, aw)), w, &acc);
                }
                acc
            }
            MemState::Array(arr) => {
                let (inr, idx) = array_index(a, aw, m.depth);
                let word = arr
                    .select(&idx)
                    .as_bv()
                    .expect("memory arrays hold bit-vectors");
                Val::Bv(inr.ite(&word, &bv_const(&Bits::zero(width))))
            }
        }
    }

    fn encode_op(&self, op: &Op, width: u32, args: &[&Val]) -> Val {
        match op {
            Op::Unary(u, _) => {
                let a = args[0];
                match u {
                    UnOp::Not if width == 1 => Val::Bool(a.to_bool().not()),
                    UnOp::Not => Val::Bv(a.to_bv().bvnot()),
                    UnOp::Neg => Val::Bv(a.to_bv().bvneg()),
                    UnOp::RedAnd if matches!(a, Val::Bool(_)) => a.clone(),
                    UnOp::RedOr if matches!(a, Val::Bool(_)) => a.clone(),
                    UnOp::RedXor if matches!(a, Val::Bool(_)) => a.clone(),
                    UnOp::RedAnd => {
                        let v = a.to_bv();
                        let w = v.get_size();
                        Val::Bool(v.eq(bv_const(&Bits::ones(w))))
                    }
                    UnOp::RedOr => {
                        let v = a.to_bv();
                        let w = v.get_size();
                        Val::Bool(v.eq(BV::from_u64(0, w)).not())
                    }
                    UnOp::RedXor => Val::Bv(redxor(&a.to_bv())),
                }
            }
            Op::Binary(b, _, _) => self.encode_binary(*b, width, args[0], args[1]),
            Op::Mux { .. } => {
                let (s, t, f) = (args[0], args[1], args[2]);
                if let Some(c) = s.as_const() {
                    return if c.is_zero() { f.clone() } else { t.clone() };
                }
                ite_val(&s.to_bool(), t, f)
            }
            Op::Concat(_) => {
                let mut acc = args[0].to_bv();
                for a in &args[1..] {
                    acc = acc.concat(a.to_bv());
                }
                Val::Bv(acc)
            }
            Op::Slice { lo, .. } => {
                let a = args[0];
                if let Val::Bool(_) = a {
                    return a.clone(); // a 1-bit slice of a 1-bit value
                }
                let v = a.to_bv();
                if *lo == 0 && v.get_size() == width {
                    return a.clone();
                }
                let s = v.extract(lo + width - 1, *lo);
                if width == 1 {
                    Val::Bool(s.eq(BV::from_u64(1, 1)))
                } else {
                    Val::Bv(s)
                }
            }
            Op::Zext(_) | Op::Sext(_) => {
                let a = args[0];
                let v = a.to_bv();
                let extra = width - v.get_size();
                if extra == 0 {
                    return a.clone();
                }
                if matches!(op, Op::Zext(_)) {
                    Val::Bv(v.zero_ext(extra))
                } else {
                    Val::Bv(v.sign_ext(extra))
                }
            }
            Op::Const(_) | Op::Input(_) | Op::Reg(_) | Op::MemRead { .. } => {
                unreachable!("leaves are handled by node_val")
            }
        }
    }

    fn encode_binary(&self, op: BinOp, width: u32, a: &Val, b: &Val) -> Val {
        // Identities with one constant operand.
        match op {
            BinOp::And if a.is_zero() || b.is_zero() => return Val::Const(Bits::zero(width)),
            BinOp::And if a.is_ones() => return b.clone(),
            BinOp::And if b.is_ones() => return a.clone(),
            BinOp::Or if a.is_ones() || b.is_ones() => return Val::Const(Bits::ones(width)),
            BinOp::Or | BinOp::Xor | BinOp::Add if a.is_zero() => return b.clone(),
            BinOp::Or | BinOp::Xor | BinOp::Add | BinOp::Sub if b.is_zero() => return a.clone(),
            BinOp::Shl | BinOp::Lshr | BinOp::Ashr if b.is_zero() => return a.clone(),
            BinOp::Mul if a.is_zero() || b.is_zero() => return Val::Const(Bits::zero(width)),
            _ => {}
        }
        let both_bool = width == 1 && matches!(op, BinOp::And | BinOp::Or | BinOp::Xor)
            || (matches!(op, BinOp::Eq | BinOp::Ne)
                && (matches!(a, Val::Bool(_)) || matches!(b, Val::Bool(_))));
        if both_bool {
            let (x, y) = (a.to_bool(), b.to_bool());
            return Val::Bool(match op {
                BinOp::And => Bool::and(&[x, y]),
                BinOp::Or => Bool::or(&[x, y]),
                BinOp::Xor | BinOp::Ne => x.xor(y),
                _ => x.iff(y),
            });
        }
        let (x, y) = (a.to_bv(), b.to_bv());
        let w = x.get_size();
        let zero = || BV::from_u64(0, w);
        let by_zero = || y.eq(zero());
        let v = match op {
            BinOp::Add => x.bvadd(y),
            BinOp::Sub => x.bvsub(y),
            BinOp::Mul => x.bvmul(y),
            // Division and remainder by zero give 0 (not SMT-LIB's all-ones / dividend).
            BinOp::Udiv => by_zero().ite(&zero(), &x.bvudiv(&y)),
            BinOp::Urem => by_zero().ite(&zero(), &x.bvurem(&y)),
            BinOp::Sdiv => by_zero().ite(&zero(), &x.bvsdiv(&y)),
            BinOp::Srem => by_zero().ite(&zero(), &x.bvsrem(&y)),
            BinOp::And => x.bvand(y),
            BinOp::Or => x.bvor(y),
            BinOp::Xor => x.bvxor(y),
            BinOp::Shl | BinOp::Lshr | BinOp::Ashr => shift(op, &x, &y),
            BinOp::Eq => return Val::Bool(x.eq(y)),
            BinOp::Ne => return Val::Bool(x.eq(y).not()),
            BinOp::Ult => return Val::Bool(x.bvult(y)),
            BinOp::Ule => return Val::Bool(x.bvule(y)),
            BinOp::Slt => return Val::Bool(x.bvslt(y)),
            BinOp::Sle => return Val::Bool(x.bvsle(y)),
        };
        Val::Bv(v)
    }
}

/// Parity of a bit-vector as a 1-bit vector.
fn redxor(v: &BV) -> BV {
    let w = v.get_size();
    let mut acc = v.extract(0, 0);
    for i in 1..w {
        acc = acc.bvxor(v.extract(i, i));
    }
    acc
}

/// Shift of `x` (width w) by an unsigned amount of any width. SMT-LIB shifts
/// already give 0 / sign fill for amounts >= w when the amount has width w;
/// a narrower amount is zero-extended, a wider one saturates first.
fn shift(op: BinOp, x: &BV, y: &BV) -> BV {
    let w = x.get_size();
    let wy = y.get_size();
    let apply = |amt: &BV| match op {
        BinOp::Shl => x.bvshl(amt),
        BinOp::Lshr => x.bvlshr(amt),
        _ => x.bvashr(amt),
    };
    if wy == w {
        apply(y)
    } else if wy < w {
        apply(&y.zero_ext(w - wy))
    } else {
        // wy > w, so w fits in wy bits.
        let big = y.bvuge(BV::from_u64(w as u64, wy));
        let low = y.extract(w - 1, 0);
        let out = match op {
            BinOp::Ashr => x.bvashr(BV::from_u64(w as u64 - 1, w)),
            _ => BV::from_u64(0, w),
        };
        big.ite(&out, &apply(&low))
    }
}

/// (in range, array index) for an address of width `aw` into a memory of
/// `depth` words, indexed by `index_width(depth)` bits.
fn array_index(addr: &Val, aw: u32, depth: u64) -> (Bool, BV) {
    let iw = index_width(depth);
    let a = addr.to_bv();
    let inr = if aw < 64 && (1u64 << aw) <= depth {
        Bool::from_bool(true)
    } else if aw >= iw {
        a.bvult(bv_const(&Bits::from_u64(aw, depth)))
    } else {
        // aw < iw: every address value is < 2^aw <= depth handled above
        Bool::from_bool(true)
    };
    let idx = if aw == iw {
        a
    } else if aw < iw {
        a.zero_ext(iw - aw)
    } else {
        a.extract(iw - 1, 0)
    };
    (inr, idx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_widths() {
        assert_eq!(index_width(1), 1);
        assert_eq!(index_width(2), 1);
        assert_eq!(index_width(3), 2);
        assert_eq!(index_width(16), 4);
        assert_eq!(index_width(17), 5);
    }
}
