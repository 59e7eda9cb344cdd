//! Property test: the simulator and BMC agree on random small designs.
//!
//! A random sequential design (a few inputs, registers with or without an
//! initial value, a memory, random next-state logic from every operator
//! family, one assumption on an input) and a random stimulus: if the
//! simulator (the `sim` crate, an implementation independent of the
//! solver's encoding) sees the assertion fail at cycle `c`, BMC run to depth
//! `c` must find it failing at depth `c` or earlier; and every trace BMC
//! gives must replay in the simulator as a failure in its last cycle.

use proptest::prelude::*;
use rtl::bits::Bits;
use rtl::builder::Builder;
use rtl::ir::{BinOp, Design, NodeId, PropKind, UnOp};
use rtl::trace::Trace;
use rtl::Span;
use sim::InitMode;
use solver::{check, BmcOptions, Control, Verdict};

/// One random operation over the pool of values built so far.
#[derive(Clone, Debug)]
enum Gen {
    Bin(usize, usize, usize),
    Un(usize, usize),
    Mux(usize, usize, usize),
    Slice(usize, u32),
    Concat(usize, usize),
    Const(u64),
}

#[derive(Clone, Debug)]
struct Spec {
    /// Input widths (1..=4).
    inputs: Vec<u32>,
    /// Register widths and initial values (None: free).
    regs: Vec<(u32, Option<u64>)>,
    /// Generated logic.
    gens: Vec<Gen>,
    /// Which pool values feed each register's next, the memory write, the
    /// read address, and the assertion.
    nexts: Vec<usize>,
    mem_write: (usize, usize, usize),
    mem_raddr: usize,
    bad: (usize, u64),
    /// Stimulus: one row of raw input values per cycle.
    stim: Vec<Vec<u64>>,
}

const W: u32 = 4;

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(1u32..=4, 1..=3),
        prop::collection::vec((1u32..=4, prop::option::of(0u64..16)), 1..=3),
        prop::collection::vec(gen(), 3..=12),
        prop::collection::vec(any::<usize>(), 3),
        (any::<usize>(), any::<usize>(), any::<usize>()),
        any::<usize>(),
        (any::<usize>(), 0u64..16),
        prop::collection::vec(prop::collection::vec(0u64..16, 3), 1..=8),
    )
        .prop_map(
            |(inputs, regs, gens, nexts, mem_write, mem_raddr, bad, stim)| Spec {
                inputs,
                regs,
                gens,
                nexts,
                mem_write,
                mem_raddr,
                bad,
                stim,
            },
        )
}

fn gen() -> impl Strategy<Value = Gen> {
    prop_oneof![
        (0usize..19, any::<usize>(), any::<usize>()).prop_map(|(o, a, b)| Gen::Bin(o, a, b)),
        (0usize..5, any::<usize>()).prop_map(|(o, a)| Gen::Un(o, a)),
        (any::<usize>(), any::<usize>(), any::<usize>()).prop_map(|(s, a, b)| Gen::Mux(s, a, b)),
        (any::<usize>(), 0u32..4).prop_map(|(a, lo)| Gen::Slice(a, lo)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Gen::Concat(a, b)),
        (0u64..16).prop_map(Gen::Const),
    ]
}

/// Resize `n` to `w` bits (slice or zero-extend).
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
    build_with(s, true)
}

/// The design of `s`; without `mem`, the memory read is a constant and
/// there is no memory.
fn build_with(s: &Spec, mem_on: bool) -> Design {
    let mut b = Builder::new("p");
    b.set_clock("clk");
    let mut pool: Vec<NodeId> = Vec::new();
    for (i, w) in s.inputs.iter().enumerate() {
        pool.push(b.input(&format!("i{i}"), *w, false, Span::NONE));
    }
    let mut regs = Vec::new();
    for (i, (w, init)) in s.regs.iter().enumerate() {
        let init = init.map(|v| Bits::from_u64(*w, v & ((1 << w) - 1)));
        let (r, q) = b.reg(&format!("p.r{i}"), *w, init, Span::NONE);
        regs.push(r);
        pool.push(q);
    }
    let mem = mem_on.then(|| b.memory("p.m", W, 4, None, Span::NONE));
    let ra = pool[s.mem_raddr % pool.len()];
    let ra = fit(&mut b, ra, 2);
    let read = match mem {
        Some(m) => b.mem_read(m, ra, Span::NONE),
        None => b.const_u64(W, 5),
    };
    pool.push(read);
    let pick = |pool: &Vec<NodeId>, i: usize| pool[i % pool.len()];
    for g in &s.gens {
        let n = match g {
            Gen::Bin(o, x, y) => {
                let op = BinOp::ALL[*o];
                let x = pick(&pool, *x);
                let y = pick(&pool, *y);
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
                let x = pick(&pool, *x);
                b.unary(op, x)
            }
            Gen::Mux(c, x, y) => {
                let c = pick(&pool, *c);
                let c = fit(&mut b, c, 1);
                let x = pick(&pool, *x);
                let w = b.width(x);
                let y = pick(&pool, *y);
                let y = fit(&mut b, y, w);
                b.mux(c, x, y)
            }
            Gen::Slice(x, lo) => {
                let x = pick(&pool, *x);
                let w = b.width(x);
                let lo = lo % w;
                b.slice(x, lo, w - lo)
            }
            Gen::Concat(x, y) => {
                let x = pick(&pool, *x);
                let y = pick(&pool, *y);
                let x = fit(&mut b, x, 2);
                let y = fit(&mut b, y, 2);
                b.concat(vec![x, y])
            }
            Gen::Const(v) => b.const_u64(W, *v),
        };
        pool.push(n);
    }
    for (k, r) in regs.iter().enumerate() {
        let w = s.regs[k].0;
        let n = pick(
            &pool,
            s.nexts[k % s.nexts.len()].wrapping_add(pool.len() - 1 - k),
        );
        let n = fit(&mut b, n, w);
        b.set_next(*r, n);
    }
    if let Some(mem) = mem {
        let (en, wa, wd) = s.mem_write;
        let en = pick(&pool, en);
        let en = fit(&mut b, en, 1);
        let wa = pick(&pool, wa);
        let wa = fit(&mut b, wa, 2);
        let wd = pick(&pool, wd);
        let wd = fit(&mut b, wd, W);
        b.mem_write(mem, en, wa, wd);
    }
    // The assertion: some late value equals a constant (bad = 1 then).
    // Half the time on a register, so that failures need several cycles.
    let nin = s.inputs.len();
    let x = if s.bad.0.is_multiple_of(2) {
        pool[nin + (s.bad.0 / 2) % s.regs.len()]
    } else {
        pick(&pool, s.bad.0 / 2)
    };
    let xw = b.width(x).min(8);
    let x = fit(&mut b, x, xw);
    let c = b.const_u64(xw, s.bad.1 & ((1 << xw) - 1));
    let bad = b.binary(BinOp::Eq, x, c);
    if mem_on {
        b.property("p.a", PropKind::Assert, bad, Span::NONE);
    } else {
        // Liveness: `s_eventually (x == c)`, pending while x != c.
        let pending = b.unary(UnOp::Not, bad);
        b.property("p.a", PropKind::Live, pending, Span::NONE);
    }
    // An assumption: input 0 never takes its all-ones value.
    let i0 = pool[0];
    let ones = b.konst(Bits::ones(s.inputs[0]));
    let viol = b.binary(BinOp::Eq, i0, ones);
    b.property("p.m0", PropKind::Assume, viol, Span::NONE);
    b.finish().expect("generated design is well formed")
}

fn stimulus(d: &Design, s: &Spec) -> Trace {
    let mut t = Trace::for_design(d);
    for row in &s.stim {
        let vals: Vec<Bits> = d
            .inputs
            .iter()
            .enumerate()
            .map(|(i, inp)| {
                let mask = (1u64 << inp.width) - 1;
                let mut v = row[i % row.len()] & mask;
                if i == 0 && v == mask {
                    v = 0; // respect the assumption
                }
                Bits::from_u64(inp.width, v)
            })
            .collect();
        t.push_cycle(&vals);
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn bmc_finds_what_simulation_sees(s in spec()) {
        let d = build(&s);
        let stim = stimulus(&d, &s);
        // Registers and memory words without an initial value start at 0 in
        // this simulation; BMC leaves them free, so it may fail earlier.
        let sim_res = sim::replay(&d, &stim, InitMode::Zero).expect("stimulus fits");
        prop_assert!(sim_res.assume_violation.is_none());
        let sim_fail = sim_res.failure.as_ref().map(|f| f.cycle as u32);
        let depth = sim_fail.unwrap_or(stim.cycles.len() as u32 - 1);
        let opts = BmcOptions {
            depth,
            prove: false,
            reset: None,
            parallel: false,
            ..BmcOptions::default()
        };
        let r = check(&d, &[0], &opts, &Control::default()).expect("valid request");
        let r = &r[0];
        match &r.status {
            Verdict::Fail { depth: k, trace } => {
                if let Some(c) = sim_fail {
                    prop_assert!(*k <= c, "BMC failed at {k}, after the simulator's {c}");
                }
                prop_assert_eq!(trace.cycles.len() as u32, k + 1);
                let rep = sim::replay(&d, trace, InitMode::Zero).expect("trace fits");
                prop_assert!(rep.assume_violation.is_none(), "BMC trace violates the assumption");
                let last = rep.props.last().expect("one cycle at least");
                prop_assert!(last[0], "BMC trace does not fail in the simulator");
            }
            Verdict::Pass { .. } => {
                prop_assert!(sim_fail.is_none(), "simulator fails at {:?}, BMC passes", sim_fail);
            }
            other => prop_assert!(false, "unexpected status {:?}", other),
        }
    }

    /// Liveness on random memory-free designs: the engines never
    /// contradict each other (a lasso and a proof of the same property),
    /// and every lasso replays in the simulator as one.
    #[test]
    fn liveness_engines_agree(s in spec()) {
        let d = build_with(&s, false);
        let opts = |engine, prove| BmcOptions {
            depth: 10,
            prove,
            engine,
            reset: None,
            parallel: false,
            ..BmcOptions::default()
        };
        let run = |o: &BmcOptions| check(&d, &[0], o, &Control::default()).expect("valid request").remove(0);
        let bmc = run(&opts(solver::Engine::Bmc, false));
        let pdr = run(&opts(solver::Engine::Pdr, true));
        let kind = run(&opts(solver::Engine::Kind, true));
        let lasso = matches!(bmc.status, Verdict::Fail { .. });
        for r in [&pdr, &kind] {
            prop_assert!(
                !(lasso && matches!(r.status, Verdict::Proven { .. })),
                "{} proves what BMC breaks: {:?}", r.engine, bmc.status
            );
        }
        for r in [&bmc, &pdr, &kind] {
            if let Verdict::Fail { trace, .. } = &r.status {
                let prog = std::sync::Arc::new(sim::Program::compile(&d).expect("compiles"));
                prop_assert!(
                    sim::confirm(&prog, &d, 0, trace).expect("replays"),
                    "{}: the lasso does not replay", r.engine
                );
            }
        }
        if matches!(pdr.status, Verdict::Proven { .. }) || matches!(kind.status, Verdict::Proven { .. }) {
            prop_assert!(!lasso);
        }
    }
}
