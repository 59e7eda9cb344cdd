//! Joint k-induction: assertions that are inductive only as a set.

mod common;

use common::*;
use rtl::bits::Bits;
use rtl::builder::Builder;
use rtl::ir::{BinOp, Design, PropKind};
use rtl::Span;
use solver::{check, BmcOptions, Control, Verdict};

/// Two 8-bit registers that swap when `en`, and otherwise, while nonzero,
/// take any odd value (`in | 1`). Both start at 0. `a_zero` (a == 0) and
/// `b_zero` (b == 0) hold together (0 swaps to 0), but neither is
/// k-inductive alone for small k: with the other register nonzero and
/// changing every step (distinct states), the swap brings a nonzero value in.
/// With `broken`, b's reset value is 5: both fail (b at 0, a at 1).
fn swap_pair(broken: bool) -> Design {
    let mut b = Builder::new("swap");
    b.set_clock("clk");
    let en = b.input("en", 1, false, Span::NONE);
    let ia = b.input("ia", 8, false, Span::NONE);
    let ib = b.input("ib", 8, false, Span::NONE);
    let (ra, a) = b.reg("swap.a", 8, Some(Bits::zero(8)), Span::NONE);
    let b_init = if broken { 5 } else { 0 };
    let (rb, q) = b.reg("swap.b", 8, Some(Bits::from_u64(8, b_init)), Span::NONE);
    let zero = b.const_u64(8, 0);
    let one = b.const_u64(8, 1);
    for (r, me, other, inp) in [(ra, a, q, ia), (rb, q, a, ib)] {
        let nz = b.binary(BinOp::Ne, me, zero);
        let odd = b.binary(BinOp::Or, inp, one);
        let wander = b.mux(nz, odd, zero);
        let next = b.mux(en, other, wander);
        b.set_next(r, next);
    }
    let a_bad = b.binary(BinOp::Ne, a, zero);
    b.property("a_zero", PropKind::Assert, a_bad, Span::NONE);
    let b_bad = b.binary(BinOp::Ne, q, zero);
    b.property("b_zero", PropKind::Assert, b_bad, Span::NONE);
    // An assertion that is not inductive with or without the others
    // (a free input is not always 0), but never fails (it is masked).
    let masked = b.binary(BinOp::And, ia, zero);
    let m_bad = b.binary(BinOp::Ne, masked, zero);
    b.property("masked", PropKind::Assert, m_bad, Span::NONE);
    b.finish().unwrap()
}

fn all_asserts(d: &Design, o: &BmcOptions) -> Vec<solver::PropResult> {
    let props: Vec<usize> = (0..d.props.len()).collect();
    check(d, &props, o, &Control::default()).expect("valid request")
}

#[test]
fn mutually_inductive_pair_is_proven_jointly_and_not_alone() {
    let d = swap_pair(false);
    // Alone (per-property induction with simple path): unknown at depth 8.
    let mut alone = opts(8, true);
    alone.joint = false;
    for r in all_asserts(&d, &alone).iter().take(2) {
        assert!(
            matches!(
                r.status,
                Verdict::Unknown {
                    bmc_depth: Some(8),
                    ..
                }
            ),
            "{}: {:?}",
            r.name,
            r.status
        );
    }
    // Jointly: both proven at k = 1, with and without simple path.
    for sp in [true, false] {
        let mut o = opts(8, true);
        o.simple_path = sp;
        let rs = all_asserts(&d, &o);
        assert_eq!(rs[0].name, "a_zero");
        assert!(
            matches!(rs[0].status, Verdict::Proven { k: 1 }),
            "{:?}",
            rs[0].status
        );
        assert!(
            matches!(rs[1].status, Verdict::Proven { k: 1 }),
            "{:?}",
            rs[1].status
        );
        // `masked` is 0-inductive on its own: proven at level 0 (a
        // combinational fact), not part of the set that needs k = 1.
        assert!(
            matches!(rs[2].status, Verdict::Proven { .. }),
            "{:?}",
            rs[2].status
        );
    }
}

#[test]
fn joint_run_reports_each_failure_with_its_own_depth_and_trace() {
    let d = swap_pair(true);
    let rs = all_asserts(&d, &opts(6, true));
    let by = |n: &str| rs.iter().find(|r| r.name == n).unwrap();
    assert_eq!(fail_depth(&by("b_zero").status), Some(0));
    let Verdict::Fail { depth, trace } = &by("a_zero").status else {
        panic!("a_zero: {:?}", by("a_zero").status);
    };
    assert_eq!(*depth, 1);
    assert_eq!(replay_last(&d, trace, "a_zero"), Bits::from_bool(true));
    assert!(matches!(by("masked").status, Verdict::Proven { .. }));
}

/// Houdini fallback: with a third assertion that fails the induction step
/// whatever is assumed, the pair is still proven (the joint step fails at
/// every level; dropping the culprit leaves an inductive set).
#[test]
fn houdini_drops_non_inductive_assertion_and_proves_the_rest() {
    let mut b = Builder::new("h");
    b.set_clock("clk");
    let inp = b.input("i", 4, false, Span::NONE);
    let (rc, c) = b.reg("h.c", 4, Some(Bits::zero(4)), Span::NONE);
    let (rx, x) = b.reg("h.x", 4, Some(Bits::zero(4)), Span::NONE);
    let (ry, y) = b.reg("h.y", 4, Some(Bits::zero(4)), Span::NONE);
    // c counts 0..9 and wraps; x and y copy each other (x' = y, y' = x).
    let one = b.const_u64(4, 1);
    let nine = b.const_u64(4, 9);
    let zero = b.const_u64(4, 0);
    let inc = b.binary(BinOp::Add, c, one);
    let at9 = b.binary(BinOp::Eq, c, nine);
    let cn = b.mux(at9, zero, inc);
    b.set_next(rc, cn);
    // x' = y ^ (i & 0), y' = x: both stay 0.
    let masked = b.binary(BinOp::And, inp, zero);
    let xn = b.binary(BinOp::Xor, y, masked);
    b.set_next(rx, xn);
    b.set_next(ry, x);
    // c never reaches 15, but 12 -> 13 -> 14 -> 15 is a path from an
    // unreachable state (not 3-inductive; 6-inductive).
    let fifteen = b.const_u64(4, 15);
    let c_bad = b.binary(BinOp::Eq, c, fifteen);
    b.property("c_not15", PropKind::Assert, c_bad, Span::NONE);
    let x_bad = b.binary(BinOp::Ne, x, zero);
    b.property("x_zero", PropKind::Assert, x_bad, Span::NONE);
    let y_bad = b.binary(BinOp::Ne, y, zero);
    b.property("y_zero", PropKind::Assert, y_bad, Span::NONE);
    let d = b.finish().unwrap();
    let mut o = opts(3, true);
    o.simple_path = false;
    let rs = all_asserts(&d, &o);
    let Verdict::Unknown {
        bmc_depth: Some(3),
        induction_trace: Some(t),
        ..
    } = &rs[0].status
    else {
        panic!("c_not15: {:?}", rs[0].status);
    };
    // Its induction trace ends with the assertion failing.
    assert_eq!(replay_last(&d, t, "c_not15"), Bits::from_bool(true));
    for r in &rs[1..] {
        assert!(
            matches!(r.status, Verdict::Proven { k: 3 }),
            "{}: {:?}",
            r.name,
            r.status
        );
    }
}

/// The default portfolio (`auto`, rayon workers): joint induction and PDR
/// per assertion side by side give the same verdicts as joint induction
/// alone, on the proven pair and on the broken one.
#[test]
fn auto_portfolio_keeps_joint_verdicts() {
    let mut o = opts(8, true);
    o.engine = solver::Engine::Auto;
    o.parallel = true;
    let rs = all_asserts(&swap_pair(false), &o);
    for r in &rs {
        assert!(
            matches!(r.status, Verdict::Proven { .. }),
            "{}: {:?}",
            r.name,
            r.status
        );
    }
    let d = swap_pair(true);
    let rs = all_asserts(&d, &o);
    let by = |n: &str| rs.iter().find(|r| r.name == n).unwrap();
    assert_eq!(fail_depth(&by("b_zero").status), Some(0));
    assert_eq!(fail_depth(&by("a_zero").status), Some(1));
    if let Verdict::Fail { trace, .. } = &by("a_zero").status {
        assert_eq!(replay_last(&d, trace, "a_zero"), Bits::from_bool(true));
    }
    assert!(matches!(by("masked").status, Verdict::Proven { .. }));
}
