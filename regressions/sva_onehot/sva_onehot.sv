// Regression design for SVA: `$onehot`, `$onehot0`, `$countones`, `$isunknown`.
// A 3-stage delay line of `a` (q[0] = a one cycle ago, q[1] two, q[2]
// three; cleared by the synchronous reset) gives properties that hold
// (a_ok*) and one that does not (a_bad: b is a free input).
module sva_onehot (
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
  a_ok: assert property ($onehot({a, !a}) && $countones(q) <= 3 && !$isunknown(q));
  a_bad: assert property ($onehot0({a, b}));
  c_hit: cover property ($countones({a, b, q}) == 5);
`endif
endmodule
