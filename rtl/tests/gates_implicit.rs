//! Gate primitive instances (IEEE 1800-2017 28.4) and implicit nets (6.10),
//! checked by evaluation over every input combination, and their refusals.

mod common;

use common::{comb_output, compile, error};

#[test]
fn n_input_gates_compute_their_truth_tables() {
    let d = compile(
        "module t(input a, input b, input c,
                  output o_and, output o_nand, output o_or, output o_nor,
                  output o_xor, output o_xnor, output o_and2);
           and  (o_and, a, b, c);
           nand g1 (o_nand, a, b, c);
           or   g2 (o_or, a, b, c);
           nor  g3 (o_nor, a, b, c);
           xor  g4 (o_xor, a, b, c), g5 (w, a, b);
           xnor g6 (o_xnor, a, b, c);
           and  g7 (o_and2, w, c);
         endmodule",
    );
    for a in 0..2u64 {
        for b in 0..2u64 {
            for c in 0..2u64 {
                let ins = [("a", a), ("b", b), ("c", c)];
                let o = |n: &str| comb_output(&d, &ins, n);
                assert_eq!(o("o_and"), a & b & c, "and {a}{b}{c}");
                assert_eq!(o("o_nand"), 1 - (a & b & c), "nand {a}{b}{c}");
                assert_eq!(o("o_or"), a | b | c, "or {a}{b}{c}");
                assert_eq!(o("o_nor"), 1 - (a | b | c), "nor {a}{b}{c}");
                assert_eq!(o("o_xor"), a ^ b ^ c, "xor {a}{b}{c}");
                assert_eq!(o("o_xnor"), 1 - (a ^ b ^ c), "xnor {a}{b}{c}");
                // `w` is an implicit net driven by a gate.
                assert_eq!(o("o_and2"), (a ^ b) & c, "implicit {a}{b}{c}");
            }
        }
    }
}

#[test]
fn buf_and_not_drive_every_output() {
    let d = compile(
        "module t(input a, input [1:0] v, output x, output y, output n1, output n2, output z);
           buf (x, y, a);
           not inv (n1, n2, v[1]);
           and (z, v[0], 1'b1);
         endmodule",
    );
    for a in 0..2u64 {
        for v in 0..4u64 {
            let ins = [("a", a), ("v", v)];
            let o = |n: &str| comb_output(&d, &ins, n);
            assert_eq!((o("x"), o("y")), (a, a));
            assert_eq!((o("n1"), o("n2")), (1 - (v >> 1), 1 - (v >> 1)));
            assert_eq!(o("z"), v & 1);
        }
    }
}

#[test]
fn gate_refusals_are_located() {
    let (m, l) = error("module t(input a, b, output o);\n  and #2 g (o, a, b);\nendmodule");
    assert!(m.contains("delay on a gate"), "{m}");
    assert_eq!(l, 2);
    let (m, l) = error("module t(input a, en, output o);\n\n  bufif1 g (o, a, en);\nendmodule");
    assert!(m.contains("tri-state gate"), "{m}");
    assert_eq!(l, 3);
    let (m, l) =
        error("module t(input [1:0] a, input b, output o);\n  and g (o, a, b);\nendmodule");
    assert!(m.contains("input terminal is 2 bits wide"), "{m}");
    assert_eq!(l, 2);
    let (m, l) = error("module t(input a, b, output [1:0] o);\n  or g (o, a, b);\nendmodule");
    assert!(m.contains("output terminal is 2 bits wide"), "{m}");
    assert_eq!(l, 2);
    let (m, _) = error("module t(input a, b, output o);\n  and g[1:0] (o, a, b);\nendmodule");
    assert!(m.contains("array of gate instances"), "{m}");
    let (m, _) =
        error("module t(input a, b, output o);\n  and (strong0, strong1) g (o, a, b);\nendmodule");
    assert!(m.contains("drive strength"), "{m}");
}

#[test]
fn implicit_nets_in_assign_and_port_connections() {
    // `c` is declared by the port connection, `e` by the assign.
    let d = compile(
        "module t(input a, input b, output d, output f);
           sub u (a, b, c);
           assign d = c;
           assign e = ~c;
           assign f = e;
         endmodule
         module sub(input a, input b, output c);
           assign c = a | b;
         endmodule",
    );
    for a in 0..2u64 {
        for b in 0..2u64 {
            let ins = [("a", a), ("b", b)];
            assert_eq!(comb_output(&d, &ins, "d"), a | b);
            assert_eq!(comb_output(&d, &ins, "f"), 1 - (a | b));
        }
    }
}

#[test]
fn implicit_net_is_one_bit() {
    // The implicit net is scalar: a 4-bit value assigned to it keeps bit 0.
    let d = compile(
        "module t(input [3:0] a, output [3:0] o);
           assign w = a;
           assign o = {3'b0, w} + 4'd0 | {w, 3'b0};
         endmodule",
    );
    for a in 0..16u64 {
        let w = a & 1;
        assert_eq!(comb_output(&d, &[("a", a)], "o"), w | (w << 3));
    }
}

#[test]
fn default_nettype_none_forbids_implicit_nets() {
    let (m, l) = error(
        "`default_nettype none\nmodule t(input a, output o);\n  assign w = a;\n  assign o = w;\nendmodule",
    );
    assert!(m.contains("`w` is not declared"), "{m}");
    assert!(m.contains("default_nettype none"), "{m}");
    assert_eq!(l, 3);
    // Back to `wire`: accepted.
    compile("`default_nettype none\n`default_nettype wire\nmodule t(input a, output o);\n  assign w = a;\n  assign o = w;\nendmodule");
    // Only modules after the directive are affected.
    let (m, _) = error(
        "module s(input a, output o);\n  assign w = a;\n  assign o = w;\nendmodule\n`default_nettype none\nmodule t(input a, output o);\n  s u(a, x);\n  assign o = x;\nendmodule",
    );
    assert!(m.contains("`x` is not declared"), "{m}");
}

#[test]
fn other_default_nettypes_are_refused_when_used() {
    let (m, l) = error(
        "`default_nettype wand\nmodule t(input a, output o);\n  assign w = a;\n  assign o = w;\nendmodule",
    );
    assert!(m.contains("implicit net `w` of type `wand`"), "{m}");
    assert_eq!(l, 3);
    // Declared nets need no implicit declaration.
    compile(
        "`default_nettype wand\nmodule t(input wire a, output wire o);\n  assign o = a;\nendmodule",
    );
}

#[test]
fn undeclared_names_elsewhere_stay_errors() {
    // A read in an expression does not declare a net.
    let (m, l) = error("module t(input a, output o);\n  assign o = a & q;\nendmodule");
    assert!(m.contains("`q` is not declared"), "{m}");
    assert_eq!(l, 2);
    // Nor does an implicit `.name` connection (23.3.2.3).
    let (m, _) = error(
        "module t(input a, output o);\n  sub u(.a, .c);\n  assign o = a;\nendmodule\nmodule sub(input a, output c);\n  assign c = a;\nendmodule",
    );
    assert!(m.contains("`c`") || m.contains("c"), "{m}");
}
