// Regression design for deferred immediate assertions at module level
// (`assert #0`, `assert final`, `cover #0`, 16.4): each checks the settled
// value of its expression in every cycle. y is the AND of the inputs, q a
// 3-stage delay line of `a`; `b` is a free input.
module sva_deferred (
    input  logic       clk,
    input  logic       rst,
    input  logic       a,
    input  logic       b,
    output logic       y,
    output logic [2:0] q
);
  assign y = a & b;
  always_ff @(posedge clk)
    if (rst) q <= '0;
    else q <= {q[1:0], a};

`ifdef FORMAL
  a_ok: assert #0 (!y || a);
  a_ok_fin: assert final (!(y && !b));
  a_bad: assert final (!(a && q[0]));
  c_hit: cover #0 (y && q[0]);
`endif
endmodule
