// Regression design for SVA: unbounded `##[m:$]` and `[*m:$]`, compiled into an automaton
// monitor (rtl/src/elab/sva_nfa.rs).
// A 3-stage delay line of `a` (q[0] = a one cycle ago, q[1] two, q[2]
// three; cleared by the synchronous reset) gives properties that hold
// (a_ok*) and one that does not (a_bad: b is a free input).
module sva_unbounded (
    input  logic       clk,
    input  logic       rst,
    input  logic       a,
    input  logic       b,
    output logic [2:0] q
);
  always_ff @(posedge clk)
    if (rst) q <= '0;
    else q <= {q[1:0], a};

`ifdef FORMAL
  default clocking @(posedge clk); endclocking
  default disable iff (rst);
  a_ok: assert property (a ##[1:$] q[0] |-> $past(a));
  a_ok_weak: assert property (a |-> ##[1:$] q[0]);
  a_bad: assert property (a |=> b[*1:$] ##1 a);
  c_hit: cover property (a ##[2:$] b);
`endif
endmodule
