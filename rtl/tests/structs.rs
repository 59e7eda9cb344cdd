//! Structural constructs checked by evaluation with the IR's reference
//! evaluator: unpacked arrays as separate signals (nets, multi-dimensional,
//! structs), memories reset asynchronously, `bind`, package references,
//! a top without ports.

use rtl::elab::ElabOptions;
use rtl::ir::Design;
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
fn net_arrays_from_generate_are_separate_signals() {
    let d = compile(
        "module t(input logic [7:0] x, input logic [1:0] i, output logic [7:0] y, output logic [7:0] z);
           wire [7:0] taps [0:3];
           assign taps[0] = x;
           for (genvar k = 1; k < 4; k++) begin : g
             assign taps[k] = taps[k-1] + 8'(k);
           end
           assign y = taps[3];
           assign z = taps[i];
         endmodule",
    );
    assert!(d.mems.is_empty(), "a net array is not a memory");
    let names: Vec<&str> = d.names.iter().map(|n| n.name.as_str()).collect();
    for k in 0..4 {
        assert!(
            names.contains(&format!("t.taps[{k}]").as_str()),
            "{names:?}"
        );
    }
    let tb = Tb::new(d);
    assert_eq!(tb.out(&[("x", 10)], "y"), 16);
    assert_eq!(tb.out(&[("x", 10)], "t.taps[2]"), 13);
    assert_eq!(tb.out(&[("x", 10), ("i", 1)], "z"), 11);
    assert_eq!(tb.out(&[("x", 250), ("i", 3)], "z"), 0);
}

#[test]
fn multi_dimensional_arrays_and_unpacked_structs() {
    let d = compile(
        "module t(input logic [3:0] a, input logic [1:0] r, input logic [1:0] c, output logic [3:0] y,
                  output logic [7:0] s_a, output logic [3:0] s_b1);
           logic [3:0] grid [2][3];
           typedef struct { logic [7:0] a; logic [3:0] b [2]; } s_t;
           s_t s;
           always_comb
             for (int i = 0; i < 2; i++)
               for (int j = 0; j < 3; j++)
                 grid[i][j] = a + 4'(i * 3 + j);
           always_comb begin
             s.a = {a, a};
             s.b[0] = grid[1][2];
             s.b[1] = grid[0][1];
           end
           assign y = grid[r][c];
           assign s_a = s.a;
           assign s_b1 = s.b[1];
         endmodule",
    );
    let names: Vec<&str> = d.names.iter().map(|n| n.name.as_str()).collect();
    assert!(names.contains(&"t.grid[1][2]"), "{names:?}");
    assert!(names.contains(&"t.s.b[0]"), "{names:?}");
    let tb = Tb::new(d);
    assert_eq!(tb.out(&[("a", 1), ("r", 1), ("c", 2)], "y"), 6);
    assert_eq!(tb.out(&[("a", 1), ("r", 0), ("c", 1)], "y"), 2);
    assert_eq!(tb.out(&[("a", 1)], "t.grid[1][0]"), 4);
    assert_eq!(tb.out(&[("a", 3)], "s_a"), 0x33);
    assert_eq!(tb.out(&[("a", 3)], "s_b1"), 4);
    assert_eq!(tb.out(&[("a", 3)], "t.s.b[0]"), 8);
}

#[test]
fn whole_arrays_assign_compare_and_patterns() {
    let d = compile(
        "module t(input logic [7:0] x, output logic eq, output logic [7:0] y0, output logic [7:0] y5);
           logic [7:0] a [4];
           logic [7:0] b [4];
           logic [7:0] c [4];
           logic [7:0] m [2][3];
           assign c = '{8'd7, 8'd1, 8'd2, 8'd3};
           assign a = '{x, 8'd1, 8'd2, 8'd3};
           assign b = a;
           assign eq = (a == c) ? 1'b0 : (b == a);
           assign m = '{default: 8'h5a};
           assign y0 = b[0];
           assign y5 = m[1][2];
         endmodule",
    );
    let tb = Tb::new(d);
    assert_eq!(tb.out(&[("x", 9)], "y0"), 9);
    assert_eq!(tb.out(&[("x", 9)], "t.b[3]"), 3);
    assert_eq!(tb.out(&[("x", 9)], "eq"), 1);
    assert_eq!(tb.out(&[("x", 7)], "eq"), 0);
    assert_eq!(tb.out(&[("x", 9)], "y5"), 0x5a);
}

#[test]
fn unpacked_values_are_not_integral() {
    let (msg, line) = error(
        "module t(output logic [15:0] y);
           logic [7:0] a [2];
           assign a[0] = 1; assign a[1] = 2;
           assign y = a + 1;
         endmodule",
    );
    assert!(msg.contains("not an integral value"), "{msg}");
    assert_eq!(line, 4);
    let (msg, _) = error(
        "module t(output logic [15:0] y);
           logic [7:0] a [2];
           assign a[0] = 1; assign a[1] = 2;
           assign y = a;
         endmodule",
    );
    assert!(msg.contains("same shape"), "{msg}");
}

#[test]
fn memory_reset_by_a_loop_under_an_asynchronous_reset() {
    let d = compile(
        "module t(input logic clk, input logic rst_n, input logic we, input logic [1:0] wa,
                  input logic [7:0] wd, input logic [1:0] ra, output logic [7:0] rd);
           logic [7:0] mem [4];
           always_ff @(posedge clk or negedge rst_n)
             if (!rst_n) for (int i = 0; i < 4; i++) mem[i] <= 8'(i + 1);
             else if (we) mem[wa] <= wd;
           assign rd = mem[ra];
         endmodule",
    );
    assert_eq!(d.regs.len(), 4, "one register per word");
    let mut tb = Tb::new(d);
    tb.step(&[("rst_n", 1), ("we", 1), ("wa", 2), ("wd", 0x44)]);
    assert_eq!(tb.out(&[("rst_n", 1), ("ra", 2)], "rd"), 0x44);
    // The reset acts at once (asynchronously), before any clock edge.
    assert_eq!(tb.out(&[("rst_n", 0), ("ra", 2)], "rd"), 3);
    tb.step(&[("rst_n", 0)]);
    assert_eq!(tb.out(&[("rst_n", 1), ("ra", 2)], "rd"), 3);
    assert_eq!(tb.out(&[("rst_n", 1), ("ra", 0)], "rd"), 1);
    tb.step(&[("rst_n", 1), ("we", 1), ("wa", 0), ("wd", 9)]);
    assert_eq!(tb.out(&[("rst_n", 1), ("ra", 0)], "rd"), 9);
    assert_eq!(tb.out(&[("rst_n", 1), ("ra", 3)], "rd"), 4);
}

#[test]
fn bind_attaches_a_checker_to_every_instance() {
    let d = compile(
        "module cnt(input logic clk, input logic rst, output logic [3:0] q);
           always_ff @(posedge clk) if (rst || q == 4'd9) q <= 0; else q <= q + 1;
         endmodule
         module top(input logic clk, input logic rst, output logic [3:0] a, output logic [3:0] b);
           cnt u1(.clk, .rst, .q(a));
           cnt u2(.clk, .rst, .q(b));
         endmodule
         module chk(input logic clk, input logic [3:0] q, input logic [3:0] lim);
           always_comb a_hi: assert (q != lim);
         endmodule
         bind cnt chk c(.clk, .q, .lim(4'd7));",
    );
    let names: Vec<&str> = d.props.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, vec!["top.u1.c.a_hi", "top.u2.c.a_hi"]);
    let mut tb = Tb::new(d);
    tb.step(&[("rst", 1)]);
    for _ in 0..7 {
        assert!(tb.firing(&[]).is_empty());
        tb.step(&[]);
    }
    // Both counters are at 7: each bound instance sees its own target.
    assert_eq!(
        tb.firing(&[]),
        vec!["top.u1.c.a_hi".to_string(), "top.u2.c.a_hi".to_string()]
    );
    let (msg, _) = error(
        "module top(input logic clk); endmodule
         module chk(input logic clk); endmodule
         bind nosuch chk c(.clk);",
    );
    assert!(msg.contains("no module `nosuch`"), "{msg}");
}

#[test]
fn package_references_in_every_position() {
    let d = compile(
        "package pkg;
           localparam int W = 6;
           function automatic logic [W-1:0] inc(input logic [W-1:0] v);
             return v + 1;
           endfunction
         endpackage
         module t import pkg::*; #(parameter int N = pkg::W) (input logic [N-1:0] a,
                  output logic [N-1:0] y, output logic [7:0] z);
           logic [pkg::W-1:0] r;
           assign r = pkg::inc(a);
           assign y = r;
           assign z = 8'(inc(pkg::inc(a))) + 8'(pkg::W);
         endmodule",
    );
    assert_eq!(d.outputs[0].name, "y");
    let tb = Tb::new(d);
    assert_eq!(tb.get(&[("a", 4)], "y").width(), 6);
    assert_eq!(tb.out(&[("a", 4)], "y"), 5);
    assert_eq!(tb.out(&[("a", 63)], "y"), 0);
    assert_eq!(tb.out(&[("a", 4)], "z"), 12);
}

#[test]
fn a_top_without_ports_clocks_its_design() {
    let d = compile(
        "module dut(input logic clk, output logic [3:0] q);
           logic [3:0] c = 4'd3;
           always_ff @(posedge clk) c <= c + 1;
           assign q = c;
         endmodule
         module tb;
           logic clk;
           logic [3:0] q;
           dut u(.clk, .q);
           always_comb a_q: assert (q != 4'd5);
         endmodule",
    );
    assert!(d.inputs.is_empty());
    let mut tb = Tb::new(d);
    assert!(tb.firing(&[]).is_empty());
    tb.step(&[]);
    tb.step(&[]);
    assert_eq!(tb.firing(&[]), vec!["tb.a_q".to_string()]);
}
