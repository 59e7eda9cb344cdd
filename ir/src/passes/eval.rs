//! A slow, obviously-correct reference evaluator of the IR on [`Bits`].
//!
//! Constant folding uses [`eval_op`]; tests and the engines' own test suites
//! use [`eval_comb`] and [`step`] to cross-check faster implementations.

use crate::bits::Bits;
use crate::netlist::{BinOp, Design, Op, UnOp};

/// Value of one operator on constant operands (`args` in [`Op::operands`]
/// order, of the widths the IR requires), giving a result of `width` bits.
///
/// Returns `None` for the leaves that need state (inputs, registers, memory
/// reads). Panics if `args` does not match the operator: that is a bug in the
/// caller, not a user error.
pub fn eval_op(op: &Op, width: u32, args: &[Bits]) -> Option<Bits> {
    let v = match op {
        Op::Const(b) => b.clone(),
        Op::Input(_) | Op::Reg(_) | Op::MemRead { .. } => return None,
        Op::Unary(u, _) => {
            let a = &args[0];
            match u {
                UnOp::Not => a.not(),
                UnOp::Neg => a.neg(),
                UnOp::RedAnd => Bits::from_bool(a.is_ones()),
                UnOp::RedOr => Bits::from_bool(!a.is_zero()),
                UnOp::RedXor => Bits::from_bool(a.count_ones() % 2 == 1),
            }
        }
        Op::Binary(b, _, _) => eval_binary(*b, &args[0], &args[1]),
        Op::Mux { .. } => {
            if args[0].is_zero() {
                args[2].clone()
            } else {
                args[1].clone()
            }
        }
        Op::Concat(_) => {
            let mut it = args.iter();
            let first = it.next().expect("concat has at least one operand").clone();
            it.fold(first, |acc, x| acc.concat(x))
        }
        Op::Slice { lo, .. } => args[0].slice(*lo, width),
        Op::Zext(_) => args[0].zext(width),
        Op::Sext(_) => args[0].sext(width),
    };
    debug_assert_eq!(v.width(), width, "eval_op width of {op:?}");
    Some(v)
}

/// Value of a binary operator (shifts take any amount width; comparisons
/// give 1 bit).
pub fn eval_binary(op: BinOp, a: &Bits, b: &Bits) -> Bits {
    match op {
        BinOp::Add => a.add(b),
        BinOp::Sub => a.sub(b),
        BinOp::Mul => a.mul(b),
        BinOp::Udiv => a.udiv(b),
        BinOp::Urem => a.urem(b),
        BinOp::Sdiv => a.sdiv(b),
        BinOp::Srem => a.srem(b),
        BinOp::And => a.and(b),
        BinOp::Or => a.or(b),
        BinOp::Xor => a.xor(b),
        BinOp::Shl => a.shl(b),
        BinOp::Lshr => a.lshr(b),
        BinOp::Ashr => a.ashr(b),
        BinOp::Eq => Bits::from_bool(a == b),
        BinOp::Ne => Bits::from_bool(a != b),
        BinOp::Ult => Bits::from_bool(a.ult(b)),
        BinOp::Ule => Bits::from_bool(!b.ult(a)),
        BinOp::Slt => Bits::from_bool(a.slt(b)),
        BinOp::Sle => Bits::from_bool(!b.slt(a)),
    }
}

/// Value of every node in one cycle, given the inputs (one per
/// `design.inputs`), the registers' current values (one per `design.regs`)
/// and memory contents (one vector per `design.mems`; missing words read 0).
///
/// Panics if a given value has the wrong width or a slice is too short: the
/// caller's bug.
pub fn eval_comb(design: &Design, inputs: &[Bits], regs: &[Bits], mems: &[Vec<Bits>]) -> Vec<Bits> {
    assert_eq!(inputs.len(), design.inputs.len(), "one value per input");
    assert_eq!(regs.len(), design.regs.len(), "one value per register");
    assert_eq!(mems.len(), design.mems.len(), "one vector per memory");
    let mut vals: Vec<Bits> = Vec::with_capacity(design.nodes.len());
    for node in &design.nodes {
        let v = match &node.op {
            Op::Input(i) => inputs[i.index()].clone(),
            Op::Reg(r) => regs[r.index()].clone(),
            Op::MemRead { mem, addr } => {
                let m = &design.mems[mem.index()];
                let a = vals[addr.index()].to_u64();
                match a {
                    Some(a) if a < m.depth => mems[mem.index()]
                        .get(a as usize)
                        .cloned()
                        .unwrap_or_else(|| Bits::zero(node.width)),
                    _ => Bits::zero(node.width),
                }
            }
            op => {
                let args: Vec<Bits> = op
                    .operands()
                    .iter()
                    .map(|a| vals[a.index()].clone())
                    .collect();
                eval_op(op, node.width, &args).expect("non-leaf operators always evaluate")
            }
        };
        assert_eq!(v.width(), node.width, "value width of {:?}", node.op);
        vals.push(v);
    }
    vals
}

/// The state after one cycle's clock edge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Every node's value in the cycle (before the edge).
    pub values: Vec<Bits>,
    pub regs: Vec<Bits>,
    pub mems: Vec<Vec<Bits>>,
}

/// One full cycle: [`eval_comb`], then registers take `next` and memory
/// write ports with `en == 1` write in order (later ports win; out-of-range
/// addresses write nothing).
pub fn step(design: &Design, inputs: &[Bits], regs: &[Bits], mems: &[Vec<Bits>]) -> Step {
    let values = eval_comb(design, inputs, regs, mems);
    let next_regs = design
        .regs
        .iter()
        .map(|r| values[r.next.index()].clone())
        .collect();
    let mut next_mems: Vec<Vec<Bits>> = mems.to_vec();
    for (m, mem) in design.mems.iter().enumerate() {
        for w in &mem.writes {
            if values[w.en.index()].is_zero() {
                continue;
            }
            if let Some(a) = values[w.addr.index()].to_u64() {
                if a < mem.depth {
                    let words = &mut next_mems[m];
                    if words.len() <= a as usize {
                        words.resize(a as usize + 1, Bits::zero(mem.width));
                    }
                    words[a as usize] = values[w.data.index()].clone();
                }
            }
        }
    }
    Step {
        values,
        regs: next_regs,
        mems: next_mems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::Builder;
    use crate::source::Span;

    fn b(w: u32, v: u64) -> Bits {
        Bits::from_u64(w, v)
    }

    #[test]
    fn binary_edge_cases() {
        assert_eq!(eval_binary(BinOp::Udiv, &b(8, 9), &b(8, 0)), b(8, 0));
        assert_eq!(eval_binary(BinOp::Srem, &b(8, 9), &b(8, 0)), b(8, 0));
        assert_eq!(eval_binary(BinOp::Shl, &b(8, 1), &b(4, 8)), b(8, 0));
        assert_eq!(eval_binary(BinOp::Ashr, &b(8, 0x80), &b(4, 9)), b(8, 0xff));
        assert_eq!(eval_binary(BinOp::Ule, &b(3, 5), &b(3, 5)), b(1, 1));
        assert_eq!(eval_binary(BinOp::Sle, &b(3, 4), &b(3, 3)), b(1, 1));
        assert_eq!(eval_binary(BinOp::Slt, &b(3, 3), &b(3, 4)), b(1, 0));
    }

    #[test]
    fn ops_and_reductions() {
        let c = |x| Op::Concat(vec![crate::netlist::NodeId(0); x]);
        assert_eq!(eval_op(&c(2), 8, &[b(4, 0xa), b(4, 5)]), Some(b(8, 0xa5)));
        let s = Op::Slice {
            arg: crate::netlist::NodeId(0),
            lo: 4,
        };
        assert_eq!(eval_op(&s, 4, &[b(8, 0xa5)]), Some(b(4, 0xa)));
        let rx = Op::Unary(UnOp::RedXor, crate::netlist::NodeId(0));
        assert_eq!(eval_op(&rx, 1, &[b(8, 0b111)]), Some(b(1, 1)));
        assert_eq!(
            eval_op(&Op::Input(crate::netlist::InputId(0)), 1, &[]),
            None
        );
    }

    #[test]
    fn counter_and_memory_step() {
        let mut bd = Builder::new("t");
        let en = bd.input("en", 1, false, Span::NONE);
        let (r, q) = bd.reg("t.q", 4, Some(Bits::zero(4)), Span::NONE);
        let one = bd.const_u64(4, 1);
        let inc = bd.binary(BinOp::Add, q, one);
        let nx = bd.mux(en, inc, q);
        bd.set_next(r, nx);
        let m = bd.memory("t.m", 4, 3, None, Span::NONE);
        let a = bd.slice(q, 0, 2);
        let rd = bd.mem_read(m, a, Span::NONE);
        bd.mem_write(m, en, a, q);
        bd.output("rd", rd, false, Span::NONE);
        let d = bd.finish().unwrap();
        let mut regs = vec![b(4, 2)];
        let mut mems = vec![vec![b(4, 7), b(4, 8), b(4, 9)]];
        let s = step(&d, &[b(1, 1)], &regs, &mems);
        assert_eq!(s.values[rd.index()], b(4, 9));
        assert_eq!(s.regs, vec![b(4, 3)]);
        assert_eq!(s.mems[0][2], b(4, 2));
        regs = s.regs;
        mems = s.mems;
        // Address 3 is out of range: reads 0 and the write is dropped.
        let s = step(&d, &[b(1, 1)], &regs, &mems);
        assert_eq!(s.values[rd.index()], b(4, 0));
        assert_eq!(s.mems, mems);
    }
}
