// Regression design for SVA: concurrent assertions inside procedural
// blocks (IEEE 1800-2017 16.14.6). The clock comes from the block's event
// control, the enabling condition from the enclosing `if`/`case`: an
// attempt starts only in cycles where it holds (`cond |-> p`).
// A 3-stage delay line of `a` (q[0] = a one cycle ago, q[1] two, q[2]
// three; cleared by the synchronous reset) gives properties that hold
// (a_ok*) and one that does not (a_bad: b is a free input).
module sva_procedural (
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
  default disable iff (rst);
  always_ff @(posedge clk)
    if (!rst && a) a_ok: assert property (##1 q[0]);
  always @(posedge clk)
    case ({a, b})
      2'b11: a_ok_case: assert property (##1 q[0][->1] |-> $past(a));
      2'b10: a_bad: assert property (##1 b);
      default: ;
    endcase
  always @(posedge clk)
    if (b) c_hit: cover property (a ##1 b[->2]);
`endif
endmodule
