//! Episodes run side by side on the lane engine (`explore::run_batch`) give
//! each episode exactly the result it has alone (`explore::run_episode`):
//! stimulus, first hits and their cycles, counts, failures, snapshots, end
//! state, training and progress examples, for every kind of episode, from
//! fresh starts and from snapshots, with episodes of different lengths and
//! an assumption that ends some early.

use rtl::elab::ElabOptions;
use rtl::ir::Design;
use sim::{InitMode, Program, Sim};
use std::sync::Arc;
use testgen::dict::Dictionary;
use testgen::explore::{self, Context, Episode, EpisodeResult, Mode, StartState};
use testgen::features::{target_features, Featurizer};
use testgen::model::Policy;
use testgen::novelty::Novelty;
use testgen::target::targets;

const SV: &str = r#"
module dut (input logic clk, input logic rst, input logic go, input logic [7:0] key,
            input logic [2:0] addr, input logic [69:0] wide, output logic [7:0] q);
  typedef enum logic [1:0] {IDLE, ONE, TWO, DONE} st_t;
  st_t st;
  logic [7:0] mem [0:7];
  logic [69:0] acc;
  logic [3:0] cnt;
  always_ff @(posedge clk) begin
    if (rst) begin st <= IDLE; cnt <= 4'd0; acc <= '0; end
    else begin
      acc <= acc ^ wide;
      if (go) begin
        mem[addr] <= key;
        cnt <= cnt + 4'd1;
        case (st)
          IDLE: if (key == 8'h3C) st <= ONE;
          ONE: st <= (key[3:0] == 4'h5) ? TWO : IDLE;
          TWO: st <= DONE;
          default: st <= IDLE;
        endcase
      end
    end
  end
  assign q = mem[addr] ^ acc[7:0];
  always @(posedge clk) begin
    if (!rst) begin
      assume (!(go && key == 8'hFF && addr == 3'd7));
      assert (cnt != 4'd13);
      cover (st == DONE);
    end
  end
endmodule
"#;

fn design() -> Design {
    let c = rtl::compile_text("dut.sv", SV, ElabOptions::default());
    c.result.expect("elaborates").design
}

fn same(a: &EpisodeResult, b: &EpisodeResult, what: &str) {
    assert_eq!(a.trace(), b.trace(), "{what}: stimulus");
    assert_eq!(a.trace_len(), b.trace_len(), "{what}");
    assert_eq!(a.first_hits, b.first_hits, "{what}: first hits");
    assert_eq!(a.counts, b.counts, "{what}: counts");
    assert_eq!(a.failures, b.failures, "{what}: failures");
    assert_eq!(a.cycles, b.cycles, "{what}: cycles");
    assert_eq!(a.novel, b.novel, "{what}: novel values");
    let ex = |r: &EpisodeResult| -> Vec<(Vec<f32>, Vec<f32>)> {
        r.examples
            .iter()
            .map(|e| (e.x.clone(), e.y.clone()))
            .collect()
    };
    assert_eq!(ex(a), ex(b), "{what}: examples");
    let pr = |r: &EpisodeResult| -> Vec<(Vec<f32>, Vec<f32>)> {
        r.progress
            .iter()
            .map(|e| (e.x.clone(), e.y.clone()))
            .collect()
    };
    assert_eq!(pr(a), pr(b), "{what}: progress examples");
    let state = |s: &Sim| -> Vec<String> {
        let d = &s.program().design;
        let mut v: Vec<String> = (0..d.regs.len()).map(|r| s.reg(r).to_hex()).collect();
        for (mi, m) in d.mems.iter().enumerate() {
            v.extend((0..m.depth).map(|a| s.mem_word(mi, a).to_hex()));
        }
        v.push(s.cycle().to_string());
        v
    };
    assert_eq!(state(&a.end), state(&b.end), "{what}: end state");
    assert_eq!(a.snapshots.len(), b.snapshots.len(), "{what}: snapshots");
    for (x, y) in a.snapshots.iter().zip(&b.snapshots) {
        assert_eq!((x.1, x.2), (y.1, y.2), "{what}: snapshot");
        assert_eq!(state(&x.0), state(&y.0), "{what}: snapshot state");
    }
}

#[test]
fn a_batch_gives_every_episode_its_own_result() {
    let d = design();
    let prog = Arc::new(Program::compile(&d).unwrap());
    let ts = targets(&d);
    let reset = ir::reset::resolve(&d, &ir::reset::ResetSpec::Auto, 1).unwrap();
    let ri = reset.as_ref().map(|r| r.input.index());
    let feat = Featurizer::new(&d, ri);
    let tf: Vec<_> = ts.iter().map(|t| target_features(&d, t)).collect();
    let dict = Dictionary::mine(&d, ri);
    assert!(!dict.is_empty(), "the key compares make dictionary entries");
    let open: Vec<bool> = (0..ts.len()).map(|p| p % 5 != 1).collect();
    let rare: Vec<bool> = (0..ts.len()).map(|p| p % 3 == 0).collect();
    let seen = Novelty::new(&d);
    let watch: Vec<usize> = (0..d.regs.len())
        .filter(|&r| d.regs[r].width <= 64)
        .collect();
    let ctx = Context {
        prog: &prog,
        feat: &feat,
        target_feats: &tf,
        reset: reset.as_ref(),
        open: &open,
        rare: &rare,
        settle: 2,
        dict: &dict,
        stop: None,
        board: None,
        progress: Some((&seen, &watch)),
    };
    let weights = Arc::new(
        Policy::new(feat.in_dim(), feat.out_dim(), 3)
            .unwrap()
            .weights()
            .unwrap(),
    );
    let mode = |k: usize| match k % 5 {
        0 => Mode::Uniform,
        1 => Mode::Dict,
        2 => Mode::Hold { mean: 4 },
        3 => Mode::Learned {
            weights: Arc::clone(&weights),
            target: Some(k % ts.len()),
            sharpen: 1.0,
            snap: true,
        },
        _ => Mode::Learned {
            weights: Arc::clone(&weights),
            target: None,
            sharpen: f32::INFINITY,
            snap: false,
        },
    };
    // First from fresh starts (reset still to apply), then from the
    // snapshots and end states those made.
    let fresh: Vec<Episode> = (0..11)
        .map(|k| Episode {
            start: Arc::new(StartState::fresh(&prog, 40 + k as u64, InitMode::Random, 2)),
            seed: 7 + k as u64,
            cycles: [5, 60, 200, 17][k % 4],
            mode: mode(k),
        })
        .collect();
    let batch = explore::run_batch(&ctx, &fresh);
    let mut starts = Vec::new();
    for (k, (e, b)) in fresh.iter().zip(&batch).enumerate() {
        let one = explore::run_episode(&ctx, e);
        same(b, &one, &format!("fresh episode {k}"));
        for (sim, len, _) in &b.snapshots {
            let mut prefix = b.trace();
            prefix.cycles.truncate(*len);
            starts.push(StartState {
                sim: sim.clone(),
                prefix: Arc::new(prefix),
                reset_left: 0,
            });
        }
        starts.push(StartState {
            sim: b.end.clone(),
            prefix: Arc::new(b.trace()),
            reset_left: 0,
        });
    }
    assert!(
        batch
            .iter()
            .any(|r| !r.first_hits.is_empty() && !r.snapshots.is_empty()),
        "some episode hit something and kept a snapshot"
    );
    let lengths: std::collections::BTreeSet<u64> = batch.iter().map(|r| r.cycles).collect();
    assert!(
        lengths.len() >= 3,
        "episodes of several lengths: {lengths:?}"
    );
    let cont: Vec<Episode> = starts
        .into_iter()
        .take(40)
        .enumerate()
        .map(|(k, s)| Episode {
            start: Arc::new(s),
            seed: 100 + k as u64,
            cycles: [90, 3, 33][k % 3],
            mode: mode(k + 2),
        })
        .collect();
    assert!(cont.len() > 16, "a batch wider than 16 lanes");
    let batch = explore::run_batch(&ctx, &cont);
    for (k, (e, b)) in cont.iter().zip(&batch).enumerate() {
        same(
            b,
            &explore::run_episode(&ctx, e),
            &format!("continued episode {k}"),
        );
    }
    // Continued episodes start after their prefix; the assertion failed in some.
    assert!(batch.iter().all(|r| r.trace_len() as u64 > r.cycles));
    assert!(
        batch.iter().any(|r| !r.failures.is_empty()),
        "an assertion failed"
    );
    assert!(
        batch.iter().zip(&cont).any(|(r, e)| r.cycles < e.cycles),
        "the assumption cut an episode short"
    );
}
