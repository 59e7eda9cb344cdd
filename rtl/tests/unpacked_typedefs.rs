//! Typedefs of unpacked array types (IEEE 1800-2017 6.18, 7.4): the same
//! as writing the dimensions on each declaration; checked by evaluation.

mod common;

use common::{comb_output, compile, error};

#[test]
fn unpacked_array_typedefs_hold_elements() {
    let d = compile(
        "typedef logic [7:0] row_t [0:2];
         module t(input [7:0] a, output [7:0] o0, output [7:0] o2, output [7:0] o5,
                  output [7:0] ob, output [31:0] bits);
           row_t r;
           row_t q [2];
           typedef int triple [1:3];
           triple b = '{1:5, default:0};
           always_comb begin
             r[0] = a; r[1] = a + 8'd1; r[2] = a + 8'd2;
             q[0] = r;
             q[1] = q[0];
             q[1][2] = a ^ 8'hff;
           end
           assign o0 = q[1][0];
           assign o2 = q[1][2];
           assign o5 = q[0][2];
           assign ob = b[1][7:0] + b[2][7:0] + b[3][7:0];
           assign bits = $bits(row_t);
         endmodule",
    );
    for a in [0u64, 1, 7, 200, 255] {
        let o = |n: &str| comb_output(&d, &[("a", a)], n);
        assert_eq!(o("o0"), a);
        assert_eq!(o("o2"), a ^ 0xff);
        assert_eq!(o("o5"), (a + 2) & 0xff);
        assert_eq!(o("ob"), 5);
        assert_eq!(o("bits"), 24);
    }
}

#[test]
fn packed_dimensions_on_an_unpacked_typedef_are_refused() {
    let (m, l) = error(
        "module t(output o);\n  typedef logic row_t [2];\n  row_t [1:0] x;\n  assign o = 1'b0;\nendmodule",
    );
    assert!(m.contains("packed dimensions on an unpacked type"), "{m}");
    assert_eq!(l, 3);
}
