//! Progress examples (`testgen::novelty`): on an in-order receiver, where
//! the input that makes progress is a function of the state, every
//! progress example an episode reports is exactly that input, and a model
//! trained on them repeats the progress where uniform stimulus cannot.

use rtl::elab::ElabOptions;
use rtl::ir::Design;
use sim::{InitMode, Program};
use std::sync::Arc;
use testgen::dict::Dictionary;
use testgen::explore::{self, Context, Episode, EpisodeResult, Mode, StartState};
use testgen::features::{target_features, Featurizer};
use testgen::model::{Example, Policy};
use testgen::novelty::Novelty;
use testgen::target::targets;

const SV: &str = r#"
module rx (input logic clk, input logic rst, input logic valid, input logic [3:0] seq,
           output logic [7:0] count);
  always_ff @(posedge clk) begin
    if (rst) count <= 8'd0;
    else if (valid) count <= (seq == count[3:0]) ? count + 8'd1 : 8'd0;
  end
endmodule
"#;

fn design() -> Design {
    let c = rtl::compile_text("rx.sv", SV, ElabOptions::default());
    c.result.expect("elaborates").design
}

/// The count encoded in the first 8 state features (count is the only
/// register: bit b is feature b, -1 or 1).
fn count_of(x: &[f32]) -> u64 {
    (0..8).map(|b| ((x[b] > 0.0) as u64) << b).sum()
}

struct Setup {
    prog: Arc<Program>,
    feat: Featurizer,
    tf: Vec<[f32; testgen::features::TARGET_DIM]>,
    reset: Option<ir::reset::ResetInput>,
    dict: Dictionary,
    n: usize,
}

fn setup() -> Setup {
    let d = design();
    assert_eq!(d.regs.len(), 1, "count is the only register");
    let prog = Arc::new(Program::compile(&d).unwrap());
    let ts = targets(&d);
    let reset = ir::reset::resolve(&d, &ir::reset::ResetSpec::Auto, 1).unwrap();
    let feat = Featurizer::new(&d, reset.as_ref().map(|r| r.input.index()));
    let tf = ts.iter().map(|t| target_features(&d, t)).collect();
    let dict = Dictionary::mine(&d, reset.as_ref().map(|r| r.input.index()));
    Setup {
        prog,
        feat,
        tf,
        reset,
        dict,
        n: ts.len(),
    }
}

fn run(s: &Setup, seen: &Novelty, mode: Mode, seed: u64, cycles: u64) -> EpisodeResult {
    let open = vec![true; s.n];
    let rare = vec![false; s.n];
    let watch = [0usize];
    let ctx = Context {
        prog: &s.prog,
        feat: &s.feat,
        target_feats: &s.tf,
        reset: s.reset.as_ref(),
        open: &open,
        rare: &rare,
        settle: 1,
        dict: &s.dict,
        stop: None,
        board: None,
        progress: Some((seen, &watch)),
    };
    let ep = Episode {
        start: Arc::new(StartState::fresh(&s.prog, seed, InitMode::Zero, 1)),
        seed,
        cycles,
        mode,
    };
    explore::run_episode(&ctx, &ep)
}

/// Inputs are ordered valid, seq[0..4] (the reset is not generated).
fn check_example(e: &Example) {
    let c = count_of(&e.x);
    assert_eq!(e.y[0], 1.0, "progress needs valid (count {c})");
    let seq: u64 = (0..4).map(|b| (e.y[1 + b] as u64) << b).sum();
    assert_eq!(seq, c & 15, "the accepted number is the count's low bits");
}

#[test]
fn progress_examples_are_the_inputs_that_moved_the_count() {
    let s = setup();
    let mut seen = Novelty::new(&design());
    let mut total = 0;
    for seed in 0..20 {
        let res = run(&s, &seen, Mode::Uniform, seed, 400);
        for e in &res.progress {
            check_example(e);
        }
        // Every new value is reported once, and not one seen before.
        for &(r, v) in &res.novel {
            assert_eq!(r, 0);
            assert!(!seen.seen(r, v));
        }
        let mut vals: Vec<u64> = res.novel.iter().map(|n| n.1).collect();
        vals.sort_unstable();
        vals.dedup();
        assert_eq!(vals.len(), res.novel.len());
        total += res.progress.len();
        for (r, v) in res.novel {
            seen.insert(r, v);
        }
    }
    // Uniform stimulus reaches a few counts (1/32 per cycle per step).
    assert!(total >= 2, "only {total} progress examples");
}

#[test]
fn a_model_trained_on_progress_goes_where_uniform_does_not() {
    let s = setup();
    let mut seen = Novelty::new(&design());
    let mut best_uniform = 0;
    let mut examples = Vec::new();
    for seed in 0..40 {
        let res = run(&s, &seen, Mode::Uniform, seed, 400);
        examples.extend(res.progress);
        for (r, v) in res.novel {
            seen.insert(r, v);
        }
    }
    for v in 0..256 {
        if seen.seen(0, v) {
            best_uniform = v;
        }
    }
    assert!(best_uniform < 16, "uniform reached count {best_uniform}");
    // Examples at counts 0..best_uniform, plus what greedy episodes add.
    let mut policy = Policy::new(s.feat.in_dim(), s.feat.out_dim(), 1).unwrap();
    let mut reached = 0;
    for round in 0..30u64 {
        let refs: Vec<&Example> = examples.iter().collect();
        for _ in 0..50 {
            policy.train_step(&refs).unwrap();
        }
        let w = Arc::new(policy.weights().unwrap());
        for k in 0..4 {
            let mode = Mode::Learned {
                weights: Arc::clone(&w),
                target: None,
                sharpen: if k == 0 { f32::INFINITY } else { 1.0 },
                snap: false,
            };
            let res = run(&s, &seen, mode, 1000 + 4 * round + k, 400);
            for e in &res.progress {
                check_example(e);
            }
            examples.extend(res.progress);
            for (r, v) in res.novel {
                seen.insert(r, v);
                reached = reached.max(v);
            }
        }
        if reached == 255 {
            break;
        }
    }
    assert_eq!(reached, 255, "the learned episodes reached count {reached}");
}
