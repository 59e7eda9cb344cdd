//! Concurrent assertions end to end: SystemVerilog text → lowering →
//! monitor compilation → the IR's reference evaluator on hand-written
//! traces. For every operator a trace that must pass and one that must
//! fail, with the cycle at which the failure is reported.

mod common;

use common::{compile, error, run};

/// A module with inputs a, b, c, d and one assertion `a_p` of `prop`.
fn module(prop: &str) -> String {
    format!(
        "module t(input logic clk, input logic a, b, c, d);
           default clocking @(posedge clk); endclocking
           a_p: assert property ({prop});
         endmodule"
    )
}

/// Cycles at which `prop` reports a failure on `trace`.
fn fails(prop: &str, trace: &str) -> Vec<usize> {
    let d = compile(&module(prop));
    let r = run(&d, trace);
    assert_eq!(r.len(), 1, "one property");
    assert_eq!(r[0].0, "t.a_p");
    r[0].1.clone()
}

/// `prop` passes on `ok` and fails exactly at `at` on `bad`.
fn check(prop: &str, ok: &str, bad: &str, at: &[usize]) {
    assert_eq!(fails(prop, ok), Vec::<usize>::new(), "{prop} on {ok}");
    assert_eq!(fails(prop, bad), at.to_vec(), "{prop} on {bad}");
}

#[test]
fn boolean_and_overlapping_implication() {
    check("a |-> b", "a:0110 b:0111", "a:0110 b:0100", &[2]);
    check("a && !b", "a:111 b:000", "a:101 b:000", &[1]);
}

#[test]
fn non_overlapping_implication() {
    check("a |=> b", "a:1010 b:0101", "a:1010 b:0100", &[3]);
}

#[test]
fn fixed_delay() {
    check("a |-> ##2 b", "a:1000 b:0010", "a:1100 b:0010", &[3]);
    check(
        "a ##1 b |-> c",
        "a:100 b:010 c:010",
        "a:100 b:010 c:000",
        &[1],
    );
}

#[test]
fn delay_range_is_decided_at_its_end() {
    // Waiting for b in cycles 1..=3 after a: fails when cycle 3 passes.
    check(
        "a |-> ##[1:3] b",
        "a:10000 b:00010",
        "a:10000 b:10000",
        &[3],
    );
}

#[test]
fn overlapping_attempts_are_all_checked() {
    // a at 0 and 1: b must be 1 two cycles after each.
    check("a |-> ##2 b", "a:1100 b:0011", "a:1100 b:0010", &[3]);
    check("a |-> ##2 b", "a:1100 b:0011", "a:1100 b:0001", &[2]);
}

#[test]
fn consecutive_repetition() {
    check("a |-> b[*3]", "a:1000 b:1110", "a:1000 b:1101", &[2]);
    // b for 1 or 2 cycles then c.
    check(
        "a |-> b[*1:2] ##1 c",
        "a:1000 b:1100 c:0010",
        "a:1000 b:1110 c:0000",
        &[2],
    );
    check(
        "a |-> (b ##1 c)[*2]",
        "a:1000 b:1010 c:0101",
        "a:1000 b:1010 c:0100",
        &[3],
    );
}

#[test]
fn fusion_with_zero_delay() {
    check(
        "a ##0 b |=> c",
        "a:110 b:010 c:001",
        "a:110 b:010 c:000",
        &[2],
    );
    check(
        "(a ##1 b) ##0 c |-> d",
        "a:10 b:01 c:01 d:01",
        "a:10 b:01 c:01 d:00",
        &[1],
    );
}

#[test]
fn sequence_and_or_intersect() {
    // and: both match from the same start; the composite ends at the later end.
    check(
        "a |-> (b ##1 c) and (d ##2 1)",
        "a:1000 b:1000 c:0100 d:1000",
        "a:1000 b:1000 c:0100 d:0000",
        &[0],
    );
    // or: either.
    check(
        "a |-> (b ##1 c) or (d ##1 c)",
        "a:1000 b:0000 c:0100 d:1000",
        "a:1000 b:1000 c:0000 d:1000",
        &[1],
    );
    // intersect: both with the same end; b[*1:3] intersect (c ##2 1) needs b for 3 cycles.
    check(
        "a |-> b[*1:3] intersect (c ##2 1)",
        "a:1000 b:1110 c:1000",
        "a:1000 b:1100 c:1000",
        &[2],
    );
}

#[test]
fn throughout_and_within() {
    check(
        "a |-> b throughout (c ##2 d)",
        "a:1000 b:1110 c:1000 d:0010",
        "a:1000 b:1010 c:1000 d:0010",
        &[1],
    );
    // c (one cycle) somewhere inside a 3-cycle window opened by b.
    check(
        "a |-> c within (b ##2 1)",
        "a:1000 b:1000 c:0010",
        "a:1000 b:1000 c:0001",
        &[2],
    );
}

#[test]
fn first_match_takes_the_earliest_end() {
    // The first b after a must be followed by c; a later b does not rescue it.
    check(
        "a |-> first_match(##[1:3] b) ##1 c",
        "a:10000 b:01000 c:00100",
        "a:10000 b:01100 c:00010",
        &[2],
    );
}

#[test]
fn not_and_if_else_in_properties() {
    check("not (a ##1 b)", "a:1010 b:0000", "a:1010 b:0001", &[3]);
    check("if (a) b else c", "a:10 b:10 c:01", "a:10 b:10 c:00", &[1]);
    check(
        "a |-> if (b) ##1 c else ##1 d",
        "a:100 b:100 c:010",
        "a:100 b:000 c:010",
        &[1],
    );
    // A property `or`/`and` of implications.
    check(
        "(a |-> b) and (c |-> d)",
        "a:11 b:11 c:01 d:01",
        "a:11 b:11 c:01 d:00",
        &[1],
    );
}

#[test]
fn followed_by() {
    check("a #-# b", "a:11 b:11", "a:11 b:10", &[1]);
    check("a #=# b", "a:11 b:01", "a:110 b:010", &[2]);
}

#[test]
fn sampled_value_functions() {
    check("$rose(a) |-> b", "a:0110 b:0100", "a:0101 b:0100", &[3]);
    check("$fell(a) |-> b", "a:1001 b:0100", "a:1010 b:0100", &[3]);
    check("a |=> $stable(b)", "a:1000 b:1100", "a:0100 b:1100", &[2]);
    check("a |=> $changed(b)", "a:1000 b:1000", "a:1000 b:1100", &[1]);
    check("a |-> $past(b, 2)", "a:0010 b:1000", "a:0010 b:0100", &[2]);
    // $past with an enable: the value of b at the last cycle c was 1.
    check(
        "a |-> $past(b, 1, c)",
        "a:0001 b:0100 c:0100",
        "a:0001 b:0100 c:0010",
        &[3],
    );
    check(
        "$onehot({a, b, c})",
        "a:100 b:010 c:001",
        "a:100 b:010 c:011",
        &[1],
    );
    check("$onehot0({a, b})", "a:100 b:000", "a:110 b:010", &[1]);
    check(
        "$countones({a, b, c}) != 2",
        "a:100 b:010 c:001",
        "a:110 b:010",
        &[1],
    );
    check("!$isunknown({a, b})", "a:10 b:01", "a:10 b:01", &[]);
}

#[test]
fn disable_iff_aborts_attempts_in_flight() {
    let p = "disable iff (d) a |-> ##2 b";
    assert_eq!(fails(p, "a:1000 b:0000 d:0000"), vec![2]);
    // d in the middle of the attempt aborts it.
    assert_eq!(fails(p, "a:1000 b:0000 d:0100"), Vec::<usize>::new());
    // d after the failure was decided does not hide it.
    assert_eq!(fails(p, "a:1000 b:0000 d:0001"), vec![2]);
}

#[test]
fn default_disable_iff_and_explicit_clock() {
    let d = compile(
        "module t(input logic clk, rst, a, b);
           default disable iff (rst);
           a_p: assert property (@(posedge clk) a |=> b);
         endmodule",
    );
    assert_eq!(run(&d, "rst:1000 a:1010 b:0000")[0].1, vec![3]);
    // rst while the attempt is in flight aborts it.
    assert_eq!(run(&d, "rst:0100 a:1000 b:0000")[0].1, Vec::<usize>::new());
    assert_eq!(run(&d, "rst:0000 a:1000 b:0000")[0].1, vec![1]);
}

#[test]
fn assume_and_cover_property() {
    let d = compile(
        "module t(input logic clk, a, b);
           default clocking @(posedge clk); endclocking
           m_a: assume property (a |=> !a);
           c_ab: cover property (a ##1 b ##1 a);
           c_seq: cover sequence (b[*2]);
         endmodule",
    );
    let names: Vec<&str> = d.props.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["t.m_a", "t.c_ab", "t.c_seq"]);
    let r = run(&d, "a:10101 b:01110");
    assert_eq!(r[0].1, Vec::<usize>::new());
    assert_eq!(r[1].1, vec![2, 4]); // cover: hit at each match end
    assert_eq!(r[2].1, vec![2, 3]);
    let r = run(&d, "a:1100 b:0000");
    assert_eq!(r[0].1, vec![1]); // the assumption is violated at cycle 1
}

#[test]
fn property_and_sequence_declarations_with_arguments() {
    let d = compile(
        "module t(input logic clk, a, b, c);
           default clocking @(posedge clk); endclocking
           sequence s_pulse(x, n);
             x ##1 !x[*n];
           endsequence
           property p_handshake(req, ack, int max = 2);
             req |-> ##[1:max] ack;
           endproperty
           property p_follow(sequence s, y);
             s |=> y;
           endproperty
           a_hs: assert property (p_handshake(a, b));
           a_hs3: assert property (p_handshake(.req(a), .ack(b), .max(3)));
           a_fw: assert property (p_follow(s_pulse(a, 2), c));
           a_neg: assert property (p_handshake(a, !b));
         endmodule",
    );
    let r = run(&d, "a:100000 b:000100 c:000100");
    assert_eq!(r[0], ("t.a_hs".to_string(), vec![2]));
    assert_eq!(r[1], ("t.a_hs3".to_string(), vec![]));
    // s_pulse(a, 2) = a ##1 !a[*2] matches 0..2, so c is needed at 3.
    assert_eq!(r[2], ("t.a_fw".to_string(), vec![]));
    assert_eq!(r[3], ("t.a_neg".to_string(), vec![]));
    let r = run(&d, "a:100000 b:011000 c:000000");
    assert_eq!(r[2].1, vec![3]);
    assert_eq!(r[3].1, vec![2]);
}

#[test]
fn assertions_in_generate_blocks_get_scoped_names() {
    let d = compile(
        "module t #(parameter N = 2) (input logic clk, input logic [N-1:0] a, b);
           default clocking @(posedge clk); endclocking
           for (genvar i = 0; i < N; i++) begin : g
             a_bit: assert property (a[i] |=> b[i]);
           end
           if (N == 2) begin : chk
             c_both: cover property (a == 2'b11);
           end
         endmodule",
    );
    let names: Vec<&str> = d.props.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["t.g[0].a_bit", "t.g[1].a_bit", "t.chk.c_both"]);
}

#[test]
fn precedence_of_table_16_3() {
    // `and` binds tighter than `|->`; `not` tighter than `and`.
    check("a and b |-> c", "a:1 b:1 c:1", "a:1 b:1 c:0", &[0]);
    check("not a and b", "a:00 b:11", "a:10 b:10", &[0, 1]);
    // `##` binds tighter than `and`: (a ##1 b) and (c ##1 d).
    check(
        "not (a ##1 b and c ##1 d)",
        "a:10 b:01 c:10 d:00",
        "a:10 b:01 c:10 d:01",
        &[1],
    );
    // `|->` is right-associative: a |-> (b |-> c).
    check("a |-> b |-> c", "a:1 b:0 c:0", "a:1 b:1 c:0", &[0]);
    // A leading ##1 takes only its primary: (##1 b) ##1 c.
    check(
        "a |-> ##1 b ##1 c",
        "a:100 b:010 c:001",
        "a:100 b:010 c:010",
        &[2],
    );
    // `or` is looser than `and`: a or (b and c).
    check("a or b and c", "a:10 b:01 c:01", "a:00 b:01 c:00", &[0, 1]);
}

#[test]
fn action_blocks_with_error_messages_are_accepted() {
    let d = compile(
        "module t(input logic clk, a, b);
           a_p: assert property (@(posedge clk) a |-> b) else $error(\"a without b\");
         endmodule",
    );
    assert_eq!(run(&d, "a:1 b:0")[0].1, vec![0]);
}

#[test]
fn goto_repetition() {
    // c the cycle after the second b following a.
    check(
        "a |-> b[->2] ##1 c",
        "a:100000 b:010100 c:000010",
        "a:100000 b:010100 c:000000",
        &[4],
    );
    // Weak: while the second b has not come, the attempt is in flight.
    assert_eq!(
        fails("a |-> b[->2] ##1 c", "a:1000000 b:0100000"),
        Vec::<usize>::new()
    );
    // In an antecedent: attempts from cycles 0 and 1 both end at the
    // second a (cycle 3); the failure is reported once, at 3.
    check("a[->2] |-> b", "a:01010 b:00010", "a:01010 b:00000", &[3]);
    check(
        "a |=> b[->1:2] |-> c",
        "a:1000 b:0110 c:0110",
        "a:1000 b:0110 c:0100",
        &[2],
    );
}

#[test]
fn non_consecutive_repetition() {
    // b twice (not necessarily in a row), then c before a third b.
    check(
        "a |=> b[=2] ##1 c",
        "a:100000 b:011000 c:000010",
        "a:100000 b:011010 c:000001",
        &[4],
    );
    check("a[=2] |-> b", "a:0110 b:0011", "a:0110 b:0010", &[3]);
}

#[test]
fn unbounded_delay_and_repetition() {
    // A weak sequence that can always still match never fails.
    assert_eq!(
        fails("a |-> ##[1:$] b", "a:1000 b:0000"),
        Vec::<usize>::new()
    );
    assert_eq!(fails("a |-> ##[+] b", "a:1000 b:0000"), Vec::<usize>::new());
    // ... but its first part can.
    check(
        "a |-> b ##[1:$] c",
        "a:1000 b:1000 c:0001",
        "a:0100 b:0000",
        &[1],
    );
    check(
        "a ##[1:$] b |-> c",
        "a:1000 b:0101 c:0101",
        "a:1000 b:0101 c:0100",
        &[3],
    );
    check(
        "a ##[*] b |-> c",
        "a:1000 b:1101 c:1101",
        "a:1000 b:1101 c:1001",
        &[1],
    );
    check(
        "a |-> b[*1:$] ##1 c",
        "a:1000 b:1110 c:0001",
        "a:1000 b:1100 c:0000",
        &[2],
    );
    check(
        "a |-> b[+] ##1 c",
        "a:1000 b:1000 c:0100",
        "a:1000 b:0000",
        &[0],
    );
    check("a |-> b[*] ##1 c", "a:1000 c:1000", "a:1000 c:0000", &[0]);
    check(
        "a |-> b[*2:$] ##1 c",
        "a:10000 b:11100 c:00010",
        "a:10000 b:10000 c:01000",
        &[1],
    );
    // Combined with throughout, intersect, first_match, within, `and`, `or`.
    check(
        "a |-> (c throughout b[->1])",
        "a:1000 b:0010 c:1110",
        "a:1000 b:0010 c:1010",
        &[1],
    );
    check(
        "a |-> (b[->1] intersect c[*3])",
        "a:1000 b:0010 c:1110",
        "a:1000 b:0100 c:1110",
        &[1],
    );
    check(
        "first_match(a ##[1:$] b) |-> c",
        "a:1000 b:0110 c:0100",
        "a:1000 b:0110 c:0010",
        &[1],
    );
    check(
        "a |-> (b within c[->2])",
        "a:1000 b:0100 c:0110",
        "a:1000 b:0001 c:0110",
        &[2],
    );
    check(
        "a |-> (b[->1] and c)",
        "a:1000 b:0010 c:1000",
        "a:1000 b:0010 c:0000",
        &[0],
    );
    check(
        "a |-> (b[->1] or ##2 c)",
        "a:1000 b:0000 c:0010",
        "a:1000 b:0000 c:0000",
        &[],
    );
    check(
        "a |-> (b ##1 c[->1] or d)",
        "a:1000 d:1000",
        "a:1000 b:0000 d:0000",
        &[0],
    );
    // if/else and property `and` around an automaton.
    check(
        "if (a) b[->1] |-> c else d",
        "a:100 b:010 c:010 d:011",
        "a:100 b:010 c:000 d:011",
        &[1],
    );
    check(
        "(a |-> b[->1] ##1 c) and (a |-> d)",
        "a:100 b:010 c:001 d:100",
        "a:100 b:010 c:000 d:100",
        &[2],
    );
}

#[test]
fn automaton_overlapping_attempts_and_disable_iff() {
    // Each a needs its own b afterwards: two attempts in different states.
    check(
        "a |=> b[*0:$] ##1 c",
        "a:1100 b:0110 c:0001",
        "a:1100 b:0010 c:0100",
        &[3],
    );
    let p = "disable iff (d) a |-> b[->1] ##1 c";
    assert_eq!(fails(p, "a:1000 b:0100 c:0000 d:0000"), vec![2]);
    // d while the attempt waits for b aborts it.
    assert_eq!(fails(p, "a:1000 b:0100 c:0000 d:0100"), Vec::<usize>::new());
    // d after the failure was reported does not hide it.
    assert_eq!(fails(p, "a:1000 b:0100 c:0000 d:0001"), vec![2]);
}

#[test]
fn unbounded_covers_hit_at_every_match_end() {
    let d = compile(
        "module t(input logic clk, a, b);
           default clocking @(posedge clk); endclocking
           c_d: cover property (a ##[1:$] b);
           c_g: cover sequence (b[->2]);
           c_n: cover property (a[=1]);
         endmodule",
    );
    let r = run(&d, "a:10010 b:01011");
    assert_eq!(r[0].1, vec![1, 3, 4]);
    // b[->2] from every start: ends at each b that has another b before it.
    assert_eq!(r[1].1, vec![3, 4]);
    // a[=1] ends at each a and the cycles without a after it.
    assert_eq!(r[2].1, vec![0, 1, 2, 3, 4]);
}

#[test]
fn unbounded_forms_are_refused_with_the_reason() {
    // Liveness over a boolean is compiled (tests/liveness.rs); a strong
    // sequence with an unbounded wait inside, or an eventuality over a
    // sequence, is not.
    let (m, line) = error(&module("a |-> strong(c ##[1:$] b)"));
    assert!(m.contains("liveness") && m.contains("strong"), "{m}");
    assert_eq!(line, 3);
    let (m, _) = error(&module("a |-> s_eventually (b ##1 c)"));
    assert!(m.contains("s_eventually") && m.contains("boolean"), "{m}");
    let (m, _) = error(&module("a |-> not (b[->1] ##1 c)"));
    assert!(m.contains("`not`") && m.contains("unbounded"), "{m}");
    let (m, _) = error(&module("a[->1] #-# b"));
    assert!(m.contains("#-#"), "{m}");
    let (m, _) = error(&module("(a |-> b[*1:$]) or c"));
    assert!(m.contains("`or`"), "{m}");
    let (m, _) = error(
        "module t(input logic clk, a, b);
           c: cover property (@(posedge clk) a[->1] |-> b);
         endmodule",
    );
    assert!(m.contains("cover") && m.contains("sequence"), "{m}");
}

#[test]
fn concurrent_assertions_in_procedural_blocks() {
    // 16.14.6: clock from the block, enabling condition from the `if`.
    let d = compile(
        "module t(input logic clk, rst, en, a, b, input logic [1:0] s);
           always @(posedge clk)
             if (en) a_p: assert property (a |=> b);
           always_ff @(posedge clk)
             if (rst) ;
             else case (s)
               2'd1: a_q: assert property (a |-> b);
               default: ;
             endcase
         endmodule",
    );
    let names: Vec<&str> = d.props.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["t.a_p", "t.a_q"]);
    // en low when a rises: no attempt.
    let r = run(&d, "en:0100 a:1000 b:0000");
    assert_eq!(r[0].1, Vec::<usize>::new());
    let r = run(&d, "en:1000 a:1000 b:0000");
    assert_eq!(r[0].1, vec![1]);
    // a_q: attempts only where s == 1 and not rst.
    let r = run(&d, "rst:000 s:010 a:111 b:000");
    assert_eq!(r[1].1, vec![1]);
    let r = run(&d, "rst:010 s:010 a:111 b:000");
    assert_eq!(r[1].1, Vec::<usize>::new());
    let d = compile(
        "module t(input logic clk, rst, en, a, b);
           default clocking @(posedge clk); endclocking
           always_comb if (en) a_c: assert property (a |-> b);
           always_ff @(posedge clk) if (!rst && en) a_f: assert property (a ##1 b[->1] |-> 0);
         endmodule",
    );
    let r = run(&d, "rst:0000 en:1100 a:1100 b:0100");
    assert_eq!(r[0].1, vec![0]);
    // a_f: attempts at 0 and 1 (en, a); the one from 0 matches at 1.
    assert_eq!(r[1].1, vec![1]);
    let r = run(&d, "rst:1100 en:1100 a:1100 b:0100");
    assert_eq!(r[1].1, Vec::<usize>::new());
    let (m, _) = error(
        "module t(input logic clk, a);
           initial assert property (@(posedge clk) a);
         endmodule",
    );
    assert!(m.contains("initial"), "{m}");
}

#[test]
fn unsupported_property_operators_are_refused() {
    let (m, _) = error(&module("reject_on (a) b"));
    assert!(m.contains("reject_on"), "{m}");
    let (m, _) = error(&module("accept_on (a) b"));
    assert!(m.contains("accept_on"), "{m}");
    let (m, _) = error(
        "module t(input logic a, b);
           assert property (a |-> b);
         endmodule",
    );
    assert!(m.contains("no clock"), "{m}");
}

#[test]
fn published_formal_code_patterns() {
    let d = compile(
        "module t(input logic clk, rst, a, output logic [1:0] q);
           always_ff @(posedge clk) if (rst) q <= 0; else if (a) q <= q + 1;
         `ifdef FORMAL
           initial assume(rst);
           reg f_past_valid = 0;
           always @(posedge clk) f_past_valid <= 1;
           always @(posedge clk)
             if (f_past_valid && !$past(rst) && $past(a))
               a_inc: assert(q == $past(q) + 2'd1);
           always @(*) if (!rst) a_range: assert(q <= 3);
           a_c: assert property (@(posedge clk) disable iff (rst) a |=> q != 0 || $past(q) == 3);
         `endif
         endmodule",
    );
    let names: Vec<&str> = d.props.iter().map(|p| p.name.as_str()).collect();
    assert!(names.contains(&"t.a_inc"), "{names:?}");
    assert!(names.contains(&"t.a_c"), "{names:?}");
    let r = run(&d, "rst:1000 a:0111");
    for (n, f) in &r {
        assert!(f.is_empty(), "{n} fired at {f:?}");
    }
    // The initial assumption is violated by a trace starting out of reset.
    let r = run(&d, "rst:0000 a:0000");
    let assume = r
        .iter()
        .find(|(n, _)| n.contains("assume"))
        .expect("initial assume");
    assert_eq!(assume.1, vec![0]);
}
