//! Named arguments in `let` uses (IEEE 1800-2017 11.12): bound to the
//! formals by name, mixed with positional ones and defaults; checked by
//! evaluation. Named arguments of function calls are refused, located.

mod common;

use common::{comb_output, compile, error};

#[test]
fn named_let_arguments_bind_by_name() {
    let d = compile(
        "module t(input [3:0] a, input [3:0] b, input [3:0] c,
                  output o1, output [3:0] o2, output [3:0] o3);
           let op(x, y, z) = |((x | y) & z);
           let sub(x, y = 4'd1) = x - y;
           assign o1 = op(.z(c), .x(a), .y(b));
           assign o2 = sub(.y(a), .x(b));
           assign o3 = sub(b, .y()) + sub(.x(c));
         endmodule",
    );
    for (a, b, c) in [
        (0u64, 0u64, 0u64),
        (1, 2, 3),
        (12, 15, 7),
        (8, 0, 7),
        (0, 4, 4),
        (5, 9, 2),
    ] {
        let ins = [("a", a), ("b", b), ("c", c)];
        assert_eq!(comb_output(&d, &ins, "o1"), (((a | b) & c) != 0) as u64);
        assert_eq!(comb_output(&d, &ins, "o2"), b.wrapping_sub(a) & 15);
        assert_eq!(
            comb_output(&d, &ins, "o3"),
            b.wrapping_sub(1).wrapping_add(c.wrapping_sub(1)) & 15
        );
    }
}

#[test]
fn named_argument_errors_are_located() {
    let src = |call: &str| {
        format!(
            "module t(input a, output o);\n  let f(x, y) = x & y;\n  assign o = {call};\nendmodule"
        )
    };
    let (m, l) = error(&src("f(.x(a), .w(a))"));
    assert!(m.contains("has no argument `w`"), "{m}");
    assert_eq!(l, 3);
    let (m, _) = error(&src("f(a, .x(a))"));
    assert!(m.contains("given twice"), "{m}");
    let (m, _) = error(&src("f(.x(a))"));
    assert!(m.contains("missing argument `y`"), "{m}");
    let (m, l) = error(
        "module t(input a, output o);\n  function automatic logic g(logic x); return x; endfunction\n  assign o = g(.x(a));\nendmodule",
    );
    assert!(
        m.contains("named arguments in a function or task call"),
        "{m}"
    );
    assert_eq!(l, 3);
}
