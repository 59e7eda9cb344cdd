// Two registers that swap on `en` and otherwise, while nonzero, wander
// through odd values. Both start at 0, so both stay 0: `a_zero` and
// `b_zero` hold. Neither is k-inductive alone (the other register, nonzero
// and changing every cycle, swaps in), but together they are 1-inductive:
// formal code written as many small assertions that hold as a set.
// With BUG, b starts at 5: b_zero fails at cycle 0 and a_zero at cycle 1.
module sby_joint (
    input  logic       clk,
    input  logic       en,
    input  logic [7:0] ia,
    input  logic [7:0] ib,
    output logic [7:0] a,
    output logic [7:0] b
);
  initial a = 8'd0;
`ifdef BUG
  initial b = 8'd5;
`else
  initial b = 8'd0;
`endif

  always_ff @(posedge clk) begin
    if (en) begin
      a <= b;
      b <= a;
    end else begin
      a <= (a != 8'd0) ? (ia | 8'd1) : 8'd0;
      b <= (b != 8'd0) ? (ib | 8'd1) : 8'd0;
    end
  end

`ifdef FORMAL
  always @(*) begin
    a_zero: assert (a == 8'd0);
    b_zero: assert (b == 8'd0);
  end

  // Reached at cycle 1 (a swap after the first edge); with BUG, the trace
  // to it violates b_zero at cycle 0 (a cover trace that fails an assertion).
  reg f_past_valid = 1'b0;
  always @(posedge clk) f_past_valid <= 1'b1;
  always @(*) if (f_past_valid) c_swap: cover (en);
`endif
endmodule
