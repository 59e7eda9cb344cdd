//! Assignments inside expressions (IEEE 1800-2017 11.3.6): each runs
//! before the statement holding it and is read as its target; checked by
//! evaluation. The forms whose result would depend on the order of
//! evaluation are refused, located.

mod common;

use common::{comb_output, compile, error};

#[test]
fn embedded_assignments_run_first() {
    let d = compile(
        "module t(input [7:0] a, input [7:0] b, output [7:0] oa, output [7:0] ob,
                  output [7:0] od, output [7:0] oe, output [7:0] of, output og,
                  output [7:0] oh, output [7:0] ok);
           logic [7:0] x, y, d, e, f, g, h, k;
           always_comb begin
             x = a;
             y = b;
             d = ((y += (x += 1) + 1));   // sv-tests 11.3.6
             e = 8'd3 * (f = a - 8'd1) + 8'd2;
             h = b;
             k = (++h) * 8'd2;
             og = 1'b0;
             if ((g = a & b)) og = 1'b1;
           end
           assign oa = x;
           assign ob = y;
           assign od = d;
           assign oe = e;
           assign of = f;
           assign oh = h;
           assign ok = k;
         endmodule",
    );
    for (a, b) in [
        (0u64, 0u64),
        (1, 2),
        (10, 20),
        (255, 1),
        (0x0f, 0xf0),
        (7, 5),
    ] {
        let o = |n: &str| comb_output(&d, &[("a", a), ("b", b)], n);
        let x = (a + 1) & 0xff;
        let y = (b + x + 1) & 0xff;
        assert_eq!(o("oa"), x, "a={a} b={b}");
        assert_eq!(o("ob"), y);
        assert_eq!(o("od"), y);
        let f = a.wrapping_sub(1) & 0xff;
        assert_eq!(o("of"), f);
        assert_eq!(o("oe"), (3 * f + 2) & 0xff);
        assert_eq!(o("oh"), (b + 1) & 0xff);
        assert_eq!(o("ok"), (2 * (b + 1)) & 0xff);
        assert_eq!(o("og"), ((a & b) != 0) as u64);
    }
}

#[test]
fn order_dependent_forms_are_refused() {
    for (stmt, what) in [
        ("x = y + (y = a);", "also reads or writes elsewhere"),
        ("x = (x = a) + 1;", "also reads or writes elsewhere"),
        ("x = y ? (z = a) : a;", "may not be evaluated"),
        ("x = y || (z = a);", "may not be evaluated"),
        ("x = y + z++;", "`++`/`--` inside an expression"),
    ] {
        let src = format!(
            "module t(input [7:0] a, output [7:0] o);\n  logic [7:0] x, y, z;\n  always_comb begin\n    y = 8'd0; z = 8'd0;\n    {stmt}\n  end\n  assign o = x;\nendmodule"
        );
        let (m, l) = error(&src);
        assert!(m.contains(what), "{stmt}: {m}");
        assert_eq!(l, 5, "{stmt}");
    }
    // In a loop condition (evaluated again each iteration): refused.
    let (m, _) = error(
        "module t(input [7:0] a, output [7:0] o);\n  logic [7:0] x;\n  always_comb begin\n    x = 0;\n    while ((x += 1) < a) ;\n  end\n  assign o = x;\nendmodule",
    );
    assert!(m.contains("assignment inside an expression"), "{m}");
}
