//! Elaboration checked by evaluation: each design is compiled from
//! SystemVerilog text and run cycle by cycle with the IR's reference
//! evaluator (`passes::eval`), so these tests pin semantics, not shapes.

use rtl::elab::ElabOptions;
use rtl::ir::{Design, PropKind};
use rtl::passes::eval;
use rtl::Bits;

fn compile_with(src: &str, opts: ElabOptions) -> Design {
    let c = rtl::compile_text("t.sv", src, opts);
    match c.result {
        Ok(e) => {
            e.design.validate().expect("valid IR");
            e.design
        }
        Err(e) => panic!("{}", e.render(&c.sources, false)),
    }
}

fn compile(src: &str) -> Design {
    compile_with(src, ElabOptions::default())
}

/// The first error: its message and line.
fn error(src: &str) -> (String, u32) {
    let c = rtl::compile_text("t.sv", src, ElabOptions::default());
    match c.result {
        Ok(_) => panic!("expected an error"),
        Err(e) => {
            let d = &e.diags[0];
            let line = c.sources.location(d.span).map(|l| l.line).unwrap_or(0);
            (d.message.clone(), line)
        }
    }
}

/// The code of the first error (`E0320`): what tests match on, not wording.
fn code(src: &str) -> &'static str {
    let c = rtl::compile_text("t.sv", src, ElabOptions::default());
    match c.result {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.code().expect("an error has a code").as_str(),
    }
}

/// The first error, whole (secondary labels, notes) and rendered without colour.
fn diagnostic(src: &str) -> (rtl::Diagnostic, String) {
    let c = rtl::compile_text("t.sv", src, ElabOptions::default());
    match c.result {
        Ok(_) => panic!("expected an error"),
        Err(e) => {
            let text = e.render(&c.sources, false);
            (e.diags[0].clone(), text)
        }
    }
}

struct Tb {
    d: Design,
    regs: Vec<Bits>,
    mems: Vec<Vec<Bits>>,
}

impl Tb {
    fn new(d: Design) -> Tb {
        let regs = d
            .regs
            .iter()
            .map(|r| r.init.clone().unwrap_or_else(|| Bits::zero(r.width)))
            .collect();
        let mems = d
            .mems
            .iter()
            .map(|m| {
                m.init
                    .clone()
                    .unwrap_or_else(|| vec![Bits::zero(m.width); m.depth as usize])
            })
            .collect();
        Tb { d, regs, mems }
    }

    fn inputs(&self, ins: &[(&str, u64)]) -> Vec<Bits> {
        self.d
            .inputs
            .iter()
            .map(|i| {
                let v = ins
                    .iter()
                    .find(|(n, _)| *n == i.name)
                    .map(|(_, v)| *v)
                    .unwrap_or(0);
                Bits::from_u64(i.width, v)
            })
            .collect()
    }

    /// Value of an output or named signal after the inputs settle.
    fn get(&self, ins: &[(&str, u64)], name: &str) -> Bits {
        let vals = eval::eval_comb(&self.d, &self.inputs(ins), &self.regs, &self.mems);
        if let Some(o) = self.d.outputs.iter().find(|o| o.name == name) {
            return vals[o.node.index()].clone();
        }
        if let Some(n) = self.d.names.iter().find(|n| n.name == name) {
            return vals[n.node.index()].clone();
        }
        panic!("no output or signal `{name}`");
    }

    fn out(&self, ins: &[(&str, u64)], name: &str) -> u64 {
        self.get(ins, name).to_u64().expect("fits in 64 bits")
    }

    fn step(&mut self, ins: &[(&str, u64)]) {
        let s = eval::step(&self.d, &self.inputs(ins), &self.regs, &self.mems);
        self.regs = s.regs;
        self.mems = s.mems;
    }

    /// Names of the properties whose node is 1 now.
    fn firing(&self, ins: &[(&str, u64)]) -> Vec<String> {
        let vals = eval::eval_comb(&self.d, &self.inputs(ins), &self.regs, &self.mems);
        self.d
            .props
            .iter()
            .filter(|p| !vals[p.node.index()].is_zero())
            .map(|p| p.name.clone())
            .collect()
    }
}

#[test]
fn width_and_sign_rules_of_clause_11() {
    let d = compile(
        "module t(input logic signed [7:0] a, input logic [3:0] b, input logic [7:0] c, input logic [7:0] e,
                  output logic [7:0] mixed, output logic [7:0] both_signed, output logic [8:0] carry,
                  output logic [8:0] no_carry, output logic lt_unsigned, output logic lt_signed,
                  output logic [7:0] ashr, output logic [7:0] ashr_unsigned, output logic [15:0] ext);
           assign mixed = a + b;                 // unsigned wins: b zero-extended
           assign both_signed = a + $signed(b);  // both signed: b sign-extended
           assign carry = c + e;                 // context width 9 keeps the carry
           assign no_carry = {c + e};            // concatenation operands are self-determined
           assign lt_unsigned = a < b;           // unsigned compare
           assign lt_signed = a < $signed(b);
           assign ashr = a >>> 2;
           assign ashr_unsigned = c >>> 2;
           assign ext = a;                       // sign extension to the target
         endmodule",
    );
    let tb = Tb::new(d);
    let ins = [("a", 0xff), ("b", 0xf), ("c", 0xff), ("e", 0x01)];
    assert_eq!(tb.out(&ins, "mixed"), 0x0e); // 255 + 15
    assert_eq!(tb.out(&ins, "both_signed"), 0xfe); // -1 + -1
    assert_eq!(tb.out(&ins, "carry"), 0x100);
    assert_eq!(tb.out(&ins, "no_carry"), 0x000);
    assert_eq!(tb.out(&ins, "lt_unsigned"), 0); // 255 < 15 is false
    assert_eq!(tb.out(&ins, "lt_signed"), 0); // -1 < -1 is false
    assert_eq!(tb.out(&[("a", 0x80), ("b", 1)], "lt_signed"), 1);
    assert_eq!(tb.out(&ins, "ashr"), 0xff);
    assert_eq!(tb.out(&[("a", 0x80)], "ashr"), 0xe0);
    assert_eq!(tb.out(&ins, "ashr_unsigned"), 0x3f);
    assert_eq!(tb.out(&[("a", 0x80)], "ext"), 0xff80);
}

#[test]
fn selects_concat_and_replication() {
    let d = compile(
        "module t(input logic [15:0] x, input logic [3:0] i, output logic [3:0] nib, output logic [3:0] up,
                  output logic [3:0] down, output logic bit_i, output logic [11:0] rep, output logic [15:0] w);
           assign nib = x[7:4];
           assign up = x[i +: 4];
           assign down = x[i -: 4];
           assign bit_i = x[i];
           assign rep = {3{x[3:0]}};
           always_comb begin
             w = x;
             w[i] = ~x[i];
           end
         endmodule",
    );
    let tb = Tb::new(d);
    let x = 0xabcd;
    assert_eq!(tb.out(&[("x", x)], "nib"), 0xc);
    assert_eq!(tb.out(&[("x", x), ("i", 4)], "up"), 0xc);
    assert_eq!(tb.out(&[("x", x), ("i", 7)], "down"), 0xc);
    assert_eq!(tb.out(&[("x", x), ("i", 15)], "bit_i"), 1);
    assert_eq!(tb.out(&[("x", x), ("i", 1)], "bit_i"), 0);
    assert_eq!(tb.out(&[("x", x)], "rep"), 0xddd);
    assert_eq!(tb.out(&[("x", x), ("i", 0)], "w"), 0xabcc);
    assert_eq!(tb.out(&[("x", x), ("i", 15)], "w"), 0x2bcd);
}

#[test]
fn case_forms_and_inside() {
    let d = compile(
        "module t(input logic [3:0] s, output logic [1:0] y, output logic [1:0] z, output logic [1:0] q, output logic r);
           always_comb begin
             unique case (s)
               4'd0, 4'd1: y = 2'd1;
               4'd2: y = 2'd2;
               default: y = 2'd3;
             endcase
           end
           always_comb begin
             casez (s)
               4'b1???: z = 2'd3;
               4'b01??: z = 2'd2;
               default: z = 2'd0;
             endcase
           end
           always_comb begin
             case (s) inside
               [4'd4:4'd7]: q = 2'd1;
               4'b1?0?: q = 2'd2;
               default: q = 2'd0;
             endcase
           end
           assign r = s inside {4'd3, [4'd10:4'd12]};
         endmodule",
    );
    let tb = Tb::new(d);
    let y = |s| tb.out(&[("s", s)], "y");
    assert_eq!((y(0), y(1), y(2), y(9)), (1, 1, 2, 3));
    let z = |s| tb.out(&[("s", s)], "z");
    assert_eq!((z(0b1000), z(0b0110), z(0b0010)), (3, 2, 0));
    let q = |s| tb.out(&[("s", s)], "q");
    assert_eq!((q(5), q(0b1100), q(0b1110), q(0)), (1, 2, 0, 0));
    let r = |s| tb.out(&[("s", s)], "r");
    assert_eq!((r(3), r(11), r(9)), (1, 1, 0));
}

#[test]
fn functions_loops_and_generate() {
    let d = compile(
        "module t #(parameter int N = 4) (input logic [7:0] x, output logic [3:0] ones, output logic [7:0] rev,
                                          output logic [7:0] first_set, output logic [N-1:0] g);
           function automatic logic [3:0] popcount(input logic [7:0] v);
             logic [3:0] c;
             c = 0;
             for (int k = 0; k < 8; k++) c += v[k];
             return c;
           endfunction
           assign ones = popcount(x);
           always_comb begin
             for (int k = 0; k < 8; k = k + 1) rev[k] = x[7-k];
           end
           always_comb begin
             first_set = 8'hff;
             for (int k = 0; k < 8; k++) begin
               if (x[k]) begin
                 first_set = k;
                 break;
               end
             end
           end
           for (genvar j = 0; j < N; j++) begin : gen_g
             if (j % 2 == 0) begin : even
               assign g[j] = x[j];
             end else begin : odd
               assign g[j] = ~x[j];
             end
           end
         endmodule",
    );
    let tb = Tb::new(d);
    assert_eq!(tb.out(&[("x", 0b1011_0110)], "ones"), 5);
    assert_eq!(tb.out(&[("x", 0b1011_0110)], "rev"), 0b0110_1101);
    assert_eq!(tb.out(&[("x", 0b1011_0000)], "first_set"), 4);
    assert_eq!(tb.out(&[("x", 0)], "first_set"), 0xff);
    assert_eq!(tb.out(&[("x", 0b0101)], "g"), 0b1111);
    assert_eq!(tb.out(&[("x", 0b1010)], "g"), 0b0000);
}

#[test]
fn hierarchy_parameters_and_connections() {
    let src = "module add #(parameter W = 4) (input logic [W-1:0] a, input logic [W-1:0] b, output logic [W:0] s);
                 assign s = a + b;
               endmodule
               module t #(parameter TOPW = 8) (input logic [7:0] a, input logic [7:0] b, output logic [8:0] s1,
                          output logic [8:0] s2, output logic [8:0] s3, output logic [4:0] s4);
                 add #(.W(TOPW)) u_named (.a(a), .b(b), .s(s1));
                 add #(8) u_pos (a, b, s2);
                 logic [8:0] s;
                 add #(.W(8)) u_star (.*);
                 assign s3 = s;
                 add u_default (.a(a[3:0]), .b, .s(s4));
               endmodule";
    let d = compile(src);
    assert!(d.names.iter().any(|n| n.name == "t.u_named.s"));
    let tb = Tb::new(d);
    let ins = [("a", 0xf0), ("b", 0x20)];
    assert_eq!(tb.out(&ins, "s1"), 0x110);
    assert_eq!(tb.out(&ins, "s2"), 0x110);
    assert_eq!(tb.out(&ins, "s3"), 0x110);
    assert_eq!(tb.out(&[("a", 0x0f), ("b", 0x01)], "s4"), 0x10);
    // -G overrides a top parameter.
    let d = compile_with(
        src,
        ElabOptions {
            top: Some("t".into()),
            params: vec![("TOPW".into(), "4".into())],
            global_clock: false,
            ..Default::default()
        },
    );
    let tb = Tb::new(d);
    assert_eq!(tb.out(&[("a", 0x0f), ("b", 0x01)], "s1"), 0x010);
}

/// An `initial` block that reads a variable sees its declaration
/// initialiser; without one (an input, a four-state register with no
/// initial value) the value is unknown at time 0, so what it sets has no
/// initial value (free in formal, random in simulation) and is held like
/// an `anyconst` when nothing else drives it, with warning W0312. It was
/// read as 0: `initial x = in;` + `assert (x == 0)` passed.
#[test]
fn initial_reads_see_initialisers_and_unknowns_stay_free() {
    let d = compile(
        "module t(input logic clk, output logic [3:0] q);
           logic [3:0] y = 4'd3;
           logic [3:0] x;
           initial x = y + 1;
           always @(posedge clk) x <= x + 1;
           assign q = x;
         endmodule",
    );
    let x = d
        .regs
        .iter()
        .find(|r| r.name == "t.x")
        .expect("register t.x");
    assert_eq!(x.init, Some(Bits::from_u64(4, 4)));
    // Two-state variables start at 0 (6.8): `int c` counts from 0 in
    // formal too (it started free: a cover `c == 2` was hit at cycle 0).
    let d = compile(
        "module t(input logic clk, output logic [3:0] q);
           int c;
           int x;
           always_ff @(posedge clk) c <= c + 1;
           initial x = c - 1;
           always_ff @(posedge clk) x <= x;
           assign q = c[3:0] ^ x[3:0];
         endmodule",
    );
    let c = d
        .regs
        .iter()
        .find(|r| r.name == "t.c")
        .expect("register t.c");
    assert_eq!(c.init, Some(Bits::zero(32)));
    let x = d
        .regs
        .iter()
        .find(|r| r.name == "t.x")
        .expect("register t.x");
    assert_eq!(x.init, Some(Bits::from_u64(32, 0xffff_ffff)));
    let c = rtl::compile_text(
        "t.sv",
        "module t(input logic clk, input logic [3:0] in, output logic [3:0] q, output logic o);
           logic [3:0] x = 4'd1;
           logic [15:0] a;
           logic b;
           initial begin x = in; b = a[11]; end
           always @(posedge clk) x <= x + 1;
           assign q = x;
           assign o = b;
         endmodule",
        ElabOptions::default(),
    );
    let e = c.result.expect("an unknown initial value is accepted");
    let w: Vec<&str> = e.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(w, ["W0312", "W0312"], "{:?}", e.warnings);
    assert!(e.warnings[0].message.contains("`t.in`"));
    let d = e.design;
    // The declared 1 is overwritten by an unknown: no initial value.
    let x = d
        .regs
        .iter()
        .find(|r| r.name == "t.x")
        .expect("register t.x");
    assert_eq!(x.init, None);
    // Nothing else drives `b`: a free register that keeps its value.
    let b = d
        .regs
        .iter()
        .find(|r| r.name == "t.b")
        .expect("register t.b");
    assert_eq!(b.init, None);
    assert_eq!(b.next, b.node, "held");
    let o = d.outputs.iter().find(|o| o.name == "o").expect("output o");
    assert_eq!(o.node, b.node);
}

#[test]
fn registers_resets_and_initial_values() {
    let d = compile(
        "module t(input logic clk, input logic rst_n, input logic en, output logic [3:0] q, output logic [3:0] p);
           always_ff @(posedge clk or negedge rst_n)
             if (!rst_n) q <= 4'd5;
             else if (en) q <= q + 1;
           logic [3:0] r = 4'd9;
           always @(posedge clk) r <= r + 2;
           assign p = r;
         endmodule",
    );
    assert_eq!(d.clock.as_deref(), Some("clk"));
    assert_eq!(d.regs.len(), 2);
    assert!(
        d.inputs.iter().all(|i| i.name != "clk"),
        "the clock is implicit"
    );
    let r = d
        .regs
        .iter()
        .find(|r| r.name == "t.r")
        .expect("register t.r");
    assert_eq!(r.init, Some(Bits::from_u64(4, 9)));
    let mut tb = Tb::new(d);
    // Asynchronous reset: visible as soon as it is asserted, before any edge.
    assert_eq!(tb.out(&[("rst_n", 0)], "q"), 5);
    tb.step(&[("rst_n", 0)]);
    tb.step(&[("rst_n", 1), ("en", 1)]);
    tb.step(&[("rst_n", 1), ("en", 1)]);
    assert_eq!(tb.out(&[("rst_n", 1)], "q"), 7);
    assert_eq!(tb.out(&[("rst_n", 1)], "p"), 9 + 6);
}

#[test]
fn enums_structs_and_packages() {
    let d = compile(
        "package p;
           typedef enum logic [1:0] { IDLE, RUN = 2'd2, DONE } state_t;
           typedef struct packed { logic [3:0] hi; logic [3:0] lo; } pair_t;
           localparam int K = 3;
         endpackage
         module t import p::*; (input logic clk, input logic go, input pair_t pr, output state_t st,
                                output logic [3:0] lo, output logic [7:0] k, output logic [7:0] sw);
           state_t s = IDLE;
           always_ff @(posedge clk)
             case (s)
               IDLE: if (go) s <= RUN;
               RUN: s <= DONE;
               default: s <= IDLE;
             endcase
           assign st = s;
           assign lo = pr.lo;
           assign k = p::K;
           logic [1:0][3:0] arr;
           assign arr = pr;
           assign sw = {arr[0], arr[1]};
         endmodule",
    );
    let r = d
        .regs
        .iter()
        .find(|r| r.name == "t.s")
        .expect("state register");
    let names: Vec<&str> = r.enum_values.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["IDLE", "RUN", "DONE"]);
    assert_eq!(r.enum_values[2].value, Bits::from_u64(2, 3));
    let mut tb = Tb::new(d);
    assert_eq!(tb.out(&[], "st"), 0);
    tb.step(&[("go", 1)]);
    assert_eq!(tb.out(&[], "st"), 2);
    tb.step(&[]);
    assert_eq!(tb.out(&[], "st"), 3);
    assert_eq!(tb.out(&[("pr", 0xa5)], "lo"), 5);
    assert_eq!(tb.out(&[], "k"), 3);
    assert_eq!(tb.out(&[("pr", 0xa5)], "sw"), 0x5a);
}

#[test]
fn enum_methods_first_last_next_prev_num() {
    // IEEE 1800 6.19.5: next/prev wrap; a non-member gives the base type's
    // default (0 for `int`), so next() of 7 is 0 here.
    let d = compile(
        "module t(input logic [31:0] v, output int f, output int l, output int n1,
                  output int n2, output int p1, output int num, output int lo);
           typedef enum { A = 1, B = 3, C = 7 } e_t;
           e_t x;
           assign x = e_t'(v);
           assign f = x.first();
           assign l = x.last();
           assign n1 = x.next();
           assign n2 = x.next(2);
           assign p1 = x.prev();
           assign num = x.num();
           typedef enum logic [1:0] { P, Q } l_t;
           l_t y;
           assign y = l_t'(v[1:0]);
           assign lo = y.next();
         endmodule",
    );
    let has_free = d.inputs.iter().any(|i| i.name.starts_with("$x@"));
    assert!(
        has_free,
        "a four-state base gives x (free) for a non-member"
    );
    let tb = Tb::new(d);
    for (v, next, next2, prev) in [(1, 3, 7, 7), (3, 7, 1, 1), (7, 1, 3, 3), (5, 0, 0, 0)] {
        assert_eq!(tb.out(&[("v", v)], "f"), 1);
        assert_eq!(tb.out(&[("v", v)], "l"), 7);
        assert_eq!(tb.out(&[("v", v)], "num"), 3);
        assert_eq!(tb.out(&[("v", v)], "n1"), next, "next of {v}");
        assert_eq!(tb.out(&[("v", v)], "n2"), next2, "next(2) of {v}");
        assert_eq!(tb.out(&[("v", v)], "p1"), prev, "prev of {v}");
    }
    assert_eq!(tb.out(&[("v", 0)], "lo"), 1);
    assert_eq!(tb.out(&[("v", 1)], "lo"), 0);
    let (m, line) = error(
        "module t(output int o);
           typedef enum { A, B } e_t;
           e_t x = A;
           logic [7:0] s;
           assign s = x.name();
           assign o = x;
         endmodule",
    );
    assert!(m.contains("`.name()`") && m.contains("string"), "{m}");
    assert_eq!(line, 5);
    let (m, _) = error(
        "module t(input logic [3:0] a, output int o);
           assign o = a.first();
         endmodule",
    );
    assert!(m.contains("not an enum"), "{m}");
}

#[test]
fn streaming_concatenation_reorders_slices() {
    // The LRM's examples (11.4.14.2) and the sv-tests ones, on inputs.
    let d = compile(
        "module t(input logic [5:0] x, input logic [3:0] n, input logic [31:0] a,
                  input logic [31:0] b, output logic [5:0] l4, output logic [5:0] r4,
                  output logic [3:0] nest, output logic [31:0] bytes, output logic [31:0] ty,
                  output logic [63:0] both, output logic [79:0] pad, output logic [5:0] bits);
           assign l4 = {<< 4 {x}};
           assign r4 = {>> 4 {x}};
           assign nest = {<< 2 {{<< {n}}}};
           assign bytes = {<< 8 {a}};
           assign ty = {<< byte {a}};
           assign both = {>> 8 {a, b}};
           assign pad = {<< 32 {a, b}};
           assign bits = {<<{x}};
         endmodule",
    );
    let tb = Tb::new(d);
    assert_eq!(
        tb.out(&[("x", 0b11_0101)], "l4"),
        0b01_0111,
        "LRM: 6'b0101_11"
    );
    assert_eq!(tb.out(&[("x", 0b11_0101)], "r4"), 0b11_0101);
    assert_eq!(tb.out(&[("n", 0b1101)], "nest"), 0b1110);
    assert_eq!(tb.out(&[("a", 0x4142_4344)], "bytes"), 0x4443_4241);
    assert_eq!(tb.out(&[("a", 0x4142_4344)], "ty"), 0x4443_4241);
    let ab = [("a", 0x4142_4344), ("b", 0x4546_4748)];
    assert_eq!(tb.out(&ab, "both"), 0x4142_4344_4546_4748);
    // A stream narrower than its target is left-aligned, zero-padded.
    let pad = tb.get(&ab, "pad");
    assert_eq!(pad.slice(16, 64).to_u64(), Some(0x4546_4748_4142_4344));
    assert_eq!(pad.slice(0, 16).to_u64(), Some(0));
    assert_eq!(tb.out(&[("x", 0b11_0100)], "bits"), 0b00_1011);
    let (m, line) = error(
        "module t(input int a, input int b, output int d);
           assign d = {<<{a, b}};
         endmodule",
    );
    assert!(m.contains("64 bits, more than the 32 bits"), "{m}");
    assert_eq!(line, 2);
}

#[test]
fn assignments_inside_an_assignments_source() {
    // IEEE 1800 11.3.6: the inner assignment runs first; a postfix `++`
    // yields the old value.
    let d = compile(
        "module t(input logic [7:0] x, output logic [7:0] b, output logic [7:0] c,
                  output logic [7:0] d, output logic [7:0] e, output logic [7:0] f,
                  output logic [7:0] g, output logic [7:0] h, output logic [7:0] k);
           always_comb begin
             c = x;
             b = (c -= 1);
             d = (e = (f = x + 2));
             g = (++c);
             h = c++;
             k = x;
             k += (c = 3);
           end
         endmodule",
    );
    let tb = Tb::new(d);
    let x = [("x", 10)];
    assert_eq!(tb.out(&x, "b"), 9);
    assert_eq!(tb.out(&x, "d"), 12);
    assert_eq!(tb.out(&x, "e"), 12);
    assert_eq!(tb.out(&x, "f"), 12);
    assert_eq!(tb.out(&x, "g"), 10);
    assert_eq!(tb.out(&x, "h"), 10);
    assert_eq!(tb.out(&x, "c"), 3);
    assert_eq!(tb.out(&x, "k"), 13);
}

#[test]
fn a_loop_variable_shared_by_combinational_blocks() {
    // `integer i` used by `for` loops in two `always @*` blocks (common in
    // Verilog-2001 code, ZipCPU's addrdecode.v): each block sets it before
    // reading it, so it is no driver conflict; outside them it is free.
    let d = compile(
        "module t(input logic [3:0] a, output reg [3:0] x, output reg [3:0] y,
                  output logic [31:0] z);
           integer i;
           always @(*)
             for (i = 0; i < 4; i = i + 1) x[i] = a[3 - i];
           always @(*) begin
             for (i = 0; i < 4; i = i + 1) y[i] = ~a[i];
           end
           assign z = i;
         endmodule",
    );
    let ins: Vec<&str> = d.inputs.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(ins, ["a", "i"], "outside the blocks `i` is a free input");
    let tb = Tb::new(d);
    assert_eq!(tb.out(&[("a", 0b0001)], "x"), 0b1000);
    assert_eq!(tb.out(&[("a", 0b0001)], "y"), 0b1110);
    assert_eq!(tb.out(&[("i", 77)], "z"), 77);
    // A block that reads the variable before setting it does depend on
    // the other's value: still two drivers.
    let (m, _) = error(
        "module t(input logic [3:0] a, output logic [3:0] x, output logic [3:0] y);
           logic [3:0] k;
           always @(*) begin x = k; k = a; end
           always @(*) begin k = ~a; y = k; end
         endmodule",
    );
    assert!(m.contains("multiple drivers for `t.k`"), "{m}");
}

#[test]
fn enum_name_ranges() {
    // 6.19.2: `n[N]` is n0..n(N-1), `n[A:B]` is nA..nB; values count on.
    let d = compile(
        "module t(output int a, output int b, output int c, output int d, output int e);
           typedef enum { start = 10, step[3], stop[7:5] = 40, last } e_t;
           assign a = step0;
           assign b = step2;
           assign c = stop7;
           assign d = stop5;
           assign e = last;
         endmodule",
    );
    let tb = Tb::new(d);
    assert_eq!(tb.out(&[], "a"), 11);
    assert_eq!(tb.out(&[], "b"), 13);
    assert_eq!(tb.out(&[], "c"), 40);
    assert_eq!(tb.out(&[], "d"), 42);
    assert_eq!(tb.out(&[], "e"), 43);
}

#[test]
fn replication_in_an_assignment_pattern() {
    let d = compile(
        "module t(input logic [7:0] a, output logic [31:0] p, output logic [7:0] u0,
                  output logic [7:0] u3, output logic [7:0] u5);
           logic [3:0][7:0] pk;
           assign pk = '{2{a, 8'h5}};
           assign p = pk;
           logic [7:0] up [0:5];
           assign up = '{3{8'd4, a}};
           assign u0 = up[0];
           assign u3 = up[3];
           assign u5 = up[5];
         endmodule",
    );
    let tb = Tb::new(d);
    let a = [("a", 0x7e)];
    assert_eq!(tb.out(&a, "p"), 0x7e05_7e05);
    assert_eq!(tb.out(&a, "u0"), 4);
    assert_eq!(tb.out(&a, "u3"), 0x7e);
    assert_eq!(tb.out(&a, "u5"), 0x7e);
    let (m, line) = error(
        "module t(output logic [15:0] p);
           localparam N = 2;
           assign p = '{N{8'h1}};
         endmodule",
    );
    assert!(m.contains("not a positive literal"), "{m}");
    assert_eq!(line, 3);
}

#[test]
fn memories_read_write_and_init() {
    let d = compile(
        "module t(input logic clk, input logic we, input logic [2:0] wa, input logic [7:0] wd,
                  input logic [2:0] ra, output logic [7:0] rd);
           logic [7:0] mem [0:7];
           initial begin
             for (int i = 0; i < 8; i++) mem[i] = i * 3;
           end
           always_ff @(posedge clk) if (we) mem[wa] <= wd;
           assign rd = mem[ra];
         endmodule",
    );
    assert_eq!(d.mems.len(), 1);
    assert_eq!(d.mems[0].depth, 8);
    let mut tb = Tb::new(d);
    assert_eq!(tb.out(&[("ra", 5)], "rd"), 15);
    tb.step(&[("we", 1), ("wa", 5), ("wd", 0x77)]);
    assert_eq!(tb.out(&[("ra", 5)], "rd"), 0x77);
    assert_eq!(tb.out(&[("ra", 4)], "rd"), 12);
}

#[test]
fn immediate_assertions_become_properties() {
    let d = compile(
        "module t(input logic clk, input logic [3:0] x);
           logic [3:0] c = 0;
           always_ff @(posedge clk) begin
             c <= c + 1;
             a_small: assert (c < 4'd3);
           end
           always_comb begin
             if (x == 4'd7) cover (1);
             assume (x != 4'd9);
           end
           logic past_ok = 0;
           always_ff @(posedge clk) begin
             past_ok <= 1;
             if (past_ok) a_past: assert ($past(c) + 4'd1 == c);
           end
         endmodule",
    );
    let kinds: Vec<(String, PropKind)> = d.props.iter().map(|p| (p.name.clone(), p.kind)).collect();
    assert!(kinds.contains(&("t.a_small".into(), PropKind::Assert)));
    assert!(kinds.iter().any(|(_, k)| *k == PropKind::Cover));
    assert!(kinds.iter().any(|(_, k)| *k == PropKind::Assume));
    let mut tb = Tb::new(d);
    assert!(tb.firing(&[]).is_empty());
    assert!(tb
        .firing(&[("x", 7)])
        .iter()
        .any(|n| n.starts_with("t.cover")));
    assert!(tb
        .firing(&[("x", 9)])
        .iter()
        .any(|n| n.starts_with("t.assume")));
    for _ in 0..3 {
        tb.step(&[]);
    }
    assert_eq!(tb.firing(&[]), vec!["t.a_small".to_string()]);
}

#[test]
fn errors_name_the_problem_and_line() {
    let (m, l) = error(
        "module t(output logic a, output logic b);\n assign a = b;\n assign b = a;\nendmodule",
    );
    assert!(m.contains("combinational loop"), "{m}");
    assert!(l >= 1);
    assert_eq!(
        code(
            "module t(output logic a, output logic b);\n assign a = b;\n assign b = a;\nendmodule"
        ),
        "E0321"
    );
    let (m, l) = error(
        "module t(input logic x, output logic a);\n assign a = x;\n assign a = ~x;\nendmodule",
    );
    assert!(m.contains("multiple drivers"), "{m}");
    assert_eq!(l, 3);
    assert_eq!(
        code(
            "module t(input logic x, output logic a);\n assign a = x;\n assign a = ~x;\nendmodule"
        ),
        "E0320"
    );
    // An incomplete always_comb is a latch: a warning (no longer an error),
    // and the value holds while the enable is off.
    let c = rtl::compile_text(
        "t.sv",
        "module t(input logic clk, input logic x, input logic y, output logic a);\n always_ff @(posedge clk) ; \n always_comb if (x) a = y;\nendmodule",
        ElabOptions::default(),
    );
    let e = c.result.expect("a latch is accepted");
    assert!(
        e.warnings
            .iter()
            .any(|w| w.message.contains("latch inferred for `t.a`")),
        "latch warning"
    );
    assert!(
        e.warnings.iter().any(|w| w.code.as_str() == "W0301"),
        "latch warning code"
    );
    let mut tb = Tb::new(e.design);
    assert_eq!(tb.out(&[("x", 1), ("y", 1)], "a"), 1, "transparent");
    tb.step(&[("x", 1), ("y", 1)]);
    assert_eq!(tb.out(&[("x", 0), ("y", 0)], "a"), 1, "holds 1");
    tb.step(&[("x", 0), ("y", 0)]);
    assert_eq!(tb.out(&[("x", 0), ("y", 0)], "a"), 1, "still holds");
    assert_eq!(tb.out(&[("x", 1), ("y", 0)], "a"), 0, "transparent again");
    tb.step(&[("x", 1), ("y", 0)]);
    assert_eq!(tb.out(&[("x", 0), ("y", 1)], "a"), 0, "holds 0");
    // A constant data leg folds the mux into logic: still a latch.
    let d =
        compile("module t(input logic x, output logic a);\n always_comb if (x) a = 1;\nendmodule");
    assert_eq!(d.regs.len(), 1, "one latch register");
    // A true loop through logic is still refused.
    let (m, _) = error("module t(input logic x, output logic [3:0] a);\n always_comb if (x) a = a + 4'd1;\nendmodule");
    assert!(m.contains("combinational loop"), "{m}");
    // Two clocks run on a global clock (tests/multiclock.rs); a clock made
    // from the register it clocks is refused where it is written.
    let (m, l) = error(
        "module t(output logic a);\n initial a = 0;\n always_ff @(posedge a) a <= ~a;\nendmodule",
    );
    assert!(m.contains("loop of clocks"), "{m}");
    assert_eq!(l, 3);
    assert_eq!(
        code("module t(output logic a);\n initial a = 0;\n always_ff @(posedge a) a <= ~a;\nendmodule"),
        "E0330"
    );
    let (m, l) = error("module t(output logic [3:0] a);\n assign a = 4'd17;\nendmodule");
    assert!(m.contains("does not fit"), "{m}");
    assert_eq!(l, 2);
    assert_eq!(
        code("module t(output logic [3:0] a);\n assign a = 4'd17;\nendmodule"),
        "E0310"
    );
    let (m, l) = error("module t(output logic a);\n nosuch u(.a(a));\nendmodule");
    assert!(m.contains("unknown module `nosuch`"), "{m}");
    assert_eq!(l, 2);
    assert_eq!(
        code("module t(output logic a);\n nosuch u(.a(a));\nendmodule"),
        "E0302"
    );
    let (m, l) = error("module t(output logic a);\n assign a = b;\nendmodule");
    assert!(m.contains("`b` is not declared"), "{m}");
    assert_eq!(l, 2);
    assert_eq!(
        code("module t(output logic a);\n assign a = b;\nendmodule"),
        "E0301"
    );
    let (m, _) = error("module t(input logic [3:0] n, output logic [3:0] a);\n always_comb begin a = 0; for (int i = 0; i < n; i++) a = a + 1; end\nendmodule");
    assert!(m.contains("loop condition"), "{m}");
    assert_eq!(code("module t(input logic [3:0] n, output logic [3:0] a);\n always_comb begin a = 0; for (int i = 0; i < n; i++) a = a + 1; end\nendmodule"), "E0351");
}

#[test]
fn errors_point_at_the_other_places_involved() {
    // Multiple drivers: the first driver is a secondary label.
    let (d, text) = diagnostic(
        "module t(input logic x, output logic a);\n assign a = x;\n assign a = ~x;\nendmodule",
    );
    assert_eq!(d.code.as_str(), "E0320");
    assert_eq!(d.secondary.len(), 1, "{text}");
    assert_eq!(d.secondary[0].1, "also driven here");
    assert!(text.contains("also driven here"), "{text}");
    // Declared twice: where it was declared first.
    let (d, text) = diagnostic(
        "module t(input logic x, output logic a);\n logic w;\n logic w;\n assign w = x;\n assign a = w;\nendmodule",
    );
    assert_eq!(d.code.as_str(), "E0304", "{text}");
    assert!(text.contains("first declared here"), "{text}");
    assert!(text.contains("t.sv:3:"), "{text}");
    // A combinational loop: the other signals of the loop.
    let (d, text) = diagnostic(
        "module t(output logic a, output logic b);\n assign a = b;\n assign b = a;\nendmodule",
    );
    assert_eq!(d.code.as_str(), "E0321");
    assert!(!d.secondary.is_empty(), "{text}");
    assert!(text.contains("is part of the loop"), "{text}");
    // Two enum names with one value.
    let (d, text) = diagnostic(
        "module t(output int o);\n typedef enum { A = 1, B = 1 } e_t;\n e_t x = A;\n assign o = x;\nendmodule",
    );
    assert_eq!(d.code.as_str(), "E0304", "{text}");
    assert!(text.contains("`A` has the same value"), "{text}");
}

#[test]
fn elaboration_error_families_have_their_own_codes() {
    let cases = [
        // A system function verify does not model.
        ("module t(output int o);\n assign o = $random;\nendmodule", "E0371"),
        // A system task outside where it is allowed.
        ("module t(input logic c, output logic o);\n always_ff @(posedge c) begin o <= 1; $nosuchtask; end\nendmodule", "E0371"),
        // A function called with the wrong number of arguments.
        ("module t(output int o);\n function int f(input int a); return a; endfunction\n assign o = f(1, 2);\nendmodule", "E0370"),
        // A void function used as a value.
        ("module t(output int o);\n function void f(); endfunction\n assign o = f();\nendmodule", "E0370"),
        // A parameter assigned.
        ("module t(input logic c, output logic o);\n localparam P = 1;\n always_ff @(posedge c) begin P <= 0; o <= 1; end\nendmodule", "E0306"),
        // A net assigned in a procedural block.
        ("module t(input logic c, output logic o);\n wire w;\n always_ff @(posedge c) w <= 1;\n assign o = w;\nendmodule", "E0306"),
        // A type where a value is needed.
        ("module t(output int o);\n typedef logic [3:0] n_t;\n assign o = n_t;\nendmodule", "E0305"),
        // An unpacked array used as an integral value.
        ("module t(input logic [3:0] a [2], output logic [3:0] o);\n assign o = a + 1;\nendmodule", "E0311"),
        // A pattern with too many values for its struct.
        ("module t(output logic [7:0] o);\n typedef struct packed { logic [3:0] x, y; } s_t;\n s_t s;\n assign s = '{1, 2, 3};\n assign o = s;\nendmodule", "E0312"),
        // A loop that does not end.
        ("module t(output int o);\n always_comb begin o = 0; for (int i = 0; i >= 0; i = i) o = o + 1; end\nendmodule", "E0380"),
        // Testbench timing.
        ("module t(output logic o);\n initial begin o = 0; #5 o = 1; end\nendmodule", "E0390"),
    ];
    for (src, want) in cases {
        let c = rtl::compile_text("t.sv", src, ElabOptions::default());
        match c.result {
            Ok(_) => panic!("expected {want} for\n{src}"),
            Err(e) => {
                let d = &e.diags[0];
                assert_eq!(d.code.as_str(), want, "{}\n{src}", d.message);
            }
        }
    }
}

#[test]
fn top_selection() {
    let (m, _) = error("module a; endmodule\nmodule b; endmodule");
    assert!(m.contains("several modules could be the top (a, b)"), "{m}");
    assert_eq!(code("module a; endmodule\nmodule b; endmodule"), "E0303");
}

#[test]
fn operator_precedence_and_associativity() {
    // sv-parser leaves precedence to us: every line here was wrong once.
    let d = compile(
        "module t(input logic [7:0] a, input logic [7:0] b, input logic [7:0] c, input logic s,
                  output logic [7:0] sub, output logic [7:0] mulsub, output logic eqz, output logic [7:0] tern,
                  output logic [7:0] tern2, output logic orand, output logic [7:0] shl, output logic [7:0] nested,
                  output logic rel, output logic ins, output logic [7:0] pw);
           localparam int N = 4;
           localparam int M = N * 8 - 1;     // 31, not 28
           assign sub = a - b - c;
           assign mulsub = a * b - c;
           assign eqz = a % 2 == 0;
           assign tern = a == b ? c : 8'd7;
           assign tern2 = s ? a : b + c;
           assign orand = a[0] | b[0] & c[0];
           assign shl = a << 1 + b[1:0];
           assign nested = s ? a : b == c ? 8'd1 : 8'd2;
           assign rel = a < b == c[0];
           assign ins = a + b inside {8'd10};
           assign pw = 2 ** 3 * M;
         endmodule",
    );
    let tb = Tb::new(d);
    let v = |a: u64, b: u64, c: u64, s: u64, n: &str| {
        tb.out(&[("a", a), ("b", b), ("c", c), ("s", s)], n)
    };
    assert_eq!(v(10, 3, 2, 0, "sub"), 5);
    assert_eq!(v(3, 4, 2, 0, "mulsub"), 10);
    assert_eq!(v(4, 0, 0, 0, "eqz"), 1);
    assert_eq!(v(5, 0, 0, 0, "eqz"), 0);
    assert_eq!(v(1, 1, 9, 0, "tern"), 9);
    assert_eq!(v(1, 2, 9, 0, "tern"), 7);
    assert_eq!(v(1, 2, 3, 0, "tern2"), 5);
    assert_eq!(v(1, 0, 0, 0, "orand"), 1);
    assert_eq!(v(1, 1, 0, 0, "shl"), 4);
    assert_eq!(v(1, 3, 3, 0, "nested"), 1);
    assert_eq!(v(1, 3, 4, 0, "nested"), 2);
    assert_eq!(v(1, 2, 1, 0, "rel"), 1);
    assert_eq!(v(7, 3, 0, 0, "ins"), 1);
    assert_eq!(v(0, 0, 0, 0, "pw"), 8 * 31);
}

/// A testbench in the sv-tests style: the clock generator's `forever`
/// body in its own begin/end, and `initial #1000 $finish` (run length,
/// dropped with a warning: the run is --cycles long).
#[test]
fn testbench_clock_in_a_forever_block_and_delayed_finish() {
    let src = "module t;
                 logic clk;
                 logic [3:0] n;
                 initial begin clk = 0; n = 0; end
                 always @(posedge clk) n <= n + 1;
                 initial begin
                   forever begin
                     #(50) clk = ~clk;
                   end
                 end
                 initial #1000 $finish;
               endmodule";
    let c = rtl::compile_text("t.sv", src, ElabOptions::default());
    let e = match c.result {
        Ok(e) => e,
        Err(e) => panic!("{}", e.render(&c.sources, false)),
    };
    assert_eq!(e.design.clock.as_deref(), Some("clk"));
    assert!(
        e.warnings
            .iter()
            .any(|w| w.message.contains("$finish` ignored")),
        "{:?}",
        e.warnings
    );
    // A delayed statement that is not run control stays refused.
    let (m, line) = error(
        "module t(input logic clk);
           logic a;
           initial #10 a = 1;
         endmodule",
    );
    assert!(m.contains("delay"), "{m}");
    assert_eq!(line, 3);
}

#[test]
fn foreach_walks_every_dimension_from_left_to_right() {
    let d = compile(
        "module t(input logic [31:0] a, input logic [7:0] p,
                  output logic [9:0] sum, output logic [3:0] ones,
                  output logic [15:0] order, output logic [31:0] rev);
           logic [7:0] w [4];
           always_comb foreach (w[i]) w[i] = a[8*i +: 8];
           // One loop variable: the unpacked dimension.
           always_comb begin
             sum = 0;
             foreach (w[i]) sum = sum + 10'(w[i]);
           end
           // Two: the packed dimensions [3:0][1:0] of a 2-D packed value.
           logic [3:0][1:0] q;
           assign q = p;
           always_comb begin
             ones = 0;
             foreach (q[j, b]) if (q[j][b]) ones = ones + 1;
           end
           // The order of a descending range: 3, 2, 1, 0.
           always_comb begin
             order = 0;
             foreach (q[j]) order = {order[11:0], 4'(j)};
           end
           // A memory-shaped array [0:3] (ascending), a skipped variable.
           logic [7:0] m [0:3];
           always_comb foreach (m[k]) m[k] = w[3 - k];
           always_comb foreach (m[k]) rev[8*k +: 8] = m[k];
         endmodule",
    );
    let tb = Tb::new(d);
    let ins = [("a", 0x04030201), ("p", 0b1011_0110)];
    assert_eq!(tb.out(&ins, "sum"), 10);
    assert_eq!(tb.out(&ins, "ones"), 5);
    assert_eq!(tb.out(&ins, "order"), 0x3210);
    assert_eq!(tb.out(&ins, "rev"), 0x01020304);
    let (m, _) = error(
        "module t(output logic [3:0] y);
           logic [3:0] w [2];
           always_comb foreach (w[i, j, k]) y = 0;
         endmodule",
    );
    assert!(m.contains("3 loop variables"), "{m}");
}

#[test]
fn type_parameters_take_their_default_or_the_instance_type() {
    let d = compile(
        "package p; typedef struct packed { logic [3:0] hi; logic [3:0] lo; } pair_t; endpackage
         module inc #(parameter type T = logic [3:0]) (input T a, output T y);
           assign y = a + 1'b1;
         endmodule
         module swap #(type S = p::pair_t) (input S a, output S y);
           localparam type H = logic [$bits(S) / 2 - 1:0];
           H t;
           assign t = a.hi;
           assign y = {a.lo, t};
         endmodule
         module t(input logic [7:0] x, output logic [3:0] y4, output logic [7:0] y8,
                  output logic [7:0] s);
           inc u4 (.a(x[3:0]), .y(y4));
           inc #(.T(logic [7:0])) u8 (.a(x), .y(y8));
           swap us (.a(x), .y(s));
         endmodule",
    );
    let tb = Tb::new(d);
    assert_eq!(
        tb.out(&[("x", 0xff)], "y4"),
        0x0,
        "the default: 4 bits wrap"
    );
    assert_eq!(tb.out(&[("x", 0x0f)], "y8"), 0x10, "overridden: 8 bits");
    assert_eq!(tb.out(&[("x", 0xa5)], "s"), 0x5a);
    let (m, _) = error(
        "module inc #(parameter type T = logic) (input T a, output T y);
           assign y = a;
         endmodule
         module t(input logic a, output logic y);
           inc #(.T(3)) u (.a, .y);
         endmodule",
    );
    assert!(m.contains("type parameter"), "{m}");
}

#[test]
fn specparams_are_constants() {
    let d = compile(
        "module t(output logic [7:0] y);
           specparam D = 8'd50, E = D + 1;
           assign y = E;
         endmodule",
    );
    assert_eq!(Tb::new(d).out(&[], "y"), 51);
}
