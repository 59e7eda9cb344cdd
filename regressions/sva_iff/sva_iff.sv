// Regression design for the property operators `iff` and `implies`
// (16.12.9, 16.12.8). q is a 3-stage delay line of `a`; `b` is a free
// input.
module sva_iff (
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
  a_ok: assert property (a iff ##1 q[0]);
  a_ok_impl: assert property ((a && b) implies ##1 q[0]);
  a_ok_chain: assert property (q[0] implies q[1] iff ##1 q[2]);
  a_bad: assert property (a implies b);
  c_hit: cover property (a ##1 q[0]);
`endif
endmodule
