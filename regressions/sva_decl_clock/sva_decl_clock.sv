// Regression design for SVA: the clock and `disable iff` written inside a
// named property or sequence declaration (16.16.1: the leading clock of
// the property is the assertion's clock), and an assertion with no clock
// at all, which takes the design's one clock (the SymbiYosys convention).
// q is a 3-stage delay line of `a`; `b` is a free input.
module sva_decl_clock (
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
  property p_follow;
    @(posedge clk) disable iff (rst) a |=> q[0];
  endproperty

  sequence s_twice;
    @(posedge clk) a ##1 q[0];
  endsequence

  property p_then(x, y);
    @(posedge clk) disable iff (rst) x |=> y;
  endproperty

  a_ok: assert property (p_follow);
  a_ok_seq: assert property (@(posedge clk) disable iff (rst) s_twice |=> q[1]);
  a_ok_noclk: assert property (disable iff (rst) q[0] |=> q[1]);
  a_bad: assert property (p_then(a, b));
  c_hit: cover property (s_twice);
`endif
endmodule
