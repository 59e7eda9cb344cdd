//! Typedefs of unpacked array types (IEEE 1800-2017 6.18, 7.4: the same
//! as writing the dimensions on each declaration) and forward typedefs
//! (6.18), checked by evaluation; their refusals.

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

#[test]
fn forward_typedefs_announce_a_type_defined_in_the_same_scope() {
    let d = compile(
        "typedef pair_t;
         typedef struct pair_t;
         typedef struct packed { logic [3:0] hi; logic [3:0] lo; } pair_t;
         typedef enum st_t;
         typedef enum logic [1:0] {IDLE, RUN} st_t;
         module t(input [7:0] a, output [3:0] o, output [1:0] s);
           typedef word_t;
           typedef logic [7:0] word_t;
           word_t w;
           pair_t p;
           st_t st;
           assign w = a;
           assign p = w;
           assign o = p.hi;
           assign st = a[0] ? RUN : IDLE;
           assign s = st;
         endmodule",
    );
    for a in [0u64, 0x5a, 0xa5, 0xff] {
        assert_eq!(comb_output(&d, &[("a", a)], "o"), a >> 4);
        assert_eq!(comb_output(&d, &[("a", a)], "s"), a & 1);
    }
}

#[test]
fn forward_typedef_errors_are_located() {
    let (m, l) = error("typedef missing_t;\nmodule t(output o);\n  assign o = 1'b0;\nendmodule");
    assert!(
        m.contains("forward typedef `missing_t` is not defined"),
        "{m}"
    );
    assert_eq!(l, 1);
    let (m, l) = error(
        "module t(output o);\n  typedef enum e_t;\n  typedef struct packed { logic a; logic b; } e_t;\n  assign o = 1'b0;\nendmodule",
    );
    assert!(m.contains("promises an enum"), "{m}");
    assert_eq!(l, 2);
    let (m, _) = error(
        "module t(output o);\n  typedef union u_t;\n  typedef struct packed { logic a; logic b; } u_t;\n  assign o = 1'b0;\nendmodule",
    );
    assert!(m.contains("promises a union"), "{m}");
    let (m, _) = error("module t(output o);\n  typedef class c_t;\n  assign o = 1'b0;\nendmodule");
    assert!(m.contains("forward typedef of a class"), "{m}");
}
