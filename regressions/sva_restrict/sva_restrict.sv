// Regression design for `restrict property` (16.14.4): a constraint on the
// formal environment, not a check. The key input `k` is restricted away
// from 8'hA5, so a_ok (which says exactly that) holds in formal; without
// the restriction it would fail at the first cycle. verify's random
// simulation drops a run that breaks the restriction, as for `assume`.
// q is a 3-stage delay line of `a`; `b` is a free input.
module sva_restrict (
    input  logic       clk,
    input  logic       rst,
    input  logic       a,
    input  logic       b,
    input  logic [7:0] k,
    output logic [2:0] q
);
  always_ff @(posedge clk)
    if (rst) q <= '0;
    else q <= {q[1:0], a};

`ifdef FORMAL
  default clocking @(posedge clk); endclocking
  r_key: restrict property (k != 8'hA5);
  a_ok: assert property (k != 8'hA5);
  a_bad: assert property (disable iff (rst) a |=> b);
  c_hit: cover property (a ##1 q[0]);
`endif
endmodule
