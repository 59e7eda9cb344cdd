//! Free values (issue 15): `(* anyconst *)`, `(* anyseq *)`, `$anyconst`,
//! `$anyseq` (`$all...`) and undriven bits must never read as a quiet 0.
//! An `anyseq` value or an undriven bit is a hidden input (free every
//! cycle in formal, random in simulation); an `anyconst` one is a register
//! with no initial value that keeps it. Checked by evaluation with the
//! IR's reference evaluator: the hidden input's value reaches the readers.

use rtl::elab::ElabOptions;
use rtl::ir::{Design, Op};
use rtl::passes::eval;
use rtl::Bits;

fn compile(src: &str) -> Design {
    let c = rtl::compile_text("t.sv", src, ElabOptions::default());
    match c.result {
        Ok(e) => {
            e.design.validate().expect("valid IR");
            e.design
        }
        Err(e) => panic!("{}", e.render(&c.sources, false)),
    }
}

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

/// The output `name` with the inputs set by name (others 0) and the
/// registers at `regs` (by name, others 0).
fn output(d: &Design, ins: &[(&str, u64)], regs: &[(&str, u64)], name: &str) -> u64 {
    let inputs: Vec<Bits> = d
        .inputs
        .iter()
        .map(|i| {
            let v = ins.iter().find(|(n, _)| *n == i.name).map_or(0, |x| x.1);
            Bits::from_u64(i.width, v)
        })
        .collect();
    let rv: Vec<Bits> = d
        .regs
        .iter()
        .map(|r| {
            let v = regs.iter().find(|(n, _)| *n == r.name).map_or(0, |x| x.1);
            Bits::from_u64(r.width, v)
        })
        .collect();
    let vals = eval::eval_comb(d, &inputs, &rv, &[]);
    let o = d.outputs.iter().find(|o| o.name == name).expect("output");
    vals[o.node.index()].to_u64().expect("fits")
}

fn input_names(d: &Design) -> Vec<(&str, u32)> {
    d.inputs
        .iter()
        .map(|i| (i.name.as_str(), i.width))
        .collect()
}

#[test]
fn undriven_bits_are_hidden_inputs() {
    let d = compile(
        "module t(input logic [3:0] a, output logic [7:0] y, output logic [3:0] z);
           wire [7:0] w;
           assign w[3:0] = a;     // bits 7:4 never driven
           assign y = w;
           wire [3:0] never;
           assign z = never;
         endmodule",
    );
    assert_eq!(
        input_names(&d),
        vec![("a", 4), ("w[7:4]", 4), ("never", 4)],
        "one hidden input per undriven range, named by the signal"
    );
    // The driven bits come from `a`, the undriven ones from their input.
    assert_eq!(output(&d, &[("a", 0x5), ("w[7:4]", 0xc)], &[], "y"), 0xc5);
    assert_eq!(output(&d, &[("never", 0x9)], &[], "z"), 0x9);
}

#[test]
fn unconnected_input_port_is_free() {
    let d = compile(
        "module sub(input logic [2:0] cfg, output logic [2:0] q);
           assign q = cfg;
         endmodule
         module t(output logic [2:0] y);
           sub u(.cfg(), .q(y));
         endmodule",
    );
    assert_eq!(input_names(&d), vec![("u.cfg", 3)]);
    assert_eq!(output(&d, &[("u.cfg", 6)], &[], "y"), 6);
}

#[test]
fn anyseq_is_an_input_and_anyconst_a_holding_register() {
    let d = compile(
        "module t(output logic [7:0] s, output logic [7:0] c,
                  output logic [5:0] fs, output logic [5:0] fc);
           (* anyseq *) logic [7:0] as;
           (* anyconst *) logic [7:0] ac;
           assign s = as;
           assign c = ac;
           assign fs = $anyseq;
           wire [5:0] fcw = $allconst;
           assign fc = fcw;
         endmodule",
    );
    // `anyseq` and `$anyseq` are inputs of their own width (`$anyseq`
    // takes its width from the assignment, like `'1`).
    let ins = input_names(&d);
    assert_eq!(ins[0], ("as", 8));
    assert_eq!(ins.len(), 2);
    assert!(ins[1].0.starts_with("$anyseq@"), "{ins:?}");
    assert_eq!(ins[1].1, 6);
    assert_eq!(output(&d, &[("as", 0xa7)], &[], "s"), 0xa7);
    assert_eq!(output(&d, &[(ins[1].0, 0x2b)], &[], "fs"), 0x2b);
    // `anyconst`: no initial value (free), and the next value is itself.
    let ac = d.regs.iter().find(|r| r.name == "t.ac").expect("t.ac");
    assert_eq!((ac.width, ac.init.clone()), (8, None));
    assert_eq!(ac.next, ac.node);
    assert_eq!(output(&d, &[], &[("t.ac", 0x3c)], "c"), 0x3c);
    let fc = d
        .regs
        .iter()
        .find(|r| r.name.starts_with("t.$allconst@"))
        .expect("a register for $allconst");
    assert_eq!((fc.width, fc.next), (6, fc.node));
    assert!(matches!(d.node(fc.node).op, Op::Reg(_)));
    let fcn = fc.name.clone();
    assert_eq!(output(&d, &[], &[(fcn.as_str(), 0x15)], "fc"), 0x15);
}

#[test]
fn each_anyseq_text_in_a_loop_is_its_own_value() {
    let d = compile(
        "module t(output logic [3:0] v);
           always_comb begin
             for (int i = 0; i < 2; i++) v[i*2 +: 2] = $anyseq;
           end
         endmodule",
    );
    let free: Vec<&str> = d
        .inputs
        .iter()
        .map(|i| i.name.as_str())
        .filter(|n| n.starts_with("$anyseq"))
        .collect();
    assert_eq!(free.len(), 2, "{free:?}");
    assert_eq!(output(&d, &[(free[0], 1), (free[1], 2)], &[], "v"), 0b1001);
}

#[test]
fn other_attributes_are_hints() {
    let d = compile(
        "module t(input logic a, output logic y);
           (* keep *) logic k;
           assign k = a;
           assign y = k;
         endmodule",
    );
    assert_eq!(input_names(&d), vec![("a", 1)]);
}

#[test]
fn free_values_that_are_also_driven_are_refused() {
    let (m, line) = error(
        "module t(input logic a, output logic y);
           (* anyconst *) logic k;
           assign k = a;
           assign y = k;
         endmodule",
    );
    assert!(m.contains("`t.k` is `anyconst` and also driven"), "{m}");
    assert_eq!(line, 3, "the error points at the driver");
    let (m, _) = error(
        "module t(output logic [3:0] y);
           (* anyseq *) logic [3:0] mem [0:3];
           assign y = mem[0];
         endmodule",
    );
    assert!(
        m.contains("on an unpacked array or struct is not supported"),
        "{m}"
    );
    let (m, _) = error(
        "module t(output logic y);
           (* anyseq *) assign y = 1'b0;
         endmodule",
    );
    assert!(m.contains("apply to net and variable declarations"), "{m}");
}

#[test]
fn x_and_z_digits_are_free_values_not_zero() {
    // `default: y = 'x` is a don't-care: reading it as 0 would let a proof
    // rest on a value the designer never chose.
    let d = compile(
        "module t(input logic [1:0] s, output logic [3:0] y, output logic [7:0] p);
           always_comb begin
             case (s)
               2'd0: y = 4'd1;
               default: y = 'x;
             endcase
           end
           assign p = {s == 2'd3 ? 4'bz : 4'b0110, 4'b10x1};
         endmodule",
    );
    let ins = input_names(&d);
    let free: Vec<&str> = ins
        .iter()
        .map(|i| i.0)
        .filter(|n| n.starts_with("$x@"))
        .collect();
    assert_eq!(free.len(), 3, "one free value per x/z literal: {ins:?}");
    assert_eq!(output(&d, &[("s", 0)], &[], "y"), 1);
    assert_eq!(output(&d, &[("s", 1), (free[0], 0xb)], &[], "y"), 0xb);
    assert_eq!(output(&d, &[("s", 1), (free[0], 0x4)], &[], "y"), 0x4);
    // Only the x digit is free: 4'b10x1 is 1001 or 1011.
    let lo = |d: &Design, xv| output(d, &[("s", 0), (free[2], xv)], &[], "p") & 0xf;
    assert_eq!(lo(&d, 0), 0b1001);
    assert_eq!(lo(&d, 0xf), 0b1011);
    assert_eq!(output(&d, &[("s", 0)], &[], "p") >> 4, 0b0110);
    assert_eq!(output(&d, &[("s", 3), (free[1], 0xd)], &[], "p") >> 4, 0xd);
}

#[test]
fn wildcard_and_case_equality_do_not_read_x_digits() {
    let d = compile(
        "module t(input logic [3:0] a, output logic w, output logic c, output logic n,
                  output logic [1:0] k);
           assign w = a ==? 4'b1x0z;
           assign c = a === 4'b1x00;
           assign n = a !== 4'bxxxx;
           always_comb begin
             casez (a)
               4'b1???: k = 2'd1;
               default: k = 2'd0;
             endcase
           end
         endmodule",
    );
    assert_eq!(input_names(&d), vec![("a", 4)], "no free value is made");
    for a in 0..16u64 {
        assert_eq!(
            output(&d, &[("a", a)], &[], "w"),
            u64::from(a & 0b1010 == 0b1000)
        );
        // A two-state value is never x: `===` with x digits is false.
        assert_eq!(output(&d, &[("a", a)], &[], "c"), 0);
        assert_eq!(output(&d, &[("a", a)], &[], "n"), 1);
        assert_eq!(output(&d, &[("a", a)], &[], "k"), a >> 3);
    }
}

#[test]
fn x_in_constants_is_zero_and_an_all_x_initial_value_is_none() {
    let d = compile(
        "module t(input logic clk, input logic [3:0] a, output logic [3:0] y, output logic [3:0] q);
           localparam logic [3:0] P = 4'b1x1x;
           logic [3:0] r = 'x;
           always_ff @(posedge clk) r <= a;
           assign y = P;
           assign q = r;
         endmodule",
    );
    assert_eq!(input_names(&d), vec![("a", 4)]);
    assert_eq!(output(&d, &[], &[], "y"), 0b1010);
    let r = d.regs.iter().find(|r| r.name == "t.r").expect("t.r");
    assert_eq!(r.init, None, "'x as an initial value means none");
}

#[test]
fn tri0_and_tri1_pull_undriven_bits_instead_of_freeing_them() {
    let d = compile(
        "module t(input logic [3:0] a, output logic [7:0] y, output logic [3:0] z);
           tri1 [7:0] up;
           assign up[3:0] = a;      // bits 7:4 pulled high
           tri0 [3:0] down;         // never driven: 0
           assign y = up;
           assign z = down;
         endmodule",
    );
    assert_eq!(
        input_names(&d),
        vec![("a", 4)],
        "no free input for pulled bits"
    );
    assert_eq!(output(&d, &[("a", 0x5)], &[], "y"), 0xf5);
    assert_eq!(output(&d, &[("a", 0x5)], &[], "z"), 0);
}

/// A read outside the declared range (a vector bit, an indexed part
/// select, a memory word) is x (IEEE 1800 7.4.6, 11.5.1): a hidden input
/// `$oob@LINE_COL`, not 0. An index that cannot leave the range (by its
/// width or by its arithmetic) makes none.
#[test]
fn reads_outside_the_range_are_free_values() {
    let d = compile(
        "module t(input logic [3:0] i, input logic [2:0] j, input logic [4:0] n,
                  output logic b, output logic [3:0] p, output logic [7:0] m, output logic c, output logic e);
           logic [9:0] v;
           assign v = 10'h3ff;
           logic [7:0] mem [0:9];
           always_comb for (int k = 0; k < 10; k++) mem[k] = 8'd1;
           logic [15:0] u;
           assign u = 16'hffff;
           logic [3:0] s;
           assign s = 4'hf;
           assign b = v[i];
           assign p = v[j +: 4];
           assign m = mem[i];
           assign c = u[15 - 4'(n)];
           assign e = s[j[1:0]];
         endmodule",
    );
    let names: Vec<&str> = input_names(&d).iter().map(|x| x.0).collect();
    assert_eq!(
        names,
        ["i", "j", "n", "$oob@11_23", "$oob@12_23", "$oob@13_23"],
        "inputs"
    );
    // Inside: the value; outside: the free value (set to all ones / 0).
    assert_eq!(output(&d, &[("i", 9)], &[], "b"), 1);
    assert_eq!(output(&d, &[("i", 12)], &[], "b"), 0);
    assert_eq!(output(&d, &[("i", 12), ("$oob@11_23", 1)], &[], "b"), 1);
    assert_eq!(output(&d, &[("j", 6)], &[], "p"), 0xf);
    assert_eq!(output(&d, &[("j", 7)], &[], "p"), 0);
    assert_eq!(output(&d, &[("j", 7), ("$oob@12_23", 5)], &[], "p"), 5);
    assert_eq!(output(&d, &[("i", 9)], &[], "m"), 1);
    assert_eq!(
        output(&d, &[("i", 10), ("$oob@13_23", 0x5a)], &[], "m"),
        0x5a
    );
    assert_eq!(output(&d, &[("n", 16)], &[], "c"), 1);
    assert_eq!(output(&d, &[("j", 3)], &[], "e"), 1);
}
