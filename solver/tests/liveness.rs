//! Liveness assertions through liveness-to-safety: BMC finds lassos (each
//! replayed here with the reference evaluator: the loop's last state is its
//! first, the obligation is open all along, fairness is met in it), and
//! k-induction and PDR prove the absence of any under fairness.

mod common;

use common::{check_named, compile};
use ir::reset::Reset;
use rtl::ir::{Design, PropKind};
use rtl::trace::Trace;
use solver::{BmcOptions, Engine, Verdict};

/// A client that may hold its grant forever: `a_served` needs the fairness
/// assumption `f_release` (compiled in when `fair`).
fn arbiter(fair: bool) -> Design {
    let f = if fair {
        "f_release: assume property (@(posedge clk) disable iff (rst) g1 |-> s_eventually !r1);"
    } else {
        ""
    };
    compile(&format!(
        "module t(input logic clk, rst, r0, r1, output logic g0, g1);
           always_ff @(posedge clk)
             if (rst) begin g0 <= 0; g1 <= 0; end
             else if (g1 && r1) g1 <= 1;
             else if (g0 && r0) g0 <= 1;
             else begin g0 <= r0; g1 <= r1 && !r0; end
           assume property (@(posedge clk) disable iff (rst) r0 && !g0 |=> r0);
           {f}
           a_served: assert property (@(posedge clk) disable iff (rst) r0 |-> s_eventually g0);
         endmodule"
    ))
}

fn opts(prove: bool, engine: Engine) -> BmcOptions {
    BmcOptions {
        depth: 16,
        prove,
        engine,
        parallel: false,
        reset: Some(Reset {
            name: "rst".into(),
            active_low: false,
            cycles: 1,
        }),
        ..BmcOptions::default()
    }
}

/// The trace is a lasso of `name` on `d`: checked by evaluation.
fn assert_lasso(d: &Design, name: &str, t: &Trace) {
    let start: usize = t.meta["loop"].parse().expect("loop cycle");
    let last = t.cycles.len() - 1;
    assert!(start < last, "a loop of at least one cycle");
    let vals = solver::eval::replay(d, t).expect("replayable trace");
    // The registers that matter: the cone of the property, its fairness
    // constraints and assumptions.
    let roots: Vec<_> = d
        .props
        .iter()
        .filter(|q| q.name == name || matches!(q.kind, PropKind::Fair | PropKind::Assume))
        .map(|q| q.node)
        .collect();
    let cone = ir::passes::Cone::of(d, &roots);
    for (i, r) in d.regs.iter().enumerate() {
        if !cone.regs[i] {
            continue;
        }
        assert_eq!(
            vals[start][r.node.index()],
            vals[last][r.node.index()],
            "register {} repeats",
            r.name
        );
    }
    let p = d.props.iter().find(|p| p.name == name).unwrap();
    for (c, row) in vals.iter().enumerate().take(last).skip(start) {
        assert!(!row[p.node.index()].is_zero(), "obligation open at {c}");
    }
    for q in d.props.iter().filter(|q| q.kind == PropKind::Fair) {
        assert!(
            vals[start..last]
                .iter()
                .any(|row| row[q.node.index()].is_zero()),
            "fairness {} met in the loop",
            q.name
        );
    }
    for q in d.props.iter().filter(|q| q.kind == PropKind::Assume) {
        assert!(vals.iter().all(|row| row[q.node.index()].is_zero()));
    }
}

#[test]
fn starvation_is_a_lasso() {
    let d = arbiter(false);
    let r = check_named(&d, "t.a_served", &opts(true, Engine::Auto));
    match &r.status {
        Verdict::Fail { trace, .. } => {
            assert_eq!(
                trace.meta.get("liveness").map(String::as_str),
                Some("lasso")
            );
            assert!(!trace.ports.iter().any(|p| p.starts_with("$l2s")));
            assert_lasso(&d, "t.a_served", trace);
        }
        other => panic!("expected a lasso, got {other:?}"),
    }
}

#[test]
fn fairness_makes_it_provable_by_both_engines() {
    let d = arbiter(true);
    for engine in [Engine::Kind, Engine::Pdr] {
        let r = check_named(&d, "t.a_served", &opts(true, engine));
        assert!(
            matches!(r.status, Verdict::Proven { .. }),
            "{engine:?}: {:?}",
            r.status
        );
    }
    // Without --prove: no lasso up to the depth.
    let r = check_named(&d, "t.a_served", &opts(false, Engine::Bmc));
    assert!(
        matches!(r.status, Verdict::Pass { depth: 16 }),
        "{:?}",
        r.status
    );
}

/// A lasso that needs a long loop: the counter must wrap (8 cycles) for
/// the state to repeat, and `x` must stay 0 at the one cycle it counts.
#[test]
fn a_long_loop_is_found_at_its_length() {
    let d = compile(
        "module t(input logic clk, x);
           logic [2:0] n = 0;
           always_ff @(posedge clk) n <= n + 1;
           a_x: assert property (@(posedge clk) s_eventually (n == 3'd7 && x));
         endmodule",
    );
    let o = BmcOptions {
        reset: None,
        ..opts(false, Engine::Bmc)
    };
    let r = check_named(&d, "t.a_x", &o);
    match &r.status {
        Verdict::Fail { depth, trace } => {
            assert_eq!(*depth, 8, "shortest lasso: the 8 states of the counter");
            assert_lasso(&d, "t.a_x", trace);
        }
        other => panic!("expected a lasso, got {other:?}"),
    }
    // With x forced whenever the counter is 7, it holds: proven.
    let d = compile(
        "module t(input logic clk, x);
           logic [2:0] n = 0;
           always_ff @(posedge clk) n <= n + 1;
           assume property (@(posedge clk) n == 3'd7 |-> x);
           a_x: assert property (@(posedge clk) s_eventually (n == 3'd7 && x));
         endmodule",
    );
    let o = BmcOptions {
        reset: None,
        ..opts(true, Engine::Auto)
    };
    let r = check_named(&d, "t.a_x", &o);
    assert!(matches!(r.status, Verdict::Proven { .. }), "{:?}", r.status);
}

#[test]
fn a_memory_in_the_cone_is_unknown_not_a_verdict() {
    let d = compile(
        "module t(input logic clk, we, input logic [1:0] a, input logic [7:0] w);
           logic [7:0] m [0:3];
           always_ff @(posedge clk) if (we) m[a] <= w;
           a_m: assert property (@(posedge clk) s_eventually (m[a] == 8'd1));
         endmodule",
    );
    let o = BmcOptions {
        reset: None,
        ..opts(true, Engine::Auto)
    };
    let r = check_named(&d, "t.a_m", &o);
    match &r.status {
        Verdict::Unknown { reason, .. } => assert!(reason.contains("memory"), "{reason}"),
        other => panic!("expected unknown, got {other:?}"),
    }
}

/// On a global clock (two clocks) an obligation is sampled at its clock's
/// edges only: `b` pulsing between edges of `ca` never meets it, so the
/// property fails (with the obligation zero between edges it could never
/// fail at all, a wrong `proven`).
#[test]
fn on_a_global_clock_obligations_stay_open_between_edges() {
    let d = compile(
        "module t(input logic ca, cb, r, b);
           logic q = 0;
           always_ff @(posedge cb) q <= r;
           a_live: assert property (@(posedge ca) r |-> s_eventually b);
           assume property (@($global_clock) b |-> !$rose(ca));
         endmodule",
    );
    assert!(!d.clock_inputs.is_empty(), "global clock encoding");
    let o = BmcOptions {
        reset: None,
        ..opts(true, Engine::Auto)
    };
    let r = check_named(&d, "t.a_live", &o);
    match &r.status {
        Verdict::Fail { trace, .. } => assert_lasso(&d, "t.a_live", trace),
        other => panic!("expected a lasso, got {other:?}"),
    }
}
