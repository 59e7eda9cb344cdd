//! Reference evaluation of IR operators on constants ([`Bits`]).
//!
//! Used twice: to fold constant nodes before anything reaches Z3, and by
//! [`replay`] to re-run a witness trace on the design (a cheap self-check of
//! every trace the solver produces, and the oracle of the tests).

use rtl::bits::Bits;
use rtl::ir::{BinOp, Design, Op, UnOp};
use rtl::trace::{Trace, TraceError};

/// The value of a node whose operands are all known. `width` is the node's
/// width; `args` are the operand values in [`Op::operands`] order. Returns
/// None for leaves (inputs, registers, memory reads), which have no operands
/// to fold.
pub fn eval_op(op: &Op, width: u32, args: &[Bits]) -> Option<Bits> {
    Some(match op {
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
            let mut acc = args[0].clone();
            for a in &args[1..] {
                acc = acc.concat(a);
            }
            acc
        }
        Op::Slice { lo, .. } => args[0].slice(*lo, width),
        Op::Zext(_) => args[0].zext(width),
        Op::Sext(_) => args[0].sext(width),
    })
}

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

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error(transparent)]
    Trace(#[from] TraceError),
    #[error("register `{0}` has no initial value and the trace gives none")]
    MissingInit(String),
    #[error("memory `{mem}` word {word}: bad value in the trace")]
    BadMemInit { mem: String, word: String },
}

/// Run the design on a trace, cycle by cycle, and return every node's value
/// in every cycle (`out[cycle][node]`). Registers with neither an initial
/// value nor a trace `init` entry are an error; memory words with neither
/// read as 0 (any value would do: the caller asked for a deterministic run).
pub fn replay(d: &Design, t: &Trace) -> Result<Vec<Vec<Bits>>, ReplayError> {
    let rows = t.decode(d)?;
    let given: Vec<(usize, Bits)> = t.decode_init(d)?;
    let mut regs: Vec<Bits> = Vec::with_capacity(d.regs.len());
    for (i, r) in d.regs.iter().enumerate() {
        // A trace entry wins over the design's init (induction traces start
        // from arbitrary states).
        let v = given
            .iter()
            .find(|(j, _)| *j == i)
            .map(|(_, b)| b.clone())
            .or_else(|| r.init.clone())
            .ok_or_else(|| ReplayError::MissingInit(r.name.clone()))?;
        regs.push(v);
    }
    let mut mems: Vec<Vec<Bits>> = Vec::with_capacity(d.mems.len());
    for m in &d.mems {
        let mut words = m
            .init
            .clone()
            .unwrap_or_else(|| vec![Bits::zero(m.width); m.depth as usize]);
        if let Some(over) = t.mem_init.get(&m.name) {
            for (k, v) in over {
                let bad = || ReplayError::BadMemInit {
                    mem: m.name.clone(),
                    word: k.clone(),
                };
                let i: usize = k.parse().map_err(|_| bad())?;
                let b = Bits::from_hex(m.width, v).ok_or_else(bad)?;
                if i < words.len() {
                    words[i] = b;
                }
            }
        }
        mems.push(words);
    }
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut vals: Vec<Bits> = Vec::with_capacity(d.nodes.len());
        for n in &d.nodes {
            let v = match &n.op {
                Op::Input(i) => row[i.index()].clone(),
                Op::Reg(r) => regs[r.index()].clone(),
                Op::MemRead { mem, addr } => {
                    let a = &vals[addr.index()];
                    let words = &mems[mem.index()];
                    match a.to_u64() {
                        Some(i) if (i as u128) < words.len() as u128 => words[i as usize].clone(),
                        _ => Bits::zero(n.width),
                    }
                }
                op => {
                    let args: Vec<Bits> = op
                        .operands()
                        .iter()
                        .map(|a| vals[a.index()].clone())
                        .collect();
                    // Leaves are handled above, so eval_op answers.
                    eval_op(op, n.width, &args).expect("non-leaf node")
                }
            };
            vals.push(v);
        }
        for (i, r) in d.regs.iter().enumerate() {
            regs[i] = vals[r.next.index()].clone();
        }
        for (mi, m) in d.mems.iter().enumerate() {
            for w in &m.writes {
                if !vals[w.en.index()].is_zero() {
                    if let Some(i) = vals[w.addr.index()].to_u64() {
                        if (i as u128) < m.depth as u128 {
                            mems[mi][i as usize] = vals[w.data.index()].clone();
                        }
                    }
                }
            }
        }
        out.push(vals);
    }
    Ok(out)
}
