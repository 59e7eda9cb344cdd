//! Liveness assertions end to end: the pending node the elaborator builds
//! (IR `PropKind::Live`/`Fair`), checked by evaluation on hand-written
//! traces, the unbounded `always` and ranged operators it lowers to
//! existing monitors, and the refusals of forms it does not build.

mod common;

use common::{compile, error, run};
use rtl::ir::PropKind;

fn module(prop: &str) -> String {
    format!(
        "module t(input logic clk, input logic rst, a, b, c);
           default clocking @(posedge clk); endclocking
           a_p: assert property ({prop});
         endmodule"
    )
}

/// Kind of the one property, and the cycles where its node is 1 on `trace`.
fn pending(prop: &str, trace: &str) -> (PropKind, Vec<usize>) {
    let d = compile(&module(prop));
    assert_eq!(d.props.len(), 1, "one property");
    let r = run(&d, trace);
    (d.props[0].kind, r[0].1.clone())
}

#[test]
fn s_eventually_pends_until_its_operand() {
    // Raised at 1 by a, met at 4 by b; raised again at 6, open at the end.
    let (k, p) = pending("a |-> s_eventually b", "a:01000010 b:00001000");
    assert_eq!(k, PropKind::Live);
    assert_eq!(p, vec![1, 2, 3, 6, 7]);
    // Met in the cycle it is raised: never pending.
    assert_eq!(
        pending("a |-> s_eventually b", "a:0100 b:0100").1,
        Vec::<usize>::new()
    );
    // One `b` meets every obligation raised before it.
    assert_eq!(
        pending("a |-> s_eventually b", "a:1110 b:0001").1,
        vec![0, 1, 2]
    );
}

#[test]
fn non_overlapping_and_sequence_antecedents_shift_the_start() {
    // `|=>`: the obligation starts the cycle after a; b in that cycle
    // meets it, b in the cycle of a does not.
    assert_eq!(
        pending("a |=> s_eventually b", "a:1000 b:0100").1,
        Vec::<usize>::new()
    );
    assert_eq!(pending("a |=> s_eventually b", "a:1000 b:1010").1, vec![1]);
    // A sequence antecedent raises it where the sequence matches.
    assert_eq!(
        pending("a ##1 c |-> s_eventually b", "a:1000 c:0100 b:0001").1,
        vec![1, 2]
    );
}

#[test]
fn top_level_eventuality_holds_at_every_attempt() {
    // `s_eventually b` is attempted every cycle: pending whenever b is 0.
    assert_eq!(pending("s_eventually b", "b:0110").1, vec![0, 3]);
    assert_eq!(pending("always s_eventually b", "b:0110").1, vec![0, 3]);
}

#[test]
fn ranged_and_strong_forms() {
    // From m cycles on: b at 1 is too early for [2:$].
    assert_eq!(
        pending("a |-> s_eventually [2:$] b", "a:1000 b:0100").1,
        vec![2, 3]
    );
    assert_eq!(
        pending("a |-> eventually [2:$] b", "a:10000 b:00010").1,
        vec![2]
    );
    assert_eq!(
        pending("a |-> strong(##[1:$] b)", "a:1000 b:1010").1,
        vec![1]
    );
}

#[test]
fn disable_iff_drops_outstanding_obligations() {
    assert_eq!(
        pending(
            "disable iff (rst) a |-> s_eventually b",
            "a:1000 rst:0010 b:0000"
        )
        .1,
        vec![0, 1]
    );
}

#[test]
fn fairness_is_an_assumption_of_the_same_node() {
    let d = compile(
        "module t(input logic clk, a, b);
           f: assume property (@(posedge clk) a |-> s_eventually b);
         endmodule",
    );
    assert_eq!(d.props[0].kind, PropKind::Fair);
    assert_eq!(run(&d, "a:100 b:001")[0].1, vec![0, 1]);
}

#[test]
fn bounded_eventually_and_always_are_safety_monitors() {
    // `s_eventually [1:2] b` is `##[1:2] b`: fails when cycle 2 passes.
    let (k, f) = pending("a |-> s_eventually [1:2] b", "a:1000 b:0000");
    assert_eq!(k, PropKind::Assert);
    assert_eq!(f, vec![2]);
    // `always [1:2] b`: b in cycles 1 and 2 after a.
    assert_eq!(pending("a |-> always [1:2] b", "a:1000 b:0101").1, vec![2]);
    assert_eq!(
        pending("a |-> always [1:2] b", "a:1000 b:0110").1,
        Vec::<usize>::new()
    );
    // `nexttime [2] b`: b two cycles on.
    assert_eq!(pending("a |-> nexttime [2] b", "a:1000 b:0100").1, vec![2]);
    // Unbounded `always`: b at every cycle from a on, forever.
    assert_eq!(pending("a |-> always b", "a:0100 b:0111110").1, vec![6]);
}

#[test]
fn unsupported_forms_are_refused_with_the_line() {
    let (m, line) = error(&module("a |-> s_eventually (b ##1 c)"));
    assert!(m.contains("must be a boolean expression"), "{m}");
    assert_eq!(line, 3);
    let (m, _) = error(&module("if (a) s_eventually b else s_eventually c"));
    assert!(m.contains("`else` branch"), "{m}");
    let (m, _) = error(
        "module t(input logic clk, a);
           cover property (@(posedge clk) s_eventually a);
         endmodule",
    );
    assert!(m.contains("`cover` of a liveness property"), "{m}");
}

#[test]
fn until_forms() {
    // Weak `until`: a safety monitor; fails where neither a nor b holds.
    let (k, f) = pending("c |-> a until b", "c:1000 a:1100 b:0000");
    assert_eq!(k, PropKind::Assert);
    assert_eq!(f, vec![2]);
    assert_eq!(
        pending("c |-> a until b", "c:1000 a:1100 b:0010").1,
        Vec::<usize>::new()
    );
    // `a` forever without `b` satisfies the weak form.
    assert_eq!(
        pending("c |-> a until b", "c:1000 a:1111 b:0000").1,
        Vec::<usize>::new()
    );
    // `until_with`: `a` must also hold in `b`'s cycle.
    assert_eq!(
        pending("c |-> a until_with b", "c:1000 a:1100 b:0100").1,
        Vec::<usize>::new()
    );
    assert_eq!(
        pending("c |-> a until_with b", "c:1000 a:1000 b:0100").1,
        vec![1]
    );
    // `s_until`: liveness; pending until b, and for good once broken.
    let (k, p) = pending("c |-> a s_until b", "c:1000 a:1100 b:0010");
    assert_eq!(k, PropKind::Live);
    assert_eq!(p, vec![0, 1]);
    assert_eq!(
        pending("c |-> a s_until b", "c:1000 a:1000 b:0010").1,
        vec![0, 1, 2, 3]
    );
    assert_eq!(
        pending("c |-> a s_until_with b", "c:1000 a:1000 b:0100").1,
        vec![0, 1, 2, 3]
    );
    assert_eq!(
        pending("c |-> a s_until_with b", "c:1000 a:1100 b:0100").1,
        vec![0]
    );
}
