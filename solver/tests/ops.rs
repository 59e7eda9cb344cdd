//! The Z3 encoding of every binary operator agrees with `rtl::Bits` (the IR
//! semantics), including division by zero, shifts by amounts >= the width
//! (amounts narrower, equal and wider than the operand) and wide values.
//! Operands are free inputs pinned to random values by the solver, so the
//! encoder's constant folding does not hide the encoding.

use proptest::prelude::*;
use rtl::bits::Bits;
use rtl::builder::Builder;
use rtl::ir::{BinOp, NodeId, UnOp};
use rtl::Span;
use solver::encode::{bv_const, eval_bv, Cone, MemEncoding, Unroller};
use solver::eval::eval_binary;
use z3::{SatResult, Solver};

const OPS: [BinOp; 19] = BinOp::ALL;

/// Encode `op(a, b)` over free inputs, pin the inputs, read the result.
fn solve(op: BinOp, a: &Bits, b: &Bits) -> Bits {
    let mut bl = Builder::new("t");
    let x = bl.input("a", a.width(), false, Span::NONE);
    let y = bl.input("b", b.width(), false, Span::NONE);
    let n = bl.binary(op, x, y);
    let d = bl.finish().unwrap();
    let coi = Cone::of(&d, &[n]);
    let mut u = Unroller::new(&d, coi, MemEncoding::Auto, false, "t.");
    u.add_step();
    let s = Solver::new();
    let pin = |id: NodeId, v: &Bits| {
        s.assert(u.val(0, id).to_bv().eq(bv_const(v)));
    };
    pin(x, a);
    pin(y, b);
    assert_eq!(s.check(), SatResult::Sat);
    let m = s.get_model().unwrap();
    let w = d.width(n);
    eval_bv(&m, &u.val(0, n).to_bv(), w)
}

fn bits(width: u32, v: u128) -> Bits {
    Bits::new(width, num_bigint::BigUint::from(v))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn binary_ops_match_bits(
        op in proptest::sample::select(OPS.to_vec()),
        w in prop_oneof![Just(1u32), Just(3), Just(8), Just(64), Just(70)],
        seed_a in any::<u128>(), seed_b in any::<u128>(),
        pick_a in 0usize..6, pick_b in 0usize..6,
    ) {
        let pick = |p: usize, seed: u128| match p {
            0 => Bits::zero(w),
            1 => Bits::from_u64(w, 1),
            2 => Bits::ones(w),
            3 => Bits::from_u64(w, 1).shl(&Bits::from_u64(32, (w - 1) as u64)),
            4 => bits(w, seed % 100),
            _ => bits(w, seed),
        };
        let (a, b) = (pick(pick_a, seed_a), pick(pick_b, seed_b));
        prop_assert_eq!(solve(op, &a, &b), eval_binary(op, &a, &b), "{:?} {:?} {:?}", op, a, b);
    }

    #[test]
    fn shifts_with_other_amount_widths(
        op in proptest::sample::select(vec![BinOp::Shl, BinOp::Lshr, BinOp::Ashr]),
        w in prop_oneof![Just(1u32), Just(4), Just(8), Just(65)],
        wb in prop_oneof![Just(1u32), Just(2), Just(5), Just(16), Just(80)],
        a in any::<u128>(),
        amt in 0u128..200,
    ) {
        let a = bits(w, a);
        let b = bits(wb, amt);
        prop_assert_eq!(solve(op, &a, &b), eval_binary(op, &a, &b), "{:?} {:?} {:?}", op, a, b);
    }
}

#[test]
fn division_by_zero_is_zero() {
    for op in [BinOp::Udiv, BinOp::Urem, BinOp::Sdiv, BinOp::Srem] {
        for w in [1, 8, 70] {
            let a = Bits::ones(w);
            let z = Bits::zero(w);
            assert_eq!(solve(op, &a, &z), Bits::zero(w), "{op:?} width {w}");
        }
    }
}

#[test]
fn unary_ops_match_bits() {
    for w in [1u32, 5, 70] {
        for v in [Bits::zero(w), Bits::ones(w), bits(w, 0b10110)] {
            for op in [
                UnOp::Not,
                UnOp::Neg,
                UnOp::RedAnd,
                UnOp::RedOr,
                UnOp::RedXor,
            ] {
                let mut bl = Builder::new("t");
                let x = bl.input("a", w, false, Span::NONE);
                let n = bl.unary(op, x);
                let d = bl.finish().unwrap();
                let mut u = Unroller::new(&d, Cone::of(&d, &[n]), MemEncoding::Auto, false, "u.");
                u.add_step();
                let s = Solver::new();
                s.assert(u.val(0, x).to_bv().eq(bv_const(&v)));
                assert_eq!(s.check(), SatResult::Sat);
                let m = s.get_model().unwrap();
                let got = eval_bv(&m, &u.val(0, n).to_bv(), d.width(n));
                let want =
                    solver::eval::eval_op(&d.node(n).op, d.width(n), std::slice::from_ref(&v))
                        .unwrap();
                assert_eq!(got, want, "{op:?} {v:?}");
            }
        }
    }
}
