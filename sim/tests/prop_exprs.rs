//! Random expression trees of random widths (1..=200), checked against an
//! independent big-integer reference evaluator written here with num-bigint
//! (deliberately not using `rtl::Bits` arithmetic).

use num_bigint::{BigInt, BigUint, Sign};
use proptest::prelude::*;
use rtl::builder::Builder;
use rtl::ir::{BinOp, Design, NodeId, Op, UnOp};
use rtl::{Bits, Span};
use sim::{InitMode, Program, Sim};
use std::sync::Arc;

const BINOPS: [BinOp; 19] = BinOp::ALL;
const UNOPS: [UnOp; 5] = [
    UnOp::Not,
    UnOp::Neg,
    UnOp::RedAnd,
    UnOp::RedOr,
    UnOp::RedXor,
];

fn big(v: u64) -> BigUint {
    BigUint::from(v)
}

fn pow2(w: u32) -> BigUint {
    big(1) << w as usize
}

fn mask(w: u32) -> BigUint {
    pow2(w) - big(1)
}

fn signed(a: &BigUint, w: u32) -> BigInt {
    if a.bit(w as u64 - 1) {
        BigInt::from(a.clone()) - BigInt::from(pow2(w))
    } else {
        BigInt::from(a.clone())
    }
}

fn unsigned(x: &BigInt, w: u32) -> BigUint {
    let m = BigInt::from(pow2(w));
    let r = ((x % &m) + &m) % &m;
    r.to_biguint().expect("non-negative by construction")
}

fn bool_(b: bool) -> BigUint {
    big(b as u64)
}

/// Reference value of every node, computed from the IR with BigUint/BigInt.
fn reference(d: &Design, inputs: &[BigUint]) -> Vec<BigUint> {
    let mut v: Vec<BigUint> = Vec::with_capacity(d.nodes.len());
    for n in &d.nodes {
        let w = n.width;
        let g = |id: &NodeId| v[id.index()].clone();
        let wd = |id: &NodeId| d.nodes[id.index()].width;
        let r = match &n.op {
            Op::Const(b) => b.value().clone(),
            Op::Input(i) => inputs[i.index()].clone() & mask(w),
            Op::Reg(_) | Op::MemRead { .. } => unreachable!("not generated"),
            Op::Unary(o, a) => {
                let (x, aw) = (g(a), wd(a));
                match o {
                    UnOp::Not => mask(w) ^ x,
                    UnOp::Neg => (pow2(w) - x) & mask(w),
                    UnOp::RedAnd => bool_(x == mask(aw)),
                    UnOp::RedOr => bool_(x != big(0)),
                    UnOp::RedXor => bool_(x.count_ones() % 2 == 1),
                }
            }
            Op::Binary(o, a, b) => {
                let (x, y, aw) = (g(a), g(b), wd(a));
                let (sx, sy) = (signed(&x, aw), signed(&y, aw));
                let amt = |y: &BigUint| -> Option<usize> {
                    if y >= &big(aw as u64) {
                        None
                    } else {
                        Some(y.iter_u64_digits().next().unwrap_or(0) as usize)
                    }
                };
                match o {
                    BinOp::Add => (x + y) & mask(w),
                    BinOp::Sub => (x + pow2(w) - y) & mask(w),
                    BinOp::Mul => (x * y) & mask(w),
                    BinOp::Udiv if y == big(0) => big(0),
                    BinOp::Urem if y == big(0) => big(0),
                    BinOp::Sdiv | BinOp::Srem if y == big(0) => big(0),
                    BinOp::Udiv => x / y,
                    BinOp::Urem => x % y,
                    BinOp::Sdiv => unsigned(&(sx / sy), w),
                    BinOp::Srem => unsigned(&(sx % sy), w),
                    BinOp::And => x & y,
                    BinOp::Or => x | y,
                    BinOp::Xor => x ^ y,
                    BinOp::Shl => match amt(&y) {
                        Some(s) => (x << s) & mask(w),
                        None => big(0),
                    },
                    BinOp::Lshr => match amt(&y) {
                        Some(s) => x >> s,
                        None => big(0),
                    },
                    BinOp::Ashr => {
                        let s = amt(&y).unwrap_or(aw as usize);
                        // BigInt >> rounds toward minus infinity: arithmetic shift.
                        unsigned(&(sx >> s), w)
                    }
                    BinOp::Eq => bool_(x == y),
                    BinOp::Ne => bool_(x != y),
                    BinOp::Ult => bool_(x < y),
                    BinOp::Ule => bool_(x <= y),
                    BinOp::Slt => bool_(sx < sy),
                    BinOp::Sle => bool_(sx <= sy),
                }
            }
            Op::Mux { sel, t, f } => {
                if g(sel) == big(1) {
                    g(t)
                } else {
                    g(f)
                }
            }
            Op::Concat(parts) => {
                let mut acc = big(0);
                for p in parts {
                    acc = (acc << wd(p) as usize) | g(p);
                }
                acc
            }
            Op::Slice { arg, lo } => (g(arg) >> *lo as usize) & mask(w),
            Op::Zext(a) => g(a),
            Op::Sext(a) => unsigned(&signed(&g(a), wd(a)), w),
        };
        v.push(r);
    }
    v
}

#[derive(Clone, Debug)]
struct Step {
    kind: u8,
    a: usize,
    b: usize,
    c: usize,
    p: u32,
    q: u32,
}

fn step() -> impl Strategy<Value = Step> {
    (
        0u8..30,
        any::<usize>(),
        any::<usize>(),
        any::<usize>(),
        any::<u32>(),
        any::<u32>(),
    )
        .prop_map(|(kind, a, b, c, p, q)| Step {
            kind,
            a,
            b,
            c,
            p,
            q,
        })
}

/// Make `n` have width `w` (zero/sign extension or a slice at a chosen offset).
fn fit(bd: &mut Builder, n: NodeId, w: u32, p: u32) -> NodeId {
    let nw = bd.width(n);
    if nw == w {
        n
    } else if nw < w {
        if p & 1 == 0 {
            bd.zext(n, w)
        } else {
            bd.sext(n, w)
        }
    } else {
        bd.slice(n, p % (nw - w + 1), w)
    }
}

fn build(widths: &[u32], consts: &[(u32, Vec<u64>)], steps: &[Step]) -> Design {
    let mut bd = Builder::new("t");
    let mut nodes: Vec<NodeId> = Vec::new();
    for (i, w) in widths.iter().enumerate() {
        nodes.push(bd.input(&format!("i{i}"), *w, false, Span::NONE));
    }
    for (w, words) in consts {
        nodes.push(bd.konst(Bits::from_words(*w, words)));
    }
    for s in steps {
        let n = nodes.len();
        let a = nodes[s.a % n];
        let b = nodes[s.b % n];
        let c = nodes[s.c % n];
        let wa = bd.width(a);
        let new = match s.kind {
            0..=18 => {
                let op = BINOPS[s.kind as usize];
                let b = if op.is_shift() {
                    // Keep some shift amounts small so shifts do not always saturate.
                    if s.q % 3 == 0 {
                        b
                    } else {
                        let w8 = 8.min(bd.width(b));
                        fit(&mut bd, b, w8, s.p)
                    }
                } else {
                    fit(&mut bd, b, wa, s.p)
                };
                bd.binary(op, a, b)
            }
            19..=23 => bd.unary(UNOPS[(s.kind - 19) as usize], a),
            24 => {
                let sel = fit(&mut bd, c, 1, s.p);
                let f = fit(&mut bd, b, wa, s.q);
                bd.mux(sel, a, f)
            }
            25 => {
                let wb = bd.width(b);
                if wa + wb <= 200 {
                    bd.concat(vec![a, b])
                } else {
                    let a1 = fit(&mut bd, a, wa.min(150), s.p);
                    let b1 = fit(&mut bd, b, 1 + s.q % 50, s.p);
                    let wc = bd.width(c);
                    if wa.min(150) + wc + 50 <= 200 {
                        bd.concat(vec![a1, c, b1])
                    } else {
                        bd.concat(vec![a1, b1])
                    }
                }
            }
            26 => {
                let w = 1 + s.q % wa;
                bd.slice(a, s.p % (wa - w + 1), w)
            }
            27 => {
                let w = (wa + s.q % 70).min(200);
                bd.zext(a, w)
            }
            28 => {
                let w = (wa + s.q % 70).min(200);
                bd.sext(a, w)
            }
            _ => {
                let w = 1 + s.q % 200;
                fit(&mut bd, a, w, s.p)
            }
        };
        nodes.push(new);
    }
    for (i, n) in nodes.iter().enumerate() {
        bd.output(&format!("o{i}"), *n, false, Span::NONE);
    }
    bd.finish().expect("generated design is well formed")
}

fn words_to_big(w: &[u64]) -> BigUint {
    let mut digits = Vec::new();
    for x in w {
        digits.push(*x as u32);
        digits.push((*x >> 32) as u32);
    }
    BigUint::new(digits)
}

fn value_strategy() -> impl Strategy<Value = (u32, Vec<u64>)> {
    (1u32..=200).prop_flat_map(|w| {
        let n = w.div_ceil(64) as usize;
        // Bias towards interesting words: 0, all ones, small, random.
        let word = prop_oneof![Just(0u64), Just(u64::MAX), 0u64..4, any::<u64>()];
        (Just(w), proptest::collection::vec(word, n))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
    #[test]
    fn sim_matches_bigint_reference(
        ins in proptest::collection::vec(value_strategy(), 1..4),
        consts in proptest::collection::vec(value_strategy(), 0..3),
        steps in proptest::collection::vec(step(), 1..25),
    ) {
        let widths: Vec<u32> = ins.iter().map(|(w, _)| *w).collect();
        let d = build(&widths, &consts, &steps);
        let inputs: Vec<BigUint> = ins
            .iter()
            .map(|(w, words)| words_to_big(words) & mask(*w))
            .collect();
        let want = reference(&d, &inputs);
        let mut s = Sim::new(Arc::new(Program::compile(&d).unwrap()), 0, InitMode::Zero);
        for (i, (w, words)) in ins.iter().enumerate() {
            s.set_input(i, &Bits::from_words(*w, words));
        }
        s.eval();
        for (i, n) in d.nodes.iter().enumerate() {
            let got = words_to_big(s.words(NodeId(i as u32)));
            prop_assert_eq!(&got, &want[i], "node {} {:?} width {}", i, n.op, n.width);
        }
    }
}

#[test]
fn reference_sanity() {
    // The reference itself on known values, so a bug there cannot hide one in the sim.
    assert_eq!(
        unsigned(&(signed(&big(0xf9), 8) / signed(&big(2), 8)), 8),
        big(0xfd)
    );
    assert_eq!(
        unsigned(&(signed(&big(0xf9), 8) % signed(&big(2), 8)), 8),
        big(0xff)
    );
    assert_eq!(unsigned(&(signed(&big(0xf9), 8) >> 1), 8), big(0xfc));
    let _ = Sign::Plus;
}
