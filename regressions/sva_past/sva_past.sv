// Regression design for SVA: `$past(e, n)` and `$past(e, n, enable)`.
// A 3-stage delay line of `a` (q[0] = a one cycle ago, q[1] two, q[2]
// three; cleared by the synchronous reset) gives properties that hold
// (a_ok*) and one that does not (a_bad: b is a free input).
module sva_past (
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
  a_ok: assert property (!$past(rst) |-> q[0] == $past(a));
  a_ok_en: assert property (!$past(rst) && !$past(rst, 2) |-> q[1] == $past(a, 2, 1'b1));
  a_bad: assert property (a |-> $past(b, 2));
  c_hit: cover property ($past(a) && b);
`endif
endmodule
