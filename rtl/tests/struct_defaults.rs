//! Default values of unpacked struct members (IEEE 1800-2017 7.2.2): the
//! initial value of a variable declared without one, also of array
//! elements and procedural locals; checked by evaluation.

mod common;

use common::{comb_output, compile, error};

#[test]
fn member_defaults_are_initial_values() {
    let d = compile(
        "module t(input clk, input [3:0] a, output [3:0] lo, output [3:0] hi,
                  output [7:0] x1, output [3:0] y);
           parameter c = 4'h5;
           typedef struct { bit [3:0] lo = c; bit [3:0] hi; } s_t;
           s_t p1;
           s_t arr [2];
           always_ff @(posedge clk) begin p1.hi <= a; arr[1].lo <= a; end
           assign lo = p1.lo;
           assign hi = p1.hi;
           assign x1 = {arr[1].lo, arr[0].lo};
           function automatic logic [3:0] f(input logic [3:0] v);
             s_t t;
             t.hi = v;
             return t.lo + t.hi;
           endfunction
           assign y = f(a);
         endmodule",
    );
    for a in [0u64, 3, 10] {
        let o = |n: &str| comb_output(&d, &[("a", a)], n);
        assert_eq!(o("lo"), 5);
        assert_eq!(o("hi"), 0);
        assert_eq!(o("x1"), 0x55);
        assert_eq!(o("y"), (5 + a) & 15);
    }
}

#[test]
fn member_default_refusals() {
    let (m, l) = error(
        "module t(output o);\n  struct packed { bit [3:0] lo = 4'd5; bit [3:0] hi; } p;\n  assign o = p.lo[0];\nendmodule",
    );
    assert!(
        m.contains("members of a packed struct cannot have default values"),
        "{m}"
    );
    assert_eq!(l, 2);
    // A four-state member without a default would start at x, which one
    // whole initial value cannot say.
    let (m, l) = error(
        "module t(output o);\n  struct { bit [3:0] lo = 4'd5;\n    logic [3:0] hi; } p;\n  assign o = p.lo[0];\nendmodule",
    );
    assert!(
        m.contains("struct member `hi` without a default value"),
        "{m}"
    );
    assert_eq!(l, 3);
}
