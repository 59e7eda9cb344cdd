//! SVA constructs added for issue 15, pinned by evaluation: the clock of
//! a named property or sequence, assertions with no clock, deferred
//! immediate assertions at module level, `restrict property`, `let`,
//! `iff`/`implies`, local variables, and the refusals that remain
//! (`expect`, reads of local variables at a variable distance).

mod common;

use common::{compile, error, run};
use rtl::ir::PropKind;

/// Cycles at which property `name` fires (fails, or hits for a cover).
fn fires(src: &str, name: &str, trace: &str) -> Vec<usize> {
    let d = compile(src);
    let r = run(&d, trace);
    r.into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no property {name}"))
        .1
}

/// A module with inputs clk, rst, a, b, c, 8-bit `in` and `out`, and `body`.
fn module(body: &str) -> String {
    format!(
        "module t(input logic clk, rst, a, b, c, input logic [7:0] in, out);
           {body}
         endmodule"
    )
}

/// One assertion `a_p` of `prop` under `default clocking`.
fn prop(p: &str) -> String {
    module(&format!(
        "default clocking @(posedge clk); endclocking
         a_p: assert property ({p});"
    ))
}

fn check(src: &str, ok: &str, bad: &str, at: &[usize]) {
    assert_eq!(
        fires(src, "t.a_p", ok),
        Vec::<usize>::new(),
        "{src} on {ok}"
    );
    assert_eq!(fires(src, "t.a_p", bad), at.to_vec(), "{src} on {bad}");
}

// ------------------------------------------------------------ 1. clocks

#[test]
fn clock_and_disable_inside_a_property_declaration() {
    let src = module(
        "property p; @(posedge clk) disable iff (rst) a |=> b; endproperty
         a_p: assert property (p);",
    );
    check(&src, "a:0100 b:0010", "a:0100 b:0000", &[2]);
    // The declaration's `disable iff` aborts the attempt.
    assert_eq!(
        fires(&src, "t.a_p", "a:0100 b:0000 rst:0010"),
        Vec::<usize>::new()
    );
}

#[test]
fn clock_inside_a_sequence_declaration_and_arguments() {
    let src = module(
        "sequence s(x, y); @(posedge clk) x ##1 y; endsequence
         a_p: assert property (s(a, b));",
    );
    // Every cycle starts an attempt: a then b.
    check(&src, "a:111 b:111", "a:101 b:111", &[1]);
    // The same sequence used inside a property with the same clock.
    let src = module(
        "sequence s; @(posedge clk) a ##1 b; endsequence
         a_p: assert property (@(posedge clk) s |=> c);",
    );
    check(&src, "a:100 b:010 c:001", "a:100 b:010 c:000", &[2]);
}

#[test]
fn assertion_without_clock_takes_the_design_clock() {
    let src = "module t(input logic clk, a, b, output logic q);
                 always_ff @(posedge clk) q <= a;
                 a_ok: assert property (a |=> q);
                 a_p: assert property (a |=> b);
               endmodule";
    assert_eq!(fires(src, "t.a_ok", "a:1101 b:0000"), Vec::<usize>::new());
    // a at 1, no b at 2 (a at 0 is answered by b at 1).
    assert_eq!(fires(src, "t.a_p", "a:1100 b:0100"), vec![2]);
}

#[test]
fn assertion_without_clock_in_a_design_without_clock_is_refused() {
    let (m, line) = error(
        "module t(input logic a, b);
           a_p: assert property (a |-> b);
         endmodule",
    );
    assert!(m.contains("no clock"), "{m}");
    assert_eq!(line, 2);
}

#[test]
fn a_second_clock_inside_a_sequence_is_refused() {
    let (m, _) = error(
        "module t(input logic clk, clk2, a, b);
           sequence s; @(posedge clk2) a; endsequence
           a_p: assert property (@(posedge clk) s |-> b);
         endmodule",
    );
    assert!(m.contains("multi-clocked property"), "{m}");
}

#[test]
fn disable_iff_in_both_the_assertion_and_the_declaration_is_refused() {
    let (m, _) = error(&module(
        "property p; @(posedge clk) disable iff (rst) a |-> b; endproperty
         a_p: assert property (disable iff (c) p);",
    ));
    assert!(m.contains("disable iff"), "{m}");
}

// ------------------------------------------------------------ 2. deferred

#[test]
fn deferred_immediate_assertions_at_module_level() {
    let src = module(
        "a_p: assert #0 (a || b);
         a_f: assert final (a || c);
         c_p: cover #0 (a && b);
         m_p: assume final (!c);
         l_p: assert #0 (b) else $error(\"no b\");",
    );
    let t = "a:0101 b:0011 c:0010";
    assert_eq!(fires(&src, "t.a_p", t), vec![0]);
    assert_eq!(fires(&src, "t.a_f", t), vec![0]);
    assert_eq!(fires(&src, "t.c_p", t), vec![3]);
    assert_eq!(fires(&src, "t.m_p", t), vec![2]);
    assert_eq!(fires(&src, "t.l_p", t), vec![0, 1]);
    let d = compile(&src);
    let kind = |n: &str| d.props.iter().find(|p| p.name == n).unwrap().kind;
    assert_eq!(kind("t.a_p"), PropKind::Assert);
    assert_eq!(kind("t.c_p"), PropKind::Cover);
    assert_eq!(kind("t.m_p"), PropKind::Assume);
}

// ------------------------------------------------------------ 3. restrict

#[test]
fn restrict_property_is_an_assumption() {
    let src = module(
        "r_p: restrict property (@(posedge clk) a |=> b);
         restrict property (@(posedge clk) !c);",
    );
    let d = compile(&src);
    assert_eq!(d.props.len(), 2);
    assert!(d.props.iter().all(|p| p.kind == PropKind::Assume));
    // Its monitor is the property's: violated where `a |=> b` fails.
    assert_eq!(fires(&src, "t.r_p", "a:0100 b:0000"), vec![2]);
    assert_eq!(fires(&src, "t.r_p", "a:0100 b:0010"), Vec::<usize>::new());
}

// ------------------------------------------------------------ 4. let

#[test]
fn let_with_arguments_without_and_typed() {
    let src = module(
        "let both(x, y) = x && y;
         let any = a || b;
         let low4(logic [3:0] v) = v;
         a_p: assert #0 (!both(a, b) || any);
         a_q: assert #0 (low4(in) == in);
         a_r: assert property (@(posedge clk) both(a, b) |=> any);",
    );
    assert_eq!(fires(&src, "t.a_p", "a:0110 b:0101"), Vec::<usize>::new());
    // The typed formal truncates: 20 is 4 in four bits.
    assert_eq!(fires(&src, "t.a_q", "in=3,20,5,16"), vec![1, 3]);
    // both at 1, neither a nor b at 2.
    assert_eq!(fires(&src, "t.a_r", "a:0100 b:0100"), vec![2]);
    assert_eq!(fires(&src, "t.a_r", "a:1110 b:1000"), Vec::<usize>::new());
}

#[test]
fn let_in_a_package_resolves_its_names_in_the_package() {
    let src = "package p;
                 localparam int L = 2;
                 let lim(v) = v <= L;
               endpackage
               module t(input logic clk, input logic [7:0] in);
                 import p::*;
                 localparam int L = 10;
                 a_p: assert #0 (lim(in));
                 a_q: assert #0 (p::lim(in + 1));
               endmodule";
    // L is the package's 2, not the module's 10.
    assert_eq!(fires(src, "t.a_p", "in=1,2,3,9"), vec![2, 3]);
    assert_eq!(fires(src, "t.a_q", "in=1,2,3,0"), vec![1, 2]);
}

// ------------------------------------------------------------ 5. iff, implies

#[test]
fn iff_and_implies() {
    check(&prop("a iff b"), "a:0110 b:0110", "a:0110 b:0100", &[2]);
    check(&prop("a iff b"), "a:0110 b:0110", "a:0110 b:1110", &[0]);
    check(&prop("a implies b"), "a:0110 b:1111", "a:0110 b:1011", &[1]);
    check(
        &prop("a implies ##1 b"),
        "a:1000 b:0100",
        "a:1000 b:1000",
        &[1],
    );
    // `iff` binds tighter than `implies`: a implies (b iff c).
    assert_eq!(
        fires(&prop("a implies b iff c"), "t.a_p", "a:0 b:1 c:0"),
        Vec::<usize>::new()
    );
    // `or` binds tighter than `iff`: (a or b) iff c.
    assert_eq!(
        fires(&prop("a or b iff c"), "t.a_p", "a:01 b:00 c:10"),
        vec![0, 1]
    );
}

#[test]
fn iff_over_an_unbounded_sequence_is_refused() {
    let (m, _) = error(&prop("a iff (b ##[1:$] c)"));
    assert!(m.contains("`iff`"), "{m}");
}

// ------------------------------------------------------------ 6. local variables

#[test]
fn local_variable_read_at_a_fixed_distance() {
    let src = module(
        "default clocking @(posedge clk); endclocking
         property p; logic [7:0] x; (a, x = in) |-> ##2 (out == x); endproperty
         a_p: assert property (p);",
    );
    check(
        &src,
        "a:100 in=5,0,0 out=0,0,5",
        "a:100 in=5,0,0 out=0,0,6",
        &[2],
    );
    // Overlapping attempts each keep their own value.
    check(
        &src,
        "a:1100 in=5,6,0,0 out=0,0,5,6",
        "a:1100 in=5,6,0,0 out=0,0,5,5",
        &[3],
    );
}

#[test]
fn local_variable_updated_and_in_a_sequence_declaration() {
    let src = module(
        "default clocking @(posedge clk); endclocking
         property p; int x; (a, x = in) ##1 (1, x = x + 1) |-> ##1 (out == x); endproperty
         a_p: assert property (p);",
    );
    check(
        &src,
        "a:100 in=5,9,9 out=0,0,6",
        "a:100 in=5,9,9 out=0,0,5",
        &[2],
    );
    let src = module(
        "sequence s; int x; @(posedge clk) (b, x = in) ##2 (out == x + 1); endsequence
         a_p: assert property (s);
         c_p: cover property (s);",
    );
    let t = "b:111 in=1,2,3 out=9,9,2";
    // Attempts from cycle 1 and 2 run past the end; the one from 0 matches.
    assert_eq!(fires(&src, "t.a_p", t), Vec::<usize>::new());
    assert_eq!(fires(&src, "t.c_p", t), vec![2]);
    // Every cycle starts an attempt: those from 1 and 2 fail at once (no
    // b); the one from 0 fails at 2 (out is 3, x + 1 is 2).
    assert_eq!(fires(&src, "t.a_p", "b:1 in=1,2,3 out=9,9,3"), vec![1, 2]);
}

#[test]
fn local_variable_with_a_fixed_repetition_is_unrolled() {
    let src = module(
        "default clocking @(posedge clk); endclocking
         property p; int n; (a, n = 0) ##1 (b, n = n + in)[*2] |-> ##1 (out == n); endproperty
         a_p: assert property (p);",
    );
    // n = in(1) + in(2) = 7, checked at cycle 3.
    check(
        &src,
        "a:1000 b:0110 in=0,3,4,0 out=0,0,0,7",
        "a:1000 b:0110 in=0,3,4,0 out=0,0,0,8",
        &[3],
    );
}

#[test]
fn local_variable_refusals_name_the_construct() {
    let p = |body: &str| {
        module(&format!(
            "default clocking @(posedge clk); endclocking
             property p; int x; {body}; endproperty
             a_p: assert property (p);"
        ))
    };
    // (sv-parser rejects `(a, x = in) ##[1:2] (out == x)` as a syntax error;
    // a variable repetition between assignment and read is the same case.)
    let (m, _) = error(&p("(a, x = in) ##1 b [*1:2] ##1 (out == x)"));
    assert!(m.contains("variable number of cycles"), "{m}");
    let (m, _) = error(&p("a |-> out == x"));
    assert!(m.contains("before any assignment"), "{m}");
    let (m, _) = error(&p("(a, x = in) |=> out[0] == x[0]"));
    assert!(m.contains("select of a local variable"), "{m}");
    let (m, _) = error(&p("((a, x = in) or b) |=> out == x"));
    assert!(m.contains("`and`/`or`/`intersect`"), "{m}");
    let (m, _) = error(&p("(a, y = in) |=> out == x"));
    assert!(m.contains("not a local variable"), "{m}");
}

// ------------------------------------------------------------ 7. expect, liveness

#[test]
fn liveness_is_compiled_and_sequence_eventualities_refused() {
    // `expect` is accepted now (expect_is_one_attempt_from_the_first_clock_edge).
    // Eventualities over a boolean are liveness assertions (rtl/tests/liveness.rs
    // pins their meaning); a bounded `eventually` is a safety monitor.
    for (p, kind) in [
        ("a |-> s_eventually b", PropKind::Live),
        ("a |-> eventually [1:2] b", PropKind::Assert),
        ("a |-> strong(##[1:$] b)", PropKind::Live),
    ] {
        let d = compile(&prop(p));
        assert_eq!(d.props[0].kind, kind, "{p}");
    }
    // Over a sequence it would need a tracker per attempt: refused.
    let (m, _) = error(&prop("a |-> s_eventually (b ##1 a)"));
    assert!(m.contains("must be a boolean expression"), "{m}");
}

// ------------------------------------------------------------ 8. $initstate

#[test]
fn initstate_is_one_in_the_first_cycle_only() {
    // As Yosys reads it (picorv32: `restrict property (resetn != $initstate)`).
    let src = module(
        "a_p: assert #0 (!$initstate);
         a_q: assert #0 ($initstate || a);",
    );
    assert_eq!(fires(&src, "t.a_p", "a:0000"), vec![0]);
    assert_eq!(fires(&src, "t.a_q", "a:0101"), vec![2]);
}

#[test]
fn expect_is_one_attempt_from_the_first_clock_edge() {
    // 16.17: `expect` in an initial block waits for one attempt of the
    // property, started at the first clock edge; later cycles start none.
    let src = module("initial expect (@(posedge clk) a ##1 b) else $error(\"no handshake\");");
    let name = "t.assert@2";
    assert_eq!(fires(&src, name, "a:10 b:01"), Vec::<usize>::new());
    assert_eq!(
        fires(&src, name, "a:10 b:00"),
        vec![1],
        "b missing in cycle 1"
    );
    assert_eq!(
        fires(&src, name, "a:01 b:00"),
        vec![0],
        "a missing at the first edge"
    );
    assert_eq!(
        fires(&src, name, "a:1010 b:0100"),
        Vec::<usize>::new(),
        "the attempt of cycle 2 is not made"
    );
    // After the statements before it.
    let src = module("initial begin $display(\"start\"); expect (@(posedge clk) a); end");
    assert_eq!(fires(&src, name, "a:01"), vec![0]);
    // A statement after it would wait for the property: refused.
    let (m, line) = error(&module(
        "initial begin\n expect (@(posedge clk) a);\n $display(\"after\");\n end",
    ));
    assert!(m.contains("last statement of an `initial` block"), "{m}");
    assert_eq!(line, 3);
}
