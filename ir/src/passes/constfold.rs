//! Constant folding and cheap algebraic simplifications.
//!
//! Every rewrite holds for all input values in two-state semantics (division
//! by zero is 0, shifts by `>= width` shift everything out). Rewrites may
//! leave dead nodes behind; [`super::dead_code`] removes them, and
//! [`super::strash`] merges the constants this pass creates.

use super::eval::eval_op;
use crate::bits::Bits;
use crate::netlist::{BinOp, Design, Node, NodeId, Op, UnOp};
use crate::source::Span;

pub fn constfold(design: &Design) -> Design {
    let mut f = Folder {
        nodes: Vec::with_capacity(design.nodes.len()),
        span: Span::NONE,
    };
    let mut map: Vec<NodeId> = Vec::with_capacity(design.nodes.len());
    for node in &design.nodes {
        f.span = node.span;
        let op = node.op.map_operands(|a| map[a.index()]);
        let id = match op {
            // Leaves stay one node each: inputs and registers point back at them.
            Op::Const(_) | Op::Input(_) | Op::Reg(_) => f.push(op, node.width),
            op => f.add(op, node.width),
        };
        map.push(id);
    }
    super::with_nodes(design, f.nodes, &map)
}

struct Folder {
    nodes: Vec<Node>,
    /// Span given to every node made for the current original node.
    span: Span,
}

impl Folder {
    fn push(&mut self, op: Op, width: u32) -> NodeId {
        self.nodes.push(Node {
            op,
            width,
            span: self.span,
        });
        NodeId(self.nodes.len() as u32 - 1)
    }

    fn konst(&mut self, b: Bits) -> NodeId {
        let w = b.width();
        self.push(Op::Const(b), w)
    }

    fn op(&self, id: NodeId) -> &Op {
        &self.nodes[id.index()].op
    }

    fn width(&self, id: NodeId) -> u32 {
        self.nodes[id.index()].width
    }

    fn value(&self, id: NodeId) -> Option<&Bits> {
        match self.op(id) {
            Op::Const(b) => Some(b),
            _ => None,
        }
    }

    fn is_zero(&self, id: NodeId) -> bool {
        self.value(id).is_some_and(|b| b.is_zero())
    }

    fn is_ones(&self, id: NodeId) -> bool {
        self.value(id).is_some_and(|b| b.is_ones())
    }

    fn is_one(&self, id: NodeId) -> bool {
        self.value(id).is_some_and(|b| b.to_u64() == Some(1))
    }

    /// A node computing `op`, simplified. Every rewrite makes the expression
    /// strictly smaller or moves it onto earlier nodes, so this terminates.
    fn add(&mut self, op: Op, width: u32) -> NodeId {
        match self.simplify(&op, width) {
            Some(id) => id,
            None => self.push(op, width),
        }
    }

    fn simplify(&mut self, op: &Op, width: u32) -> Option<NodeId> {
        let operands = op.operands();
        if !operands.is_empty() {
            let vals: Option<Vec<Bits>> =
                operands.iter().map(|a| self.value(*a).cloned()).collect();
            if let Some(v) = vals.and_then(|vals| eval_op(op, width, &vals)) {
                return Some(self.konst(v));
            }
        }
        match op {
            Op::Unary(u, a) => self.unary(*u, *a),
            Op::Binary(b, x, y) => self.binary(*b, *x, *y, width),
            Op::Mux { sel, t, f } => self.mux(*sel, *t, *f, width),
            Op::Concat(parts) => self.concat(parts, width),
            Op::Slice { arg, lo } => self.slice(*arg, *lo, width),
            Op::Zext(a) => {
                if self.width(*a) == width {
                    return Some(*a);
                }
                match *self.op(*a) {
                    Op::Zext(y) => Some(self.add(Op::Zext(y), width)),
                    _ => None,
                }
            }
            Op::Sext(a) => {
                if self.width(*a) == width {
                    return Some(*a);
                }
                match *self.op(*a) {
                    Op::Sext(y) => Some(self.add(Op::Sext(y), width)),
                    // The zero extension made the sign bit 0.
                    Op::Zext(y) if self.width(y) < self.width(*a) => {
                        Some(self.add(Op::Zext(y), width))
                    }
                    _ => None,
                }
            }
            Op::Const(_) | Op::Input(_) | Op::Reg(_) | Op::MemRead { .. } => None,
        }
    }

    fn unary(&mut self, u: UnOp, a: NodeId) -> Option<NodeId> {
        match (u, self.op(a)) {
            (UnOp::Not, Op::Unary(UnOp::Not, y)) | (UnOp::Neg, Op::Unary(UnOp::Neg, y)) => Some(*y),
            (UnOp::RedAnd | UnOp::RedOr | UnOp::RedXor, _) if self.width(a) == 1 => Some(a),
            (UnOp::RedOr | UnOp::RedXor, Op::Zext(y)) => {
                let y = *y;
                Some(self.add(Op::Unary(u, y), 1))
            }
            _ => None,
        }
    }

    fn zero(&mut self, width: u32) -> Option<NodeId> {
        Some(self.konst(Bits::zero(width)))
    }

    fn bool(&mut self, b: bool) -> Option<NodeId> {
        Some(self.konst(Bits::from_bool(b)))
    }

    fn not(&mut self, x: NodeId) -> Option<NodeId> {
        let w = self.width(x);
        Some(self.add(Op::Unary(UnOp::Not, x), w))
    }

    fn binary(&mut self, op: BinOp, a: NodeId, b: NodeId, width: u32) -> Option<NodeId> {
        use BinOp::*;
        // For commutative operators look at a constant on either side as `c`.
        let (x, c) = if op.is_commutative() && self.value(a).is_some() {
            (b, a)
        } else {
            (a, b)
        };
        let same = a == b;
        let w1 = self.width(a) == 1;
        match op {
            And if self.is_zero(c) => Some(c),
            And if self.is_ones(c) => Some(x),
            And | Or if same => Some(a),
            Or if self.is_zero(c) => Some(x),
            Or if self.is_ones(c) => Some(c),
            Xor if self.is_zero(c) => Some(x),
            Xor if self.is_ones(c) => self.not(x),
            Xor | Sub if same => self.zero(width),
            Add if self.is_zero(c) => Some(x),
            Sub if self.is_zero(b) => Some(a),
            Mul if self.is_zero(c) => Some(c),
            Mul if self.is_one(c) => Some(x),
            Udiv | Urem | Sdiv | Srem if self.is_zero(a) || self.is_zero(b) => self.zero(width),
            Udiv if self.is_one(b) => Some(a),
            Urem if self.is_one(b) => self.zero(width),
            Shl | Lshr | Ashr if self.is_zero(b) || self.is_zero(a) => Some(a),
            Ashr if self.is_ones(a) => Some(a),
            Shl | Lshr
                if self
                    .value(b)
                    .is_some_and(|v| v.to_u64().is_none_or(|n| n >= width as u64)) =>
            {
                self.zero(width)
            }
            Eq | Ule | Sle if same => self.bool(true),
            Ne | Ult | Slt if same => self.bool(false),
            Eq if w1 && self.is_ones(c) => Some(x),
            Eq if w1 && self.is_zero(c) => self.not(x),
            Ne if w1 && self.is_zero(c) => Some(x),
            Ne if w1 && self.is_ones(c) => self.not(x),
            // Nothing is below 0 or above all-ones.
            Ult if self.is_zero(b) || self.is_ones(a) => self.bool(false),
            Ule if self.is_zero(a) || self.is_ones(b) => self.bool(true),
            _ => None,
        }
    }

    fn mux(&mut self, sel: NodeId, t: NodeId, f: NodeId, width: u32) -> Option<NodeId> {
        if let Some(s) = self.value(sel) {
            return Some(if s.is_zero() { f } else { t });
        }
        if t == f {
            return Some(t);
        }
        if width == 1 && self.is_one(t) && self.is_zero(f) {
            return Some(sel);
        }
        if width == 1 && self.is_zero(t) && self.is_one(f) {
            return self.not(sel);
        }
        if let Op::Unary(UnOp::Not, s) = *self.op(sel) {
            return Some(self.add(Op::Mux { sel: s, t: f, f: t }, width));
        }
        None
    }

    fn concat(&mut self, parts: &[NodeId], width: u32) -> Option<NodeId> {
        if parts.len() == 1 {
            return Some(parts[0]);
        }
        // Flatten nested concatenations, then merge neighbours.
        let mut flat: Vec<NodeId> = Vec::with_capacity(parts.len());
        for p in parts {
            match self.op(*p) {
                Op::Concat(inner) => flat.extend(inner.iter().copied()),
                _ => flat.push(*p),
            }
        }
        let mut merged: Vec<NodeId> = Vec::with_capacity(flat.len());
        for p in flat {
            if let Some(&last) = merged.last() {
                if let Some(m) = self.merge(last, p) {
                    *merged.last_mut().expect("non-empty") = m;
                    continue;
                }
            }
            merged.push(p);
        }
        if merged.len() == 1 {
            return Some(merged[0]);
        }
        // {0, rest} is a zero extension of rest.
        if self.is_zero(merged[0]) {
            let rest = &merged[1..];
            let w: u32 = rest.iter().map(|p| self.width(*p)).sum();
            let low = self.add(Op::Concat(rest.to_vec()), w);
            return Some(self.add(Op::Zext(low), width));
        }
        if merged != parts {
            return Some(self.add(Op::Concat(merged), width));
        }
        None
    }

    /// `{hi, lo}` as one node, if it is simpler.
    fn merge(&mut self, hi: NodeId, lo: NodeId) -> Option<NodeId> {
        if let (Some(a), Some(b)) = (self.value(hi), self.value(lo)) {
            let v = a.concat(b);
            return Some(self.konst(v));
        }
        if let (Op::Slice { arg: a1, lo: l1 }, Op::Slice { arg: a2, lo: l2 }) =
            (self.op(hi), self.op(lo))
        {
            let (a1, l1, a2, l2) = (*a1, *l1, *a2, *l2);
            if a1 == a2 && l2 as u64 + self.width(lo) as u64 == l1 as u64 {
                let w = self.width(hi) + self.width(lo);
                return Some(self.add(Op::Slice { arg: a1, lo: l2 }, w));
            }
        }
        None
    }

    fn slice(&mut self, arg: NodeId, lo: u32, width: u32) -> Option<NodeId> {
        let aw = self.width(arg);
        if lo == 0 && width == aw {
            return Some(arg);
        }
        match self.op(arg).clone() {
            Op::Slice { arg: inner, lo: l2 } => Some(self.add(
                Op::Slice {
                    arg: inner,
                    lo: lo + l2,
                },
                width,
            )),
            Op::Concat(parts) => {
                // The slices of the parts the range covers, most significant first.
                let hi = lo + width; // exclusive; <= aw by the IR invariant
                let mut pieces: Vec<NodeId> = Vec::new();
                let mut off = aw;
                for p in parts {
                    let pw = self.width(p);
                    off -= pw; // part p holds bits [off, off + pw)
                    let s = lo.max(off);
                    let e = hi.min(off + pw);
                    if s < e {
                        pieces.push(self.add(
                            Op::Slice {
                                arg: p,
                                lo: s - off,
                            },
                            e - s,
                        ));
                    }
                }
                Some(self.add(Op::Concat(pieces), width))
            }
            Op::Zext(x) | Op::Sext(x) => {
                let signed = matches!(self.op(arg), Op::Sext(_));
                let xw = self.width(x);
                if lo + width <= xw {
                    return Some(self.add(Op::Slice { arg: x, lo }, width));
                }
                if lo >= xw && !signed {
                    return self.zero(width);
                }
                // The part of x the range covers (its top bit if none), extended.
                let start = lo.min(xw - 1);
                let inner = self.add(Op::Slice { arg: x, lo: start }, xw - start);
                let ext = if signed {
                    Op::Sext(inner)
                } else {
                    Op::Zext(inner)
                };
                Some(self.add(ext, width))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::Builder;
    use crate::netlist::Design;

    /// Build `f(builder, x, y)` over two 8-bit inputs x and y, fold it, and
    /// return the folded design with the op of output `o`.
    fn fold_with(w: u32, f: impl FnOnce(&mut Builder, NodeId, NodeId) -> NodeId) -> (Design, Op) {
        let mut b = Builder::new("t");
        let x = b.input("x", w, false, Span::NONE);
        let y = b.input("y", w, false, Span::NONE);
        let o = f(&mut b, x, y);
        b.output("o", o, false, Span::NONE);
        let d = b.finish().unwrap();
        let c = super::super::dead_code(&constfold(&d));
        c.validate().unwrap();
        let op = c.node(c.outputs[0].node).op.clone();
        (c, op)
    }

    fn x() -> Op {
        Op::Input(crate::netlist::InputId(0))
    }

    fn konst(w: u32, v: u64) -> Op {
        Op::Const(Bits::from_u64(w, v))
    }

    fn bin_const(op: BinOp, c: u64, const_left: bool) -> Op {
        fold_with(8, |b, x, _| {
            let k = b.const_u64(8, c);
            if const_left {
                b.binary(op, k, x)
            } else {
                b.binary(op, x, k)
            }
        })
        .1
    }

    #[test]
    fn identities_with_constants() {
        assert_eq!(bin_const(BinOp::And, 0, false), konst(8, 0));
        assert_eq!(bin_const(BinOp::And, 0xff, true), x());
        assert_eq!(bin_const(BinOp::Or, 0, true), x());
        assert_eq!(bin_const(BinOp::Or, 0xff, false), konst(8, 0xff));
        assert_eq!(bin_const(BinOp::Xor, 0, false), x());
        assert!(matches!(
            bin_const(BinOp::Xor, 0xff, false),
            Op::Unary(UnOp::Not, _)
        ));
        assert_eq!(bin_const(BinOp::Add, 0, true), x());
        assert_eq!(bin_const(BinOp::Sub, 0, false), x());
        assert!(matches!(
            bin_const(BinOp::Sub, 0, true),
            Op::Binary(BinOp::Sub, _, _)
        ));
        assert_eq!(bin_const(BinOp::Mul, 1, true), x());
        assert_eq!(bin_const(BinOp::Mul, 0, false), konst(8, 0));
        assert_eq!(bin_const(BinOp::Udiv, 1, false), x());
        assert_eq!(bin_const(BinOp::Udiv, 0, false), konst(8, 0));
        assert_eq!(bin_const(BinOp::Srem, 0, false), konst(8, 0));
        assert_eq!(bin_const(BinOp::Sdiv, 0, true), konst(8, 0));
        assert_eq!(bin_const(BinOp::Urem, 1, false), konst(8, 0));
        assert_eq!(bin_const(BinOp::Shl, 0, false), x());
        assert_eq!(bin_const(BinOp::Ashr, 0, false), x());
        assert_eq!(bin_const(BinOp::Lshr, 8, false), konst(8, 0));
        assert!(matches!(bin_const(BinOp::Ashr, 8, false), Op::Binary(..)));
        assert_eq!(bin_const(BinOp::Shl, 0, true), konst(8, 0));
        assert_eq!(bin_const(BinOp::Ult, 0, false), konst(1, 0));
        assert_eq!(bin_const(BinOp::Ule, 0, true), konst(1, 1));
        assert_eq!(bin_const(BinOp::Ule, 0xff, false), konst(1, 1));
    }

    #[test]
    fn identical_operands() {
        for (op, want) in [
            (BinOp::And, x()),
            (BinOp::Or, x()),
            (BinOp::Xor, konst(8, 0)),
            (BinOp::Sub, konst(8, 0)),
            (BinOp::Eq, konst(1, 1)),
            (BinOp::Ne, konst(1, 0)),
            (BinOp::Ult, konst(1, 0)),
            (BinOp::Sle, konst(1, 1)),
        ] {
            let (_, got) = fold_with(8, |b, x, _| b.binary(op, x, x));
            assert_eq!(got, want, "{op:?}");
        }
    }

    #[test]
    fn all_constant_operands_fold() {
        let (d, op) = fold_with(8, |b, _, _| {
            let p = b.const_u64(8, 200);
            let q = b.const_u64(8, 100);
            let s = b.binary(BinOp::Add, p, q);
            let z = b.zext(s, 12);
            let n = b.unary(UnOp::Neg, z);
            b.slice(n, 4, 8)
        });
        // (200 + 100) mod 256 = 44; -44 in 12 bits = 0xfd4; bits [11:4] = 0xfd.
        assert_eq!(op, konst(8, 0xfd));
        assert_eq!(d.nodes.len(), 3);
    }

    #[test]
    fn mux_rules() {
        let (_, op) = fold_with(8, |b, x, y| {
            let one = b.const_u64(1, 1);
            b.mux(one, x, y)
        });
        assert_eq!(op, x());
        let (_, op) = fold_with(8, |b, x, y| {
            let s = b.binary(BinOp::Ult, x, y);
            b.mux(s, x, x)
        });
        assert_eq!(op, x());
        let (d, op) = fold_with(8, |b, x, y| {
            let s = b.binary(BinOp::Ult, x, y);
            let t = b.const_u64(1, 1);
            let f = b.const_u64(1, 0);
            let m = b.mux(s, t, f);
            b.zext(m, 8)
        });
        let Op::Zext(m) = op else { panic!("{op:?}") };
        assert!(matches!(d.node(m).op, Op::Binary(BinOp::Ult, _, _)));
        let (d, op) = fold_with(8, |b, x, y| {
            let s = b.binary(BinOp::Ult, x, y);
            let ns = b.unary(UnOp::Not, s);
            b.mux(ns, x, y)
        });
        let Op::Mux { sel, t, f } = op else {
            panic!("{op:?}")
        };
        assert!(matches!(d.node(sel).op, Op::Binary(BinOp::Ult, _, _)));
        assert_eq!((t, f), (NodeId(1), NodeId(0)));
    }

    #[test]
    fn double_negations() {
        let (_, op) = fold_with(8, |b, x, _| {
            let n = b.unary(UnOp::Not, x);
            b.unary(UnOp::Not, n)
        });
        assert_eq!(op, x());
        let (_, op) = fold_with(8, |b, x, _| {
            let n = b.unary(UnOp::Neg, x);
            b.unary(UnOp::Neg, n)
        });
        assert_eq!(op, x());
    }

    #[test]
    fn one_bit_compares_and_reductions() {
        let (_, op) = fold_with(1, |b, x, _| {
            let one = b.const_u64(1, 1);
            b.binary(BinOp::Eq, one, x)
        });
        assert_eq!(op, x());
        let (_, op) = fold_with(1, |b, x, _| {
            let z = b.const_u64(1, 0);
            b.binary(BinOp::Eq, x, z)
        });
        assert_eq!(op, Op::Unary(UnOp::Not, NodeId(0)));
        let (_, op) = fold_with(1, |b, x, _| b.unary(UnOp::RedXor, x));
        assert_eq!(op, x());
    }

    #[test]
    fn slices() {
        // Whole value.
        assert_eq!(fold_with(8, |b, x, _| b.slice(x, 0, 8)).1, x());
        // Slice of a slice.
        let (_, op) = fold_with(8, |b, x, _| {
            let s = b.slice(x, 2, 5);
            b.slice(s, 1, 3)
        });
        assert_eq!(
            op,
            Op::Slice {
                arg: NodeId(0),
                lo: 3
            }
        );
        // Slice of a concat inside one part, and across two parts.
        let (_, op) = fold_with(8, |b, x, y| {
            let c = b.concat(vec![x, y]);
            b.slice(c, 8, 8)
        });
        assert_eq!(op, x());
        let (d, op) = fold_with(8, |b, x, y| {
            let c = b.concat(vec![x, y]);
            b.slice(c, 4, 8)
        });
        let Op::Concat(parts) = op else {
            panic!("{op:?}")
        };
        assert_eq!(
            d.node(parts[0]).op,
            Op::Slice {
                arg: NodeId(0),
                lo: 0
            }
        );
        assert_eq!(
            d.node(parts[1]).op,
            Op::Slice {
                arg: NodeId(1),
                lo: 4
            }
        );
        // Slices of extensions.
        let (_, op) = fold_with(8, |b, x, _| {
            let z = b.zext(x, 16);
            b.slice(z, 8, 8)
        });
        assert_eq!(op, konst(8, 0));
        let (_, op) = fold_with(8, |b, x, _| {
            let z = b.sext(x, 16);
            b.slice(z, 1, 4)
        });
        assert_eq!(
            op,
            Op::Slice {
                arg: NodeId(0),
                lo: 1
            }
        );
        let (d, op) = fold_with(8, |b, x, _| {
            let z = b.sext(x, 16);
            b.slice(z, 9, 3)
        });
        let Op::Sext(top) = op else { panic!("{op:?}") };
        assert_eq!(
            d.node(top).op,
            Op::Slice {
                arg: NodeId(0),
                lo: 7
            }
        );
    }

    #[test]
    fn extensions_and_concats() {
        let (_, op) = fold_with(8, |b, x, _| {
            let z = b.zext(x, 12);
            b.zext(z, 16)
        });
        assert_eq!(op, Op::Zext(NodeId(0)));
        let (_, op) = fold_with(8, |b, x, _| {
            let z = b.zext(x, 12);
            b.sext(z, 16)
        });
        assert_eq!(op, Op::Zext(NodeId(0)));
        let (_, op) = fold_with(8, |b, x, _| {
            let z = b.sext(x, 12);
            b.sext(z, 16)
        });
        assert_eq!(op, Op::Sext(NodeId(0)));
        // Adjacent constants merge; a leading zero becomes a zero extension.
        let (d, op) = fold_with(8, |b, x, _| {
            let c1 = b.const_u64(2, 1);
            let c2 = b.const_u64(2, 2);
            b.concat(vec![x, c1, c2])
        });
        let Op::Concat(parts) = op else {
            panic!("{op:?}")
        };
        assert_eq!(d.node(parts[1]).op, konst(4, 0b0110));
        let (_, op) = fold_with(8, |b, x, _| {
            let z = b.const_u64(3, 0);
            b.concat(vec![z, x])
        });
        assert_eq!(op, Op::Zext(NodeId(0)));
        // Adjacent slices of one value merge back into it.
        let (_, op) = fold_with(8, |b, x, _| {
            let h = b.slice(x, 4, 4);
            let l = b.slice(x, 0, 4);
            b.concat(vec![h, l])
        });
        assert_eq!(op, x());
    }
}
