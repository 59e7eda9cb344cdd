//! PDR: proofs k-induction cannot give, counterexamples at the right depth
//! (replayed in the simulator), assumptions, resets, the portfolio, and a
//! property test against BMC on small random designs.

mod common;

use common::*;
use ir::reset::Reset;
use proptest::prelude::*;
use rtl::bits::Bits;
use rtl::builder::Builder;
use rtl::ir::{BinOp, Design, NodeId, PropKind, UnOp};
use rtl::trace::Trace;
use rtl::Span;
use sim::InitMode;
use solver::pdr::{self, PdrOptions, PdrResult};
use solver::{check, BmcOptions, Control, Engine, Verdict};

/// A 5-bit counter with enable that wraps 9 -> 0, and `bad` asserting
/// `cnt != bad`. States 10..31 are unreachable, but from 10 they count up
/// to 31 and wrap, so `cnt != 31` has a 22-state unreachable path into the
/// bad state: not k-inductive for k < 22.
fn wrap_counter(bad: u64) -> Design {
    let w = 5;
    let mut b = Builder::new("wc");
    b.set_clock("clk");
    let en = b.input("en", 1, false, Span::NONE);
    let (r, q) = b.reg("wc.cnt", w, Some(Bits::zero(w)), Span::NONE);
    let one = b.const_u64(w, 1);
    let inc = b.binary(BinOp::Add, q, one);
    let top = b.const_u64(w, 9);
    let at_top = b.binary(BinOp::Eq, q, top);
    let zero = b.const_u64(w, 0);
    let step = b.mux(at_top, zero, inc);
    let next = b.mux(en, step, q);
    b.set_next(r, next);
    let cb = b.const_u64(w, bad);
    let hit = b.binary(BinOp::Eq, q, cb);
    b.property("wc.a", PropKind::Assert, hit, Span::NONE);
    b.property("wc.c", PropKind::Cover, hit, Span::NONE);
    b.finish().unwrap()
}

fn run_pdr(d: &Design, name: &str) -> PdrResult {
    let p = d.props.iter().find(|p| p.name == name).unwrap();
    let assumes: Vec<NodeId> = d
        .props
        .iter()
        .filter(|q| q.kind == PropKind::Assume)
        .map(|q| q.node)
        .collect();
    pdr::prove(d, p.node, &assumes, None, &PdrOptions::default(), &|| false)
}

fn with_engine(o: BmcOptions, engine: Engine) -> BmcOptions {
    BmcOptions { engine, ..o }
}

/// The simulator (not the solver's evaluator) replays `t`: the property is
/// hit in the last cycle and no assumption is violated.
fn sim_confirms(d: &Design, t: &Trace, name: &str) -> bool {
    let i = d.props.iter().position(|p| p.name == name).unwrap();
    let r = sim::replay(d, t, InitMode::Zero).expect("replayable trace");
    r.assume_violation.is_none() && r.props.last().is_some_and(|row| row[i])
}

#[test]
fn kind_cannot_prove_the_wrap_counter_but_pdr_can() {
    let d = wrap_counter(31);
    let k = check_named(&d, "wc.a", &opts(20, true));
    assert!(
        matches!(k.status, Verdict::Unknown { .. }),
        "k-induction at k <= 20: {:?}",
        k.status
    );
    match run_pdr(&d, "wc.a") {
        PdrResult::Proven { invariant_size, .. } => assert!(invariant_size >= 1),
        r => panic!("expected a proof, got {r:?}"),
    }
    // Through `check`: the engine and the invariant are reported.
    let r = check_named(&d, "wc.a", &with_engine(opts(20, true), Engine::Pdr));
    assert!(matches!(r.status, Verdict::Proven { .. }), "{:?}", r.status);
    assert_eq!(r.engine, "pdr");
    assert!(r.invariant_size.is_some_and(|n| n >= 1));
    // The same target as a cover is unreachable.
    let r = check_named(&d, "wc.c", &with_engine(opts(20, true), Engine::Pdr));
    assert!(
        matches!(r.status, Verdict::Unreachable { .. }),
        "{:?}",
        r.status
    );
}

#[test]
fn portfolio_proves_what_kind_alone_cannot() {
    let d = wrap_counter(31);
    let r = check_named(&d, "wc.a", &with_engine(opts(20, true), Engine::Auto));
    assert!(matches!(r.status, Verdict::Proven { .. }), "{:?}", r.status);
    assert_eq!(r.engine, "pdr");
    // Something k-induction proves at once: the race keeps a proof either way.
    let d = wrap_counter(8);
    let r = check_named(&d, "wc.a", &with_engine(opts(20, true), Engine::Auto));
    assert!(
        matches!(r.status, Verdict::Fail { depth: 8, .. }),
        "{:?}",
        r.status
    );
}

#[test]
fn pdr_finds_a_real_failure_at_the_shortest_depth() {
    let d = wrap_counter(7);
    let PdrResult::Reached { depth, trace } = run_pdr(&d, "wc.a") else {
        panic!("expected a counterexample");
    };
    assert_eq!(depth, 7);
    assert_eq!(trace.cycles.len(), 8);
    assert!(sim_confirms(&d, &trace, "wc.a"));
    assert_eq!(trace.meta.get("engine").map(String::as_str), Some("pdr"));
    // Via `check` too, and BMC agrees on the depth.
    let r = check_named(&d, "wc.a", &with_engine(opts(40, false), Engine::Pdr));
    assert_eq!(fail_depth(&r.status), Some(7));
    let b = check_named(&d, "wc.a", &with_engine(opts(40, false), Engine::Bmc));
    assert_eq!(fail_depth(&b.status), Some(7));
    assert_eq!(b.engine, "bmc");
}

/// A 5-bit counter that may not step past 3 (an assumption); `cnt == 28`
/// is unreachable only because of it (24 unreachable states lead to it).
fn stalled_counter() -> Design {
    let w = 5;
    let mut b = Builder::new("st");
    b.set_clock("clk");
    let en = b.input("en", 1, false, Span::NONE);
    let (r, q) = b.reg("st.cnt", w, Some(Bits::zero(w)), Span::NONE);
    let one = b.const_u64(w, 1);
    let inc = b.binary(BinOp::Add, q, one);
    let next = b.mux(en, inc, q);
    b.set_next(r, next);
    let c3 = b.const_u64(w, 3);
    let at3 = b.binary(BinOp::Eq, q, c3);
    let viol = b.binary(BinOp::And, en, at3);
    b.property("st.stall", PropKind::Assume, viol, Span::NONE);
    let c28 = b.const_u64(w, 28);
    let hit28 = b.binary(BinOp::Eq, q, c28);
    b.property("st.a28", PropKind::Assert, hit28, Span::NONE);
    b.property("st.a3", PropKind::Assert, at3, Span::NONE);
    b.finish().unwrap()
}

#[test]
fn assumptions_constrain_every_step() {
    let d = stalled_counter();
    let k = check_named(&d, "st.a28", &opts(20, true));
    assert!(
        matches!(k.status, Verdict::Unknown { .. }),
        "{:?}",
        k.status
    );
    assert!(matches!(run_pdr(&d, "st.a28"), PdrResult::Proven { .. }));
    // 3 itself is reachable (the assumption stops the step after it).
    let PdrResult::Reached { depth, trace } = run_pdr(&d, "st.a3") else {
        panic!("expected a counterexample");
    };
    assert_eq!(depth, 3);
    assert!(sim_confirms(&d, &trace, "st.a3"));
    assert!(assumptions_hold(&d, &trace));
}

/// A counter without an initial value, cleared by a synchronous reset: only
/// the reset makes 10..31 unreachable after cycle 0.
fn reset_counter() -> Design {
    let mut b = Builder::new("rc");
    b.set_clock("clk");
    let rst = b.input("rst", 1, false, Span::NONE);
    let (r, q) = b.reg("rc.cnt", 5, None, Span::NONE);
    let one = b.const_u64(5, 1);
    let inc = b.binary(BinOp::Add, q, one);
    let top = b.const_u64(5, 9);
    let at_top = b.binary(BinOp::Eq, q, top);
    let zero = b.const_u64(5, 0);
    let step = b.mux(at_top, zero, inc);
    let next = b.mux(rst, zero, step);
    b.set_next(r, next);
    let c250 = b.const_u64(5, 31);
    let hit = b.binary(BinOp::Eq, q, c250);
    let live = b.unary(UnOp::Not, rst);
    let bad = b.binary(BinOp::And, hit, live);
    b.property("rc.a", PropKind::Assert, bad, Span::NONE);
    b.finish().unwrap()
}

#[test]
fn reset_cycles_are_part_of_the_initial_states() {
    let d = reset_counter();
    let held = |cycles| BmcOptions {
        reset: Some(Reset {
            name: "rst".into(),
            active_low: false,
            cycles,
        }),
        ..with_engine(opts(20, true), Engine::Pdr)
    };
    let r = check_named(&d, "rc.a", &held(1));
    assert!(matches!(r.status, Verdict::Proven { .. }), "{:?}", r.status);
    let r = check_named(&d, "rc.a", &held(3));
    assert!(matches!(r.status, Verdict::Proven { .. }), "{:?}", r.status);
    // Without a reset the free start value 31 fails at once.
    let r = check_named(&d, "rc.a", &with_engine(opts(20, true), Engine::Pdr));
    let Verdict::Fail { depth: 0, trace } = &r.status else {
        panic!("expected a failure at 0, got {:?}", r.status);
    };
    assert!(sim_confirms(&d, trace, "rc.a"));
}

#[test]
fn memories_are_refused_not_guessed() {
    let mut b = Builder::new("m");
    b.set_clock("clk");
    let a = b.input("a", 2, false, Span::NONE);
    let m = b.memory("m.mem", 4, 4, None, Span::NONE);
    let one = b.const_u64(1, 1);
    let data = b.zext(a, 4);
    b.mem_write(m, one, a, data);
    let rd = b.mem_read(m, a, Span::NONE);
    let c = b.const_u64(4, 9);
    let bad = b.binary(BinOp::Eq, rd, c);
    b.property("m.a", PropKind::Assert, bad, Span::NONE);
    let d = b.finish().unwrap();
    let PdrResult::Unknown { reason } = run_pdr(&d, "m.a") else {
        panic!("memories must be refused");
    };
    assert!(reason.contains("m.mem"), "{reason}");
}

#[test]
fn a_stopped_run_is_unknown() {
    let d = wrap_counter(31);
    let p = d.props[0].node;
    let r = pdr::prove(&d, p, &[], None, &PdrOptions::default(), &|| true);
    assert!(matches!(r, PdrResult::Unknown { .. }), "{r:?}");
}

// ---- property test: PDR against BMC on small random designs.

#[derive(Clone, Debug)]
enum Gen {
    Bin(usize, usize, usize),
    Un(usize, usize),
    Mux(usize, usize, usize),
    Const(u64),
}

#[derive(Clone, Debug)]
struct Spec {
    /// Register widths (1..=2) and initial values; at most 4 state bits.
    regs: Vec<(u32, Option<u64>)>,
    gens: Vec<Gen>,
    nexts: Vec<usize>,
    bad: (usize, u64),
    assume: Option<usize>,
}

fn spec() -> impl Strategy<Value = Spec> {
    let gen = prop_oneof![
        (0usize..19, any::<usize>(), any::<usize>()).prop_map(|(o, a, b)| Gen::Bin(o, a, b)),
        (0usize..5, any::<usize>()).prop_map(|(o, a)| Gen::Un(o, a)),
        (any::<usize>(), any::<usize>(), any::<usize>()).prop_map(|(s, a, b)| Gen::Mux(s, a, b)),
        (0u64..4).prop_map(Gen::Const),
    ];
    (
        prop::collection::vec((1u32..=2, prop::option::weighted(0.8, 0u64..4)), 1..=2),
        prop::collection::vec(gen, 2..=10),
        prop::collection::vec(any::<usize>(), 2),
        (any::<usize>(), 0u64..4),
        prop::option::of(any::<usize>()),
    )
        .prop_map(|(regs, gens, nexts, bad, assume)| Spec {
            regs,
            gens,
            nexts,
            bad,
            assume,
        })
}

fn fit(b: &mut Builder, n: NodeId, w: u32) -> NodeId {
    let nw = b.width(n);
    if nw == w {
        n
    } else if nw > w {
        b.slice(n, 0, w)
    } else {
        b.zext(n, w)
    }
}

fn build(s: &Spec) -> Design {
    let mut b = Builder::new("p");
    b.set_clock("clk");
    let mut pool = vec![b.input("i", 2, false, Span::NONE)];
    let mut regs = Vec::new();
    for (i, (w, init)) in s.regs.iter().enumerate() {
        let init = init.map(|v| Bits::from_u64(*w, v & ((1 << w) - 1)));
        let (r, q) = b.reg(&format!("p.r{i}"), *w, init, Span::NONE);
        regs.push(r);
        pool.push(q);
    }
    for g in &s.gens {
        let pick = |i: usize| pool[i % pool.len()];
        let n = match g {
            Gen::Bin(o, x, y) => {
                let op = BinOp::ALL[*o];
                let (x, y) = (pick(*x), pick(*y));
                if op.is_shift() {
                    b.binary(op, x, y)
                } else {
                    let w = b.width(x);
                    let y = fit(&mut b, y, w);
                    b.binary(op, x, y)
                }
            }
            Gen::Un(o, x) => {
                let op = [
                    UnOp::Not,
                    UnOp::Neg,
                    UnOp::RedAnd,
                    UnOp::RedOr,
                    UnOp::RedXor,
                ][*o];
                b.unary(op, pick(*x))
            }
            Gen::Mux(c, x, y) => {
                let (c, x, y) = (pick(*c), pick(*x), pick(*y));
                let c = fit(&mut b, c, 1);
                let w = b.width(x);
                let y = fit(&mut b, y, w);
                b.mux(c, x, y)
            }
            Gen::Const(v) => b.const_u64(2, *v),
        };
        pool.push(n);
    }
    for (k, r) in regs.iter().enumerate() {
        let n = pool[s.nexts[k].wrapping_add(pool.len() - 1 - k) % pool.len()];
        let n = fit(&mut b, n, s.regs[k].0);
        b.set_next(*r, n);
    }
    // Half the time the assertion is on a register (failures take cycles).
    let x = if s.bad.0.is_multiple_of(2) {
        pool[1 + (s.bad.0 / 2) % s.regs.len()]
    } else {
        pool[(s.bad.0 / 2) % pool.len()]
    };
    let xw = b.width(x).min(2);
    let x = fit(&mut b, x, xw);
    let c = b.const_u64(xw, s.bad.1 & ((1 << xw) - 1));
    let bad = b.binary(BinOp::Eq, x, c);
    b.property("p.a", PropKind::Assert, bad, Span::NONE);
    if let Some(a) = s.assume {
        let v = pool[a % pool.len()];
        let v = fit(&mut b, v, 1);
        b.property("p.assume", PropKind::Assume, v, Span::NONE);
    }
    b.finish().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// At most 4 state bits: BMC to depth 17 exceeds every path between
    /// distinct states, so it decides; PDR must agree (never proven where BMC
    /// fails, the same depth when both fail) and its traces must replay.
    #[test]
    fn pdr_agrees_with_bmc(s in spec()) {
        let d = build(&s);
        let bmc = check_named(&d, "p.a", &with_engine(opts(17, false), Engine::Bmc));
        let r = run_pdr(&d, "p.a");
        match (&bmc.status, &r) {
            (Verdict::Fail { depth, .. }, PdrResult::Reached { depth: k, trace }) => {
                prop_assert_eq!(depth, k);
                prop_assert!(sim_confirms(&d, trace, "p.a"));
            }
            (Verdict::Pass { .. }, PdrResult::Proven { .. }) => {}
            (b, p) => prop_assert!(false, "bmc {:?} but pdr {:?}", b, p),
        }
    }
}

#[test]
fn check_with_pdr_reports_interruption() {
    let d = wrap_counter(31);
    let ctl = Control::default();
    ctl.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    let r = check(&d, &[0], &with_engine(opts(20, true), Engine::Pdr), &ctl).unwrap();
    assert!(r[0].interrupted);
    assert!(matches!(r[0].status, Verdict::Unknown { .. }));
}

/// Two assertions joint induction proves at once (a register stuck at its
/// initial value), with the portfolio in parallel and sequential: both are
/// proven by k-induction, and PDR (started late, or skipped for assertions
/// already decided) never replaces a definite answer with its own.
#[test]
fn portfolio_keeps_joint_induction_proofs() {
    let mut b = Builder::new("st");
    b.set_clock("clk");
    let _en = b.input("en", 1, false, Span::NONE);
    let (r, q) = b.reg("st.q", 4, Some(Bits::zero(4)), Span::NONE);
    b.set_next(r, q);
    // As in `wrap_counter`, an assertion's node is its bad condition.
    let zero = b.const_u64(4, 0);
    let is0 = b.binary(BinOp::Eq, q, zero);
    let not0 = b.unary(UnOp::Not, is0);
    let five = b.const_u64(4, 5);
    let is5 = b.binary(BinOp::Eq, q, five);
    b.property("st.a0", PropKind::Assert, not0, Span::NONE);
    b.property("st.a1", PropKind::Assert, is5, Span::NONE);
    let d = b.finish().unwrap();
    for parallel in [false, true] {
        let o = BmcOptions {
            parallel,
            ..with_engine(opts(10, true), Engine::Auto)
        };
        let rs = check(&d, &[0, 1], &o, &Control::default()).unwrap();
        assert_eq!(rs.len(), 2);
        for r in &rs {
            assert!(matches!(r.status, Verdict::Proven { .. }), "{:?}", r.status);
            assert_eq!(r.engine, "k-induction", "{}", r.name);
        }
    }
}
