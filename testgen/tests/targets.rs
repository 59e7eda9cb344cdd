//! Coverage targets against the simulator's coverage counters: the same
//! points in the same order, each target's cover property hit exactly in
//! the cycles the counter counts, and episodes' first hits replaying.

use proptest::prelude::*;
use rtl::elab::ElabOptions;
use rtl::ir::Design;
use sim::{CoverageCollector, InitMode, Program, Sim};
use std::sync::Arc;
use testgen::dict::{Dictionary, Entry};
use testgen::explore::{self, Context, Episode, Mode, StartState};
use testgen::features::{target_features, Featurizer};
use testgen::target::{cover_design, targets};

const SV: &str = r#"
module t (input logic clk, input logic rst, input logic [1:0] a, output logic [2:0] q);
  typedef enum logic [1:0] {A, B, C} st_t;
  st_t st;
  always_ff @(posedge clk) begin
    if (rst) begin st <= A; q <= 3'd0; end
    else begin
      case (st)
        A: if (a == 2'd1) st <= B;
        B: st <= (a[1]) ? C : A;
        default: st <= A;
      endcase
      if (a == 2'd3) q <= q + 3'd1;
    end
  end
  always @(posedge clk) if (!rst) cover (q == 3'd5);
endmodule
"#;

fn design() -> Design {
    let c = rtl::compile_text("t.sv", SV, ElabOptions::default());
    c.result.expect("elaborates").design
}

#[test]
fn targets_are_the_simulators_points_in_order() {
    let d = design();
    let prog = Arc::new(Program::compile(&d).unwrap());
    let cov = CoverageCollector::new(prog).finish();
    let ids: Vec<String> = targets(&d).into_iter().map(|t| t.id).collect();
    let sim_ids: Vec<String> = cov.points.iter().map(|p| p.id.clone()).collect();
    assert_eq!(ids, sim_ids);
    assert!(ids.iter().any(|i| i.starts_with("transition:")));
    assert!(ids.iter().any(|i| i.starts_with("cover:")));
}

#[test]
fn the_dictionary_holds_the_constants_inputs_are_compared_with() {
    let d = design();
    let dict = Dictionary::mine(&d, Some(0));
    // `a == 2'd1` and `a == 2'd3`; the reset input is left out.
    assert!(dict.entries[0].is_empty(), "{:?}", dict.entries[0]);
    for v in [1, 3] {
        let e = Entry {
            lo: 0,
            value: rtl::Bits::from_u64(2, v),
        };
        assert!(dict.entries[1].contains(&e), "{v}: {:?}", dict.entries[1]);
    }
    // Slices are placed at their offset: `data[15:0] != 16'hCAFE` and a
    // compare of a concatenation split over its inputs.
    let sv = r#"
module m (input logic clk, input logic [31:0] data, input logic [3:0] x, input logic [3:0] y, output logic o);
  always_ff @(posedge clk) o <= (data[23:8] == 16'hCAFE) || ({x, y} == 8'h5A);
endmodule
"#;
    let d = rtl::compile_text("m.sv", sv, ElabOptions::default())
        .result
        .expect("elaborates")
        .design;
    let dict = Dictionary::mine(&d, None);
    let find = |name: &str| {
        d.inputs
            .iter()
            .position(|i| i.name.ends_with(name))
            .unwrap()
    };
    assert!(
        dict.entries[find("data")].contains(&Entry {
            lo: 8,
            value: rtl::Bits::from_u64(16, 0xCAFE)
        }),
        "{:?}",
        dict.entries
    );
    assert!(
        dict.entries[find("x")].contains(&Entry {
            lo: 0,
            value: rtl::Bits::from_u64(4, 0x5)
        }),
        "{:?}",
        dict.entries
    );
    assert!(
        dict.entries[find("y")].contains(&Entry {
            lo: 0,
            value: rtl::Bits::from_u64(4, 0xA)
        }),
        "{:?}",
        dict.entries
    );
    // The register behind them is hard for simulation: 16 input bits meet
    // a constant in its cone; the first design's widest compare is 2 bits.
    let t = targets(&d);
    let o = t
        .iter()
        .find(|t| t.id.starts_with("toggle:m.o"))
        .expect("toggle of o");
    assert_eq!(testgen::target::widest_input_compare(&d, &o.goal), 16);
    let d1 = design();
    let w = targets(&d1)
        .iter()
        .map(|t| testgen::target::widest_input_compare(&d1, &t.goal))
        .max();
    assert_eq!(w, Some(2));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// For every point, the cover property `cover_design` builds is 1 in
    /// exactly the cycles the simulator's counter counts it.
    #[test]
    fn cover_designs_agree_with_the_counters(seed in 0u64..1000, rows in proptest::collection::vec((0u64..2, 0u64..4), 1..40)) {
        let d = design();
        let prog = Arc::new(Program::compile(&d).unwrap());
        let ts = targets(&d);
        // Reference counts, cycle by cycle.
        let mut sim = Sim::new(Arc::clone(&prog), seed, InitMode::Random);
        let mut cov = CoverageCollector::new(Arc::clone(&prog));
        let mut per_cycle: Vec<Vec<u64>> = Vec::new();
        let mut counts = Vec::new();
        let mut prev = vec![0u64; ts.len()];
        for &(r, a) in &rows {
            sim.set_input(0, &rtl::Bits::from_u64(1, r));
            sim.set_input(1, &rtl::Bits::from_u64(2, a));
            sim.eval();
            cov.sample(&sim);
            cov.counts_into(&mut counts);
            per_cycle.push(counts.iter().zip(&prev).map(|(c, p)| c - p).collect());
            prev = counts.clone();
            sim.step();
        }
        prop_assert_eq!(&counts, &cov.finish().points.iter().map(|p| p.hits).collect::<Vec<_>>());
        for (i, t) in ts.iter().enumerate() {
            let (cd, p) = cover_design(&d, &t.goal);
            cd.validate().unwrap();
            let cprog = Arc::new(Program::compile(&cd).unwrap());
            let mut s = Sim::new(Arc::clone(&cprog), seed, InitMode::Random);
            // Same initial values for the design's own registers.
            let base = Sim::new(Arc::clone(&prog), seed, InitMode::Random);
            for r in 0..d.regs.len() {
                s.set_reg(r, &base.reg(r));
            }
            for (c, &(r, a)) in rows.iter().enumerate() {
                s.set_input(0, &rtl::Bits::from_u64(1, r));
                s.set_input(1, &rtl::Bits::from_u64(2, a));
                s.eval();
                let hit = s.is_set(cd.props[p].node);
                prop_assert_eq!(hit, per_cycle[c][i] > 0, "{} cycle {}", t.id, c);
                s.step();
            }
        }
    }

    /// An episode's reported first hits replay: the saved stimulus hits
    /// each point in the cycle reported (and not before).
    #[test]
    fn first_hits_replay_at_their_cycle(seed in 0u64..10_000) {
        let d = design();
        let prog = Arc::new(Program::compile(&d).unwrap());
        let ts = targets(&d);
        let reset = ir::reset::resolve(&d, &ir::reset::ResetSpec::Auto, 1).unwrap();
        let feat = Featurizer::new(&d, reset.as_ref().map(|r| r.input.index()));
        let tf: Vec<_> = ts.iter().map(|t| target_features(&d, t)).collect();
        let open = vec![true; ts.len()];
        let rare = vec![false; ts.len()];
        let dict = Dictionary::mine(&d, reset.as_ref().map(|r| r.input.index()));
        let ctx = Context { prog: &prog, feat: &feat, target_feats: &tf, reset: reset.as_ref(), open: &open, rare: &rare, settle: 1, dict: &dict, stop: None, board: None, progress: None };
        let ep = Episode {
            start: Arc::new(StartState::fresh(&prog, seed, InitMode::Random, 1)),
            seed,
            cycles: 30,
            mode: Mode::Uniform,
        };
        let res = explore::run_episode(&ctx, &ep);
        // Continue from the end state: its cycles are numbered after the first's.
        let ep2 = Episode {
            start: Arc::new(StartState { sim: res.end.clone(), prefix: Arc::new(res.trace()), reset_left: 0 }),
            seed: seed + 1,
            cycles: 30,
            mode: Mode::Dict,
        };
        let res2 = explore::run_episode(&ctx, &ep2);
        prop_assert_eq!(res2.trace_len(), 60);
        for r in [&res, &res2] {
            let mut first = vec![None; ts.len()];
            let mut cov = CoverageCollector::new(Arc::clone(&prog));
            let mut prev = vec![0u64; ts.len()];
            let mut counts = Vec::new();
            let mut c = 0u64;
            sim::replay_with(&prog, &r.trace(), InitMode::Random, |s| {
                cov.sample(s);
                cov.counts_into(&mut counts);
                for p in 0..counts.len() {
                    if counts[p] > prev[p] && first[p].is_none() {
                        first[p] = Some(c);
                    }
                }
                prev = counts.clone();
                c += 1;
            }).unwrap();
            for &(p, cyc) in &r.first_hits {
                // The second episode starts without toggle history, so its
                // first hits are no earlier than the full replay's.
                let f = first[p];
                prop_assert!(f.is_some_and(|f| f <= cyc), "{} at {} but replay {:?}", ts[p].id, cyc, f);
            }
        }
        for &(p, cyc) in &res.first_hits {
            let mut cov = CoverageCollector::new(Arc::clone(&prog));
            let mut n = 0u64;
            let mut hit_at = None;
            let mut counts = Vec::new();
            sim::replay_with(&prog, &res.trace(), InitMode::Random, |s| {
                cov.sample(s);
                cov.counts_into(&mut counts);
                if counts[p] > 0 && hit_at.is_none() { hit_at = Some(n); }
                n += 1;
            }).unwrap();
            prop_assert_eq!(hit_at, Some(cyc), "{}", ts[p].id);
        }
    }
}
