//! The elaborator's working netlist.
//!
//! Like the IR, but nodes may be created in any order and may read a
//! signal (`G::Var`) before its drivers are known; `emit` resolves signals,
//! orders the nodes and detects combinational loops. Nodes are hash-consed
//! and constant operands are folded as nodes are made, so elaboration of
//! loops and functions does not blow up.

use crate::bits::Bits;
use crate::ir::{BinOp, InputId, MemId, NodeId, Op, RegId, UnOp};
use crate::source::Span;
use std::collections::HashMap;

/// A node of the working graph (operands in `Op` are graph ids).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum G {
    Op(Op),
    /// The settled value of a signal, resolved from its drivers at the end.
    Var(super::VarId),
}

#[derive(Default)]
pub struct Graph {
    nodes: Vec<(G, u32)>,
    spans: Vec<Span>,
    dedup: HashMap<(G, u32), NodeId>,
}

pub type Gid = NodeId;

impl Graph {
    pub fn get(&self, id: Gid) -> &G {
        &self.nodes[id.index()].0
    }

    pub fn width(&self, id: Gid) -> u32 {
        self.nodes[id.index()].1
    }

    pub fn span(&self, id: Gid) -> Span {
        self.spans[id.index()]
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn as_const(&self, id: Gid) -> Option<&Bits> {
        match self.get(id) {
            G::Op(Op::Const(b)) => Some(b),
            _ => None,
        }
    }

    fn intern(&mut self, g: G, width: u32, span: Span) -> Gid {
        debug_assert!(width >= 1);
        let key = (g, width);
        if let Some(id) = self.dedup.get(&key) {
            return *id;
        }
        let id = NodeId(self.nodes.len() as u32);
        self.nodes.push(key.clone());
        self.spans.push(span);
        self.dedup.insert(key, id);
        id
    }

    /// Bounds `(min, max)` of `id`'s value read as unsigned, from constants,
    /// extensions, slices, concatenations, additions and subtractions that
    /// cannot wrap; any other node spans its whole width. Used to see that
    /// an index cannot leave its range (`v[15 - 4'(n)]`).
    pub fn urange(&self, id: Gid) -> (u128, u128) {
        self.urange_at(id, 8)
    }

    fn urange_at(&self, id: Gid, depth: u32) -> (u128, u128) {
        let w = self.width(id);
        let full = (
            0,
            if w >= 128 {
                u128::MAX
            } else {
                (1u128 << w) - 1
            },
        );
        if w > 64 || depth == 0 {
            return full;
        }
        let G::Op(op) = self.get(id) else {
            return full;
        };
        match op {
            Op::Const(b) => match b.to_u64() {
                Some(v) => (v as u128, v as u128),
                None => full,
            },
            Op::Zext(a) => self.urange_at(*a, depth - 1),
            Op::Slice { arg, lo: 0 } => {
                let (l, h) = self.urange_at(*arg, depth - 1);
                if h <= full.1 {
                    (l, h)
                } else {
                    full
                }
            }
            Op::Concat(parts) => {
                let (mut l, mut h) = (0u128, 0u128);
                for p in parts {
                    let pw = self.width(*p);
                    let (pl, ph) = self.urange_at(*p, depth - 1);
                    l = (l << pw) | pl;
                    h = (h << pw) | ph;
                }
                (l, h)
            }
            Op::Binary(BinOp::Add, a, b) => {
                let ((al, ah), (bl, bh)) =
                    (self.urange_at(*a, depth - 1), self.urange_at(*b, depth - 1));
                if ah + bh <= full.1 {
                    (al + bl, ah + bh)
                } else {
                    full
                }
            }
            Op::Binary(BinOp::Sub, a, b) => {
                let ((al, ah), (bl, bh)) =
                    (self.urange_at(*a, depth - 1), self.urange_at(*b, depth - 1));
                if al >= bh {
                    (al - bh, ah - bl)
                } else {
                    full
                }
            }
            _ => full,
        }
    }

    /// The node for `g` if it exists already.
    pub fn find(&self, g: &G, width: u32) -> Option<Gid> {
        self.dedup.get(&(g.clone(), width)).copied()
    }

    pub fn konst(&mut self, b: Bits) -> Gid {
        let w = b.width();
        self.intern(G::Op(Op::Const(b)), w, Span::NONE)
    }

    pub fn const_u64(&mut self, width: u32, v: u64) -> Gid {
        self.konst(Bits::from_u64(width, v))
    }

    pub fn zero(&mut self, width: u32) -> Gid {
        self.konst(Bits::zero(width))
    }

    pub fn one_bit(&mut self, b: bool) -> Gid {
        self.konst(Bits::from_bool(b))
    }

    pub fn var(&mut self, v: super::VarId, width: u32, span: Span) -> Gid {
        self.intern(G::Var(v), width, span)
    }

    pub fn input(&mut self, id: InputId, width: u32, span: Span) -> Gid {
        self.intern(G::Op(Op::Input(id)), width, span)
    }

    pub fn reg(&mut self, id: RegId, width: u32, span: Span) -> Gid {
        self.intern(G::Op(Op::Reg(id)), width, span)
    }

    pub fn mem_read(&mut self, mem: MemId, addr: Gid, width: u32, span: Span) -> Gid {
        self.intern(G::Op(Op::MemRead { mem, addr }), width, span)
    }

    /// An operator node as given (no folding).
    pub fn op(&mut self, op: Op, width: u32, span: Span) -> Gid {
        self.intern(G::Op(op), width, span)
    }

    // ---- operators, folded when possible ----

    pub fn unary(&mut self, op: UnOp, a: Gid, span: Span) -> Gid {
        let w = match op {
            UnOp::Not | UnOp::Neg => self.width(a),
            _ => 1,
        };
        if let Some(x) = self.as_const(a) {
            let r = match op {
                UnOp::Not => x.not(),
                UnOp::Neg => x.neg(),
                UnOp::RedAnd => Bits::from_bool(x.is_ones()),
                UnOp::RedOr => Bits::from_bool(!x.is_zero()),
                UnOp::RedXor => Bits::from_bool(x.count_ones() % 2 == 1),
            };
            return self.konst(r);
        }
        if op == UnOp::Not {
            if let G::Op(Op::Unary(UnOp::Not, inner)) = self.get(a) {
                return *inner;
            }
        }
        if w == 1 && self.width(a) == 1 && matches!(op, UnOp::RedAnd | UnOp::RedOr | UnOp::RedXor) {
            return a;
        }
        self.intern(G::Op(Op::Unary(op, a)), w, span)
    }

    pub fn not(&mut self, a: Gid) -> Gid {
        self.unary(UnOp::Not, a, Span::NONE)
    }

    pub fn binary(&mut self, op: BinOp, a: Gid, b: Gid, span: Span) -> Gid {
        let wa = self.width(a);
        let w = if op.is_compare() { 1 } else { wa };
        if let (Some(x), Some(y)) = (self.as_const(a), self.as_const(b)) {
            let r = fold_binary(op, x, y);
            return self.konst(r);
        }
        // Cheap identities that are always sound in two-state logic.
        let ca = self.as_const(a).cloned();
        let cb = self.as_const(b).cloned();
        match op {
            BinOp::And => {
                if ca.as_ref().is_some_and(|c| c.is_zero())
                    || cb.as_ref().is_some_and(|c| c.is_zero())
                {
                    return self.zero(w);
                }
                if ca.as_ref().is_some_and(|c| c.is_ones()) {
                    return b;
                }
                if cb.as_ref().is_some_and(|c| c.is_ones()) || a == b {
                    return a;
                }
            }
            BinOp::Or => {
                if ca.as_ref().is_some_and(|c| c.is_ones())
                    || cb.as_ref().is_some_and(|c| c.is_ones())
                {
                    return self.konst(Bits::ones(w));
                }
                if ca.as_ref().is_some_and(|c| c.is_zero()) {
                    return b;
                }
                if cb.as_ref().is_some_and(|c| c.is_zero()) || a == b {
                    return a;
                }
            }
            BinOp::Xor | BinOp::Add => {
                if ca.as_ref().is_some_and(|c| c.is_zero()) {
                    return b;
                }
                if cb.as_ref().is_some_and(|c| c.is_zero()) {
                    return a;
                }
            }
            BinOp::Sub | BinOp::Shl | BinOp::Lshr | BinOp::Ashr
                if cb.as_ref().is_some_and(|c| c.is_zero()) =>
            {
                return a;
            }
            BinOp::Eq if a == b => return self.one_bit(true),
            BinOp::Ne if a == b => return self.one_bit(false),
            _ => {}
        }
        let (a, b) = if op.is_commutative() && a > b {
            (b, a)
        } else {
            (a, b)
        };
        self.intern(G::Op(Op::Binary(op, a, b)), w, span)
    }

    pub fn and(&mut self, a: Gid, b: Gid) -> Gid {
        self.binary(BinOp::And, a, b, Span::NONE)
    }

    pub fn or(&mut self, a: Gid, b: Gid) -> Gid {
        self.binary(BinOp::Or, a, b, Span::NONE)
    }

    pub fn eq(&mut self, a: Gid, b: Gid) -> Gid {
        self.binary(BinOp::Eq, a, b, Span::NONE)
    }

    pub fn mux(&mut self, sel: Gid, t: Gid, f: Gid, span: Span) -> Gid {
        if t == f {
            return t;
        }
        if let Some(c) = self.as_const(sel) {
            return if c.is_zero() { f } else { t };
        }
        let w = self.width(t);
        // 1-bit muxes with constant arms are plain logic.
        if w == 1 {
            match (
                self.as_const(t).map(|c| c.is_ones()),
                self.as_const(f).map(|c| c.is_ones()),
            ) {
                (Some(true), Some(false)) => return sel,
                (Some(false), Some(true)) => return self.not(sel),
                (Some(true), None) => return self.or(sel, f),
                (Some(false), None) => {
                    let ns = self.not(sel);
                    return self.and(ns, f);
                }
                (None, Some(false)) => return self.and(sel, t),
                _ => {}
            }
        }
        self.intern(G::Op(Op::Mux { sel, t, f }), w, span)
    }

    /// Most significant part first.
    pub fn concat(&mut self, parts: Vec<Gid>) -> Gid {
        // Flatten nested concats and merge adjacent constants.
        let mut flat: Vec<Gid> = Vec::with_capacity(parts.len());
        for p in parts {
            let inner = match self.get(p) {
                G::Op(Op::Concat(v)) => v.clone(),
                _ => vec![p],
            };
            for q in inner {
                if let (Some(last), Some(c)) = (flat.last().copied(), self.as_const(q).cloned()) {
                    if let Some(lc) = self.as_const(last).cloned() {
                        flat.pop();
                        let merged = lc.concat(&c);
                        let id = self.konst(merged);
                        flat.push(id);
                        continue;
                    }
                }
                flat.push(q);
            }
        }
        if flat.len() == 1 {
            return flat[0];
        }
        let w = flat.iter().map(|p| self.width(*p)).sum();
        self.intern(G::Op(Op::Concat(flat)), w, Span::NONE)
    }

    /// `width` bits from `lo` (must lie inside `a`).
    pub fn slice(&mut self, a: Gid, lo: u32, width: u32) -> Gid {
        let wa = self.width(a);
        debug_assert!(lo + width <= wa, "slice out of range");
        if lo == 0 && width == wa {
            return a;
        }
        if let Some(c) = self.as_const(a) {
            let r = c.slice(lo, width);
            return self.konst(r);
        }
        match self.get(a).clone() {
            G::Op(Op::Slice { arg, lo: l2 }) => return self.slice(arg, lo + l2, width),
            G::Op(Op::Concat(parts)) => {
                // Keep only the parts the slice overlaps.
                let mut pos = wa;
                let mut keep = Vec::new();
                for p in parts {
                    let pw = self.width(p);
                    let p_lo = pos - pw;
                    let hi = lo + width; // exclusive
                    let s = p_lo.max(lo);
                    let e = pos.min(hi);
                    if s < e {
                        keep.push(self.slice(p, s - p_lo, e - s));
                    }
                    pos = p_lo;
                }
                return self.concat(keep);
            }
            G::Op(Op::Zext(x)) => {
                let wx = self.width(x);
                if lo + width <= wx {
                    return self.slice(x, lo, width);
                }
                if lo >= wx {
                    return self.zero(width);
                }
            }
            _ => {}
        }
        self.intern(G::Op(Op::Slice { arg: a, lo }), width, Span::NONE)
    }

    pub fn zext(&mut self, a: Gid, width: u32) -> Gid {
        let wa = self.width(a);
        if wa == width {
            return a;
        }
        if wa > width {
            return self.slice(a, 0, width);
        }
        if let Some(c) = self.as_const(a) {
            let r = c.zext(width);
            return self.konst(r);
        }
        self.intern(G::Op(Op::Zext(a)), width, Span::NONE)
    }

    pub fn sext(&mut self, a: Gid, width: u32) -> Gid {
        let wa = self.width(a);
        if wa == width {
            return a;
        }
        if wa > width {
            return self.slice(a, 0, width);
        }
        if let Some(c) = self.as_const(a) {
            let r = c.sext(width);
            return self.konst(r);
        }
        self.intern(G::Op(Op::Sext(a)), width, Span::NONE)
    }

    /// Resize (truncate or extend, sign-extending if `signed`).
    pub fn resize(&mut self, a: Gid, width: u32, signed: bool) -> Gid {
        if signed {
            self.sext(a, width)
        } else {
            self.zext(a, width)
        }
    }

    /// 1 if `a` is not zero.
    pub fn bool(&mut self, a: Gid) -> Gid {
        self.unary(UnOp::RedOr, a, Span::NONE)
    }

    /// Replace bits `[lo, lo+width)` of `base` by `val` (static position).
    pub fn insert(&mut self, base: Gid, lo: u32, val: Gid) -> Gid {
        let wb = self.width(base);
        let wv = self.width(val);
        let mut parts = Vec::new();
        if lo + wv < wb {
            parts.push(self.slice(base, lo + wv, wb - lo - wv));
        }
        parts.push(val);
        if lo > 0 {
            parts.push(self.slice(base, 0, lo));
        }
        self.concat(parts)
    }
}

/// Two-state evaluation of a binary operator on constants (IR semantics).
pub fn fold_binary(op: BinOp, x: &Bits, y: &Bits) -> Bits {
    match op {
        BinOp::Add => x.add(y),
        BinOp::Sub => x.sub(y),
        BinOp::Mul => x.mul(y),
        BinOp::Udiv => x.udiv(y),
        BinOp::Urem => x.urem(y),
        BinOp::Sdiv => x.sdiv(y),
        BinOp::Srem => x.srem(y),
        BinOp::And => x.and(y),
        BinOp::Or => x.or(y),
        BinOp::Xor => x.xor(y),
        BinOp::Shl => x.shl(y),
        BinOp::Lshr => x.lshr(y),
        BinOp::Ashr => x.ashr(y),
        BinOp::Eq => Bits::from_bool(x == y),
        BinOp::Ne => Bits::from_bool(x != y),
        BinOp::Ult => Bits::from_bool(x.ult(y)),
        BinOp::Ule => Bits::from_bool(!y.ult(x)),
        BinOp::Slt => Bits::from_bool(x.slt(y)),
        BinOp::Sle => Bits::from_bool(!y.slt(x)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_slicing() {
        let mut g = Graph::default();
        let a = g.var(crate::elab::VarId(0), 8, Span::NONE);
        let b = g.var(crate::elab::VarId(1), 4, Span::NONE);
        let c = g.concat(vec![a, b]);
        assert_eq!(g.slice(c, 0, 4), b);
        assert_eq!(g.slice(c, 4, 8), a);
        let k = g.const_u64(8, 5);
        let k2 = g.const_u64(8, 7);
        let s = g.binary(BinOp::Add, k, k2, Span::NONE);
        assert_eq!(g.as_const(s).unwrap().to_u64(), Some(12));
        let ins = g.insert(a, 2, b);
        assert_eq!(g.width(ins), 8);
        assert_eq!(g.slice(ins, 2, 4), b);
        // hash-consing
        let x1 = g.binary(BinOp::Add, a, k, Span::NONE);
        let x2 = g.binary(BinOp::Add, k, a, Span::NONE);
        assert_eq!(x1, x2);
    }
}
