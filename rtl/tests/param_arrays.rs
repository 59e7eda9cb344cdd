//! Parameters with unpacked dimensions (IEEE 1800-2017 6.20.2): constant
//! arrays read by constant and dynamic index, checked by evaluation.

mod common;

use common::{comb_output, compile, error};

#[test]
fn unpacked_parameters_are_constant_arrays() {
    let d = compile(
        "module t(input [1:0] i, output [31:0] o, output [31:0] o3, output [7:0] q, output [31:0] s);
           parameter logic [31:0] p [3:0] = '{1, 2, 3, 4};
           localparam logic [7:0] r [0:2] = '{8'h10, 8'h20, 8'h30};
           localparam int sum = p[0] + p[3];
           assign o = p[i];
           assign o3 = p[3];
           assign q = r[i == 2'd3 ? 2'd0 : i];
           assign s = sum;
         endmodule",
    );
    // `'{1, 2, 3, 4}` fills p[3], p[2], p[1], p[0] (left index first).
    for i in 0..4u64 {
        let o = |n: &str| comb_output(&d, &[("i", i)], n);
        assert_eq!(o("o"), 4 - i, "p[{i}]");
        assert_eq!(o("o3"), 1);
        assert_eq!(o("q"), [0x10, 0x20, 0x30, 0x10][i as usize], "r[{i}]");
        assert_eq!(o("s"), 5);
    }
}

#[test]
fn unpacked_parameter_refusals() {
    let (m, l) =
        error("module t(output o);\n  parameter p [1:0] = '{1, 2};\n  assign o = 1'b0;\nendmodule");
    assert!(m.contains("needs a data type"), "{m}");
    assert_eq!(l, 2);
    let (m, l) = error(
        "module s #(parameter int p [1:0] = '{1, 2}) (output o);\n  assign o = p[0] == 2;\nendmodule\nmodule t(output o);\n  s #(.p(5)) u(o);\nendmodule",
    );
    assert!(m.contains("overriding parameter `p`"), "{m}");
    assert_eq!(l, 1);
}
