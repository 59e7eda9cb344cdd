//! Designs with several clocks, falling edges, derived clocks and
//! `$global_clock` run on a global clock (one IR cycle = one tick). Checked
//! by evaluation with the reference evaluator: a register takes its next
//! value only in a tick with an edge of its own clock, and is seen to change
//! in the next tick; a clock made from registers clocks its domain in the
//! tick it changes.

use rtl::elab::ElabOptions;
use rtl::ir::Design;
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

fn error(src: &str) -> String {
    let c = rtl::compile_text("t.sv", src, ElabOptions::default());
    match c.result {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.diags[0].message.clone(),
    }
}

/// Steps a design tick by tick; `outs` reads named signals in the
/// current tick (after its inputs settle, before the edge).
struct Run {
    d: Design,
    regs: Vec<Bits>,
    mems: Vec<Vec<Bits>>,
    values: Vec<Bits>,
}

impl Run {
    fn new(d: Design) -> Run {
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
        Run {
            d,
            regs,
            mems,
            values: Vec::new(),
        }
    }

    /// One tick with these inputs (others 0).
    fn tick(&mut self, ins: &[(&str, u64)]) {
        let inputs: Vec<Bits> = self
            .d
            .inputs
            .iter()
            .map(|i| {
                let v = ins.iter().find(|(n, _)| *n == i.name).map_or(0, |p| p.1);
                Bits::from_u64(i.width, v)
            })
            .collect();
        let st = eval::step(&self.d, &inputs, &self.regs, &self.mems);
        self.values = st.values;
        self.regs = st.regs;
        self.mems = st.mems;
    }

    /// A named signal's value in the last tick.
    fn get(&self, name: &str) -> u64 {
        let full = format!("{}.{name}", self.d.top);
        let n = self
            .d
            .names
            .iter()
            .find(|n| n.name == full)
            .or_else(|| self.d.names.iter().find(|n| n.name == name))
            .unwrap_or_else(|| panic!("no signal {name}"));
        self.values[n.node.index()].to_u64().expect("fits")
    }

    /// Whether property `name` fired (assert/assume: violated; cover: hit)
    /// in the last tick.
    fn fired(&self, name: &str) -> bool {
        let p = self
            .d
            .props
            .iter()
            .find(|p| p.name.ends_with(name))
            .unwrap_or_else(|| panic!("no property {name}"));
        !self.values[p.node.index()].is_zero()
    }
}

#[test]
fn two_clocks_each_register_on_its_own_edge() {
    let d = compile(
        "module t(input logic ca, input logic cb, input logic rst,
                  output logic [3:0] a, output logic [3:0] b);
           always_ff @(posedge ca or posedge rst) if (rst) a <= 0; else a <= a + 1;
           always_ff @(posedge cb or posedge rst) if (rst) b <= 0; else b <= b + 1;
         endmodule",
    );
    assert_eq!(d.clock.as_deref(), Some("global_clock"));
    assert_eq!(d.clock_inputs, vec!["ca".to_string(), "cb".to_string()]);
    let mut r = Run::new(d);
    r.tick(&[("rst", 1)]);
    r.tick(&[]);
    assert_eq!((r.get("a"), r.get("b")), (0, 0));
    // ca rises: a counts, seen in the next tick; cb stays low.
    r.tick(&[("ca", 1)]);
    assert_eq!(
        (r.get("a"), r.get("b")),
        (0, 0),
        "the edge's tick shows the old value"
    );
    r.tick(&[("ca", 1)]);
    assert_eq!(
        (r.get("a"), r.get("b")),
        (1, 0),
        "held high: no second edge"
    );
    r.tick(&[("cb", 1)]);
    assert_eq!((r.get("a"), r.get("b")), (1, 0));
    r.tick(&[("ca", 1), ("cb", 1)]);
    assert_eq!((r.get("a"), r.get("b")), (1, 1), "ca rose again, cb held");
    r.tick(&[]);
    assert_eq!((r.get("a"), r.get("b")), (2, 1));
    // An asynchronous reset acts with no clock edge at all.
    r.tick(&[("rst", 1)]);
    r.tick(&[]);
    assert_eq!((r.get("a"), r.get("b")), (0, 0));
}

#[test]
fn falling_edge_clock() {
    let d = compile(
        "module t(input logic clk, output logic [3:0] n);
           initial n = 0;
           always_ff @(negedge clk) n <= n + 1;
         endmodule",
    );
    let mut r = Run::new(d);
    // No edge in the first tick, whatever the clock's value.
    r.tick(&[("clk", 0)]);
    r.tick(&[("clk", 1)]);
    r.tick(&[("clk", 1)]);
    assert_eq!(r.get("n"), 0);
    r.tick(&[("clk", 0)]);
    r.tick(&[("clk", 0)]);
    assert_eq!(r.get("n"), 1, "one falling edge");
}

#[test]
fn a_divided_clock_clocks_its_domain_in_the_tick_it_changes() {
    let d = compile(
        "module t(input logic clk, input logic rst,
                  output logic div2, output logic [3:0] fast, output logic [3:0] slow);
           always_ff @(posedge clk or posedge rst)
             if (rst) begin div2 <= 0; fast <= 0; end
             else begin div2 <= ~div2; fast <= fast + 1; end
           always_ff @(posedge div2 or posedge rst)
             if (rst) slow <= 0; else slow <= slow + 1;
         endmodule",
    );
    assert_eq!(d.clock_inputs, vec!["clk".to_string()], "div2 is no input");
    let mut r = Run::new(d);
    r.tick(&[("rst", 1)]);
    let mut clk = 0;
    for _ in 0..21 {
        clk ^= 1;
        r.tick(&[("clk", clk)]);
        // As in an event-driven simulator: slow counts the rising edges of
        // div2 in the same time step as div2 rises.
        assert_eq!(r.get("div2"), r.get("fast") & 1);
        assert_eq!(r.get("slow"), r.get("fast").div_ceil(2));
    }
    assert_eq!(r.get("fast"), 10);
}

#[test]
fn both_edges() {
    // `@(edge clk)`: every change of the clock, none in the first tick.
    let d = compile(
        "module t(input logic clk, output logic [3:0] n);
           initial n = 0;
           always @(edge clk) n <= n + 1;
         endmodule",
    );
    let mut r = Run::new(d);
    r.tick(&[("clk", 1)]);
    r.tick(&[("clk", 1)]);
    assert_eq!(r.get("n"), 0, "no edge in tick 0, none while held");
    r.tick(&[("clk", 0)]);
    r.tick(&[("clk", 1)]);
    r.tick(&[("clk", 1)]);
    assert_eq!(r.get("n"), 2, "a fall and a rise");
}

#[test]
fn properties_are_sampled_on_their_clock_edge_only() {
    let d = compile(
        "module t(input logic ca, input logic cb, input logic x);
           logic q;
           always_ff @(posedge cb) q <= x;
           a_x: assert property (@(posedge ca) x);
           c_q: cover property (@(posedge ca) q);
         endmodule",
    );
    let mut r = Run::new(d);
    r.tick(&[]);
    assert!(!r.fired("a_x"), "no edge of ca");
    r.tick(&[("ca", 1)]);
    assert!(r.fired("a_x"), "x low at an edge of ca");
    r.tick(&[("ca", 1)]);
    assert!(!r.fired("a_x"), "ca held high: no edge");
    r.tick(&[("cb", 1), ("x", 1)]);
    r.tick(&[("x", 1)]);
    assert!(!r.fired("c_q"), "q is 1 but ca has no edge");
    r.tick(&[("ca", 1), ("x", 1)]);
    assert!(r.fired("c_q"));
    assert!(!r.fired("a_x"));
}

#[test]
fn global_clock_blocks_run_every_tick() {
    let d = compile(
        "module t(input logic clk, output logic [3:0] n, output logic [3:0] m);
           initial begin n = 0; m = 0; end
           always @($global_clock) n <= n + 1;
           always_ff @(posedge clk) m <= m + 1;
           a_n: assert property (@($global_clock) n != 4'd3);
         endmodule",
    );
    assert_eq!(d.clock_inputs, vec!["clk".to_string()]);
    let mut r = Run::new(d);
    for _ in 0..3 {
        r.tick(&[]);
        assert!(!r.fired("a_n"));
    }
    r.tick(&[("clk", 1)]);
    assert_eq!((r.get("n"), r.get("m")), (3, 0));
    assert!(r.fired("a_n"), "checked on every tick");
    r.tick(&[]);
    assert_eq!((r.get("n"), r.get("m")), (4, 1));
}

#[test]
fn a_gclk_signal_is_the_global_clock() {
    // The Yosys formal flow's `(* gclk *)`: an edge of it is every tick.
    let d = compile(
        "module t(input logic clk, input logic d, output logic q);
           (* gclk *) logic gclk;
           always_ff @(posedge clk) q <= d;
           logic [3:0] ticks = 0;
           always @(posedge gclk) ticks <= ticks + 1;
           a_hold: assert property (@(posedge gclk) !$rose(clk) |=> $stable(q));
         endmodule",
    );
    assert_eq!(d.clock_inputs, vec!["clk".to_string()]);
    let mut r = Run::new(d);
    r.tick(&[("d", 1)]);
    r.tick(&[("d", 1)]);
    assert_eq!((r.get("ticks"), r.get("q")), (1, 0));
    r.tick(&[("clk", 1), ("d", 1)]);
    r.tick(&[]);
    assert_eq!((r.get("ticks"), r.get("q")), (3, 1));
    assert!(!r.fired("a_hold"));
}

#[test]
fn multi_clocked_properties_and_clock_loops_are_refused() {
    let m = error(
        "module t(input logic clk, clk2, a, b);
           sequence s; @(posedge clk2) a; endsequence
           a_p: assert property (@(posedge clk) s |-> b);
         endmodule",
    );
    assert!(m.contains("multi-clocked property"), "{m}");
    let m = error(
        "module t(output logic q);
           initial q = 0;
           always_ff @(posedge q) q <= ~q;
         endmodule",
    );
    assert!(m.contains("loop of clocks"), "{m}");
}
