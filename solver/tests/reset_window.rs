//! k-induction with the simple-path strengthening and a reset held for
//! several cycles: the reset constrains the first cycles' inputs, not the
//! state, so a proof must wait until the base case covers the reset window
//! (`induction_lag`). Before, these false properties were `proven`.

mod common;

use common::compile as design;
use ir::reset::Reset;
use solver::{check, BmcOptions, Control, Engine, Verdict};

fn verdict(src: &str, cycles: u64, prove: bool, engine: Engine) -> Verdict {
    let d = design(src);
    let opts = BmcOptions {
        depth: 8,
        prove,
        engine,
        reset: Some(Reset {
            name: "rst".into(),
            active_low: false,
            cycles,
        }),
        ..BmcOptions::default()
    };
    let r = check(&d, &[0], &opts, &Control::default()).unwrap();
    r[0].status.clone()
}

/// `x` is never reset and never changes: `x != 5` fails once the reset is
/// released (cycle 3 with a 3-cycle reset), while every state repeats.
const HELD: &str = "module t(input logic clk, input logic rst, input logic [3:0] d);
  logic [3:0] x;
  always_ff @(posedge clk) x <= x;
  always_ff @(posedge clk) if (!rst) a_x: assert (x != 4'd5);
endmodule";

#[test]
fn a_state_that_never_changes_through_a_long_reset_is_not_proven() {
    for cycles in 1..=4 {
        for (prove, engine) in [
            (true, Engine::Kind),
            (false, Engine::Kind),
            (true, Engine::Auto),
        ] {
            match verdict(HELD, cycles, prove, engine) {
                Verdict::Fail { depth, .. } => assert_eq!(depth, cycles as u32, "reset {cycles}"),
                other => panic!("reset {cycles}, prove {prove}, {engine:?}: {other:?}"),
            }
        }
    }
}

#[test]
fn a_true_property_is_still_proven_after_the_window() {
    let src = "module t(input logic clk, input logic rst, output logic [3:0] c);
      always_ff @(posedge clk) if (rst) c <= 0; else if (c != 4'd9) c <= c + 1;
      always_ff @(posedge clk) if (!rst) a_c: assert (c <= 4'd9);
    endmodule";
    match verdict(src, 3, true, Engine::Kind) {
        Verdict::Proven { .. } => {}
        other => panic!("{other:?}"),
    }
}
