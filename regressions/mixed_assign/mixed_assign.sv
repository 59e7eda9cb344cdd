// One variable written with `=` on one path and `<=` on another of the same
// clocked block (legal, IEEE 1800 10.4): either way the register takes the
// value at the clock edge; a blocking write is also seen by the statements
// after it in the block.
module mixed_assign (
    input  logic       clk,
    input  logic       rst,
    input  logic       load,
    input  logic [7:0] d,
    output logic [7:0] acc,
    output logic [7:0] seen
);
  always @(posedge clk) begin
    if (rst) begin
      acc <= 8'd0;
      seen <= 8'd0;
    end else begin
      if (load) acc = d;             // blocking: `seen` below reads d
      else acc <= acc + 8'd1;        // nonblocking: `seen` reads the old acc
      seen <= acc;
    end
  end

`ifdef FORMAL
  logic past_valid = 1'b0;
  always_ff @(posedge clk) past_valid <= 1'b1;
  a_load: assert property (@(posedge clk) !rst && load |=> acc == $past(d) && seen == $past(d));
  a_count: assert property (@(posedge clk) !rst && !load |=> acc == $past(acc) + 8'd1 && seen == $past(acc));
  // Planted: a nonblocking write is not seen in the same block.
  a_bad_seen: assert property (@(posedge clk) past_valid && !$past(rst) && !$past(load) |-> seen == acc);
`endif
endmodule
