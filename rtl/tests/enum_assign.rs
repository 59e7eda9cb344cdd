//! Enum assignment compatibility (IEEE 1800-2017 6.19.3, 6.19.4): an enum
//! variable takes only values of its own type; the valid forms keep their
//! meaning (checked by evaluation), the others are located errors.

mod common;

use common::{comb_output, compile, error};

const HEAD: &str = "module t(input logic [1:0] i, input logic c, output logic [1:0] o);\n  typedef enum logic [1:0] {A, B, C, D} e_t;\n  typedef enum logic [1:0] {X, Y} f_t;\n";

fn body(lines: &str) -> String {
    format!("{HEAD}{lines}\nendmodule\n")
}

#[test]
fn values_of_the_enum_type_are_accepted() {
    let src = body(
        "  function automatic e_t pick(logic s); return s ? C : B; endfunction
  e_t v, w, arr [2];
  always_comb begin
    w = e_t'(i);           // cast
    arr[0] = w;            // variable of the type
    arr[1] = arr[0].next(); // method result
    v = c ? arr[1] : A;    // both arms of the type
    if (i == 2'd3) v = pick(c); // function result
  end
  assign o = v;",
    );
    let d = compile(&src);
    for i in 0..4u64 {
        for c in 0..2u64 {
            let want = if i == 3 {
                if c == 1 {
                    2
                } else {
                    1
                }
            } else if c == 1 {
                (i + 1) % 4
            } else {
                0
            };
            assert_eq!(
                comb_output(&d, &[("i", i), ("c", c)], "o"),
                want,
                "i={i} c={c}"
            );
        }
    }
}

#[test]
fn sampled_values_keep_the_enum_type() {
    compile(
        "module t(input clk, input logic [1:0] i, output logic [1:0] o);
           typedef enum logic [1:0] {A, B, C, D} e_t;
           e_t v, r;
           always_ff @(posedge clk) begin
             v <= e_t'(i);
             r <= $past(v);
           end
           assign o = r;
         endmodule",
    );
}

#[test]
fn other_values_are_refused_with_a_location() {
    for (lines, line) in [
        // An integer literal (6.19.3).
        ("  e_t v;\n  always_comb v = 1;\n  assign o = v;", 5),
        // An operator assignment: `v += 1` is `v = v + 1`, an int (6.19.4).
        (
            "  e_t v;\n  always_comb begin v = A; v += 1; end\n  assign o = v;",
            5,
        ),
        // Another enum type.
        ("  e_t v;\n  assign v = Y;\n  assign o = v;", 5),
        // A plain vector, in a continuous assignment.
        ("  e_t v;\n  assign v = i;\n  assign o = v;", 5),
        // An initialiser.
        ("  e_t v = 2;\n  assign o = v;", 4),
        // A function argument.
        (
            "  function automatic logic [1:0] f(e_t a); return a; endfunction\n  assign o = f(i);",
            5,
        ),
    ] {
        let src = body(lines);
        let (m, l) = error(&src);
        assert!(m.contains("not of the enum type"), "{src}\n{m}");
        assert_eq!(l, line, "{src}");
    }
}
