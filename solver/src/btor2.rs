//! BTOR2 output: the design with its properties, for other model checkers
//! (btormc, Pono, rIC3, AVR).
//!
//! Mapping (the BMC's own conventions, so results agree):
//! - every node in the cone of the properties becomes one BTOR2 node; 1-bit
//!   values are `sort bitvec 1`;
//! - inputs are `input`, registers `state` with an `init` when the design
//!   gives an initial value (free otherwise, as in the BMC), and `next`;
//! - memories are one `state` per word (the BMC's explicit-words encoding:
//!   reads are `ite` chains, out-of-range reads give 0, out-of-range writes
//!   do nothing, a later write port wins); memories deeper than
//!   [`MAX_MEM_WORDS`] are refused rather than written as huge files;
//! - division and remainder by zero give 0 (`ite` around `udiv`...), shifts
//!   by an amount of another width are widened or saturated first;
//! - `assert`: `bad` on its violation node, symbol = property name;
//! - `assume`: `constraint` on its negated violation node;
//! - `cover`: `output` on its hit node, symbol `cover:<name>` (BTOR2 has no
//!   cover; a checker finds a witness by making that output `bad`);
//! - reset: a counter state `verify.reset_count` (init 0, counts up to the
//!   reset length and stays) and a `constraint` holding the reset input at
//!   its active level while the counter is below the length.
//!
//! A `bad` reached at bound `k` by a BTOR2 checker is a failure at BMC depth
//! `k` (cycle `k` counted from 0).

use crate::encode::Cone;
use ir::bits::Bits;
use ir::reset::ResetInput;
use ir::{BinOp, Design, NodeId, Op, PropKind, UnOp};
use std::collections::HashMap;
use std::fmt::Write as _;

/// Memories with more words than this are not written (one state per word).
pub const MAX_MEM_WORDS: u64 = 4096;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Btor2Error {
    #[error("memory `{name}` has {depth} words; BTOR2 output writes one state per word and stops at {max}")]
    MemoryTooDeep { name: String, depth: u64, max: u64 },
    #[error("invalid design: {0}")]
    InvalidDesign(String),
    #[error("`{0}` is a liveness property; BTOR2 output writes safety properties only (remove it, or check it with `verify --bmc`)")]
    Liveness(String),
}

struct W {
    out: String,
    next_id: u64,
    sorts: HashMap<u32, u64>,
}

impl W {
    fn line(&mut self, body: std::fmt::Arguments) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let _ = writeln!(self.out, "{id} {body}");
        id
    }

    fn sort(&mut self, w: u32) -> u64 {
        if let Some(s) = self.sorts.get(&w) {
            return *s;
        }
        let s = self.line(format_args!("sort bitvec {w}"));
        self.sorts.insert(w, s);
        s
    }

    fn konst(&mut self, b: &Bits) -> u64 {
        let s = self.sort(b.width());
        if b.is_zero() {
            self.line(format_args!("zero {s}"))
        } else {
            self.line(format_args!("const {s} {}", b.to_binary()))
        }
    }

    fn u(&mut self, op: &str, w: u32, a: u64) -> u64 {
        let s = self.sort(w);
        self.line(format_args!("{op} {s} {a}"))
    }

    fn b(&mut self, op: &str, w: u32, a: u64, b: u64) -> u64 {
        let s = self.sort(w);
        self.line(format_args!("{op} {s} {a} {b}"))
    }

    fn ite(&mut self, w: u32, c: u64, t: u64, f: u64) -> u64 {
        let s = self.sort(w);
        self.line(format_args!("ite {s} {c} {t} {f}"))
    }

    fn eq_const(&mut self, a: u64, aw: u32, v: u64) -> u64 {
        let c = self.konst(&Bits::from_u64(aw, v));
        self.b("eq", 1, a, c)
    }
}

/// The design and its properties in BTOR2. `reset`: the reset convention of
/// the run the file should reproduce (as [`crate::check`] uses it).
pub fn write_btor2(d: &Design, reset: Option<&ResetInput>) -> Result<String, Btor2Error> {
    d.validate().map_err(Btor2Error::InvalidDesign)?;
    if let Some(p) = d.props.iter().find(|p| p.kind.is_liveness()) {
        return Err(Btor2Error::Liveness(p.name.clone()));
    }
    let roots: Vec<NodeId> = d.props.iter().map(|p| p.node).collect();
    let coi = Cone::of(d, &roots);
    for (i, m) in d.mems.iter().enumerate() {
        if coi.mems[i] && m.depth > MAX_MEM_WORDS {
            return Err(Btor2Error::MemoryTooDeep {
                name: m.name.clone(),
                depth: m.depth,
                max: MAX_MEM_WORDS,
            });
        }
    }
    let mut w = W {
        out: String::new(),
        next_id: 1,
        sorts: HashMap::new(),
    };
    let _ = writeln!(
        w.out,
        "; BTOR2 model of `{}` written by verify {} (see solver/src/btor2.rs for the mapping)",
        d.top,
        env!("CARGO_PKG_VERSION")
    );
    // Leaves first: inputs, register states, memory word states.
    let mut inputs = vec![None; d.inputs.len()];
    for (i, inp) in d.inputs.iter().enumerate() {
        let is_reset = reset.is_some_and(|r| r.input.index() == i);
        if coi.inputs[i] || is_reset {
            let s = w.sort(inp.width);
            inputs[i] = Some(w.line(format_args!("input {s} {}", inp.name)));
        }
    }
    let mut regs = vec![None; d.regs.len()];
    for (i, r) in d.regs.iter().enumerate() {
        if !coi.regs[i] {
            continue;
        }
        let s = w.sort(r.width);
        // btor2parser wants an init value's id below its state's id.
        let c = r.init.as_ref().map(|b| w.konst(b));
        let st = w.line(format_args!("state {s} {}", r.name));
        if let Some(c) = c {
            w.line(format_args!("init {s} {st} {c}"));
        }
        regs[i] = Some(st);
    }
    let mut mems: Vec<Vec<u64>> = vec![Vec::new(); d.mems.len()];
    for (i, m) in d.mems.iter().enumerate() {
        if !coi.mems[i] {
            continue;
        }
        let s = w.sort(m.width);
        for j in 0..m.depth {
            let c = m.init.as_ref().map(|init| w.konst(&init[j as usize]));
            let st = w.line(format_args!("state {s} {}[{j}]", m.name));
            if let Some(c) = c {
                w.line(format_args!("init {s} {st} {c}"));
            }
            mems[i].push(st);
        }
    }
    // Nodes in topological order.
    let mut ids: Vec<u64> = vec![0; d.nodes.len()];
    for (i, node) in d.nodes.iter().enumerate() {
        if !coi.nodes[i] {
            continue;
        }
        let width = node.width;
        let a = |n: &NodeId| ids[n.index()];
        let id = match &node.op {
            Op::Const(b) => w.konst(b),
            // In the cone by construction: the COI marks every leaf it reaches.
            Op::Input(x) => inputs[x.index()].expect("input in cone"),
            Op::Reg(r) => regs[r.index()].expect("register in cone"),
            Op::MemRead { mem, addr } => {
                let aw = d.width(*addr);
                let addr_id = a(addr);
                let mut acc = w.konst(&Bits::zero(width));
                for (j, word) in mems[mem.index()].clone().into_iter().enumerate().rev() {
                    if aw < 64 && (j as u64) >= (1u64 << aw) {
                        continue;
                    }
                    let hit = w.eq_const(addr_id, aw, j as u64);
                    acc = w.ite(width, hit, word, acc);
                }
                acc
            }
            Op::Unary(u, x) => {
                let op = match u {
                    UnOp::Not => "not",
                    UnOp::Neg => "neg",
                    UnOp::RedAnd => "redand",
                    UnOp::RedOr => "redor",
                    UnOp::RedXor => "redxor",
                };
                w.u(op, width, a(x))
            }
            Op::Binary(op, x, y) => {
                binary(&mut w, *op, width, a(x), d.width(*x), a(y), d.width(*y))
            }
            Op::Mux { sel, t, f } => w.ite(width, a(sel), a(t), a(f)),
            Op::Concat(parts) => {
                let mut acc = a(&parts[0]);
                let mut accw = d.width(parts[0]);
                for p in &parts[1..] {
                    accw += d.width(*p);
                    acc = w.b("concat", accw, acc, a(p));
                }
                acc
            }
            Op::Slice { arg, lo } => {
                let s = w.sort(width);
                let x = a(arg);
                w.line(format_args!("slice {s} {x} {} {lo}", lo + width - 1))
            }
            Op::Zext(x) | Op::Sext(x) => {
                let extra = width - d.width(*x);
                if extra == 0 {
                    a(x)
                } else {
                    let s = w.sort(width);
                    let kw = if matches!(node.op, Op::Zext(_)) {
                        "uext"
                    } else {
                        "sext"
                    };
                    let xi = a(x);
                    w.line(format_args!("{kw} {s} {xi} {extra}"))
                }
            }
        };
        ids[i] = id;
    }
    // Transitions.
    for (i, r) in d.regs.iter().enumerate() {
        if let Some(st) = regs[i] {
            let s = w.sort(r.width);
            let n = ids[r.next.index()];
            w.line(format_args!("next {s} {st} {n}"));
        }
    }
    for (i, m) in d.mems.iter().enumerate() {
        if !coi.mems[i] {
            continue;
        }
        let mut nexts = mems[i].clone();
        for wp in &m.writes {
            let (en, addr, data) = (
                ids[wp.en.index()],
                ids[wp.addr.index()],
                ids[wp.data.index()],
            );
            let aw = d.width(wp.addr);
            for (j, nx) in nexts.iter_mut().enumerate() {
                if aw < 64 && (j as u64) >= (1u64 << aw) {
                    break;
                }
                let hit_addr = w.eq_const(addr, aw, j as u64);
                let hit = w.b("and", 1, en, hit_addr);
                *nx = w.ite(m.width, hit, data, *nx);
            }
        }
        let s = w.sort(m.width);
        for (st, nx) in mems[i].iter().zip(nexts) {
            w.line(format_args!("next {s} {st} {nx}"));
        }
    }
    // Reset: a saturating counter and a constraint while it is below the length.
    if let Some(r) = reset.filter(|r| r.reset.cycles > 0) {
        let cw = 64 - r.reset.cycles.leading_zeros();
        let s = w.sort(cw);
        let zero = w.konst(&Bits::zero(cw));
        let cnt = w.line(format_args!("state {s} verify.reset_count"));
        w.line(format_args!("init {s} {cnt} {zero}"));
        let len = w.konst(&Bits::from_u64(cw, r.reset.cycles));
        let one = w.konst(&Bits::from_u64(cw, 1));
        let below = w.b("ult", 1, cnt, len);
        let inc = w.b("add", cw, cnt, one);
        let nx = w.ite(cw, below, inc, cnt);
        w.line(format_args!("next {s} {cnt} {nx}"));
        // The reset input exists in `inputs`: it is emitted whenever a reset is given.
        let rst = inputs[r.input.index()].expect("reset input emitted");
        let level = if !r.reset.active_low {
            rst
        } else {
            w.u("not", 1, rst)
        };
        let hold = w.b("implies", 1, below, level);
        w.line(format_args!("constraint {hold} verify.reset"));
    }
    // Properties.
    for p in &d.props {
        let n = ids[p.node.index()];
        match p.kind {
            PropKind::Assert => {
                w.line(format_args!("bad {n} {}", p.name));
            }
            PropKind::Assume => {
                let ok = w.u("not", 1, n);
                w.line(format_args!("constraint {ok} {}", p.name));
            }
            PropKind::Cover => {
                w.line(format_args!("output {n} cover:{}", p.name));
            }
            PropKind::Live | PropKind::Fair => unreachable!("refused above"),
        }
    }
    Ok(w.out)
}

/// One binary operator, with the IR's conventions where BTOR2's differ.
fn binary(w: &mut W, op: BinOp, width: u32, x: u64, xw: u32, y: u64, yw: u32) -> u64 {
    let plain = |op| -> Option<&'static str> {
        Some(match op {
            BinOp::Add => "add",
            BinOp::Sub => "sub",
            BinOp::Mul => "mul",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Xor => "xor",
            BinOp::Eq => "eq",
            BinOp::Ne => "neq",
            BinOp::Ult => "ult",
            BinOp::Ule => "ulte",
            BinOp::Slt => "slt",
            BinOp::Sle => "slte",
            _ => return None,
        })
    };
    if let Some(name) = plain(op) {
        return w.b(name, width, x, y);
    }
    match op {
        BinOp::Udiv | BinOp::Urem | BinOp::Sdiv | BinOp::Srem => {
            // Division by zero gives 0 (BTOR2 follows SMT-LIB: all ones / dividend).
            let name = match op {
                BinOp::Udiv => "udiv",
                BinOp::Urem => "urem",
                BinOp::Sdiv => "sdiv",
                _ => "srem",
            };
            let q = w.b(name, width, x, y);
            let z = w.konst(&Bits::zero(width));
            let by_zero = w.b("eq", 1, y, z);
            w.ite(width, by_zero, z, q)
        }
        _ => {
            // Shifts: BTOR2 wants the amount in the value's width.
            let name = match op {
                BinOp::Shl => "sll",
                BinOp::Lshr => "srl",
                _ => "sra",
            };
            if yw == xw {
                w.b(name, width, x, y)
            } else if yw < xw {
                let s = w.sort(xw);
                let ext = w.line(format_args!("uext {s} {y} {}", xw - yw));
                w.b(name, width, x, ext)
            } else {
                // yw > xw: amounts >= xw shift everything out.
                let big_c = w.konst(&Bits::from_u64(yw, xw as u64));
                let big = w.b("ugte", 1, y, big_c);
                let s = w.sort(xw);
                let low = w.line(format_args!("slice {s} {y} {} 0", xw - 1));
                let shifted = w.b(name, width, x, low);
                let out = if op == BinOp::Ashr {
                    let top = w.konst(&Bits::from_u64(xw, xw as u64 - 1));
                    w.b("sra", width, x, top)
                } else {
                    w.konst(&Bits::zero(xw))
                };
                w.ite(width, big, out, shifted)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ir::builder::Builder;
    use ir::Span;

    #[test]
    fn counter_with_assert_and_reset() {
        let mut b = Builder::new("t");
        let rst = b.input("rst", 1, false, Span::NONE);
        let (r, q) = b.reg("t.c", 4, Some(Bits::zero(4)), Span::NONE);
        let one = b.const_u64(4, 1);
        let inc = b.binary(BinOp::Add, q, one);
        let zero = b.const_u64(4, 0);
        let nx = b.mux(rst, zero, inc);
        b.set_next(r, nx);
        let nine = b.const_u64(4, 9);
        let bad = b.binary(BinOp::Eq, q, nine);
        b.property("t.a", PropKind::Assert, bad, Span::NONE);
        let d = b.finish().unwrap();
        let reset = ir::reset::Reset {
            name: "rst".into(),
            active_low: false,
            cycles: 1,
        }
        .find(&d)
        .unwrap();
        let text = write_btor2(&d, Some(&reset)).unwrap();
        assert!(text.contains("state "), "{text}");
        assert!(text.contains(" t.c\n"), "{text}");
        assert!(text.contains("bad "), "{text}");
        assert!(text.contains("verify.reset_count"), "{text}");
        assert!(text.contains("constraint "), "{text}");
        // Every reference is to an earlier line id.
        for line in text.lines().filter(|l| !l.starts_with(';')) {
            let toks: Vec<&str> = line.split_whitespace().collect();
            let id: u64 = toks[0].parse().unwrap();
            // Operand positions: the sort, then node ids (not the immediates
            // of slice/uext/sext, not constants' digits, not symbols).
            let refs = match toks[1] {
                "sort" => 0,
                "const" | "zero" | "input" | "state" => 1,
                "slice" | "uext" | "sext" => 2,
                "bad" | "constraint" | "output" => 1,
                _ => toks.len() - 2,
            };
            for t in toks.iter().skip(2).take(refs) {
                if let Ok(r) = t.parse::<u64>() {
                    assert!(r < id, "line `{line}` refers forward");
                }
            }
        }
    }
}
