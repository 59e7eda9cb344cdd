// A 5-bit counter with enable that wraps 9 -> 0. Values 10..31 are never
// reached, but from 10 the register would count on up to 31: `cnt != 31`
// holds, yet is not k-inductive below k = 22 (a 22-state path of
// unreachable states ends in 31). PDR proves it with a small invariant.
module pdr_counter (
  input  logic       clk,
  input  logic       rst,
  input  logic       en,
  output logic [4:0] q,
  output logic       wrap
);
  logic [4:0] cnt;

  always_ff @(posedge clk) begin
    if (rst)
      cnt <= 5'd0;
    else if (en)
      cnt <= (cnt == 5'd9) ? 5'd0 : cnt + 5'd1;
  end

  assign q    = cnt;
  assign wrap = en && cnt == 5'd9;

`ifdef FORMAL
  always_ff @(posedge clk) begin
    if (!rst) begin
      a_range: assert (cnt != 5'd31);
      // Planted failure: 7 is reached after 7 enabled cycles.
      a_not7: assert (cnt != 5'd7);
      c_nine: cover (cnt == 5'd9);
    end
  end
`endif
endmodule
