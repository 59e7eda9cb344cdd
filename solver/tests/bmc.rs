//! BMC, k-induction and covers on small hand-built designs.

mod common;

use common::*;
use ir::reset::{Reset, ResetError};
use rtl::bits::Bits;
use rtl::builder::Builder;
use rtl::ir::{BinOp, Design, PropKind};
use rtl::Span;
use solver::{check, BmcOptions, Control, SolverError, Verdict};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// A 4-bit counter with enable; `wrap` makes it go 9 -> 0.
/// Properties: assert `bad5` (count == 5), cover `hit3` (count == 3),
/// cover `hit12` (count == 12, unreachable when `wrap`).
fn counter(wrap: bool, assume_no_en: bool) -> Design {
    let mut b = Builder::new("counter");
    b.set_clock("clk");
    let en = b.input("en", 1, false, Span::NONE);
    let (r, q) = b.reg("counter.count", 4, Some(Bits::zero(4)), Span::NONE);
    let one = b.const_u64(4, 1);
    let inc = b.binary(BinOp::Add, q, one);
    let inc = if wrap {
        let nine = b.const_u64(4, 9);
        let zero = b.const_u64(4, 0);
        let at9 = b.binary(BinOp::Eq, q, nine);
        b.mux(at9, zero, inc)
    } else {
        inc
    };
    let next = b.mux(en, inc, q);
    b.set_next(r, next);
    let c5 = b.const_u64(4, 5);
    let bad5 = b.binary(BinOp::Eq, q, c5);
    b.property("bad5", PropKind::Assert, bad5, Span::NONE);
    let c3 = b.const_u64(4, 3);
    let hit3 = b.binary(BinOp::Eq, q, c3);
    b.property("hit3", PropKind::Cover, hit3, Span::NONE);
    let c12 = b.const_u64(4, 12);
    let hit12 = b.binary(BinOp::Eq, q, c12);
    b.property("hit12", PropKind::Cover, hit12, Span::NONE);
    if assume_no_en {
        // "assume !en": the assume node is 1 (violated) when en is 1.
        b.property("no_en", PropKind::Assume, en, Span::NONE);
    }
    b.finish().unwrap()
}

#[test]
fn counter_fails_exactly_at_depth_5_and_trace_replays() {
    let d = counter(false, false);
    let r = check_named(&d, "bad5", &opts(10, false));
    let Verdict::Fail { depth, trace } = &r.status else {
        panic!("expected a failure, got {:?}", r.status);
    };
    assert_eq!(*depth, 5);
    assert_eq!(trace.cycles.len(), 6);
    assert_eq!(trace.ports, vec!["en".to_string()]);
    assert_eq!(replay_last(&d, trace, "bad5"), Bits::from_bool(true));
    // First failure: no earlier cycle is bad.
    let vals = solver::eval::replay(&d, trace).unwrap();
    let node = d.props[0].node.index();
    assert!(vals[..5].iter().all(|row| row[node].is_zero()));
    // The trace round-trips through JSON.
    let json = serde_json::to_string(trace).unwrap();
    let back: rtl::trace::Trace = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, trace);
}

#[test]
fn shallow_bound_passes() {
    let d = counter(false, false);
    let r = check_named(&d, "bad5", &opts(4, false));
    assert!(
        matches!(r.status, Verdict::Pass { depth: 4 }),
        "{:?}",
        r.status
    );
    assert!(!r.interrupted);
}

#[test]
fn assumption_blocks_the_failure_and_enables_a_proof() {
    let d = counter(false, true);
    let r = check_named(&d, "bad5", &opts(8, false));
    assert!(
        matches!(r.status, Verdict::Pass { depth: 8 }),
        "{:?}",
        r.status
    );
    let r = check_named(&d, "bad5", &opts(8, true));
    assert!(
        matches!(r.status, Verdict::Proven { k: 1 }),
        "{:?}",
        r.status
    );
}

#[test]
fn cover_hit_at_depth_3_with_shortest_witness() {
    let d = counter(false, false);
    let r = check_named(&d, "hit3", &opts(10, false));
    let Verdict::Covered { depth, trace } = &r.status else {
        panic!("expected covered, got {:?}", r.status);
    };
    assert_eq!(*depth, 3);
    assert_eq!(trace.cycles.len(), 4);
    assert_eq!(replay_last(&d, trace, "hit3"), Bits::from_bool(true));
}

#[test]
fn unreachable_cover_is_proven_unreachable() {
    let d = counter(true, false);
    let r = check_named(&d, "hit12", &opts(10, false));
    assert!(
        matches!(r.status, Verdict::NotCovered { depth: 10 }),
        "{:?}",
        r.status
    );
    let r = check_named(&d, "hit12", &opts(10, true));
    // 12 <- 11 <- 10 and 10 has no predecessor but itself: needs the
    // simple-path constraint and k = 3.
    assert!(
        matches!(r.status, Verdict::Unreachable { k: 3 }),
        "{:?}",
        r.status
    );
}

#[test]
fn property_proven_with_k_1() {
    // x starts at 0 and stays 0 (x & in); assert x == 0.
    let mut b = Builder::new("t");
    let i = b.input("in", 4, false, Span::NONE);
    let (r, x) = b.reg("t.x", 4, Some(Bits::zero(4)), Span::NONE);
    let n = b.binary(BinOp::And, x, i);
    b.set_next(r, n);
    let z = b.const_u64(4, 0);
    let bad = b.binary(BinOp::Ne, x, z);
    b.property("zero", PropKind::Assert, bad, Span::NONE);
    let d = b.finish().unwrap();
    let r = check_named(&d, "zero", &opts(5, true));
    assert!(
        matches!(r.status, Verdict::Proven { k: 1 }),
        "{:?}",
        r.status
    );
}

#[test]
fn property_needing_k_2_swap() {
    // a, b start at 0 and swap every cycle; assert a == 0. Not 1-inductive
    // (b is free in the induction step), 2-inductive.
    let mut b = Builder::new("t");
    let (ra, a) = b.reg("t.a", 8, Some(Bits::zero(8)), Span::NONE);
    let (rb, bb) = b.reg("t.b", 8, Some(Bits::zero(8)), Span::NONE);
    b.set_next(ra, bb);
    b.set_next(rb, a);
    let z = b.const_u64(8, 0);
    let bad = b.binary(BinOp::Ne, a, z);
    b.property("a_zero", PropKind::Assert, bad, Span::NONE);
    let d = b.finish().unwrap();
    let r = check_named(&d, "a_zero", &opts(6, true));
    assert!(
        matches!(r.status, Verdict::Proven { k: 2 }),
        "{:?}",
        r.status
    );
    // With k limited to 1 the verdict is unknown, with the induction trace.
    let r = check_named(&d, "a_zero", &opts(1, true));
    let Verdict::Unknown {
        bmc_depth,
        induction_trace: Some(t),
        ..
    } = &r.status
    else {
        panic!("expected unknown, got {:?}", r.status);
    };
    assert_eq!(*bmc_depth, Some(1));
    assert_eq!(
        t.meta.get("engine").map(String::as_str),
        Some("k-induction")
    );
    // The induction trace starts from an unreachable state that reaches bad.
    assert_eq!(replay_last(&d, t, "a_zero"), Bits::from_bool(true));
}

#[test]
fn property_needing_simple_path() {
    // r starts at 0 and stays; from 2 it would go to 3. assert r != 3.
    // The path 2,2,...,2,3 breaks every induction level without the
    // all-different-states constraint.
    let mut b = Builder::new("t");
    let (rr, r) = b.reg("t.r", 2, Some(Bits::zero(2)), Span::NONE);
    let two = b.const_u64(2, 2);
    let three = b.const_u64(2, 3);
    let at2 = b.binary(BinOp::Eq, r, two);
    let n = b.mux(at2, three, r);
    b.set_next(rr, n);
    let bad = b.binary(BinOp::Eq, r, three);
    b.property("never3", PropKind::Assert, bad, Span::NONE);
    let d = b.finish().unwrap();
    let res = check_named(&d, "never3", &opts(6, true));
    assert!(
        matches!(res.status, Verdict::Proven { k: 2 }),
        "{:?}",
        res.status
    );
}

#[test]
fn free_initial_register_appears_in_trace_init() {
    // r has no init and holds its value; assert r != 0xa5 fails at depth 0.
    let mut b = Builder::new("t");
    let (rr, r) = b.reg("t.r", 8, None, Span::NONE);
    b.set_next(rr, r);
    let k = b.const_u64(8, 0xa5);
    let bad = b.binary(BinOp::Eq, r, k);
    b.property("p", PropKind::Assert, bad, Span::NONE);
    let d = b.finish().unwrap();
    let res = check_named(&d, "p", &opts(3, false));
    let Verdict::Fail { depth: 0, trace } = &res.status else {
        panic!("{:?}", res.status);
    };
    assert_eq!(trace.init.get("t.r").map(String::as_str), Some("a5"));
    assert_eq!(replay_last(&d, trace, "p"), Bits::from_bool(true));
}

#[test]
fn reset_is_held_then_free() {
    // count resets to 0 while rst; increments otherwise. No init value.
    // assert count != 2: with reset held 1 cycle, the failure is at depth 3.
    let mut b = Builder::new("t");
    let rst = b.input("rst", 1, false, Span::NONE);
    let (rr, c) = b.reg("t.c", 4, None, Span::NONE);
    let one = b.const_u64(4, 1);
    let zero = b.const_u64(4, 0);
    let inc = b.binary(BinOp::Add, c, one);
    let n = b.mux(rst, zero, inc);
    b.set_next(rr, n);
    let two = b.const_u64(4, 2);
    let bad = b.binary(BinOp::Eq, c, two);
    b.property("p", PropKind::Assert, bad, Span::NONE);
    let d = b.finish().unwrap();
    // Without reset, the free initial value fails at once.
    let res = check_named(&d, "p", &opts(5, false));
    assert_eq!(fail_depth(&res.status), Some(0));
    let mut o = opts(5, false);
    o.reset = Some(Reset {
        name: "rst".into(),
        active_low: false,
        cycles: 1,
    });
    let res = check_named(&d, "p", &o);
    // The register is free at cycle 0 (no init), so it can already be 2 in
    // the reset cycle: the failure stays at depth 0, with reset shown held.
    let Verdict::Fail { depth, trace } = &res.status else {
        panic!("{:?}", res.status);
    };
    assert_eq!(*depth, 0);
    assert_eq!(trace.cycles[0], vec!["1".to_string()]);
    assert_eq!(replay_last(&d, trace, "p"), Bits::from_bool(true));
    // Active-low reset name that does not exist: an error, not a panic.
    o.reset = Some(Reset {
        name: "rst_n".into(),
        active_low: true,
        cycles: 1,
    });
    let err = check(&d, &[0], &o, &Control::default()).unwrap_err();
    assert_eq!(err, SolverError::Reset(ResetError::Unknown("rst_n".into())));
}

#[test]
fn reset_cycles_delay_the_failure() {
    // Same counter with init 5 (not 2): with reset held for 2 cycles the
    // count is 0 at cycle 1 and 2, then 1, then 2 at cycle 4.
    let mut b = Builder::new("t");
    let rst = b.input("rst", 1, false, Span::NONE);
    let (rr, c) = b.reg("t.c", 4, Some(Bits::from_u64(4, 5)), Span::NONE);
    let one = b.const_u64(4, 1);
    let zero = b.const_u64(4, 0);
    let inc = b.binary(BinOp::Add, c, one);
    let n = b.mux(rst, zero, inc);
    b.set_next(rr, n);
    let two = b.const_u64(4, 2);
    let bad = b.binary(BinOp::Eq, c, two);
    b.property("p", PropKind::Assert, bad, Span::NONE);
    let d = b.finish().unwrap();
    let mut o = opts(8, false);
    o.reset = Some(Reset {
        name: "rst".into(),
        active_low: false,
        cycles: 2,
    });
    let res = check_named(&d, "p", &o);
    assert_eq!(fail_depth(&res.status), Some(4), "{:?}", res.status);
    let t = res.status.trace().unwrap();
    assert_eq!(t.cycles[0], vec!["1".to_string()]);
    assert_eq!(t.cycles[1], vec!["1".to_string()]);
    assert_eq!(replay_last(&d, t, "p"), Bits::from_bool(true));
}

#[test]
fn assume_properties_are_rejected_and_progress_is_reported() {
    let d = counter(false, true);
    let err = check(&d, &[3], &opts(2, false), &Control::default()).unwrap_err();
    assert!(matches!(err, SolverError::AssumeNotChecked(_)));
    let err = check(&d, &[9], &opts(2, false), &Control::default()).unwrap_err();
    assert_eq!(err, SolverError::NoSuchProp(9));

    let seen = Arc::new(AtomicU32::new(0));
    let s2 = seen.clone();
    let ctl = Control {
        progress: Some(Arc::new(move |p: &solver::Progress| {
            if !p.done {
                s2.fetch_add(1, Ordering::Relaxed);
            }
        })),
        ..Control::default()
    };
    let o = BmcOptions {
        parallel: true,
        ..opts(4, false)
    };
    let res = check(&d, &[0, 1, 2], &o, &ctl).unwrap();
    assert_eq!(res.len(), 3);
    assert_eq!(res[0].name, "bad5");
    // 3 properties x depths 0..=4.
    assert_eq!(seen.load(Ordering::Relaxed), 15);
}

#[test]
fn cancelled_run_reports_unknown() {
    let d = counter(false, false);
    let ctl = Control::default();
    ctl.cancel.store(true, Ordering::Relaxed);
    let res = check(&d, &[0], &opts(10, false), &ctl).unwrap();
    assert!(res[0].interrupted);
    assert!(matches!(
        res[0].status,
        Verdict::Unknown {
            bmc_depth: None,
            ..
        }
    ));
}

#[test]
fn wide_values() {
    // A 100-bit counter from 2^80 - 2; assert it never equals 2^80 + 1
    // (fails at depth 3). A 96-bit input times 3 equal to a wide constant.
    let mut b = Builder::new("wide");
    let big = |v: u128| Bits::new(100, num_bigint::BigUint::from(v));
    let (rr, x) = b.reg("wide.x", 100, Some(big((1u128 << 80) - 2)), Span::NONE);
    let one = b.konst(big(1));
    let n = b.binary(BinOp::Add, x, one);
    b.set_next(rr, n);
    let target = b.konst(big((1u128 << 80) + 1));
    let bad = b.binary(BinOp::Eq, x, target);
    b.property("x", PropKind::Assert, bad, Span::NONE);
    let i = b.input("i", 96, false, Span::NONE);
    let three = b.konst(Bits::from_u64(96, 3));
    let m = b.binary(BinOp::Mul, i, three);
    let k = b.konst(Bits::new(
        96,
        num_bigint::BigUint::from(0x1234_5678_9abc_def0_1234_5678u128 * 3),
    ));
    let bad2 = b.binary(BinOp::Eq, m, k);
    b.property("m", PropKind::Assert, bad2, Span::NONE);
    let d = b.finish().unwrap();
    let r = check_named(&d, "x", &opts(6, false));
    assert_eq!(fail_depth(&r.status), Some(3), "{:?}", r.status);
    let r = check_named(&d, "m", &opts(2, false));
    let t = r.status.trace().expect("failure trace");
    assert_eq!(replay_last(&d, t, "m"), Bits::from_bool(true));
    assert_eq!(t.widths, vec![96]);
}
