//! Hand-built designs run through the simulator.

use ir::reset::{resolve, ResetSpec};
use rtl::builder::Builder;
use rtl::ir::{BinOp, Design, PropKind, UnOp};
use rtl::{Bits, Span};
use sim::{replay, run_random, InitMode, Outcome, Program, Sim, SimOptions};
use std::sync::Arc;

fn counter(init: Option<Bits>) -> Design {
    let mut b = Builder::new("counter");
    b.set_clock("clk");
    let rst = b.input("rst", 1, false, Span::NONE);
    let en = b.input("en", 1, false, Span::NONE);
    let (r, q) = b.reg("counter.count", 8, init, Span::NONE);
    let one = b.const_u64(8, 1);
    let zero = b.const_u64(8, 0);
    let inc = b.binary(BinOp::Add, q, one);
    let n1 = b.mux(en, inc, q);
    let next = b.mux(rst, zero, n1);
    b.set_next(r, next);
    b.output("count", q, false, Span::NONE);
    b.name("counter.count", q, false, rtl::ir::SignalKind::Reg);
    b.finish().unwrap()
}

fn sim_of(d: &Design, init: InitMode) -> Sim {
    Sim::new(Arc::new(Program::compile(d).unwrap()), 7, init)
}

#[test]
fn counter_counts_and_wraps() {
    let d = counter(Some(Bits::zero(8)));
    let mut s = sim_of(&d, InitMode::Random);
    let q = d.outputs[0].node;
    s.set_inputs(&[Bits::from_u64(1, 0), Bits::from_u64(1, 1)]);
    for c in 0..300u64 {
        s.eval();
        assert_eq!(s.get_u64(q), c % 256);
        s.step();
    }
    // Reset wins over enable.
    s.set_inputs(&[Bits::from_u64(1, 1), Bits::from_u64(1, 1)]);
    s.eval();
    s.step();
    s.eval();
    assert_eq!(s.get_u64(q), 0);
}

#[test]
fn uninitialised_register_is_seeded_or_zero() {
    let d = counter(None);
    let p = Arc::new(Program::compile(&d).unwrap());
    let a = Sim::new(p.clone(), 1, InitMode::Random).reg(0);
    let b = Sim::new(p.clone(), 1, InitMode::Random).reg(0);
    assert_eq!(a, b, "same seed, same init");
    let differs = (2..20).any(|s| Sim::new(p.clone(), s, InitMode::Random).reg(0) != a);
    assert!(differs, "different seeds give different inits");
    assert!(Sim::new(p, 1, InitMode::Zero).reg(0).is_zero());
}

#[test]
fn auto_reset_detection() {
    let d = counter(None);
    let r = resolve(&d, &ResetSpec::Auto, 1).unwrap().unwrap();
    assert_eq!(
        (r.reset.name.as_str(), r.reset.active_low, r.auto),
        ("rst", false, true)
    );
    assert!(resolve(&d, &ResetSpec::None, 1).unwrap().is_none());
    assert!(resolve(&d, &ResetSpec::parse("!nope"), 1).is_err());
    let r = resolve(&d, &ResetSpec::parse("!en"), 1).unwrap().unwrap();
    assert!(r.reset.active_low && !r.auto && r.input.index() == 1);
}

#[test]
fn memory_read_write_ports() {
    let mut b = Builder::new("m");
    b.set_clock("clk");
    let we = b.input("we", 1, false, Span::NONE);
    let we2 = b.input("we2", 1, false, Span::NONE);
    let wa = b.input("wa", 4, false, Span::NONE);
    let wd = b.input("wd", 8, false, Span::NONE);
    let ra = b.input("ra", 4, false, Span::NONE);
    let m = b.memory("m.mem", 8, 10, None, Span::NONE);
    let rd = b.mem_read(m, ra, Span::NONE);
    b.mem_write(m, we, wa, wd);
    let inv = b.unary(UnOp::Not, wd);
    b.mem_write(m, we2, wa, inv);
    b.output("rd", rd, false, Span::NONE);
    let d = b.finish().unwrap();
    let mut s = sim_of(&d, InitMode::Zero);
    let v = |w, x| Bits::from_u64(w, x);
    // Write 0x5a to address 3.
    s.set_inputs(&[v(1, 1), v(1, 0), v(4, 3), v(8, 0x5a), v(4, 3)]);
    s.eval();
    assert_eq!(s.get_u64(rd), 0);
    s.step();
    s.eval();
    assert_eq!(s.get_u64(rd), 0x5a);
    // Both ports write address 3: the later one wins.
    s.set_inputs(&[v(1, 1), v(1, 1), v(4, 3), v(8, 0x0f), v(4, 3)]);
    s.eval();
    s.step();
    s.eval();
    assert_eq!(s.get_u64(rd), 0xf0);
    // Out-of-range write (12 >= depth 10) is ignored; out-of-range read gives 0.
    s.set_inputs(&[v(1, 1), v(1, 0), v(4, 12), v(8, 0x77), v(4, 12)]);
    s.eval();
    assert_eq!(s.get_u64(rd), 0);
    s.step();
    assert_eq!(s.mem_word(0, 3).to_u64(), Some(0xf0));
    assert!(s.mem_word(0, 12).is_zero());
}

#[test]
fn wide_130_bit_arithmetic() {
    let mut b = Builder::new("w");
    let a = b.input("a", 130, false, Span::NONE);
    let c = b.input("c", 130, false, Span::NONE);
    let sum = b.binary(BinOp::Add, a, c);
    let prod = b.binary(BinOp::Mul, a, c);
    let diff = b.binary(BinOp::Sub, a, c);
    let quo = b.binary(BinOp::Udiv, a, c);
    let lt = b.binary(BinOp::Ult, a, c);
    let hi = b.slice(sum, 60, 10);
    for (n, x) in [
        ("sum", sum),
        ("prod", prod),
        ("diff", diff),
        ("quo", quo),
        ("lt", lt),
        ("hi", hi),
    ] {
        b.output(n, x, false, Span::NONE);
    }
    let d = b.finish().unwrap();
    let mut s = sim_of(&d, InitMode::Zero);
    let x = Bits::from_words(130, &[u64::MAX, u64::MAX, 1]);
    let y = Bits::from_words(130, &[3, 0, 0]);
    s.set_inputs(&[x.clone(), y.clone()]);
    s.eval();
    assert_eq!(s.get(sum), x.add(&y));
    assert_eq!(s.get(prod), x.mul(&y));
    assert_eq!(s.get(diff), x.sub(&y));
    assert_eq!(s.get(quo), x.udiv(&y));
    assert_eq!(s.get_u64(lt), 0);
    assert_eq!(s.get(hi), x.add(&y).slice(60, 10));
}

#[test]
fn signed_ops_narrow() {
    let mut b = Builder::new("s");
    let a = b.input("a", 8, true, Span::NONE);
    let c = b.input("c", 8, true, Span::NONE);
    let ops = [
        BinOp::Sdiv,
        BinOp::Srem,
        BinOp::Slt,
        BinOp::Sle,
        BinOp::Ashr,
    ];
    let outs: Vec<_> = ops.iter().map(|o| b.binary(*o, a, c)).collect();
    let sx = b.sext(a, 16);
    for (i, o) in outs.iter().enumerate() {
        b.output(&format!("o{i}"), *o, true, Span::NONE);
    }
    b.output("sx", sx, true, Span::NONE);
    let d = b.finish().unwrap();
    let mut s = sim_of(&d, InitMode::Zero);
    s.set_inputs(&[Bits::from_i64(8, -7), Bits::from_i64(8, 2)]);
    s.eval();
    assert_eq!(s.get(outs[0]).to_i64(), Some(-3));
    assert_eq!(s.get(outs[1]).to_i64(), Some(-1));
    assert_eq!(s.get_u64(outs[2]), 1);
    assert_eq!(s.get_u64(outs[3]), 1);
    assert_eq!(s.get(outs[4]).to_i64(), Some(-2));
    assert_eq!(s.get(sx).to_i64(), Some(-7));
    // -128 / -1 wraps to -128; division by zero is 0.
    s.set_inputs(&[Bits::from_i64(8, -128), Bits::from_i64(8, -1)]);
    s.eval();
    assert_eq!(s.get(outs[0]).to_i64(), Some(-128));
    s.set_inputs(&[Bits::from_i64(8, -128), Bits::from_i64(8, 0)]);
    s.eval();
    assert_eq!(s.get_u64(outs[0]), 0);
    assert_eq!(s.get_u64(outs[1]), 0);
}

/// An asynchronous reset as the elaborator lowers it: a mux in front of the
/// register's readers plus a priority branch in `next`.
#[test]
fn async_reset_like_mux() {
    let mut b = Builder::new("ar");
    b.set_clock("clk");
    let rst_n = b.input("rst_n", 1, false, Span::NONE);
    let (r, q) = b.reg("ar.q", 4, None, Span::NONE);
    let zero = b.const_u64(4, 0);
    let one = b.const_u64(4, 1);
    let vis = b.mux(rst_n, q, zero);
    let inc = b.binary(BinOp::Add, vis, one);
    let next = b.mux(rst_n, inc, zero);
    b.set_next(r, next);
    b.output("q", vis, false, Span::NONE);
    let d = b.finish().unwrap();
    let mut s = sim_of(&d, InitMode::Random);
    s.set_inputs(&[Bits::from_u64(1, 0)]);
    s.eval();
    assert_eq!(s.get_u64(vis), 0, "reset forces the visible value at once");
    s.step();
    s.set_inputs(&[Bits::from_u64(1, 1)]);
    for c in 0..5 {
        s.eval();
        assert_eq!(s.get_u64(vis), c);
        s.step();
    }
}

/// `assert` bad when count == 5: with reset in cycle 0 and en forced 1 the
/// count is 5 in cycle 6.
fn failing_design() -> Design {
    let mut b = Builder::new("f");
    b.set_clock("clk");
    let rst = b.input("rst", 1, false, Span::NONE);
    let noise = b.input("noise", 16, false, Span::NONE);
    let (r, q) = b.reg("f.count", 8, None, Span::NONE);
    let one = b.const_u64(8, 1);
    let zero = b.const_u64(8, 0);
    let five = b.const_u64(8, 5);
    let inc = b.binary(BinOp::Add, q, one);
    let next = b.mux(rst, zero, inc);
    b.set_next(r, next);
    let bad = b.binary(BinOp::Eq, q, five);
    let nrst = b.unary(UnOp::Not, rst);
    let bad = b.binary(BinOp::And, bad, nrst);
    b.property(
        "f.count_ne_5",
        PropKind::Assert,
        bad,
        Span::new(rtl::FileId(0), 10, 20),
    );
    let three = b.const_u64(8, 3);
    let hit = b.binary(BinOp::Eq, q, three);
    let hit = b.binary(BinOp::And, hit, nrst);
    b.property("f.saw3", PropKind::Cover, hit, Span::NONE);
    b.output("noise_o", noise, false, Span::NONE);
    b.finish().unwrap()
}

#[test]
fn failure_at_known_cycle_replays_exactly() {
    let d = failing_design();
    let opts = SimOptions {
        cycles: 50,
        seed: 11,
        seeds: 4,
        ..SimOptions::default()
    };
    let rep = run_random(&d, &opts).unwrap();
    assert_eq!(rep.reset.as_ref().unwrap().reset.name, "rst");
    assert_eq!(rep.seeds.len(), 4);
    let f = rep.first_failure().expect("count reaches 5");
    assert_eq!(f.property, "f.count_ne_5");
    assert_eq!(f.cycle, 6);
    assert_eq!(f.seed, 11);
    assert_eq!(f.trace.cycles.len(), 7);
    assert!(f.trace.init.contains_key("f.count"));
    if let Outcome::Fail(_) = &rep.seeds[0].outcome {
    } else {
        panic!("seed 11 must fail");
    }
    assert_eq!(rep.seeds[0].cover_first[1], Some(4));
    // Replay: same failure at the same cycle, whatever the init mode.
    for init in [InitMode::Random, InitMode::Zero] {
        let r = replay(&d, &f.trace, init).unwrap();
        let rf = r.failure.expect("replay fails too");
        assert_eq!((rf.cycle, rf.prop), (6, 0));
        assert_eq!(r.outputs.len(), 7);
    }
    // The trace round-trips through JSON.
    let j = serde_json::to_string(&f.trace).unwrap();
    let t: rtl::trace::Trace = serde_json::from_str(&j).unwrap();
    assert_eq!(
        replay(&d, &t, InitMode::Random)
            .unwrap()
            .failure
            .unwrap()
            .cycle,
        6
    );
}

#[test]
fn no_reset_with_random_init_fails_elsewhere_and_replays() {
    let d = failing_design();
    let opts = SimOptions {
        cycles: 2000,
        seed: 3,
        seeds: 3,
        reset: ResetSpec::None,
        stop_on_failure: false,
        ..SimOptions::default()
    };
    let rep = run_random(&d, &opts).unwrap();
    let mut failed = 0;
    for s in &rep.seeds {
        match &s.outcome {
            Outcome::Fail(f) => {
                failed += 1;
                let r = replay(&d, &f.trace, InitMode::Zero).unwrap();
                assert_eq!(r.failure.unwrap().cycle, f.cycle);
            }
            Outcome::Pass => assert_eq!(s.cycles, 2000),
            other => panic!("seed {}: unexpected {other:?}", s.seed),
        }
    }
    assert!(
        failed > 0,
        "six quiet reset cycles in a row happen within 2000 cycles"
    );
}

#[test]
fn assumption_violation_is_not_a_failure() {
    let mut b = Builder::new("a");
    b.set_clock("clk");
    let x = b.input("x", 4, false, Span::NONE);
    let c15 = b.const_u64(4, 15);
    let bad = b.binary(BinOp::Eq, x, c15);
    b.property("a.x_not_15", PropKind::Assume, bad, Span::NONE);
    let d = b.finish().unwrap();
    let rep = run_random(
        &d,
        &SimOptions {
            cycles: 1000,
            ..SimOptions::default()
        },
    )
    .unwrap();
    assert!(rep.first_failure().is_none());
    match &rep.seeds[0].outcome {
        Outcome::AssumeViolated(f) => {
            assert_eq!(f.property, "a.x_not_15");
            assert_eq!(rep.seeds[0].cycles, f.cycle + 1);
        }
        o => panic!("expected an assumption violation, got {o:?}"),
    }
}

#[test]
fn coverage_and_vcd() {
    let mut b = Builder::new("fsm");
    b.set_clock("clk");
    let go = b.input("go", 1, false, Span::NONE);
    let (r, q) = b.reg("fsm.st", 2, Some(Bits::zero(2)), Span::NONE);
    let one = b.const_u64(2, 1);
    let nx = b.binary(BinOp::Add, q, one);
    let next = b.mux(go, nx, q);
    b.set_next(r, next);
    b.reg_mut(r).enum_values = ["IDLE", "A", "B", "C"]
        .iter()
        .enumerate()
        .map(|(i, n)| rtl::ir::EnumValue {
            name: n.to_string(),
            value: Bits::from_u64(2, i as u64),
        })
        .collect();
    b.branch("if", go, Span::NONE);
    b.name("fsm.st", q, false, rtl::ir::SignalKind::Reg);
    b.name("fsm.sub.nx", nx, false, rtl::ir::SignalKind::Wire);
    let d = b.finish().unwrap();
    let opts = SimOptions {
        cycles: 200,
        seeds: 2,
        coverage: true,
        ..SimOptions::default()
    };
    let rep = run_random(&d, &opts).unwrap();
    let cov = rep.coverage.unwrap();
    let get = |id: &str| cov.points.iter().find(|p| p.id == id).unwrap().hits;
    assert!(get("branch:0:if") > 100);
    assert!(get("toggle:fsm.st[1]:rise") > 0);
    assert!(get("state:fsm.st=C") > 0);
    assert!(get("transition:fsm.st:A->B") > 0);
    assert_eq!(get("transition:fsm.st:A->C"), 0);
    let single = rep.seeds[0].coverage.as_ref().unwrap();
    assert!(
        get("branch:0:if") > single.points[0].hits,
        "merge sums seeds"
    );
    let back: sim::Coverage = serde_json::from_str(&cov.to_json()).unwrap();
    assert_eq!(back, cov);

    let prog = Arc::new(Program::compile(&d).unwrap());
    let trace = sim::random_trace(&prog, &opts, None, 5, 6);
    let (res, out) = sim::vcd::write_vcd(&prog, &trace, InitMode::Zero, Vec::new()).unwrap();
    assert_eq!(res.outputs.len(), 6);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("$scope module fsm $end"));
    assert!(text.contains("$scope module sub $end"));
    assert!(text.contains("$var wire 2 # st $end"));
    assert!(text.contains("$var wire 1 ! clk $end"));
    assert!(text.contains("#50\n1!"));
    assert!(text.trim_end().ends_with("#60"));
}
