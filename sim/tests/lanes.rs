//! The lane-batched engine and the native code (`Sim::set_jit`) against the
//! scalar interpreter: on random sequential designs (every operator, widths
//! 1..=130, registers, a wide and a narrow memory, properties), every node of
//! every lane and of the native-code run must equal the scalar `Sim` of
//! that seed in every cycle (in the compact lane layout, every value it
//! keeps), and multi-seed runs must give the same per-seed results whatever
//! the batching and whether native code runs.

use ir::reset::ResetSpec;
use proptest::prelude::*;
use rtl::builder::Builder;
use rtl::ir::{BinOp, Design, NodeId, PropKind, UnOp};
use rtl::{Bits, Span};
use sim::rng::Rng;
use sim::{
    run_lanes, run_seed, CoverageCollector, InitMode, LaneCoverage, LaneJit, Lanes, Outcome,
    Program, Sim, SimOptions,
};
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::Arc;

const UNOPS: [UnOp; 5] = [
    UnOp::Not,
    UnOp::Neg,
    UnOp::RedAnd,
    UnOp::RedOr,
    UnOp::RedXor,
];

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

/// A random sequential design from a list of (kind, a, b, c, p) steps,
/// every node an output.
fn build(widths: &[u32], reg_widths: &[u32], steps: &[(u8, usize, usize, usize, u32)]) -> Design {
    build_with(widths, reg_widths, steps, true)
}

/// As [`build`]; with `all_outputs` false only the last node is an output,
/// so most values are temporaries (what the compact lane layout reuses).
fn build_with(
    widths: &[u32],
    reg_widths: &[u32],
    steps: &[(u8, usize, usize, usize, u32)],
    all_outputs: bool,
) -> Design {
    let mut bd = Builder::new("t");
    bd.set_clock("clk");
    let mut nodes: Vec<NodeId> = Vec::new();
    for (i, w) in widths.iter().enumerate() {
        nodes.push(bd.input(&format!("i{i}"), *w, false, Span::NONE));
    }
    // Constants of the input widths, so operations with a constant operand
    // (the immediate instructions) are generated too.
    for (i, w) in widths.iter().enumerate() {
        let words: Vec<u64> = (0..w.div_ceil(64) as u64)
            .map(|k| (i as u64 + 3).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ k)
            .collect();
        nodes.push(bd.konst(Bits::from_words(*w, &words)));
    }
    let mut regs = Vec::new();
    for (i, w) in reg_widths.iter().enumerate() {
        let init = (i % 3 == 0).then(|| Bits::from_u64(*w, 5));
        let (r, q) = bd.reg(&format!("t.r{i}"), *w, init, Span::NONE);
        regs.push(r);
        nodes.push(q);
    }
    let mem = bd.memory("t.mem", 70, 16, None, Span::NONE);
    // At most 64 bits: the lane engine keeps it lane-interleaved.
    let nmem = bd.memory("t.nmem", 12, 8, None, Span::NONE);
    for &(kind, a, b, c, p) in steps {
        let n = nodes.len();
        let (a, b, c) = (nodes[a % n], nodes[b % n], nodes[c % n]);
        let wa = bd.width(a);
        let new = match kind {
            0..=18 => {
                let op = BinOp::ALL[kind as usize];
                let b = if op.is_shift() && p % 3 != 0 {
                    let w = 7.min(bd.width(b));
                    fit(&mut bd, b, w, p)
                } else if op.is_shift() {
                    b
                } else {
                    fit(&mut bd, b, wa, p)
                };
                bd.binary(op, a, b)
            }
            19..=23 => bd.unary(UNOPS[(kind - 19) as usize], a),
            24 => {
                let s = fit(&mut bd, c, 1, p);
                let f = fit(&mut bd, b, wa, p / 2);
                bd.mux(s, a, f)
            }
            25 => {
                let a1 = fit(&mut bd, a, wa.min(70), p);
                let b1 = fit(&mut bd, b, 1 + p % 60, p);
                bd.concat(vec![a1, b1])
            }
            26 => {
                let w = 1 + p % wa;
                bd.slice(a, (p / 7) % (wa - w + 1), w)
            }
            27 => bd.sext(a, (wa + p % 70).min(130)),
            _ if p % 2 == 0 => {
                let addr = fit(&mut bd, a, 4 + p % 3, p);
                bd.mem_read(mem, addr, Span::NONE)
            }
            _ => {
                let addr = fit(&mut bd, a, 3 + p % 3, p);
                bd.mem_read(nmem, addr, Span::NONE)
            }
        };
        nodes.push(new);
    }
    let n = nodes.len();
    for (i, r) in regs.iter().enumerate() {
        let w = reg_widths[i];
        let src = nodes[n - 1 - (i * 7) % n];
        let next = fit(&mut bd, src, w, i as u32);
        bd.set_next(*r, next);
    }
    let en = fit(&mut bd, nodes[n - 1], 1, 3);
    let addr = fit(&mut bd, nodes[n / 2], 4, 1);
    let data = fit(&mut bd, nodes[n - 2], 70, 2);
    bd.mem_write(mem, en, addr, data);
    let en = fit(&mut bd, nodes[n - 2], 1, 5);
    let addr = fit(&mut bd, nodes[n / 3], 3, 2);
    let data = fit(&mut bd, nodes[n - 1], 12, 1);
    bd.mem_write(nmem, en, addr, data);
    // A cover and an assertion that fail now and then.
    let c1 = fit(&mut bd, nodes[n - 1], 2, 0);
    let c1 = bd.unary(UnOp::RedAnd, c1);
    bd.property("t.c", PropKind::Cover, c1, Span::NONE);
    let a1 = fit(&mut bd, nodes[n / 3], 9, 0);
    let a1 = bd.unary(UnOp::RedAnd, a1);
    bd.property("t.a", PropKind::Assert, a1, Span::NONE);
    for (i, x) in nodes.iter().enumerate() {
        if all_outputs || i + 1 == n {
            bd.output(&format!("o{i}"), *x, false, Span::NONE);
        }
    }
    // A branch condition from logic nothing else reads (pruned without coverage).
    let b1 = fit(&mut bd, nodes[n - 1], 3, 1);
    let b1 = bd.unary(UnOp::RedXor, b1);
    let b1 = bd.unary(UnOp::Not, b1);
    bd.branch("if", b1, Span::NONE);
    bd.finish().expect("generated design is well formed")
}

fn steps() -> impl Strategy<Value = Vec<(u8, usize, usize, usize, u32)>> {
    proptest::collection::vec(
        (
            0u8..29,
            any::<usize>(),
            any::<usize>(),
            any::<usize>(),
            any::<u32>(),
        ),
        1..40,
    )
}

fn widths() -> impl Strategy<Value = Vec<u32>> {
    proptest::collection::vec(prop_oneof![1u32..=64, 1u32..=130], 1..4)
}

/// The nodes every run observes: outputs, then properties.
fn observed_nodes(d: &Design) -> impl Iterator<Item = NodeId> + '_ {
    d.outputs
        .iter()
        .map(|o| o.node)
        .chain(d.props.iter().map(|p| p.node))
}

/// Per register: whether an output, a property or a memory write port
/// reads it, directly or through other registers (the test's own fixed
/// point, not the engine's).
fn live_regs(d: &Design) -> Vec<bool> {
    let mut seen = vec![false; d.nodes.len()];
    let mut todo: Vec<NodeId> = d.outputs.iter().map(|o| o.node).collect();
    todo.extend(d.props.iter().map(|p| p.node));
    for m in &d.mems {
        for w in &m.writes {
            todo.extend([w.en, w.addr, w.data]);
        }
    }
    let mut live = vec![false; d.regs.len()];
    loop {
        while let Some(n) = todo.pop() {
            if !std::mem::replace(&mut seen[n.index()], true) {
                todo.extend(d.nodes[n.index()].op.operands());
            }
        }
        let mut grew = false;
        for (i, r) in d.regs.iter().enumerate() {
            if !live[i] && seen[r.node.index()] {
                live[i] = true;
                grew = true;
                todo.push(r.next);
            }
        }
        if !grew {
            return live;
        }
    }
}

/// Every node of every lane equals the scalar simulation of the same seed
/// driven by the same inputs, cycle after cycle.
fn lanes_match_scalar<const L: usize>(d: &Design, seeds: &[u64], cycles: u64) {
    let prog = Arc::new(Program::compile(d).unwrap());
    let mut lanes = Lanes::<L>::new(Arc::clone(&prog), seeds, InitMode::Random);
    let mut scal: Vec<Sim> = seeds
        .iter()
        .map(|&s| Sim::new(Arc::clone(&prog), s, InitMode::Random))
        .collect();
    // The same runs settled without the branch-only logic (`eval_core`):
    // every output and property must still agree.
    let mut lanes_core = Lanes::<L>::new(Arc::clone(&prog), seeds, InitMode::Random);
    let mut scal_core: Vec<Sim> = seeds
        .iter()
        .map(|&s| Sim::new(Arc::clone(&prog), s, InitMode::Random))
        .collect();
    // The same runs on native code, full and pruned.
    let jit = || -> Vec<Sim> {
        seeds
            .iter()
            .map(|&s| {
                let mut sim = Sim::new(Arc::clone(&prog), s, InitMode::Random);
                sim.set_jit(true);
                sim
            })
            .collect()
    };
    let (mut jit_full, mut jit_core) = (jit(), jit());
    // Native code in functions of 3 instructions: values cross functions.
    let mut jit_small: Vec<Sim> = seeds
        .iter()
        .map(|&s| {
            let mut sim = Sim::new(Arc::clone(&prog), s, InitMode::Random);
            sim.set_jit_chunk(3);
            sim
        })
        .collect();
    let (mut jit_small_full, mut jit_small_core) = (jit_small.clone(), jit_small.split_off(0));
    // The compact layouts, with and without coverage.
    let mut compact_cov = Lanes::<L>::compact(Arc::clone(&prog), seeds, InitMode::Random, true);
    let mut compact = Lanes::<L>::compact(Arc::clone(&prog), seeds, InitMode::Random, false);
    let kept: Vec<NodeId> = observed_nodes(d)
        .chain(d.regs.iter().flat_map(|r| [r.node, r.next]))
        .collect();
    // Without coverage the compact layout computes only live registers
    // (read, through other registers perhaps, by an output, a property or
    // a memory write port): every other kept value must still agree.
    let live = live_regs(d);
    let kept_live: Vec<NodeId> = observed_nodes(d)
        .chain(
            d.regs
                .iter()
                .zip(&live)
                .filter(|(_, &l)| l)
                .flat_map(|(r, _)| [r.node, r.next]),
        )
        .collect();
    let branches: Vec<NodeId> = d.branches.iter().map(|b| b.cond).collect();
    let mem_ports: Vec<NodeId> = d
        .mems
        .iter()
        .flat_map(|m| m.writes.iter().flat_map(|w| [w.en, w.addr, w.data]))
        .collect();
    let observed: Vec<NodeId> = observed_nodes(d).collect();
    let mut rngs: Vec<Rng> = seeds.iter().map(|&s| Rng::new(s, 99)).collect();
    for c in 0..cycles {
        for (l, s) in scal.iter_mut().enumerate() {
            for (i, inp) in d.inputs.iter().enumerate() {
                let mut w = vec![0u64; inp.width.div_ceil(64) as usize];
                rngs[l].fill(&mut w, inp.width);
                s.set_input_words(i, &w);
                lanes.set_input_words(l, i, &w);
                scal_core[l].set_input_words(i, &w);
                lanes_core.set_input_words(l, i, &w);
                compact_cov.set_input_words(l, i, &w);
                compact.set_input_words(l, i, &w);
                jit_full[l].set_input_words(i, &w);
                jit_core[l].set_input_words(i, &w);
                jit_small_full[l].set_input_words(i, &w);
                jit_small_core[l].set_input_words(i, &w);
            }
            s.eval();
            scal_core[l].eval_core();
            jit_full[l].eval();
            jit_core[l].eval_core();
            jit_small_full[l].eval();
            jit_small_core[l].eval_core();
        }
        lanes.eval();
        lanes_core.eval_core();
        compact_cov.eval();
        compact.eval();
        for (l, s) in scal.iter_mut().enumerate() {
            for k in 0..d.nodes.len() {
                let id = NodeId(k as u32);
                assert_eq!(
                    lanes.get(l, id),
                    s.get(id),
                    "cycle {c}, lane {l}, node %{k}"
                );
                assert_eq!(
                    jit_full[l].get(id),
                    s.get(id),
                    "native code, cycle {c}, lane {l}, node %{k}"
                );
                assert_eq!(
                    jit_small_full[l].get(id),
                    s.get(id),
                    "native code in small functions, cycle {c}, lane {l}, node %{k}"
                );
            }
            // The pruned native code stores only what the engine reads
            // afterwards: live registers' next values, memory write ports,
            // properties and outputs (and memories, through the write ports).
            for &id in kept_live.iter().chain(&mem_ports) {
                assert_eq!(
                    jit_core[l].get(id),
                    s.get(id),
                    "native core, cycle {c}, %{}",
                    id.0
                );
                assert_eq!(
                    jit_small_core[l].get(id),
                    s.get(id),
                    "native core in small functions, cycle {c}, %{}",
                    id.0
                );
            }
            for &id in &observed {
                assert_eq!(scal_core[l].get(id), s.get(id), "core, cycle {c}, lane {l}");
                assert_eq!(lanes_core.get(l, id), s.get(id), "lanes core, cycle {c}");
                assert_eq!(jit_core[l].get(id), s.get(id), "native core, cycle {c}");
            }
            for &id in &kept {
                assert_eq!(
                    compact_cov.get(l, id),
                    s.get(id),
                    "compact, cycle {c}, lane {l}, %{}",
                    id.0
                );
            }
            for &id in &kept_live {
                assert_eq!(
                    compact.get(l, id),
                    s.get(id),
                    "compact core, cycle {c}, lane {l}, %{}",
                    id.0
                );
            }
            for &id in &branches {
                assert_eq!(
                    compact_cov.get(l, id),
                    s.get(id),
                    "compact branch, cycle {c}, lane {l}"
                );
            }
            s.step();
            scal_core[l].step();
            jit_full[l].step();
            jit_core[l].step();
            jit_small_full[l].step();
            jit_small_core[l].step();
            for (mi, m) in d.mems.iter().enumerate() {
                for a in 0..m.depth {
                    let want = s.mem_word(mi, a);
                    assert_eq!(jit_core[l].mem_word(mi, a), want, "native core, mem {mi}");
                    assert_eq!(jit_small_core[l].mem_word(mi, a), want, "small, mem {mi}");
                }
            }
        }
        lanes.step();
        lanes_core.step();
        compact_cov.step();
        compact.step();
    }
}

fn opts(seeds: u64, cycles: u64) -> SimOptions {
    SimOptions {
        cycles,
        seed: 11,
        seeds,
        init: InitMode::Random,
        reset: ResetSpec::None,
        reset_cycles: 1,
        stop_on_failure: false,
        coverage: true,
        jit: sim::JitMode::Auto,
        clocks: Vec::new(),
    }
}

fn same_results(d: &Design, cycles: u64) {
    let prog = Arc::new(Program::compile(d).unwrap());
    let o = opts(5, cycles);
    let stop = AtomicBool::new(false);
    let seeds: Vec<u64> = (11..16).collect();
    let lanes = run_lanes::<8>(&prog, &o, None, &seeds, &stop, &AtomicU64::new(0));
    for (i, &s) in seeds.iter().enumerate() {
        let scalar = run_seed(&prog, &o, None, s, &stop);
        let l = &lanes[i];
        assert_eq!(l.seed, scalar.seed);
        assert_eq!(l.cycles, scalar.cycles, "seed {s}");
        assert_eq!(l.outcome, scalar.outcome, "seed {s}");
        assert_eq!(l.cover_hits, scalar.cover_hits, "seed {s}");
        assert_eq!(l.cover_first, scalar.cover_first, "seed {s}");
        assert_eq!(l.coverage, scalar.coverage, "seed {s}");
    }
    // Without coverage the runs settle only the pruned program; the
    // verdicts, cycles and cover hits must not change.
    let mut o2 = o.clone();
    o2.coverage = false;
    let lanes2 = run_lanes::<8>(&prog, &o2, None, &seeds, &stop, &AtomicU64::new(0));
    for (i, &s) in seeds.iter().enumerate() {
        let scalar = run_seed(&prog, &o2, None, s, &stop);
        for r in [&lanes2[i], &scalar] {
            assert_eq!(r.cycles, lanes[i].cycles, "seed {s}");
            assert_eq!(r.outcome, lanes[i].outcome, "seed {s}");
            assert_eq!(r.cover_hits, lanes[i].cover_hits, "seed {s}");
            assert_eq!(r.cover_first, lanes[i].cover_first, "seed {s}");
        }
    }
    // Native code, with and without coverage, gives the interpreter's results.
    for (base, lane_res) in [(&o, &lanes), (&o2, &lanes2)] {
        let mut oj = base.clone();
        oj.jit = sim::JitMode::On;
        for (i, &s) in seeds.iter().enumerate() {
            let r = run_seed(&prog, &oj, None, s, &stop);
            assert_eq!(r.cycles, lane_res[i].cycles, "native, seed {s}");
            assert_eq!(r.outcome, lane_res[i].outcome, "native, seed {s}");
            assert_eq!(r.cover_hits, lane_res[i].cover_hits, "native, seed {s}");
            assert_eq!(r.coverage, lane_res[i].coverage, "native, seed {s}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn lanes_equal_scalar_on_random_designs(
        ins in widths(),
        regs in widths(),
        st in steps(),
    ) {
        let d = build(&ins, &regs, &st);
        lanes_match_scalar::<4>(&d, &[3, 4, 5], 12);
    }

    #[test]
    fn compact_lanes_equal_scalar_on_designs_with_few_outputs(
        ins in widths(),
        regs in widths(),
        st in steps(),
    ) {
        let d = build_with(&ins, &regs, &st, false);
        lanes_match_scalar::<8>(&d, &[3, 4, 5, 6, 7], 12);
    }

    #[test]
    fn lane_runs_equal_scalar_runs(ins in widths(), regs in widths(), st in steps()) {
        let d = build(&ins, &regs, &st);
        same_results(&d, 40);
    }
}

/// The generated designs do fail now and then, so the failure path of the
/// lane runner is exercised (not just passing runs).
#[test]
fn some_generated_design_fails_and_lanes_agree() {
    let mut failed = false;
    for k in 0..40usize {
        let st: Vec<_> = (0..12)
            .map(|i| {
                (
                    (i * 5 + k) as u8 % 29,
                    i * 3 + k,
                    i + 2 * k,
                    i * k,
                    (i * 31 + k) as u32,
                )
            })
            .collect();
        let d = build(&[8, 3], &[5, 70], &st);
        same_results(&d, 60);
        let prog = Arc::new(Program::compile(&d).unwrap());
        let o = opts(1, 60);
        let r = run_seed(&prog, &o, None, 11, &AtomicBool::new(false));
        failed |= matches!(r.outcome, Outcome::Fail(_));
    }
    assert!(
        failed,
        "no generated design failed: the failure path is untested"
    );
}

/// Per-seed results do not depend on how many seeds run together or on
/// the thread count.
#[test]
fn results_do_not_depend_on_batching() {
    let st: Vec<_> = (0..30)
        .map(|i| ((i * 7) as u8 % 29, i * 3, i + 1, i * 5, (i * 13) as u32))
        .collect();
    let d = build(&[8, 65], &[5, 12, 70], &st);
    let prog = Arc::new(Program::compile(&d).unwrap());
    let mut o = opts(40, 50);
    o.coverage = false;
    let many = sim::run_random_program(&prog, &o).unwrap();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| sim::run_random_program(&prog, &o).unwrap());
    let stop = AtomicBool::new(false);
    for (a, b) in many.seeds.iter().zip(&one.seeds) {
        let s = run_seed(&prog, &o, None, a.seed, &stop);
        assert_eq!(a.outcome, s.outcome);
        assert_eq!(b.outcome, s.outcome);
        assert_eq!(a.cover_hits, s.cover_hits);
        assert_eq!(b.cycles, s.cycles);
    }
}

/// Snapshots taken mid-run from scalar simulations, loaded into lanes
/// (`Lanes::from_sims`), run on exactly as the scalar ones: every kept
/// value in every cycle, the same coverage points hit each cycle
/// (`CoverageCollector::sample_hits` against the counters' differences),
/// and a lane taken out again (`Lanes::lane_sim`) continues as the scalar
/// simulation does.
fn snapshots_continue_in_lanes<const L: usize>(d: &Design, n: usize, cycles: u64) {
    let prog = Arc::new(Program::compile(d).unwrap());
    let mut rng = Rng::new(5, 7);
    let inputs = |rng: &mut Rng| -> Vec<Vec<u64>> {
        d.inputs
            .iter()
            .map(|inp| {
                let mut w = vec![0u64; inp.width.div_ceil(64) as usize];
                rng.fill(&mut w, inp.width);
                w
            })
            .collect()
    };
    // Scalar simulations run a different number of cycles each.
    let mut scal: Vec<Sim> = (0..n)
        .map(|l| {
            let mut s = Sim::new(Arc::clone(&prog), 100 + l as u64, InitMode::Random);
            for _ in 0..l * 3 {
                for (i, w) in inputs(&mut rng).iter().enumerate() {
                    s.set_input_words(i, w);
                }
                s.eval();
                s.step();
            }
            s
        })
        .collect();
    let refs: Vec<&Sim> = scal.iter().collect();
    let mut lanes = Lanes::<L>::from_sims(&refs);
    assert_eq!(lanes.used(), n);
    let mut cov_s: Vec<CoverageCollector> = (0..n)
        .map(|_| CoverageCollector::new(Arc::clone(&prog)))
        .collect();
    let mut cov_l: Vec<CoverageCollector> = (0..n)
        .map(|_| CoverageCollector::new(Arc::clone(&prog)))
        .collect();
    // All lanes at once, every other lane left out on odd cycles.
    let mut cov_b: Vec<CoverageCollector> = (0..n)
        .map(|_| CoverageCollector::new(Arc::clone(&prog)))
        .collect();
    let mut cov_b_alone: Vec<CoverageCollector> = (0..n)
        .map(|_| CoverageCollector::new(Arc::clone(&prog)))
        .collect();
    let mut hits_b: Vec<Vec<u32>> = vec![Vec::new(); n];
    // And only every third point's hits reported (the counts are all kept).
    let mut cov_w: Vec<CoverageCollector> = (0..n)
        .map(|_| CoverageCollector::new(Arc::clone(&prog)))
        .collect();
    let mut hits_w: Vec<Vec<u32>> = vec![Vec::new(); n];
    let npoints = cov_w[0].finish().points.len();
    let watch: Vec<bool> = (0..npoints).map(|p| p % 3 == 0).collect();
    // The word-wise lane counters, every point and only the watched ones
    // listed: the same hits and counts as a collector per lane.
    let mut lc_all = LaneCoverage::new(&prog, n, None);
    let mut lc_w = LaneCoverage::new(&prog, n, Some(&watch));
    let mut hits_lc: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut hits_lcw: Vec<Vec<u32>> = vec![Vec::new(); n];
    let kept: Vec<NodeId> = observed_nodes(d)
        .chain(d.regs.iter().map(|r| r.node))
        .chain(d.branches.iter().map(|b| b.cond))
        .collect();
    let (mut before, mut after, mut hits) = (Vec::new(), Vec::new(), Vec::new());
    for c in 0..cycles {
        for (l, s) in scal.iter_mut().enumerate() {
            for (i, w) in inputs(&mut rng).iter().enumerate() {
                s.set_input_words(i, w);
                lanes.set_input_words(l, i, w);
            }
            s.eval();
        }
        lanes.eval();
        let live: u64 = (0..n as u64)
            .filter(|l| c % 2 == 0 || l % 2 == 0)
            .map(|l| 1 << l)
            .sum();
        CoverageCollector::sample_lanes(&mut cov_b, &lanes, live, &mut hits_b, None);
        CoverageCollector::sample_lanes(&mut cov_w, &lanes, live, &mut hits_w, Some(&watch));
        lc_all.sample(&lanes, live, &mut hits_lc);
        lc_w.sample(&lanes, live, &mut hits_lcw);
        for (l, s) in scal.iter_mut().enumerate() {
            if live >> l & 1 == 1 {
                let mut h = Vec::new();
                cov_b_alone[l].sample_hits(&lanes.lane(l), &mut h);
                assert_eq!(hits_b[l], h, "all lanes at once, cycle {c}, lane {l}");
                assert_eq!(hits_lc[l], h, "lane counters, cycle {c}, lane {l}");
                h.retain(|&p| p % 3 == 0);
                assert_eq!(hits_w[l], h, "watched points, cycle {c}, lane {l}");
                assert_eq!(
                    hits_lcw[l], h,
                    "lane counters, watched, cycle {c}, lane {l}"
                );
            }
            if c % 97 == 0 {
                let (mut x, mut y) = (Vec::new(), Vec::new());
                cov_b_alone[l].counts_into(&mut x);
                lc_w.counts_into(l, &mut y);
                assert_eq!(x, y, "lane counters' counts, cycle {c}, lane {l}");
            }
            for &id in &kept {
                assert_eq!(lanes.get(l, id), s.get(id), "cycle {c}, lane {l}");
            }
            for (r, reg) in d.regs.iter().enumerate() {
                for k in 0..reg.width.div_ceil(64) as usize {
                    assert_eq!(lanes.reg_word(l, r, k), s.reg_words(r)[k]);
                }
            }
            cov_s[l].counts_into(&mut before);
            cov_s[l].sample(s);
            cov_s[l].counts_into(&mut after);
            cov_l[l].sample_hits(&lanes.lane(l), &mut hits);
            let changed: Vec<u32> = (0..after.len())
                .filter(|&p| after[p] != before[p])
                .map(|p| p as u32)
                .collect();
            assert!(after.iter().zip(&before).all(|(a, b)| a - b <= 1));
            assert_eq!(hits, changed, "cycle {c}, lane {l}");
            s.step();
        }
        lanes.step();
        if c == cycles / 2 {
            // Out of the lanes and back into the scalar world.
            // Odd lanes through a captured state (`Lanes::capture`).
            let mut st = sim::lanes::LaneState::default();
            for (l, s) in scal.iter_mut().enumerate() {
                let whole = lanes.lane_sim(l, s.cycle());
                lanes.capture(l, s.cycle(), &mut st);
                let part = lanes.state_sim(&st);
                for r in 0..d.regs.len() {
                    assert_eq!(whole.reg(r), part.reg(r), "captured register {r}");
                }
                for (mi, m) in d.mems.iter().enumerate() {
                    for a in 0..m.depth.min(64) {
                        assert_eq!(whole.mem_word(mi, a), part.mem_word(mi, a));
                    }
                }
                assert_eq!(whole.cycle(), part.cycle());
                *s = if l % 2 == 1 { part } else { whole };
            }
        }
    }
    for l in 0..n {
        assert_eq!(cov_s[l].finish(), cov_l[l].finish());
        assert_eq!(cov_b[l].finish(), cov_b_alone[l].finish());
        assert_eq!(cov_w[l].finish(), cov_b_alone[l].finish());
        let (mut x, mut y, mut z) = (Vec::new(), Vec::new(), Vec::new());
        cov_b_alone[l].counts_into(&mut x);
        lc_all.counts_into(l, &mut y);
        lc_w.counts_into(l, &mut z);
        assert_eq!(x, y, "lane counters' final counts, lane {l}");
        assert_eq!(x, z, "lane counters' final counts (watched), lane {l}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn snapshots_run_on_in_lanes(ins in widths(), regs in widths(), st in steps()) {
        let d = build_with(&ins, &regs, &st, false);
        snapshots_continue_in_lanes::<8>(&d, 5, 30);
    }
}

/// Enum states, transitions and covers are found by `sample_hits` too (the
/// generated designs have none of the first two).
#[test]
fn sample_hits_counts_states_and_transitions() {
    let src = "module m(input clk, input rst, input [1:0] go, output reg [1:0] o); \
        typedef enum logic [1:0] {A, B, C} st_t; st_t st; \
        always_ff @(posedge clk) if (rst) st <= A; else case (st) \
          A: if (go == 1) st <= B; B: if (go == 2) st <= C; else if (go == 0) st <= A; \
          default: st <= A; endcase \
        assign o = st; \
        cover property (@(posedge clk) st == C); endmodule";
    let d = rtl::compile_text("m.sv", src, rtl::elab::ElabOptions::default())
        .result
        .unwrap()
        .design;
    snapshots_continue_in_lanes::<4>(&d, 3, 600);
    let prog = Arc::new(Program::compile(&d).unwrap());
    let cov = CoverageCollector::new(prog).finish();
    assert!(cov.points.iter().any(|p| p.id.starts_with("transition:")));
}

/// Lane runs of `d` (inputs `i0`.., `i0` an active-low reset held two
/// cycles) against scalar runs, with and without coverage: same cycles,
/// verdicts, cover hits and coverage per seed.
fn same_results_with_reset(d: &Design, cycles: u64) {
    let prog = Arc::new(Program::compile(d).unwrap());
    let spec = ResetSpec::Active {
        name: "i0".into(),
        active_low: true,
    };
    let reset = ir::reset::resolve(d, &spec, 2).unwrap();
    assert!(reset.is_some());
    let stop = AtomicBool::new(false);
    let seeds: Vec<u64> = (21..28).collect();
    for coverage in [true, false] {
        let mut o = opts(seeds.len() as u64, cycles);
        o.coverage = coverage;
        let lanes = run_lanes::<8>(&prog, &o, reset.as_ref(), &seeds, &stop, &AtomicU64::new(0));
        for (i, &s) in seeds.iter().enumerate() {
            let scalar = run_seed(&prog, &o, reset.as_ref(), s, &stop);
            assert_eq!(lanes[i].cycles, scalar.cycles, "seed {s}");
            assert_eq!(lanes[i].outcome, scalar.outcome, "seed {s}");
            assert_eq!(lanes[i].cover_hits, scalar.cover_hits, "seed {s}");
            assert_eq!(lanes[i].cover_first, scalar.cover_first, "seed {s}");
            assert_eq!(lanes[i].coverage, scalar.coverage, "seed {s}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Designs of one-bit values only: the compact lane layout runs their
    /// logic packed (one bit per lane in one word) and the lanes draw their
    /// inputs together; every lane must still equal its scalar run.
    #[test]
    fn one_bit_logic_lanes_equal_scalar(
        n_in in 1usize..4,
        n_reg in 1usize..5,
        st in steps(),
    ) {
        let d = build_with(&vec![1; n_in], &vec![1; n_reg], &st, false);
        lanes_match_scalar::<8>(&d, &[3, 4, 5, 6, 7], 12);
        same_results_with_reset(&d, 40);
    }
}

/// Comparisons, one-bit slices and reductions that only one-bit logic
/// reads: the compact layout tests them straight into packed bits
/// (`LOp::Test`); every lane must still equal its scalar run.
#[test]
fn tests_into_bits_lanes_equal_scalar() {
    let src = "module m(input logic clk, input logic rst_n, input logic [5:0] a, b,
        output logic o, output logic [5:0] q);
      always_ff @(posedge clk)
        if (!rst_n) q <= 0;
        else if ((a == 6'd5 || a[3]) && !(a < b) || (&a) ^ (|b) || a != b && a <= b || a != 6'd9)
          q <= q + a;
        else if (b == q && q[0]) q <= q ^ b;
      assign o = (q == 6'd7) | (a[1] & b[2]);
    endmodule";
    let d = rtl::compile_text("m.sv", src, rtl::elab::ElabOptions::default())
        .result
        .unwrap()
        .design;
    lanes_match_scalar::<64>(&d, &(0..64).collect::<Vec<u64>>(), 40);
    lanes_match_scalar::<8>(&d, &[3, 4, 5], 40);
}

/// Native code for the lane loop (`Lanes::set_jit`) against the lane
/// interpreter and the scalar `Sim`: every layout (full, compact with and
/// without coverage), every value it keeps, every lane, every cycle.
fn jit_lanes_match<const L: usize>(d: &Design, seeds: &[u64], cycles: u64) {
    let prog = Arc::new(Program::compile(d).unwrap());
    let init = InitMode::Random;
    let make = |kind: u8, jit: LaneJit| {
        let mut l = match kind {
            0 => Lanes::<L>::new(Arc::clone(&prog), seeds, init),
            1 => Lanes::<L>::compact(Arc::clone(&prog), seeds, init, true),
            _ => Lanes::<L>::compact(Arc::clone(&prog), seeds, init, false),
        };
        l.set_jit(jit);
        l
    };
    // (interpreted, native) per layout kind.
    let mut pairs: Vec<(Lanes<L>, Lanes<L>)> = (0..3)
        .map(|k| (make(k, LaneJit::Off), make(k, LaneJit::On)))
        .collect();
    let mut scal: Vec<Sim> = seeds
        .iter()
        .map(|&s| Sim::new(Arc::clone(&prog), s, init))
        .collect();
    let live = live_regs(d);
    let observed: Vec<NodeId> = observed_nodes(d).collect();
    let with_regs = |all: bool| -> Vec<NodeId> {
        observed
            .iter()
            .copied()
            .chain(
                d.regs
                    .iter()
                    .zip(&live)
                    .filter(|(_, &l)| all || l)
                    .flat_map(|(r, _)| [r.node, r.next]),
            )
            .collect()
    };
    let mut cov_kept = with_regs(true);
    cov_kept.extend(d.branches.iter().map(|b| b.cond));
    let kept = [
        (0..d.nodes.len() as u32).map(NodeId).collect::<Vec<_>>(),
        cov_kept,
        with_regs(false),
    ];
    let mut rngs: Vec<Rng> = seeds.iter().map(|&s| Rng::new(s, 99)).collect();
    for c in 0..cycles {
        for (l, s) in scal.iter_mut().enumerate() {
            for (i, inp) in d.inputs.iter().enumerate() {
                let mut w = vec![0u64; inp.width.div_ceil(64) as usize];
                rngs[l].fill(&mut w, inp.width);
                s.set_input_words(i, &w);
                for (a, b) in &mut pairs {
                    a.set_input_words(l, i, &w);
                    b.set_input_words(l, i, &w);
                }
            }
            s.eval();
        }
        for (k, (a, b)) in pairs.iter_mut().enumerate() {
            if k == 2 {
                a.eval_core();
                b.eval_core();
            } else {
                a.eval();
                b.eval();
            }
        }
        for (l, s) in scal.iter_mut().enumerate() {
            for (k, (a, b)) in pairs.iter().enumerate() {
                for &id in &kept[k] {
                    let want = a.get(l, id);
                    assert_eq!(
                        b.get(l, id),
                        want,
                        "layout {k}, cycle {c}, lane {l}, %{}",
                        id.0
                    );
                    if k == 0 {
                        assert_eq!(s.get(id), want, "scalar, cycle {c}, lane {l}, %{}", id.0);
                    }
                }
            }
            s.step();
        }
        for (a, b) in &mut pairs {
            a.step();
            b.step();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn native_lanes_equal_interpreted_lanes(
        ins in widths(),
        regs in widths(),
        st in steps(),
        few in any::<bool>(),
    ) {
        let d = build_with(&ins, &regs, &st, !few);
        jit_lanes_match::<8>(&d, &[3, 4, 5, 6, 7, 8, 9, 10], 10);
        jit_lanes_match::<16>(&d, &[3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], 6);
        let seeds: Vec<u64> = (0..64).collect();
        jit_lanes_match::<64>(&d, &seeds, 4);
    }
}

/// `LaneJit::Auto` over a run long enough for it to compile the list (after
/// 2,000 evaluations), time native code and the interpreter alternately
/// (32 evaluations each) and then keep one: every kept value of every lane
/// equals the interpreter's at every cycle, whichever way each cycle ran.
#[test]
fn auto_lanes_equal_interpreted_lanes_through_the_trial() {
    let st: Vec<_> = (0..24)
        .map(|i| (i as u8 % 29, i * 3 + 1, i + 2, i * 7, (i * 31 + 5) as u32))
        .collect();
    let d = build(&[8, 3, 1], &[5, 12, 1], &st);
    let prog = Arc::new(Program::compile(&d).unwrap());
    let seeds: Vec<u64> = (1..=8).collect();
    let make = |jit: LaneJit| {
        let mut l = Lanes::<8>::compact(Arc::clone(&prog), &seeds, InitMode::Random, true);
        l.set_jit(jit);
        l
    };
    let (mut auto, mut interp) = (make(LaneJit::Auto), make(LaneJit::Off));
    let mut kept: Vec<NodeId> = observed_nodes(&d).collect();
    kept.extend(d.regs.iter().flat_map(|r| [r.node, r.next]));
    kept.extend(d.branches.iter().map(|b| b.cond));
    let mut rng = Rng::new(5, 99);
    for c in 0..2_200 {
        for l in 0..seeds.len() {
            for (i, inp) in d.inputs.iter().enumerate() {
                let mut w = vec![0u64; inp.width.div_ceil(64) as usize];
                rng.fill(&mut w, inp.width);
                auto.set_input_words(l, i, &w);
                interp.set_input_words(l, i, &w);
            }
        }
        auto.eval();
        interp.eval();
        for l in 0..seeds.len() {
            for &id in &kept {
                assert_eq!(
                    auto.get(l, id),
                    interp.get(l, id),
                    "cycle {c}, lane {l}, %{}",
                    id.0
                );
            }
            assert_eq!(
                auto.set_mask(kept[0]),
                interp.set_mask(kept[0]),
                "cycle {c}"
            );
        }
        auto.step();
        interp.step();
    }
}
